# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
name: priority_errors
short_description: Problems in a list of prioritised rules (missing, duplicate or out-of-range priorities and names)
version_added: 0.1.0
description:
  - Checks a list of rules such as DNS Firewall rules or WAF rules, each a dict with a
    C(name) and an integer C(priority), and returns a list of readable problems naming the
    variable; an empty list means the rules are sound.
  - A priority used twice is a problem (AWS evaluates rules by priority; it refuses duplicates
    in a rule group or web ACL, after part of a run has already changed things).
  - Used by the network and edge roles to fail before any change.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  _input:
    description: The rules.
    type: list
    elements: dict
    required: true
  variable:
    description: Name of the variable the rules came from, used in the messages.
    type: str
    required: true
  minimum:
    description: The lowest priority allowed.
    type: int
    default: 0
  maximum:
    description: The highest priority allowed.
    type: int
    default: 2147483647
"""

EXAMPLES = r"""
- name: Fail on duplicate rule priorities before any change
  ansible.builtin.assert:
    that: __errors | length == 0
    fail_msg: "{{ __errors | join('; ') }}"
  vars:
    __errors: "{{ network_dns_firewall_rules | healthplatform.aws.priority_errors('network_dns_firewall_rules', minimum=100, maximum=9900) }}"
"""

RETURN = r"""
_value:
  description: The problems found; empty when the rules are sound.
  type: list
  elements: str
"""


def priority_errors(rules, variable, minimum=0, maximum=2147483647):
    if not isinstance(rules, list):
        return [f"{variable} must be a list of rules, each with a name and a priority"]
    errors = []
    by_priority = {}
    names = {}
    for index, rule in enumerate(rules):
        where = f"{variable}[{index}]"
        if not isinstance(rule, dict):
            errors.append(f"{where} must be a mapping with a name and a priority")
            continue
        name = rule.get("name")
        if not name:
            errors.append(f"{where} has no name")
        else:
            if name in names:
                errors.append(f"{where}: name {name!r} is used twice ({variable}[{names[name]}] and {variable}[{index}])")
            names.setdefault(name, index)
        priority = rule.get("priority")
        if isinstance(priority, bool) or not isinstance(priority, int):
            try:
                priority = int(str(priority))
            except ValueError:
                errors.append(f"{where} ({name}): priority {rule.get('priority')!r} is not an integer")
                continue
        if not minimum <= priority <= maximum:
            errors.append(f"{where} ({name}): priority {priority} is outside {minimum}-{maximum}")
        by_priority.setdefault(priority, []).append(name or where)
    for priority, owners in sorted(by_priority.items()):
        if len(owners) > 1:
            errors.append(f"{variable}: priority {priority} is used twice in one rule group ({', '.join(map(str, owners))}); each rule needs its own")
    return errors


class FilterModule:
    def filters(self):
        return {"priority_errors": priority_errors}
