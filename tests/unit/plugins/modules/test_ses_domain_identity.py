# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ses_domain_identity and ses_domain_identity_info.

Against the moto server: create with DKIM, the no-op, delete, check mode and bad input
(VerifyDomainIdentity, VerifyDomainDkim, the attribute reads and DeleteIdentity work in moto 5.2.5;
moto reports a new domain as verified at once); the same with the configuration_set option
(CreateConfigurationSet, CreateConfigurationSetEventDestination and DescribeConfigurationSet work
in moto 5.2.5).

With the botocore Stubber: turning DKIM off and on again for an identity that has its tokens
(moto 5.2.5 answers SetIdentityDkimEnabled with HTTP 500), a Pending identity as AWS reports it
until its TXT record resolves, and updating the configuration set's TLS policy and event types
(moto 5.2.5 answers PutConfigurationSetDeliveryOptions and UpdateConfigurationSetEventDestination
with HTTP 500 and never reports the delivery options). The Stubber validates every request against
the real botocore model and fails on any call that was not queued.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import ses_domain_identity
from ansible_collections.healthplatform.aws.plugins.modules import ses_domain_identity_info

DOMAIN = "mail.hp-test.example.org"
ALERTS = "arn:aws:sns:us-east-1:123456789012:hp-test-alerts"
DESTINATION = {"name": "alerts", "matching_event_types": ["bounce", "complaint", "reject"], "sns_topic_arn": ALERTS}
SET = {"name": "hp-test-outbound", "event_destinations": [DESTINATION]}


def with_set(**extra):
    """Module options: the domain with its configuration set (``extra`` replaces set options)."""
    return {"domain": DOMAIN, "configuration_set": dict(SET, **extra)}


def live_set(aws):
    return aws.client("ses").describe_configuration_set(ConfigurationSetName="hp-test-outbound", ConfigurationSetAttributeNames=["eventDestinations"])


def test_create_with_dkim(aws):
    result = aws.run(ses_domain_identity.main, {"domain": DOMAIN}, diff=True)

    assert result["changed"] is True
    ses = aws.client("ses")
    verification = ses.get_identity_verification_attributes(Identities=[DOMAIN])["VerificationAttributes"][DOMAIN]
    dkim = ses.get_identity_dkim_attributes(Identities=[DOMAIN])["DkimAttributes"][DOMAIN]
    assert dkim["DkimEnabled"] is True
    assert len(dkim["DkimTokens"]) == 3
    identity = result["identity"]
    assert identity["verification_token"] == verification["VerificationToken"]
    assert identity["dkim_tokens"] == dkim["DkimTokens"]
    assert result["dns_records"][0] == {"name": f"_amazonses.{DOMAIN}", "type": "TXT", "value": verification["VerificationToken"]}
    token = dkim["DkimTokens"][0]
    assert {"name": f"{token}._domainkey.{DOMAIN}", "type": "CNAME", "value": f"{token}.dkim.amazonses.com"} in result["dns_records"]
    assert result["diff"] == {"before": {}, "after": {"dkim_enabled": True}}


def test_no_change_makes_no_mutating_call(aws):
    aws.run(ses_domain_identity.main, {"domain": DOMAIN})
    with aws.recording() as calls:
        result = aws.run(ses_domain_identity.main, {"domain": DOMAIN.upper() + "."})
        checked = aws.run(ses_domain_identity.main, {"domain": DOMAIN}, check_mode=True)
    assert result["changed"] is False
    assert checked["changed"] is False
    assert len(result["dns_records"]) == 4
    assert calls
    assert aws.mutating(calls) == []


def test_check_mode_changes_nothing(aws):
    with aws.recording() as calls:
        created = aws.run(ses_domain_identity.main, {"domain": DOMAIN}, check_mode=True)
    assert created["changed"] is True
    assert created["identity"]["verification_status"] == "Pending"
    assert aws.mutating(calls) == []
    assert aws.client("ses").list_identities()["Identities"] == []

    aws.run(ses_domain_identity.main, {"domain": DOMAIN})
    with aws.recording() as calls:
        deleted = aws.run(ses_domain_identity.main, {"domain": DOMAIN, "state": "absent"}, check_mode=True)
    assert deleted["changed"] is True
    assert aws.mutating(calls) == []
    assert aws.client("ses").list_identities()["Identities"] == [DOMAIN]


def test_delete_and_delete_again(aws):
    aws.run(ses_domain_identity.main, {"domain": DOMAIN})
    assert aws.run(ses_domain_identity.main, {"domain": DOMAIN, "state": "absent"})["changed"] is True
    assert aws.client("ses").list_identities()["Identities"] == []
    assert aws.run(ses_domain_identity.main, {"domain": DOMAIN, "state": "absent"})["changed"] is False


def identity_responses(ses, dkim_enabled, status="Success"):
    ses.add_response(
        "get_identity_verification_attributes",
        {"VerificationAttributes": {DOMAIN: {"VerificationStatus": status, "VerificationToken": "tok"}}},
        {"Identities": [DOMAIN]},
    )
    ses.add_response(
        "get_identity_dkim_attributes",
        {"DkimAttributes": {DOMAIN: {"DkimEnabled": dkim_enabled, "DkimVerificationStatus": status, "DkimTokens": ["a", "b", "c"]}}},
        {"Identities": [DOMAIN]},
    )


