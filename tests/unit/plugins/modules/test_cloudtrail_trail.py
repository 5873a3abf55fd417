# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""cloudtrail_trail and cloudtrail_trail_info against the moto server.

moto 5.2.5 implements CreateTrail, GetTrail, UpdateTrail, DeleteTrail, Start/StopLogging,
GetTrailStatus, Put/GetEventSelectors and the tag calls, so every path runs against it.
Two tests use the botocore Stubber for what moto does not do as AWS does: it never refuses a
just-made CloudWatch Logs role (so the bounded retry is shown with the Stubber), and it
keeps advanced event selectors beside basic ones. The Stubber validates every request against
the real botocore model and fails on any call that was not queued.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import cloudtrail_trail
from ansible_collections.healthplatform.aws.plugins.modules import cloudtrail_trail_info

ACCOUNT = "123456789012"
GROUP = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/hp-test/cloudtrail"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/hp-test-cloudtrail"
RECORDS = "arn:aws:s3:::hp-test-records/"


@pytest.fixture
def setup(aws):
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="hp-test-logs")
    s3.create_bucket(Bucket="hp-test-other-logs")
    kms = aws.client("kms")
    key = kms.create_key()["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/hp-test-logs", TargetKeyId=key)
    return key


def args(key, **extra):
    result = {
        "name": "hp-test",
        "s3_bucket_name": "hp-test-logs",
        "s3_key_prefix": "cloudtrail",
        "kms_key_id": key,
        "cloud_watch_logs_log_group_arn": GROUP,
        "cloud_watch_logs_role_arn": ROLE,
        "event_selectors": [{"data_resources": [{"type": "AWS::S3::Object", "values": [RECORDS]}]}],
        "tags": {"Environment": "test"},
    }
    result.update(extra)
    return result


def live(aws, name="hp-test"):
    ct = aws.client("cloudtrail")
    trail = ct.get_trail(Name=name)["Trail"]
    trail["IsLogging"] = ct.get_trail_status(Name=name)["IsLogging"]
    trail["EventSelectors"] = ct.get_event_selectors(TrailName=name)["EventSelectors"]
    trail["Tags"] = {t["Key"]: t["Value"] for t in ct.list_tags(ResourceIdList=[trail["TrailARN"]])["ResourceTagList"][0]["TagsList"]}
    return trail


def test_create(aws, setup):
    result = aws.run(cloudtrail_trail.main, args(setup), diff=True)

    assert result["changed"] is True
    trail = live(aws)
    assert trail["IsMultiRegionTrail"] is True
    assert trail["LogFileValidationEnabled"] is True
    assert trail["IncludeGlobalServiceEvents"] is True
    assert trail["KmsKeyId"] == setup
    assert trail["CloudWatchLogsLogGroupArn"] == GROUP + ":*"
    assert trail["CloudWatchLogsRoleArn"] == ROLE
    assert trail["S3KeyPrefix"] == "cloudtrail"
    assert trail["IsLogging"] is True
    assert trail["EventSelectors"] == [
        {
            "ReadWriteType": "All",
            "IncludeManagementEvents": True,
            "DataResources": [{"Type": "AWS::S3::Object", "Values": [RECORDS]}],
            "ExcludeManagementEventSources": [],
        }
    ]
    assert trail["Tags"] == {"Environment": "test"}
    assert result["trail"]["trail_arn"] == trail["TrailARN"]
    assert result["trail"]["is_logging"] is True
    assert result["diff"]["before"] == {}


