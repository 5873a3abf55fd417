#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: s3_account_public_access_block_info
short_description: Read the account-level S3 Block Public Access settings
version_added: 0.1.0
description:
  - Returns the four account-level S3 Block Public Access settings (S3 Control C(GetPublicAccessBlock)).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  account_id:
    description: The 12-digit account ID. Defaults to the account of the credentials in use.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.s3_account_public_access_block
"""

EXAMPLES = r"""
- name: Read the account's S3 public access block
  healthplatform.aws.s3_account_public_access_block_info:
  register: account_pab

- name: Assert all four settings are on (HP-05)
  ansible.builtin.assert:
    that: account_pab.public_access_block_configuration.values() | list | unique == [true]
"""

RETURN = r"""
account_id:
  description: The account the settings belong to.
  returned: always
  type: str
  sample: "123456789012"
exists:
  description: Whether the account has a public access block configuration at all.
  returned: always
  type: bool
  sample: true
public_access_block_configuration:
  description: The settings; empty when the account has none.
  returned: always
  type: dict
  sample:
    block_public_acls: true
    ignore_public_acls: true
    block_public_policy: true
    restrict_public_buckets: true
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.s3_control import caller_account_id
from ansible_collections.healthplatform.aws.plugins.module_utils.s3_control import get_public_access_block
from ansible_collections.healthplatform.aws.plugins.module_utils.s3_control import s3control_client

ACCOUNT_ID = re.compile(r"^\d{12}$")


def main():
    module = AnsibleAWSModule(argument_spec=dict(account_id=dict(type="str")), supports_check_mode=True)
    account_id = module.params["account_id"]
    if account_id is not None and not ACCOUNT_ID.match(account_id):
        module.fail_json(msg=f"account_id must be a 12-digit AWS account ID, got {account_id!r}")
    try:
        account_id = account_id or caller_account_id(module)
        configuration = get_public_access_block(s3control_client(module), account_id)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to read the account's S3 public access block")
    module.exit_json(changed=False, account_id=account_id, exists=bool(configuration), public_access_block_configuration=configuration)


if __name__ == "__main__":
    main()
