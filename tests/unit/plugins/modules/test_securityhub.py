# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""securityhub and securityhub_info.

Against the moto server: enabling and disabling Security Hub (EnableSecurityHub,
DescribeHub, DisableSecurityHub work in moto 5.2.5), the no-op, check mode and
bad input. The module reads the standards only when `standards` is given, so
these paths make no standards call.

With the botocore Stubber: everything about standards and the hub's
configuration. moto 5.2.5 lacks GetEnabledStandards, BatchEnableStandards,
BatchDisableStandards and DescribeStandards (HTTP 404) and answers
UpdateSecurityHubConfiguration with HTTP 500; it also ignores the
ControlFindingGenerator of EnableSecurityHub (always SECURITY_CONTROL), so
enabling with STANDARD_CONTROL is a Stubber test too. The Stubber validates every
request against the real botocore model and fails on any call not queued.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import securityhub
from ansible_collections.healthplatform.aws.plugins.modules import securityhub_info

ACCOUNT = "123456789012"
HUB_ARN = f"arn:aws:securityhub:us-east-1:{ACCOUNT}:hub/default"
FSBP = "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0"
CIS_12 = "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"
CIS_14 = "arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/1.4.0"
CIS_30 = "arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/3.0.0"


def hub_of(aws):
    try:
        return aws.client("securityhub").describe_hub()
    except aws.client("securityhub").exceptions.InvalidAccessException:
        return None


def test_enable(aws):
    with aws.recording() as calls:
        result = aws.run(securityhub.main, {"control_finding_generator": "SECURITY_CONTROL", "auto_enable_controls": True}, diff=True)

    assert result["changed"] is True
    assert aws.mutating(calls) == ["securityhub:EnableSecurityHub"]
    hub = hub_of(aws)
    assert hub["ControlFindingGenerator"] == "SECURITY_CONTROL"
    assert result["hub"]["hub_arn"] == hub["HubArn"]
    assert result["hub"]["auto_enable_controls"] is True
    assert "standards" not in result, "standards are neither read nor returned when not managed"
    assert result["diff"] == {
        "before": {"enabled": False},
        "after": {"enabled": True, "auto_enable_controls": True, "control_finding_generator": "SECURITY_CONTROL"},
    }


def test_no_change_makes_no_mutating_call(aws):
    args = {"control_finding_generator": "SECURITY_CONTROL", "auto_enable_controls": True}
    aws.run(securityhub.main, args)
    with aws.recording() as calls:
        result = aws.run(securityhub.main, args)
        bare = aws.run(securityhub.main, {})

    assert result["changed"] is False
    assert bare["changed"] is False
    assert calls, "the module must read the hub"
    assert aws.mutating(calls) == []


def test_disable_and_disable_again(aws):
    aws.run(securityhub.main, {})
    result = aws.run(securityhub.main, {"state": "absent"})

    assert result["changed"] is True
    assert result["hub"] == {}
    assert hub_of(aws) is None
    assert aws.run(securityhub.main, {"state": "absent"})["changed"] is False


def test_check_mode_changes_nothing(aws):
    with aws.recording() as calls:
        enable = aws.run(securityhub.main, {"standards": [{"name": "aws-foundational-security-best-practices"}]}, check_mode=True)
    assert enable["changed"] is True
    assert enable["hub"]["control_finding_generator"] == "SECURITY_CONTROL"
    assert [s["standards_arn"] for s in enable["standards"]] == [FSBP]
    assert aws.mutating(calls) == []
    assert hub_of(aws) is None

    aws.run(securityhub.main, {})
    with aws.recording() as calls:
        disable = aws.run(securityhub.main, {"state": "absent"}, check_mode=True)
        same = aws.run(securityhub.main, {}, check_mode=True)
    assert disable["changed"] is True
    assert same["changed"] is False
    assert aws.mutating(calls) == []
    assert hub_of(aws) is not None


@pytest.mark.parametrize(
    "args, option",
    [
        ({"standards": [{"name": "aws-foundational-security-best-practice"}]}, "standards"),
        ({"standards": [{"name": "cis-aws-foundations-benchmark"}]}, "standards"),  # several versions: which one?
        ({"standards": [{"name": "cis-aws-foundations-benchmark", "version": "1.3.0"}]}, "standards"),
        ({"standards": [{"version": "1.0.0"}]}, "name"),
        ({"control_finding_generator": "PER_STANDARD"}, "control_finding_generator"),
    ],
)
def test_bad_input_fails_before_any_call(aws, args, option):
    with aws.recording() as calls:
        result = aws.run(securityhub.main, args)

    assert result.failed
    assert option in result["msg"]
    assert calls == [], "validation must happen before any API call"
    assert hub_of(aws) is None


def test_info_when_disabled(aws):
    result = aws.run(securityhub_info.main, {})

    assert result["changed"] is False
    assert result["enabled"] is False
    assert result["hub"] == {}
    assert result["standards"] == []


# --- Stubber: standards and configuration updates (moto lacks or breaks these calls) ---


