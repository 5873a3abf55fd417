# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""platform_audit, service controls: HP-19 (CloudTrail, CIS alarms, log groups), HP-20 (CloudWatch
agent, AWS side), HP-25 (GuardDuty, Security Hub, Config), HP-26 (SNS, SES).

Against the moto server where it implements the APIs (CloudTrail, CloudWatch Logs metric filters,
alarms and metrics, GuardDuty, Security Hub, Config, SNS, SES). HP-25's pass path uses botocore's
Stubber: moto 5.2.5 does not implement Security Hub's GetEnabledStandards (HTTP 404), so on the
emulator HP-25 can fail or be unknown, never pass. The Stubber validates every request against the
real API model. Also: the whole catalogue on one emulator account makes no mutating call.
"""

from __future__ import annotations

import json

from auditlab import ACCOUNT
from auditlab import PREFIX
from auditlab import TAG_DICT
from auditlab import audit
from auditlab import key
from auditlab import log_group

from ansible_collections.healthplatform.aws.plugins.module_utils.audit import CATALOGUE
from ansible_collections.healthplatform.aws.plugins.modules import platform_audit

# ---------------------------------------------------------------- HP-19

CIS_FILTERS = {
    "unauthorized-api-calls": '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
    "console-sign-in-without-mfa": '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
    "root-usage": '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }',
    "iam-policy-changes": "{ ($.eventName = PutGroupPolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = AttachRolePolicy) }",
    "cloudtrail-changes": "{ ($.eventName = StopLogging) || ($.eventName = DeleteTrail) }",
    "kms-key-disabled-or-deleted": "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
    "s3-bucket-policy-changes": "{ ($.eventSource = s3.amazonaws.com) && ($.eventName = PutBucketPolicy) }",
    "security-group-changes": "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = CreateSecurityGroup) }",
    "network-acl-changes": "{ ($.eventName = CreateNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) }",
    "route-table-changes": "{ ($.eventName = CreateRoute) || ($.eventName = ReplaceRoute) }",
    "vpc-changes": "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) }",
}


def monitoring(aws, multi_region=True, validation=True, encrypted=True, filters=None, retention=2192):
    filters = CIS_FILTERS if filters is None else filters
    logs_key = key(aws, "logs")
    trail_group = f"/{PREFIX}/cloudtrail"
    group_arn = log_group(aws, trail_group, kms_key=logs_key, retention=retention)
    aws.client("s3").create_bucket(Bucket=f"aws-waf-logs-{PREFIX}-{ACCOUNT}-us-east-1")
    cloudtrail = aws.client("cloudtrail")
    cloudtrail.create_trail(
        Name=PREFIX,
        S3BucketName=f"aws-waf-logs-{PREFIX}-{ACCOUNT}-us-east-1",
        IsMultiRegionTrail=multi_region,
        EnableLogFileValidation=validation,
        **({"KmsKeyId": logs_key} if encrypted else {}),
        CloudWatchLogsLogGroupArn=f"{group_arn}:*",
        CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/{PREFIX}-cloudtrail-logs",
    )
    cloudtrail.start_logging(Name=PREFIX)
    topic = aws.client("sns").create_topic(Name=f"{PREFIX}-alerts")["TopicArn"]
    logs, cloudwatch = aws.client("logs"), aws.client("cloudwatch")
    for name, pattern in filters.items():
        metric = name.title().replace("-", "")
        logs.put_metric_filter(
            logGroupName=trail_group,
            filterName=f"{PREFIX}-cis-{name}",
            filterPattern=pattern,
            metricTransformations=[{"metricName": metric, "metricNamespace": f"{PREFIX}/CIS", "metricValue": "1"}],
        )
        cloudwatch.put_metric_alarm(
            AlarmName=f"{PREFIX}-cis-{name}",
            MetricName=metric,
            Namespace=f"{PREFIX}/CIS",
            Statistic="Sum",
            Period=300,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            AlarmActions=[topic],
        )
    log_group(aws, f"/{PREFIX}/vpc-flow-logs", kms_key=logs_key, retention=365)


def test_trail_cis_alarms_and_encrypted_log_groups_pass_hp19(aws):
    monitoring(aws)

    found = audit(aws, platform_audit.main, ["HP-19"])["HP-19"]

    assert found["status"] == "pass", found["reason"]
    assert found["evidence"]["Trails"] == {PREFIX: "ok"}
    assert found["evidence"]["LogGroups"][f"/{PREFIX}/vpc-flow-logs"] == {"KmsKey": f"alias/{PREFIX}-logs", "RetentionDays": 365}


def test_weak_trail_missing_cis_alarms_and_unkept_logs_fail_hp19(aws):
    filters = {k: v for k, v in CIS_FILTERS.items() if k not in ("root-usage", "vpc-changes")}
    monitoring(aws, multi_region=False, validation=False, filters=filters)
    log_group(aws, f"/aws/lambda/{PREFIX}-scheduling", retention=None)

    found = audit(aws, platform_audit.main, ["HP-19"])["HP-19"]

    assert found["status"] == "fail"
    assert f"{PREFIX}: not multi-region, no log file validation" in found["reason"]
    assert f"log group /aws/lambda/{PREFIX}-scheduling is not encrypted with a customer managed KMS key" in found["reason"]
    assert f"log group /aws/lambda/{PREFIX}-scheduling keeps events forever" in found["reason"]


def test_missing_cis_alarms_fail_hp19(aws):
    monitoring(aws, filters={k: v for k, v in CIS_FILTERS.items() if k not in ("root-usage", "vpc-changes")})

    found = audit(aws, platform_audit.main, ["HP-19"])["HP-19"]

    assert found["status"] == "fail"
    assert "no metric filter with an alarm notifying SNS for: root account use, VPC changes" in found["reason"]


def test_no_trail_fails_hp19(aws):
    found = audit(aws, platform_audit.main, ["HP-19"])["HP-19"]

    assert found["status"] == "fail" and "there is no trail" in found["reason"]


# ---------------------------------------------------------------- HP-20


def agent_log_groups(aws, prefix="/healthplatform/lab/instances", streams=True):
    """The groups the monitoring tier makes beforehand and, when an agent shipped, its per-instance streams."""
    for name in ("system", "auth", "nginx-access", "nginx-error"):
        log_group(aws, f"{prefix}/{name}")
        if streams:
            aws.client("logs").create_log_stream(logGroupName=f"{prefix}/{name}", logStreamName="i-0123456789abcdef0")


def test_agent_log_groups_and_metrics_pass_hp20(aws):
    agent_log_groups(aws)
    aws.client("cloudwatch").put_metric_data(
        Namespace="HealthPlatform/EC2", MetricData=[{"MetricName": "mem_used_percent", "Value": 40.0}, {"MetricName": "disk_used_percent", "Value": 20.0}]
    )

    found = audit(aws, platform_audit.main, ["HP-20"])["HP-20"]

    assert found["status"] == "pass", found["reason"]
    assert found["evidence"]["LogGroups"]["/healthplatform/lab/instances/auth"] == "latest stream i-0123456789abcdef0"
    assert "out of this module's reach" in found["evidence"]["notes"][0], "the host side is said to be unchecked here"


def test_no_agent_log_groups_or_metrics_fail_hp20(aws):
    log_group(aws, "/healthplatform/lab/instances/system")

    found = audit(aws, platform_audit.main, ["HP-20"])["HP-20"]

    assert found["status"] == "fail"
    assert "the agent's log groups do not exist: /healthplatform/lab/instances/auth" in found["reason"]
    assert "no agent has shipped to /healthplatform/lab/instances/system (no log stream)" in found["reason"]
    assert "no mem_used_percent, disk_used_percent metric in HealthPlatform/EC2" in found["reason"]


def test_log_groups_made_beforehand_are_not_enough_hp20(aws):
    """The monitoring tier makes the agent's groups before any agent runs: without streams and metrics, HP-20 fails."""
    agent_log_groups(aws, streams=False)

    found = audit(aws, platform_audit.main, ["HP-20"])["HP-20"]

    assert found["status"] == "fail"
    assert "no agent has shipped to /healthplatform/lab/instances/system, /healthplatform/lab/instances/auth" in found["reason"]
    assert "the agent's log groups do not exist" not in found["reason"]


