# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""threat_detection: the GuardDuty detector, Inspector scanning and Security Hub in one run.

Against the moto server: all three enabled from scratch, the no-op (zero mutating calls),
updating a GuardDuty feature and an Inspector resource type, the disable paths (GuardDuty
suspended and deleted, Inspector purged and turned off, Security Hub disabled), check mode,
an omitted service (no call to it) and bad input in each part (no call at all).

With the botocore Stubber, what moto 5.2.5 lacks (see test_securityhub.py and
test_guardduty_detector.py): UpdateSecurityHubConfiguration (HTTP 500 on moto), so the update
of the control finding generator, and GetEnabledStandards / BatchDisableStandards (HTTP 404),
so Security Hub standards; also an API failure in the second service, whose failure must carry
the first service's result. The Stubber validates every request against the real botocore
model and fails on any call that was not queued.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import threat_detection

ACCOUNT = "123456789012"

GUARDDUTY = {
    "finding_publishing_frequency": "FIFTEEN_MINUTES",
    "features": [{"name": "S3_DATA_EVENTS"}, {"name": "RDS_LOGIN_EVENTS"}, {"name": "EBS_MALWARE_PROTECTION"}],
    "tags": {"Environment": "test"},
}
INSPECTOR = {"resource_types": ["EC2", "ECR", "LAMBDA"]}
SECURITYHUB = {"control_finding_generator": "SECURITY_CONTROL", "auto_enable_controls": True}
ALL = {"guardduty": GUARDDUTY, "inspector2": INSPECTOR, "securityhub": SECURITYHUB}


def detector(aws):
    ids = aws.client("guardduty").list_detectors()["DetectorIds"]
    if not ids:
        return None
    return aws.client("guardduty").get_detector(DetectorId=ids[0])


def features_of(found):
    return {f["Name"]: f["Status"] for f in found["Features"]}


def scanned(aws):
    """The resource type keys Inspector scans for the account."""
    accounts = aws.client("inspector2").batch_get_account_status(accountIds=[ACCOUNT])["accounts"]
    if not accounts:
        return []
    return sorted(key for key, value in accounts[0]["resourceState"].items() if value["status"] == "ENABLED")


def hub_of(aws):
    try:
        return aws.client("securityhub").describe_hub()
    except aws.client("securityhub").exceptions.InvalidAccessException:
        return None


def services(calls):
    return {c["service"] for c in calls}


def test_all_three_from_scratch(aws):
    with aws.recording() as calls:
        result = aws.run(threat_detection.main, ALL, diff=True)

    assert result["changed"] is True, result
    assert sorted(aws.mutating(calls)) == ["guardduty:CreateDetector", "inspector2:Enable", "securityhub:EnableSecurityHub"]
    found = detector(aws)
    assert found["Status"] == "ENABLED"
    assert found["FindingPublishingFrequency"] == "FIFTEEN_MINUTES"
    assert features_of(found) == {"S3_DATA_EVENTS": "ENABLED", "RDS_LOGIN_EVENTS": "ENABLED", "EBS_MALWARE_PROTECTION": "ENABLED"}
    assert found["Tags"] == {"Environment": "test"}
    assert scanned(aws) == ["ec2", "ecr", "lambda"]
    assert hub_of(aws)["ControlFindingGenerator"] == "SECURITY_CONTROL"

    # each part has the shape of the single module's result
    assert result["guardduty"]["changed"] is True
    assert result["guardduty"]["detector"]["detector_id"] == aws.client("guardduty").list_detectors()["DetectorIds"][0]
    assert result["guardduty"]["detector"]["tags"] == {"Environment": "test"}
    assert result["inspector2"]["changed"] is True
    assert result["inspector2"]["account_id"] == ACCOUNT
    assert result["inspector2"]["enabled_resource_types"] == ["EC2", "ECR", "LAMBDA"]
    assert result["inspector2"]["account_status"]["resource_state"]["ec2"]["status"] == "ENABLED"
    assert result["securityhub"]["changed"] is True
    assert result["securityhub"]["hub"]["hub_arn"] == hub_of(aws)["HubArn"]
    assert "standards" not in result["securityhub"], "standards are neither read nor returned when not managed"

    # one diff per service
    diffs = {d["before_header"]: d for d in result["diff"]}
    assert list(diffs) == ["guardduty", "inspector2", "securityhub"]
    assert diffs["guardduty"]["before"] == {}
    assert diffs["guardduty"]["after"]["features"]["RDS_LOGIN_EVENTS"] == "ENABLED"
    assert diffs["inspector2"]["before"]["resource_types"]["EC2"] == "DISABLED"
    assert diffs["inspector2"]["after"]["resource_types"]["EC2"] == "ENABLED"
    assert diffs["securityhub"]["before"] == {"enabled": False}
    assert diffs["securityhub"]["after"]["enabled"] is True


