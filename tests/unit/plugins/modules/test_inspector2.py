# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""inspector2 and inspector2_info.

Against the moto server: Enable, Disable and BatchGetAccountStatus work in moto
5.2.5 when the account is named (the module always sends accountIds).

With the botocore Stubber, two behaviours of real AWS that moto never shows:
asynchronous enabling (status ENABLING, which must count as enabled) and
per-account failures reported in failedAccounts. The Stubber validates every
request against the real botocore model and fails on any call not queued.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import inspector2
from ansible_collections.healthplatform.aws.plugins.modules import inspector2_info

ACCOUNT = "123456789012"


def live(aws):
    """{resource type key: status} as Inspector reports it for the account."""
    accounts = aws.client("inspector2").batch_get_account_status(accountIds=[ACCOUNT])["accounts"]
    if not accounts:
        return {}
    return {key: value["status"] for key, value in accounts[0]["resourceState"].items()}


def enabled(aws):
    return sorted(key for key, status in live(aws).items() if status == "ENABLED")


def test_enable(aws):
    result = aws.run(inspector2.main, {"resource_types": ["EC2", "ECR"]}, diff=True)

    assert result["changed"] is True
    assert enabled(aws) == ["ec2", "ecr"]
    assert result["account_id"] == ACCOUNT
    assert result["enabled_resource_types"] == ["EC2", "ECR"]
    assert result["resource_types"]["LAMBDA"] == "DISABLED"
    assert result["account_status"]["resource_state"]["ec2"]["status"] == "ENABLED"
    assert result["diff"]["before"]["resource_types"]["EC2"] == "DISABLED"
    assert result["diff"]["after"]["resource_types"]["EC2"] == "ENABLED"


def test_no_change_makes_no_mutating_call(aws):
    aws.run(inspector2.main, {"resource_types": ["EC2", "ECR"]})
    with aws.recording() as calls:
        result = aws.run(inspector2.main, {"resource_types": ["EC2", "ECR"]})
        subset = aws.run(inspector2.main, {"resource_types": ["EC2"]})

    assert result["changed"] is False
    assert subset["changed"] is False, "without purge_resource_types the module only enables"
    assert calls, "the module must read the account status"
    assert aws.mutating(calls) == []
    assert enabled(aws) == ["ec2", "ecr"]


def test_enable_only_what_is_missing(aws):
    aws.run(inspector2.main, {"resource_types": ["EC2"]})
    with aws.recording() as calls:
        result = aws.run(inspector2.main, {"resource_types": ["EC2", "LAMBDA"]})

    assert result["changed"] is True
    assert aws.mutating(calls) == ["inspector2:Enable"]
    assert enabled(aws) == ["ec2", "lambda"]


def test_purge_disables_the_others(aws):
    aws.run(inspector2.main, {"resource_types": ["EC2", "ECR", "LAMBDA"]})
    with aws.recording() as calls:
        result = aws.run(inspector2.main, {"resource_types": ["EC2", "LAMBDA_CODE"], "purge_resource_types": True})

    assert result["changed"] is True
    assert sorted(aws.mutating(calls)) == ["inspector2:Disable", "inspector2:Enable"]
    assert enabled(aws) == ["ec2", "lambdaCode"]
    assert result["enabled_resource_types"] == ["EC2", "LAMBDA_CODE"]


def test_disable_all_and_again(aws):
    aws.run(inspector2.main, {"resource_types": ["EC2", "ECR"]})
    result = aws.run(inspector2.main, {"state": "absent"})

    assert result["changed"] is True
    assert enabled(aws) == []
    assert result["enabled_resource_types"] == []
    assert aws.run(inspector2.main, {"state": "absent"})["changed"] is False


def test_given_account_needs_no_sts_call(aws):
    with aws.recording() as calls:
        result = aws.run(inspector2.main, {"resource_types": ["EC2"], "account_id": ACCOUNT})

    assert result["changed"] is True
    assert enabled(aws) == ["ec2"]
    assert "sts" not in {c["service"] for c in calls}


