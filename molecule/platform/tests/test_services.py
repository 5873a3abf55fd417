# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read the service tiers back from the AWS API (the emulator) with boto3: the controls
HP-07, HP-19, HP-21, HP-25 and HP-26 of CONTROLS.md, as the security_services, app_services and
monitoring roles leave them after playbooks/site.yml.

What the lab cannot show is said where it matters: Security Hub's standards (moto lacks
GetEnabledStandards; the role leaves them unset in the lab and enabling them is proven with the
Stubber in tests/unit/plugins/modules/test_securityhub.py).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import zipfile

import boto3
import pytest

REGION = "us-east-1"
NAME = "healthplatform-lab"
TRAIL_GROUP = f"/{NAME}/cloudtrail"
FUNCTION = f"{NAME}-scheduling"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
CIS_CHECKS = [
    "unauthorized-api-calls",
    "console-sign-in-without-mfa",
    "root-usage",
    "iam-policy-changes",
    "cloudtrail-changes",
    "console-authentication-failures",
    "kms-key-disabled-or-deleted",
    "s3-bucket-policy-changes",
    "config-changes",
    "security-group-changes",
    "network-acl-changes",
    "network-gateway-changes",
    "route-table-changes",
    "vpc-changes",
]
SECRET_NAME = re.compile(r"(?i)(PASSW(OR)?D|SECRET|TOKEN|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|CREDENTIAL)")
SECRET_VALUE = re.compile(r"(-----BEGIN|AKIA[0-9A-Z]{16}|(?i:password=))")


def client(service):
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if not endpoint:
        pytest.fail("AWS_ENDPOINT_URL must point at the lab's emulator")
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture(scope="module")
def keys():
    """Data class -> ARN of the kms tier's keys (alias/<name>-<class>)."""
    kms = client("kms")
    return {cls: kms.describe_key(KeyId=f"alias/{NAME}-{cls}")["KeyMetadata"]["Arn"] for cls in ("logs", "notifications")}


@pytest.fixture(scope="module")
def account():
    return client("sts").get_caller_identity()["Account"]


@pytest.fixture(scope="module")
def alerts_topic(account):
    return f"arn:aws:sns:{REGION}:{account}:{NAME}-alerts"


# ---- HP-19: CloudTrail, CIS metric filters and alarms, encrypted log groups with retention ----


@pytest.fixture(scope="module")
def trail():
    (found,) = client("cloudtrail").describe_trails(trailNameList=[NAME])["trailList"]
    return found


def test_trail_is_multi_region_validated_and_encrypted(trail, keys):
    assert trail["IsMultiRegionTrail"] is True
    assert trail["IncludeGlobalServiceEvents"] is True
    assert trail["LogFileValidationEnabled"] is True
    assert trail["KmsKeyId"] == keys["logs"], "log files are encrypted with the logs key"
    assert trail["S3BucketName"], "the trail delivers to the log bucket"


def role_statements(role_name):
    """Every statement of a role's inline and attached managed policies."""
    iam = client("iam")
    statements = []
    for policy_name in iam.list_role_policies(RoleName=role_name)["PolicyNames"]:
        statements += iam.get_role_policy(RoleName=role_name, PolicyName=policy_name)["PolicyDocument"]["Statement"]
    for attached in iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]:
        policy = iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]
        document = iam.get_policy_version(PolicyArn=attached["PolicyArn"], VersionId=policy["DefaultVersionId"])["PolicyVersion"]["Document"]
        if isinstance(document, str):
            document = json.loads(document)
        statements += document["Statement"] if isinstance(document["Statement"], list) else [document["Statement"]]
    return statements


def as_list(value):
    return value if isinstance(value, list) else [value]


