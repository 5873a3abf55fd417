#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vpc_network_acls
short_description: Manage the network ACLs of one VPC, with their entries and subnet associations, in one call
version_added: 0.1.0
description:
  - Creates or updates the network ACLs of one VPC listed in O(network_acls), each identified by its
    C(Name) tag, with its ingress and egress entries, the subnets associated with it and its tags, in one task.
  - Reads the VPC's network ACLs once (one C(DescribeNetworkAcls)), changes only what differs and reads
    them back once if anything changed.
  - Entries are identified by their rule number within their direction. A missing entry is created
    (C(CreateNetworkAclEntry)), an entry that differs is replaced in place (C(ReplaceNetworkAclEntry)),
    and an entry that is not listed is deleted (C(DeleteNetworkAclEntry)); the default rule C(*)
    (32767, deny) is never touched. New and replaced entries are written before any entry is deleted
    and before subnets are moved to the ACL, so a subnet never sits on a half-written ACL.
  - A listed subnet is moved from whatever ACL it is on (C(ReplaceNetworkAclAssociation)); with
    O(purge_subnets), subnets on the ACL that are not listed go back to the VPC's default ACL, unless
    another listed ACL takes them.
  - With O(purge_network_acls), the VPC's other network ACLs (never the default one) are deleted,
    after their subnets went back to the default ACL.
  - Replaces M(amazon.aws.ec2_vpc_nacl), one ACL per task, and accepts its entry format.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  vpc_id:
    description: ID of the VPC.
    type: str
    required: true
  network_acls:
    description: The network ACLs.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Value of the ACL's C(Name) tag, which identifies it within the VPC.
        type: str
        required: true
      subnets:
        description:
          - IDs of the subnets associated with the ACL. Omit to leave the ACL's associations alone.
          - A subnet may be listed for one ACL only.
        type: list
        elements: str
      ingress:
        description:
          - The entries for incoming traffic; omit to leave them alone, C([]) leaves only the default deny.
          - 'Each entry is either a dict with the keys C(rule_number) (1-32766), C(protocol) (C(tcp), C(udp),
            C(icmp), C(ipv6-icmp), C(all) or an IP protocol number), C(action) (C(allow) or C(deny)), C(cidr)
            (IPv4 or IPv6), C(port_from) and C(port_to) (C(tcp) and C(udp) only; C(port_to) defaults to
            C(port_from)), C(icmp_type) and C(icmp_code) (C(icmp) and C(ipv6-icmp) only, -1 for all);'
          - or, as for M(amazon.aws.ec2_vpc_nacl), a list
            C([rule_number, protocol, action, cidr, icmp_type, icmp_code, port_from, port_to]) where the
            items that do not apply are C(null) (or left out at the end).
          - Each rule number once per direction.
        type: list
        elements: raw
      egress:
        description: The entries for outgoing traffic, as O(network_acls[].ingress).
        type: list
        elements: raw
      tags:
        description: Tags of this ACL, added to O(tags) (they win over O(tags) on the same key).
        type: dict
  tags:
    description:
      - Tags of every listed ACL. The C(Name) tag is always the ACL's name.
      - With neither O(tags) nor an ACL's own tags, the tags of an existing ACL are left alone.
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description: Remove the tags of an ACL that are not in O(tags) or its own tags.
    type: bool
    default: true
  purge_subnets:
    description: Move the subnets of a listed ACL that are not in its subnets back to the VPC's default ACL.
    type: bool
    default: true
  purge_network_acls:
    description:
      - Delete the VPC's network ACLs that are not listed; their subnets go back to the default ACL first.
        The default ACL is never deleted.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Creates are sent with a client token, so a retried request never creates two ACLs.
seealso:
  - module: amazon.aws.ec2_vpc_nacl
  - module: amazon.aws.ec2_vpc_nacl_info