def test_dkim_off_and_on_stubbed(stubbed):
    ses = stubbed("ses")
    identity_responses(ses, True)
    ses.add_response("set_identity_dkim_enabled", {}, {"Identity": DOMAIN, "DkimEnabled": False})
    identity_responses(ses, False)
    identity_responses(ses, False)
    ses.add_response("set_identity_dkim_enabled", {}, {"Identity": DOMAIN, "DkimEnabled": True})
    identity_responses(ses, True)

    off = stubbed.run(ses_domain_identity.main, {"domain": DOMAIN, "dkim": False})
    on = stubbed.run(ses_domain_identity.main, {"domain": DOMAIN, "dkim": True})

    assert off["changed"] is True and off["identity"]["dkim_enabled"] is False, off
    assert on["changed"] is True and on["identity"]["dkim_enabled"] is True, on
    stubbed.assert_all_used()


def test_pending_identity_is_reported_stubbed(stubbed):
    ses = stubbed("ses")
    identity_responses(ses, True, status="Pending")
    result = stubbed.run(ses_domain_identity.main, {"domain": DOMAIN})
    assert result["changed"] is False, result
    assert result["identity"]["verification_status"] == "Pending"
    stubbed.assert_all_used()


@pytest.mark.parametrize("domain", ["not a domain", "example", "-bad.example.org", "x" * 64 + ".org"])
def test_bad_input_fails_before_any_call(aws, domain):
    with aws.recording() as calls:
        result = aws.run(ses_domain_identity.main, {"domain": domain})
    assert result.failed
    assert "domain" in result["msg"]
    assert calls == []


def test_create_with_configuration_set(aws):
    result = aws.run(ses_domain_identity.main, with_set(), diff=True)

    assert result["changed"] is True, result
    ses = aws.client("ses")
    assert ses.get_identity_dkim_attributes(Identities=[DOMAIN])["DkimAttributes"][DOMAIN]["DkimEnabled"] is True
    (destination,) = live_set(aws)["EventDestinations"]
    assert destination["Name"] == "alerts"
    assert sorted(destination["MatchingEventTypes"]) == ["bounce", "complaint", "reject"]
    assert destination["SNSDestination"] == {"TopicARN": ALERTS}
    assert result["identity"]["dkim_enabled"] is True
    assert len(result["dns_records"]) == 4
    configuration_set = result["configuration_set"]
    assert configuration_set["name"] == "hp-test-outbound"
    assert configuration_set["event_destinations"] == [
        {"name": "alerts", "enabled": True, "matching_event_types": ["bounce", "complaint", "reject"], "sns_topic_arn": ALERTS}
    ]
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["configuration_set"] == configuration_set


def test_configuration_set_added_to_an_existing_identity(aws):
    aws.run(ses_domain_identity.main, {"domain": DOMAIN})
    with aws.recording() as calls:
        result = aws.run(ses_domain_identity.main, with_set(), diff=True)
    assert result["changed"] is True, result
    assert sorted(aws.mutating(calls)) == ["ses:CreateConfigurationSet", "ses:CreateConfigurationSetEventDestination"]
    assert result["diff"]["before"] == {"dkim_enabled": True}


def test_no_change_with_configuration_set_makes_no_mutating_call(aws):
    aws.run(ses_domain_identity.main, with_set())
    with aws.recording() as calls:
        result = aws.run(ses_domain_identity.main, with_set(event_destinations=[dict(DESTINATION, matching_event_types=["reject", "bounce", "complaint"])]))
        checked = aws.run(ses_domain_identity.main, with_set(), check_mode=True)
        bare = aws.run(ses_domain_identity.main, {"domain": DOMAIN, "configuration_set": {"name": "hp-test-outbound"}})
        alone = aws.run(ses_domain_identity.main, {"domain": DOMAIN})
    assert result["changed"] is False, result
    assert checked["changed"] is False, checked
    assert bare["changed"] is False, bare
    assert alone["changed"] is False and "configuration_set" not in alone, alone
    assert result["configuration_set"]["event_destinations"][0]["sns_topic_arn"] == ALERTS
    assert calls
    assert aws.mutating(calls) == []


def test_without_configuration_set_leaves_sets_alone(aws):
    aws.run(ses_domain_identity.main, with_set())
    with aws.recording() as calls:
        aws.run(ses_domain_identity.main, {"domain": DOMAIN})
    assert not [c for c in calls if "ConfigurationSet" in c["operation"]]
    assert live_set(aws)["EventDestinations"]


