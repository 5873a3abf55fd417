# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The internet gateway and the NAT gateways of one VPC: what vpc_gateways validates, reads and plans.

- The internet gateway is the one attached to the VPC (a VPC has at most one).
- A NAT gateway is identified by its subnet: the public NAT gateway that is ``available`` or
  ``pending`` there (the one named as asked first, then available before pending, then the oldest).
- The Elastic IP of a NAT gateway the module creates is allocated by the module and carries the
  tag ``OWNER_TAG`` (value: the subnet ID). Only addresses with that tag are ever reused for a new
  NAT gateway (when not associated: a run that allocated one and then failed) or released.
"""

from __future__ import annotations

import re

from ansible_collections.healthplatform.aws.plugins.module_utils.network import item_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.network import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.network import tags_of
from ansible_collections.healthplatform.aws.plugins.module_utils.network import vpc_id_errors

# Marks the Elastic IPs the module allocated (value: the subnet of their NAT gateway).
OWNER_TAG = "healthplatform.aws:vpc_gateways"
SUBNET_ID = re.compile(r"^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
LIVE_STATES = ("pending", "available")
# Codes EC2 answers for a resource created a moment ago (eventual consistency); retried on the calls
# that use one (attaching a new internet gateway, a NAT gateway on a new address).
NOT_YET_VISIBLE = ("InvalidInternetGatewayID.NotFound", "InvalidAllocationID.NotFound")


# ---------------------------------------------------------------- validation


def gateway_errors(params, check_mode):
    """Problems of the options, each naming its option, before any API call.

    In check mode an empty subnet ID is a subnet that a check run of vpc_subnets plans (not created yet).
    """
    errors = vpc_id_errors(params["vpc_id"])
    if params["wait_timeout"] < 1:
        errors.append(f"wait_timeout must be at least 1 second, got {params['wait_timeout']}")
    for option in ("tags", "internet_gateway_tags"):
        if OWNER_TAG in (params[option] or {}):
            errors.append(f"{option}: the tag key {OWNER_TAG} is reserved (it marks the Elastic IPs the module allocated)")
    seen = {}
    for index, nat in enumerate(params["nat_gateways"] or []):
        option = f"nat_gateways[{index}]"
        subnet = nat["subnet_id"]
        if subnet == "" and check_mode:
            pass
        elif not SUBNET_ID.match(subnet):
            errors.append(f"{option}.subnet_id {subnet!r} is not a subnet ID (subnet- and 8 or 17 hexadecimal digits)")
        elif subnet in seen:
            errors.append(f"{option}.subnet_id {subnet} is also nat_gateways[{seen[subnet]}].subnet_id; a subnet has one NAT gateway")
        else:
            seen[subnet] = index
        if nat["name"] is not None and not nat["name"].strip():
            errors.append(f"{option}.name must not be empty (omit it to leave the Name tag to tags)")
        if OWNER_TAG in (nat["tags"] or {}):
            errors.append(f"{option}.tags: the tag key {OWNER_TAG} is reserved (it marks the Elastic IPs the module allocated)")
    return errors


# ---------------------------------------------------------------- desired tags


def internet_gateway_tags(params):
    """Desired tags of the internet gateway; None: leave them alone."""
    return item_tags(params["tags"], params["internet_gateway_tags"])


def nat_tags(params, nat):
    """Desired tags of one NAT gateway (O(tags), its own tags, its name as Name); None: leave them alone."""
    tags = item_tags(params["tags"], nat["tags"])
    if nat["name"] is not None:
        tags = dict(tags or {}, Name=nat["name"])
    return tags


def address_tags(nat_desired, subnet_id, owned):
    """Desired tags of a NAT gateway's Elastic IP: those of the NAT gateway, plus the owner tag on the addresses the module allocated."""
    if nat_desired is None:
        return None
    tags = dict(nat_desired)
    if owned:
        tags[OWNER_TAG] = subnet_id
    return tags


# ---------------------------------------------------------------- reads


def attached_internet_gateway(client, vpc_id):
    """The internet gateway attached to the VPC, or None."""
    gateways = paginate(client, "describe_internet_gateways", "InternetGateways", Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])
    return gateways[0] if gateways else None


