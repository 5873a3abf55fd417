#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: route53resolver_firewall_rule_group_association_info
short_description: List Route 53 Resolver DNS Firewall rule group associations
version_added: 0.1.0
description:
  - Lists the associations of DNS Firewall rule groups with VPCs, optionally only those of
    one VPC, of one rule group (by name or ID), with a given priority or status.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  vpc_id:
    description: Only the associations of this VPC.
    type: str
  firewall_rule_group:
    description: Only the associations of this rule group, by ID (C(rslvr-frg-...)) or by name.
    type: str
    aliases: [rule_group]
  priority:
    description: Only the associations with this priority.
    type: int
  status:
    description: Only the associations in this status.
    type: str
    choices: [COMPLETE, DELETING, UPDATING]
  include_tags:
    description: Also return the tags of each association (one call per association).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.route53resolver_firewall_rule_group_association
"""

EXAMPLES = r"""
- name: Rule groups filtering the platform VPC
  healthplatform.aws.route53resolver_firewall_rule_group_association_info:
    vpc_id: "{{ vpc_id }}"
  register: dns_firewall_associations

- name: Assert the VPC is protected
  ansible.builtin.assert:
    that: dns_firewall_associations.firewall_rule_group_associations | selectattr('status', 'eq', 'COMPLETE') | list | length > 0
"""

RETURN = r"""
firewall_rule_group_associations:
  description: The associations, as ListFirewallRuleGroupAssociations describes them, sorted by VPC and priority.
  returned: always
  type: list
  elements: dict
  sample:
    - id: rslvr-frgassoc-0123456789abcdef
      firewall_rule_group_id: rslvr-frg-0123456789abcdef
      vpc_id: vpc-0123456789abcdef0
      name: healthplatform-prod-dns-firewall
      priority: 101
      mutation_protection: ENABLED
      status: COMPLETE
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import find_rule_group
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import get_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import snake


def main():
    argument_spec = dict(
        vpc_id=dict(type="str"),
        firewall_rule_group=dict(type="str", aliases=["rule_group"]),
        priority=dict(type="int"),
        status=dict(type="str", choices=["COMPLETE", "DELETING", "UPDATING"]),
        include_tags=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    client = retrying_client(module, "route53resolver")
    request = {}
    for option, key in (("vpc_id", "VpcId"), ("priority", "Priority"), ("status", "Status")):
        if params[option] is not None:
            request[key] = params[option]
    try:
        if params["firewall_rule_group"]:
            try:
                group = find_rule_group(client, params["firewall_rule_group"])
            except ValueError as e:
                module.fail_json(msg=f"firewall_rule_group: {e}")
            if group is None:
                module.exit_json(changed=False, firewall_rule_group_associations=[])
            request["FirewallRuleGroupId"] = group["Id"]
        associations = paginate(client, "list_firewall_rule_group_associations", "FirewallRuleGroupAssociations", **request)
        result = []
        for association in sorted(associations, key=lambda a: (a.get("VpcId", ""), a.get("Priority", 0))):
            item = snake(association)
            if params["include_tags"]:
                item["tags"] = get_tags(client, association["Arn"])
            result.append(item)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to list DNS Firewall rule group associations")
    module.exit_json(changed=False, firewall_rule_group_associations=result)


if __name__ == "__main__":
    main()
