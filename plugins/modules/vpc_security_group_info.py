#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vpc_security_group_info
short_description: Read VPC security groups with their rules
version_added: 0.1.0
description:
  - Returns the security groups of a VPC (or those matching EC2 filters), each with its rules
    as EC2 describes them and as one readable line per rule source.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  vpc_id:
    description: Only the groups of this VPC.
    type: str
  names:
    description: Only the groups with these names.
    type: list
    elements: str
    default: []
  group_ids:
    description: Only these groups.
    type: list
    elements: str
    default: []
  filters:
    description:
      - Further EC2 filters, name to value or list of values.
      - See U(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSecurityGroups.html).
    type: dict
    default: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.vpc_security_group
"""

EXAMPLES = r"""
- name: Every security group of the platform VPC
  healthplatform.aws.vpc_security_group_info:
    vpc_id: "{{ vpc_id }}"
  register: groups

- name: Assert nothing but the load balancer is open to the world
  ansible.builtin.assert:
    that: >-
      groups.security_groups | rejectattr('group_name', 'eq', 'healthplatform-prod-alb')
      | map(attribute='rules') | flatten | select('search', '0.0.0.0/0') | list | length == 0
"""

RETURN = r"""
security_groups:
  description: The groups, sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    group_id:
      description: ID of the group.
      type: str
      sample: sg-0123456789abcdef0
    group_name:
      description: Name of the group.
      type: str
      sample: healthplatform-prod-web
    vpc_id:
      description: The VPC.
      type: str
      sample: vpc-0123456789abcdef0
    ip_permissions:
      description: Ingress rules as EC2 describes them.
      type: list
      elements: dict
    ip_permissions_egress:
      description: Egress rules as EC2 describes them.
      type: list
      elements: dict
    rules:
      description: Ingress rules, one readable line per source (protocol, ports, source, group name).
      type: list
      elements: str
      sample: ["tcp 443 sg-0123456789abcdef0 (healthplatform-prod-alb)"]
    rules_egress:
      description: Egress rules, one readable line per destination.
      type: list
      elements: str
      sample: ["all 0.0.0.0/0"]
    tags:
      description: Tags of the group.
      type: dict
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.transformation import ansible_dict_to_boto3_filter_list

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.network import atoms_view
from ansible_collections.healthplatform.aws.plugins.module_utils.network import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.network import permission_atoms


def main():
    argument_spec = dict(
        vpc_id=dict(type="str"),
        names=dict(type="list", elements="str", default=[]),
        group_ids=dict(type="list", elements="str", default=[]),
        filters=dict(type="dict", default={}),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    filters = dict(p["filters"])
    if p["vpc_id"]:
        filters["vpc-id"] = p["vpc_id"]
    if p["names"]:
        filters["group-name"] = p["names"]
    request = {"Filters": ansible_dict_to_boto3_filter_list(filters)}
    if p["group_ids"]:
        request["GroupIds"] = p["group_ids"]

    client = retrying_client(module, "ec2")
    try:
        groups = paginate(client, "describe_security_groups", "SecurityGroups", **request)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe security groups")

    names = {g["GroupId"]: g["GroupName"] for g in groups}
    referenced = {a[4] for g in groups for key in ("IpPermissions", "IpPermissionsEgress") for a in permission_atoms(g.get(key)) if a[3] == "group"}
    missing = sorted(referenced - set(names))
    if missing:
        try:  # the names of referenced groups outside the selection, for the readable rules
            names.update({g["GroupId"]: g["GroupName"] for g in paginate(client, "describe_security_groups", "SecurityGroups", GroupIds=missing)})
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError):
            pass  # groups of other accounts: their IDs are shown without names
    result = []
    for group in sorted(groups, key=lambda g: (g.get("VpcId", ""), g["GroupName"])):
        item = snake_with_tags(group)
        item["rules"] = atoms_view(permission_atoms(group.get("IpPermissions")), names)
        item["rules_egress"] = atoms_view(permission_atoms(group.get("IpPermissionsEgress")), names)
        result.append(item)
    module.exit_json(changed=False, security_groups=result)


if __name__ == "__main__":
    main()
