#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: lambda_function_info
short_description: Describe Lambda functions with their configuration, environment and tags
version_added: 0.1.0
description:
  - Describes the Lambda functions named in O(names) (C(GetFunction)), each with its configuration,
    environment variables, KMS key, network and tags. Functions that do not exist are left out.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  names:
    description: Names or ARNs of the functions.
    type: list
    elements: str
    required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.lambda_function
"""

EXAMPLES = r"""
- name: The scheduling function
  healthplatform.aws.lambda_function_info:
    names: [healthplatform-prod-scheduling]
  register: functions

- name: Its environment is encrypted with a customer key and it runs in the VPC
  ansible.builtin.assert:
    that:
      - functions.functions[0].kms_key_arn is defined
      - functions.functions[0].vpc_config.subnet_ids | length > 0
"""

RETURN = r"""
functions:
  description: The functions' configurations as C(GetFunction) describes them, with C(environment) and C(tags).
  returned: always
  type: list
  elements: dict
  sample:
    - function_name: healthplatform-prod-scheduling
      runtime: python3.12
      kms_key_arn: arn:aws:kms:us-east-1:123456789012:key/0123abcd-12ab-34cd-56ef-1234567890ab
      environment: {"NOTIFICATIONS_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:healthplatform-prod-patient-notifications"}
      tags: {"Environment": "prod"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.lambda_code import read_function
from ansible_collections.healthplatform.aws.plugins.module_utils.lambda_code import snake_function


def main():
    module = AnsibleAWSModule(argument_spec=dict(names=dict(type="list", elements="str", required=True)), supports_check_mode=True)
    client = retrying_client(module, "lambda")
    try:
        functions = [read_function(client, name) for name in module.params["names"]]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe the Lambda functions")
    module.exit_json(changed=False, functions=[snake_function(f) for f in functions if f])


if __name__ == "__main__":
    main()
