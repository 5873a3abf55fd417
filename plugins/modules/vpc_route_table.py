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
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import ec2_update_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.network import is_managed_route
from ansible_collections.healthplatform.aws.plugins.module_utils.network import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.network import route_destination
from ansible_collections.healthplatform.aws.plugins.module_utils.network import route_destination_key
from ansible_collections.healthplatform.aws.plugins.module_utils.network import route_target
from ansible_collections.healthplatform.aws.plugins.module_utils.network import route_target_key


def validate(module):
    p = module.params
    errors = []
    if not p["vpc_id"].startswith("vpc-"):
        errors.append(f"vpc_id must be a VPC ID (vpc-...), got {p['vpc_id']!r}")
    seen = set()
    for index, route in enumerate(p["routes"] or []):
        name = f"routes[{index}]"
        try:
            _key, dest = route_destination_key(route["dest"])
        except ValueError as e:
            errors.append(f"{name}.dest {route['dest']!r} is not a CIDR (network address) or a prefix list ID: {e}")
            continue
        if dest in seen:
            errors.append(f"{name}.dest {dest} is listed twice")
        seen.add(dest)
        if route_target_key(route["target"]) is None:
            errors.append(f"{name}.target {route['target']!r} is not a known target ID (igw-, nat-, tgw-, pcx-, eni-, eigw-, vgw-, vpce-, i-, cagw-, lgw-)")
    for subnet in p["subnets"] or []:
        if not subnet.startswith("subnet-"):
            errors.append(f"subnets: {subnet!r} is not a subnet ID (subnet-...)")
    if errors:
        module.fail_json(msg="; ".join(errors))


def find_table(client, params):
    filters = [{"Name": "vpc-id", "Values": [params["vpc_id"]]}, {"Name": "tag:Name", "Values": [params["name"]]}]
    tables = paginate(client, "describe_route_tables", "RouteTables", Filters=filters)
    if len(tables) > 1:
        ids = ", ".join(t["RouteTableId"] for t in tables)
        raise ValueError(f"more than one route table in {params['vpc_id']} is named {params['name']!r} ({ids}); remove the extra ones")
    return tables[0] if tables else None


def subnet_associations(table):
    return {a["SubnetId"]: a.get("RouteTableAssociationId") for a in (table or {}).get("Associations", []) if a.get("SubnetId")}


def plan(module, client, table):
    """(route_changes, subnet_changes) where route_changes = {'create': {dest: target}, 'replace': {...}, 'delete': [dest]}."""
    p = module.params
    current = {route_destination(r): route_target(r) for r in (table or {}).get("Routes", []) if is_managed_route(r)}
    routes = {"create": {}, "replace": {}, "delete": []}
    if p["routes"] is not None:
        wanted = {route_destination_key(r["dest"])[1]: r["target"] for r in p["routes"]}
        routes["create"] = {d: t for d, t in wanted.items() if d not in current}
        routes["replace"] = {d: t for d, t in wanted.items() if d in current and current[d] != t}
        if p["purge_routes"]:
            routes["delete"] = sorted(d for d in current if d not in wanted)
    subnets = {"associate": [], "move": {}, "disassociate": {}}
    if p["subnets"] is not None:
        mine = subnet_associations(table)
        missing = [s for s in p["subnets"] if s not in mine]
        if missing:
            # subnets associated with another table are moved (ReplaceRouteTableAssociation)
            others = paginate(client, "describe_route_tables", "RouteTables", Filters=[{"Name": "association.subnet-id", "Values": missing}])
            elsewhere = {}
            for other in others:
                elsewhere.update({s: a for s, a in subnet_associations(other).items() if s in missing})
            subnets["move"] = {s: elsewhere[s] for s in missing if s in elsewhere}
            subnets["associate"] = [s for s in missing if s not in elsewhere]
        if p["purge_subnets"]:
            subnets["disassociate"] = {s: a for s, a in mine.items() if s not in p["subnets"]}
    return routes, subnets


