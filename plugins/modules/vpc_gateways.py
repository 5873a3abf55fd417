#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vpc_gateways
short_description: Manage the internet gateway and the NAT gateways of one VPC in one call
version_added: 0.1.0
description:
  - Brings the internet gateway of the VPC O(vpc_id) and its public NAT gateways, one in each subnet
    listed in O(nat_gateways), to the given state in one task.
  - The internet gateway is the one attached to the VPC; when there is none, one is created (with its
    tags) and attached. Its tags are brought to O(tags) and O(internet_gateway_tags).
  - A NAT gateway is identified by its subnet. A public NAT gateway that is C(available) or C(pending)
    in the subnet is used as it is (if there are several, the one with the asked name, then an
    available one, then the oldest; the others are left alone). Otherwise an Elastic IP is allocated
    for it, tagged like the NAT gateway plus the tag C(healthplatform.aws:vpc_gateways) (the subnet ID)
    that marks the addresses the module allocated, and the NAT gateway is created with a client token,
    so a retried request never creates two. An address the module allocated for the subnet that is
    associated with nothing (a run that failed after allocating it) is used instead of allocating another.
  - The tags of each NAT gateway and of its Elastic IP are brought to O(tags), the NAT gateway's own
    tags and its name.
  - Reads the attached internet gateway, the VPC's NAT gateways and the account's VPC Elastic IPs
    once each; the VPC and its subnets are read only when something has to be created (to fail,
    naming the option, before any change when a subnet is not in the VPC).
  - NAT gateways in subnets that are not listed are never touched.
  - Never sleeps. With O(wait), new and pending NAT gateways are waited for with the EC2 waiter
    C(nat_gateway_available).
  - O(state=absent) deletes the NAT gateways in the listed subnets, releases the Elastic IPs the module
    allocated for them (those with the tag C(healthplatform.aws:vpc_gateways) of a listed subnet that are
    associated with one of those NAT gateways or with nothing), and detaches and deletes the internet
    gateway (unless O(internet_gateway=false)). Addresses the module did not allocate are kept, and so are
    the NAT gateways of subnets that are not listed. It refuses, before any change, while a
    route table of the VPC still routes to one of these gateways (remove or replace those routes first,
    for example with M(healthplatform.aws.vpc_route_tables)). It waits (up to O(wait_timeout)) until the
    NAT gateways are deleted before it releases their addresses and detaches the internet gateway,
    since EC2 refuses both while the addresses are in use.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  vpc_id:
    description: ID of the VPC.
    type: str
    required: true
  state:
    description:
      - C(present) creates and tags the gateways; C(absent) removes them (see the description).
    type: str
    choices: [present, absent]
    default: present
  nat_gateways:
    description:
      - One public NAT gateway in each of these subnets (subnets of the VPC, typically one public
        subnet per availability zone).
      - In check mode, an empty O(nat_gateways[].subnet_id) stands for a subnet that is planned but
        not created yet (the result of a check run of M(healthplatform.aws.vpc_subnets)).
    type: list
    elements: dict
    default: []
    suboptions:
      subnet_id:
        description: ID of the subnet; each subnet may be listed once.
        type: str
        required: true
      name:
        description: Value of the C(Name) tag of the NAT gateway and of its Elastic IP (it wins over the tags).
        type: str
      tags:
        description: Tags of this NAT gateway and of its Elastic IP, added to O(tags) (they win over O(tags) on the same key).
        type: dict
  internet_gateway:
    description:
      - Whether the module manages the VPC's internet gateway. With C(false) it neither reads, creates nor
        tags it (O(state=present)) and does not remove it (O(state=absent)), for example to remove one NAT
        gateway only; RV(internet_gateway_id) is then empty.
    type: bool
    default: true
  internet_gateway_tags:
    description: Tags of the internet gateway, added to O(tags) (they win over O(tags) on the same key).
    type: dict
  tags:
    description:
      - Tags of every gateway and Elastic IP.
      - With neither O(tags) nor a gateway's own tags (or name), the tags of an existing gateway and of
        its address are left alone.
      - The key C(healthplatform.aws:vpc_gateways) is reserved.
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description: Remove the tags of a gateway or address that are not asked for (never the tag that marks the addresses the module allocated).
    type: bool
    default: true
  wait:
    description:
      - Wait until new and pending NAT gateways are C(available) (the EC2 waiter C(nat_gateway_available)).
      - O(state=absent) always waits for the deleted NAT gateways when it has addresses to release or an
        internet gateway to detach.
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait.
    type: int
    default: 600
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff). In check mode the IDs of the gateways that would be created are empty strings.
  - Replaces M(amazon.aws.ec2_vpc_igw), a loop of M(amazon.aws.ec2_vpc_nat_gateway) and a loop of M(amazon.aws.ec2_tag).
