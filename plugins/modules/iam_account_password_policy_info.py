#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: iam_account_password_policy_info
short_description: Read the IAM password policy of the account
version_added: 0.1.0
description:
  - Returns the account's IAM password policy (C(GetAccountPasswordPolicy)), or an empty policy
    when the account has none.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.iam_account_password_policy
"""

EXAMPLES = r"""
- name: Read the password policy
  healthplatform.aws.iam_account_password_policy_info:
  register: password

- name: Assert the floor of HP-03
  ansible.builtin.assert:
    that:
      - password.password_policy.minimum_password_length >= 14
      - password.password_policy.password_reuse_prevention >= 24
"""

RETURN = r"""
exists:
  description: Whether the account has a password policy.
  returned: always
  type: bool
  sample: true
password_policy:
  description: The policy in snake_case; empty when there is none.
  returned: always
  type: dict
  sample:
    minimum_password_length: 14
    require_symbols: true
    max_password_age: 90
    password_reuse_prevention: 24
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.iam_account import read_password_policy


def main():
    module = AnsibleAWSModule(argument_spec={}, supports_check_mode=True)
    try:
        policy = read_password_policy(retrying_client(module, "iam"))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to read the account password policy")
    module.exit_json(changed=False, exists=bool(policy), password_policy=camel_dict_to_snake_dict(policy))


if __name__ == "__main__":
    main()
