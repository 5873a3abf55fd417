#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: platform_audit
short_description: Check the platform's security controls against the live account
version_added: 0.1.0
description:
  - Reads the evidence of each control of the platform's catalogue (HP-01 to HP-26,
    see the collection's C(docs/controls.md)) from the AWS APIs and returns one
    finding per control with its status, the reason and the evidence read.
  - A status is V(pass), V(fail), V(unknown) (the evidence could not be read, for
    example because the endpoint does not implement the API or access was denied;
    never counted as a pass) or V(unchecked) (no automated check exists yet).
  - Read-only; it never changes anything, so it behaves the same in check mode.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  controls:
    description: Control IDs to check; all by default.
    type: list
    elements: str
  platform:
    description: Value of the C(Platform) tag of the platform's resources.
    type: str
    default: healthplatform
  environment:
    description: Value of the C(Environment) tag; C(production) applies the production floor (for example Object Lock COMPLIANCE).
    type: str
    required: true
  bucket_prefix:
    description: Name prefix of the platform's S3 buckets (HP-05). Defaults to C(<platform>-<environment>-).
    type: str
  records_bucket:
    description: The patient records bucket (HP-04). Defaults to C(<bucket_prefix>records).
    type: str
  object_lock_min_days:
    description: Smallest default Object Lock retention accepted (HP-04).
    type: int
    default: 365
  password_min_length:
    description: Smallest IAM password length accepted (HP-03).
    type: int
    default: 14
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.vpc_flow_log_info
"""

EXAMPLES = r"""
- name: Audit every control
  healthplatform.aws.platform_audit:
    environment: production
    records_bucket: healthplatform-production-records
  register: audit

- name: Fail when a control fails
  ansible.builtin.assert:
    that: audit.summary.fail == 0
    fail_msg: "{{ audit.controls | selectattr('status', 'eq', 'fail') | map(attribute='id') | join(', ') }} failed"
"""

RETURN = r"""
controls:
  description: One finding per control, in catalogue order.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Control ID.
      type: str
      sample: HP-12
    title:
      description: What the control requires.
      type: str
    hipaa:
      description: HIPAA Security Rule sections (45 CFR) the control serves.
      type: list
      elements: str
      sample: ["164.312(b)"]
    status:
      description: pass, fail, unknown or unchecked.
      type: str
      sample: pass
    reason:
      description: Why it failed or could not be read.
      type: str
    evidence:
      description: What the APIs answered, as the check read it.
      type: dict
summary:
  description: Count of findings per status.
  returned: always
  type: dict
  sample: {"pass": 8, "fail": 1, "unknown": 2, "unchecked": 15}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.audit import CATALOGUE
from ansible_collections.healthplatform.aws.plugins.module_utils.audit import Context
from ansible_collections.healthplatform.aws.plugins.module_utils.audit import audit
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client


def main():
    argument_spec = dict(
        controls=dict(type="list", elements="str"),
        platform=dict(type="str", default="healthplatform"),
        environment=dict(type="str", required=True),
        bucket_prefix=dict(type="str"),
        records_bucket=dict(type="str"),
        object_lock_min_days=dict(type="int", default=365),
        password_min_length=dict(type="int", default=14, no_log=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    controls = params["controls"] or list(CATALOGUE)
    unknown = [c for c in controls if c not in CATALOGUE]
    if unknown:
        module.fail_json(msg=f"controls: unknown control IDs {unknown}; known: HP-01 to HP-{len(CATALOGUE):02d}")
    settings = dict(params)
    settings["bucket_prefix"] = params["bucket_prefix"] or f"{params['platform']}-{params['environment']}-"
    settings["records_bucket"] = params["records_bucket"] or f"{settings['bucket_prefix']}records"
    context = Context(module, lambda service: retrying_client(module, service), settings)
    findings = audit(context, controls)
    summary = {status: sum(1 for f in findings if f["status"] == status) for status in ("pass", "fail", "unknown", "unchecked")}
    module.exit_json(changed=False, controls=findings, summary=summary)


if __name__ == "__main__":
    main()
