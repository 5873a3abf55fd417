# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""macie2 and macie2_info.

Against the moto server: enabling, the no-op, disabling and check mode (EnableMacie,
GetMacieSession and DisableMacie work in moto 5.2.5; a fresh moto account starts with Macie
enabled, so each test disables it first).

With the botocore Stubber: pausing and changing the finding frequency (moto 5.2.5 answers
UpdateMacieSession with HTTP 500), and an account where AWS says Macie is not enabled
(AccessDeniedException). The Stubber validates every request against the real botocore model
and fails on any call that was not queued.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import macie2
from ansible_collections.healthplatform.aws.plugins.modules import macie2_info


@pytest.fixture
def disabled(aws):
    aws.client("macie2").disable_macie()


def session_of(aws):
    try:
        return aws.client("macie2").get_macie_session()
    except aws.client("macie2").exceptions.ResourceNotFoundException:
        return None


def test_enable(aws, disabled):
    result = aws.run(macie2.main, {"finding_publishing_frequency": "ONE_HOUR"}, diff=True)
    assert result["changed"] is True
    session = session_of(aws)
    assert session["status"] == "ENABLED"
    assert session["findingPublishingFrequency"] == "ONE_HOUR"
    assert result["session"]["service_role"].endswith("AWSServiceRoleForAmazonMacie")
    assert result["diff"] == {"before": {}, "after": {"status": "ENABLED", "finding_publishing_frequency": "ONE_HOUR"}}


def test_no_change_makes_no_mutating_call(aws, disabled):
    aws.run(macie2.main, {"finding_publishing_frequency": "ONE_HOUR"})
    with aws.recording() as calls:
        result = aws.run(macie2.main, {"finding_publishing_frequency": "ONE_HOUR"})
        bare = aws.run(macie2.main, {})
        checked = aws.run(macie2.main, {"finding_publishing_frequency": "ONE_HOUR"}, check_mode=True)
    assert result["changed"] is False and bare["changed"] is False and checked["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_check_mode_changes_nothing(aws, disabled):
    with aws.recording() as calls:
        result = aws.run(macie2.main, {}, check_mode=True)
    assert result["changed"] is True
    assert aws.mutating(calls) == []
    assert session_of(aws) is None

    aws.run(macie2.main, {})
    with aws.recording() as calls:
        paused = aws.run(macie2.main, {"status": "PAUSED"}, check_mode=True)
        off = aws.run(macie2.main, {"state": "absent"}, check_mode=True)
    assert paused["changed"] is True and paused["session"]["status"] == "PAUSED"
    assert off["changed"] is True
    assert aws.mutating(calls) == []
    assert session_of(aws)["status"] == "ENABLED"


def test_disable_and_disable_again(aws):
    assert aws.run(macie2.main, {"state": "absent"})["changed"] is True
    assert session_of(aws) is None
    assert aws.run(macie2.main, {"state": "absent"})["changed"] is False


def test_pause_and_frequency_stubbed(stubbed):
    macie = stubbed("macie2")
    macie.add_response("get_macie_session", {"status": "ENABLED", "findingPublishingFrequency": "SIX_HOURS"})
    macie.add_response("update_macie_session", {}, {"status": "PAUSED", "findingPublishingFrequency": "FIFTEEN_MINUTES"})
    result = stubbed.run(macie2.main, {"status": "PAUSED", "finding_publishing_frequency": "FIFTEEN_MINUTES"})
    assert result["changed"] is True, result
    assert result["session"] == {"status": "PAUSED", "finding_publishing_frequency": "FIFTEEN_MINUTES"}
    stubbed.assert_all_used()


def test_not_enabled_on_aws_stubbed(stubbed):
    macie = stubbed("macie2")
    macie.add_client_error("get_macie_session", "AccessDeniedException", "Macie is not enabled.")
    macie.add_response("enable_macie", {})
    macie.add_response("get_macie_session", {"status": "ENABLED", "findingPublishingFrequency": "SIX_HOURS"})
    result = stubbed.run(macie2.main, {})
    assert result["changed"] is True, result
    stubbed.assert_all_used()


def test_bad_input_fails_before_any_call(aws):
    with aws.recording() as calls:
        result = aws.run(macie2.main, {"finding_publishing_frequency": "DAILY"})
    assert result.failed
    assert "finding_publishing_frequency" in result["msg"]
    assert calls == []


def test_info(aws, disabled):
    assert aws.run(macie2_info.main, {})["enabled"] is False
    aws.run(macie2.main, {})
    result = aws.run(macie2_info.main, {})
    assert result["enabled"] is True
    assert result["session"]["status"] == "ENABLED"
