# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sns_topics and sns_topics_info.

Against the moto server: topics with KMS keys, display names, subscriptions and tags; the no-op,
updates, deletes, check mode and bad input (moto 5.2.5 implements every SNS call used).

With the botocore Stubber: a subscription that waits for its confirmation. moto confirms e-mail
subscriptions at once, AWS reports them as PendingConfirmation until the recipient confirms; the
Stubber validates every request against the real botocore model and fails on any unqueued call.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import sns_topics
from ansible_collections.healthplatform.aws.plugins.modules import sns_topics_info

ACCOUNT = "123456789012"
ALERTS = f"arn:aws:sns:us-east-1:{ACCOUNT}:hp-test-alerts"
PATIENTS = f"arn:aws:sns:us-east-1:{ACCOUNT}:hp-test-patient-notifications"


@pytest.fixture
def key(aws):
    return aws.client("kms").create_key()["KeyMetadata"]["Arn"]


def args(key, **extra):
    result = {
        "kms_master_key_id": key,
        "topics": [
            {"name": "hp-test-patient-notifications", "display_name": "Appointments"},
            {
                "name": "hp-test-alerts",
                "display_name": "Alerts",
                "subscriptions": [{"protocol": "email", "endpoint": "oncall@example.org"}],
                "tags": {"Audience": "ops"},
            },
        ],
        "tags": {"Environment": "test"},
    }
    result.update(extra)
    return result


