# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ses_configuration_set and ses_configuration_set_info.

Against the moto server: create with an SNS event destination, the no-op, delete, check mode and
bad input (CreateConfigurationSet, CreateConfigurationSetEventDestination,
DescribeConfigurationSet and DeleteConfigurationSet work in moto 5.2.5).

With the botocore Stubber: the delivery (TLS), reputation and sending options and changing or
removing a destination. moto 5.2.5 answers PutConfigurationSetDeliveryOptions,
UpdateConfigurationSetSendingEnabled, UpdateConfigurationSetEventDestination and
DeleteConfigurationSetEventDestination with HTTP 500, and DescribeConfigurationSet never reports
the delivery or reputation options; a set holds only one destination in moto. The Stubber validates every request against the real
botocore model and fails on any call that was not queued.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import ses_configuration_set
from ansible_collections.healthplatform.aws.plugins.modules import ses_configuration_set_info

ALERTS = "arn:aws:sns:us-east-1:123456789012:hp-test-alerts"
OTHER = "arn:aws:sns:us-east-1:123456789012:hp-test-other"
DESTINATION = {"name": "bounces", "matching_event_types": ["bounce", "complaint", "reject"], "sns_topic_arn": ALERTS}


def args(**extra):
    result = {"name": "hp-test-outbound", "event_destinations": [DESTINATION]}
    result.update(extra)
    return result


def live(aws):
    return aws.client("ses").describe_configuration_set(ConfigurationSetName="hp-test-outbound", ConfigurationSetAttributeNames=["eventDestinations"])


def test_create(aws):
    result = aws.run(ses_configuration_set.main, args(), diff=True)

    assert result["changed"] is True
    (destination,) = live(aws)["EventDestinations"]
    assert destination["Name"] == "bounces"
    assert sorted(destination["MatchingEventTypes"]) == ["bounce", "complaint", "reject"]
    assert destination["SNSDestination"] == {"TopicARN": ALERTS}
    assert result["configuration_set"]["event_destinations"][0]["sns_topic_arn"] == ALERTS
    assert result["diff"]["before"] == {}


