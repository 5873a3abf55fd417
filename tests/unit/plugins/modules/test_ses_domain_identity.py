# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ses_domain_identity and ses_domain_identity_info.

Against the moto server: create with DKIM, the no-op, delete, check mode and bad input
(VerifyDomainIdentity, VerifyDomainDkim, the attribute reads and DeleteIdentity work in moto 5.2.5;
moto reports a new domain as verified at once).

With the botocore Stubber: turning DKIM off and on again for an identity that has its tokens
(moto 5.2.5 answers SetIdentityDkimEnabled with HTTP 500), and a Pending identity as AWS reports it
until its TXT record resolves. The Stubber validates every request against the real botocore
model and fails on any call that was not queued.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import ses_domain_identity
from ansible_collections.healthplatform.aws.plugins.modules import ses_domain_identity_info

DOMAIN = "mail.hp-test.example.org"


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


def test_info(aws):
    aws.run(ses_domain_identity.main, {"domain": DOMAIN})
    named = aws.run(ses_domain_identity_info.main, {"domains": [DOMAIN, "other.example.org"]})
    everything = aws.run(ses_domain_identity_info.main, {})
    (identity,) = named["identities"]
    assert identity["dkim_enabled"] is True
    assert len(identity["dns_records"]) == 4
    assert [i["domain"] for i in everything["identities"]] == [DOMAIN]
