# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Route tables of a VPC: validation, planning and applying, shared by vpc_route_table and vpc_route_tables.

A table is planned from what EC2 described and what the user asked for, as two
plans that ``apply_plan()`` carries out and ``planned()`` turns into the table a
check run reports:

- routes ``{'create': {dest: target}, 'replace': {dest: target}, 'delete': [dest]}``,
  by destination, never touching the local route, propagated routes or the routes
  gateway VPC endpoints add (``network.is_managed_route``);
- subnets ``{'associate': [subnet], 'move': {subnet: association}, 'disassociate': {subnet: association}}``,
  where a subnet explicitly associated with another table is moved to this one
  (ReplaceRouteTableAssociation) rather than disassociated and associated again.
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications

from ansible_collections.healthplatform.aws.plugins.module_utils.common import ec2_update_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.network import is_managed_route
from ansible_collections.healthplatform.aws.plugins.module_utils.network import named_resource
from ansible_collections.healthplatform.aws.plugins.module_utils.network import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.network import route_destination
from ansible_collections.healthplatform.aws.plugins.module_utils.network import route_destination_key
from ansible_collections.healthplatform.aws.plugins.module_utils.network import route_target
from ansible_collections.healthplatform.aws.plugins.module_utils.network import route_target_key
from ansible_collections.healthplatform.aws.plugins.module_utils.network import tags_of

TARGET_PREFIXES = "igw-, nat-, tgw-, pcx-, eni-, eigw-, vgw-, vpce-, i-, cagw-, lgw-"

# ---------------------------------------------------------------- validation


def route_options():
    """The argument_spec suboptions of a route (a fresh dict for each module)."""
    return dict(dest=dict(type="str", required=True), target=dict(type="str", required=True))


def route_errors(routes, option):
    """Problems in a list of routes ({dest, target}), each named by its option path, before any API call."""
    errors = []
    seen = set()
    for index, route in enumerate(routes or []):
        name = f"{option}[{index}]"
        try:
            dest = route_destination_key(route["dest"])[1]
        except ValueError as e:
            errors.append(f"{name}.dest {route['dest']!r} is not a CIDR (network address) or a prefix list ID: {e}")
            continue
        if dest in seen:
            errors.append(f"{name}.dest {dest} is listed twice")
        seen.add(dest)
        if route_target_key(route["target"]) is None:
            errors.append(f"{name}.target {route['target']!r} is not a known target ID ({TARGET_PREFIXES})")
    return errors


# ---------------------------------------------------------------- reads


def named_table(tables, vpc_id, name):
    """The table named ``name`` among ``tables`` (described), None if there is none. Raises ValueError on two."""
    return named_resource(tables, name, "RouteTableId", "route table", vpc_id)


def subnet_associations(table):
    """{subnet ID: association ID} of a table's explicit subnet associations."""
    return {a["SubnetId"]: a.get("RouteTableAssociationId") for a in (table or {}).get("Associations", []) if a.get("SubnetId")}


def associations_of(client, subnets):
    """{subnet ID: association ID} for those of ``subnets`` explicitly associated with any table (one read)."""
    if not subnets:
        return {}
    found = {}
    for table in paginate(client, "describe_route_tables", "RouteTables", Filters=[{"Name": "association.subnet-id", "Values": list(subnets)}]):
        found.update({s: a for s, a in subnet_associations(table).items() if s in subnets})
    return found


def describe(client, table_id):
    return client.describe_route_tables(RouteTableIds=[table_id], aws_retry=True)["RouteTables"][0]


# ---------------------------------------------------------------- planning