def test_check_mode_changes_nothing(aws):
    with aws.recording() as calls:
        enable = aws.run(inspector2.main, {"resource_types": ["EC2", "ECR"]}, check_mode=True)
    assert enable["changed"] is True
    assert enable["enabled_resource_types"] == ["EC2", "ECR"]
    assert aws.mutating(calls) == []
    assert enabled(aws) == []

    aws.run(inspector2.main, {"resource_types": ["EC2", "ECR"]})
    with aws.recording() as calls:
        purge = aws.run(inspector2.main, {"resource_types": ["EC2"], "purge_resource_types": True}, check_mode=True)
        disable = aws.run(inspector2.main, {"state": "absent"}, check_mode=True)
        same = aws.run(inspector2.main, {"resource_types": ["ECR"]}, check_mode=True)
    assert purge["changed"] is True and purge["enabled_resource_types"] == ["EC2"]
    assert disable["changed"] is True and disable["enabled_resource_types"] == []
    assert same["changed"] is False
    assert aws.mutating(calls) == []
    assert enabled(aws) == ["ec2", "ecr"]


@pytest.mark.parametrize(
    "args, option",
    [
        ({"resource_types": ["EC2", "EKS"]}, "resource_types"),
        ({"resource_types": ["ec2"]}, "resource_types"),
        ({}, "resource_types"),
        ({"state": "absent", "resource_types": ["ECR"]}, "resource_types"),
        ({"resource_types": ["EC2"], "account_id": "12345"}, "account_id"),
    ],
)
def test_bad_input_fails_before_any_call(aws, args, option):
    with aws.recording() as calls:
        result = aws.run(inspector2.main, args)

    assert result.failed
    assert option in result["msg"]
    assert calls == [], "validation must happen before any API call"
    assert enabled(aws) == []


def test_info(aws):
    nothing = aws.run(inspector2_info.main, {})
    assert nothing["changed"] is False
    assert nothing["enabled_resource_types"] == []
    assert nothing["resource_types"]["EC2"] == "DISABLED"
    assert nothing["account_status"] == {}

    aws.run(inspector2.main, {"resource_types": ["EC2", "LAMBDA"]})
    result = aws.run(inspector2_info.main, {"account_id": ACCOUNT})
    assert result["account_id"] == ACCOUNT
    assert result["resource_types"]["EC2"] == "ENABLED"
    assert result["resource_types"]["ECR"] == "DISABLED"
    assert result["enabled_resource_types"] == ["EC2", "LAMBDA"]
    assert result["account_status"]["state"]["status"] == "ENABLED"


# --- Stubber: what real AWS does and moto does not ---


# The real model requires errorCode and errorMessage in every state (moto leaves them out).
ERROR_OF = {"ENABLED": "ALREADY_ENABLED", "ENABLING": "ENABLE_IN_PROGRESS", "DISABLED": "RESOURCE_NOT_FOUND"}


def state(status):
    return {"status": status, "errorCode": ERROR_OF[status], "errorMessage": status.lower()}


def status_response(**states):
    resource_state = {key: state(states.get(key, "DISABLED")) for key in ("ec2", "ecr", "lambda", "lambdaCode")}
    return {
        "accounts": [{"accountId": ACCOUNT, "state": state("ENABLED"), "resourceState": resource_state}],
        "failedAccounts": [],
    }


def test_enabling_counts_as_enabled_stubbed(stubbed):
    i2 = stubbed("inspector2")
    i2.add_response("batch_get_account_status", status_response(ec2="ENABLING", ecr="ENABLED"), {"accountIds": [ACCOUNT]})

    result = stubbed.run(inspector2.main, {"resource_types": ["EC2", "ECR"], "account_id": ACCOUNT})

    assert result["changed"] is False, result
    assert result["resource_types"]["EC2"] == "ENABLING"
    assert result["enabled_resource_types"] == ["EC2", "ECR"]
    stubbed.assert_all_used()


def test_failed_account_is_reported_stubbed(stubbed):
    from botocore.stub import ANY

    i2 = stubbed("inspector2")
    stubbed("sts").add_response("get_caller_identity", {"Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:user/ops", "UserId": "AIDA0000"}, {})
    i2.add_response("batch_get_account_status", status_response(), {"accountIds": [ACCOUNT]})
    i2.add_response(
        "enable",
        {
            "accounts": [],
            "failedAccounts": [{"accountId": ACCOUNT, "errorCode": "ACCESS_DENIED", "errorMessage": "not allowed to enable LAMBDA"}],
        },
        {"accountIds": [ACCOUNT], "resourceTypes": ["EC2", "LAMBDA"], "clientToken": ANY},
    )

    result = stubbed.run(inspector2.main, {"resource_types": ["LAMBDA", "EC2"]})

    assert result.failed
    assert "ACCESS_DENIED" in result["msg"] and "not allowed to enable LAMBDA" in result["msg"]
    stubbed.assert_all_used()
