# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared SSM validators and helpers (plugins/module_utils/ssm.py).

Validators are pure functions; the tag helpers run against the moto server (it emulates
AddTagsToResource / RemoveTagsFromResource / ListTagsForResource for maintenance windows).
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.module_utils import ssm
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import ASSOCIATION
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import MAINTENANCE_WINDOW

VALID_CRON = [
    "cron(0 2 ? * SUN *)",
    "cron(30 23 ? * TUE#3 *)",
    "cron(0 2 L * ? *)",
    "cron(15 10 ? * 6L *)",
    "cron(0/15 * * * ? *)",
    "cron(0/5 8-17 ? * MON-FRI *)",
    "cron(0 8 1 * ? *)",
    "cron(0 0 15W * ? *)",
    "cron(0 0 LW * ? 2025-2030)",
    "cron(0 2 ? JAN,JUL MON#1 *)",
    "cron(0 2 ? * mon *)",
    "cron(0 */30 * * * ? *)",  # optional leading seconds field
    "cron(24 30 09 ? * * *)",
]

INVALID_CRON = [
    ("cron(0 2 * * SUN *)", "exactly one of the day-of-month and day-of-week"),
    ("cron(0 2 ? * ? *)", "exactly one of the day-of-month and day-of-week"),
    ("cron(0 2 ? * SUN)", "6 fields"),
    ("cron(0 0 2 ? * SUN * 1)", "6 fields"),
    ("cron(60 2 ? * SUN *)", "minutes"),
    ("cron(0 24 ? * SUN *)", "hours"),
    ("cron(0 2 32 * ? *)", "day-of-month"),
    ("cron(0 2 ? 13 SUN *)", "month"),
    ("cron(0 2 ? * SUNDAY *)", "day-of-week"),
    ("cron(0 2 ? * 8 *)", "day-of-week"),
    ("cron(0 2 ? * MON#6 *)", "day-of-week"),
    ("cron(0 2 ? * SUN 1969)", "year"),
    ("cron(0/0 2 ? * SUN *)", "minutes"),
    ("cron(0 2-x ? * SUN *)", "hours"),
    ("cron(60 0 2 ? * SUN *)", "seconds"),
    ("cron(0 2 ? * SUN *", "cron(...), rate(...) or at(...)"),
    ("Cron(0 2 ? * SUN *)", "cron(...), rate(...) or at(...)"),
    ("0 2 * * 0", "cron(...), rate(...) or at(...)"),
]


@pytest.mark.parametrize("expression", VALID_CRON)
def test_valid_cron(expression):
    assert ssm.schedule_expression_error(expression, "schedule") is None


@pytest.mark.parametrize("expression, reason", INVALID_CRON)
def test_invalid_cron_names_the_option_and_the_reason(expression, reason):
    message = ssm.schedule_expression_error(expression, "schedule")
    assert message is not None
    assert message.startswith(f"schedule {expression!r} is not a valid maintenance window schedule")
    assert reason in message


@pytest.mark.parametrize("expression", ["rate(1 day)", "rate(7 days)", "rate(30 minutes)", "rate(1 minute)", "rate(12 hours)"])
def test_valid_rate(expression):
    assert ssm.schedule_expression_error(expression, "schedule", MAINTENANCE_WINDOW) is None


@pytest.mark.parametrize(
    "expression, reason",
    [
        ("rate(1 days)", "singular for 1"),
        ("rate(2 day)", "plural otherwise"),
        ("rate(0 minutes)", "positive"),
        ("rate(7 weeks)", "rate(N unit)"),
        ("rate(7days)", "rate(N unit)"),
        ("rate(-1 days)", "rate(N unit)"),
    ],
)
def test_invalid_rate(expression, reason):
    message = ssm.schedule_expression_error(expression, "schedule")
    assert message is not None and reason in message


@pytest.mark.parametrize(
    "expression, valid",
    [
        ("rate(29 minutes)", False),
        ("rate(30 minutes)", True),
        ("rate(1 hour)", True),
        ("rate(30 days)", True),
        ("rate(743 hours)", True),
        ("rate(744 hours)", False),
        ("rate(31 days)", False),
        ("cron(0 0/4 * * ? *)", True),
    ],
)
def test_association_rate_limits(expression, valid):
    message = ssm.schedule_expression_error(expression, "schedule_expression", ASSOCIATION)
    assert (message is None) == valid, message
    if not valid:
        assert message.startswith("schedule_expression ") and "not a valid association schedule" in message
    # maintenance windows accept any rate
    assert ssm.schedule_expression_error(expression, "schedule", MAINTENANCE_WINDOW) is None


@pytest.mark.parametrize("expression, valid", [("at(2025-07-07T13:15:30)", True), ("at(2025-13-07T13:15:30)", False), ("at(2025-07-07 13:15:30)", False)])
def test_at(expression, valid):
    assert (ssm.schedule_expression_error(expression, "schedule") is None) == valid


def test_no_schedule_is_not_an_error():
    assert ssm.schedule_expression_error(None, "schedule") is None


def test_is_cron():
    assert ssm.is_cron("cron(0 2 ? * SUN *)")
    assert not ssm.is_cron("rate(7 days)")
    assert not ssm.is_cron(None)


@pytest.mark.parametrize("value", ["1", "10", "1%", "50%", "100%", "1000000"])
def test_valid_max_concurrency(value):
    assert ssm.rate_control_error(value, "max_concurrency", "max_concurrency") is None


