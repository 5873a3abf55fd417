#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vpc_route_tables
short_description: Manage several route tables of one VPC, with their routes and subnet associations, in one call
version_added: 0.1.0
description:
  - Creates or updates the route tables of one VPC listed in O(route_tables), each identified by its
    C(Name) tag, with its routes and the subnets associated with it, in one task. The VPC's route tables
    are read once (one C(DescribeRouteTables)), only what differs is changed, and they are read back
    once if anything changed.
  - Routes are identified by their destination. A missing route is created, a route whose target differs
    is replaced and, with O(purge_routes), routes that are not listed are deleted. The local route,
    propagated routes and the routes that gateway VPC endpoints add (prefix list to C(vpce-...)) are
    never touched.
  - A listed subnet that is associated with another route table is moved to its table; with
    O(purge_subnets) subnets that are not listed are disassociated (they fall back to the VPC's main
    route table), unless another listed table takes them.
  - With O(purge_route_tables), the VPC's other route tables (never the main one) are deleted.
  - The logic is that of M(healthplatform.aws.vpc_route_table), which manages one table; both share
    the module utilities C(route_table).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  vpc_id:
    description: ID of the VPC.
    type: str
    required: true
  route_tables:
    description: The route tables.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Value of the table's C(Name) tag, which identifies it within the VPC.
        type: str
        required: true
      routes:
        description:
          - The routes. Omit to leave the table's routes alone; C([]) with O(purge_routes=true) leaves
            only the local route (and the routes of gateway endpoints).
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
        description:
          - IDs of the subnets associated with the table. Omit to leave the table's associations alone.
          - A subnet may be listed for one table only.
        type: list
        elements: str
      tags:
        description: Tags of this table, added to O(tags) (they win over O(tags) on the same key).
        type: dict
  tags:
    description:
      - Tags of every listed table. The C(Name) tag is always the table's name.
      - With neither O(tags) nor a table's own tags, the tags of an existing table are left alone.
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description: Remove the tags of a table that are not in O(tags) or its own tags.
    type: bool
    default: true
  purge_routes:
    description: Delete the routes of a listed table that are not in its routes.
    type: bool
    default: true
  purge_subnets:
    description: Disassociate the subnets of a listed table that are not in its subnets.
    type: bool
    default: true
  purge_route_tables:
    description:
      - Delete the route tables of the VPC that are not listed (their subnets are disassociated first
        and fall back to the main table). The main route table is never deleted.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Creates are sent with a client token, so a retried request never creates two route tables.
  - Never sleeps, unlike M(amazon.aws.ec2_vpc_route_table).
seealso:
  - module: healthplatform.aws.vpc_route_table
  - module: healthplatform.aws.vpc_route_table_info
"""

EXAMPLES = r"""
- name: A public table, one app table per zone (each through its NAT gateway) and a data table
  healthplatform.aws.vpc_route_tables:
    vpc_id: "{{ vpc_id }}"
    tags:
      Environment: prod
    route_tables:
      - name: healthplatform-prod-public
        routes:
          - dest: 0.0.0.0/0
            target: "{{ igw_id }}"
        subnets: "{{ public_subnet_ids }}"
        tags: {Tier: public}
      - name: healthplatform-prod-app-us-east-1a
        routes:
          - dest: 0.0.0.0/0
            target: "{{ nat_gateway_ids[0] }}"
        subnets: ["{{ app_subnet_ids[0] }}"]
        tags: {Tier: app}
      - name: healthplatform-prod-data
        routes: []
        subnets: "{{ data_subnet_ids }}"
        tags: {Tier: data}
  register: route_tables

- name: The IDs of the app tables
  ansible.builtin.debug:
    msg: "{{ route_tables.route_tables | selectattr('tags.Tier', 'eq', 'app') | map(attribute='route_table_id') }}"
"""

RETURN = r"""
route_tables:
  description:
    - The listed route tables, in the order of O(route_tables), as EC2 describes them after the run.
      In check mode, what they would be (without C(route_table_id) before creation).
  returned: always
  type: list
  elements: dict
  contains:
    route_table_id:
      description: ID of the table (empty in check mode before creation).
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
      sample: {"Name": "healthplatform-prod-public", "Tier": "public"}
route_table_ids:
  description: Name of each listed table to its ID (empty in check mode before creation).
  returned: always
  type: dict
  sample: {"healthplatform-prod-public": "rtb-0123456789abcdef0"}
