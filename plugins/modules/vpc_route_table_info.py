#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vpc_route_table_info
short_description: Read VPC route tables with their routes and subnet associations
version_added: 0.1.0
description:
  - Returns the route tables of a VPC (or those matching EC2 filters), each with its routes
    as EC2 describes them, the subnets associated with it, and whether any route leaves the
    VPC through an internet or NAT gateway.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  vpc_id:
    description: Only the route tables of this VPC.
    type: str
  names:
    description: Only the route tables with these C(Name) tags.
    type: list
    elements: str
    default: []
  subnet_ids:
    description: Only the route tables associated with these subnets.
    type: list
    elements: str
    default: []
  filters:
    description: Further EC2 filters (U(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRouteTables.html)).
    type: dict
    default: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.vpc_route_table
"""

EXAMPLES = r"""
- name: Route tables of the data subnets
  healthplatform.aws.vpc_route_table_info:
    subnet_ids: "{{ data_subnet_ids }}"
  register: data_routes

- name: Assert the data tier has no way out of the VPC
  ansible.builtin.assert:
    that: data_routes.route_tables | selectattr('internet_route') | list | length == 0
"""

RETURN = r"""
route_tables:
  description: The route tables, sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    route_table_id:
      description: ID of the table.
      type: str
      sample: rtb-0123456789abcdef0
    vpc_id:
      description: The VPC.
      type: str
      sample: vpc-0123456789abcdef0
    routes:
      description: Routes as EC2 describes them.
      type: list
      elements: dict
    subnet_ids:
      description: The subnets associated with the table.
      type: list
      elements: str
    internet_route:
      description: Whether a route goes to an internet gateway, egress-only internet gateway or NAT gateway.
      type: bool
    tags:
      description: Tags of the table.
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
from ansible_collections.healthplatform.aws.plugins.module_utils.network import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.network import route_target

INTERNET_PREFIXES = ("igw-", "eigw-", "nat-")


def main():
    argument_spec = dict(
        vpc_id=dict(type="str"),
        names=dict(type="list", elements="str", default=[]),
        subnet_ids=dict(type="list", elements="str", default=[]),
        filters=dict(type="dict", default={}),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    filters = dict(p["filters"])
    if p["vpc_id"]:
        filters["vpc-id"] = p["vpc_id"]
    if p["names"]:
        filters["tag:Name"] = p["names"]
    if p["subnet_ids"]:
        filters["association.subnet-id"] = p["subnet_ids"]

    client = retrying_client(module, "ec2")
    try:
        tables = paginate(client, "describe_route_tables", "RouteTables", Filters=ansible_dict_to_boto3_filter_list(filters))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe route tables")

    result = []
    for table in tables:
        item = snake_with_tags(table)
        item["subnet_ids"] = sorted(a["SubnetId"] for a in table.get("Associations", []) if a.get("SubnetId"))
        item["internet_route"] = any(str(route_target(r) or "").startswith(INTERNET_PREFIXES) for r in table.get("Routes", []))
        result.append(item)
    result.sort(key=lambda t: (t["tags"].get("Name", ""), t["route_table_id"]))
    module.exit_json(changed=False, route_tables=result)


if __name__ == "__main__":
    main()
