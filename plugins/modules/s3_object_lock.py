#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: s3_object_lock
short_description: Manage S3 Object Lock and the default retention of a bucket
version_added: 0.1.0
description:
  - Makes sure Object Lock is enabled on an S3 bucket and sets, keeps or removes its default
    retention (mode and period) that applies to every new object version.
  - Object Lock cannot be turned off once enabled. On a bucket without it, the module enables
    it (C(PutObjectLockConfiguration)); S3 requires the bucket's versioning to be enabled first.
  - The retention is compared as S3 reports it, with a zero C(Days) or C(Years) counted as no
    setting (some implementations report C(Years=0) next to C(Days)), so an unchanged
    configuration is never applied again.
  - A default retention only applies to objects written after it is set; existing object
    versions keep the retention they were written with.
  - Bad input (both or neither of O(default_retention.days) and O(default_retention.years))
    fails before any API call is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  bucket:
    description: Name of the bucket.
    type: str
    required: true
    aliases: [name]
  default_retention:
    description:
      - The default retention of new object versions.
      - Not compared when omitted (Object Lock is still enabled).
    type: dict
    suboptions:
      mode:
        description:
          - C(COMPLIANCE) - nobody, not even the root user, can delete a version or shorten its
            retention before it ends.
          - C(GOVERNANCE) - principals with C(s3:BypassGovernanceRetention) can.
        type: str
        choices: [GOVERNANCE, COMPLIANCE]
        required: true
      days:
        description: Retention period in days. Exactly one of O(default_retention.days) and O(default_retention.years).
        type: int
      years:
        description: Retention period in years.
        type: int
  remove_default_retention:
    description:
      - Remove the default retention rule (Object Lock stays enabled; new objects get no default retention).
      - Mutually exclusive with O(default_retention).
    type: bool
    default: false
  expected_bucket_owner:
    description: Account ID that must own the bucket (S3 refuses the request otherwise).
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Create the bucket with Object Lock (O(amazon.aws.s3_bucket#module:object_lock_enabled=true)) or enable
    its versioning before this module enables Object Lock on it.
seealso:
  - module: healthplatform.aws.s3_object_lock_info
  - module: amazon.aws.s3_bucket
"""

EXAMPLES = r"""
- name: Patient records are kept six years and nobody can delete them earlier (HP-04)
  healthplatform.aws.s3_object_lock:
    bucket: healthplatform-production-records-123456789012-us-east-1
    default_retention:
      mode: COMPLIANCE
      days: 2190

- name: A test bucket whose locks an administrator may lift
  healthplatform.aws.s3_object_lock:
    bucket: healthplatform-lab-records
    default_retention:
      mode: GOVERNANCE
      days: 1
"""

RETURN = r"""
object_lock_configuration:
  description: The Object Lock configuration after the run (in check mode, would be).
  returned: always
  type: dict
  contains:
    object_lock_enabled:
      description: C(Enabled) when Object Lock is on.
      type: str
      sample: Enabled
    rule:
      description: The default retention rule, absent when there is none.
      type: dict
      sample: {"default_retention": {"mode": "COMPLIANCE", "days": 2190}}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.s3_control import normalized_retention


def validate(module):
    """Check what argument_spec cannot; fail before any API call."""
    retention = module.params["default_retention"]
    if retention is None:
        return
    periods = [unit for unit in ("days", "years") if retention[unit] is not None]
    if len(periods) != 1:
        module.fail_json(msg="default_retention needs exactly one of default_retention.days and default_retention.years")
    value = retention[periods[0]]
    if value < 1:
        module.fail_json(msg=f"default_retention.{periods[0]} must be at least 1, got {value}")


def owner_args(params):
    return {"ExpectedBucketOwner": params["expected_bucket_owner"]} if params["expected_bucket_owner"] else {}


def read_configuration(client, params):
    """{'enabled': bool, 'retention': normalized or None}."""
    try:
        configuration = client.get_object_lock_configuration(Bucket=params["bucket"], aws_retry=True, **owner_args(params))["ObjectLockConfiguration"]
    except is_boto3_error_code("ObjectLockConfigurationNotFoundError"):
        return {"enabled": False, "retention": None}
    return {"enabled": configuration.get("ObjectLockEnabled") == "Enabled", "retention": normalized_retention(configuration.get("Rule"))}


def wanted_retention(params, current):
    if params["remove_default_retention"]:
        return None
    retention = params["default_retention"]
    if retention is None:
        return current
    result = {"Mode": retention["mode"]}
    if retention["days"] is not None:
        result["Days"] = retention["days"]
    else:
        result["Years"] = retention["years"]
    return result


def as_configuration(state):
    configuration = {"ObjectLockEnabled": "Enabled"} if state["enabled"] else {}
    if state["retention"]:
        configuration["Rule"] = {"DefaultRetention": dict(state["retention"])}
    return configuration


def view(state):
    return camel_dict_to_snake_dict(as_configuration(state))


def main():
    argument_spec = dict(
        bucket=dict(type="str", required=True, aliases=["name"]),
        default_retention=dict(
            type="dict",
            options=dict(
                mode=dict(type="str", choices=["GOVERNANCE", "COMPLIANCE"], required=True),
                days=dict(type="int"),
                years=dict(type="int"),
            ),
        ),
        remove_default_retention=dict(type="bool", default=False),
        expected_bucket_owner=dict(type="str"),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        mutually_exclusive=[["default_retention", "remove_default_retention"]],
        supports_check_mode=True,
    )
    validate(module)
    params = module.params

    client = retrying_client(module, "s3")
    try:
        before = read_configuration(client, params)
        after = {"enabled": True, "retention": wanted_retention(params, before["retention"])}
        changed = before != after
        if changed and not module.check_mode:
            client.put_object_lock_configuration(Bucket=params["bucket"], ObjectLockConfiguration=as_configuration(after), aws_retry=True, **owner_args(params))
            after = read_configuration(client, params)
    except is_boto3_error_code("InvalidBucketState") as e:
        module.fail_json_aws(e, msg=f"Cannot enable Object Lock on bucket {params['bucket']}: enable its versioning first")
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Failed to manage Object Lock of bucket {params['bucket']}")

    module.exit_json(changed=changed, object_lock_configuration=view(after), diff=diff_of(view(before), view(after)))


if __name__ == "__main__":
    main()
