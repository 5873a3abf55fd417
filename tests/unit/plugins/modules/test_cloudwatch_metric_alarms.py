# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""cloudwatch_metric_alarms and cloudwatch_metric_alarms_info against the moto server.

moto 5.2.5 implements PutMetricAlarm (plain and metric math), DescribeAlarms, DeleteAlarms,
the alarm tag calls and the CloudWatch Logs metric filter calls, so every path runs against it.
One test uses the botocore Stubber: moto accepts a metric filter on a log group that does not
exist, where AWS answers ResourceNotFoundException; the Stubber validates every request against
the real botocore model and fails on any call that was not queued.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import cloudwatch_metric_alarms
from ansible_collections.healthplatform.aws.plugins.modules import cloudwatch_metric_alarms_info

GROUP = "/hp-test/cloudtrail"
TOPIC = "arn:aws:sns:us-east-1:123456789012:hp-test-alerts"
OTHER_TOPIC = "arn:aws:sns:us-east-1:123456789012:hp-test-other"


def root_alarm(**extra):
    alarm = {
        "name": "hp-test-cis-root-usage",
        "description": "CIS - the root user was used",
        "metric_name": "RootAccountUsage",
        "namespace": "hp-test/CIS",
        "statistic": "Sum",
        "period": 300,
        "threshold": 1,
        "comparison_operator": "GreaterThanOrEqualToThreshold",
        "treat_missing_data": "notBreaching",
        "metric_filter": {"log_group_name": GROUP, "pattern": '{ $.userIdentity.type = "Root" }'},
    }
    alarm.update(extra)
    return alarm


def asg_alarm():
    return {
        "name": "hp-test-asg-below-minimum",
        "threshold": 0,
        "comparison_operator": "LessThanThreshold",
        "metrics": [
            {"id": "shortfall", "expression": "in_service - minimum", "return_data": True},
            {
                "id": "in_service",
                "metric_name": "GroupInServiceInstances",
                "namespace": "AWS/AutoScaling",
                "dimensions": {"AutoScalingGroupName": "web"},
                "stat": "Minimum",
                "period": 60,
                "return_data": False,
            },
            {
                "id": "minimum",
                "metric_name": "GroupMinSize",
                "namespace": "AWS/AutoScaling",
                "dimensions": {"AutoScalingGroupName": "web"},
                "stat": "Minimum",
                "period": 60,
                "return_data": False,
            },
        ],
    }


def db_alarm(name="hp-test-db-cpu"):
    return {
        "name": name,
        "metric_name": "CPUUtilization",
        "namespace": "AWS/RDS",
        "statistic": "Average",
        "dimensions": {"DBInstanceIdentifier": "hp-test-db"},
        "period": 300,
        "evaluation_periods": 3,
        "datapoints_to_alarm": 2,
        "threshold": 80,
        "comparison_operator": "GreaterThanThreshold",
    }


def args(*alarms, **extra):
    result = {"alarm_actions": [TOPIC], "alarms": list(alarms) or [root_alarm(), asg_alarm(), db_alarm()], "tags": {"Environment": "test"}}
    result.update(extra)
    return result


@pytest.fixture
def group(aws):
    aws.client("logs").create_log_group(logGroupName=GROUP)
    return GROUP


def live_alarms(aws):
    return {a["AlarmName"]: a for a in aws.client("cloudwatch").describe_alarms()["MetricAlarms"]}


def live_filters(aws):
    return {f["filterName"]: f for f in aws.client("logs").describe_metric_filters(logGroupName=GROUP)["metricFilters"]}


def live_tags(aws, name):
    arn = f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{name}"
    return {t["Key"]: t["Value"] for t in aws.client("cloudwatch").list_tags_for_resource(ResourceARN=arn)["Tags"]}


def test_create_alarms_with_filter_and_metric_math(aws, group):
    result = aws.run(cloudwatch_metric_alarms.main, args(), diff=True)

    assert result["changed"] is True
    assert sorted(result["changed_alarms"]) == ["hp-test-asg-below-minimum", "hp-test-cis-root-usage", "hp-test-db-cpu"]
    alarms = live_alarms(aws)
    root = alarms["hp-test-cis-root-usage"]
    assert root["AlarmActions"] == [TOPIC]
    assert root["MetricName"] == "RootAccountUsage" and root["Namespace"] == "hp-test/CIS"
    assert root["TreatMissingData"] == "notBreaching"
    assert root["AlarmDescription"] == "CIS - the root user was used"
    (expression, *_queries) = alarms["hp-test-asg-below-minimum"]["Metrics"]
    assert expression == {"Id": "shortfall", "Expression": "in_service - minimum", "ReturnData": True}
    assert alarms["hp-test-db-cpu"]["Dimensions"] == [{"Name": "DBInstanceIdentifier", "Value": "hp-test-db"}]
    assert alarms["hp-test-db-cpu"]["DatapointsToAlarm"] == 2
    (root_filter,) = live_filters(aws).values()
    assert root_filter["filterName"] == "hp-test-cis-root-usage"
    assert root_filter["filterPattern"] == '{ $.userIdentity.type = "Root" }'
    assert root_filter["metricTransformations"] == [{"metricName": "RootAccountUsage", "metricNamespace": "hp-test/CIS", "metricValue": "1"}]
    assert live_tags(aws, "hp-test-db-cpu") == {"Environment": "test"}
    assert result["alarms"][0]["alarm_arn"] == root["AlarmArn"]
    assert result["alarms"][0]["tags"] == {"Environment": "test"}
    assert result["diff"]["before"] == {}
    assert set(result["diff"]["after"]) == set(result["changed_alarms"])