def hub(auto=True, generator="SECURITY_CONTROL"):
    return {"HubArn": HUB_ARN, "SubscribedAt": "2024-05-01T10:00:00.000Z", "AutoEnableControls": auto, "ControlFindingGenerator": generator}


def subscription(arn, status="READY"):
    key = arn.split(":", 5)[5].split("/", 1)[1]
    return {
        "StandardsSubscriptionArn": f"arn:aws:securityhub:us-east-1:{ACCOUNT}:subscription/{key}",
        "StandardsArn": arn,
        "StandardsInput": {},
        "StandardsStatus": status,
    }


def not_subscribed(sh):
    sh.add_client_error(
        "describe_hub",
        service_error_code="InvalidAccessException",
        service_message=f"Account {ACCOUNT} is not subscribed to AWS Security Hub",
        http_status_code=401,
    )


def test_update_configuration_stubbed(stubbed):
    sh = stubbed("securityhub")
    sh.add_response("describe_hub", hub(), {})
    sh.add_response("update_security_hub_configuration", {}, {"AutoEnableControls": False, "ControlFindingGenerator": "STANDARD_CONTROL"})

    result = stubbed.run(securityhub.main, {"auto_enable_controls": False, "control_finding_generator": "STANDARD_CONTROL"}, diff=True)

    assert result["changed"] is True, result
    assert result["hub"]["auto_enable_controls"] is False
    assert result["hub"]["control_finding_generator"] == "STANDARD_CONTROL"
    assert result["diff"]["before"]["auto_enable_controls"] is True
    stubbed.assert_all_used()


def test_enable_with_standards_stubbed(stubbed):
    sh = stubbed("securityhub")
    not_subscribed(sh)
    sh.add_response("enable_security_hub", {}, {"EnableDefaultStandards": False, "ControlFindingGenerator": "STANDARD_CONTROL"})
    sh.add_response("describe_hub", hub(generator="STANDARD_CONTROL"), {})
    sh.add_response("update_security_hub_configuration", {}, {"AutoEnableControls": False})
    # no GetEnabledStandards: a hub enabled without default standards has none
    sh.add_response(
        "batch_enable_standards",
        {"StandardsSubscriptions": [subscription(FSBP, "PENDING"), subscription(CIS_12, "PENDING")]},
        {"StandardsSubscriptionRequests": [{"StandardsArn": FSBP}, {"StandardsArn": CIS_12}]},
    )

    args = {
        "control_finding_generator": "STANDARD_CONTROL",
        "auto_enable_controls": False,
        "standards": [
            {"name": "aws-foundational-security-best-practices"},
            {"name": "cis-aws-foundations-benchmark", "version": "1.2.0"},
            {"name": "aws-foundational-security-best-practices", "version": "1.0.0"},  # the same one twice
        ],
    }
    result = stubbed.run(securityhub.main, args, diff=True)

    assert result["changed"] is True, result
    assert result["hub"]["hub_arn"] == HUB_ARN
    assert result["hub"]["control_finding_generator"] == "STANDARD_CONTROL"
    assert result["hub"]["auto_enable_controls"] is False
    assert [(s["name"], s["version"], s["standards_status"]) for s in result["standards"]] == [
        ("aws-foundational-security-best-practices", "1.0.0", "PENDING"),
        ("cis-aws-foundations-benchmark", "1.2.0", "PENDING"),
    ]
    assert result["diff"]["after"]["standards"] == [
        "ruleset/cis-aws-foundations-benchmark/v/1.2.0",
        "standards/aws-foundational-security-best-practices/v/1.0.0",
    ]
    stubbed.assert_all_used()


def test_standards_no_change_stubbed(stubbed):
    sh = stubbed("securityhub")
    sh.add_response("describe_hub", hub(), {})
    sh.add_response("get_enabled_standards", {"StandardsSubscriptions": [subscription(FSBP), subscription(CIS_14)]}, {})

    result = stubbed.run(securityhub.main, {"standards": [{"name": "aws-foundational-security-best-practices"}]})

    assert result["changed"] is False, result
    assert sorted(s["standards_arn"] for s in result["standards"]) == sorted([FSBP, CIS_14])
    stubbed.assert_all_used()


