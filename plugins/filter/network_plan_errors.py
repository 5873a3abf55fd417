# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
name: network_plan_errors
short_description: Problems in a VPC subnet plan
version_added: 0.1.0
description:
  - Checks a subnet plan (tier name to a list of CIDRs, one per availability zone)
    against the VPC CIDR and the availability zones, and returns a list of
    readable problems; an empty list means the plan is sound.
  - Used by the network role to fail before any change.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  _input:
    description: 'The plan, for example C({"public": ["10.0.0.0/24", "10.0.1.0/24"], "app": [...], "data": [...]}).'
    type: dict
    required: true
  vpc_cidr:
    description: The VPC's CIDR block.
    type: str
    required: true
  azs:
    description: The availability zones, one per CIDR of each tier.
    type: list
    elements: str
    required: true
  min_azs:
    description: The fewest availability zones allowed.
    type: int
    default: 2
  variable:
    description: Name of the variable the plan came from, used in the messages.
    type: str
    default: network_subnets
"""

EXAMPLES = r"""
- name: Fail on a broken plan before any change
  ansible.builtin.assert:
    that: __errors | length == 0
    fail_msg: "{{ __errors | join('; ') }}"
  vars:
    __errors: "{{ network_subnets | healthplatform.aws.network_plan_errors(network_vpc_cidr, network_azs) }}"
"""

RETURN = r"""
_value:
  description: The problems found; empty when the plan is sound.
  type: list
  elements: str
"""

import ipaddress


def network_plan_errors(plan, vpc_cidr, azs, min_azs=2, variable="network_subnets"):
    errors = []
    try:
        vpc = ipaddress.ip_network(vpc_cidr)
    except ValueError as e:
        return [f"network_vpc_cidr {vpc_cidr!r} is not a valid CIDR: {e}"]
    azs = list(azs or [])
    if len(set(azs)) < min_azs:
        errors.append(f"network_azs must name at least {min_azs} distinct availability zones, got {len(set(azs))}")
    if not isinstance(plan, dict) or not plan:
        return errors + [f"{variable} must map each tier to a list of CIDRs"]
    seen = []
    for tier, cidrs in plan.items():
        if not isinstance(cidrs, list):
            errors.append(f"{variable}.{tier} must be a list of CIDRs, one per availability zone")
            continue
        if len(cidrs) != len(azs):
            errors.append(f"{variable}.{tier} has {len(cidrs)} CIDRs for {len(azs)} availability zones")
        for index, cidr in enumerate(cidrs):
            name = f"{variable}.{tier}[{index}]"
            try:
                net = ipaddress.ip_network(cidr)
            except ValueError as e:
                errors.append(f"{name} {cidr!r} is not a valid CIDR: {e}")
                continue
            if net.version != vpc.version or not net.subnet_of(vpc):
                errors.append(f"{name} {cidr} is outside the VPC CIDR {vpc_cidr}")
            for other_name, other in seen:
                if net.overlaps(other):
                    errors.append(f"{name} {cidr} overlaps {other_name} {other}")
            seen.append((name, net))
    return errors


class FilterModule:
    def filters(self):
        return {"network_plan_errors": network_plan_errors}