def test_no_change_makes_no_mutating_call(aws, group):
    aws.run(cloudwatch_metric_alarms.main, args())
    with aws.recording() as calls:
        result = aws.run(cloudwatch_metric_alarms.main, args())
        checked = aws.run(cloudwatch_metric_alarms.main, args(), check_mode=True)

    assert result["changed"] is False, result["changed_alarms"]
    assert checked["changed"] is False
    assert result["changed_alarms"] == []
    assert calls, "the module must read the alarms"
    assert aws.mutating(calls) == []


def test_update_threshold_pattern_actions_and_tags(aws, group):
    aws.run(cloudwatch_metric_alarms.main, args())
    changed_root = root_alarm(
        threshold=2,
        alarm_actions=[OTHER_TOPIC],
        metric_filter={"log_group_name": GROUP, "pattern": '{ $.userIdentity.type = "Root" && $.eventType != "AwsServiceEvent" }'},
    )
    with aws.recording() as calls:
        result = aws.run(cloudwatch_metric_alarms.main, args(changed_root, asg_alarm(), db_alarm(), tags={"Environment": "test", "Owner": "ops"}), diff=True)

    assert result["changed"] is True
    assert sorted(result["changed_alarms"]) == ["hp-test-asg-below-minimum", "hp-test-cis-root-usage", "hp-test-db-cpu"]  # all retagged
    assert aws.mutating(calls).count("cloudwatch:PutMetricAlarm") == 1
    assert aws.mutating(calls).count("logs:PutMetricFilter") == 1
    root = live_alarms(aws)["hp-test-cis-root-usage"]
    assert root["Threshold"] == 2.0
    assert root["AlarmActions"] == [OTHER_TOPIC]
    assert "AwsServiceEvent" in live_filters(aws)["hp-test-cis-root-usage"]["filterPattern"]
    assert live_tags(aws, "hp-test-cis-root-usage") == {"Environment": "test", "Owner": "ops"}
    assert result["diff"]["before"]["hp-test-cis-root-usage"]["threshold"] == 1.0
    assert result["diff"]["after"]["hp-test-cis-root-usage"]["threshold"] == 2.0


def test_removed_optional_field_is_a_change(aws, group):
    aws.run(cloudwatch_metric_alarms.main, args(db_alarm()))
    without = db_alarm()
    del without["datapoints_to_alarm"]

    result = aws.run(cloudwatch_metric_alarms.main, args(without))

    assert result["changed_alarms"] == ["hp-test-db-cpu"]
    assert "DatapointsToAlarm" not in live_alarms(aws)["hp-test-db-cpu"] or live_alarms(aws)["hp-test-db-cpu"]["DatapointsToAlarm"] is None


def test_purge_tags_false_keeps_other_tags(aws, group):
    aws.run(cloudwatch_metric_alarms.main, args(db_alarm()))
    result = aws.run(cloudwatch_metric_alarms.main, args(db_alarm(), tags={"Owner": "ops"}, purge_tags=False))

    assert result["changed"] is True
    assert live_tags(aws, "hp-test-db-cpu") == {"Environment": "test", "Owner": "ops"}


def test_without_default_actions_an_alarm_keeps_its_actions(aws, group):
    aws.run(cloudwatch_metric_alarms.main, args(db_alarm()))
    with aws.recording() as calls:
        result = aws.run(cloudwatch_metric_alarms.main, {"alarms": [db_alarm()]})
    assert result["changed"] is False
    assert aws.mutating(calls) == []
    assert live_alarms(aws)["hp-test-db-cpu"]["AlarmActions"] == [TOPIC]
    created = aws.run(cloudwatch_metric_alarms.main, {"alarms": [db_alarm(name="hp-test-db-cpu-2")]})
    assert created["changed"] is True
    assert live_alarms(aws)["hp-test-db-cpu-2"]["AlarmActions"] == []


def test_unlisted_alarms_are_left_alone(aws, group):
    aws.run(cloudwatch_metric_alarms.main, args())
    aws.run(cloudwatch_metric_alarms.main, args(db_alarm()))
    assert len(live_alarms(aws)) == 3


