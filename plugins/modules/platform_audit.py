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
    finding per control with its status, the reason, the evidence read and the HIPAA
    Security Rule sections (45 CFR 164.308, 164.312) it serves, and a summary per section.
  - A status is V(pass) (all of the evidence was read and meets the control), V(fail)
    (what was read shows the control is not met; parts that could not be read are named
    too) or V(unknown) (nothing read is wrong, but part of the evidence could not be read,
    for example because the endpoint does not implement the API or access was denied;
    never counted as a pass).
  - Finds the platform's resources by the tags (C(Platform), C(Environment)) and the
    names (C(<platform>-<environment>-...)) the collection's roles give them.
  - Read-only; it never changes anything (it does not even generate an IAM credential
    report), so it behaves the same in check mode.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  controls:
    description: Control IDs to check; all by default.
    type: list
    elements: str
  platform:
    description: Value of the C(Platform) tag of the platform's resources (and the first part of their names).
    type: str
    default: healthplatform
  environment:
    description:
      - Value of the C(Environment) tag (and the second part of the resource names).
      - V(production) applies the production floor on top of the controls (Object Lock in
        COMPLIANCE mode, Backup Vault Lock in compliance mode).
    type: str
    required: true
  bucket_prefix:
    description: Name prefix of the platform's S3 buckets (HP-04, HP-05). Defaults to C(<platform>-<environment>-).
    type: str
  records_bucket:
    description:
      - The patient records bucket (HP-04).
      - Defaults to the bucket named C(<bucket_prefix>records) or C(<bucket_prefix>records-*), as the data role names it.
    type: str
  object_lock_min_days:
    description:
      - Smallest default Object Lock retention of the records bucket accepted (HP-04).
      - Six years by default (HIPAA keeps documentation that long; the data role's production floor).
    type: int
    default: 2190
  password_min_length:
    description: Smallest IAM and user pool password length accepted (HP-02, HP-03).
    type: int
    default: 14
  ses_domain:
    description: The platform's outbound mail domain (HP-26). When unset, every SES domain identity of the region must be verified.
    type: str
  agent_log_group_prefix:
    description:
      - Prefix of the CloudWatch agent's log groups (HP-20, HP-19); the agent ships to C(<prefix>/system),
        C(<prefix>/auth), C(<prefix>/nginx-access) and C(<prefix>/nginx-error), one stream per instance.
        HP-20 wants each group to exist and to hold a stream (the monitoring role makes the groups beforehand).
      - Defaults to C(/<platform>/<environment>/instances), the cloudwatch_agent role's default.
    type: str
  agent_metrics_namespace:
    description: CloudWatch namespace of the agent's memory and disk metrics (HP-20).
    type: str
    default: HealthPlatform/EC2
  relaxations:
    description:
      - Controls this environment relaxes on purpose (a lab, a throwaway account), each with why.
      - A relaxed control is still checked and still fails when its evidence says so; the reason
        of a finding that does not pass ends with what the environment relaxes.
    type: dict
    default: {}
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
  register: audit

- name: Audit the lab, saying what it relaxes
  healthplatform.aws.platform_audit:
    environment: lab
    ses_domain: mail.healthplatform-lab.example
    relaxations:
      HP-08: edge_alb_deletion_protection is false so that the lab can be torn down
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
      description: pass, fail or unknown.
      type: str
      sample: pass
    reason:
      description: Why it failed or could not be read (and, for a relaxed control, what the environment relaxes).
      type: str
    relaxation:
      description: What this environment relaxes for the control (from O(relaxations)); empty when nothing.
      type: str
    evidence:
      description: What the APIs answered, as the check read it (never a secret value).
      type: dict
summary:
  description: Count of findings per status (C(unchecked) is always 0, kept for readers of older reports).
  returned: always
  type: dict
  sample: {"pass": 20, "fail": 4, "unknown": 2, "unchecked": 0}
hipaa:
  description: One entry per HIPAA Security Rule section the audited controls serve.
  returned: always
  type: list
  elements: dict
  contains:
    section:
      description: The section of 45 CFR Part 164.
      type: str
      sample: 164.312(b)
    title:
      description: What the section requires.
      type: str
      sample: Technical safeguards - audit controls
    status:
      description: fail when a control of the section fails, unknown when one could not be read, else pass.
      type: str
    controls:
      description: The controls that serve the section.
      type: list
      elements: str
    failing:
      description: Its controls that fail.
      type: list
      elements: str
    unknown:
      description: Its controls whose evidence could not be read.
      type: list
      elements: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.audit import CATALOGUE
from ansible_collections.healthplatform.aws.plugins.module_utils.audit import Context
from ansible_collections.healthplatform.aws.plugins.module_utils.audit_checks import audit
from ansible_collections.healthplatform.aws.plugins.module_utils.audit_checks import hipaa_summary
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.s3_control import s3control_client


def validation_errors(params):
    """Problems of the options, each naming its option (checked before any API call)."""
    errors = []
    known = f"known: HP-01 to HP-{len(CATALOGUE):02d}"
    unknown = [c for c in params["controls"] or [] if c not in CATALOGUE]
    if unknown:
        errors.append(f"controls: unknown control IDs {unknown}; {known}")
    unknown = [c for c in params["relaxations"] if c not in CATALOGUE]
    if unknown:
        errors.append(f"relaxations: unknown control IDs {unknown}; {known}")
    empty = [c for c, why in params["relaxations"].items() if not str(why or "").strip()]
    if empty:
        errors.append(f"relaxations: say why each control is relaxed ({', '.join(empty)} has no reason)")
    for option in ("platform", "environment"):
        if not params[option] or any(ch.isspace() or ch == "/" for ch in params[option]):
            errors.append(f"{option} must be a non-empty name without spaces or slashes, got {params[option]!r}")
    if params["object_lock_min_days"] < 1:
        errors.append(f"object_lock_min_days must be at least 1, got {params['object_lock_min_days']}")
    if params["password_min_length"] < 6:
        errors.append(f"password_min_length must be at least 6, got {params['password_min_length']}")
    prefix = params["agent_log_group_prefix"]
    if prefix is not None and (not prefix.startswith("/") or prefix.endswith("/")):
        errors.append(f"agent_log_group_prefix must start with / and not end with /, got {prefix!r}")
    return errors


def main():
    argument_spec = dict(
        controls=dict(type="list", elements="str"),
        platform=dict(type="str", default="healthplatform"),
        environment=dict(type="str", required=True),
        bucket_prefix=dict(type="str"),
        records_bucket=dict(type="str"),
        object_lock_min_days=dict(type="int", default=2190),
        password_min_length=dict(type="int", default=14, no_log=False),
        ses_domain=dict(type="str"),
        agent_log_group_prefix=dict(type="str"),
        agent_metrics_namespace=dict(type="str", default="HealthPlatform/EC2"),
        relaxations=dict(type="dict", default={}),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    errors = validation_errors(params)
    if errors:
        module.fail_json(msg="; ".join(errors))
    settings = dict(params)
    settings["bucket_prefix"] = params["bucket_prefix"] or f"{params['platform']}-{params['environment']}-"
    settings["agent_log_group_prefix"] = params["agent_log_group_prefix"] or f"/{params['platform']}/{params['environment']}/instances"

    def client(service):
        return s3control_client(module) if service == "s3control" else retrying_client(module, service)

    context = Context(module, client, settings)
    findings = audit(context, params["controls"] or list(CATALOGUE), {k: str(v) for k, v in params["relaxations"].items()})
    summary = {status: sum(1 for f in findings if f["status"] == status) for status in ("pass", "fail", "unknown", "unchecked")}
    module.exit_json(changed=False, controls=findings, summary=summary, hipaa=hipaa_summary(findings))


if __name__ == "__main__":
    main()