def test_no_change_makes_no_mutating_call(aws):
    aws.run(ses_configuration_set.main, args())
    with aws.recording() as calls:
        result = aws.run(ses_configuration_set.main, args(event_destinations=[dict(DESTINATION, matching_event_types=["reject", "bounce", "complaint"])]))
        checked = aws.run(ses_configuration_set.main, args(), check_mode=True)
        bare = aws.run(ses_configuration_set.main, {"name": "hp-test-outbound"})
    assert result["changed"] is False
    assert checked["changed"] is False
    assert bare["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_check_mode_changes_nothing(aws):
    with aws.recording() as calls:
        created = aws.run(ses_configuration_set.main, args(), check_mode=True)
    assert created["changed"] is True
    assert aws.mutating(calls) == []
    assert aws.client("ses").list_configuration_sets()["ConfigurationSets"] == []

    aws.run(ses_configuration_set.main, args())
    with aws.recording() as calls:
        updated = aws.run(ses_configuration_set.main, args(tls_policy="Require"), check_mode=True)
        deleted = aws.run(ses_configuration_set.main, args(state="absent"), check_mode=True)
    assert updated["changed"] is True and updated["configuration_set"]["tls_policy"] == "Require"
    assert deleted["changed"] is True
    assert aws.mutating(calls) == []


def test_delete_and_delete_again(aws):
    aws.run(ses_configuration_set.main, args())
    assert aws.run(ses_configuration_set.main, args(state="absent"))["changed"] is True
    assert aws.client("ses").list_configuration_sets()["ConfigurationSets"] == []
    assert aws.run(ses_configuration_set.main, args(state="absent"))["changed"] is False


def described(tls=None, reputation=None, destinations=None):
    response = {"ConfigurationSet": {"Name": "hp-test-outbound"}, "EventDestinations": destinations or []}
    if tls:
        response["DeliveryOptions"] = {"TlsPolicy": tls}
    if reputation is not None:
        response["ReputationOptions"] = reputation
    return response


READ = {
    "ConfigurationSetName": "hp-test-outbound",
    "ConfigurationSetAttributeNames": ["eventDestinations", "trackingOptions", "deliveryOptions", "reputationOptions"],
}


def test_options_stubbed(stubbed):
    ses = stubbed("ses")
    ses.add_response("describe_configuration_set", described(reputation={"ReputationMetricsEnabled": False, "SendingEnabled": False}), READ)
    ses.add_response("put_configuration_set_delivery_options", {}, {"ConfigurationSetName": "hp-test-outbound", "DeliveryOptions": {"TlsPolicy": "Require"}})
    ses.add_response("update_configuration_set_reputation_metrics_enabled", {}, {"ConfigurationSetName": "hp-test-outbound", "Enabled": True})
    ses.add_response("update_configuration_set_sending_enabled", {}, {"ConfigurationSetName": "hp-test-outbound", "Enabled": True})
    ses.add_response("describe_configuration_set", described(tls="Require", reputation={"ReputationMetricsEnabled": True, "SendingEnabled": True}), READ)

    options = {"name": "hp-test-outbound", "tls_policy": "Require", "reputation_metrics_enabled": True, "sending_enabled": True}
    changed = stubbed.run(ses_configuration_set.main, options, diff=True)
    again = stubbed.run(ses_configuration_set.main, options)

    assert changed["changed"] is True, changed
    assert changed["configuration_set"]["tls_policy"] == "Require"
    assert changed["diff"]["before"]["tls_policy"] == "Optional"
    assert again["changed"] is False, again
    stubbed.assert_all_used()


def test_add_a_second_destination_stubbed(stubbed):
    """moto 5.2.5 keeps one event destination per set (a second one replaces the first)."""
    ses = stubbed("ses")
    ses.add_response(
        "describe_configuration_set",
        described(
            destinations=[{"Name": "bounces", "Enabled": True, "MatchingEventTypes": ["bounce", "complaint", "reject"], "SNSDestination": {"TopicARN": ALERTS}}]
        ),
        READ,
    )
    wanted = {"Name": "deliveries", "Enabled": True, "MatchingEventTypes": ["delivery"], "SNSDestination": {"TopicARN": OTHER}}
    ses.add_response("create_configuration_set_event_destination", {}, {"ConfigurationSetName": "hp-test-outbound", "EventDestination": wanted})

    result = stubbed.run(
        ses_configuration_set.main, args(event_destinations=[DESTINATION, {"name": "deliveries", "matching_event_types": ["delivery"], "sns_topic_arn": OTHER}])
    )

    assert result["changed"] is True, result
    assert [d["name"] for d in result["configuration_set"]["event_destinations"]] == ["bounces", "deliveries"]
    stubbed.assert_all_used()


def test_change_and_purge_destinations_stubbed(stubbed):
    ses = stubbed("ses")
    old = [
        {"Name": "bounces", "Enabled": True, "MatchingEventTypes": ["bounce"], "SNSDestination": {"TopicARN": ALERTS}},
        {"Name": "stale", "Enabled": True, "MatchingEventTypes": ["send"], "SNSDestination": {"TopicARN": OTHER}},
    ]
    ses.add_response("describe_configuration_set", described(destinations=old), READ)
    wanted = {"Name": "bounces", "Enabled": True, "MatchingEventTypes": ["bounce", "complaint", "reject"], "SNSDestination": {"TopicARN": ALERTS}}
    ses.add_response("update_configuration_set_event_destination", {}, {"ConfigurationSetName": "hp-test-outbound", "EventDestination": wanted})
    ses.add_response("delete_configuration_set_event_destination", {}, {"ConfigurationSetName": "hp-test-outbound", "EventDestinationName": "stale"})

    result = stubbed.run(ses_configuration_set.main, args())

    assert result["changed"] is True, result
    assert [d["name"] for d in result["configuration_set"]["event_destinations"]] == ["bounces"]
    stubbed.assert_all_used()


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"name": "bad name"}, "name"),
        ({"tls_policy": "Always"}, "tls_policy"),
        ({"event_destinations": [dict(DESTINATION, sns_topic_arn="hp-test-alerts")]}, "event_destinations[0].sns_topic_arn"),
        ({"event_destinations": [dict(DESTINATION, matching_event_types=[])]}, "event_destinations[0].matching_event_types"),
        ({"event_destinations": [dict(DESTINATION, matching_event_types=["bounced"])]}, "matching_event_types"),
        ({"event_destinations": [DESTINATION, DESTINATION]}, "event_destinations[1].name"),
    ],
)
def test_bad_input_fails_before_any_call(aws, extra, option):
    with aws.recording() as calls:
        result = aws.run(ses_configuration_set.main, args(**extra))
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info(aws):
    aws.run(ses_configuration_set.main, args())
    named = aws.run(ses_configuration_set_info.main, {"names": ["hp-test-outbound", "missing"]})
    everything = aws.run(ses_configuration_set_info.main, {})
    assert named["configuration_sets"][0]["event_destinations"][0]["name"] == "bounces"
    assert [s["name"] for s in everything["configuration_sets"]] == ["hp-test-outbound"]
