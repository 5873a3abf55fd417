#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vpc_route_table
short_description: Manage a VPC route table with its routes and subnet associations
version_added: 0.1.0
description:
  - Creates, updates or deletes one route table of a VPC, identified by its C(Name) tag
    (O(name)) and O(vpc_id), with its routes and the subnets associated with it, in one task.
  - Routes are identified by their destination. A missing route is created, a route whose
    target differs is replaced, and with O(purge_routes) routes that are not listed are
    deleted. The local route, propagated routes and the routes that gateway VPC endpoints
    add (prefix list to C(vpce-...)) are never touched.
  - A listed subnet that is associated with another route table is moved to this one;
    with O(purge_subnets) subnets that are not listed are disassociated (they fall back
    to the VPC's main route table).
  - Unlike M(amazon.aws.ec2_vpc_route_table), the module never sleeps; it reads once,
    changes what differs and reads the table back once.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Value of the table's C(Name) tag, which identifies it within the VPC.
    type: str
    required: true
  vpc_id:
    description: ID of the VPC.
    type: str
    required: true
  state:
    description: Whether the route table should exist. O(state=absent) disassociates its subnets first.
    type: str
    choices: [present, absent]
    default: present
  routes:
    description:
      - The routes. Omit to leave the routes alone; C([]) with O(purge_routes=true) leaves only the local route.
    type: list
    elements: dict
    suboptions:
      dest:
        description: Destination, an IPv4 or IPv6 CIDR (C(0.0.0.0/0)) or a managed prefix list ID (C(pl-...)).
        type: str
        required: true
      target:
        description:
          - ID of the target; its prefix says what it is. C(igw-) internet gateway, C(nat-) NAT gateway,
            C(tgw-) transit gateway, C(pcx-) peering connection, C(eni-) network interface,
            C(eigw-) egress-only internet gateway, C(vgw-) virtual private gateway,
            C(vpce-) Gateway Load Balancer endpoint, C(i-) instance, C(cagw-), C(lgw-).
        type: str
        required: true
  subnets:
    description: IDs of the subnets associated with the table. Omit to leave the associations alone.
    type: list
    elements: str
  purge_routes:
    description: Delete routes that are not in O(routes).
    type: bool
    default: true
  purge_subnets:
    description: Disassociate subnets that are not in O(subnets).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Creates are sent with a client token, so a retried request never creates two route tables.
  - The C(Name) tag is always set to O(name), also when O(tags) does not contain it.
seealso:
  - module: healthplatform.aws.vpc_route_table_info
"""

EXAMPLES = r"""
- name: Public tier, default route to the internet gateway
  healthplatform.aws.vpc_route_table:
    name: healthplatform-prod-public
    vpc_id: "{{ vpc_id }}"
    routes:
      - dest: 0.0.0.0/0
        target: "{{ igw_id }}"
    subnets: "{{ public_subnet_ids }}"
    tags:
      Tier: public

- name: Data tier, no route out of the VPC at all
  healthplatform.aws.vpc_route_table:
    name: healthplatform-prod-data
    vpc_id: "{{ vpc_id }}"
    routes: []
    subnets: "{{ data_subnet_ids }}"
"""

RETURN = r"""
route_table:
  description: The route table as EC2 describes it (empty when O(state=absent)). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    route_table_id:
      description: ID of the table (absent in check mode before creation).
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
    associations:
      description: Subnet (and gateway) associations.
      type: list
      elements: dict
    tags:
      description: Tags of the table.
      type: dict
      sample: {"Name": "healthplatform-prod-public"}
route_table_id:
  description: ID of the table (empty in check mode before creation and after deletion).
  returned: always
  type: str
  sample: rtb-0123456789abcdef0
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.network import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.network import subnet_id_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.network import vpc_id_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import associations_of
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import describe
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import ensure_table
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import missing_subnets
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import named_table
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import plan_routes
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import plan_subnets
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import planned
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import remove_table
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import route_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import route_options
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import view


def validate(module):
    p = module.params
    errors = vpc_id_errors(p["vpc_id"])
    errors += route_errors(p["routes"], "routes")
    errors += subnet_id_errors(p["subnets"], "subnets")
    if errors:
        module.fail_json(msg="; ".join(errors))


def find_table(client, params):
    filters = [{"Name": "vpc-id", "Values": [params["vpc_id"]]}, {"Name": "tag:Name", "Values": [params["name"]]}]
    return named_table(paginate(client, "describe_route_tables", "RouteTables", Filters=filters), params["vpc_id"], params["name"])


def ensure_present(module, client, table):
    p = module.params
    routes = plan_routes(table, p["routes"], p["purge_routes"])
    # subnets explicitly associated with another table are moved from it (one read, only when some are missing)
    elsewhere = associations_of(client, missing_subnets(table, p["subnets"]))
    subnets = plan_subnets(table, p["subnets"], p["purge_subnets"], elsewhere)
    changed, table_id, tags = ensure_table(client, module.check_mode, p, table, routes, subnets)
    if module.check_mode:
        return changed, planned(p["vpc_id"], table, routes, subnets, tags)
    return changed, describe(client, table_id) if changed else table


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        vpc_id=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        routes=dict(type="list", elements="dict", options=route_options()),
        subnets=dict(type="list", elements="str"),
        purge_routes=dict(type="bool", default=True),
        purge_subnets=dict(type="bool", default=True),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = retrying_client(module, "ec2")
    try:
        try:
            table = find_table(client, module.params)
        except ValueError as e:
            module.fail_json(msg=str(e))
        if module.params["state"] == "absent":
            changed = remove_table(client, module.check_mode, table)
            module.exit_json(changed=changed, route_table={}, route_table_id="", diff=diff_of(view(table), {}))
        changed, after = ensure_present(module, client, table)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage route table {module.params['name']} in {module.params['vpc_id']}")

    module.exit_json(
        changed=changed,
        route_table=snake_with_tags(after),
        route_table_id=after.get("RouteTableId", ""),
        diff=diff_of(view(table), view(after)),
    )


if __name__ == "__main__":
    main()
