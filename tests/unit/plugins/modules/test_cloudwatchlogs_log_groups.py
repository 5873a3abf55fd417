# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""cloudwatchlogs_log_groups and cloudwatchlogs_log_groups_info.

Against the moto server: create with KMS key, retention and tags, the no-op, retention and tag
updates, delete, check mode and bad input.

With the botocore Stubber: changing the KMS key of an existing group. moto 5.2.5 answers
AssociateKmsKey and DisassociateKmsKey with HTTP 500; the Stubber validates every request
against the real botocore model and fails on any call that was not queued.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import cloudwatchlogs_log_groups
from ansible_collections.healthplatform.aws.plugins.modules import cloudwatchlogs_log_groups_info

TRAIL = "/hp-test/cloudtrail"
LAMBDA = "/aws/lambda/hp-test-scheduling"
KEY_B = "arn:aws:kms:us-east-1:123456789012:key/bbbbbbbb-2222-3333-4444-555555555555"


@pytest.fixture
def key(aws):
    return aws.client("kms").create_key()["KeyMetadata"]["Arn"]


def args(key, **extra):
    result = {
        "retention_in_days": 2192,
        "min_retention_in_days": 365,
        "kms_key_id": key,
        "log_groups": [{"name": TRAIL}, {"name": LAMBDA, "retention_in_days": 400, "tags": {"Function": "scheduling"}}],
        "tags": {"Environment": "test"},
    }
    result.update(extra)
    return result


def live(aws):
    logs = aws.client("logs")
    groups = {g["logGroupName"]: g for g in logs.describe_log_groups()["logGroups"]}
    for name, group in groups.items():
        group["tags"] = logs.list_tags_log_group(logGroupName=name)["tags"]
    return groups


def test_create(aws, key):
    result = aws.run(cloudwatchlogs_log_groups.main, args(key), diff=True)

    assert result["changed"] is True
    groups = live(aws)
    assert groups[TRAIL]["retentionInDays"] == 2192, "2192 days (six years) must be accepted"
    assert groups[TRAIL]["kmsKeyId"] == key
    assert groups[TRAIL]["tags"] == {"Environment": "test"}
    assert groups[LAMBDA]["retentionInDays"] == 400
    assert groups[LAMBDA]["tags"] == {"Environment": "test", "Function": "scheduling"}
    assert result["arns"] == {
        TRAIL: f"arn:aws:logs:us-east-1:123456789012:log-group:{TRAIL}",
        LAMBDA: f"arn:aws:logs:us-east-1:123456789012:log-group:{LAMBDA}",
    }
    assert result["log_groups"][0]["kms_key_id"] == key
    assert result["diff"]["before"] == {TRAIL: {}, LAMBDA: {}}
    assert result["diff"]["after"][TRAIL] == {"retention_in_days": 2192, "kms_key_id": key, "tags": {"Environment": "test"}}


def test_no_change_makes_no_mutating_call(aws, key):
    aws.run(cloudwatchlogs_log_groups.main, args(key))
    with aws.recording() as calls:
        result = aws.run(cloudwatchlogs_log_groups.main, args(key))
        checked = aws.run(cloudwatchlogs_log_groups.main, args(key), check_mode=True)

    assert result["changed"] is False
    assert checked["changed"] is False
    assert calls
    assert aws.mutating(calls) == []
    assert sorted(result["arns"]) == sorted([TRAIL, LAMBDA])


def test_retention_and_tags_update(aws, key):
    aws.run(cloudwatchlogs_log_groups.main, args(key))
    with aws.recording() as calls:
        result = aws.run(cloudwatchlogs_log_groups.main, args(key, retention_in_days=3653, tags={"Environment": "test", "Owner": "ops"}), diff=True)

    assert result["changed"] is True
    assert sorted(aws.mutating(calls)) == ["logs:PutRetentionPolicy", "logs:TagResource", "logs:TagResource"]
    groups = live(aws)
    assert groups[TRAIL]["retentionInDays"] == 3653
    assert groups[LAMBDA]["retentionInDays"] == 400
    assert groups[TRAIL]["tags"] == {"Environment": "test", "Owner": "ops"}
    assert result["diff"]["before"][TRAIL]["retention_in_days"] == 2192
    assert result["diff"]["after"][TRAIL]["retention_in_days"] == 3653


def test_retention_forever_and_purge_tags(aws, key):
    aws.run(cloudwatchlogs_log_groups.main, args(key))
    result = aws.run(cloudwatchlogs_log_groups.main, {"log_groups": [{"name": TRAIL}], "retention_in_days": 0, "tags": {}})

    assert result["changed"] is True
    group = live(aws)[TRAIL]
    assert "retentionInDays" not in group
    assert group["tags"] == {}
    assert group["kmsKeyId"] == key, "kms_key_id omitted: the key is left alone"


def test_purge_tags_false_keeps_other_tags(aws, key):
    aws.run(cloudwatchlogs_log_groups.main, args(key))
    aws.run(cloudwatchlogs_log_groups.main, {"log_groups": [{"name": TRAIL}], "tags": {"Owner": "ops"}, "purge_tags": False})
    assert live(aws)[TRAIL]["tags"] == {"Environment": "test", "Owner": "ops"}