def live(aws, arn):
    sns = aws.client("sns")
    attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    subscriptions = sorted((s["Protocol"], s["Endpoint"]) for s in sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"])
    tags = {t["Key"]: t["Value"] for t in sns.list_tags_for_resource(ResourceArn=arn)["Tags"]}
    return attributes, subscriptions, tags


def test_create(aws, key):
    result = aws.run(sns_topics.main, args(key), diff=True)

    assert result["changed"] is True
    attributes, subscriptions, tags = live(aws, ALERTS)
    assert attributes["KmsMasterKeyId"] == key
    assert attributes["DisplayName"] == "Alerts"
    assert subscriptions == [("email", "oncall@example.org")]
    assert tags == {"Environment": "test", "Audience": "ops"}
    attributes, subscriptions, tags = live(aws, PATIENTS)
    assert attributes["KmsMasterKeyId"] == key
    assert subscriptions == []
    assert tags == {"Environment": "test"}
    assert result["topic_arns"] == {"hp-test-patient-notifications": PATIENTS, "hp-test-alerts": ALERTS}
    assert result["topics"][1]["subscriptions"][0]["endpoint"] == "oncall@example.org"
    assert result["diff"]["before"] == {"hp-test-patient-notifications": {}, "hp-test-alerts": {}}


def test_default_key_is_the_sns_managed_key(aws):
    aws.run(sns_topics.main, {"topics": [{"name": "hp-test-alerts"}]})
    assert live(aws, ALERTS)[0]["KmsMasterKeyId"] == "alias/aws/sns"


def test_without_a_key_option_a_topic_keeps_its_key_and_a_plain_topic_gets_one(aws, key):
    aws.run(sns_topics.main, args(key))
    aws.client("sns").create_topic(Name="hp-test-plain")
    topics = [{"name": "hp-test-alerts"}, {"name": "hp-test-plain"}]
    with aws.recording() as calls:
        result = aws.run(sns_topics.main, {"topics": topics})
    assert result["changed"] is True
    assert aws.mutating(calls) == ["sns:SetTopicAttributes"]
    assert live(aws, ALERTS)[0]["KmsMasterKeyId"] == key, "a run without the key option never takes the customer key away"
    assert live(aws, f"arn:aws:sns:us-east-1:{ACCOUNT}:hp-test-plain")[0]["KmsMasterKeyId"] == "alias/aws/sns"


def test_no_change_makes_no_mutating_call(aws, key):
    aws.run(sns_topics.main, args(key))
    with aws.recording() as calls:
        result = aws.run(sns_topics.main, args(key))
        checked = aws.run(sns_topics.main, args(key), check_mode=True)
    assert result["changed"] is False
    assert checked["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_update_key_name_subscriptions_and_tags(aws, key):
    aws.run(sns_topics.main, args(key))
    other = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    changed = args(
        other,
        topics=[
            {"name": "hp-test-patient-notifications", "display_name": "Appointments"},
            {
                "name": "hp-test-alerts",
                "display_name": "Platform alerts",
                "subscriptions": [{"protocol": "https", "endpoint": "https://hooks.example.org/alerts"}],
            },
        ],
        tags={"Environment": "test", "Owner": "ops"},
    )
    result = aws.run(sns_topics.main, changed, diff=True)

    assert result["changed"] is True
    attributes, subscriptions, tags = live(aws, ALERTS)
    assert attributes["KmsMasterKeyId"] == other
    assert attributes["DisplayName"] == "Platform alerts"
    assert subscriptions == [("https", "https://hooks.example.org/alerts")]
    assert tags == {"Environment": "test", "Owner": "ops"}
    assert live(aws, PATIENTS)[0]["KmsMasterKeyId"] == other
    assert result["diff"]["before"]["hp-test-alerts"]["subscriptions"] == ["email:oncall@example.org"]
    assert result["diff"]["after"]["hp-test-alerts"]["subscriptions"] == ["https:https://hooks.example.org/alerts"]
    assert aws.run(sns_topics.main, changed)["changed"] is False


def test_keep_unlisted_subscriptions_without_purge(aws, key):
    aws.run(sns_topics.main, args(key))
    topics = [{"name": "hp-test-alerts", "display_name": "Alerts", "subscriptions": [{"protocol": "sms", "endpoint": "+15555550123"}]}]
    aws.run(sns_topics.main, args(key, topics=topics, purge_subscriptions=False, tags=None))
    assert live(aws, ALERTS)[1] == [("email", "oncall@example.org"), ("sms", "+15555550123")]


def test_subscriptions_not_given_are_not_compared(aws, key):
    aws.run(sns_topics.main, args(key))
    topics = [{"name": "hp-test-alerts"}]
    with aws.recording() as calls:
        result = aws.run(sns_topics.main, args(key, topics=topics, tags=None))
    assert result["changed"] is False
    assert aws.mutating(calls) == []


def test_pending_subscription_counts_as_present_stubbed(stubbed):
    sts = stubbed("sts")
    sts.add_response("get_caller_identity", {"Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:user/ci", "UserId": "AIDA"})
    sns = stubbed("sns")
    sns.add_response("get_topic_attributes", {"Attributes": {"TopicArn": ALERTS, "KmsMasterKeyId": "alias/aws/sns"}}, {"TopicArn": ALERTS})
    pending = [
        {"SubscriptionArn": "PendingConfirmation", "Protocol": "email", "Endpoint": "oncall@example.org", "TopicArn": ALERTS, "Owner": ACCOUNT},
        {"SubscriptionArn": "PendingConfirmation", "Protocol": "email", "Endpoint": "old@example.org", "TopicArn": ALERTS, "Owner": ACCOUNT},
    ]
    sns.add_response("list_subscriptions_by_topic", {"Subscriptions": pending}, {"TopicArn": ALERTS})
    sns.add_response("list_tags_for_resource", {"Tags": []}, {"ResourceArn": ALERTS})

    result = stubbed.run(sns_topics.main, {"topics": [{"name": "hp-test-alerts", "subscriptions": [{"protocol": "email", "endpoint": "oncall@example.org"}]}]})

    assert result["changed"] is False, result
    assert "waiting for its confirmation" in str(result["warnings"])
    stubbed.assert_all_used()


def test_check_mode_changes_nothing(aws, key):
    with aws.recording() as calls:
        created = aws.run(sns_topics.main, args(key), check_mode=True)
    assert created["changed"] is True
    assert created["topic_arns"]["hp-test-alerts"] == ALERTS
    assert aws.mutating(calls) == []
    assert aws.client("sns").list_topics()["Topics"] == []

    aws.run(sns_topics.main, args(key))
    with aws.recording() as calls:
        updated = aws.run(sns_topics.main, args("alias/aws/sns"), check_mode=True)
        deleted = aws.run(sns_topics.main, args(key, state="absent"), check_mode=True)
    assert updated["changed"] is True and updated["topics"][0]["attributes"]["KmsMasterKeyId"] == "alias/aws/sns"
    assert deleted["changed"] is True
    assert aws.mutating(calls) == []
    assert live(aws, ALERTS)[0]["KmsMasterKeyId"] == key


def test_delete_and_delete_again(aws, key):
    aws.run(sns_topics.main, args(key))
    assert aws.run(sns_topics.main, args(key, state="absent"))["changed"] is True
    assert aws.client("sns").list_topics()["Topics"] == []
    assert aws.run(sns_topics.main, args(key, state="absent"))["changed"] is False


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"kms_master_key_id": ""}, "kms_master_key_id"),
        ({"topics": [{"name": "bad name"}]}, "topics[0].name"),
        ({"topics": [{"name": "a"}, {"name": "a"}]}, "topics[1].name"),
        ({"topics": [{"name": "a", "kms_master_key_id": " "}]}, "topics[0].kms_master_key_id"),
        ({"topics": [{"name": "a", "subscriptions": [{"protocol": "email", "endpoint": "oncall"}]}]}, "topics[0].subscriptions[0].endpoint"),
        ({"topics": [{"name": "a", "subscriptions": [{"protocol": "https", "endpoint": "http://x.org"}]}]}, "topics[0].subscriptions[0].endpoint"),
        ({"topics": [{"name": "a", "subscriptions": [{"protocol": "pigeon", "endpoint": "x"}]}]}, "protocol"),
    ],
)
def test_bad_input_fails_before_any_call(aws, key, extra, option):
    with aws.recording() as calls:
        result = aws.run(sns_topics.main, args(key, **extra))
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info(aws, key):
    aws.run(sns_topics.main, args(key))
    result = aws.run(sns_topics_info.main, {"names": ["hp-test-alerts", "missing"]})
    (topic,) = result["topics"]
    assert topic["topic_arn"] == ALERTS
    assert topic["attributes"]["KmsMasterKeyId"] == key
    assert topic["tags"] == {"Environment": "test", "Audience": "ops"}