"""

EXAMPLES = r"""
- name: One ACL per tier
  healthplatform.aws.vpc_network_acls:
    vpc_id: "{{ vpc_id }}"
    tags:
      Environment: prod
    network_acls:
      - name: prod-public
        subnets: "{{ public_subnet_ids }}"
        ingress:
          - {rule_number: 100, protocol: tcp, action: allow, cidr: 0.0.0.0/0, port_from: 443}
          - {rule_number: 200, protocol: tcp, action: allow, cidr: 0.0.0.0/0, port_from: 1024, port_to: 65535}
        egress:
          - {rule_number: 100, protocol: tcp, action: allow, cidr: 10.40.10.0/24, port_from: 443}
          - {rule_number: 200, protocol: tcp, action: allow, cidr: 0.0.0.0/0, port_from: 1024, port_to: 65535}
        tags: {Tier: public}
      - name: prod-data
        subnets: "{{ data_subnet_ids }}"
        # the amazon.aws.ec2_vpc_nacl format
        ingress:
          - [100, tcp, allow, 10.40.10.0/24, null, null, 5432, 5432]
        egress:
          - [100, tcp, allow, 10.40.10.0/24, null, null, 1024, 65535]
        tags: {Tier: data}
  register: nacls
"""

RETURN = r"""
network_acls:
  description:
    - The listed network ACLs, in the order of O(network_acls), as EC2 describes them after the run.
      In check mode, what they would be (with an empty C(network_acl_id) before creation).
  returned: always
  type: list
  elements: dict
  contains:
    network_acl_id:
      description: ID of the ACL (empty in check mode before creation).
      type: str
      sample: acl-0123456789abcdef0
    vpc_id:
      description: The VPC.
      type: str
      sample: vpc-0123456789abcdef0
    entries:
      description: Entries as EC2 describes them (C(protocol) is a protocol number, C(-1) for all).
      type: list
      elements: dict
      sample: [{"rule_number": 100, "protocol": "6", "rule_action": "allow", "egress": false,
                "cidr_block": "0.0.0.0/0", "port_range": {"from": 443, "to": 443}}]
    associations:
      description: Subnet associations.
      type: list
      elements: dict
    tags:
      description: Tags of the ACL.
      type: dict
      sample: {"Name": "prod-public", "Tier": "public"}
network_acl_ids:
  description: Name of each listed ACL to its ID (empty in check mode before creation).
  returned: always
  type: dict
  sample: {"prod-public": "acl-0123456789abcdef0"}
deleted:
  description: IDs of the ACLs O(purge_network_acls) deleted (or would delete in check mode).
  returned: always
  type: list
  elements: str
  sample: []