def plan_routes(table, routes, purge):
    """What to do with the routes of ``table`` to reach ``routes`` (None: leave them alone)."""
    plan = {"create": {}, "replace": {}, "delete": []}
    if routes is None:
        return plan
    current = {route_destination(r): route_target(r) for r in (table or {}).get("Routes", []) if is_managed_route(r)}
    wanted = {route_destination_key(r["dest"])[1]: r["target"] for r in routes}
    plan["create"] = {d: t for d, t in wanted.items() if d not in current}
    plan["replace"] = {d: t for d, t in wanted.items() if d in current and current[d] != t}
    if purge:
        plan["delete"] = sorted(d for d in current if d not in wanted)
    return plan


def missing_subnets(table, subnets):
    mine = subnet_associations(table)
    return [s for s in subnets or [] if s not in mine]


def plan_subnets(table, subnets, purge, elsewhere, keep=()):
    """What to do with the subnet associations of ``table`` to reach ``subnets`` (None: leave them alone).

    ``elsewhere`` maps subnets explicitly associated with other tables to their association;
    subnets in ``keep`` are never disassociated (another table of the same run takes them over).
    """
    plan = {"associate": [], "move": {}, "disassociate": {}}
    if subnets is None:
        return plan
    missing = missing_subnets(table, subnets)
    plan["move"] = {s: elsewhere[s] for s in missing if s in elsewhere}
    plan["associate"] = [s for s in missing if s not in elsewhere]
    if purge:
        plan["disassociate"] = {s: a for s, a in subnet_associations(table).items() if s not in subnets and s not in keep}
    return plan


def has_changes(routes, subnets):
    return any(routes.values()) or any(subnets.values())


# ---------------------------------------------------------------- changes


def apply_plan(client, table_id, routes, subnets):
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


def ensure_table(client, check_mode, spec, table, routes, subnets):
    """Create ``table`` (None) or bring its tags up to date, then apply the plans.

    ``spec``: name, vpc_id, tags (None: leave alone) and purge_tags. Returns (changed, table ID or None
    in check mode before creation, tags after). Reads nothing back: the callers read once for all.
    """
    desired_tags = dict(spec["tags"], Name=spec["name"]) if spec["tags"] is not None else None
    current_tags = tags_of(table)
    tags_after = merged_tags(current_tags, desired_tags, spec["purge_tags"]) if table else dict(spec["tags"] or {}, Name=spec["name"])
    changed = table is None or has_changes(routes, subnets)
    if check_mode:
        return changed or tags_after != current_tags, (table or {}).get("RouteTableId"), tags_after
    if table is None:
        response = client.create_route_table(
            VpcId=spec["vpc_id"],
            ClientToken=idempotency_token(),
            TagSpecifications=boto3_tag_specifications(tags_after, types="route-table"),
            aws_retry=True,
        )
        table_id = response["RouteTable"]["RouteTableId"]
    else:
        table_id = table["RouteTableId"]
        changed = ec2_update_tags(client, table_id, current_tags, desired_tags, spec["purge_tags"], False) or changed
    apply_plan(client, table_id, routes, subnets)
    return changed, table_id, tags_after


def remove_table(client, check_mode, table, moved=()):
    """Disassociate the subnets of ``table`` (but those in ``moved``, already moved elsewhere), then delete it.

    Returns True if there was a table.
    """
    if table is None:
        return False
    if not check_mode:
        for subnet, association_id in subnet_associations(table).items():
            if subnet not in moved:
                client.disassociate_route_table(AssociationId=association_id, aws_retry=True)
        client.delete_route_table(RouteTableId=table["RouteTableId"], aws_retry=True)
    return True


# ---------------------------------------------------------------- results


def view(table):
    """A table as a diff shows it."""
    if not table:
        return {}
    return {
        "routes": sorted(f"{route_destination(r)} -> {route_target(r)}" for r in table.get("Routes", [])),
        "subnets": sorted(subnet_associations(table)),
        "tags": tags_of(table),
    }


def planned(vpc_id, table, routes, subnets, tags):
    """The table as it would be after the plans (check mode)."""
    after = dict(table or {"VpcId": vpc_id, "Routes": [], "Associations": []})
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