def test_no_change_makes_no_mutating_call(aws):
    aws.run(threat_detection.main, ALL)
    with aws.recording() as calls:
        result = aws.run(threat_detection.main, ALL)

    assert result["changed"] is False, result
    assert [result[name]["changed"] for name in ("guardduty", "inspector2", "securityhub")] == [False, False, False]
    assert {"guardduty", "inspector2", "securityhub"} <= services(calls), "every service is read and compared"
    assert aws.mutating(calls) == []


def test_update_a_feature_and_a_resource_type(aws):
    first = aws.run(threat_detection.main, ALL)
    args = dict(
        ALL,
        guardduty=dict(
            GUARDDUTY, features=[{"name": "S3_DATA_EVENTS"}, {"name": "RDS_LOGIN_EVENTS", "status": "DISABLED"}, {"name": "EBS_MALWARE_PROTECTION"}]
        ),
        inspector2={"resource_types": ["EC2", "ECR", "LAMBDA", "LAMBDA_CODE"]},
    )
    with aws.recording() as calls:
        result = aws.run(threat_detection.main, args, diff=True)

    assert result["changed"] is True, result
    assert sorted(aws.mutating(calls)) == ["guardduty:UpdateDetector", "inspector2:Enable"]
    assert result["guardduty"]["changed"] is True and result["inspector2"]["changed"] is True
    assert result["securityhub"]["changed"] is False
    assert result["guardduty"]["detector"]["detector_id"] == first["guardduty"]["detector"]["detector_id"]
    assert features_of(detector(aws))["RDS_LOGIN_EVENTS"] == "DISABLED"
    assert scanned(aws) == ["ec2", "ecr", "lambda", "lambdaCode"]
    diffs = {d["before_header"]: d for d in result["diff"]}
    assert diffs["guardduty"]["before"]["features"]["RDS_LOGIN_EVENTS"] == "ENABLED"
    assert diffs["guardduty"]["after"]["features"]["RDS_LOGIN_EVENTS"] == "DISABLED"
    assert diffs["inspector2"]["after"]["resource_types"]["LAMBDA_CODE"] == "ENABLED"
    assert diffs["securityhub"]["before"] == diffs["securityhub"]["after"]
    assert aws.run(threat_detection.main, args)["changed"] is False


def test_suspend_and_purge(aws):
    aws.run(threat_detection.main, ALL)
    args = {"guardduty": dict(GUARDDUTY, enable=False), "inspector2": {"resource_types": ["EC2"], "purge_resource_types": True}}
    with aws.recording() as calls:
        result = aws.run(threat_detection.main, args)

    assert result["changed"] is True, result
    assert sorted(aws.mutating(calls)) == ["guardduty:UpdateDetector", "inspector2:Disable"]
    assert detector(aws)["Status"] == "DISABLED"
    assert result["guardduty"]["detector"]["status"] == "DISABLED"
    assert scanned(aws) == ["ec2"]
    assert result["inspector2"]["enabled_resource_types"] == ["EC2"]
    assert aws.run(threat_detection.main, args)["changed"] is False