"""

import ipaddress

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import ec2_update_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.network import item_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.network import named_resource
from ansible_collections.healthplatform.aws.plugins.module_utils.network import named_set_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.network import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.network import tags_of
from ansible_collections.healthplatform.aws.plugins.module_utils.network import vpc_id_errors

PROTOCOLS = {"all": "-1", "tcp": "6", "udp": "17", "icmp": "1", "ipv6-icmp": "58"}
PROTOCOL_NAMES = {number: name for name, number in PROTOCOLS.items()}
PORT_PROTOCOLS = ("6", "17")
ICMP_PROTOCOLS = ("1", "58")
ENTRY_KEYS = ("rule_number", "protocol", "action", "cidr", "icmp_type", "icmp_code", "port_from", "port_to")
DEFAULT_RULE = 32767
DIRECTIONS = (("ingress", False), ("egress", True))


# ---------------------------------------------------------------- entries


def _integer(value, low, high, what):
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a whole number, got {value!r}")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"{what} must be a whole number, got {value!r}") from None
    if not low <= number <= high:
        raise ValueError(f"{what} must be within {low}-{high}, got {number}")
    return number


def _protocol(value):
    text = str(value).strip().lower()
    if text in PROTOCOLS:
        return PROTOCOLS[text]
    if text == "-1":
        return "-1"
    return str(_integer(text, 0, 255, "protocol (tcp, udp, icmp, ipv6-icmp, all or a protocol number)"))


def entry_fields(entry):
    """An entry in either format as a dict of ENTRY_KEYS. Raises ValueError."""
    if isinstance(entry, dict):
        unknown = sorted(set(entry) - set(ENTRY_KEYS))
        if unknown:
            raise ValueError(f"unknown keys {', '.join(unknown)} (known: {', '.join(ENTRY_KEYS)})")
        return {key: entry.get(key) for key in ENTRY_KEYS}
    if isinstance(entry, (list, tuple)):
        if not 4 <= len(entry) <= len(ENTRY_KEYS):
            raise ValueError("a list entry is [rule_number, protocol, action, cidr, icmp_type, icmp_code, port_from, port_to]")
        return dict(zip(ENTRY_KEYS, list(entry) + [None] * (len(ENTRY_KEYS) - len(entry))))
    raise ValueError(f"must be a dict or a list, got {entry!r}")


def parse_entry(entry, egress):
    """An entry as EC2's API takes and describes it (RuleNumber, Protocol, ...). Raises ValueError naming the field."""
    fields = entry_fields(entry)
    for key in ("rule_number", "protocol", "action", "cidr"):
        if fields[key] is None or fields[key] == "":
            raise ValueError(f"{key} is required")
    result = {"RuleNumber": _integer(fields["rule_number"], 1, DEFAULT_RULE - 1, "rule_number"), "Egress": egress}
    try:
        result["Protocol"] = _protocol(fields["protocol"])
    except ValueError as e:
        raise ValueError(f"protocol: {e}") from None
    action = str(fields["action"]).lower()
    if action not in ("allow", "deny"):
        raise ValueError(f"action must be allow or deny, got {fields['action']!r}")
    result["RuleAction"] = action
    try:
        network = ipaddress.ip_network(str(fields["cidr"]).strip(), strict=True)
    except ValueError as e:
        raise ValueError(f"cidr {fields['cidr']!r} is not a network address in CIDR form: {e}") from None
    result["CidrBlock" if network.version == 4 else "Ipv6CidrBlock"] = str(network)

    ports = (fields["port_from"], fields["port_to"])
    icmp = (fields["icmp_type"], fields["icmp_code"])
    if result["Protocol"] in PORT_PROTOCOLS:
        if ports[0] is None:
            raise ValueError(f"port_from is required for protocol {fields['protocol']}")
        low = _integer(ports[0], 0, 65535, "port_from")
        high = low if ports[1] is None else _integer(ports[1], 0, 65535, "port_to")
        if low > high:
            raise ValueError(f"port range {low}-{high} is reversed (port_from must not exceed port_to)")
        result["PortRange"] = {"From": low, "To": high}
    elif any(p is not None for p in ports):
        raise ValueError("port_from and port_to apply to protocols tcp and udp only")
    if result["Protocol"] in ICMP_PROTOCOLS:
        result["IcmpTypeCode"] = {
            "Type": -1 if icmp[0] is None else _integer(icmp[0], -1, 255, "icmp_type"),
            "Code": -1 if icmp[1] is None else _integer(icmp[1], -1, 255, "icmp_code"),
        }
    elif any(i is not None for i in icmp):
        raise ValueError("icmp_type and icmp_code apply to protocols icmp and ipv6-icmp only")
    return result


def same_entry(wanted, current):
    """Whether an entry EC2 describes is the one wanted (moto leaves IcmpTypeCode out: then it is not compared)."""
    keys = ["Protocol", "RuleAction", "CidrBlock", "Ipv6CidrBlock", "PortRange"]
    if current.get("IcmpTypeCode") is not None:
        keys.append("IcmpTypeCode")
    if current.get("Protocol") not in PORT_PROTOCOLS:
        keys.remove("PortRange")  # EC2 may describe a port range it ignores
    return all(wanted.get(k) == current.get(k) for k in keys)


