#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ebs_encryption_default_info
short_description: Report EBS encryption by default and its default KMS key for a region
version_added: 0.1.0
description:
  - Reads C(GetEbsEncryptionByDefault) and C(GetEbsDefaultKmsKeyId) for the account in the region.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.ebs_encryption_default
"""

EXAMPLES = r"""
- name: Read EBS encryption by default
  healthplatform.aws.ebs_encryption_default_info:
  register: ebs_default

- name: Assert new volumes are encrypted with the platform's EBS key (control HP-22)
  ansible.builtin.assert:
    that:
      - ebs_default.ebs_encryption_by_default
      - ebs_default.kms_key_id == ebs_key.key_arn
"""

RETURN = r"""
ebs_encryption_by_default:
  description: Whether EBS encryption by default is on.
  returned: always
  type: bool
  sample: true
kms_key_id:
  description: The default KMS key as EC2 reports it; C(alias/aws/ebs) for the AWS managed key.
  returned: always
  type: str
  sample: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client


def main():
    module = AnsibleAWSModule(argument_spec={}, supports_check_mode=True)
    ec2 = retrying_client(module, "ec2")
    try:
        enabled = ec2.get_ebs_encryption_by_default(aws_retry=True)["EbsEncryptionByDefault"]
        key = ec2.get_ebs_default_kms_key_id(aws_retry=True)["KmsKeyId"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to read EBS encryption by default")
    module.exit_json(changed=False, ebs_encryption_by_default=enabled, kms_key_id=key)


if __name__ == "__main__":
    main()