def test_check_mode_with_configuration_set_changes_nothing(aws):
    with aws.recording() as calls:
        created = aws.run(ses_domain_identity.main, with_set(tls_policy="Require"), check_mode=True, diff=True)
    assert created["changed"] is True
    assert created["configuration_set"]["tls_policy"] == "Require"
    assert created["configuration_set"]["event_destinations"][0]["name"] == "alerts"
    assert aws.mutating(calls) == []
    ses = aws.client("ses")
    assert ses.list_identities()["Identities"] == []
    assert ses.list_configuration_sets()["ConfigurationSets"] == []

    aws.run(ses_domain_identity.main, with_set())
    with aws.recording() as calls:
        updated = aws.run(ses_domain_identity.main, with_set(tls_policy="Require"), check_mode=True)
        purged = aws.run(ses_domain_identity.main, with_set(event_destinations=[]), check_mode=True)
    assert updated["changed"] is True and updated["configuration_set"]["tls_policy"] == "Require"
    assert purged["changed"] is True and purged["configuration_set"]["event_destinations"] == []
    assert aws.mutating(calls) == []
    assert live_set(aws)["EventDestinations"]


READ_SET = {
    "ConfigurationSetName": "hp-test-outbound",
    "ConfigurationSetAttributeNames": ["eventDestinations", "trackingOptions", "deliveryOptions", "reputationOptions"],
}


def described_set(tls, event_types):
    return {
        "ConfigurationSet": {"Name": "hp-test-outbound"},
        "DeliveryOptions": {"TlsPolicy": tls},
        "ReputationOptions": {"ReputationMetricsEnabled": True, "SendingEnabled": True},
        "EventDestinations": [{"Name": "alerts", "Enabled": True, "MatchingEventTypes": event_types, "SNSDestination": {"TopicARN": ALERTS}}],
    }


def test_configuration_set_update_stubbed(stubbed):
    ses = stubbed("ses")
    identity_responses(ses, True)
    ses.add_response("describe_configuration_set", described_set("Optional", ["bounce"]), READ_SET)
    ses.add_response("put_configuration_set_delivery_options", {}, {"ConfigurationSetName": "hp-test-outbound", "DeliveryOptions": {"TlsPolicy": "Require"}})
    wanted = {"Name": "alerts", "Enabled": True, "MatchingEventTypes": ["bounce", "complaint", "reject"], "SNSDestination": {"TopicARN": ALERTS}}
    ses.add_response("update_configuration_set_event_destination", {}, {"ConfigurationSetName": "hp-test-outbound", "EventDestination": wanted})
    identity_responses(ses, True)
    ses.add_response("describe_configuration_set", described_set("Require", ["bounce", "complaint", "reject"]), READ_SET)

    options = with_set(tls_policy="Require", reputation_metrics_enabled=True)
    changed = stubbed.run(ses_domain_identity.main, options, diff=True)
    again = stubbed.run(ses_domain_identity.main, options)

    assert changed["changed"] is True, changed
    assert changed["configuration_set"]["tls_policy"] == "Require"
    assert changed["configuration_set"]["event_destinations"][0]["matching_event_types"] == ["bounce", "complaint", "reject"]
    assert changed["diff"]["before"]["configuration_set"]["tls_policy"] == "Optional"
    assert changed["diff"]["before"]["configuration_set"]["event_destinations"][0]["matching_event_types"] == ["bounce"]
    assert changed["diff"]["before"]["dkim_enabled"] is True
    assert again["changed"] is False, again
    stubbed.assert_all_used()


@pytest.mark.parametrize(
    "options, option",
    [
        ({"configuration_set": dict(SET, name="bad name")}, "configuration_set.name"),
        ({"configuration_set": dict(SET, tls_policy="Always")}, "tls_policy"),
        ({"configuration_set": dict(SET, event_destinations=[dict(DESTINATION, sns_topic_arn="hp-test-alerts")])}, "set.event_destinations[0].sns_topic_arn"),
        ({"configuration_set": dict(SET, event_destinations=[dict(DESTINATION, matching_event_types=[])])}, "set.event_destinations[0].matching_event_types"),
        ({"configuration_set": dict(SET, event_destinations=[dict(DESTINATION, matching_event_types=["bounced"])])}, "matching_event_types"),
        ({"configuration_set": dict(SET, event_destinations=[DESTINATION, DESTINATION])}, "configuration_set.event_destinations[1].name"),
        ({"configuration_set": {"tls_policy": "Require"}}, "name"),
        ({"configuration_set": SET, "state": "absent"}, "configuration_set"),
    ],
)
def test_bad_configuration_set_fails_before_any_call(aws, options, option):
    with aws.recording() as calls:
        result = aws.run(ses_domain_identity.main, {"domain": DOMAIN, **options})
    assert result.failed
    assert option in result["msg"], result["msg"]
    assert "configuration_set" in result["msg"], result["msg"]
    assert calls == []


def test_info(aws):
    aws.run(ses_domain_identity.main, {"domain": DOMAIN})
    named = aws.run(ses_domain_identity_info.main, {"domains": [DOMAIN, "other.example.org"]})
    everything = aws.run(ses_domain_identity_info.main, {})
    (identity,) = named["identities"]
    assert identity["dkim_enabled"] is True
    assert len(identity["dns_records"]) == 4
    assert [i["domain"] for i in everything["identities"]] == [DOMAIN]
