#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: route53resolver_firewall_config
short_description: Set a VPC's Route 53 Resolver DNS Firewall failure mode (fail open or closed)
version_added: 0.1.0
description:
  - Sets what DNS Firewall does with a VPC's queries when it cannot evaluate them, for example
    during an outage of the service.
  - C(DISABLED) (fail closed, the AWS default) blocks the queries it cannot evaluate, putting
    security before availability. C(ENABLED) (fail open) lets them through, putting availability
    before security.
  - The setting takes effect only for VPCs with at least one DNS Firewall rule group association.
  - Every VPC has this setting; the module changes it only when it differs and never removes it.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  vpc_id:
    description: ID of the VPC.
    type: str
    required: true
  firewall_fail_open:
    description:
      - C(ENABLED) to fail open, C(DISABLED) to fail closed.
      - C(USE_LOCAL_RESOURCE_SETTING) applies to Route 53 Profiles; it leaves the decision to the resource's own setting.
    type: str
    required: true
    choices: [ENABLED, DISABLED, USE_LOCAL_RESOURCE_SETTING]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
seealso:
  - module: healthplatform.aws.route53resolver_firewall_config_info
  - module: healthplatform.aws.route53resolver_firewall_rule_group_association
"""

EXAMPLES = r"""
- name: Fail closed (block what DNS Firewall cannot evaluate)
  healthplatform.aws.route53resolver_firewall_config:
    vpc_id: "{{ vpc.vpc.id }}"
    firewall_fail_open: DISABLED
"""

RETURN = r"""
firewall_config:
  description: The VPC's DNS Firewall configuration as AWS describes it. In check mode, what it would be.
  returned: always
  type: dict
  contains:
    id:
      description: ID of the configuration.
      type: str
      sample: rslvr-fc-0123456789abcdef
    resource_id:
      description: ID of the VPC.
      type: str
      sample: vpc-0123456789abcdef0
    owner_id:
      description: Account that owns the VPC.
      type: str
      sample: "123456789012"
    firewall_fail_open:
      description: The failure mode.
      type: str
      sample: DISABLED
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import VPC_ID
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import snake


def main():
    argument_spec = dict(
        vpc_id=dict(type="str", required=True),
        firewall_fail_open=dict(type="str", required=True, choices=["ENABLED", "DISABLED", "USE_LOCAL_RESOURCE_SETTING"]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    vpc_id = module.params["vpc_id"]
    wanted = module.params["firewall_fail_open"]
    if not VPC_ID.match(vpc_id):
        module.fail_json(msg=f"vpc_id must be a VPC ID such as vpc-0123456789abcdef0, got {vpc_id!r}")

    client = retrying_client(module, "route53resolver")
    try:
        before = client.get_firewall_config(ResourceId=vpc_id, aws_retry=True)["FirewallConfig"]
        changed = before.get("FirewallFailOpen") != wanted
        after = before
        if changed:
            if module.check_mode:
                after = dict(before, FirewallFailOpen=wanted)
            else:
                after = client.update_firewall_config(ResourceId=vpc_id, FirewallFailOpen=wanted, aws_retry=True)["FirewallConfig"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the DNS Firewall configuration of {vpc_id}")

    module.exit_json(
        changed=changed,
        firewall_config=snake(after),
        diff=diff_of({"firewall_fail_open": before.get("FirewallFailOpen")}, {"firewall_fail_open": after.get("FirewallFailOpen")}),
    )


if __name__ == "__main__":
    main()
