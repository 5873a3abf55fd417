# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
name: iam_policy_errors
short_description: Administrative wildcards and privilege escalation in IAM policy documents
version_added: 0.1.0
description:
  - Checks one IAM policy document (a mapping or its JSON text), or a list of statements, and
    returns a list of readable problems; an empty list means none was found.
  - "Problems: an Allow of C(Action: *) (on every resource: full administrator), an Allow with
    C(NotAction), and any of the known privilege-escalation action sets (for example
    C(iam:CreatePolicyVersion), C(iam:PassRole) with C(ec2:RunInstances), C(iam:PutUserPolicy))
    allowed on every resource, including through wildcards such as C(iam:*) or C(iam:Put*)."
  - Used by the identity role to fail before any change.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  _input:
    description: A policy document (mapping or JSON string), or a list of statements.
    type: raw
    required: true
  variable:
    description: Name of the variable the document came from, used in the messages.
    type: str
    default: policy
"""

EXAMPLES = r"""
- name: Fail on an administrative or escalating policy before any change
  ansible.builtin.assert:
    that: __errors | length == 0
    fail_msg: "{{ __errors | join('; ') }}"
  vars:
    __errors: "{{ my_policy | healthplatform.aws.iam_policy_errors('my_policy') }}"
"""

RETURN = r"""
_value:
  description: The problems found; empty when none.
  type: list
  elements: str
"""

from ansible_collections.healthplatform.aws.plugins.module_utils.iam_policy import policy_errors


def iam_policy_errors(document, variable="policy"):
    if isinstance(document, list):
        document = {"Version": "2012-10-17", "Statement": document}
    return policy_errors(document, variable)


class FilterModule:
    def filters(self):
        return {"iam_policy_errors": iam_policy_errors}