def live_nat_gateways(client, vpc_id, states=LIVE_STATES):
    """{subnet ID: [public NAT gateways there in one of ``states``]} (one read)."""
    filters = [{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "state", "Values": list(states)}]
    found = {}
    for nat in paginate(client, "describe_nat_gateways", "NatGateways", Filter=filters):
        if nat.get("State") in states and nat.get("ConnectivityType", "public") == "public":
            found.setdefault(nat["SubnetId"], []).append(nat)
    return found


def pick_nat(candidates, name):
    """The NAT gateway to keep among those of one subnet: named ``name`` first, then available, then the oldest."""
    if not candidates:
        return None

    def rank(nat):
        return (name is not None and tags_of(nat).get("Name") != name, nat.get("State") != "available", str(nat.get("CreateTime", "")), nat["NatGatewayId"])

    return sorted(candidates, key=rank)[0]


def addresses_by_allocation(client):
    """{allocation ID: address} of the account's VPC Elastic IPs (one read)."""
    addresses = client.describe_addresses(Filters=[{"Name": "domain", "Values": ["vpc"]}], aws_retry=True)["Addresses"]
    return {a["AllocationId"]: a for a in addresses if a.get("AllocationId")}


def primary_address(nat):
    """The primary address item of a NAT gateway ({} if none)."""
    items = (nat or {}).get("NatGatewayAddresses") or []
    for item in items:
        if item.get("IsPrimary"):
            return item
    return items[0] if items else {}


def is_owned(address, subnet_id=None):
    """Whether the module allocated ``address`` (for ``subnet_id`` when given)."""
    owner = tags_of(address).get(OWNER_TAG)
    return owner is not None and (subnet_id is None or owner == subnet_id)


def spare_address(addresses, subnet_id):
    """An address the module allocated for a NAT gateway in ``subnet_id`` that is associated with nothing (reused before allocating)."""
    spare = [a for a in addresses.values() if is_owned(a, subnet_id) and not a.get("AssociationId") and not a.get("NetworkInterfaceId")]
    return sorted(spare, key=lambda a: a["AllocationId"])[0] if spare else None


def subnets_outside(client, vpc_id, subnet_ids):
    """Those of ``subnet_ids`` that are not subnets of the VPC (one read)."""
    if not subnet_ids:
        return []
    inside = {s["SubnetId"] for s in paginate(client, "describe_subnets", "Subnets", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])}
    return [s for s in subnet_ids if s not in inside]


def routes_through(client, vpc_id, gateway_ids):
    """'rtb-... (name): dest -> target' for each route of the VPC's tables whose target is one of ``gateway_ids``."""
    if not gateway_ids:
        return []
    found = []
    for table in paginate(client, "describe_route_tables", "RouteTables", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]):
        name = tags_of(table).get("Name")
        label = f"{table['RouteTableId']} ({name})" if name else table["RouteTableId"]
        for route in table.get("Routes") or []:
            target = route.get("GatewayId") or route.get("NatGatewayId")
            if target in gateway_ids:
                dest = route.get("DestinationCidrBlock") or route.get("DestinationIpv6CidrBlock") or route.get("DestinationPrefixListId")
                found.append(f"{label}: {dest} -> {target}")
    return found


# ---------------------------------------------------------------- results


def nat_result(nat, subnet_id, address=None, tags=None):
    """One item of the module's ``nat_gateways`` result (``nat`` None: planned, not created yet)."""
    primary = primary_address(nat)
    return {
        "nat_gateway_id": (nat or {}).get("NatGatewayId", ""),
        "subnet_id": subnet_id,
        "allocation_id": primary.get("AllocationId") or (address or {}).get("AllocationId", ""),
        "public_ip": primary.get("PublicIp") or (address or {}).get("PublicIp", ""),
        "state": (nat or {}).get("State", "pending"),
        "tags": tags_of(nat) if tags is None else tags,
    }


def gateway_view(gateway_id, tags):
    """A gateway or an address as a diff shows it."""
    return {"id": gateway_id, "tags": tags}