def apply(client, table_id, routes, subnets):
    for dest in routes["delete"]:
        key, value = route_destination_key(dest)
        client.delete_route(RouteTableId=table_id, aws_retry=True, **{key: value})
    for dest, target in routes["replace"].items():
        key, value = route_destination_key(dest)
        client.replace_route(RouteTableId=table_id, aws_retry=True, **{key: value, route_target_key(target): target})
    for dest, target in routes["create"].items():
        key, value = route_destination_key(dest)
        client.create_route(RouteTableId=table_id, aws_retry=True, **{key: value, route_target_key(target): target})
    for association_id in subnets["disassociate"].values():
        client.disassociate_route_table(AssociationId=association_id, aws_retry=True)
    for association_id in subnets["move"].values():
        client.replace_route_table_association(AssociationId=association_id, RouteTableId=table_id, aws_retry=True)
    for subnet in subnets["associate"]:
        client.associate_route_table(RouteTableId=table_id, SubnetId=subnet, aws_retry=True)


def view(table):
    if not table:
        return {}
    return {
        "routes": sorted(f"{route_destination(r)} -> {route_target(r)}" for r in table.get("Routes", [])),
        "subnets": sorted(subnet_associations(table)),
        "tags": boto3_tag_list_to_ansible_dict(table.get("Tags") or []),
    }


def planned(module, table, routes, subnets, tags):
    after = dict(table or {"VpcId": module.params["vpc_id"], "Routes": [], "Associations": []})
    kept = [r for r in after.get("Routes", []) if route_destination(r) not in routes["delete"] and route_destination(r) not in routes["replace"]]
    for dest, target in list(routes["replace"].items()) + list(routes["create"].items()):
        key, value = route_destination_key(dest)
        kept.append({key: value, route_target_key(target): target, "Origin": "CreateRoute", "State": "active"})
    after["Routes"] = kept
    associations = [a for a in after.get("Associations", []) if a.get("SubnetId") not in subnets["disassociate"]]
    associations += [{"SubnetId": s} for s in list(subnets["move"]) + subnets["associate"]]
    after["Associations"] = associations
    after["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
    return after


def describe(client, table_id):
    return client.describe_route_tables(RouteTableIds=[table_id], aws_retry=True)["RouteTables"][0]


def ensure_present(module, client, table):
    p = module.params
    desired_tags = dict(p["tags"] or {}, Name=p["name"]) if p["tags"] is not None else None
    current_tags = boto3_tag_list_to_ansible_dict((table or {}).get("Tags") or [])
    tags_after = merged_tags(current_tags, desired_tags, p["purge_tags"]) if table else dict(p["tags"] or {}, Name=p["name"])
    routes, subnets = plan(module, client, table)
    parts_change = any(routes.values()) or any(subnets.values())

    if module.check_mode:
        changed = table is None or parts_change or tags_after != current_tags
        return changed, planned(module, table, routes, subnets, tags_after)

    changed = parts_change
    if table is None:
        response = client.create_route_table(
            VpcId=p["vpc_id"],
            ClientToken=idempotency_token(),
            TagSpecifications=boto3_tag_specifications(tags_after, types="route-table"),
            aws_retry=True,
        )
        table_id = response["RouteTable"]["RouteTableId"]
        changed = True
    else:
        table_id = table["RouteTableId"]
        changed = ec2_update_tags(client, table_id, current_tags, desired_tags, p["purge_tags"], False) or changed
    apply(client, table_id, routes, subnets)
    return changed, describe(client, table_id) if changed else table


def ensure_absent(module, client, table):
    if table is None:
        return False
    if not module.check_mode:
        for association_id in subnet_associations(table).values():
            client.disassociate_route_table(AssociationId=association_id, aws_retry=True)
        client.delete_route_table(RouteTableId=table["RouteTableId"], aws_retry=True)
    return True


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        vpc_id=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        routes=dict(
            type="list",
            elements="dict",
            options=dict(dest=dict(type="str", required=True), target=dict(type="str", required=True)),
        ),
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
            changed = ensure_absent(module, client, table)
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
