#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: guardduty_detector
short_description: Manage the GuardDuty detector of the account in a region
version_added: 0.1.0
description:
  - Creates, updates or deletes the Amazon GuardDuty detector of the account in
    the region. An account has at most one detector per region, so the
    detector is not named; the module manages whichever one exists.
  - Manages whether the detector is enabled, how often findings are published,
    the protection plans (O(features)) and the tags.
  - Only the features listed in O(features) are compared and changed; features
    that are not listed keep the state they have. A feature the detector does
    not report counts as C(DISABLED).
  - Feature names are checked against the GuardDuty API model of the installed
    botocore before any API call, so a misspelt name fails without changing
    anything.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description:
      - Whether the detector should exist.
      - C(absent) deletes the detector, and with it the findings GuardDuty keeps for the account in the region.
    type: str
    choices: [present, absent]
    default: present
  enable:
    description:
      - Whether the detector analyses data (C(true)) or is suspended (C(false)).
      - A suspended detector keeps its settings and findings but produces no new findings.
    type: bool
    default: true
  finding_publishing_frequency:
    description:
      - How often updated findings are exported to EventBridge (and S3 when configured).
      - Not compared when omitted; AWS uses C(SIX_HOURS) for a new detector.
    type: str
    choices: [FIFTEEN_MINUTES, ONE_HOUR, SIX_HOURS]
  features:
    description:
      - Protection plans to turn on or off.
      - Not compared when omitted.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - Name of the feature as the GuardDuty API spells it, for example C(S3_DATA_EVENTS),
            C(EKS_AUDIT_LOGS), C(EBS_MALWARE_PROTECTION), C(RDS_LOGIN_EVENTS), C(LAMBDA_NETWORK_LOGS)
            or C(RUNTIME_MONITORING).
          - Validated against the botocore model before any API call.
        type: str
        required: true
      status:
        description: Whether the feature is on.
        type: str
        choices: [ENABLED, DISABLED]
        default: ENABLED
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - The detector is created with a client token, so a retried request never creates two detectors.
  - Changing tags needs C(sts:GetCallerIdentity) (to build the detector ARN) besides C(guardduty:TagResource) and C(guardduty:UntagResource).
  - When any listed feature differs, the whole list from O(features) is sent in one update.
seealso:
  - module: healthplatform.aws.guardduty_detector_info
"""

EXAMPLES = r"""
- name: GuardDuty on, with S3 and RDS protection, findings every 15 minutes
  healthplatform.aws.guardduty_detector:
    enable: true
    finding_publishing_frequency: FIFTEEN_MINUTES
    features:
      - name: S3_DATA_EVENTS
      - name: RDS_LOGIN_EVENTS
      - name: EBS_MALWARE_PROTECTION
      - name: EKS_AUDIT_LOGS
        status: DISABLED
    tags:
      Environment: prod
  register: guardduty

- name: Suspend the detector (keeps its settings and findings)
  healthplatform.aws.guardduty_detector:
    enable: false

- name: Delete the detector of the lab region
  healthplatform.aws.guardduty_detector:
    state: absent
"""

RETURN = r"""
detector:
  description:
    - The detector as GuardDuty describes it (GetDetector), with its ID; empty when O(state=absent).
    - In check mode, what it would be.
  returned: always
  type: dict
  contains:
    detector_id:
      description: ID of the detector (absent in check mode before creation).
      type: str
      sample: 12abc34d567e8fa901bc2d34e56789f0
    status:
      description: C(ENABLED) or C(DISABLED).
      type: str
      sample: ENABLED
    finding_publishing_frequency:
      description: How often findings are published.
      type: str
      sample: FIFTEEN_MINUTES
    features:
      description: The protection plans and their status.
      type: list
      elements: dict
      sample: [{"name": "S3_DATA_EVENTS", "status": "ENABLED"}]
    service_role:
      description: The service-linked role GuardDuty uses.
      type: str
      sample: arn:aws:iam::123456789012:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty
    created_at:
      description: When the detector was created.
      type: str
      sample: "2024-05-01T10:00:00.000Z"
    tags:
      description: Tags of the detector.
      type: dict
      sample: {"Environment": "prod"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.guardduty import FAILURE
from ansible_collections.healthplatform.aws.plugins.module_utils.guardduty import detector_options
from ansible_collections.healthplatform.aws.plugins.module_utils.guardduty import manage
from ansible_collections.healthplatform.aws.plugins.module_utils.guardduty import validate


def main():
    # validation, read, plan and apply are shared with threat_detection (module_utils/guardduty.py)
    module = AnsibleAWSModule(argument_spec=detector_options(), supports_check_mode=True)
    client = retrying_client(module, "guardduty")
    problems = validate(module.params, client)
    if problems:
        module.fail_json(msg="; ".join(problems))

    try:
        changed, result, diff = manage(module, client, module.params)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=FAILURE)

    module.exit_json(changed=changed, diff=diff, **result)


if __name__ == "__main__":
    main()
