# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
name: subnet_plan
short_description: Flatten a subnet plan into one item per subnet
version_added: 0.1.0
description:
  - Turns a plan of tier name to a list of CIDRs (one per availability zone)
    into a list of C({tier, cidr, az, index}) items, in tier order, for a loop.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  _input:
    description: 'The plan, for example C({"public": ["10.0.0.0/24", "10.0.1.0/24"]}).'
    type: dict
    required: true
  azs:
    description: The availability zones, in the order of each tier's CIDRs.
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: One subnet per tier and availability zone
  amazon.aws.ec2_vpc_subnet:
    vpc_id: "{{ vpc_id }}"
    cidr: "{{ item.cidr }}"
    az: "{{ item.az }}"
  loop: "{{ network_subnets | healthplatform.aws.subnet_plan(network_azs) }}"
"""

RETURN = r"""
_value:
  description: One item per subnet.
  type: list
  elements: dict
"""


def subnet_plan(plan, azs):
    items = []
    for tier, cidrs in plan.items():
        for index, cidr in enumerate(cidrs):
            items.append({"tier": tier, "cidr": cidr, "az": azs[index], "index": index})
    return items


class FilterModule:
    def filters(self):
        return {"subnet_plan": subnet_plan}
