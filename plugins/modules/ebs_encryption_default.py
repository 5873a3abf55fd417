#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ebs_encryption_default
short_description: Manage EBS encryption by default and its default KMS key for a region
version_added: 0.1.0
description:
  - Turns EBS encryption by default on or off for the account in the region, so that
    every new EBS volume and snapshot copy is encrypted.
  - Sets the default KMS key of that encryption (O(kms_key_id)), or resets it to the AWS
    managed key C(aws/ebs) when O(kms_key_id) is an empty string.
  - The key is compared with what C(GetEbsDefaultKmsKeyId) reports. AWS stores a key
    given by alias as the key's ARN, so when the forms differ the module resolves
    them with C(kms:DescribeKey) before deciding.
  - Before it sets a key, the module checks with C(kms:DescribeKey) that the key exists
    in the region, is enabled and is a symmetric encryption key. AWS itself accepts any
    key identifier and checks it only later, when volumes fail to be created.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  enabled:
    description: Whether EBS encryption by default is on.
    type: bool
    default: true
  kms_key_id:
    description:
      - The default KMS key, as a key ID, key ARN, alias name (C(alias/name)) or alias ARN.
      - An empty string means the AWS managed key C(aws/ebs) (C(ResetEbsDefaultKmsKeyId)).
      - Not compared, and the default key not read, when omitted.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - When both change, the key is set before encryption by default is turned on, so no
    volume is encrypted with the old default key in between.
  - A default key that is the C(aws/ebs) key by its key ARN (rather than by its alias)
    counts as a customer key; with O(kms_key_id="") the module then resets it once.
seealso:
  - module: healthplatform.aws.ebs_encryption_default_info
"""

EXAMPLES = r"""
- name: Encrypt every new EBS volume with the platform's EBS key (control HP-22)
  healthplatform.aws.ebs_encryption_default:
    enabled: true
    kms_key_id: "{{ ebs_key.key_arn }}"

- name: Encryption by default with the AWS managed key
  healthplatform.aws.ebs_encryption_default:
    enabled: true
    kms_key_id: ""

- name: Default key by alias
  healthplatform.aws.ebs_encryption_default:
    kms_key_id: alias/healthplatform-prod-ebs
"""

RETURN = r"""
ebs_encryption_by_default:
  description: Whether EBS encryption by default is on after the run (in check mode, would be).
  returned: always
  type: bool
  sample: true
kms_key_id:
  description:
    - The default KMS key after the run (in check mode, would be), as EC2 reports it;
      C(alias/aws/ebs) for the AWS managed key.
  returned: when O(kms_key_id) is given
  type: str
  sample: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client

_ID = r"(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
KEY_ID = re.compile(rf"^{_ID}$")
KEY_ARN = re.compile(rf"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{{12}}:key/{_ID}$")
ALIAS_NAME = re.compile(r"^alias/[a-zA-Z0-9/_-]+$")
ALIAS_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(alias/[a-zA-Z0-9/_-]+)$")
AWS_MANAGED = "alias/aws/ebs"


def is_aws_managed(key):
    return key == AWS_MANAGED or key.endswith(":" + AWS_MANAGED)


def validate(module):
    """Check the key identifier's form; fail, naming the option, before any API call."""
    key = module.params["kms_key_id"]
    if not key:
        return
    if not (KEY_ID.match(key) or KEY_ARN.match(key) or ALIAS_NAME.match(key) or ALIAS_ARN.match(key)):
        module.fail_json(msg=f"kms_key_id must be a KMS key ID, key ARN, alias name (alias/...) or alias ARN, got {key!r}")
    if is_aws_managed(key):
        module.fail_json(msg='kms_key_id: use an empty string ("") for the AWS managed key aws/ebs')


def same_key_by_form(current, wanted):
    """True when the two identifiers name the same key by their form alone, else None (cannot tell)."""
    if current == wanted:
        return True
    if KEY_ID.match(wanted) and KEY_ARN.match(current) and current.endswith("/" + wanted):
        return True
    alias = ALIAS_ARN.match(current)
    if ALIAS_NAME.match(wanted) and alias and alias.group(1) == wanted:
        return True
    return None