def test_no_change_makes_no_mutating_call(aws, setup):
    aws.run(cloudtrail_trail.main, args(setup))
    with aws.recording() as calls:
        result = aws.run(cloudtrail_trail.main, args(setup))
        by_alias = aws.run(cloudtrail_trail.main, args("alias/hp-test-logs", cloud_watch_logs_log_group_arn=GROUP + ":*"))
        checked = aws.run(cloudtrail_trail.main, args(setup), check_mode=True)

    assert result["changed"] is False
    assert by_alias["changed"] is False, "an alias of the same key and the :* suffix are the same settings"
    assert checked["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_update_settings_selectors_logging_and_tags(aws, setup):
    aws.run(cloudtrail_trail.main, args(setup))
    changed = args(
        "",
        s3_bucket_name="hp-test-other-logs",
        enable_logging=False,
        event_selectors=[{"read_write_type": "WriteOnly", "exclude_management_event_sources": ["kms.amazonaws.com"]}],
        tags={"Environment": "test", "Owner": "ops"},
    )
    with aws.recording() as calls:
        result = aws.run(cloudtrail_trail.main, changed, diff=True)

    assert result["changed"] is True
    assert sorted(aws.mutating(calls)) == ["cloudtrail:AddTags", "cloudtrail:PutEventSelectors", "cloudtrail:StopLogging", "cloudtrail:UpdateTrail"]
    trail = live(aws)
    assert trail["S3BucketName"] == "hp-test-other-logs"
    assert not trail.get("KmsKeyId"), "an empty kms_key_id means S3-managed encryption"
    assert trail["IsLogging"] is False
    assert trail["EventSelectors"][0]["ReadWriteType"] == "WriteOnly"
    assert trail["Tags"] == {"Environment": "test", "Owner": "ops"}
    assert result["diff"]["before"]["kms_key_id"] == setup
    assert result["diff"]["after"]["is_logging"] is False
    assert aws.run(cloudtrail_trail.main, changed)["changed"] is False


def test_stop_cloudwatch_delivery(aws, setup):
    aws.run(cloudtrail_trail.main, args(setup))
    result = aws.run(cloudtrail_trail.main, args(setup, cloud_watch_logs_log_group_arn="", cloud_watch_logs_role_arn=""))
    assert result["changed"] is True
    assert not live(aws).get("CloudWatchLogsLogGroupArn")


def test_options_not_given_are_not_compared(aws, setup):
    aws.run(cloudtrail_trail.main, args(setup))
    with aws.recording() as calls:
        result = aws.run(cloudtrail_trail.main, {"name": "hp-test", "s3_bucket_name": "hp-test-logs"})
    assert result["changed"] is False
    assert aws.mutating(calls) == []


def test_check_mode_changes_nothing(aws, setup):
    with aws.recording() as calls:
        created = aws.run(cloudtrail_trail.main, args(setup), check_mode=True)
    assert created["changed"] is True
    assert created["trail"]["is_multi_region_trail"] is True
    assert aws.mutating(calls) == []
    assert aws.client("cloudtrail").describe_trails()["trailList"] == []

    aws.run(cloudtrail_trail.main, args(setup))
    with aws.recording() as calls:
        updated = aws.run(cloudtrail_trail.main, args(setup, enable_log_file_validation=False, enable_logging=False), check_mode=True)
        deleted = aws.run(cloudtrail_trail.main, args(setup, state="absent"), check_mode=True)
    assert updated["changed"] is True
    assert updated["trail"]["log_file_validation_enabled"] is False
    assert updated["trail"]["is_logging"] is False
    assert deleted["changed"] is True
    assert aws.mutating(calls) == []
    assert live(aws)["LogFileValidationEnabled"] is True


def test_delete_and_delete_again(aws, setup):
    aws.run(cloudtrail_trail.main, args(setup))
    assert aws.run(cloudtrail_trail.main, {"name": "hp-test", "state": "absent"})["changed"] is True
    assert aws.client("cloudtrail").describe_trails()["trailList"] == []
    assert aws.run(cloudtrail_trail.main, {"name": "hp-test", "state": "absent"})["changed"] is False


def test_missing_bucket_fails(aws, setup):
    result = aws.run(cloudtrail_trail.main, args(setup, s3_bucket_name="hp-no-such-bucket"))
    assert result.failed
    assert "Failed to manage the CloudTrail trail hp-test" in result["msg"]


def test_role_not_yet_usable_is_retried_stubbed(stubbed):
    ct = stubbed("cloudtrail")
    ct.add_client_error("get_trail", "TrailNotFoundException", "Unknown trail", expected_params={"Name": "hp-test"})
    ct.add_client_error("create_trail", "InvalidCloudWatchLogsRoleArnException", "Access denied. Verify in IAM that the role has adequate permissions.")
    ct.add_response("create_trail", {"Name": "hp-test", "TrailARN": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/hp-test"})
    ct.add_response("start_logging", {}, {"Name": "hp-test"})
    ct.add_response(
        "get_trail", {"Trail": {"Name": "hp-test", "TrailARN": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/hp-test", "S3BucketName": "hp-test-logs"}}
    )

    args_ = {"name": "hp-test", "s3_bucket_name": "hp-test-logs", "cloud_watch_logs_log_group_arn": GROUP, "cloud_watch_logs_role_arn": ROLE}
    result = stubbed.run(cloudtrail_trail.main, args_)

    assert result["changed"] is True, result
    assert result["trail"]["is_logging"] is True
    stubbed.assert_all_used()


def test_advanced_selectors_are_replaced_stubbed(stubbed):
    arn = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/hp-test"
    ct = stubbed("cloudtrail")
    ct.add_response(
        "get_trail",
        {
            "Trail": {
                "Name": "hp-test",
                "TrailARN": arn,
                "S3BucketName": "hp-test-logs",
                "IsMultiRegionTrail": True,
                "IncludeGlobalServiceEvents": True,
                "LogFileValidationEnabled": True,
            }
        },
    )
    ct.add_response("get_trail_status", {"IsLogging": True}, {"Name": "hp-test"})
    ct.add_response(
        "get_event_selectors",
        {"TrailARN": arn, "AdvancedEventSelectors": [{"Name": "mgmt", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]},
        {"TrailName": "hp-test"},
    )
    selectors = [{"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": [], "ExcludeManagementEventSources": []}]
    ct.add_response("put_event_selectors", {}, {"TrailName": "hp-test", "EventSelectors": selectors})

    result = stubbed.run(cloudtrail_trail.main, {"name": "hp-test", "s3_bucket_name": "hp-test-logs", "event_selectors": [{}]})

    assert result["changed"] is True, result
    stubbed.assert_all_used()


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"name": "ab"}, "name"),
        ({"name": "-trail"}, "name"),
        ({"s3_bucket_name": None}, "s3_bucket_name"),
        ({"s3_bucket_name": "Bad_Bucket"}, "s3_bucket_name"),
        ({"cloud_watch_logs_log_group_arn": "/hp-test/cloudtrail"}, "cloud_watch_logs_log_group_arn"),
        ({"cloud_watch_logs_role_arn": None}, "cloud_watch_logs_role_arn"),
        ({"cloud_watch_logs_role_arn": "role"}, "cloud_watch_logs_role_arn"),
        (
            {"event_selectors": [{"data_resources": [{"type": "AWS::S3::Object", "values": ["hp-test-records"]}]}]},
            "event_selectors[0].data_resources[0].values",
        ),
        ({"event_selectors": [{"data_resources": [{"type": "AWS::S3::Bucket", "values": [RECORDS]}]}]}, "type"),
    ],
)
def test_bad_input_fails_before_any_call(aws, setup, extra, option):
    with aws.recording() as calls:
        result = aws.run(cloudtrail_trail.main, args(setup, **extra))
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info(aws, setup):
    aws.run(cloudtrail_trail.main, args(setup))
    result = aws.run(cloudtrail_trail_info.main, {"names": ["hp-test"]})
    (trail,) = result["trails"]
    assert trail["is_logging"] is True
    assert trail["tags"] == {"Environment": "test"}
    assert trail["event_selectors"][0]["data_resources"] == [{"type": "AWS::S3::Object", "values": [RECORDS]}]
    assert aws.run(cloudtrail_trail_info.main, {})["trails"][0]["name"] == "hp-test"
