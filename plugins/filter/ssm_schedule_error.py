# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
name: ssm_schedule_error
short_description: Why a Systems Manager schedule expression is invalid
version_added: 0.1.0
description:
  - Checks a C(cron(...)), C(rate(...)) or C(at(...)) schedule the way the
    healthplatform.aws SSM modules do, so that a role can refuse a bad schedule
    before its first change. Returns an empty string when the expression is valid.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  _input:
    description: The schedule expression.
    type: str
    required: true
  option:
    description: Name of the variable, used in the message.
    type: str
    required: true
  kind:
    description: What the schedule is for; associations accept only rates from 30 minutes to under 31 days.
    type: str
    choices: [maintenance window, association]
    default: maintenance window
"""

EXAMPLES = r"""
- name: Refuse a bad schedule before any change
  ansible.builtin.assert:
    that: __error | length == 0
    fail_msg: "{{ __error }}"
  vars:
    __error: "{{ patch_window_schedule | healthplatform.aws.ssm_schedule_error('patch_window_schedule') }}"
"""

RETURN = r"""
_value:
  description: The problem, naming the variable; empty when the expression is valid.
  type: str
"""

from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import schedule_expression_error


def ssm_schedule_error(expression, option, kind="maintenance window"):
    return schedule_expression_error(expression, option, kind) or ""


class FilterModule:
    def filters(self):
        return {"ssm_schedule_error": ssm_schedule_error}
