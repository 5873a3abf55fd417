#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vpc_subnets
short_description: Manage the subnets of one VPC in one call
version_added: 0.1.0
description:
  - Creates or updates the IPv4 subnets of one VPC listed in O(subnets), each identified by its CIDR,
    with its availability zone, whether instances get a public IP and its tags, in one task.
  - Reads the VPC once (C(DescribeVpcs), for its CIDRs) and its subnets once (one C(DescribeSubnets));
    creates the missing subnets, fixes C(MapPublicIpOnLaunch) and tags where they differ, and reads
    the listed subnets back once if anything changed.
  - Never sleeps. A created subnet that EC2 reports as C(pending) is waited for with the EC2
    C(subnet_available) waiter, only when O(wait) is set or its attributes must be changed.
  - With O(purge_subnets), the VPC's subnets that are not listed are deleted, but never one that still
    has network interfaces (instances, load balancers, endpoints, NAT gateways); the module then fails,
    naming them, before any change.
  - Every CIDR is checked before any change, naming the option, against the others (no overlaps) and,
    after reading the VPC, against the VPC's CIDRs.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  vpc_id:
    description: ID of the VPC.
    type: str
    required: true
  subnets:
    description: The subnets.
    type: list
    elements: dict
    required: true
    suboptions:
      cidr:
        description: IPv4 CIDR of the subnet (a network address, C(/16) to C(/28)), inside one of the VPC's CIDRs.
        type: str
        required: true
      az:
        description:
          - Availability zone (C(us-east-1a)). Omit to let EC2 choose when the subnet is created.
          - A subnet cannot move to another zone; a subnet in another zone fails the task before any change.
        type: str
      map_public_ip_on_launch:
        description: Whether instances launched in the subnet get a public IPv4 address.
        type: bool
        default: false
      tags:
        description: Tags of this subnet, added to O(tags) (they win over O(tags) on the same key).
        type: dict
  tags:
    description:
      - Tags of every listed subnet.
      - With neither O(tags) nor a subnet's own tags, the tags of an existing subnet are left alone.
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description: Remove the tags of a subnet that are not in O(tags) or its own tags.
    type: bool
    default: true
  purge_subnets:
    description:
      - Delete the VPC's subnets whose CIDR is not listed.
      - A subnet that still has network interfaces is never deleted; the module fails before any change instead.
    type: bool
    default: false
  wait:
    description:
      - Wait until created subnets are C(available). The wait happens only when EC2 reports a new subnet
        as C(pending); it is also done, whatever this option, before changing a new subnet's attributes.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for new subnets.
    type: int
    default: 300
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - IPv4 only.
seealso:
  - module: amazon.aws.ec2_vpc_subnet
  - module: amazon.aws.ec2_vpc_subnet_info
"""

EXAMPLES = r"""
- name: Three tiers in two zones, no public IPs on instances
  healthplatform.aws.vpc_subnets:
    vpc_id: "{{ vpc_id }}"
    tags:
      Environment: prod
    subnets:
      - cidr: 10.40.0.0/24
        az: us-east-1a
        tags: {Name: prod-public-us-east-1a, Tier: public}
      - cidr: 10.40.1.0/24
        az: us-east-1b
        tags: {Name: prod-public-us-east-1b, Tier: public}
      - cidr: 10.40.10.0/24
        az: us-east-1a
        tags: {Name: prod-app-us-east-1a, Tier: app}
      - cidr: 10.40.11.0/24
        az: us-east-1b
        tags: {Name: prod-app-us-east-1b, Tier: app}
  register: subnets

- name: The app subnet IDs
  ansible.builtin.debug:
    msg: "{{ subnets.subnets | selectattr('tags.Tier', 'eq', 'app') | map(attribute='subnet_id') }}"
"""

RETURN = r"""
subnets:
  description:
    - The listed subnets, in the order of O(subnets), as EC2 describes them after the run.
      In check mode, what they would be (with an empty C(subnet_id) before creation).
  returned: always
  type: list
  elements: dict
  contains:
    subnet_id:
      description: ID of the subnet (empty in check mode before creation).
      type: str
      sample: subnet-0123456789abcdef0
    cidr_block:
      description: The CIDR.
      type: str
      sample: 10.40.0.0/24
    availability_zone:
      description: The zone.
      type: str
      sample: us-east-1a
    map_public_ip_on_launch:
      description: Whether instances get a public IPv4 address.
      type: bool
      sample: false
    state:
      description: C(pending) or C(available).
      type: str
      sample: available
    tags:
      description: Tags of the subnet.
      type: dict
      sample: {"Name": "prod-public-us-east-1a", "Tier": "public"}