def describe_key(module, kms, key):
    try:
        return kms.describe_key(KeyId=key, aws_retry=True)["KeyMetadata"]
    except is_boto3_error_code("NotFoundException"):
        module.fail_json(msg=f"kms_key_id: no KMS key {key!r} in region {module.region}")


def current_key_arn(kms, current):
    """The key ARN behind the current default key (None when its alias no longer exists)."""
    if KEY_ARN.match(current):
        return current
    try:
        return kms.describe_key(KeyId=current, aws_retry=True)["KeyMetadata"]["Arn"]
    except is_boto3_error_code("NotFoundException"):
        return None


def check_usable(module, metadata, key):
    """EBS needs an enabled symmetric encryption key; AWS itself would only find out when a volume is created."""
    problems = []
    if metadata.get("KeyState") != "Enabled":
        problems.append(f"its state is {metadata.get('KeyState')}")
    if metadata.get("KeyUsage", "ENCRYPT_DECRYPT") != "ENCRYPT_DECRYPT":
        problems.append(f"its usage is {metadata.get('KeyUsage')}")
    if metadata.get("KeySpec", "SYMMETRIC_DEFAULT") != "SYMMETRIC_DEFAULT":
        problems.append(f"it is a {metadata.get('KeySpec')} key, EBS needs SYMMETRIC_DEFAULT")
    if problems:
        module.fail_json(msg=f"kms_key_id: the KMS key {key!r} cannot encrypt EBS volumes: {'; '.join(problems)}")


def key_change(module, current):
    """(needs change, the key as EC2 would report it afterwards) for the kms_key_id option."""
    wanted = module.params["kms_key_id"]
    if wanted == "":
        return not is_aws_managed(current), AWS_MANAGED
    if same_key_by_form(current, wanted):
        return False, current
    kms = retrying_client(module, "kms")
    metadata = describe_key(module, kms, wanted)
    if not is_aws_managed(current) and current_key_arn(kms, current) == metadata["Arn"]:
        return False, current
    check_usable(module, metadata, wanted)
    return True, metadata["Arn"]


def main():
    argument_spec = dict(
        enabled=dict(type="bool", default=True),
        kms_key_id=dict(type="str", no_log=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    params = module.params

    ec2 = retrying_client(module, "ec2")
    try:
        enabled = ec2.get_ebs_encryption_by_default(aws_retry=True)["EbsEncryptionByDefault"]
        before = {"ebs_encryption_by_default": enabled}
        after = dict(before)
        change_key = False
        if params["kms_key_id"] is not None:
            current_key = ec2.get_ebs_default_kms_key_id(aws_retry=True)["KmsKeyId"]
            before["kms_key_id"] = after["kms_key_id"] = current_key
            change_key, after_key = key_change(module, current_key)
            if change_key:
                after["kms_key_id"] = after_key
                if not module.check_mode:
                    if params["kms_key_id"] == "":
                        after["kms_key_id"] = ec2.reset_ebs_default_kms_key_id(aws_retry=True)["KmsKeyId"]
                    else:
                        after["kms_key_id"] = ec2.modify_ebs_default_kms_key_id(KmsKeyId=params["kms_key_id"], aws_retry=True)["KmsKeyId"]

        change_encryption = enabled != params["enabled"]
        if change_encryption:
            after["ebs_encryption_by_default"] = params["enabled"]
            if not module.check_mode:
                if params["enabled"]:
                    response = ec2.enable_ebs_encryption_by_default(aws_retry=True)
                else:
                    response = ec2.disable_ebs_encryption_by_default(aws_retry=True)
                after["ebs_encryption_by_default"] = response["EbsEncryptionByDefault"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage EBS encryption by default")

    module.exit_json(changed=change_key or change_encryption, diff=diff_of(before, after), **after)


if __name__ == "__main__":
    main()
