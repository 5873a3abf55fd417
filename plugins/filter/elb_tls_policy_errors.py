# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
name: elb_tls_policy_errors
short_description: Problems with a load balancer TLS security policy (one that allows TLS 1.0 or 1.1)
version_added: 0.1.0
description:
  - Checks the name of an Elastic Load Balancing TLS security policy against the families
    that offer only TLS 1.2 and 1.3 - C(ELBSecurityPolicy-TLS13-1-2-*), C(ELBSecurityPolicy-TLS13-1-3-*),
    C(ELBSecurityPolicy-TLS-1-2-*), C(ELBSecurityPolicy-FS-1-2-*) - and returns readable
    problems naming the variable; an empty list means the policy is acceptable.
  - Anything else (C(ELBSecurityPolicy-2016-08), C(ELBSecurityPolicy-TLS13-1-0-2021-06),
    C(ELBSecurityPolicy-TLS-1-1-2017-01), ...) allows TLS 1.0 or 1.1, or is unknown, and is refused.
  - Used by the edge role to fail before any change (control HP-14).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  _input:
    description: The policy name.
    type: str
    required: true
  variable:
    description: Name of the variable the policy came from, used in the messages.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Refuse a TLS policy that allows TLS 1.0/1.1
  ansible.builtin.assert:
    that: __errors | length == 0
    fail_msg: "{{ __errors | join('; ') }}"
  vars:
    __errors: "{{ edge_alb_ssl_policy | healthplatform.aws.elb_tls_policy_errors('edge_alb_ssl_policy') }}"
"""

RETURN = r"""
_value:
  description: The problems found; empty when the policy offers only TLS 1.2 and newer.
  type: list
  elements: str
"""

import re

# Policy families whose members offer TLS 1.2 and/or 1.3 only (AWS names them by their lowest version).
TLS12_PLUS = re.compile(r"^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)(-[A-Za-z0-9]+)*$")
OLD_PROTOCOLS = re.compile(r"^ELBSecurityPolicy-(TLS13-1-[01]|TLS-1-[01]|FS-1-1|FS-20|20)")


def elb_tls_policy_errors(policy, variable):
    if not isinstance(policy, str) or not policy:
        return [f"{variable} must name an ELB security policy such as ELBSecurityPolicy-TLS13-1-2-2021-06"]
    if TLS12_PLUS.match(policy):
        return []
    if OLD_PROTOCOLS.match(policy):
        return [f"{variable} {policy} allows TLS 1.0 or 1.1; use a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06"]
    return [
        f"{variable} {policy} is not a known TLS 1.2+ policy (ELBSecurityPolicy-TLS13-1-2-*, -TLS13-1-3-*, -TLS-1-2-*, -FS-1-2-*); "
        "use for example ELBSecurityPolicy-TLS13-1-2-2021-06"
    ]


class FilterModule:
    def filters(self):
        return {"elb_tls_policy_errors": elb_tls_policy_errors}