def test_check_mode_create_and_update_change_nothing(aws, group):
    with aws.recording() as calls:
        created = aws.run(cloudwatch_metric_alarms.main, args(), check_mode=True)
    assert created["changed"] is True
    assert [a["alarm_name"] for a in created["alarms"]] == ["hp-test-cis-root-usage", "hp-test-asg-below-minimum", "hp-test-db-cpu"]
    assert aws.mutating(calls) == []
    assert live_alarms(aws) == {}

    aws.run(cloudwatch_metric_alarms.main, args())
    with aws.recording() as calls:
        updated = aws.run(cloudwatch_metric_alarms.main, args(root_alarm(threshold=5)), check_mode=True)
    assert updated["changed_alarms"] == ["hp-test-cis-root-usage"]
    assert updated["alarms"][0]["threshold"] == 5.0
    assert aws.mutating(calls) == []
    assert live_alarms(aws)["hp-test-cis-root-usage"]["Threshold"] == 1.0


def test_delete_alarms_and_filters(aws, group):
    aws.run(cloudwatch_metric_alarms.main, args())
    with aws.recording() as calls:
        check = aws.run(cloudwatch_metric_alarms.main, args(root_alarm(), db_alarm(), state="absent"), check_mode=True)
    assert check["changed"] is True and aws.mutating(calls) == []

    result = aws.run(cloudwatch_metric_alarms.main, args(root_alarm(), db_alarm(), state="absent"))

    assert sorted(result["changed_alarms"]) == ["hp-test-cis-root-usage", "hp-test-db-cpu"]
    assert list(live_alarms(aws)) == ["hp-test-asg-below-minimum"]
    assert live_filters(aws) == {}
    assert aws.run(cloudwatch_metric_alarms.main, args(root_alarm(), db_alarm(), state="absent"))["changed"] is False


def test_filter_on_a_missing_log_group_fails_stubbed(stubbed):
    """moto accepts a metric filter on a log group that does not exist; AWS refuses it (Stubber)."""
    cloudwatch = stubbed("cloudwatch")
    logs = stubbed("logs")
    cloudwatch.add_response("describe_alarms", {"MetricAlarms": []}, {"AlarmNames": ["hp-test-cis-root-usage"], "AlarmTypes": ["MetricAlarm"]})
    logs.add_client_error(
        "describe_metric_filters", "ResourceNotFoundException", "The specified log group does not exist.", expected_params={"logGroupName": GROUP}
    )
    logs.add_client_error("put_metric_filter", "ResourceNotFoundException", "The specified log group does not exist.")

    result = stubbed.run(cloudwatch_metric_alarms.main, args(root_alarm()))

    assert result.failed
    assert "Failed to manage the CloudWatch metric alarms" in result["msg"]
    assert "log group does not exist" in result["msg"]
    stubbed.assert_all_used()


@pytest.mark.parametrize(
    "alarm, option",
    [
        ({"metric_name": None}, "metric_name"),
        ({"period": 45}, "period"),
        ({"alarm_actions": ["not-an-arn"]}, "alarm_actions[0]"),
        ({"datapoints_to_alarm": 3}, "datapoints_to_alarm"),
        ({"comparison_operator": "Bigger"}, "comparison_operator"),
        ({"metric_filter": {"log_group_name": "bad group!", "pattern": "x"}}, "metric_filter.log_group_name"),
        ({"metric_filter": {"log_group_name": GROUP, "pattern": " "}}, "metric_filter.pattern"),
        ({"metrics": [{"id": "Upper", "expression": "m1"}], "metric_name": None, "metric_filter": None}, "metrics[0].id"),
        (
            {"metrics": [{"id": "a", "expression": "b"}, {"id": "b", "metric_name": "X", "namespace": "Y"}], "metric_name": None, "metric_filter": None},
            "return_data",
        ),
    ],
)
def test_bad_input_fails_before_any_call(aws, alarm, option):
    with aws.recording() as calls:
        result = aws.run(cloudwatch_metric_alarms.main, args(root_alarm(**alarm)))

    assert result.failed
    assert option in result["msg"]
    assert calls == [], "validation must happen before any API call"


def test_duplicate_names_and_bad_default_action_fail(aws):
    with aws.recording() as calls:
        twice = aws.run(cloudwatch_metric_alarms.main, args(db_alarm(), db_alarm()))
        action = aws.run(cloudwatch_metric_alarms.main, args(db_alarm(), alarm_actions=["topic"]))
    assert twice.failed and "alarms[1].name" in twice["msg"]
    assert action.failed and "alarm_actions[0]" in action["msg"]
    assert calls == []


def test_info_by_names_prefix_and_filters(aws, group):
    aws.run(cloudwatch_metric_alarms.main, args())
    by_name = aws.run(cloudwatch_metric_alarms_info.main, {"names": ["hp-test-db-cpu", "missing"]})
    by_prefix = aws.run(cloudwatch_metric_alarms_info.main, {"name_prefix": "hp-test-cis-", "log_group_names": [GROUP, "/no/such/group"]})

    assert [a["alarm_name"] for a in by_name["alarms"]] == ["hp-test-db-cpu"]
    assert [a["alarm_name"] for a in by_prefix["alarms"]] == ["hp-test-cis-root-usage"]
    assert [f["filter_name"] for f in by_prefix["metric_filters"]] == ["hp-test-cis-root-usage"]