seealso:
  - module: amazon.aws.ec2_vpc_igw
  - module: amazon.aws.ec2_vpc_nat_gateway
  - module: healthplatform.aws.vpc_route_tables
"""

EXAMPLES = r"""
- name: The internet gateway and one NAT gateway per zone
  healthplatform.aws.vpc_gateways:
    vpc_id: "{{ vpc_id }}"
    tags:
      Environment: prod
    internet_gateway_tags:
      Name: healthplatform-prod
    nat_gateways:
      - subnet_id: "{{ public_subnet_ids[0] }}"
        name: healthplatform-prod-nat-us-east-1a
      - subnet_id: "{{ public_subnet_ids[1] }}"
        name: healthplatform-prod-nat-us-east-1b
  register: gateways

- name: Route the app tier through the NAT gateway of its zone
  healthplatform.aws.vpc_route_tables:
    vpc_id: "{{ vpc_id }}"
    route_tables:
      - name: healthplatform-prod-public
        routes: [{dest: 0.0.0.0/0, target: "{{ gateways.internet_gateway_id }}"}]
      - name: healthplatform-prod-app-us-east-1a
        routes: [{dest: 0.0.0.0/0, target: "{{ gateways.nat_gateways[0].nat_gateway_id }}"}]

- name: Remove them (after the routes that use them)
  healthplatform.aws.vpc_gateways:
    vpc_id: "{{ vpc_id }}"
    state: absent
    nat_gateways:
      - subnet_id: "{{ public_subnet_ids[0] }}"
      - subnet_id: "{{ public_subnet_ids[1] }}"
"""

RETURN = r"""
internet_gateway_id:
  description:
    - ID of the internet gateway attached to the VPC. Empty in check mode before it is created, after
      O(state=absent) and with O(internet_gateway=false).
  returned: always
  type: str
  sample: igw-0123456789abcdef0
nat_gateways:
  description:
    - The NAT gateways, in the order of O(nat_gateways). In check mode, what they would be (empty
      IDs before creation). Empty after O(state=absent).
  returned: always
  type: list
  elements: dict
  contains:
    nat_gateway_id:
      description: ID of the NAT gateway (empty in check mode before creation).
      type: str
      sample: nat-0123456789abcdef0
    subnet_id:
      description: Its subnet.
      type: str
      sample: subnet-0123456789abcdef0
    allocation_id:
      description: Allocation ID of its Elastic IP (empty in check mode before allocation).
      type: str
      sample: eipalloc-0123456789abcdef0
    public_ip:
      description: Its public IPv4 address (empty in check mode before allocation).
      type: str
      sample: 203.0.113.10
    state:
      description: C(pending) or C(available).
      type: str
      sample: available
    tags:
      description: Tags of the NAT gateway.
      type: dict
      sample: {"Name": "healthplatform-prod-nat-us-east-1a", "Environment": "prod"}
deleted:
  description:
    - With O(state=absent), the IDs of the NAT gateways deleted, the allocation IDs of the Elastic IPs
      released and the ID of the internet gateway deleted (or that would be, in check mode).
  returned: always
  type: list
  elements: str
  sample: ["nat-0123456789abcdef0", "eipalloc-0123456789abcdef0", "igw-0123456789abcdef0"]