def test_agent_prefix_and_namespace_options_hp20(aws):
    agent_log_groups(aws, prefix="/custom/agents")
    aws.client("cloudwatch").put_metric_data(
        Namespace="Custom/Hosts", MetricData=[{"MetricName": "mem_used_percent", "Value": 40.0}, {"MetricName": "disk_used_percent", "Value": 20.0}]
    )

    found = audit(aws, platform_audit.main, ["HP-20"], agent_log_group_prefix="/custom/agents", agent_metrics_namespace="Custom/Hosts")["HP-20"]

    assert found["status"] == "pass", found["reason"]


# ---------------------------------------------------------------- HP-25


def threat_detection(aws, s3_protection=True, recorder=True):
    aws.client("guardduty").create_detector(
        Enable=True,
        Features=[{"Name": "S3_DATA_EVENTS", "Status": "ENABLED" if s3_protection else "DISABLED"}, {"Name": "RDS_LOGIN_EVENTS", "Status": "ENABLED"}],
    )
    aws.client("securityhub").enable_security_hub(EnableDefaultStandards=False)
    if recorder:
        config = aws.client("config")
        config.put_configuration_recorder(
            ConfigurationRecorder={
                "name": "default",
                "roleARN": f"arn:aws:iam::{ACCOUNT}:role/config",
                "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
            }
        )
        aws.client("s3").create_bucket(Bucket="config-bucket")
        config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "config-bucket"})
        config.start_configuration_recorder(ConfigurationRecorderName="default")


