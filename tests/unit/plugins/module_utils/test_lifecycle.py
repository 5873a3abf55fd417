# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared snapshot-schedule and backup helpers (plugins/module_utils/lifecycle.py).

Validators are pure functions; the AWS Backup tag helpers run against the moto server (it emulates
ListTags / TagResource / UntagResource for backup vaults).
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.module_utils import lifecycle

# --- cron ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    ["cron(0 5 ? * * *)", "cron(0 2 ? * SUN *)", "cron(0 5 1 * ? *)", "cron(30 3 ? * MON-FRI *)", "cron(0 0/6 * * ? *)", "cron(0 5 L * ? *)"],
)
def test_valid_cron(expression):
    assert lifecycle.cron_error(expression, "schedules[0].create_rule.cron_expression") is None


@pytest.mark.parametrize(
    "expression, reason",
    [
        ("cron(0 25 ? * * *)", "hours"),
        ("cron(0 5 * * MON *)", "exactly one of the day-of-month and day-of-week"),
        ("cron(0 5 ? * *)", "6 fields"),
        ("cron(0 0 5 ? * * *)", "6 fields"),  # the seconds field only Systems Manager accepts
        ("rate(1 day)", "must be a cron(...) expression"),
        ("at(2025-01-01T00:00:00)", "must be a cron(...) expression"),
        ("cron(0 5 ? * * *", "must be a cron(...) expression"),
        ("0 5 * * *", "must be a cron(...) expression"),
    ],
)
def test_invalid_cron_names_the_option(expression, reason):
    message = lifecycle.cron_error(expression, "schedules[2].create_rule.cron_expression")
    assert message.startswith(f"schedules[2].create_rule.cron_expression {expression!r} is not a valid snapshot schedule")
    assert reason in message


def test_cron_kind_and_none():
    assert lifecycle.cron_error(None, "x") is None
    assert "not a valid backup schedule" in lifecycle.cron_error("cron(99 5 ? * * *)", "rules[0].schedule_expression", kind="backup")


# --- retention -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule, api",
    [
        ({"count": 14, "interval": None, "interval_unit": None}, {"Count": 14}),
        ({"count": None, "interval": 14, "interval_unit": "DAYS"}, {"Interval": 14, "IntervalUnit": "DAYS"}),
        ({"interval": 1, "interval_unit": "YEARS"}, {"Interval": 1, "IntervalUnit": "YEARS"}),
    ],
)
def test_valid_retain_rules(rule, api):
    assert lifecycle.retain_rule_error(rule, "retain_rule") is None
    assert lifecycle.retain_rule_to_api(rule) == api


@pytest.mark.parametrize(
    "rule, reason",
    [
        ({"count": 7, "interval": 7, "interval_unit": "DAYS"}, "retain_rule retains either by count (retain_rule.count) or by age"),
        ({"count": 7, "interval_unit": "DAYS"}, "not both"),
        ({}, "retain_rule needs retain_rule.count, or retain_rule.interval and retain_rule.interval_unit"),
        ({"interval": 7}, "give both retain_rule.interval and retain_rule.interval_unit"),
        ({"interval_unit": "DAYS"}, "give both"),
        ({"count": 0}, "retain_rule.count must be from 1 to 1000"),
        ({"count": 1001}, "retain_rule.count must be from 1 to 1000"),
        ({"interval": 0, "interval_unit": "DAYS"}, "retain_rule.interval must be at least 1"),
        ({"interval": 3, "interval_unit": "HOURS"}, "retain_rule.interval_unit must be one of DAYS, WEEKS, MONTHS, YEARS"),
    ],
)
def test_invalid_retain_rules(rule, reason):
    assert reason in lifecycle.retain_rule_error(rule, "retain_rule")


def test_copy_retention_is_by_age_only():
    assert "retain copies by age" in lifecycle.retain_rule_error({"count": 3}, "copy.retain_rule", allow_count=False)
    assert (
        lifecycle.retain_rule_error({}, "copy.retain_rule", allow_count=False)
        == "copy.retain_rule needs copy.retain_rule.interval and copy.retain_rule.interval_unit"
    )
    assert lifecycle.retain_rule_error(None, "copy.retain_rule", allow_count=False) is None
    assert lifecycle.retain_rule_to_api(None) is None


