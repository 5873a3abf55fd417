#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: secretsmanager_rotation
short_description: Manage the automatic rotation of an AWS Secrets Manager secret
version_added: 0.1.0
description:
  - Turns automatic rotation of an existing secret on with a schedule (C(RotateSecret)) or off
    (C(CancelRotateSecret)), and changes its schedule or rotation function when they differ.
  - Works for secrets rotated by a Lambda function (O(rotation_lambda_arn)) and for secrets that
    another service manages and rotates itself, such as the master user secret RDS creates with
    C(ManageMasterUserPassword); for those only the schedule can be set and
    O(rotation_lambda_arn) must be omitted.
  - Options that are not given are not compared. An omitted O(rotation_lambda_arn) keeps the
    function the secret already has (AWS needs one the first time rotation of a secret that
    is not service-managed is turned on).
  - By default a changed configuration does not rotate the secret at once
    (C(RotateImmediately=false)); Secrets Manager then only runs the function's C(testSecret)
    step and the next rotation follows the schedule.
  - Never reads or returns the secret's value.
  - Bad input (no schedule, a period outside 1-1000 days, a malformed schedule expression,
    duration or function ARN) fails before any API call is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  secret_id:
    description: Name or ARN of the secret.
    type: str
    required: true
    aliases: [name]
  state:
    description: C(present) - rotation is on with this schedule; C(absent) - rotation is off.
    type: str
    choices: [present, absent]
    default: present
  rotation_lambda_arn:
    description:
      - ARN of the Lambda function that rotates the secret.
      - Omit it for secrets managed by another service (RDS, Redshift...), which rotate them.
    type: str
  automatically_after_days:
    description:
      - Rotate every this many days (1 to 1000).
      - Exactly one of O(automatically_after_days) and O(schedule_expression) with O(state=present).
    type: int
  schedule_expression:
    description: A C(rate()) or C(cron()) expression, for example C(rate(30 days)) or C(cron(0 4 ? * SUN *)).
    type: str
  duration:
    description: Length of the rotation window, for example C(3h). Not compared when omitted.
    type: str
  rotate_immediately:
    description: When the configuration changes, rotate the secret at once instead of only testing the function.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - C(RotateSecret) is sent with a client request token, so a retried request never starts two rotations.
seealso:
  - module: healthplatform.aws.secretsmanager_secret_info
  - module: healthplatform.aws.secretsmanager_generated_secret
  - module: healthplatform.aws.rds_master_user_secret
"""

EXAMPLES = r"""
- name: Rotate the application's database credentials every 30 days (HP-06)
  healthplatform.aws.secretsmanager_rotation:
    secret_id: healthplatform-production/app/database
    rotation_lambda_arn: arn:aws:lambda:us-east-1:123456789012:function:healthplatform-production-postgres-rotation
    automatically_after_days: 30
    duration: 4h

- name: Rotate the RDS-managed master user secret weekly (RDS rotates it; no function)
  healthplatform.aws.secretsmanager_rotation:
    secret_id: "{{ master.master_user_secret.secret_arn }}"
    automatically_after_days: 7

- name: Stop rotating a secret
  healthplatform.aws.secretsmanager_rotation:
    secret_id: healthplatform-lab/app/legacy
    state: absent
"""

RETURN = r"""
rotation:
  description: The rotation configuration after the run (in check mode, would be).
  returned: always
  type: dict
  contains:
    enabled:
      description: Whether automatic rotation is on.
      type: bool
      sample: true
    lambda_arn:
      description: The rotation function (null for service-managed secrets).
      type: str
      sample: arn:aws:lambda:us-east-1:123456789012:function:healthplatform-production-postgres-rotation
    rules:
      description: The schedule as Secrets Manager reports it.
      type: dict
      sample: {"AutomaticallyAfterDays": 30, "Duration": "4h"}
secret:
  description: The secret's metadata (C(DescribeSecret), never its value) after the run, in snake_case, tags as a dict.
  returned: always
  type: dict
  sample:
    arn: arn:aws:secretsmanager:us-east-1:123456789012:secret:healthplatform-production/app/database-AbCdEf
    name: healthplatform-production/app/database
    rotation_enabled: true
    owning_service: null
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.secretsmanager import DURATION
from ansible_collections.healthplatform.aws.plugins.module_utils.secretsmanager import LAMBDA_ARN
from ansible_collections.healthplatform.aws.plugins.module_utils.secretsmanager import SCHEDULE_EXPRESSION
from ansible_collections.healthplatform.aws.plugins.module_utils.secretsmanager import describe_secret
from ansible_collections.healthplatform.aws.plugins.module_utils.secretsmanager import rotation_of
from ansible_collections.healthplatform.aws.plugins.module_utils.secretsmanager import secret_view


