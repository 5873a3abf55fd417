# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
name: domain_list_errors
short_description: Problems in a DNS Firewall domain list, given inline or as a file
version_added: 0.1.0
description:
  - Checks the domains of a DNS Firewall custom domain list with the same rules as
    M(healthplatform.aws.route53resolver_firewall_domain_list) (RFC 1035 labels, at most 253
    characters, an optional leading C(*.) wildcard label, or C(*) alone) and returns a list of
    readable problems naming the variable (and, for a file, the file and line).
  - The input is either a list of domains or the path of a file with one domain a line
    (blank lines and everything after C(#) ignored), read on the controller.
  - Used by the network role to fail before any change, also where DNS Firewall itself is skipped.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  _input:
    description: A list of domains, or the path of a domain list file.
    type: raw
    required: true
  variable:
    description: Name of the variable the domains came from, used in the messages.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Fail on a bad line in the deny list before any change
  ansible.builtin.assert:
    that: __errors | length == 0
    fail_msg: "{{ __errors | join('; ') }}"
  vars:
    __errors: "{{ network_dns_firewall_domains_file | healthplatform.aws.domain_list_errors('network_dns_firewall_domains_file') }}"
"""

RETURN = r"""
_value:
  description: The problems found; empty when every domain is valid.
  type: list
  elements: str
"""

from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import domain_problem


def domain_list_errors(domains, variable):
    errors = []
    if isinstance(domains, str):
        path = domains
        try:
            with open(path, encoding="utf-8") as handle:
                lines = handle.read().splitlines()
        except (OSError, UnicodeDecodeError) as e:
            return [f"{variable} {path} cannot be read: {e}"]
        for number, line in enumerate(lines, start=1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            problem = domain_problem(text)
            if problem:
                errors.append(f"{variable} {path} line {number}: {text!r} is not a valid domain name: {problem}")
        return errors
    if not isinstance(domains, list):
        return [f"{variable} must be a list of domains or the path of a domain list file"]
    for index, domain in enumerate(domains):
        problem = domain_problem(domain)
        if problem:
            errors.append(f"{variable}[{index}] {domain!r} is not a valid domain name: {problem}")
    return errors


class FilterModule:
    def filters(self):
        return {"domain_list_errors": domain_list_errors}
