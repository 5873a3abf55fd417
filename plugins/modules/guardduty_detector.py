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

from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import all_pages
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import check_enum
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import model_enum
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import snake_with_tag_dict
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import without_metadata


def validate(module, client):
    """Check what argument_spec cannot (feature names against the API model); fail before any API call."""
    features = module.params["features"] or []
    check_enum(module, "features", [f["name"] for f in features], model_enum(client, "UpdateDetector", "Features", "Name"), "feature name")
    seen = {}
    for feature in features:
        if seen.setdefault(feature["name"], feature["status"]) != feature["status"]:
            module.fail_json(msg=f"features: {feature['name']} is listed twice with different status")


def wanted_features(params):
    """{name: status} the user asked for, or None when features are not managed."""
    if params["features"] is None:
        return None
    return {f["name"]: f["status"] for f in params["features"]}


def current_features(detector):
    return {f["Name"]: f["Status"] for f in detector.get("Features") or []}


def find_detector(client):
    """(detector_id, GetDetector response) of the region's detector, or (None, None)."""
    ids = all_pages(client, "list_detectors", "DetectorIds")
    if not ids:
        return None, None
    return ids[0], without_metadata(client.get_detector(DetectorId=ids[0], aws_retry=True))


def detector_arn(module, detector_id):
    account_id, partition = get_aws_account_info(module)
    return f"arn:{partition}:guardduty:{module.region}:{account_id}:detector/{detector_id}"


def settings_update(detector, params):
    """The UpdateDetector request fields that differ (besides DetectorId)."""
    update = {}
    if (detector.get("Status") == "ENABLED") != params["enable"]:
        update["Enable"] = params["enable"]
    frequency = params["finding_publishing_frequency"]
    if frequency and detector.get("FindingPublishingFrequency") != frequency:
        update["FindingPublishingFrequency"] = frequency
    wanted = wanted_features(params)
    if wanted:
        current = current_features(detector)
        if any(current.get(name, "DISABLED") != status for name, status in wanted.items()):
            # the whole list: AWS merges it into the detector's features
            update["Features"] = [{"Name": name, "Status": status} for name, status in wanted.items()]
    return update


def apply_locally(detector, update, tags):
    """What GetDetector would say after ``update`` and ``tags`` (check mode)."""
    after = dict(detector)
    if "Enable" in update:
        after["Status"] = "ENABLED" if update["Enable"] else "DISABLED"
    if "FindingPublishingFrequency" in update:
        after["FindingPublishingFrequency"] = update["FindingPublishingFrequency"]
    if "Features" in update:
        features = current_features(detector)
        features.update({f["Name"]: f["Status"] for f in update["Features"]})
        after["Features"] = [{"Name": name, "Status": status} for name, status in features.items()]
    after["Tags"] = tags
    return after


def planned(params):
    """What a new detector would look like (check mode)."""
    return {
        "Status": "ENABLED" if params["enable"] else "DISABLED",
        "FindingPublishingFrequency": params["finding_publishing_frequency"] or "SIX_HOURS",
        "Features": [{"Name": name, "Status": status} for name, status in (wanted_features(params) or {}).items()],
        "Tags": dict(params["tags"] or {}),
    }


def create(client, params):
    request = {"Enable": params["enable"], "ClientToken": idempotency_token()}
    if params["finding_publishing_frequency"]:
        request["FindingPublishingFrequency"] = params["finding_publishing_frequency"]
    if params["features"]:
        request["Features"] = [{"Name": name, "Status": status} for name, status in wanted_features(params).items()]
    if params["tags"]:
        request["Tags"] = params["tags"]
    return client.create_detector(aws_retry=True, **request)["DetectorId"]


def update_tags(module, client, detector_id, current, params):
    to_set, to_unset = tag_changes(current, params["tags"], params["purge_tags"])
    if not (to_set or to_unset):
        return False
    if not module.check_mode:
        arn = detector_arn(module, detector_id)
        if to_unset:
            client.untag_resource(ResourceArn=arn, TagKeys=list(to_unset), aws_retry=True)
        if to_set:
            client.tag_resource(ResourceArn=arn, Tags=to_set, aws_retry=True)
    return True


def ensure_present(module, client, detector_id, detector):
    params = module.params
    if detector is None:
        if module.check_mode:
            return True, planned(params)
        detector_id = create(client, params)
        return True, dict(without_metadata(client.get_detector(DetectorId=detector_id, aws_retry=True)), DetectorId=detector_id)

    update = settings_update(detector, params)
    if update and not module.check_mode:
        client.update_detector(DetectorId=detector_id, aws_retry=True, **update)
    current_tags = detector.get("Tags") or {}
    tags_changed = update_tags(module, client, detector_id, current_tags, params)
    changed = bool(update) or tags_changed
    if not changed:
        return False, dict(detector, DetectorId=detector_id)
    if module.check_mode:
        return True, dict(apply_locally(detector, update, merged_tags(current_tags, params["tags"], params["purge_tags"])), DetectorId=detector_id)
    return True, dict(without_metadata(client.get_detector(DetectorId=detector_id, aws_retry=True)), DetectorId=detector_id)


def diff_view(detector):
    if not detector:
        return {}
    return {
        "status": detector.get("Status"),
        "finding_publishing_frequency": detector.get("FindingPublishingFrequency"),
        "features": dict(sorted(current_features(detector).items())),
        "tags": dict(detector.get("Tags") or {}),
    }


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        enable=dict(type="bool", default=True),
        finding_publishing_frequency=dict(type="str", choices=["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"]),
        features=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                status=dict(type="str", choices=["ENABLED", "DISABLED"], default="ENABLED"),
            ),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = retrying_client(module, "guardduty")
    validate(module, client)

    try:
        detector_id, detector = find_detector(client)
        if module.params["state"] == "absent":
            changed = detector is not None
            if changed and not module.check_mode:
                client.delete_detector(DetectorId=detector_id, aws_retry=True)
            module.exit_json(changed=changed, detector={}, diff=diff_of(diff_view(detector), {}))
        before = dict(detector, DetectorId=detector_id) if detector else None
        changed, after = ensure_present(module, client, detector_id, detector)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage the GuardDuty detector")

    module.exit_json(changed=changed, detector=snake_with_tag_dict(after), diff=diff_of(diff_view(before), diff_view(after)))


if __name__ == "__main__":
    main()