deleted:
  description: IDs of the tables O(purge_route_tables) deleted (or would delete in check mode).
  returned: always
  type: list
  elements: str
  sample: []
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.network import item_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.network import named_set_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.network import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.network import tags_of
from ansible_collections.healthplatform.aws.plugins.module_utils.network import vpc_id_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import ensure_table
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import named_table
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import plan_routes
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import plan_subnets
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import planned
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import remove_table
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import route_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import route_options
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import subnet_associations
from ansible_collections.healthplatform.aws.plugins.module_utils.route_table import view


def validate(module):
    """Check every option, naming it, before any API call."""
    p = module.params
    errors = vpc_id_errors(p["vpc_id"]) + named_set_errors(p["route_tables"], "route_tables", "route table")
    for index, table in enumerate(p["route_tables"]):
        errors += route_errors(table["routes"], f"route_tables[{index}].routes")
    if errors:
        module.fail_json(msg="; ".join(errors))


def spec_of(params, table):
    """What ensure_table() needs of one listed table."""
    return {"name": table["name"], "vpc_id": params["vpc_id"], "tags": item_tags(params["tags"], table["tags"]), "purge_tags": params["purge_tags"]}


def is_main(table):
    return any(a.get("Main") for a in table.get("Associations", []))


def run(module, client):
    """Returns (changed, [(name, table after)], deleted IDs, diff before, diff after)."""
    p = module.params
    tables = paginate(client, "describe_route_tables", "RouteTables", Filters=[{"Name": "vpc-id", "Values": [p["vpc_id"]]}])
    try:
        existing = [named_table(tables, p["vpc_id"], t["name"]) for t in p["route_tables"]]
    except ValueError as e:
        module.fail_json(msg=str(e))
    # Every explicit association of the VPC, so that a subnet is moved from wherever it is. A subnet
    # that a listed table takes is never disassociated from the one it leaves (that would end its
    # association before the move).
    elsewhere = {s: a for t in tables for s, a in subnet_associations(t).items()}
    keep = {s for t in p["route_tables"] for s in t["subnets"] or []}

    changed_any, before, after, results = False, {}, {}, []
    for table, wanted in zip(existing, p["route_tables"]):
        routes = plan_routes(table, wanted["routes"], p["purge_routes"])
        subnets = plan_subnets(table, wanted["subnets"], p["purge_subnets"], elsewhere, keep)
        changed, table_id, tags = ensure_table(client, module.check_mode, spec_of(p, wanted), table, routes, subnets)
        result = planned(p["vpc_id"], table, routes, subnets, tags)
        if table_id:
            result["RouteTableId"] = table_id
        if changed:
            changed_any = True
            before[wanted["name"]] = view(table)
            after[wanted["name"]] = view(result)
        results.append((wanted["name"], result))

    deleted = []
    if p["purge_route_tables"]:
        listed = {t["RouteTableId"] for t in existing if t}
        for table in tables:
            if table["RouteTableId"] in listed or is_main(table):
                continue
            remove_table(client, module.check_mode, table, keep)
            deleted.append(table["RouteTableId"])
            before[tags_of(table).get("Name") or table["RouteTableId"]] = view(table)
        changed_any = changed_any or bool(deleted)

    if changed_any and not module.check_mode:
        fresh = {t["RouteTableId"]: t for t in paginate(client, "describe_route_tables", "RouteTables", Filters=[{"Name": "vpc-id", "Values": [p["vpc_id"]]}])}
        results = [(name, fresh.get(table.get("RouteTableId"), table)) for name, table in results]
    return changed_any, results, deleted, before, after


def main():
    argument_spec = dict(
        vpc_id=dict(type="str", required=True),
        route_tables=dict(
            type="list",
            elements="dict",
            required=True,
            options=dict(
                name=dict(type="str", required=True),
                routes=dict(type="list", elements="dict", options=route_options()),
                subnets=dict(type="list", elements="str"),
                tags=dict(type="dict"),
            ),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        purge_routes=dict(type="bool", default=True),
        purge_subnets=dict(type="bool", default=True),
        purge_route_tables=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = retrying_client(module, "ec2")
    try:
        changed, results, deleted, before, after = run(module, client)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the route tables of {module.params['vpc_id']}")

    tables = [snake_with_tags(table) for _name, table in results]
    for table in tables:
        table.setdefault("route_table_id", "")
    module.exit_json(
        changed=changed,
        route_tables=tables,
        route_table_ids={name: table["route_table_id"] for (name, _table), table in zip(results, tables)},
        deleted=deleted,
        diff=diff_of(before, after),
    )


if __name__ == "__main__":
    main()