def test_trail_is_logging_to_its_log_group(trail, account):
    assert client("cloudtrail").get_trail_status(Name=NAME)["IsLogging"] is True
    assert trail["CloudWatchLogsLogGroupArn"] == f"arn:aws:logs:{REGION}:{account}:log-group:{TRAIL_GROUP}:*"
    role_name = trail["CloudWatchLogsRoleArn"].split("/")[-1]
    (statement,) = client("iam").get_role(RoleName=role_name)["Role"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert account in json.dumps(statement["Condition"]), "only CloudTrail acting for this account may assume the role"
    statements = role_statements(role_name)
    assert {a for s in statements for a in as_list(s["Action"])} <= {"logs:CreateLogStream", "logs:PutLogEvents"}
    resources = [r for s in statements for r in as_list(s["Resource"])]
    assert resources and all(r.startswith(f"arn:aws:logs:{REGION}:{account}:log-group:{TRAIL_GROUP}:") for r in resources)


def test_trail_logs_data_events_of_the_records_bucket():
    selectors = client("cloudtrail").get_event_selectors(TrailName=NAME)["EventSelectors"]
    (selector,) = selectors
    assert selector["IncludeManagementEvents"] is True and selector["ReadWriteType"] == "All"
    (resource,) = selector["DataResources"]
    assert resource["Type"] == "AWS::S3::Object"
    (value,) = resource["Values"]
    assert re.match(r"^arn:aws:s3:::healthplatform-lab-records[a-z0-9.-]*/$", value), value


def test_cis_metric_filters_and_alarms_notify_the_alerts_topic(alerts_topic):
    filters = {f["filterName"]: f for f in client("logs").describe_metric_filters(logGroupName=TRAIL_GROUP)["metricFilters"]}
    names = [f"{NAME}-cis-{check}" for check in CIS_CHECKS]
    assert sorted(filters) == sorted(names)
    alarms = {a["AlarmName"]: a for a in client("cloudwatch").describe_alarms(AlarmNames=names)["MetricAlarms"]}
    assert sorted(alarms) == sorted(names)
    for name in names:
        (transformation,) = filters[name]["metricTransformations"]
        alarm = alarms[name]
        assert (alarm["MetricName"], alarm["Namespace"]) == (transformation["metricName"], transformation["metricNamespace"]), name
        assert alarm["AlarmActions"] == [alerts_topic], name
        assert alarm["Threshold"] == 1.0 and alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert "Root" in filters[f"{NAME}-cis-root-usage"]["filterPattern"]
    assert "MFAUsed" in filters[f"{NAME}-cis-console-sign-in-without-mfa"]["filterPattern"]


def test_operational_alarms_notify_the_alerts_topic(alerts_topic):
    alarms = client("cloudwatch").describe_alarms(AlarmNamePrefix=f"{NAME}-")["MetricAlarms"]
    operational = [a for a in alarms if "-cis-" not in a["AlarmName"]]
    assert any(a["AlarmName"] == f"{NAME}-scheduling-errors" for a in operational)
    for alarm in operational:
        assert alarm["AlarmActions"] == [alerts_topic], alarm["AlarmName"]


# The CloudWatch agent's groups (HP-20) exist, encrypted and kept, before any agent ships to them.
INSTANCE_GROUPS = [f"/healthplatform/lab/instances/{name}" for name in ("system", "auth", "nginx-access", "nginx-error")]


@pytest.mark.parametrize("group", [TRAIL_GROUP, f"/aws/lambda/{FUNCTION}", *INSTANCE_GROUPS])
def test_log_groups_are_encrypted_and_kept(group, keys):
    (found,) = [g for g in client("logs").describe_log_groups(logGroupNamePrefix=group)["logGroups"] if g["logGroupName"] == group]
    assert found["kmsKeyId"] == keys["logs"]
    assert found["retentionInDays"] >= 365


def test_dashboard_shows_the_cis_alarms():
    body = json.loads(client("cloudwatch").get_dashboard(DashboardName=NAME)["DashboardBody"])
    (alarm_widget,) = [w for w in body["widgets"] if w["type"] == "alarm"]
    assert len(alarm_widget["properties"]["alarms"]) == len(CIS_CHECKS)


# ---- HP-21: Inspector ---------------------------------------------------------------------------


def test_inspector_scans_instances_images_and_functions(account):
    (status,) = client("inspector2").batch_get_account_status(accountIds=[account])["accounts"]
    for resource in ("ec2", "ecr", "lambda"):
        assert status["resourceState"][resource]["status"] in ("ENABLED", "ENABLING"), resource


# ---- HP-25: GuardDuty, Security Hub, AWS Config ----------------------------------------------------


def test_guardduty_detector_with_s3_and_rds_protection():
    guardduty = client("guardduty")
    (detector_id,) = guardduty.list_detectors()["DetectorIds"]
    detector = guardduty.get_detector(DetectorId=detector_id)
    assert detector["Status"] == "ENABLED"
    features = {f["Name"]: f["Status"] for f in detector["Features"]}
    assert features["S3_DATA_EVENTS"] == "ENABLED"
    assert features["RDS_LOGIN_EVENTS"] == "ENABLED"


def test_security_hub_is_enabled():
    hub = client("securityhub").describe_hub()
    assert hub["HubArn"].endswith(":hub/default")
    # The standards (FSBP) cannot be read on the emulator (no GetEnabledStandards): see the module docstring.


def test_config_records_every_resource_to_the_log_bucket(account):
    config = client("config")
    (recorder,) = config.describe_configuration_recorders()["ConfigurationRecorders"]
    assert recorder["recordingGroup"]["allSupported"] is True
    assert recorder["recordingGroup"]["includeGlobalResourceTypes"] is True
    (status,) = config.describe_configuration_recorder_status()["ConfigurationRecordersStatus"]
    assert status["recording"] is True
    (channel,) = config.describe_delivery_channels()["DeliveryChannels"]
    assert "logs" in channel["s3BucketName"], "AWS Config delivers to the log bucket"
    role = client("iam").get_role(RoleName=recorder["roleARN"].split("/")[-1])["Role"]
    (statement,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "config.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": account}}