def test_disable_all_three_and_again(aws):
    aws.run(threat_detection.main, ALL)
    absent = {"guardduty": {"state": "absent"}, "inspector2": {"state": "absent"}, "securityhub": {"state": "absent"}}
    with aws.recording() as calls:
        result = aws.run(threat_detection.main, absent, diff=True)

    assert result["changed"] is True, result
    assert sorted(aws.mutating(calls)) == ["guardduty:DeleteDetector", "inspector2:Disable", "securityhub:DisableSecurityHub"]
    assert result["guardduty"]["detector"] == {}
    assert result["inspector2"]["enabled_resource_types"] == []
    assert result["securityhub"]["hub"] == {}
    assert detector(aws) is None
    assert scanned(aws) == []
    assert hub_of(aws) is None
    diffs = {d["before_header"]: d for d in result["diff"]}
    assert diffs["guardduty"]["before"]["status"] == "ENABLED" and diffs["guardduty"]["after"] == {}
    assert diffs["securityhub"]["after"] == {"enabled": False}

    with aws.recording() as calls:
        again = aws.run(threat_detection.main, absent)
    assert again["changed"] is False
    assert aws.mutating(calls) == []


def test_check_mode_from_scratch_changes_nothing(aws):
    with aws.recording() as calls:
        result = aws.run(threat_detection.main, ALL, check_mode=True, diff=True)

    assert result["changed"] is True, result
    assert aws.mutating(calls) == []
    assert result["guardduty"]["changed"] is True
    assert result["guardduty"]["detector"]["status"] == "ENABLED"
    assert result["guardduty"]["detector"]["tags"] == {"Environment": "test"}
    assert result["inspector2"]["enabled_resource_types"] == ["EC2", "ECR", "LAMBDA"]
    assert result["securityhub"]["hub"]["control_finding_generator"] == "SECURITY_CONTROL"
    assert detector(aws) is None
    assert scanned(aws) == []
    assert hub_of(aws) is None


def test_check_mode_update_and_disable_change_nothing(aws):
    aws.run(threat_detection.main, ALL)
    before = detector(aws)
    update = dict(ALL, guardduty=dict(GUARDDUTY, features=[{"name": "S3_DATA_EVENTS", "status": "DISABLED"}]), inspector2={"resource_types": ["LAMBDA_CODE"]})
    absent = {"guardduty": {"state": "absent"}, "inspector2": {"state": "absent"}, "securityhub": {"state": "absent"}}

    with aws.recording() as calls:
        changed = aws.run(threat_detection.main, update, check_mode=True)
        disabled = aws.run(threat_detection.main, absent, check_mode=True)
        same = aws.run(threat_detection.main, ALL, check_mode=True)

    assert changed["changed"] is True
    assert {"name": "S3_DATA_EVENTS", "status": "DISABLED"} in changed["guardduty"]["detector"]["features"]
    assert "LAMBDA_CODE" in changed["inspector2"]["enabled_resource_types"]
    assert changed["securityhub"]["changed"] is False
    assert disabled["changed"] is True
    assert [disabled[name]["changed"] for name in ("guardduty", "inspector2", "securityhub")] == [True, True, True]
    assert same["changed"] is False
    assert aws.mutating(calls) == []
    assert detector(aws)["Features"] == before["Features"]
    assert scanned(aws) == ["ec2", "ecr", "lambda"]
    assert hub_of(aws) is not None


@pytest.mark.parametrize(
    "args, absent",
    [
        ({"guardduty": GUARDDUTY, "inspector2": INSPECTOR}, {"securityhub"}),
        ({"securityhub": SECURITYHUB}, {"guardduty", "inspector2", "sts"}),
        ({"inspector2": dict(INSPECTOR, account_id=ACCOUNT)}, {"guardduty", "securityhub", "sts"}),
    ],
)
def test_omitted_service_gets_no_call(aws, args, absent):
    with aws.recording() as calls:
        result = aws.run(threat_detection.main, args)

    assert result["changed"] is True, result
    assert not services(calls) & absent, services(calls)
    for name in ("guardduty", "inspector2", "securityhub"):
        assert (name in result) == (name in args)
    assert [d["before_header"] for d in result["diff"]] == [name for name in ("guardduty", "inspector2", "securityhub") if name in args]
    if "securityhub" not in args:
        assert hub_of(aws) is None
    if "guardduty" not in args:
        assert detector(aws) is None


