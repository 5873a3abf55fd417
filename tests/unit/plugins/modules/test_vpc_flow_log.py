# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_flow_log and vpc_flow_log_info against the moto server (EC2 flow logs are emulated)."""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import vpc_flow_log
from ansible_collections.healthplatform.aws.plugins.modules import vpc_flow_log_info

ROLE_ARN = "arn:aws:iam::123456789012:role/flow-logs-delivery"


@pytest.fixture
def vpc(aws):
    return aws.client("ec2").create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]


def cwl_args(vpc_id, **extra):
    args = {
        "resource_id": vpc_id,
        "log_destination_type": "cloud-watch-logs",
        "log_group_name": "/healthplatform/test/flow-logs",
        "deliver_logs_permission_arn": ROLE_ARN,
        "tags": {"Environment": "test"},
    }
    args.update(extra)
    return args


def flow_logs_of(aws, vpc_id):
    return aws.client("ec2").describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc_id]}])["FlowLogs"]


def test_create_to_cloudwatch_logs(aws, vpc):
    result = aws.run(vpc_flow_log.main, cwl_args(vpc))

    assert result["changed"] is True
    assert result["replaced"] is False
    (live,) = flow_logs_of(aws, vpc)
    assert live["FlowLogId"] == result["flow_log"]["flow_log_id"]
    assert live["TrafficType"] == "ALL"
    assert live["LogGroupName"] == "/healthplatform/test/flow-logs"
    assert live["DeliverLogsPermissionArn"] == ROLE_ARN
    assert live["Tags"] == [{"Key": "Environment", "Value": "test"}]
    assert result["flow_log"]["tags"] == {"Environment": "test"}


def test_create_to_s3_with_options(aws, vpc):
    aws.client("s3").create_bucket(Bucket="hp-test-logs")
    args = {
        "resource_id": vpc,
        "log_destination_type": "s3",
        "log_destination": "arn:aws:s3:::hp-test-logs",
        "max_aggregation_interval": 60,
        "destination_options": {"file_format": "parquet", "hive_compatible_partitions": True},
    }
    result = aws.run(vpc_flow_log.main, args)

    assert result["changed"] is True
    (live,) = flow_logs_of(aws, vpc)
    assert live["LogDestination"] == "arn:aws:s3:::hp-test-logs"
    assert live["MaxAggregationInterval"] == 60
    # and a second run is a no-op (moto does not report DestinationOptions; they are then not compared)
    assert aws.run(vpc_flow_log.main, args)["changed"] is False


def test_no_change_makes_no_mutating_call(aws, vpc):
    aws.run(vpc_flow_log.main, cwl_args(vpc))
    with aws.recording() as calls:
        result = aws.run(vpc_flow_log.main, cwl_args(vpc))

    assert result["changed"] is False
    assert calls, "the module must read the flow logs"
    assert aws.mutating(calls) == []


def test_tags_update_in_place(aws, vpc):
    first = aws.run(vpc_flow_log.main, cwl_args(vpc))
    result = aws.run(vpc_flow_log.main, cwl_args(vpc, tags={"Environment": "test", "Owner": "ops"}))

    assert result["changed"] is True
    assert result["replaced"] is False
    assert result["flow_log"]["flow_log_id"] == first["flow_log"]["flow_log_id"]
    (live,) = flow_logs_of(aws, vpc)
    assert {t["Key"]: t["Value"] for t in live["Tags"]} == {"Environment": "test", "Owner": "ops"}


def test_purge_tags_false_keeps_other_tags(aws, vpc):
    aws.run(vpc_flow_log.main, cwl_args(vpc))
    result = aws.run(vpc_flow_log.main, cwl_args(vpc, tags={"Owner": "ops"}, purge_tags=False))

    assert result["changed"] is True
    assert result["flow_log"]["tags"] == {"Environment": "test", "Owner": "ops"}


def test_setting_the_api_cannot_modify_replaces(aws, vpc):
    first = aws.run(vpc_flow_log.main, cwl_args(vpc, traffic_type="REJECT"))
    result = aws.run(vpc_flow_log.main, cwl_args(vpc, traffic_type="ALL"), diff=True)

    assert result["changed"] is True
    assert result["replaced"] is True
    assert result["flow_log"]["flow_log_id"] != first["flow_log"]["flow_log_id"]
    assert result["diff"]["before"]["traffic_type"] == "REJECT"
    assert result["diff"]["after"]["traffic_type"] == "ALL"
    (live,) = flow_logs_of(aws, vpc)
    assert live["TrafficType"] == "ALL"
    assert live["Tags"] == [{"Key": "Environment", "Value": "test"}]


