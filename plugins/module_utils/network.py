# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers of the VPC modules (security groups, route tables, VPC endpoints).

Pure functions where possible, so that the modules stay small state machines
and the comparison logic is tested without an API:

- security group rules are flattened into *atoms* ``(proto, from, to, kind, target)``,
  one per source or destination, both for what the user asked for and for what
  EC2 describes, so that two sets can be compared whatever the grouping;
- route targets and destinations are mapped to the API's keys by their ID prefix;
- policy documents are compared as parsed JSON.
"""

from __future__ import annotations

import ipaddress
import json
import re

PROTOCOL_NAMES = {"6": "tcp", "17": "udp", "1": "icmp", "-1": "all", "all": "all", "tcp": "tcp", "udp": "udp", "icmp": "icmp"}
SG_ID = re.compile(r"^sg-[0-9a-f]{8,17}$")
PREFIX_LIST_ID = re.compile(r"^pl-[0-9a-f]{8,17}$")
# Characters EC2 accepts in security group rule descriptions.
SG_DESCRIPTION = re.compile(r"^[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]{0,255}$")

# Route target ID prefix -> CreateRoute/ReplaceRoute parameter.
ROUTE_TARGETS = (
    ("igw-", "GatewayId"),
    ("vgw-", "GatewayId"),
    ("nat-", "NatGatewayId"),
    ("tgw-", "TransitGatewayId"),
    ("pcx-", "VpcPeeringConnectionId"),
    ("eni-", "NetworkInterfaceId"),
    ("eigw-", "EgressOnlyInternetGatewayId"),
    ("cagw-", "CarrierGatewayId"),
    ("lgw-", "LocalGatewayId"),
    ("vpce-", "VpcEndpointId"),
    ("i-", "InstanceId"),
)
ROUTE_TARGET_KEYS = (
    "GatewayId",
    "NatGatewayId",
    "TransitGatewayId",
    "VpcPeeringConnectionId",
    "NetworkInterfaceId",
    "EgressOnlyInternetGatewayId",
    "CarrierGatewayId",
    "LocalGatewayId",
    "InstanceId",
    "CoreNetworkArn",
)


# ---------------------------------------------------------------- reads


def paginate(client, method, key, token="NextToken", next_token_key=None, **kwargs):  # noqa: S107 - a page token, not a password
    """All items of a paginated read, each page through the retrying client (aws_retry=True).

    ``token`` is the request's page token parameter, ``next_token_key`` the response's
    (the same unless given, e.g. ELBv2's Marker / NextMarker).
    """
    items = []
    while True:
        page = getattr(client, method)(aws_retry=True, **kwargs)
        items.extend(page.get(key) or [])
        next_token = page.get(next_token_key or token)
        if not next_token:
            return items
        kwargs[token] = next_token


# ---------------------------------------------------------------- sets of VPC resources


def tags_of(resource):
    """The tags of an EC2 resource description as a dict."""
    return {t["Key"]: t["Value"] for t in (resource or {}).get("Tags") or []}


def item_tags(common, own):
    """The tags of one item of a set: the set's tags with the item's own on top; None (leave alone) when neither is given."""
    if common is None and own is None:
        return None
    tags = dict(common or {})
    tags.update(own or {})
    return tags


def vpc_id_errors(vpc_id):
    return [] if vpc_id.startswith("vpc-") else [f"vpc_id must be a VPC ID (vpc-...), got {vpc_id!r}"]


def subnet_id_errors(subnets, option):
    return [f"{option}: {subnet!r} is not a subnet ID (subnet-...)" for subnet in subnets or [] if not str(subnet).startswith("subnet-")]


def named_set_errors(items, option, what):
    """Problems of a list of named items with subnets (route tables, network ACLs): names set and unique,
    subnet IDs well formed, each subnet listed for one item only."""
    errors = []
    names, owners = {}, {}
    for index, item in enumerate(items):
        name = f"{option}[{index}]"
        if not item["name"]:
            errors.append(f"{name}.name must not be empty")
        elif item["name"] in names:
            errors.append(f"{name}.name {item['name']!r} is also {option}[{names[item['name']]}]")
        names.setdefault(item["name"], index)
        errors += subnet_id_errors(item["subnets"], f"{name}.subnets")
        for subnet in item["subnets"] or []:
            if owners.get(subnet, index) != index:
                errors.append(f"{name}.subnets: {subnet} is also listed for {option}[{owners[subnet]}]; a subnet has one {what}")
            owners.setdefault(subnet, index)
    return errors


def named_resource(resources, name, id_key, what, vpc_id):
    """The resource whose Name tag is ``name`` (None if none). Raises ValueError when several are."""
    matches = [r for r in resources if tags_of(r).get("Name") == name]
    if len(matches) > 1:
        ids = ", ".join(r[id_key] for r in matches)
        raise ValueError(f"more than one {what} in {vpc_id} is named {name!r} ({ids}); remove the extra ones")
    return matches[0] if matches else None


# ---------------------------------------------------------------- security groups


def parse_port_range(value):
    """'443' -> (443, 443); '1024-65535' -> (1024, 65535). Raises ValueError."""
    text = str(value).strip()
    low, sep, high = text.partition("-")
    try:
        start = int(low)
        end = int(high) if sep else start
    except ValueError:
        raise ValueError(f"{value!r} is not a port or a port range such as 443 or 1024-65535") from None
    if not (0 <= start <= 65535 and 0 <= end <= 65535) or start > end:
        raise ValueError(f"{value!r} is not a port range within 0-65535 (low-high)")
    return start, end


def _strict_network(value, version):
    network = ipaddress.ip_network(value, strict=True)
    if network.version != version:
        raise ValueError(f"{value!r} is not an IPv{version} CIDR")
    return str(network)


def rule_errors(rules, option):
    """Problems in a list of rules (as validated by argument_spec), before any API call."""
    errors = []
    for index, rule in enumerate(rules or []):
        name = f"{option}[{index}]"
        proto = rule["proto"]
        if proto in ("tcp", "udp"):
            if not rule.get("ports"):
                errors.append(f"{name}.ports is required for proto {proto}")
            for port in rule.get("ports") or []:
                try:
                    parse_port_range(port)
                except ValueError as e:
                    errors.append(f"{name}.ports: {e}")
        elif rule.get("ports"):
            errors.append(f"{name}.ports applies only to proto tcp and udp (use icmp_type/icmp_code for icmp)")
        if proto != "icmp" and (rule.get("icmp_type") is not None or rule.get("icmp_code") is not None):
            errors.append(f"{name}.icmp_type and icmp_code apply only to proto icmp")
        sources = [rule.get(k) for k in ("cidr_ip", "cidr_ipv6", "group", "prefix_list_id")]
        if not any(sources):
            errors.append(f"{name} needs at least one of cidr_ip, cidr_ipv6, group or prefix_list_id")
        for key, version in (("cidr_ip", 4), ("cidr_ipv6", 6)):
            for cidr in rule.get(key) or []:
                try:
                    _strict_network(cidr, version)
                except ValueError as e:
                    errors.append(f"{name}.{key}: {e}")
        for prefix_list in rule.get("prefix_list_id") or []:
            if not PREFIX_LIST_ID.match(prefix_list):
                errors.append(f"{name}.prefix_list_id {prefix_list!r} is not a prefix list ID (pl-...)")
        description = rule.get("description")
        if description is not None and not SG_DESCRIPTION.match(description):
            errors.append(f"{name}.description must be at most 255 characters of letters, digits, spaces and ._-:/()#,@[]+=&;{{}}!$*")
    return errors


def desired_atoms(rules, resolve_group):
    """{atom: description} for the rules a user gave; ``resolve_group(name_or_id)`` returns a group ID."""
    atoms = {}
    for rule in rules or []:
        proto = rule["proto"]
        if proto in ("tcp", "udp"):
            ranges = [parse_port_range(p) for p in rule["ports"]]
        elif proto == "icmp":
            icmp_type = -1 if rule.get("icmp_type") is None else rule["icmp_type"]
            icmp_code = -1 if rule.get("icmp_code") is None else rule["icmp_code"]
            ranges = [(icmp_type, icmp_code)]
        else:
            ranges = [(None, None)]
        targets = [("cidr", _strict_network(c, 4)) for c in rule.get("cidr_ip") or []]
        targets += [("cidr6", _strict_network(c, 6)) for c in rule.get("cidr_ipv6") or []]
        targets += [("group", resolve_group(g)) for g in rule.get("group") or []]
        targets += [("prefix", p) for p in rule.get("prefix_list_id") or []]
        for start, end in ranges:
            for kind, target in targets:
                atoms[(proto, start, end, kind, target)] = rule.get("description")
    return atoms


def permission_atoms(permissions):
    """{atom: description} for the IpPermissions (or IpPermissionsEgress) EC2 describes."""
    atoms = {}
    for perm in permissions or []:
        proto = PROTOCOL_NAMES.get(str(perm.get("IpProtocol")), str(perm.get("IpProtocol")))
        if proto == "all":
            start = end = None
        else:
            start, end = perm.get("FromPort"), perm.get("ToPort")
        for item in perm.get("IpRanges") or []:
            atoms[(proto, start, end, "cidr", item["CidrIp"])] = item.get("Description")
        for item in perm.get("Ipv6Ranges") or []:
            atoms[(proto, start, end, "cidr6", item["CidrIpv6"])] = item.get("Description")
        for item in perm.get("UserIdGroupPairs") or []:
            atoms[(proto, start, end, "group", item["GroupId"])] = item.get("Description")
        for item in perm.get("PrefixListIds") or []:
            atoms[(proto, start, end, "prefix", item["PrefixListId"])] = item.get("Description")
    return atoms


def atom_permission(atom, description=None):
    """One IpPermissions item for an atom."""
    proto, start, end, kind, target = atom
    perm = {"IpProtocol": "-1" if proto == "all" else proto}
    if proto != "all":
        perm["FromPort"] = start
        perm["ToPort"] = end
    entry = {
        "cidr": ("IpRanges", "CidrIp"),
        "cidr6": ("Ipv6Ranges", "CidrIpv6"),
        "group": ("UserIdGroupPairs", "GroupId"),
        "prefix": ("PrefixListIds", "PrefixListId"),
    }
    list_key, item_key = entry[kind]
    item = {item_key: target}
    if description:
        item["Description"] = description
    perm[list_key] = [item]
    return perm


def atom_text(atom, group_names=None):
    """A readable form of a rule atom, for diffs: 'tcp 443 sg-0123 (web)'."""
    proto, start, end, _kind, target = atom
    if proto == "all":
        ports = "all"
    elif proto == "icmp":
        ports = f"icmp {start}/{end}"
    else:
        ports = f"{proto} {start}" if start == end else f"{proto} {start}-{end}"
    name = (group_names or {}).get(target)
    return f"{ports} {target}" + (f" ({name})" if name else "")


def atoms_view(atoms, group_names=None):
    return sorted(atom_text(a, group_names) + (f" # {d}" if d else "") for a, d in atoms.items())


# ---------------------------------------------------------------- route tables


def route_target_key(target):
    """The CreateRoute parameter for a target ID, or None when the prefix is unknown."""
    for prefix, key in ROUTE_TARGETS:
        if target.startswith(prefix):
            return key
    return None


def route_destination_key(destination):
    """('DestinationCidrBlock' | 'DestinationIpv6CidrBlock' | 'DestinationPrefixListId', canonical value). Raises ValueError."""
    if PREFIX_LIST_ID.match(destination):
        return "DestinationPrefixListId", destination
    network = ipaddress.ip_network(destination, strict=True)
    return ("DestinationCidrBlock" if network.version == 4 else "DestinationIpv6CidrBlock"), str(network)


def route_destination(route):
    for key in ("DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId"):
        if route.get(key):
            return route[key]
    return None


def route_target(route):
    for key in ROUTE_TARGET_KEYS:
        if route.get(key):
            return route[key]
    return None


def is_managed_route(route):
    """Routes this collection manages: not the local route, not propagated, not added by a gateway VPC endpoint."""
    if route.get("GatewayId") == "local" or route.get("Origin") not in (None, "CreateRoute"):
        return False
    return not (route.get("DestinationPrefixListId") and str(route.get("GatewayId", "")).startswith("vpce-"))


# ---------------------------------------------------------------- policies


def normalized_policy(policy):
    """A policy document (JSON string or dict) as a canonical JSON string, or None."""
    if policy is None or policy == "":
        return None
    if isinstance(policy, str):
        policy = json.loads(policy)
    return json.dumps(_sorted_policy(policy), sort_keys=True)


def _sorted_policy(value):
    if isinstance(value, dict):
        return {k: _sorted_policy(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_policy(v) for v in value]
        if len(items) == 1 and not isinstance(items[0], (dict, list)):
            return items[0]  # "Action": ["s3:GetObject"] is "Action": "s3:GetObject"
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value