@pytest.mark.parametrize(
    "args, names",
    [
        ({"guardduty": {"features": [{"name": "S3_DATA_EVENTS"}, {"name": "S3_LOGS"}]}}, ["guardduty.features[1].name"]),
        ({"guardduty": {"features": [{"name": "S3_DATA_EVENTS"}, {"name": "S3_DATA_EVENTS", "status": "DISABLED"}]}}, ["guardduty.features[1].name"]),
        ({"guardduty": {"features": [{"name": "S3_DATA_EVENTS", "status": "ON"}]}}, ["status", "guardduty -> features"]),
        ({"guardduty": {"finding_publishing_frequency": "DAILY"}}, ["finding_publishing_frequency", "guardduty"]),
        ({"inspector2": {"resource_types": ["EC2", "EKS"]}}, ["inspector2.resource_types[1]"]),
        ({"inspector2": {"resource_types": ["EC2"], "account_id": "12345"}}, ["inspector2.account_id"]),
        ({"inspector2": {"state": "absent", "resource_types": ["ECR"]}}, ["inspector2.resource_types"]),
        ({"inspector2": {}}, ["resource_types", "inspector2"]),
        ({"securityhub": {"standards": [{"name": "aws-foundational-security-best-practice"}]}}, ["securityhub.standards[0].name"]),
        (
            {"securityhub": {"standards": [{"name": "pci-dss", "version": "3.2.1"}, {"name": "cis-aws-foundations-benchmark"}]}},
            ["securityhub.standards[1].version"],
        ),
        ({"securityhub": {"control_finding_generator": "PER_STANDARD"}}, ["control_finding_generator", "securityhub"]),
        # every part is validated before the first call, and every problem is named at once
        (
            {
                "guardduty": {"features": [{"name": "S3_LOGS"}]},
                "inspector2": {"resource_types": ["LAMBDAS"]},
                "securityhub": {"standards": [{"name": "nist-800-53", "version": "4.0.0"}]},
            },
            ["guardduty.features[0].name", "inspector2.resource_types[0]", "securityhub.standards[0].version"],
        ),
        # a good part does not run when another part is bad
        ({"guardduty": GUARDDUTY, "securityhub": {"standards": [{"name": "pci"}]}}, ["securityhub.standards[0].name"]),
        ({}, ["guardduty", "inspector2", "securityhub"]),
    ],
)
def test_bad_input_fails_before_any_call(aws, args, names):
    with aws.recording() as calls:
        result = aws.run(threat_detection.main, args)

    assert result.failed, result
    for name in names:
        assert name in result["msg"], result["msg"]
    assert calls == [], "validation must happen before any API call"
    assert detector(aws) is None
    assert hub_of(aws) is None


# --- Stubber: what moto lacks (UpdateSecurityHubConfiguration, the standards calls) ---

DETECTOR_ID = "12abc34d567e8fa901bc2d34e56789f0"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty"
HUB_ARN = f"arn:aws:securityhub:us-east-1:{ACCOUNT}:hub/default"
FSBP = "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0"
CIS_30 = "arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/3.0.0"
# The real model requires errorCode and errorMessage in every state (moto leaves them out).
ERROR_OF = {"ENABLED": "ALREADY_ENABLED", "ENABLING": "ENABLE_IN_PROGRESS", "DISABLED": "RESOURCE_NOT_FOUND"}


def detector_response(**features):
    return {
        "CreatedAt": "2024-05-01T10:00:00.000Z",
        "FindingPublishingFrequency": "FIFTEEN_MINUTES",
        "ServiceRole": ROLE,
        "Status": "ENABLED",
        "Features": [{"Name": name, "Status": status} for name, status in features.items()],
        "Tags": {"Environment": "test"},
    }


def state(status):
    return {"status": status, "errorCode": ERROR_OF[status], "errorMessage": status.lower()}


def status_response(**states):
    resource_state = {key: state(states.get(key, "DISABLED")) for key in ("ec2", "ecr", "lambda", "lambdaCode")}
    return {"accounts": [{"accountId": ACCOUNT, "state": state("ENABLED"), "resourceState": resource_state}], "failedAccounts": []}


def hub(generator="SECURITY_CONTROL"):
    return {"HubArn": HUB_ARN, "SubscribedAt": "2024-05-01T10:00:00.000Z", "AutoEnableControls": True, "ControlFindingGenerator": generator}


