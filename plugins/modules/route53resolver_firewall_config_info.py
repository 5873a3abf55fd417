#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: route53resolver_firewall_config_info
short_description: Read the Route 53 Resolver DNS Firewall failure mode of VPCs
version_added: 0.1.0
description:
  - Returns the DNS Firewall configuration (fail open or closed) of the given VPCs, or of
    every VPC that has one listed when O(vpc_ids) is empty.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  vpc_ids:
    description: Only these VPCs (one call each). When empty, all configurations AWS lists.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.route53resolver_firewall_config
"""

EXAMPLES = r"""
- name: Failure mode of the platform VPC
  healthplatform.aws.route53resolver_firewall_config_info:
    vpc_ids: ["{{ vpc_id }}"]
  register: dns_firewall_config

- name: Assert DNS Firewall fails closed
  ansible.builtin.assert:
    that: dns_firewall_config.firewall_configs[0].firewall_fail_open == 'DISABLED'
"""

RETURN = r"""
firewall_configs:
  description: The configurations, as AWS describes them, in the order of O(vpc_ids) (else sorted by VPC).
  returned: always
  type: list
  elements: dict
  sample:
    - id: rslvr-fc-0123456789abcdef
      resource_id: vpc-0123456789abcdef0
      owner_id: "123456789012"
      firewall_fail_open: DISABLED
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import VPC_ID
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import snake


def main():
    argument_spec = dict(vpc_ids=dict(type="list", elements="str", default=[]))
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    vpc_ids = module.params["vpc_ids"]
    for index, vpc_id in enumerate(vpc_ids):
        if not VPC_ID.match(vpc_id):
            module.fail_json(msg=f"vpc_ids[{index}] must be a VPC ID such as vpc-0123456789abcdef0, got {vpc_id!r}")
    client = retrying_client(module, "route53resolver")
    try:
        if vpc_ids:
            configs = [client.get_firewall_config(ResourceId=vpc_id, aws_retry=True)["FirewallConfig"] for vpc_id in vpc_ids]
        else:
            configs = sorted(paginate(client, "list_firewall_configs", "FirewallConfigs"), key=lambda c: c.get("ResourceId", ""))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to read DNS Firewall configurations")
    module.exit_json(changed=False, firewall_configs=[snake(c) for c in configs])


if __name__ == "__main__":
    main()