def test_standards_swap_with_purge_enables_first_stubbed(stubbed):
    sh = stubbed("securityhub")
    sh.add_response("describe_hub", hub(), {})
    # two pages: the module follows NextToken
    sh.add_response("get_enabled_standards", {"StandardsSubscriptions": [subscription(FSBP)], "NextToken": "page2"}, {})
    sh.add_response("get_enabled_standards", {"StandardsSubscriptions": [subscription(CIS_14)]}, {"NextToken": "page2"})
    sh.add_response(
        "batch_enable_standards", {"StandardsSubscriptions": [subscription(CIS_30, "PENDING")]}, {"StandardsSubscriptionRequests": [{"StandardsArn": CIS_30}]}
    )
    sh.add_response(
        "batch_disable_standards",
        {"StandardsSubscriptions": [subscription(CIS_14, "DELETING")]},
        {"StandardsSubscriptionArns": [subscription(CIS_14)["StandardsSubscriptionArn"]]},
    )

    args = {
        "standards": [{"name": "aws-foundational-security-best-practices"}, {"name": "cis-aws-foundations-benchmark", "version": "3.0.0"}],
        "purge_standards": True,
    }
    result = stubbed.run(securityhub.main, args, diff=True)

    assert result["changed"] is True, result
    assert sorted(s["standards_arn"] for s in result["standards"]) == sorted([FSBP, CIS_30])
    assert "standards/cis-aws-foundations-benchmark/v/1.4.0" in result["diff"]["before"]["standards"]
    assert "standards/cis-aws-foundations-benchmark/v/1.4.0" not in result["diff"]["after"]["standards"]
    stubbed.assert_all_used()


def test_standards_without_purge_only_enable_stubbed(stubbed):
    sh = stubbed("securityhub")
    sh.add_response("describe_hub", hub(), {})
    sh.add_response("get_enabled_standards", {"StandardsSubscriptions": [subscription(CIS_14), subscription(FSBP, "DELETING")]}, {})
    # FSBP is being deleted: it is enabled again
    sh.add_response(
        "batch_enable_standards", {"StandardsSubscriptions": [subscription(FSBP, "PENDING")]}, {"StandardsSubscriptionRequests": [{"StandardsArn": FSBP}]}
    )

    result = stubbed.run(securityhub.main, {"standards": [{"name": "aws-foundational-security-best-practices"}]})

    assert result["changed"] is True, result
    assert sorted(s["standards_arn"] for s in result["standards"]) == sorted([FSBP, CIS_14])
    stubbed.assert_all_used()


def test_purge_all_standards_stubbed(stubbed):
    sh = stubbed("securityhub")
    sh.add_response("describe_hub", hub(), {})
    sh.add_response("get_enabled_standards", {"StandardsSubscriptions": [subscription(FSBP)]}, {})
    sh.add_response("batch_disable_standards", {"StandardsSubscriptions": []}, {"StandardsSubscriptionArns": [subscription(FSBP)["StandardsSubscriptionArn"]]})

    result = stubbed.run(securityhub.main, {"standards": [], "purge_standards": True})

    assert result["changed"] is True, result
    assert result["standards"] == []
    stubbed.assert_all_used()


def test_check_mode_standards_makes_only_reads_stubbed(stubbed):
    sh = stubbed("securityhub")
    sh.add_response("describe_hub", hub(), {})
    sh.add_response("get_enabled_standards", {"StandardsSubscriptions": [subscription(CIS_14)]}, {})

    args = {"standards": [{"name": "pci-dss", "version": "3.2.1"}], "purge_standards": True, "auto_enable_controls": False}
    result = stubbed.run(securityhub.main, args, check_mode=True)

    assert result["changed"] is True, result
    assert result["hub"]["auto_enable_controls"] is False
    assert [(s["name"], s["version"], s["standards_status"]) for s in result["standards"]] == [("pci-dss", "3.2.1", "PENDING")]
    stubbed.assert_all_used()  # and any mutating call would have failed: none was queued


def test_standard_arns_follow_partition_and_region_stubbed(stubbed):
    sh = stubbed("securityhub")
    sh.add_response("describe_hub", dict(hub(), HubArn=f"arn:aws-us-gov:securityhub:us-gov-west-1:{ACCOUNT}:hub/default"), {})
    sh.add_response("get_enabled_standards", {"StandardsSubscriptions": []}, {})
    sh.add_response(
        "batch_enable_standards",
        {"StandardsSubscriptions": []},
        {
            "StandardsSubscriptionRequests": [
                {"StandardsArn": "arn:aws-us-gov:securityhub:us-gov-west-1::standards/nist-800-53/v/5.0.0"},
                {"StandardsArn": "arn:aws-us-gov:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"},
            ]
        },
    )

    args = {"region": "us-gov-west-1", "standards": [{"name": "nist-800-53"}, {"name": "cis-aws-foundations-benchmark", "version": "1.2.0"}]}
    result = stubbed.run(securityhub.main, args)

    assert result["changed"] is True, result
    stubbed.assert_all_used()


def test_info_stubbed(stubbed):
    sh = stubbed("securityhub")
    sh.add_response("describe_hub", hub(), {})
    sh.add_response("get_enabled_standards", {"StandardsSubscriptions": [subscription(FSBP), subscription(CIS_12, "PENDING")]}, {})

    result = stubbed.run(securityhub_info.main, {})

    assert result["changed"] is False
    assert result["enabled"] is True
    assert result["hub"]["hub_arn"] == HUB_ARN
    assert [(s["name"], s["version"], s["standards_status"]) for s in result["standards"]] == [
        ("aws-foundational-security-best-practices", "1.0.0", "READY"),
        ("cis-aws-foundations-benchmark", "1.2.0", "PENDING"),
    ]
    stubbed.assert_all_used()