def subscription(arn, status="READY"):
    key = arn.split(":", 5)[5].split("/", 1)[1]
    return {
        "StandardsSubscriptionArn": f"arn:aws:securityhub:us-east-1:{ACCOUNT}:subscription/{key}",
        "StandardsArn": arn,
        "StandardsInput": {},
        "StandardsStatus": status,
    }


STUBBED_ARGS = {
    "guardduty": {"features": [{"name": "S3_DATA_EVENTS"}, {"name": "RDS_LOGIN_EVENTS"}]},
    "inspector2": {"resource_types": ["EC2", "ECR"], "account_id": ACCOUNT},
    "securityhub": {"control_finding_generator": "STANDARD_CONTROL", "standards": [{"name": "aws-foundational-security-best-practices"}]},
}


def test_update_one_setting_of_each_service_stubbed(stubbed):
    from botocore.stub import ANY

    gd = stubbed("guardduty")
    gd.add_response("list_detectors", {"DetectorIds": [DETECTOR_ID]}, {})
    gd.add_response("get_detector", detector_response(S3_DATA_EVENTS="ENABLED", RDS_LOGIN_EVENTS="DISABLED"), {"DetectorId": DETECTOR_ID})
    gd.add_response(
        "update_detector",
        {},
        {"DetectorId": DETECTOR_ID, "Features": [{"Name": "S3_DATA_EVENTS", "Status": "ENABLED"}, {"Name": "RDS_LOGIN_EVENTS", "Status": "ENABLED"}]},
    )
    gd.add_response("get_detector", detector_response(S3_DATA_EVENTS="ENABLED", RDS_LOGIN_EVENTS="ENABLED"), {"DetectorId": DETECTOR_ID})
    i2 = stubbed("inspector2")
    i2.add_response("batch_get_account_status", status_response(ec2="ENABLED"), {"accountIds": [ACCOUNT]})
    i2.add_response(
        "enable",
        {"accounts": [{"accountId": ACCOUNT, "status": "ENABLED", "resourceStatus": {"ec2": "ENABLED", "ecr": "ENABLING"}}], "failedAccounts": []},
        {"accountIds": [ACCOUNT], "resourceTypes": ["ECR"], "clientToken": ANY},
    )
    i2.add_response("batch_get_account_status", status_response(ec2="ENABLED", ecr="ENABLING"), {"accountIds": [ACCOUNT]})
    sh = stubbed("securityhub")
    sh.add_response("describe_hub", hub(), {})
    sh.add_response("get_enabled_standards", {"StandardsSubscriptions": [subscription(FSBP)]}, {})
    sh.add_response("update_security_hub_configuration", {}, {"ControlFindingGenerator": "STANDARD_CONTROL"})

    result = stubbed.run(threat_detection.main, STUBBED_ARGS, diff=True)

    assert result["changed"] is True, result
    assert {"name": "RDS_LOGIN_EVENTS", "status": "ENABLED"} in result["guardduty"]["detector"]["features"]
    assert result["inspector2"]["resource_types"]["ECR"] == "ENABLING"
    assert result["inspector2"]["enabled_resource_types"] == ["EC2", "ECR"]
    assert result["securityhub"]["hub"]["control_finding_generator"] == "STANDARD_CONTROL"
    assert [s["standards_arn"] for s in result["securityhub"]["standards"]] == [FSBP]
    diffs = {d["before_header"]: d for d in result["diff"]}
    assert diffs["securityhub"]["before"]["control_finding_generator"] == "SECURITY_CONTROL"
    assert diffs["securityhub"]["after"]["control_finding_generator"] == "STANDARD_CONTROL"
    assert diffs["securityhub"]["after"]["standards"] == ["standards/aws-foundational-security-best-practices/v/1.0.0"]
    stubbed.assert_all_used()  # and no other call was made: none was queued