def entry_text(entry):
    """'100 allow tcp 443 0.0.0.0/0' for diffs."""
    protocol = PROTOCOL_NAMES.get(entry["Protocol"], entry["Protocol"])
    what = protocol
    if entry.get("PortRange") and entry["Protocol"] in PORT_PROTOCOLS:
        low, high = entry["PortRange"]["From"], entry["PortRange"]["To"]
        what += f" {low}" if low == high else f" {low}-{high}"
    if entry.get("IcmpTypeCode"):
        what += f" {entry['IcmpTypeCode'].get('Type')}/{entry['IcmpTypeCode'].get('Code')}"
    return f"{entry['RuleNumber']} {entry['RuleAction']} {what} {entry.get('CidrBlock') or entry.get('Ipv6CidrBlock')}"


def managed_entries(acl, egress):
    return {e["RuleNumber"]: e for e in (acl or {}).get("Entries", []) if e["Egress"] is egress and e["RuleNumber"] != DEFAULT_RULE}


def plan_entries(acl, wanted, egress):
    """{'create': [entry], 'replace': [entry], 'delete': [rule number]} for one direction (None: leave it alone)."""
    plan = {"create": [], "replace": [], "delete": []}
    if wanted is None:
        return plan
    current = managed_entries(acl, egress)
    for entry in wanted:
        existing = current.get(entry["RuleNumber"])
        if existing is None:
            plan["create"].append(entry)
        elif not same_entry(entry, existing):
            plan["replace"].append(entry)
    numbers = {e["RuleNumber"] for e in wanted}
    plan["delete"] = sorted(n for n in current if n not in numbers)
    return plan


# ---------------------------------------------------------------- validation


def validate(module):
    """Check every option, naming it, before any API call; returns {index: {'ingress': [...], 'egress': [...]}}."""
    p = module.params
    errors = vpc_id_errors(p["vpc_id"]) + named_set_errors(p["network_acls"], "network_acls", "network ACL")
    parsed = []
    for index, acl in enumerate(p["network_acls"]):
        option = f"network_acls[{index}]"
        entries = {}
        for direction, egress in DIRECTIONS:
            if acl[direction] is None:
                entries[direction] = None
                continue
            entries[direction], seen = [], {}
            for number, raw in enumerate(acl[direction]):
                try:
                    entry = parse_entry(raw, egress)
                except ValueError as e:
                    errors.append(f"{option}.{direction}[{number}]: {e}")
                    continue
                if entry["RuleNumber"] in seen:
                    errors.append(f"{option}.{direction}[{number}]: rule_number {entry['RuleNumber']} is also {direction}[{seen[entry['RuleNumber']]}]")
                seen.setdefault(entry["RuleNumber"], number)
                entries[direction].append(entry)
        parsed.append(entries)
    if errors:
        module.fail_json(msg="; ".join(errors))
    return parsed


# ---------------------------------------------------------------- reads


def describe_acls(client, vpc_id):
    return paginate(client, "describe_network_acls", "NetworkAcls", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])


def named_acl(module, acls, name):
    try:
        return named_resource(acls, name, "NetworkAclId", "network ACL", module.params["vpc_id"])
    except ValueError as e:
        module.fail_json(msg=str(e))


def subnets_of(acl):
    """{subnet ID: association ID} of an ACL."""
    return {a["SubnetId"]: a.get("NetworkAclAssociationId") for a in (acl or {}).get("Associations", []) if a.get("SubnetId")}


# ---------------------------------------------------------------- planning


