#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: config_recorder_info
short_description: Describe the AWS Config recorders, their recording status and delivery channels
version_added: 0.1.0
description:
  - Describes the AWS Config configuration recorders of the region with their recording status,
    and the region's delivery channels.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.config_recorder
"""

EXAMPLES = r"""
- name: Is AWS Config recording everything?
  healthplatform.aws.config_recorder_info:
  register: config

- name: Check it
  ansible.builtin.assert:
    that:
      - config.recorders | selectattr('recording') | list | length > 0
      - config.recorders[0].recording_group.all_supported
"""

RETURN = r"""
recorders:
  description: The recorders as C(DescribeConfigurationRecorders) describes them, each with C(recording) and C(last_status).
  returned: always
  type: list
  elements: dict
  sample:
    - name: default
      role_arn: arn:aws:iam::123456789012:role/healthplatform-prod-config
      recording_group: {"all_supported": true, "include_global_resource_types": true}
      recording: true
      last_status: SUCCESS
delivery_channels:
  description: The delivery channels as C(DescribeDeliveryChannels) describes them.
  returned: always
  type: list
  elements: dict
  sample:
    - name: default
      s3_bucket_name: healthplatform-prod-logs
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client


def main():
    module = AnsibleAWSModule(argument_spec={}, supports_check_mode=True)
    client = retrying_client(module, "config")
    try:
        recorders = client.describe_configuration_recorders(aws_retry=True).get("ConfigurationRecorders") or []
        statuses = {s["name"]: s for s in client.describe_configuration_recorder_status(aws_retry=True).get("ConfigurationRecordersStatus") or []}
        channels = client.describe_delivery_channels(aws_retry=True).get("DeliveryChannels") or []
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe the AWS Config recorders")
    result = []
    for recorder in recorders:
        item = camel_dict_to_snake_dict(recorder)
        status = statuses.get(recorder["name"]) or {}
        item["recording"] = bool(status.get("recording"))
        if status.get("lastStatus"):
            item["last_status"] = status["lastStatus"]
        result.append(item)
    module.exit_json(changed=False, recorders=result, delivery_channels=[camel_dict_to_snake_dict(c) for c in channels])


if __name__ == "__main__":
    main()