def test_no_change_with_standards_only_reads_stubbed(stubbed):
    gd = stubbed("guardduty")
    gd.add_response("list_detectors", {"DetectorIds": [DETECTOR_ID]}, {})
    gd.add_response("get_detector", detector_response(S3_DATA_EVENTS="ENABLED", RDS_LOGIN_EVENTS="ENABLED"), {"DetectorId": DETECTOR_ID})
    stubbed("inspector2").add_response("batch_get_account_status", status_response(ec2="ENABLED", ecr="ENABLING"), {"accountIds": [ACCOUNT]})
    sh = stubbed("securityhub")
    sh.add_response("describe_hub", hub("STANDARD_CONTROL"), {})
    sh.add_response("get_enabled_standards", {"StandardsSubscriptions": [subscription(FSBP), subscription(CIS_30)]}, {})

    result = stubbed.run(threat_detection.main, STUBBED_ARGS)

    assert result["changed"] is False, result
    assert sorted(s["standards_arn"] for s in result["securityhub"]["standards"]) == sorted([FSBP, CIS_30])
    stubbed.assert_all_used()


def test_purge_standards_stubbed(stubbed):
    sh = stubbed("securityhub")
    sh.add_response("describe_hub", hub(), {})
    sh.add_response("get_enabled_standards", {"StandardsSubscriptions": [subscription(FSBP), subscription(CIS_30)]}, {})
    sh.add_response(
        "batch_disable_standards",
        {"StandardsSubscriptions": [subscription(CIS_30, "DELETING")]},
        {"StandardsSubscriptionArns": [subscription(CIS_30)["StandardsSubscriptionArn"]]},
    )

    args = {"securityhub": {"standards": [{"name": "aws-foundational-security-best-practices"}], "purge_standards": True}}
    result = stubbed.run(threat_detection.main, args, diff=True)

    assert result["changed"] is True, result
    assert [s["standards_arn"] for s in result["securityhub"]["standards"]] == [FSBP]
    assert "standards/cis-aws-foundations-benchmark/v/3.0.0" in result["diff"][0]["before"]["standards"]
    assert "guardduty" not in result and "inspector2" not in result
    stubbed.assert_all_used()


def test_check_mode_update_makes_only_reads_stubbed(stubbed):
    gd = stubbed("guardduty")
    gd.add_response("list_detectors", {"DetectorIds": [DETECTOR_ID]}, {})
    gd.add_response("get_detector", detector_response(S3_DATA_EVENTS="ENABLED", RDS_LOGIN_EVENTS="DISABLED"), {"DetectorId": DETECTOR_ID})
    stubbed("inspector2").add_response("batch_get_account_status", status_response(ec2="ENABLED"), {"accountIds": [ACCOUNT]})
    sh = stubbed("securityhub")
    sh.add_response("describe_hub", hub(), {})
    sh.add_response("get_enabled_standards", {"StandardsSubscriptions": []}, {})

    result = stubbed.run(threat_detection.main, STUBBED_ARGS, check_mode=True)

    assert result["changed"] is True, result
    assert [result[name]["changed"] for name in ("guardduty", "inspector2", "securityhub")] == [True, True, True]
    assert result["securityhub"]["hub"]["control_finding_generator"] == "STANDARD_CONTROL"
    assert [(s["name"], s["standards_status"]) for s in result["securityhub"]["standards"]] == [("aws-foundational-security-best-practices", "PENDING")]
    stubbed.assert_all_used()  # and any mutating call would have failed: none was queued


def test_api_failure_returns_what_was_done_before_stubbed(stubbed):
    gd = stubbed("guardduty")
    gd.add_response("list_detectors", {"DetectorIds": [DETECTOR_ID]}, {})
    gd.add_response("get_detector", detector_response(S3_DATA_EVENTS="ENABLED", RDS_LOGIN_EVENTS="ENABLED"), {"DetectorId": DETECTOR_ID})
    stubbed("inspector2").add_client_error(
        "batch_get_account_status", service_error_code="AccessDeniedException", service_message="not allowed", http_status_code=403
    )
    stubbed("securityhub")  # a client with nothing queued: any call to it fails the test

    result = stubbed.run(threat_detection.main, STUBBED_ARGS)

    assert result.failed, result
    assert result["msg"].startswith("inspector2: Failed to manage Amazon Inspector scanning")
    assert result["guardduty"]["changed"] is False
    assert result["guardduty"]["detector"]["detector_id"] == DETECTOR_ID
    assert "securityhub" not in result
    stubbed.assert_all_used()