def test_check_mode_changes_nothing(aws, key):
    with aws.recording() as calls:
        created = aws.run(cloudwatchlogs_log_groups.main, args(key), check_mode=True)
    assert created["changed"] is True
    assert [g["log_group_name"] for g in created["log_groups"]] == [TRAIL, LAMBDA]
    assert aws.mutating(calls) == []
    assert live(aws) == {}

    aws.run(cloudwatchlogs_log_groups.main, args(key))
    with aws.recording() as calls:
        updated = aws.run(cloudwatchlogs_log_groups.main, args(key, retention_in_days=3653), check_mode=True)
        deleted = aws.run(cloudwatchlogs_log_groups.main, args(key, state="absent"), check_mode=True)
    assert updated["changed"] is True and updated["log_groups"][0]["retention_in_days"] == 3653
    assert deleted["changed"] is True
    assert aws.mutating(calls) == []
    assert live(aws)[TRAIL]["retentionInDays"] == 2192


def test_delete_and_delete_again(aws, key):
    aws.run(cloudwatchlogs_log_groups.main, args(key))
    result = aws.run(cloudwatchlogs_log_groups.main, args(key, state="absent"), diff=True)
    assert result["changed"] is True
    assert live(aws) == {}
    assert sorted(result["diff"]["before"]) == sorted([TRAIL, LAMBDA])
    assert aws.run(cloudwatchlogs_log_groups.main, args(key, state="absent"))["changed"] is False


def test_prefix_lookalikes_are_not_confused(aws, key):
    aws.client("logs").create_log_group(logGroupName=TRAIL + "-old")
    result = aws.run(cloudwatchlogs_log_groups.main, args(key))
    assert result["changed"] is True
    assert sorted(live(aws)) == sorted([TRAIL, TRAIL + "-old", LAMBDA])


def test_change_kms_key_stubbed(stubbed):
    logs = stubbed("logs")
    group = {
        "logGroupName": TRAIL,
        "retentionInDays": 2192,
        "kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/aaaa",
        "arn": f"arn:aws:logs:us-east-1:123456789012:log-group:{TRAIL}:*",
    }
    logs.add_response("describe_log_groups", {"logGroups": [group]}, {"logGroupNamePrefix": TRAIL})
    logs.add_response("associate_kms_key", {}, {"logGroupName": TRAIL, "kmsKeyId": KEY_B})

    result = stubbed.run(cloudwatchlogs_log_groups.main, {"log_groups": [{"name": TRAIL}], "kms_key_id": KEY_B, "retention_in_days": 2192}, diff=True)

    assert result["changed"] is True, result
    assert result["log_groups"][0]["kms_key_id"] == KEY_B
    assert result["diff"]["before"][TRAIL]["kms_key_id"].endswith("key/aaaa")
    stubbed.assert_all_used()


def test_remove_kms_key_stubbed(stubbed):
    logs = stubbed("logs")
    group = {"logGroupName": TRAIL, "kmsKeyId": KEY_B, "arn": f"arn:aws:logs:us-east-1:123456789012:log-group:{TRAIL}:*"}
    logs.add_response("describe_log_groups", {"logGroups": [group]}, {"logGroupNamePrefix": TRAIL})
    logs.add_response("disassociate_kms_key", {}, {"logGroupName": TRAIL})

    result = stubbed.run(cloudwatchlogs_log_groups.main, {"log_groups": [{"name": TRAIL}], "kms_key_id": ""})

    assert result["changed"] is True, result
    assert "kms_key_id" not in result["log_groups"][0]
    stubbed.assert_all_used()


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"retention_in_days": 42}, "retention_in_days"),
        ({"retention_in_days": 180}, "retention_in_days"),  # below the floor of 365
        ({"log_groups": [{"name": TRAIL, "retention_in_days": 30}]}, "log_groups[0].retention_in_days"),
        ({"log_groups": [{"name": TRAIL, "retention_in_days": 31}]}, "log_groups[0].retention_in_days"),
        ({"kms_key_id": "alias/hp-logs"}, "kms_key_id"),
        ({"log_groups": [{"name": "bad name!"}]}, "log_groups[0].name"),
        ({"log_groups": [{"name": TRAIL}, {"name": TRAIL}]}, "log_groups[1].name"),
    ],
)
def test_bad_input_fails_before_any_call(aws, key, extra, option):
    with aws.recording() as calls:
        result = aws.run(cloudwatchlogs_log_groups.main, args(key, **extra))

    assert result.failed
    assert option in result["msg"]
    assert calls == []
    assert live(aws) == {}


def test_info(aws, key):
    aws.run(cloudwatchlogs_log_groups.main, args(key))
    by_prefix = aws.run(cloudwatchlogs_log_groups_info.main, {"prefix": "/hp-test/"})
    by_name = aws.run(cloudwatchlogs_log_groups_info.main, {"names": [LAMBDA, "/missing"], "tags": False})

    assert [g["log_group_name"] for g in by_prefix["log_groups"]] == [TRAIL]
    assert by_prefix["log_groups"][0]["tags"] == {"Environment": "test"}
    assert by_prefix["log_groups"][0]["kms_key_id"] == key
    assert [g["log_group_name"] for g in by_name["log_groups"]] == [LAMBDA]
    assert "tags" not in by_name["log_groups"][0]
