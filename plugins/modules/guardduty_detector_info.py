#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: guardduty_detector_info
short_description: Describe the GuardDuty detector of the account in a region
version_added: 0.1.0
description:
  - Returns the account's GuardDuty detector in the region (an account has at most one), or an empty result when there is none.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.guardduty_detector
"""

EXAMPLES = r"""
- name: Read the GuardDuty detector
  healthplatform.aws.guardduty_detector_info:
  register: guardduty

- name: Assert GuardDuty runs with S3 and RDS protection (control HP-25)
  ansible.builtin.assert:
    that:
      - guardduty.exists
      - guardduty.detector.status == 'ENABLED'
      - guardduty.detector.features | selectattr('name', 'in', ['S3_DATA_EVENTS', 'RDS_LOGIN_EVENTS'])
        | selectattr('status', '==', 'ENABLED') | list | length == 2
"""

RETURN = r"""
exists:
  description: Whether the region has a detector.
  returned: always
  type: bool
  sample: true
detector:
  description: The detector as GuardDuty describes it (GetDetector), with its ID and tags as a dict; empty when there is none.
  returned: always
  type: dict
  sample:
    detector_id: 12abc34d567e8fa901bc2d34e56789f0
    status: ENABLED
    finding_publishing_frequency: FIFTEEN_MINUTES
    service_role: arn:aws:iam::123456789012:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty
    created_at: "2024-05-01T10:00:00.000Z"
    updated_at: "2024-05-01T10:00:00.000Z"
    features:
      - name: S3_DATA_EVENTS
        status: ENABLED
    tags:
      Environment: prod
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import all_pages
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import snake_with_tag_dict
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import without_metadata


def main():
    module = AnsibleAWSModule(argument_spec={}, supports_check_mode=True)
    client = retrying_client(module, "guardduty")
    try:
        ids = all_pages(client, "list_detectors", "DetectorIds")
        detector = {}
        if ids:
            detector = dict(without_metadata(client.get_detector(DetectorId=ids[0], aws_retry=True)), DetectorId=ids[0])
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe the GuardDuty detector")
    module.exit_json(changed=False, exists=bool(detector), detector=snake_with_tag_dict(detector))


if __name__ == "__main__":
    main()