def plan_acl(module, acl, wanted, entries, where, keep):
    """Everything to do for one listed ACL. ``where``: {subnet: association} of the whole VPC."""
    p = module.params
    plan = {"entries": {d: plan_entries(acl, entries[d], egress) for d, egress in DIRECTIONS}, "move": {}, "release": {}}
    if wanted["subnets"] is not None:
        mine = subnets_of(acl)
        plan["move"] = {s: where[s] for s in wanted["subnets"] if s not in mine}
        if p["purge_subnets"]:
            plan["release"] = {s: a for s, a in mine.items() if s not in wanted["subnets"] and s not in keep}
    tags = item_tags(p["tags"], wanted["tags"])
    if tags is not None:
        tags["Name"] = wanted["name"]
    plan["tags"] = tags
    plan["tags_after"] = merged_tags(tags_of(acl), tags, p["purge_tags"]) if acl else dict(tags or {}, Name=wanted["name"])
    plan["changed"] = (
        acl is None or any(any(e.values()) for e in plan["entries"].values()) or bool(plan["move"] or plan["release"]) or plan["tags_after"] != tags_of(acl)
    )
    return plan


def planned(module, acl, plan):
    """The ACL as it would be after ``plan`` (check mode, and the result when nothing changed)."""
    after = dict(acl or {"NetworkAclId": "", "VpcId": module.params["vpc_id"], "IsDefault": False, "Entries": [], "Associations": []})
    entries = list(after["Entries"])
    for direction, egress in DIRECTIONS:
        changes = plan["entries"][direction]
        gone = set(changes["delete"]) | {e["RuleNumber"] for e in changes["replace"]}
        entries = [e for e in entries if e["Egress"] is not egress or e["RuleNumber"] not in gone]
        entries += changes["create"] + changes["replace"]
    after["Entries"] = sorted(entries, key=lambda e: (e["Egress"], e["RuleNumber"]))
    associations = [a for a in after["Associations"] if a.get("SubnetId") not in plan["release"]]
    after["Associations"] = associations + [{"SubnetId": s, "NetworkAclId": after["NetworkAclId"]} for s in plan["move"]]
    after["Tags"] = [{"Key": k, "Value": v} for k, v in plan["tags_after"].items()]
    return after


def view(acl):
    if not acl:
        return {}
    return {
        "ingress": [entry_text(e) for e in sorted(managed_entries(acl, False).values(), key=lambda e: e["RuleNumber"])],
        "egress": [entry_text(e) for e in sorted(managed_entries(acl, True).values(), key=lambda e: e["RuleNumber"])],
        "subnets": sorted(subnets_of(acl)),
        "tags": tags_of(acl),
    }


# ---------------------------------------------------------------- changes


def entry_request(acl_id, entry):
    """CreateNetworkAclEntry / ReplaceNetworkAclEntry parameters (parse_entry() builds entries in the API's shape)."""
    return dict(entry, NetworkAclId=acl_id)


def apply_acl(client, module, acl, plan, default_id):
    """Carry out ``plan``: create the ACL, write entries, delete entries, move subnets, tags. Returns the ACL ID."""
    if acl is None:
        response = client.create_network_acl(
            VpcId=module.params["vpc_id"],
            ClientToken=idempotency_token(),
            TagSpecifications=boto3_tag_specifications(plan["tags_after"], types="network-acl"),
            aws_retry=True,
        )
        acl_id = response["NetworkAcl"]["NetworkAclId"]
    else:
        acl_id = acl["NetworkAclId"]
        ec2_update_tags(client, acl_id, tags_of(acl), plan["tags"], module.params["purge_tags"], False)
    for direction, _egress in DIRECTIONS:
        for entry in plan["entries"][direction]["create"]:
            client.create_network_acl_entry(aws_retry=True, **entry_request(acl_id, entry))
        for entry in plan["entries"][direction]["replace"]:
            client.replace_network_acl_entry(aws_retry=True, **entry_request(acl_id, entry))
    for direction, egress in DIRECTIONS:
        for number in plan["entries"][direction]["delete"]:
            client.delete_network_acl_entry(NetworkAclId=acl_id, RuleNumber=number, Egress=egress, aws_retry=True)
    for association_id in plan["move"].values():
        client.replace_network_acl_association(AssociationId=association_id, NetworkAclId=acl_id, aws_retry=True)
    for association_id in plan["release"].values():
        client.replace_network_acl_association(AssociationId=association_id, NetworkAclId=default_id, aws_retry=True)
    return acl_id