"""

import math

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
from ansible_collections.healthplatform.aws.plugins.module_utils.network import tags_of
from ansible_collections.healthplatform.aws.plugins.module_utils.propagation import propagating_client
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import LIVE_STATES
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import NOT_YET_VISIBLE
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import OWNER_TAG
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import address_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import addresses_by_allocation
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import attached_internet_gateway
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import gateway_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import gateway_view
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import internet_gateway_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import is_owned
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import live_nat_gateways
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import nat_result
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import nat_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import pick_nat
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import primary_address
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import routes_through
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import spare_address
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import subnets_outside

WAIT_DELAY = 5


class Gateways:
    """One run: the clients, the options and what changed (for the result and the diff)."""

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.check = module.check_mode
        self.client = retrying_client(module, "ec2")
        self._fresh = None
        self.changed = False
        self.before = {}
        self.after = {}

    @property
    def fresh(self):
        """A client that also retries while a resource created a moment ago is not visible yet."""
        if self._fresh is None:
            self._fresh = propagating_client(self.module, "ec2", extra_codes=NOT_YET_VISIBLE)
        return self._fresh

    def record(self, key, before, after=None):
        """Note a change of ``key`` (``after`` None: removed)."""
        self.changed = True
        self.before[key] = before
        if after is not None:
            self.after[key] = after

    def wait(self, waiter, nat_ids):
        attempts = max(1, math.ceil(self.params["wait_timeout"] / WAIT_DELAY))
        self.client.get_waiter(waiter).wait(NatGatewayIds=nat_ids, WaiterConfig={"Delay": WAIT_DELAY, "MaxAttempts": attempts})

    # ------------------------------------------------------------ present

    def check_before_creating(self, gateway, nats):
        """The VPC exists and the subnets of the NAT gateways to create are in it: fail before any change otherwise."""
        p = self.params
        missing = [n["subnet_id"] for n in p["nat_gateways"] if n["subnet_id"] and n["subnet_id"] not in nats]
        if self.params["internet_gateway"] and gateway is None and not missing:
            self.client.describe_vpcs(VpcIds=[p["vpc_id"]], aws_retry=True)
        outside = set(subnets_outside(self.client, p["vpc_id"], missing))
        errors = [
            f"nat_gateways[{index}].subnet_id: {n['subnet_id']} is not a subnet of {p['vpc_id']}"
            for index, n in enumerate(p["nat_gateways"])
            if n["subnet_id"] in outside
        ]
        if errors:
            self.module.fail_json(msg="; ".join(errors))

    def ensure_internet_gateway(self, gateway):
        """Returns the internet gateway's ID ('' in check mode before creation)."""
        p = self.params
        desired = internet_gateway_tags(p)
        if gateway is not None:
            gateway_id = gateway["InternetGatewayId"]
            current = tags_of(gateway)
            if ec2_update_tags(self.client, gateway_id, current, desired, p["purge_tags"], self.check):
                after = merged_tags(current, desired, p["purge_tags"])
                self.record("internet_gateway", gateway_view(gateway_id, current), gateway_view(gateway_id, after))
            return gateway_id
        gateway_id = ""
        if not self.check:
            request = {"aws_retry": True}
            if desired:
                request["TagSpecifications"] = boto3_tag_specifications(desired, types="internet-gateway")
            gateway_id = self.client.create_internet_gateway(**request)["InternetGateway"]["InternetGatewayId"]
            try:
                self.fresh.attach_internet_gateway(InternetGatewayId=gateway_id, VpcId=p["vpc_id"], aws_retry=True)
            except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError):
                # never leave a detached gateway behind: the next run finds gateways by their attachment
                self.client.delete_internet_gateway(InternetGatewayId=gateway_id, aws_retry=True)
                raise
        self.record("internet_gateway", {}, gateway_view(gateway_id, dict(desired or {})))
        return gateway_id

    def ensure_address_tags(self, address, subnet_id, nat_desired):
        p = self.params
        current = tags_of(address)
        desired = address_tags(nat_desired, subnet_id, is_owned(address))
        allocation_id = address["AllocationId"]
        if ec2_update_tags(self.client, allocation_id, current, desired, p["purge_tags"], self.check):
            after = merged_tags(current, desired, p["purge_tags"])
            self.record(f"address {subnet_id}", gateway_view(allocation_id, current), gateway_view(allocation_id, after))

    def ensure_nat(self, index, spec, candidates, addresses):
        """Returns (the NAT gateway's result item, its ID if it was created or is pending)."""
        p = self.params
        subnet_id = spec["subnet_id"]
        key = f"nat_gateway {subnet_id or f'nat_gateways[{index}]'}"
        desired = nat_tags(p, spec)
        nat = pick_nat(candidates, spec["name"])
        if nat is not None:
            nat_id = nat["NatGatewayId"]
            current = tags_of(nat)
            tags = merged_tags(current, desired, p["purge_tags"])
            if ec2_update_tags(self.client, nat_id, current, desired, p["purge_tags"], self.check):
                self.record(key, gateway_view(nat_id, current), gateway_view(nat_id, tags))
            address = addresses.get(primary_address(nat).get("AllocationId"))
            if address is not None:
                self.ensure_address_tags(address, subnet_id, desired)
            return nat_result(nat, subnet_id, tags=tags), (nat_id if nat.get("State") == "pending" else None)

        tags = dict(desired or {})
        address = spare_address(addresses, subnet_id)
        if address is not None:
            self.ensure_address_tags(address, subnet_id, desired)
        elif not self.check:
            eip_tags = address_tags(tags, subnet_id, True)
            address = self.client.allocate_address(Domain="vpc", TagSpecifications=boto3_tag_specifications(eip_tags, types="elastic-ip"), aws_retry=True)
        nat = None
        if not self.check:
            request = {"SubnetId": subnet_id, "AllocationId": address["AllocationId"], "ClientToken": idempotency_token(), "aws_retry": True}
            if tags:
                request["TagSpecifications"] = boto3_tag_specifications(tags, types="natgateway")
            nat = self.fresh.create_nat_gateway(**request)["NatGateway"]
        result = nat_result(nat, subnet_id, address, tags)
        self.record(key, {}, gateway_view(result["nat_gateway_id"], tags))
        return result, result["nat_gateway_id"] or None

    def present(self):
        p = self.params
        gateway = attached_internet_gateway(self.client, p["vpc_id"]) if p["internet_gateway"] else None
        nats = live_nat_gateways(self.client, p["vpc_id"]) if p["nat_gateways"] else {}
        if (p["internet_gateway"] and gateway is None) or any(n["subnet_id"] not in nats for n in p["nat_gateways"]):
            self.check_before_creating(gateway, nats)
        addresses = addresses_by_allocation(self.client) if p["nat_gateways"] else {}

        gateway_id = self.ensure_internet_gateway(gateway) if p["internet_gateway"] else ""
        results, waiting = [], []
        for index, spec in enumerate(p["nat_gateways"]):
            result, nat_id = self.ensure_nat(index, spec, nats.get(spec["subnet_id"]), addresses)
            results.append(result)
            if nat_id:
                waiting.append(nat_id)

        if p["wait"] and waiting and not self.check:
            self.wait("nat_gateway_available", waiting)
            fresh = {n["NatGatewayId"]: n for n in self.client.describe_nat_gateways(NatGatewayIds=waiting, aws_retry=True)["NatGateways"]}
            for result in results:
                nat = fresh.get(result["nat_gateway_id"])
                if nat is not None:
                    result.update(nat_result(nat, result["subnet_id"], tags=result["tags"]))
        return gateway_id, results, []

    # ------------------------------------------------------------ absent

    def absent(self):
        p = self.params
        gateway = attached_internet_gateway(self.client, p["vpc_id"]) if p["internet_gateway"] else None
        listed = {n["subnet_id"] for n in p["nat_gateways"] if n["subnet_id"]}
        # NAT gateways still deleting (a run that stopped waiting for them) are waited for, not deleted again
        nats = live_nat_gateways(self.client, p["vpc_id"], LIVE_STATES + ("deleting",)) if listed else {}
        going = [nat for subnet in sorted(listed) for nat in nats.get(subnet, [])]
        doomed = [nat for nat in going if nat["State"] in LIVE_STATES]
        doomed_ids = [nat["NatGatewayId"] for nat in doomed]
        gateway_ids = doomed_ids + ([gateway["InternetGatewayId"]] if gateway else [])
        in_use = routes_through(self.client, p["vpc_id"], set(gateway_ids))
        if in_use:
            detail = "; ".join(in_use)
            self.module.fail_json(msg=f"state=absent: will not remove gateways that route tables still use: {detail}. Remove or replace those routes first.")

        addresses = addresses_by_allocation(self.client) if listed else {}
        nat_allocations = {primary_address(nat).get("AllocationId") for nat in going}
        released = [
            a
            for allocation_id, a in sorted(addresses.items())
            if tags_of(a).get(OWNER_TAG) in listed and (allocation_id in nat_allocations or not (a.get("AssociationId") or a.get("NetworkInterfaceId")))
        ]

        for nat in doomed:
            if not self.check:
                self.client.delete_nat_gateway(NatGatewayId=nat["NatGatewayId"], aws_retry=True)
            self.record(f"nat_gateway {nat['SubnetId']} {nat['NatGatewayId']}", gateway_view(nat["NatGatewayId"], tags_of(nat)))
        if going and (released or gateway) and not self.check:
            self.wait("nat_gateway_deleted", [nat["NatGatewayId"] for nat in going])
        for address in released:
            if not self.check:
                self.client.release_address(AllocationId=address["AllocationId"], aws_retry=True)
            self.record(f"address {address['AllocationId']}", gateway_view(address["AllocationId"], tags_of(address)))
        if gateway:
            gateway_id = gateway["InternetGatewayId"]
            if not self.check:
                self.client.detach_internet_gateway(InternetGatewayId=gateway_id, VpcId=p["vpc_id"], aws_retry=True)
                self.client.delete_internet_gateway(InternetGatewayId=gateway_id, aws_retry=True)
            self.record("internet_gateway", gateway_view(gateway_id, tags_of(gateway)))
        deleted = doomed_ids + [a["AllocationId"] for a in released] + ([gateway["InternetGatewayId"]] if gateway else [])
        return "", [], deleted


def main():
    argument_spec = dict(
        vpc_id=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        nat_gateways=dict(
            type="list",
            elements="dict",
            default=[],
            options=dict(
                subnet_id=dict(type="str", required=True),
                name=dict(type="str"),
                tags=dict(type="dict"),
            ),
        ),
        internet_gateway=dict(type="bool", default=True),
        internet_gateway_tags=dict(type="dict"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=600),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    errors = gateway_errors(module.params, module.check_mode)
    if errors:
        module.fail_json(msg="; ".join(errors))

    run = Gateways(module)
    try:
        if module.params["state"] == "present":
            gateway_id, nat_gateways, deleted = run.present()
        else:
            gateway_id, nat_gateways, deleted = run.absent()
    except botocore.exceptions.WaiterError as e:
        module.fail_json(msg=f"The NAT gateways of {module.params['vpc_id']} did not reach the expected state within wait_timeout: {e}")
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the gateways of {module.params['vpc_id']}")

    module.exit_json(
        changed=run.changed,
        internet_gateway_id=gateway_id,
        nat_gateways=nat_gateways,
        deleted=deleted,
        diff=diff_of(run.before, run.after),
    )


if __name__ == "__main__":
    main()
