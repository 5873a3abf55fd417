#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: s3_object_lock_info
short_description: Read the S3 Object Lock configuration of buckets
version_added: 0.1.0
description:
  - Returns, for each bucket named, whether Object Lock is enabled and its default retention
    (C(GetObjectLockConfiguration)), with a zero C(Days) or C(Years) left out.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  buckets:
    description: Names of the buckets.
    type: list
    elements: str
    required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.s3_object_lock
"""

EXAMPLES = r"""
- name: Read the Object Lock settings of the records bucket
  healthplatform.aws.s3_object_lock_info:
    buckets: [healthplatform-production-records-123456789012-us-east-1]
  register: lock

- name: Assert COMPLIANCE mode for at least six years
  ansible.builtin.assert:
    that:
      - lock.buckets[0].object_lock_enabled
      - lock.buckets[0].default_retention.mode == 'COMPLIANCE'
      - lock.buckets[0].default_retention.days >= 2190
"""

RETURN = r"""
buckets:
  description: One entry per bucket, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The bucket.
      type: str
      sample: healthplatform-production-records-123456789012-us-east-1
    object_lock_enabled:
      description: Whether Object Lock is enabled.
      type: bool
      sample: true
    default_retention:
      description: The default retention (C(mode) and C(days) or C(years)); empty when there is none.
      type: dict
      sample: {"mode": "COMPLIANCE", "days": 2190}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.s3_control import normalized_retention


def describe(client, bucket):
    try:
        configuration = client.get_object_lock_configuration(Bucket=bucket, aws_retry=True)["ObjectLockConfiguration"]
    except is_boto3_error_code("ObjectLockConfigurationNotFoundError"):
        return {"name": bucket, "object_lock_enabled": False, "default_retention": {}}
    return {
        "name": bucket,
        "object_lock_enabled": configuration.get("ObjectLockEnabled") == "Enabled",
        "default_retention": camel_dict_to_snake_dict(normalized_retention(configuration.get("Rule")) or {}),
    }


def main():
    module = AnsibleAWSModule(argument_spec=dict(buckets=dict(type="list", elements="str", required=True)), supports_check_mode=True)
    client = retrying_client(module, "s3")
    results = []
    for bucket in module.params["buckets"]:
        try:
            results.append(describe(client, bucket))
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            module.fail_json_aws(e, msg=f"Failed to read Object Lock of bucket {bucket}")
    module.exit_json(changed=False, buckets=results)


if __name__ == "__main__":
    main()