@pytest.mark.parametrize("value", ["0", "0%", "101%", "abc", "10000000", "-1", "1.5", "05", ""])
def test_invalid_max_concurrency(value):
    message = ssm.rate_control_error(value, "tasks[0].max_concurrency", "max_concurrency")
    assert message is not None and message.startswith("tasks[0].max_concurrency must be")


@pytest.mark.parametrize("value", ["0", "0%", "5%", "100%", "25"])
def test_valid_max_errors(value):
    assert ssm.rate_control_error(value, "max_errors", "max_errors") is None


@pytest.mark.parametrize("value", ["101%", "-1", "x", "00", "1e3"])
def test_invalid_max_errors(value):
    message = ssm.rate_control_error(value, "max_errors", "max_errors")
    assert message is not None and message.startswith("max_errors must be")


def test_timezones():
    if ssm.zoneinfo is None or not ssm.zoneinfo.available_timezones():
        pytest.skip("no time zone database on this host")
    assert ssm.timezone_error("Europe/Paris", "schedule_timezone") is None
    assert ssm.timezone_error("UTC", "schedule_timezone") is None
    assert ssm.timezone_error(None, "schedule_timezone") is None
    for bad in ("Europe/Pariss", "Mars/Olympus", "../etc/passwd"):
        message = ssm.timezone_error(bad, "schedule_timezone")
        assert message is not None and message.startswith("schedule_timezone must be an IANA time zone")


@pytest.mark.parametrize("value, valid", [("hp-patch_web.1", True), ("abc", True), ("ab", False), ("a b c", False), ("x" * 129, False), (None, True)])
def test_names(value, valid):
    assert (ssm.name_error(value, "name") is None) == valid


def test_targets():
    tag = {"key": "tag:PatchGroup", "values": ["hp-web"]}
    assert ssm.targets_error([tag], "targets") is None
    assert ssm.targets_error([{"key": "resource-groups:Name", "values": ["web"]}], "targets") is None
    assert "at most 5 targets" in ssm.targets_error([tag] * 6, "targets")
    assert ssm.targets_error([{"key": "tag:A", "values": [str(i) for i in range(51)]}], "targets").startswith("targets[0].values")
    assert ssm.targets_error([{"key": "tag:A;rm", "values": ["x"]}], "targets").startswith("targets[0].key")
    assert ssm.targets_to_boto3([tag]) == [{"Key": "tag:PatchGroup", "Values": ["hp-web"]}]
    assert ssm.targets_key([{"Key": "b", "Values": ["2", "1"]}, {"Key": "a", "Values": []}]) == ssm.targets_key(
        [{"Key": "a"}, {"Key": "b", "Values": ["1", "2"]}]
    )


def test_parameters_to_lists():
    parameters, error = ssm.parameters_to_lists({"Operation": "Install", "Check": False, "Retries": 3, "Tags": ["a", "b"]}, "parameters")
    assert error is None
    assert parameters == {"Operation": ["Install"], "Check": ["false"], "Retries": ["3"], "Tags": ["a", "b"]}
    assert ssm.parameters_to_lists({"SourceInfo": {"path": "x"}}, "run_command.parameters") == (
        None,
        "run_command.parameters.SourceInfo must be a string or a list of strings",
    )
    assert ssm.parameters_to_lists(None, "parameters") == (None, None)
    assert ssm.parameters_key({"b": ["1"], "a": ["2"]}) == ssm.parameters_key({"a": ["2"], "b": ["1"]})


def test_snake_keep_parameters_keeps_document_parameter_names():
    task = {"TaskInvocationParameters": {"RunCommand": {"Parameters": {"RebootOption": ["NoReboot"]}, "OutputS3BucketName": "b"}}, "MaxErrors": "0"}
    assert ssm.snake_keep_parameters(task) == {
        "task_invocation_parameters": {"run_command": {"parameters": {"RebootOption": ["NoReboot"]}, "output_s3_bucket_name": "b"}},
        "max_errors": "0",
    }


def test_tag_helpers_against_the_emulator(aws):
    from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
    from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

    client = RetryingBotoClientWrapper(aws.client("ssm"), AWSRetry.jittered_backoff(retries=2))
    window_id = client.create_maintenance_window(
        Name="hp-tags",
        Schedule="rate(7 days)",
        Duration=2,
        Cutoff=0,
        AllowUnassociatedTargets=False,
        Tags=[{"Key": "Old", "Value": "1"}, {"Key": "Keep", "Value": "k"}],
    )["WindowId"]
    current = ssm.ssm_tags(client, "MaintenanceWindow", window_id)
    assert current == {"Old": "1", "Keep": "k"}

    assert ssm.ssm_update_tags(client, "MaintenanceWindow", window_id, current, {"Keep": "k", "New": "n"}, True, check_mode=True) is True
    assert ssm.ssm_tags(client, "MaintenanceWindow", window_id) == current, "check mode changes nothing"

    assert ssm.ssm_update_tags(client, "MaintenanceWindow", window_id, current, {"Keep": "k", "New": "n"}, True, check_mode=False) is True
    assert ssm.ssm_tags(client, "MaintenanceWindow", window_id) == {"Keep": "k", "New": "n"}

    current = ssm.ssm_tags(client, "MaintenanceWindow", window_id)
    assert ssm.ssm_update_tags(client, "MaintenanceWindow", window_id, current, {"Keep": "k"}, False, check_mode=False) is False
    assert ssm.ssm_update_tags(client, "MaintenanceWindow", window_id, current, None, True, check_mode=False) is False
