# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The GuardDuty detector, shared by guardduty_detector and threat_detection (its ``guardduty`` option).

- detector_options(): the options (a new dict on each call), without the connection ones.
- validate(): what argument_spec cannot check (feature names against the API model); the
  problems, each naming the option, before any API call.
- manage(): read the region's detector, plan, apply (check mode aware); returns
  (changed, result, diff), the result being what guardduty_detector returns besides
  ``changed`` and ``diff``. botocore errors are left to the caller (fail_json_aws with FAILURE).
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import all_pages
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import enum_problem
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import model_enum
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import snake_with_tag_dict
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import without_metadata

FAILURE = "Failed to manage the GuardDuty detector"


def detector_options():
    """guardduty_detector's options; the suboptions of threat_detection's ``guardduty``."""
    return dict(
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


def validate(params, client, where=""):
    """The problems argument_spec cannot see, each naming the option (prefixed by ``where``, for
    example ``guardduty.``); [] when there are none. Reads only the client's API model."""
    problems = []
    allowed = model_enum(client, "UpdateDetector", "Features", "Name")
    seen = {}
    for index, feature in enumerate(params["features"] or []):
        option = f"{where}features[{index}].name"
        problem = enum_problem(option, feature["name"], allowed, "feature name")
        if problem:
            problems.append(problem)
        elif seen.setdefault(feature["name"], feature["status"]) != feature["status"]:
            problems.append(f"{option}: {feature['name']} is listed twice with different status")
    return problems


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


def ensure_present(module, client, params, detector_id, detector):
    """(changed, the detector after the run, or as it would be in check mode)."""
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


def manage(module, client, params):
    """Bring the region's detector to ``params`` (validated). Returns (changed, {"detector": ...}, diff)."""
    detector_id, detector = find_detector(client)
    if params["state"] == "absent":
        changed = detector is not None
        if changed and not module.check_mode:
            client.delete_detector(DetectorId=detector_id, aws_retry=True)
        return changed, {"detector": {}}, diff_of(diff_view(detector), {})
    before = dict(detector, DetectorId=detector_id) if detector else None
    changed, after = ensure_present(module, client, params, detector_id, detector)
    return changed, {"detector": snake_with_tag_dict(after)}, diff_of(diff_view(before), diff_view(after))
