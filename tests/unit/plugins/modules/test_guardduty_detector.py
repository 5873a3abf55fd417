# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""guardduty_detector and guardduty_detector_info.

Against the moto server: create, enable/suspend, finding frequency and features
(UpdateDetector with Features works in moto 5.2.5), delete, check mode, bad input.

With the botocore Stubber: changing the tags of an existing detector. moto 5.2.5
answers GuardDuty TagResource / UntagResource / ListTagsForResource with HTTP 404
(the calls are not routed), so that path is tested against the Stubber, which
validates every request against the real botocore model and fails on any call
that was not queued.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import guardduty_detector
from ansible_collections.healthplatform.aws.plugins.modules import guardduty_detector_info

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty"


def detectors(aws):
    return aws.client("guardduty").list_detectors()["DetectorIds"]


def live(aws):
    (detector_id,) = detectors(aws)
    return aws.client("guardduty").get_detector(DetectorId=detector_id)


def features_of(detector):
    return {f["Name"]: f["Status"] for f in detector["Features"]}


BASE = {
    "finding_publishing_frequency": "FIFTEEN_MINUTES",
    "features": [{"name": "S3_DATA_EVENTS"}, {"name": "RDS_LOGIN_EVENTS"}],
    "tags": {"Environment": "test"},
}


def test_create(aws):
    result = aws.run(guardduty_detector.main, BASE)

    assert result["changed"] is True
    detector = live(aws)
    assert result["detector"]["detector_id"] == detectors(aws)[0]
    assert detector["Status"] == "ENABLED"
    assert detector["FindingPublishingFrequency"] == "FIFTEEN_MINUTES"
    assert features_of(detector) == {"S3_DATA_EVENTS": "ENABLED", "RDS_LOGIN_EVENTS": "ENABLED"}
    assert detector["Tags"] == {"Environment": "test"}
    assert result["detector"]["tags"] == {"Environment": "test"}
    assert {"name": "S3_DATA_EVENTS", "status": "ENABLED"} in result["detector"]["features"]


def test_no_change_makes_no_mutating_call(aws):
    aws.run(guardduty_detector.main, BASE)
    with aws.recording() as calls:
        result = aws.run(guardduty_detector.main, BASE)

    assert result["changed"] is False
    assert calls, "the module must read the detector"
    assert aws.mutating(calls) == []
    # omitted options are not compared
    assert aws.run(guardduty_detector.main, {})["changed"] is False


def test_update_settings_and_features(aws):
    first = aws.run(guardduty_detector.main, BASE)
    args = dict(
        BASE,
        finding_publishing_frequency="ONE_HOUR",
        features=[{"name": "S3_DATA_EVENTS"}, {"name": "RDS_LOGIN_EVENTS", "status": "DISABLED"}, {"name": "EBS_MALWARE_PROTECTION"}],
    )
    with aws.recording() as calls:
        result = aws.run(guardduty_detector.main, args, diff=True)

    assert result["changed"] is True
    assert aws.mutating(calls) == ["guardduty:UpdateDetector"]
    assert result["detector"]["detector_id"] == first["detector"]["detector_id"]
    detector = live(aws)
    assert detector["FindingPublishingFrequency"] == "ONE_HOUR"
    assert features_of(detector) == {"S3_DATA_EVENTS": "ENABLED", "RDS_LOGIN_EVENTS": "DISABLED", "EBS_MALWARE_PROTECTION": "ENABLED"}
    assert result["diff"]["before"]["features"]["RDS_LOGIN_EVENTS"] == "ENABLED"
    assert result["diff"]["after"]["features"]["RDS_LOGIN_EVENTS"] == "DISABLED"
    assert aws.run(guardduty_detector.main, args)["changed"] is False


def test_suspend_and_resume(aws):
    aws.run(guardduty_detector.main, BASE)

    suspended = aws.run(guardduty_detector.main, dict(BASE, enable=False))
    assert suspended["changed"] is True
    assert live(aws)["Status"] == "DISABLED"
    assert suspended["detector"]["status"] == "DISABLED"

    resumed = aws.run(guardduty_detector.main, BASE)
    assert resumed["changed"] is True
    assert live(aws)["Status"] == "ENABLED"


def test_delete_and_delete_again(aws):
    aws.run(guardduty_detector.main, BASE)
    result = aws.run(guardduty_detector.main, {"state": "absent"}, diff=True)

    assert result["changed"] is True
    assert result["detector"] == {}
    assert result["diff"]["before"]["status"] == "ENABLED"
    assert detectors(aws) == []
    assert aws.run(guardduty_detector.main, {"state": "absent"})["changed"] is False


def test_check_mode_create_changes_nothing(aws):
    with aws.recording() as calls:
        result = aws.run(guardduty_detector.main, BASE, check_mode=True)

    assert result["changed"] is True
    assert result["detector"]["status"] == "ENABLED"
    assert result["detector"]["tags"] == {"Environment": "test"}
    assert aws.mutating(calls) == []
    assert detectors(aws) == []