subnet_ids:
  description: The IDs of the listed subnets, in the order of O(subnets) (empty strings in check mode before creation).
  returned: always
  type: list
  elements: str
  sample: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
deleted:
  description: IDs of the subnets O(purge_subnets) deleted (or would delete in check mode).
  returned: always
  type: list
  elements: str
  sample: []
"""

import ipaddress
import math

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import ec2_update_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.network import item_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.network import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.network import tags_of
from ansible_collections.healthplatform.aws.plugins.module_utils.network import vpc_id_errors

WAIT_DELAY = 2


def validate(module):
    """Check every option that needs no API call, naming it; returns the parsed networks."""
    p = module.params
    errors = vpc_id_errors(p["vpc_id"])
    if p["wait_timeout"] < 1:
        errors.append(f"wait_timeout must be at least 1 second, got {p['wait_timeout']}")
    networks = []
    for index, subnet in enumerate(p["subnets"]):
        option = f"subnets[{index}]"
        try:
            network = ipaddress.IPv4Network(subnet["cidr"], strict=True)
        except ValueError as e:
            errors.append(f"{option}.cidr {subnet['cidr']!r} is not an IPv4 network address in CIDR form: {e}")
            networks.append(None)
            continue
        if not 16 <= network.prefixlen <= 28:
            errors.append(f"{option}.cidr {network} must be a /16 to /28 (EC2's subnet sizes)")
        for other, earlier in enumerate(networks):
            if earlier is not None and network.overlaps(earlier):
                errors.append(f"{option}.cidr {network} overlaps subnets[{other}].cidr {earlier}")
        networks.append(network)
        if subnet["az"] is not None and not subnet["az"].strip():
            errors.append(f"{option}.az must not be empty (omit it to let EC2 choose)")
    if errors:
        module.fail_json(msg="; ".join(errors))
    return networks


def vpc_networks(client, vpc_id):
    vpc = client.describe_vpcs(VpcIds=[vpc_id], aws_retry=True)["Vpcs"][0]
    blocks = [a["CidrBlock"] for a in vpc.get("CidrBlockAssociationSet") or [] if a.get("CidrBlockState", {}).get("State", "associated") == "associated"]
    return [ipaddress.IPv4Network(b) for b in blocks or [vpc["CidrBlock"]]]


def check_against_vpc(module, networks, vpc_cidrs, current):
    """CIDRs inside the VPC, existing subnets in their zone: fail before any change, naming the option."""
    errors = []
    for index, (network, subnet) in enumerate(zip(networks, module.params["subnets"])):
        if not any(network.subnet_of(block) for block in vpc_cidrs):
            errors.append(f"subnets[{index}].cidr {network} is outside the VPC's CIDRs ({', '.join(map(str, vpc_cidrs))})")
        existing = current.get(str(network))
        if existing and subnet["az"] and existing["AvailabilityZone"] != subnet["az"]:
            errors.append(
                f"subnets[{index}].az: {existing['SubnetId']} ({network}) is in {existing['AvailabilityZone']}, not {subnet['az']}; "
                "a subnet cannot change zone (delete it first)"
            )
    if errors:
        module.fail_json(msg="; ".join(errors))


def check_purge(module, client, doomed):
    """Refuse, before any change, to delete subnets that still have network interfaces."""
    if not doomed:
        return
    filters = [{"Name": "subnet-id", "Values": [s["SubnetId"] for s in doomed]}]
    interfaces = paginate(client, "describe_network_interfaces", "NetworkInterfaces", Filters=filters)
    used = {}
    for interface in interfaces:
        used.setdefault(interface["SubnetId"], []).append(interface["NetworkInterfaceId"])
    if used:
        detail = "; ".join(f"{s} ({', '.join(sorted(e))})" for s, e in sorted(used.items()))
        module.fail_json(msg=f"purge_subnets: will not delete subnets that still have network interfaces: {detail}. Remove what uses them or list the subnets.")


def planned(params, cidr, subnet, existing, tags):
    after = dict(existing or {"SubnetId": "", "VpcId": params["vpc_id"], "CidrBlock": cidr, "State": "pending"})
    if subnet["az"]:
        after["AvailabilityZone"] = subnet["az"]
    after["MapPublicIpOnLaunch"] = subnet["map_public_ip_on_launch"]
    after["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
    return after


def view(subnet):
    if not subnet:
        return {}
    return {
        "subnet_id": subnet.get("SubnetId", ""),
        "availability_zone": subnet.get("AvailabilityZone", ""),
        "map_public_ip_on_launch": subnet.get("MapPublicIpOnLaunch", False),
        "tags": tags_of(subnet),
    }


def create(client, params, cidr, subnet, tags):
    request = {"VpcId": params["vpc_id"], "CidrBlock": cidr, "aws_retry": True}
    if subnet["az"]:
        request["AvailabilityZone"] = subnet["az"]
    if tags:
        request["TagSpecifications"] = boto3_tag_specifications(tags, types="subnet")
    return client.create_subnet(**request)["Subnet"]


def wait_available(client, subnet_ids, timeout):
    client.get_waiter("subnet_available").wait(SubnetIds=subnet_ids, WaiterConfig={"Delay": WAIT_DELAY, "MaxAttempts": max(1, math.ceil(timeout / WAIT_DELAY))})


def set_public_ip(client, subnet_id, value):
    client.modify_subnet_attribute(SubnetId=subnet_id, MapPublicIpOnLaunch={"Value": value}, aws_retry=True)


def run(module, client, networks):
    """Returns (changed, [subnet after], deleted IDs, diff before, diff after)."""
    p = module.params
    check = module.check_mode
    vpc_cidrs = vpc_networks(client, p["vpc_id"])
    current = {s["CidrBlock"]: s for s in paginate(client, "describe_subnets", "Subnets", Filters=[{"Name": "vpc-id", "Values": [p["vpc_id"]]}])}
    check_against_vpc(module, networks, vpc_cidrs, current)
    listed = {str(n) for n in networks}
    doomed = [s for cidr, s in sorted(current.items()) if cidr not in listed] if p["purge_subnets"] else []
    check_purge(module, client, doomed)

    changed_any, before, after, results = False, {}, {}, []
    created, pending, public = [], [], []
    for network, subnet in zip(networks, p["subnets"]):
        cidr = str(network)
        existing = current.get(cidr)
        wanted_tags = item_tags(p["tags"], subnet["tags"])
        tags = merged_tags(tags_of(existing), wanted_tags, p["purge_tags"]) if existing else dict(wanted_tags or {})
        result = planned(p, cidr, subnet, existing, tags)
        if existing is None:
            changed = True
            if not check:
                result = create(client, p, cidr, subnet, tags)
                created.append(result["SubnetId"])
                if result.get("State") == "pending":
                    pending.append(result["SubnetId"])
                if subnet["map_public_ip_on_launch"] and not result.get("MapPublicIpOnLaunch"):
                    public.append(result["SubnetId"])
        else:
            changed = existing.get("MapPublicIpOnLaunch", False) != subnet["map_public_ip_on_launch"]
            if changed and not check:
                set_public_ip(client, existing["SubnetId"], subnet["map_public_ip_on_launch"])
            changed = ec2_update_tags(client, existing["SubnetId"], tags_of(existing), wanted_tags, p["purge_tags"], check) or changed
        if changed:
            changed_any = True
            before[cidr] = view(existing)
            after[cidr] = view(result)
        results.append(result)

    if pending and (p["wait"] or public):
        wait_available(client, pending, p["wait_timeout"])
    for subnet_id in public:
        set_public_ip(client, subnet_id, True)

    deleted = []
    for subnet in doomed:
        if not check:
            client.delete_subnet(SubnetId=subnet["SubnetId"], aws_retry=True)
        deleted.append(subnet["SubnetId"])
        before[subnet["CidrBlock"]] = view(subnet)
        changed_any = True

    ids = [s["SubnetId"] for s in results if s.get("SubnetId")]
    if changed_any and not check and ids:
        fresh = {s["SubnetId"]: s for s in client.describe_subnets(SubnetIds=ids, aws_retry=True)["Subnets"]}
        results = [fresh.get(s["SubnetId"], s) for s in results]
    return changed_any, results, deleted, before, after


def main():
    argument_spec = dict(
        vpc_id=dict(type="str", required=True),
        subnets=dict(
            type="list",
            elements="dict",
            required=True,
            options=dict(
                cidr=dict(type="str", required=True),
                az=dict(type="str"),
                map_public_ip_on_launch=dict(type="bool", default=False),
                tags=dict(type="dict"),
            ),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        purge_subnets=dict(type="bool", default=False),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    networks = validate(module)

    client = retrying_client(module, "ec2")
    try:
        changed, results, deleted, before, after = run(module, client, networks)
    except botocore.exceptions.WaiterError as e:
        module.fail_json(msg=f"New subnets of {module.params['vpc_id']} did not become available within wait_timeout: {e}")
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the subnets of {module.params['vpc_id']}")

    subnets = [snake_with_tags(s) for s in results]
    module.exit_json(changed=changed, subnets=subnets, subnet_ids=[s.get("subnet_id", "") for s in subnets], deleted=deleted, diff=diff_of(before, after))


if __name__ == "__main__":
    main()
