# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""wafv2_logging_configuration and its _info against the moto server (WAFv2 logging configurations are emulated)."""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import wafv2_logging_configuration
from ansible_collections.healthplatform.aws.plugins.modules import wafv2_logging_configuration_info

VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "acl"}
GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-hp-portal"
OTHER_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-hp-other"
REDACT = [{"single_header": "Authorization"}, {"single_header": "cookie"}]


@pytest.fixture
def acl(aws):
    logs = aws.client("logs")
    logs.create_log_group(logGroupName="aws-waf-logs-hp-portal")
    logs.create_log_group(logGroupName="aws-waf-logs-hp-other")
    waf = aws.client("wafv2")
    return waf.create_web_acl(Name="hp-portal", Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=VISIBILITY, Rules=[])["Summary"]["ARN"]


def live(aws, acl_arn):
    try:
        return aws.client("wafv2").get_logging_configuration(ResourceArn=acl_arn)["LoggingConfiguration"]
    except aws.client("wafv2").exceptions.WAFNonexistentItemException:
        return None


def test_create_with_redacted_headers(aws, acl):
    result = aws.run(wafv2_logging_configuration.main, {"web_acl_arn": acl, "log_destination": GROUP_ARN, "redacted_fields": REDACT})

    assert result["changed"] is True
    config = live(aws, acl)
    assert config["LogDestinationConfigs"] == [GROUP_ARN]
    assert config["RedactedFields"] == [{"SingleHeader": {"Name": "authorization"}}, {"SingleHeader": {"Name": "cookie"}}]
    assert result["logging_configuration"]["log_destination_configs"] == [GROUP_ARN]


def test_no_change_makes_no_mutating_call(aws, acl):
    args = {"web_acl_arn": acl, "log_destination": GROUP_ARN, "redacted_fields": REDACT}
    aws.run(wafv2_logging_configuration.main, args)
    # the same headers in another order and case are the same configuration
    with aws.recording() as calls:
        result = aws.run(wafv2_logging_configuration.main, {**args, "redacted_fields": [{"single_header": "COOKIE"}, {"single_header": "authorization"}]})
    assert result["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_update_destination_and_fields(aws, acl):
    aws.run(wafv2_logging_configuration.main, {"web_acl_arn": acl, "log_destination": GROUP_ARN, "redacted_fields": REDACT})
    result = aws.run(
        wafv2_logging_configuration.main, {"web_acl_arn": acl, "log_destination": OTHER_ARN, "redacted_fields": [{"query_string": True}]}, diff=True
    )

    assert result["changed"] is True
    config = live(aws, acl)
    assert config["LogDestinationConfigs"] == [OTHER_ARN]
    assert config["RedactedFields"] == [{"QueryString": {}}]
    assert result["diff"]["before"]["redacted_fields"] == ["single_header:authorization", "single_header:cookie"]
    assert result["diff"]["after"]["redacted_fields"] == ["query_string"]


def test_delete_and_delete_again(aws, acl):
    aws.run(wafv2_logging_configuration.main, {"web_acl_arn": acl, "log_destination": GROUP_ARN})
    assert aws.run(wafv2_logging_configuration.main, {"web_acl_arn": acl, "state": "absent"})["changed"] is True
    assert live(aws, acl) is None
    assert aws.run(wafv2_logging_configuration.main, {"web_acl_arn": acl, "state": "absent"})["changed"] is False


def test_check_mode_changes_nothing(aws, acl):
    with aws.recording() as calls:
        create = aws.run(wafv2_logging_configuration.main, {"web_acl_arn": acl, "log_destination": GROUP_ARN}, check_mode=True)
    assert create["changed"] is True
    assert live(aws, acl) is None
    assert aws.mutating(calls) == []

    aws.run(wafv2_logging_configuration.main, {"web_acl_arn": acl, "log_destination": GROUP_ARN})
    with aws.recording() as calls:
        update = aws.run(wafv2_logging_configuration.main, {"web_acl_arn": acl, "log_destination": OTHER_ARN}, check_mode=True)
        delete = aws.run(wafv2_logging_configuration.main, {"web_acl_arn": acl, "state": "absent"}, check_mode=True)
    assert update["changed"] is True and delete["changed"] is True
    assert live(aws, acl)["LogDestinationConfigs"] == [GROUP_ARN]
    assert aws.mutating(calls) == []


@pytest.mark.parametrize(
    "args, option",
    [
        ({"log_destination": None}, "log_destination"),
        ({"log_destination": "arn:aws:logs:us-east-1:123456789012:log-group:waf-portal"}, "log_destination"),
        ({"log_destination": GROUP_ARN + ":*"}, "log_destination"),
        ({"redacted_fields": [{"single_header": "cookie", "query_string": True}]}, "redacted_fields[0]"),
        ({"redacted_fields": [{}]}, "redacted_fields[0]"),
        ({"web_acl_arn": "hp-portal"}, "web_acl_arn"),
    ],
)
def test_bad_input_fails_before_any_call(aws, acl, args, option):
    with aws.recording() as calls:
        result = aws.run(wafv2_logging_configuration.main, {"web_acl_arn": acl, "log_destination": GROUP_ARN, **args})
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info(aws, acl):
    aws.run(wafv2_logging_configuration.main, {"web_acl_arn": acl, "log_destination": GROUP_ARN, "redacted_fields": REDACT})
    by_arn = aws.run(wafv2_logging_configuration_info.main, {"web_acl_arns": [acl]})
    assert by_arn["changed"] is False
    assert [c["log_destination_configs"] for c in by_arn["logging_configurations"]] == [[GROUP_ARN]]
    listed = aws.run(wafv2_logging_configuration_info.main, {})
    assert [c["resource_arn"] for c in listed["logging_configurations"]] == [acl]