def test_delete_and_delete_again(aws, vpc):
    aws.run(vpc_flow_log.main, cwl_args(vpc))
    result = aws.run(vpc_flow_log.main, cwl_args(vpc, state="absent"))
    assert result["changed"] is True
    assert flow_logs_of(aws, vpc) == []

    again = aws.run(vpc_flow_log.main, cwl_args(vpc, state="absent"))
    assert again["changed"] is False


def test_delete_only_the_matching_destination(aws, vpc):
    aws.client("s3").create_bucket(Bucket="hp-test-logs")
    aws.run(vpc_flow_log.main, cwl_args(vpc))
    aws.run(vpc_flow_log.main, {"resource_id": vpc, "log_destination_type": "s3", "log_destination": "arn:aws:s3:::hp-test-logs"})

    aws.run(vpc_flow_log.main, cwl_args(vpc, state="absent"))

    (remaining,) = flow_logs_of(aws, vpc)
    assert remaining["LogDestinationType"] == "s3"


def test_check_mode_create_changes_nothing(aws, vpc):
    with aws.recording() as calls:
        result = aws.run(vpc_flow_log.main, cwl_args(vpc), check_mode=True)

    assert result["changed"] is True
    assert result["flow_log"]["traffic_type"] == "ALL"
    assert flow_logs_of(aws, vpc) == []
    assert aws.mutating(calls) == []


def test_check_mode_replace_and_delete_change_nothing(aws, vpc):
    aws.run(vpc_flow_log.main, cwl_args(vpc, traffic_type="REJECT"))
    (before,) = flow_logs_of(aws, vpc)

    replace = aws.run(vpc_flow_log.main, cwl_args(vpc, traffic_type="ALL"), check_mode=True)
    delete = aws.run(vpc_flow_log.main, cwl_args(vpc, state="absent"), check_mode=True)
    tags = aws.run(vpc_flow_log.main, cwl_args(vpc, traffic_type="REJECT", tags={"New": "tag"}), check_mode=True)

    assert replace["changed"] is True and replace["replaced"] is True
    assert delete["changed"] is True
    assert tags["changed"] is True and tags["flow_log"]["tags"] == {"New": "tag"}
    assert flow_logs_of(aws, vpc) == [before]


def test_check_mode_no_change(aws, vpc):
    aws.run(vpc_flow_log.main, cwl_args(vpc))
    assert aws.run(vpc_flow_log.main, cwl_args(vpc), check_mode=True)["changed"] is False


def test_create_failure_is_reported(aws, vpc):
    # moto, like AWS, refuses an S3 destination bucket that does not exist
    result = aws.run(vpc_flow_log.main, {"resource_id": vpc, "log_destination_type": "s3", "log_destination": "arn:aws:s3:::no-such-bucket"})
    assert result.failed
    assert "could not create the flow log" in result["msg"]


@pytest.mark.parametrize(
    "args, option",
    [
        ({"traffic_type": "SOME"}, "traffic_type"),
        ({"log_destination_type": "s3", "log_destination": "my-bucket", "log_group_name": None, "deliver_logs_permission_arn": None}, "log_destination"),
        ({"log_destination_type": "s3", "log_destination": None, "log_group_name": None, "deliver_logs_permission_arn": None}, "log_destination"),
        ({"deliver_logs_permission_arn": None}, "deliver_logs_permission_arn"),
        ({"deliver_logs_permission_arn": "flow-logs-role"}, "deliver_logs_permission_arn"),
        ({"log_group_name": None}, "log_group_name"),
        ({"max_aggregation_interval": 300}, "max_aggregation_interval"),
        ({"resource_type": "Instance"}, "resource_type"),
    ],
)
def test_bad_input_fails_before_any_call(aws, vpc, args, option):
    with aws.recording() as calls:
        result = aws.run(vpc_flow_log.main, cwl_args(vpc, **args))

    assert result.failed
    assert option in result["msg"]
    assert calls == [], "validation must happen before any API call"
    assert flow_logs_of(aws, vpc) == []


def test_info_lists_by_resource(aws, vpc):
    other = aws.client("ec2").create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    aws.run(vpc_flow_log.main, cwl_args(vpc))
    aws.run(vpc_flow_log.main, cwl_args(other, log_group_name="other"))

    result = aws.run(vpc_flow_log_info.main, {"resource_ids": [vpc]})

    assert result["changed"] is False
    assert [f["resource_id"] for f in result["flow_logs"]] == [vpc]
    assert result["flow_logs"][0]["tags"] == {"Environment": "test"}
    everything = aws.run(vpc_flow_log_info.main, {"filters": {"traffic-type": "ALL"}})
    assert sorted(f["resource_id"] for f in everything["flow_logs"]) == sorted([vpc, other])
