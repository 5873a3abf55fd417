# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""config_recorder and config_recorder_info against the moto server (the recorder, its status
and the delivery channel calls all work in moto 5.2.5). One Stubber test shows the bounded retry
of a role AWS Config refuses while it propagates (moto never refuses one); the Stubber validates
every request against the real botocore model and fails on any call that was not queued."""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import config_recorder
from ansible_collections.healthplatform.aws.plugins.modules import config_recorder_info

ROLE = "arn:aws:iam::123456789012:role/hp-test-config"
KEY = "arn:aws:kms:us-east-1:123456789012:key/0123abcd-12ab-34cd-56ef-1234567890ab"
CHANNEL = {"s3_bucket_name": "hp-test-logs", "s3_key_prefix": "config", "s3_kms_key_arn": KEY, "delivery_frequency": "Six_Hours"}


@pytest.fixture
def bucket(aws):
    aws.client("s3").create_bucket(Bucket="hp-test-logs")
    aws.client("s3").create_bucket(Bucket="hp-test-other")


def args(**extra):
    result = {"role_arn": ROLE, "delivery_channel": dict(CHANNEL)}
    result.update(extra)
    return result


def live(aws):
    config = aws.client("config")
    recorders = config.describe_configuration_recorders()["ConfigurationRecorders"]
    statuses = config.describe_configuration_recorder_status()["ConfigurationRecordersStatus"]
    channels = config.describe_delivery_channels()["DeliveryChannels"]
    return recorders, statuses, channels


def test_create_and_start(aws, bucket):
    result = aws.run(config_recorder.main, args(), diff=True)

    assert result["changed"] is True
    (recorder,), (status,), (channel,) = live(aws)
    assert recorder["roleARN"] == ROLE
    assert recorder["recordingGroup"]["allSupported"] is True
    assert recorder["recordingGroup"]["includeGlobalResourceTypes"] is True
    assert status["recording"] is True
    assert channel["s3BucketName"] == "hp-test-logs"
    assert channel["s3KmsKeyArn"] == KEY
    assert channel["configSnapshotDeliveryProperties"] == {"deliveryFrequency": "Six_Hours"}
    assert result["recording"] is True
    assert result["recorder"]["role_arn"] == ROLE
    assert result["delivery_channel"]["s3_key_prefix"] == "config"
    assert result["diff"]["before"] == {}


def test_no_change_makes_no_mutating_call(aws, bucket):
    aws.run(config_recorder.main, args())
    with aws.recording() as calls:
        result = aws.run(config_recorder.main, args())
        checked = aws.run(config_recorder.main, args(), check_mode=True)
        without_channel = aws.run(config_recorder.main, {"role_arn": ROLE})
    assert result["changed"] is False
    assert checked["changed"] is False
    assert without_channel["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_update_recorder_channel_and_stop(aws, bucket):
    aws.run(config_recorder.main, args())
    changed = args(
        all_supported=False,
        include_global_resource_types=False,
        resource_types=["AWS::EC2::Instance", "AWS::S3::Bucket"],
        recording=False,
        delivery_channel=dict(CHANNEL, s3_bucket_name="hp-test-other", delivery_frequency="One_Hour"),
    )
    with aws.recording() as calls:
        result = aws.run(config_recorder.main, changed, diff=True)

    assert result["changed"] is True
    assert sorted(aws.mutating(calls)) == ["config:PutConfigurationRecorder", "config:PutDeliveryChannel", "config:StopConfigurationRecorder"]
    (recorder,), (status,), (channel,) = live(aws)
    assert recorder["recordingGroup"]["allSupported"] is False
    assert sorted(recorder["recordingGroup"]["resourceTypes"]) == ["AWS::EC2::Instance", "AWS::S3::Bucket"]
    assert status["recording"] is False
    assert channel["s3BucketName"] == "hp-test-other"
    assert result["diff"]["before"]["recording"] is True
    assert result["diff"]["after"]["recording"] is False
    assert aws.run(config_recorder.main, changed)["changed"] is False


def test_channel_options_not_given_are_kept(aws, bucket):
    aws.run(config_recorder.main, args())
    with aws.recording() as calls:
        kept = aws.run(config_recorder.main, args(delivery_channel={"s3_bucket_name": "hp-test-logs", "delivery_frequency": "Six_Hours"}))
    assert kept["changed"] is False
    assert aws.mutating(calls) == []
    removed = aws.run(config_recorder.main, args(delivery_channel=dict(CHANNEL, s3_kms_key_arn="")))
    assert removed["changed"] is True
    assert "s3KmsKeyArn" not in live(aws)[2][0]


def test_recording_needs_a_channel(aws):
    result = aws.run(config_recorder.main, {"role_arn": ROLE})
    assert result.failed
    assert "delivery_channel is required" in result["msg"]


def test_check_mode_changes_nothing(aws, bucket):
    with aws.recording() as calls:
        created = aws.run(config_recorder.main, args(), check_mode=True)
    assert created["changed"] is True and created["recording"] is True
    assert aws.mutating(calls) == []
    assert live(aws) == ([], [], [])

    aws.run(config_recorder.main, args())
    with aws.recording() as calls:
        stopped = aws.run(config_recorder.main, args(recording=False), check_mode=True)
        deleted = aws.run(config_recorder.main, {"state": "absent"}, check_mode=True)
    assert stopped["changed"] is True and stopped["recording"] is False
    assert deleted["changed"] is True
    assert aws.mutating(calls) == []
    assert live(aws)[1][0]["recording"] is True


def test_delete_and_delete_again(aws, bucket):
    aws.run(config_recorder.main, args())
    with aws.recording() as calls:
        result = aws.run(config_recorder.main, {"state": "absent"})
    assert result["changed"] is True
    assert aws.mutating(calls) == ["config:StopConfigurationRecorder", "config:DeleteDeliveryChannel", "config:DeleteConfigurationRecorder"]
    assert live(aws) == ([], [], [])
    assert aws.run(config_recorder.main, {"state": "absent"})["changed"] is False


def test_role_refused_while_it_propagates_is_retried_stubbed(stubbed):
    config = stubbed("config")
    config.add_client_error("describe_configuration_recorders", "NoSuchConfigurationRecorderException", "none")
    config.add_response("describe_delivery_channels", {"DeliveryChannels": []}, {"DeliveryChannelNames": ["default"]})
    recorder = {"name": "default", "roleARN": ROLE, "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True, "resourceTypes": []}}
    config.add_client_error("put_configuration_recorder", "InvalidRoleException", "The role is not assumable yet")
    config.add_response("put_configuration_recorder", {}, {"ConfigurationRecorder": recorder})
    channel = {"name": "default", "s3BucketName": "hp-test-logs", "configSnapshotDeliveryProperties": {"deliveryFrequency": "TwentyFour_Hours"}}
    config.add_response("put_delivery_channel", {}, {"DeliveryChannel": channel})
    config.add_response("start_configuration_recorder", {}, {"ConfigurationRecorderName": "default"})
    config.add_response("describe_configuration_recorders", {"ConfigurationRecorders": [recorder]})
    config.add_response("describe_configuration_recorder_status", {"ConfigurationRecordersStatus": [{"name": "default", "recording": True}]})
    config.add_response("describe_delivery_channels", {"DeliveryChannels": [channel]})

    result = stubbed.run(config_recorder.main, {"role_arn": ROLE, "delivery_channel": {"s3_bucket_name": "hp-test-logs"}})

    assert result["changed"] is True, result
    assert result["recording"] is True
    stubbed.assert_all_used()


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"role_arn": None}, "role_arn"),
        ({"role_arn": "config-role"}, "role_arn"),
        ({"resource_types": ["AWS::EC2::Instance"]}, "resource_types"),
        ({"all_supported": False, "include_global_resource_types": False}, "resource_types"),
        ({"all_supported": False, "resource_types": ["AWS::EC2::Instance"]}, "include_global_resource_types"),
        ({"all_supported": False, "include_global_resource_types": False, "resource_types": ["EC2 instances"]}, "resource_types[0]"),
        ({"delivery_channel": dict(CHANNEL, s3_bucket_name="Logs_Bucket")}, "delivery_channel.s3_bucket_name"),
        ({"delivery_channel": dict(CHANNEL, s3_kms_key_arn="my-key")}, "delivery_channel.s3_kms_key_arn"),
        ({"delivery_channel": dict(CHANNEL, delivery_frequency="Daily")}, "delivery_frequency"),
    ],
)
def test_bad_input_fails_before_any_call(aws, extra, option):
    with aws.recording() as calls:
        result = aws.run(config_recorder.main, args(**extra))
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info(aws, bucket):
    aws.run(config_recorder.main, args())
    result = aws.run(config_recorder_info.main, {})
    (recorder,) = result["recorders"]
    assert recorder["recording"] is True
    assert recorder["recording_group"]["all_supported"] is True
    assert result["delivery_channels"][0]["s3_bucket_name"] == "hp-test-logs"