def run(module, client, entries):
    """Returns (changed, [ACL after], deleted IDs, diff before, diff after)."""
    p = module.params
    check = module.check_mode
    acls = describe_acls(client, p["vpc_id"])
    default = next((a for a in acls if a.get("IsDefault")), None)
    if default is None:
        module.fail_json(msg=f"vpc_id: {p['vpc_id']} has no default network ACL (is it a VPC of this account and region?)")
    where = {s: a for acl in acls for s, a in subnets_of(acl).items()}
    keep = {s for wanted in p["network_acls"] for s in wanted["subnets"] or []}
    unknown = [
        f"network_acls[{index}].subnets: {subnet} is not a subnet of {p['vpc_id']}"
        for index, wanted in enumerate(p["network_acls"])
        for subnet in wanted["subnets"] or []
        if subnet not in where
    ]
    if unknown:
        module.fail_json(msg="; ".join(unknown))

    existing = [named_acl(module, acls, wanted["name"]) for wanted in p["network_acls"]]
    plans = [plan_acl(module, acl, wanted, parsed, where, keep) for acl, wanted, parsed in zip(existing, p["network_acls"], entries)]
    listed = {acl["NetworkAclId"] for acl in existing if acl}
    doomed = [a for a in acls if p["purge_network_acls"] and not a.get("IsDefault") and a["NetworkAclId"] not in listed]

    before, after, results = {}, {}, []
    for acl, wanted, plan in zip(existing, p["network_acls"], plans):
        result = planned(module, acl, plan)
        if plan["changed"]:
            before[wanted["name"]] = view(acl)
            after[wanted["name"]] = view(result)
            if not check:
                result["NetworkAclId"] = apply_acl(client, module, acl, plan, default["NetworkAclId"])
        results.append(result)
    for acl in doomed:
        before[tags_of(acl).get("Name") or acl["NetworkAclId"]] = view(acl)
        if not check:
            for subnet, association_id in subnets_of(acl).items():
                if subnet not in keep:
                    client.replace_network_acl_association(AssociationId=association_id, NetworkAclId=default["NetworkAclId"], aws_retry=True)
            client.delete_network_acl(NetworkAclId=acl["NetworkAclId"], aws_retry=True)

    changed = any(plan["changed"] for plan in plans) or bool(doomed)
    if changed and not check:
        fresh = {a["NetworkAclId"]: a for a in describe_acls(client, p["vpc_id"])}
        results = [fresh.get(r["NetworkAclId"], r) for r in results]
    return changed, results, [a["NetworkAclId"] for a in doomed], before, after


def main():
    argument_spec = dict(
        vpc_id=dict(type="str", required=True),
        network_acls=dict(
            type="list",
            elements="dict",
            required=True,
            options=dict(
                name=dict(type="str", required=True),
                subnets=dict(type="list", elements="str"),
                ingress=dict(type="list", elements="raw"),
                egress=dict(type="list", elements="raw"),
                tags=dict(type="dict"),
            ),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        purge_subnets=dict(type="bool", default=True),
        purge_network_acls=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    entries = validate(module)

    client = retrying_client(module, "ec2")
    try:
        changed, results, deleted, before, after = run(module, client, entries)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the network ACLs of {module.params['vpc_id']}")

    acls = [snake_with_tags(acl) for acl in results]
    module.exit_json(
        changed=changed,
        network_acls=acls,
        network_acl_ids={wanted["name"]: acl.get("network_acl_id", "") for wanted, acl in zip(module.params["network_acls"], acls)},
        deleted=deleted,
        diff=diff_of(before, after),
    )


if __name__ == "__main__":
    main()