@pytest.mark.parametrize(
    "minimum, maximum, reason",
    [
        (7, 35, None),
        (35, 35, None),
        (None, 35, None),
        (7, None, None),
        (None, None, None),
        (36, 35, "lock.min_retention_days (36) must not be greater than lock.max_retention_days (35)"),
        (0, 35, "lock.min_retention_days must be from 1 to 36500 days, got 0"),
        (7, 36501, "lock.max_retention_days must be from 1 to 36500 days, got 36501"),
    ],
)
def test_retention_range(minimum, maximum, reason):
    assert lifecycle.retention_range_error(minimum, maximum, "lock.min_retention_days", "lock.max_retention_days") == reason


@pytest.mark.parametrize("value, ok", [(None, True), (3, True), (36500, True), (2, False), (0, False), (36501, False)])
def test_changeable_days(value, ok):
    message = lifecycle.changeable_days_error(value, "lock.changeable_for_days")
    assert (message is None) is ok
    if not ok:
        assert message.startswith("lock.changeable_for_days must be from 3 to 36500 days")


# --- ARNs and regions ------------------------------------------------------------------


def test_kms_key_arns():
    key = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert lifecycle.kms_key_arn_error(key, "cmk_arn") is None
    assert lifecycle.kms_key_arn_error("arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-1234abcd", "cmk_arn") is None
    assert lifecycle.kms_key_region(key) == "us-west-2"
    assert lifecycle.kms_key_region(None) is None
    for bad in ("alias/aws/backup", "arn:aws:kms:us-west-2:123456789012:alias/backup", "1234abcd-12ab-34cd-56ef-1234567890ab"):
        assert lifecycle.kms_key_arn_error(bad, "cmk_arn").startswith("cmk_arn must be a KMS key ARN")


def test_role_arns_and_regions():
    assert lifecycle.role_arn_error("arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole", "iam_role_arn") is None
    assert lifecycle.role_arn_error("arn:aws:iam::123456789012:user/bob", "iam_role_arn").startswith("iam_role_arn must be an IAM role ARN")
    assert lifecycle.region_error("eu-central-1", "target_region") is None
    assert lifecycle.region_error("us-gov-west-1", "target_region") is None
    assert lifecycle.region_error("Frankfurt", "target_region").startswith("target_region must be an AWS region name")


# --- API helpers --------------------------------------------------------------------------


def test_all_pages_follows_next_token_with_retries():
    pages = {None: {"Items": [1, 2], "NextToken": "b"}, "b": {"Items": [3], "NextToken": "c"}, "c": {"Items": []}}
    requests = []

    def call(aws_retry=False, **request):
        requests.append((aws_retry, dict(request)))
        return pages[request.get("NextToken")]

    assert lifecycle.all_pages(call, "Items", BackupPlanId="p") == [1, 2, 3]
    assert requests == [(True, {"BackupPlanId": "p"}), (True, {"BackupPlanId": "p", "NextToken": "b"}), (True, {"BackupPlanId": "p", "NextToken": "c"})]


def test_snake_resource_keeps_tag_keys():
    result = lifecycle.snake_resource({"BackupVaultName": "v", "Tags": {"x": "y"}, "ResponseMetadata": {}}, {"CostCenter": "42"})
    assert result == {"backup_vault_name": "v", "tags": {"CostCenter": "42"}}
    assert lifecycle.snake_resource(None) == {}


def test_backup_tags_round_trip(aws):
    from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
    from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

    raw = aws.client("backup")
    arn = raw.create_backup_vault(BackupVaultName="tags-vault", BackupVaultTags={"Keep": "1", "Drop": "2"})["BackupVaultArn"]
    client = RetryingBotoClientWrapper(raw, AWSRetry.jittered_backoff(retries=2))

    current = lifecycle.backup_tags(client, arn)
    assert current == {"Keep": "1", "Drop": "2"}
    assert lifecycle.backup_update_tags(client, arn, current, {"Keep": "1", "New": "3"}, True, check_mode=True) is True
    assert lifecycle.backup_tags(client, arn) == current, "check mode changes nothing"
    assert lifecycle.backup_update_tags(client, arn, current, {"Keep": "1", "New": "3"}, True, check_mode=False) is True
    assert lifecycle.backup_tags(client, arn) == {"Keep": "1", "New": "3"}
    assert lifecycle.backup_update_tags(client, arn, {"Keep": "1", "New": "3"}, {"Keep": "1"}, False, check_mode=False) is False
    assert lifecycle.backup_update_tags(client, arn, {"Keep": "1", "New": "3"}, None, True, check_mode=False) is False