def validate(module):
    """Check what argument_spec cannot; fail before any API call."""
    p = module.params
    if p["state"] == "absent":
        return
    if (p["automatically_after_days"] is None) == (p["schedule_expression"] is None):
        module.fail_json(msg="state=present needs exactly one of automatically_after_days and schedule_expression")
    days = p["automatically_after_days"]
    if days is not None and not 1 <= days <= 1000:
        module.fail_json(msg=f"automatically_after_days must be between 1 and 1000, got {days}")
    if p["schedule_expression"] is not None and not SCHEDULE_EXPRESSION.match(p["schedule_expression"]):
        module.fail_json(msg=f"schedule_expression must be a rate() or cron() expression such as 'rate(30 days)', got {p['schedule_expression']!r}")
    if p["duration"] is not None:
        if not DURATION.match(p["duration"]) or not 1 <= int(p["duration"][:-1]) <= 24:
            module.fail_json(msg=f"duration must be between 1h and 24h, for example '3h', got {p['duration']!r}")
    if p["rotation_lambda_arn"] is not None and not LAMBDA_ARN.match(p["rotation_lambda_arn"]):
        module.fail_json(msg=f"rotation_lambda_arn must be a Lambda function ARN, got {p['rotation_lambda_arn']!r}")


def desired_rules(params):
    rules = {}
    if params["automatically_after_days"] is not None:
        rules["AutomaticallyAfterDays"] = params["automatically_after_days"]
    else:
        rules["ScheduleExpression"] = params["schedule_expression"]
    if params["duration"] is not None:
        rules["Duration"] = params["duration"]
    return rules


def rotation_differs(current, params):
    if not current["enabled"]:
        return True
    if params["rotation_lambda_arn"] is not None and current["lambda_arn"] != params["rotation_lambda_arn"]:
        return True
    return any(current["rules"].get(key) != value for key, value in desired_rules(params).items())


def main():
    argument_spec = dict(
        secret_id=dict(type="str", required=True, aliases=["name"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        rotation_lambda_arn=dict(type="str"),
        automatically_after_days=dict(type="int"),
        schedule_expression=dict(type="str"),
        duration=dict(type="str"),
        rotate_immediately=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    params = module.params

    client = retrying_client(module, "secretsmanager")
    try:
        described = describe_secret(client, params["secret_id"])
        if described is None or described.get("DeletedDate"):
            module.fail_json(msg=f"secret_id: no secret {params['secret_id']!r} (or it is scheduled for deletion)")
        if described.get("OwningService") and params["rotation_lambda_arn"]:
            module.fail_json(
                msg=(
                    f"rotation_lambda_arn: secret {described['Name']} is managed and rotated by {described['OwningService']}; "
                    "only its schedule can be set, omit rotation_lambda_arn"
                )
            )
        before = rotation_of(described)
        if params["state"] == "absent":
            changed = before["enabled"]
            after = dict(before, enabled=False)
            if changed and not module.check_mode:
                client.cancel_rotate_secret(SecretId=params["secret_id"], aws_retry=True)
        else:
            changed = rotation_differs(before, params)
            rules = dict(before["rules"], **desired_rules(params))
            if "ScheduleExpression" in desired_rules(params):
                rules.pop("AutomaticallyAfterDays", None)
            after = {"enabled": True, "lambda_arn": params["rotation_lambda_arn"] or before["lambda_arn"], "rules": rules}
            if changed and not module.check_mode:
                request = {
                    "SecretId": params["secret_id"],
                    "ClientRequestToken": idempotency_token(),
                    "RotationRules": desired_rules(params),
                    "RotateImmediately": params["rotate_immediately"],
                }
                if params["rotation_lambda_arn"]:
                    request["RotationLambdaARN"] = params["rotation_lambda_arn"]
                client.rotate_secret(aws_retry=True, **request)
        if changed and not module.check_mode:
            described = describe_secret(client, params["secret_id"])
            after = rotation_of(described)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the rotation of secret {params['secret_id']}")

    module.exit_json(changed=changed, rotation=after, secret=secret_view(described), diff=diff_of(before, after))


if __name__ == "__main__":
    main()