def test_security_hub_standards_are_unknown_on_the_emulator_hp25(aws):
    """moto lacks GetEnabledStandards: with everything else in place, HP-25 is unknown, not pass."""
    threat_detection(aws)

    found = audit(aws, platform_audit.main, ["HP-25"])["HP-25"]

    assert found["status"] == "unknown", found["reason"]
    assert "Security Hub standards: GetEnabledStandards answered 404" in found["reason"]
    assert found["evidence"]["ConfigRecorders"] == {"default": {"recording": True, "allSupported": True}}


def test_guardduty_without_s3_protection_and_no_recorder_fail_hp25(aws):
    threat_detection(aws, s3_protection=False, recorder=False)

    found = audit(aws, platform_audit.main, ["HP-25"])["HP-25"]

    assert found["status"] == "fail"
    assert "GuardDuty S3_DATA_EVENTS protection is DISABLED" in found["reason"]
    assert "no AWS Config recorder records all supported resources" in found["reason"]


def stub_hp25(stubbed, standards):
    guardduty = stubbed("guardduty")
    guardduty.add_response("list_detectors", {"DetectorIds": ["d1"]})
    guardduty.add_response(
        "get_detector",
        {
            "ServiceRole": "arn:aws:iam::123456789012:role/gd",
            "Status": "ENABLED",
            "Features": [{"Name": "S3_DATA_EVENTS", "Status": "ENABLED"}, {"Name": "RDS_LOGIN_EVENTS", "Status": "ENABLED"}],
        },
        {"DetectorId": "d1"},
    )
    hub = stubbed("securityhub")
    hub.add_response("describe_hub", {"HubArn": "arn:aws:securityhub:us-east-1:123456789012:hub/default"})
    hub.add_response("get_enabled_standards", {"StandardsSubscriptions": standards})
    config = stubbed("config")
    config.add_response("describe_configuration_recorders", {"ConfigurationRecorders": [{"name": "default", "recordingGroup": {"allSupported": True}}]})
    config.add_response("describe_configuration_recorder_status", {"ConfigurationRecordersStatus": [{"name": "default", "recording": True}]})