def test_check_mode_update_and_delete_change_nothing(aws):
    aws.run(guardduty_detector.main, BASE)
    before = live(aws)

    with aws.recording() as calls:
        update = aws.run(guardduty_detector.main, dict(BASE, enable=False, features=[{"name": "S3_DATA_EVENTS", "status": "DISABLED"}]), check_mode=True)
        tags = aws.run(guardduty_detector.main, dict(BASE, tags={"Owner": "ops"}), check_mode=True)
        delete = aws.run(guardduty_detector.main, {"state": "absent"}, check_mode=True)
        same = aws.run(guardduty_detector.main, BASE, check_mode=True)

    assert update["changed"] is True
    assert update["detector"]["status"] == "DISABLED"
    assert {"name": "S3_DATA_EVENTS", "status": "DISABLED"} in update["detector"]["features"]
    assert tags["changed"] is True and tags["detector"]["tags"] == {"Owner": "ops"}
    assert delete["changed"] is True
    assert same["changed"] is False
    assert aws.mutating(calls) == []
    after = live(aws)
    for key in ("Status", "FindingPublishingFrequency", "Features", "Tags"):
        assert after[key] == before[key]


@pytest.mark.parametrize(
    "args, option",
    [
        ({"features": [{"name": "S3_LOGS"}]}, "features"),
        ({"features": [{"name": "FLOW_LOGS"}]}, "features"),  # reported by GetDetector, but not settable
        ({"features": [{"name": "S3_DATA_EVENTS"}, {"name": "S3_DATA_EVENTS", "status": "DISABLED"}]}, "features"),
        ({"features": [{"name": "S3_DATA_EVENTS", "status": "ON"}]}, "status"),
        ({"finding_publishing_frequency": "DAILY"}, "finding_publishing_frequency"),
    ],
)
def test_bad_input_fails_before_any_call(aws, args, option):
    with aws.recording() as calls:
        result = aws.run(guardduty_detector.main, args)

    assert result.failed
    assert option in result["msg"]
    assert calls == [], "validation must happen before any API call"
    assert detectors(aws) == []


def test_info(aws):
    empty = aws.run(guardduty_detector_info.main, {})
    assert empty["changed"] is False
    assert empty["exists"] is False
    assert empty["detector"] == {}

    created = aws.run(guardduty_detector.main, BASE)
    result = aws.run(guardduty_detector_info.main, {})
    assert result["exists"] is True
    assert result["detector"]["detector_id"] == created["detector"]["detector_id"]
    assert result["detector"]["finding_publishing_frequency"] == "FIFTEEN_MINUTES"
    assert result["detector"]["tags"] == {"Environment": "test"}


# --- Stubber: tag changes (moto does not route GuardDuty TagResource/UntagResource) ---

DETECTOR_ID = "12abc34d567e8fa901bc2d34e56789f0"
DETECTOR_ARN = f"arn:aws:guardduty:us-east-1:{ACCOUNT}:detector/{DETECTOR_ID}"


def detector_response(tags):
    return {
        "CreatedAt": "2024-05-01T10:00:00.000Z",
        "FindingPublishingFrequency": "FIFTEEN_MINUTES",
        "ServiceRole": ROLE,
        "Status": "ENABLED",
        "Features": [{"Name": "S3_DATA_EVENTS", "Status": "ENABLED"}, {"Name": "RDS_LOGIN_EVENTS", "Status": "ENABLED"}],
        "Tags": tags,
    }


def queue_read(stubbed, tags):
    gd = stubbed("guardduty")
    gd.add_response("list_detectors", {"DetectorIds": [DETECTOR_ID]}, {})
    gd.add_response("get_detector", detector_response(tags), {"DetectorId": DETECTOR_ID})
    return gd


def test_tags_update_in_place_stubbed(stubbed):
    gd = queue_read(stubbed, {"Environment": "test", "Old": "x"})
    stubbed("sts").add_response("get_caller_identity", {"Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:user/ops", "UserId": "AIDA0000"}, {})
    gd.add_response("untag_resource", {}, {"ResourceArn": DETECTOR_ARN, "TagKeys": ["Old"]})
    gd.add_response("tag_resource", {}, {"ResourceArn": DETECTOR_ARN, "Tags": {"Environment": "prod"}})
    gd.add_response("get_detector", detector_response({"Environment": "prod"}), {"DetectorId": DETECTOR_ID})

    result = stubbed.run(guardduty_detector.main, dict(BASE, tags={"Environment": "prod"}), diff=True)

    assert result["changed"] is True, result
    assert result["detector"]["tags"] == {"Environment": "prod"}
    assert result["diff"]["before"]["tags"] == {"Environment": "test", "Old": "x"}
    stubbed.assert_all_used()


def test_tags_purge_false_only_adds_stubbed(stubbed):
    gd = queue_read(stubbed, {"Environment": "test"})
    stubbed("sts").add_response("get_caller_identity", {"Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:user/ops", "UserId": "AIDA0000"}, {})
    gd.add_response("tag_resource", {}, {"ResourceArn": DETECTOR_ARN, "Tags": {"Owner": "ops"}})
    gd.add_response("get_detector", detector_response({"Environment": "test", "Owner": "ops"}), {"DetectorId": DETECTOR_ID})

    result = stubbed.run(guardduty_detector.main, dict(BASE, tags={"Owner": "ops"}, purge_tags=False))

    assert result["changed"] is True, result
    assert result["detector"]["tags"] == {"Environment": "test", "Owner": "ops"}
    stubbed.assert_all_used()


def test_tags_unchanged_no_tag_calls_stubbed(stubbed):
    queue_read(stubbed, {"Environment": "test"})

    result = stubbed.run(guardduty_detector.main, BASE)

    assert result["changed"] is False, result
    stubbed.assert_all_used()