# ---- HP-26: SNS encryption, SES identity ---------------------------------------------------------


@pytest.mark.parametrize("topic", ["patient-notifications", "alerts"])
def test_topics_are_encrypted_with_the_notifications_key(topic, account, keys):
    attributes = client("sns").get_topic_attributes(TopicArn=f"arn:aws:sns:{REGION}:{account}:{NAME}-{topic}")["Attributes"]
    assert attributes["KmsMasterKeyId"] == keys["notifications"]


def test_ses_domain_is_verified_with_dkim_and_has_a_configuration_set(alerts_topic):
    ses = client("ses")
    domain = "mail.healthplatform-lab.example"
    assert ses.get_identity_verification_attributes(Identities=[domain])["VerificationAttributes"][domain]["VerificationStatus"] == "Success"
    assert ses.get_identity_dkim_attributes(Identities=[domain])["DkimAttributes"][domain]["DkimEnabled"] is True
    described = ses.describe_configuration_set(ConfigurationSetName=f"{NAME}-outbound", ConfigurationSetAttributeNames=["eventDestinations"])
    (destination,) = described["EventDestinations"]
    assert destination["SNSDestination"]["TopicARN"] == alerts_topic
    assert {"bounce", "complaint"} <= set(destination["MatchingEventTypes"])


# ---- HP-07 and the scheduling function ------------------------------------------------------------


@pytest.fixture(scope="module")
def function():
    return client("lambda").get_function(FunctionName=FUNCTION)


def test_function_environment_has_no_secrets_and_is_encrypted(function, keys):
    configuration = function["Configuration"]
    variables = configuration.get("Environment", {}).get("Variables", {})
    assert variables, "the function is configured through its environment"
    for name, value in variables.items():
        assert not SECRET_NAME.search(name), f"{name} looks like a secret"
        assert not SECRET_VALUE.search(value), f"the value of {name} looks like a secret"
    assert configuration["KMSKeyArn"] == keys["notifications"]


def test_function_runs_in_the_app_subnets(function):
    vpc = function["Configuration"]["VpcConfig"]
    subnets = client("ec2").describe_subnets(SubnetIds=vpc["SubnetIds"])["Subnets"]
    assert len(subnets) >= 2
    assert {t["Value"] for s in subnets for t in s.get("Tags", []) if t["Key"] == "Tier"} == {"app"}
    (group,) = client("ec2").describe_security_groups(GroupIds=vpc["SecurityGroupIds"])["SecurityGroups"]
    assert group["IpPermissions"] == [], "nothing may connect to the function"
    assert [(p["IpProtocol"], p.get("FromPort"), p.get("ToPort")) for p in group["IpPermissionsEgress"]] == [("tcp", 443, 443)]


def test_function_role_is_least_privilege(function, account):
    role_name = function["Configuration"]["Role"].split("/")[-1]
    iam = client("iam")
    assert iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"] == []
    (policy_name,) = iam.list_role_policies(RoleName=role_name)["PolicyNames"]
    statements = iam.get_role_policy(RoleName=role_name, PolicyName=policy_name)["PolicyDocument"]["Statement"]
    by_sid = {s["Sid"]: s for s in statements}
    assert by_sid["PublishConfirmations"]["Resource"] == f"arn:aws:sns:{REGION}:{account}:{NAME}-patient-notifications"
    assert by_sid["WriteOwnLogs"]["Resource"].startswith(f"arn:aws:logs:{REGION}:{account}:log-group:/aws/lambda/{FUNCTION}:")
    for statement in statements:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert not any(a == "*" or a.endswith(":*") for a in actions), statement


def test_function_code_is_the_roles_handler(function):
    with open(os.path.join(ROOT, "roles", "app_services", "files", "scheduling", "handler.py"), "rb") as handle:
        source = handle.read()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as package:
        info = zipfile.ZipInfo("handler.py", date_time=(1980, 1, 1, 0, 0, 0))
        info.external_attr = 0o100644 << 16
        info.create_system = 3
        package.writestr(info, source)
    assert function["Configuration"]["CodeSha256"] == base64.b64encode(hashlib.sha256(buffer.getvalue()).digest()).decode()
