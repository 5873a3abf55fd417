#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: s3_account_public_access_block
short_description: Manage the account-level S3 Block Public Access settings
version_added: 0.1.0
description:
  - Sets the four S3 Block Public Access settings of the whole account (S3 Control
    C(PutPublicAccessBlock)), which apply to every bucket and access point of the account on
    top of each bucket's own settings, or removes them (O(state=absent)).
  - The defaults block everything, as control HP-05 requires.
  - The account is O(account_id), or the account of the credentials in use when it is omitted
    (one C(sts:GetCallerIdentity) call).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description: Whether the account has a public access block configuration.
    type: str
    choices: [present, absent]
    default: present
  account_id:
    description: The 12-digit account ID. Defaults to the account of the credentials in use.
    type: str
  block_public_acls:
    description: Refuse requests that add public ACLs to buckets and objects.
    type: bool
    default: true
  ignore_public_acls:
    description: Ignore every public ACL on buckets and objects.
    type: bool
    default: true
  block_public_policy:
    description: Refuse bucket and access point policies that grant public access.
    type: bool
    default: true
  restrict_public_buckets:
    description: Limit access to buckets with public policies to AWS services and the account's own principals.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Against a custom O(endpoint_url) outside C(amazonaws.com) (an emulator), the account ID is
    not put in front of the S3 Control host name, which such an endpoint could not resolve.
seealso:
  - module: healthplatform.aws.s3_account_public_access_block_info
  - module: amazon.aws.s3_bucket
"""

EXAMPLES = r"""
- name: Block all public access to S3 in the account (HP-05)
  healthplatform.aws.s3_account_public_access_block:
    account_id: "{{ caller.account }}"

- name: Remove the account-level settings (each bucket's own settings still apply)
  healthplatform.aws.s3_account_public_access_block:
    state: absent
"""

RETURN = r"""
account_id:
  description: The account the settings belong to.
  returned: always
  type: str
  sample: "123456789012"
public_access_block_configuration:
  description: The settings after the run (in check mode, would be); empty when there are none.
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

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.s3_control import PUBLIC_ACCESS_BLOCK_FIELDS
from ansible_collections.healthplatform.aws.plugins.module_utils.s3_control import caller_account_id
from ansible_collections.healthplatform.aws.plugins.module_utils.s3_control import get_public_access_block
from ansible_collections.healthplatform.aws.plugins.module_utils.s3_control import s3control_client

ACCOUNT_ID = re.compile(r"^\d{12}$")


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        account_id=dict(type="str"),
        **{option: dict(type="bool", default=True) for option in PUBLIC_ACCESS_BLOCK_FIELDS},
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    if params["account_id"] is not None and not ACCOUNT_ID.match(params["account_id"]):
        module.fail_json(msg=f"account_id must be a 12-digit AWS account ID, got {params['account_id']!r}")

    try:
        account_id = params["account_id"] or caller_account_id(module)
        client = s3control_client(module)
        before = get_public_access_block(client, account_id)
        if params["state"] == "absent":
            after = {}
            changed = bool(before)
            if changed and not module.check_mode:
                client.delete_public_access_block(AccountId=account_id, aws_retry=True)
        else:
            after = {option: params[option] for option in PUBLIC_ACCESS_BLOCK_FIELDS}
            changed = before != after
            if changed and not module.check_mode:
                configuration = {field: params[option] for option, field in PUBLIC_ACCESS_BLOCK_FIELDS.items()}
                client.put_public_access_block(AccountId=account_id, PublicAccessBlockConfiguration=configuration, aws_retry=True)
                after = get_public_access_block(client, account_id)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage the account's S3 public access block")

    module.exit_json(changed=changed, account_id=account_id, public_access_block_configuration=after, diff=diff_of(before, after))


if __name__ == "__main__":
    main()