def subscription(standard, status="READY"):
    return {
        "StandardsSubscriptionArn": f"arn:aws:securityhub:us-east-1:123456789012:subscription/{standard}",
        "StandardsArn": f"arn:aws:securityhub:us-east-1::standards/{standard}",
        "StandardsInput": {},
        "StandardsStatus": status,
    }


def test_fsbp_standard_passes_hp25(stubbed):
    """Stubber: moto 5.2.5 lacks Security Hub's GetEnabledStandards."""
    stub_hp25(stubbed, [subscription("aws-foundational-security-best-practices/v/1.0.0"), subscription("cis-aws-foundations-benchmark/v/3.0.0")])

    found = {c["id"]: c for c in stubbed.run(platform_audit.main, {"environment": "lab", "controls": ["HP-25"]})["controls"]}["HP-25"]

    assert found["status"] == "pass", found["reason"]
    stubbed.assert_all_used()


def test_without_fsbp_standard_fails_hp25(stubbed):
    """Stubber: moto 5.2.5 lacks Security Hub's GetEnabledStandards."""
    stub_hp25(stubbed, [subscription("cis-aws-foundations-benchmark/v/3.0.0"), subscription("aws-foundational-security-best-practices/v/1.0.0", "FAILED")])

    found = {c["id"]: c for c in stubbed.run(platform_audit.main, {"environment": "lab", "controls": ["HP-25"]})["controls"]}["HP-25"]

    assert found["status"] == "fail"
    assert "Security Hub does not run AWS Foundational Security Best Practices" in found["reason"]
    stubbed.assert_all_used()


# ---------------------------------------------------------------- HP-26


def notifications(aws, encrypted=True, domain="mail.healthplatform-lab.example"):
    notifications_key = key(aws, "notifications")
    sns = aws.client("sns")
    for name in ("patient-notifications", "alerts"):
        sns.create_topic(
            Name=f"{PREFIX}-{name}",
            Attributes={"KmsMasterKeyId": notifications_key} if encrypted else {},
            Tags=[{"Key": k, "Value": v} for k, v in TAG_DICT.items()],
        )
    if domain:
        aws.client("ses").verify_domain_identity(Domain=domain)


def test_encrypted_topics_and_verified_domain_pass_hp26(aws):
    notifications(aws)

    found = audit(aws, platform_audit.main, ["HP-26"], ses_domain="mail.healthplatform-lab.example")["HP-26"]

    assert found["status"] == "pass", found["reason"]
    assert found["evidence"]["SesIdentities"] == {"mail.healthplatform-lab.example": "Success"}


def test_plain_topics_and_unknown_domain_fail_hp26(aws):
    notifications(aws, encrypted=False, domain=None)

    found = audit(aws, platform_audit.main, ["HP-26"], ses_domain="mail.example.org")["HP-26"]

    assert found["status"] == "fail"
    assert f"topic {PREFIX}-alerts is not encrypted with a KMS key" in found["reason"]
    assert "SES identity mail.example.org is NotStarted, not verified" in found["reason"]


def test_no_topic_and_no_identity_fail_hp26(aws):
    found = audit(aws, platform_audit.main, ["HP-26"])["HP-26"]

    assert found["status"] == "fail"
    assert f"no SNS topic named {PREFIX}-*" in found["reason"] and "no SES domain identity" in found["reason"]


# ---------------------------------------------------------------- the whole catalogue


def test_whole_catalogue_on_one_account_writes_nothing(aws):
    """Every check on an account with monitoring, notifications and threat detection in place: reads only."""
    monitoring(aws)
    notifications(aws)
    threat_detection(aws)

    with aws.recording() as calls:
        result = aws.run(platform_audit.main, {"environment": "lab"})

    assert not result.failed, result
    assert len(result["controls"]) == len(CATALOGUE)
    assert aws.mutating(calls) == [], "the audit is read-only"
    assert {c["operation"] for c in calls} >= {"GetAccountAuthorizationDetails", "DescribeTrails", "ListTopics"}
    json.dumps(result)  # the evidence is plain JSON
