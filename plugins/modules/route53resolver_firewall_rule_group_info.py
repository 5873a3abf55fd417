#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: route53resolver_firewall_rule_group_info
short_description: List Route 53 Resolver DNS Firewall rule groups and their rules
version_added: 0.1.0
description:
  - Lists the DNS Firewall rule groups the account sees (its own and those shared with it),
    optionally only those with given names, with their rules and tags.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  names:
    description: Only the rule groups with these names (exact match).
    type: list
    elements: str
    default: []
  include_rules:
    description: Also return the rules of each group (one or more calls per group).
    type: bool
    default: true
  include_tags:
    description: Also return the tags of each group (one call per group).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.route53resolver_firewall_rule_group
"""

EXAMPLES = r"""
- name: The platform's rule group with its rules
  healthplatform.aws.route53resolver_firewall_rule_group_info:
    names: [healthplatform-prod-dns-firewall]
  register: dns_firewall

- name: Assert the group blocks something
  ansible.builtin.assert:
    that: "'BLOCK' in (dns_firewall.firewall_rule_groups[0].rules | map(attribute='action'))"
"""

RETURN = r"""
firewall_rule_groups:
  description: The rule groups, as GetFirewallRuleGroup describes them, sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the rule group.
      type: str
      sample: rslvr-frg-0123456789abcdef
    arn:
      description: ARN of the rule group.
      type: str
      sample: arn:aws:route53resolver:eu-west-1:123456789012:firewall-rule-group/rslvr-frg-0123456789abcdef
    name:
      description: Name of the rule group.
      type: str
      sample: healthplatform-prod-dns-firewall
    rule_count:
      description: Number of rules.
      type: int
      sample: 3
    status:
      description: Status of the rule group.
      type: str
      sample: COMPLETE
    share_status:
      description: Whether the group is shared.
      type: str
      sample: NOT_SHARED
    rules:
      description: The rules, sorted by priority, as ListFirewallRules describes them.
      type: list
      elements: dict
      returned: when O(include_rules=true)
      sample:
        - name: block-malware
          priority: 200
          action: BLOCK
          block_response: NXDOMAIN
          firewall_domain_list_id: rslvr-fdl-0123456789abcdef
    tags:
      description: Tags of the rule group.
      type: dict
      returned: when O(include_tags=true)
      sample: {"Environment": "prod"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import get_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import snake


def main():
    argument_spec = dict(
        names=dict(type="list", elements="str", default=[]),
        include_rules=dict(type="bool", default=True),
        include_tags=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    client = retrying_client(module, "route53resolver")
    result = []
    try:
        groups = paginate(client, "list_firewall_rule_groups", "FirewallRuleGroups")
        for summary in sorted(groups, key=lambda g: (g.get("Name") or "", g["Id"])):
            if params["names"] and summary.get("Name") not in params["names"]:
                continue
            group = client.get_firewall_rule_group(FirewallRuleGroupId=summary["Id"], aws_retry=True)["FirewallRuleGroup"]
            item = snake(group)
            if params["include_rules"]:
                rules = paginate(client, "list_firewall_rules", "FirewallRules", FirewallRuleGroupId=group["Id"])
                item["rules"] = [snake(r) for r in sorted(rules, key=lambda r: (r.get("Priority", 0), r.get("Name", "")))]
            if params["include_tags"]:
                item["tags"] = get_tags(client, group["Arn"])
            result.append(item)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to list DNS Firewall rule groups")
    module.exit_json(changed=False, firewall_rule_groups=result)


if __name__ == "__main__":
    main()
