# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""secretsmanager_rotation against the moto server, and with botocore's Stubber.

moto emulates the schedule of a service-managed secret (RDS's master user secret: RotateSecret
without a function). It refuses CancelRotateSecret for a secret without a function, and cannot run a rotation *function*: RotateSecret
with RotationLambdaARN invokes the Lambda, and the lab has no Lambda runtime (LAB.md). The
production path - a secret rotated by a function every 30 days - is therefore proven with the
Stubber, which validates every request against the real Secrets Manager model and fails on any
call that is not queued.
"""

from __future__ import annotations

import pytest
from botocore.stub import ANY

from ansible_collections.healthplatform.aws.plugins.modules import secretsmanager_rotation

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:hp-test-postgres-rotation"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hp-test/app/database-AbCdEf"


@pytest.fixture
def managed_secret(aws):
    """An RDS-managed master user secret, made by RDS in moto."""
    rds = aws.client("rds")
    rds.create_db_instance(
        DBInstanceIdentifier="hp-test-db",
        Engine="postgres",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername="hp",
        ManageMasterUserPassword=True,
    )
    return rds.describe_db_instances(DBInstanceIdentifier="hp-test-db")["DBInstances"][0]["MasterUserSecret"]["SecretArn"]


def describe(aws, secret_id):
    return aws.client("secretsmanager").describe_secret(SecretId=secret_id)


def test_schedule_of_a_service_managed_secret(aws, managed_secret):
    result = aws.run(secretsmanager_rotation.main, {"secret_id": managed_secret, "automatically_after_days": 7})

    assert result["changed"] is True
    live = describe(aws, managed_secret)
    assert live["RotationEnabled"] is True
    assert live["RotationRules"]["AutomaticallyAfterDays"] == 7
    assert result["rotation"] == {"enabled": True, "lambda_arn": None, "rules": {"AutomaticallyAfterDays": 7}}
    assert result["secret"]["owning_service"] == "rds"


def test_no_change_makes_no_mutating_call(aws, managed_secret):
    aws.run(secretsmanager_rotation.main, {"secret_id": managed_secret, "automatically_after_days": 7})
    with aws.recording() as calls:
        result = aws.run(secretsmanager_rotation.main, {"secret_id": managed_secret, "automatically_after_days": 7})
    assert result["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_change_the_schedule(aws, managed_secret):
    aws.run(secretsmanager_rotation.main, {"secret_id": managed_secret, "automatically_after_days": 7})
    result = aws.run(secretsmanager_rotation.main, {"secret_id": managed_secret, "automatically_after_days": 14}, diff=True)
    assert result["changed"] is True
    assert describe(aws, managed_secret)["RotationRules"]["AutomaticallyAfterDays"] == 14
    assert result["diff"]["before"]["rules"] == {"AutomaticallyAfterDays": 7}


def test_a_function_for_a_managed_secret_fails(aws, managed_secret):
    with aws.recording() as calls:
        result = aws.run(secretsmanager_rotation.main, {"secret_id": managed_secret, "automatically_after_days": 7, "rotation_lambda_arn": FUNCTION})
    assert result.failed
    assert "rotation_lambda_arn" in result["msg"]
    assert aws.mutating(calls) == []


def test_unknown_secret_fails(aws):
    result = aws.run(secretsmanager_rotation.main, {"secret_id": "hp-test/nothing", "automatically_after_days": 7})
    assert result.failed
    assert "secret_id" in result["msg"]


def test_check_mode_changes_nothing(aws, managed_secret):
    with aws.recording() as calls:
        result = aws.run(secretsmanager_rotation.main, {"secret_id": managed_secret, "automatically_after_days": 7}, check_mode=True)
    assert result["changed"] is True
    assert result["rotation"]["enabled"] is True
    assert aws.mutating(calls) == []
    assert not describe(aws, managed_secret).get("RotationEnabled")


@pytest.mark.parametrize(
    "args, option",
    [
        ({}, "automatically_after_days"),
        ({"automatically_after_days": 7, "schedule_expression": "rate(7 days)"}, "automatically_after_days"),
        ({"automatically_after_days": 0}, "automatically_after_days"),
        ({"automatically_after_days": 1001}, "automatically_after_days"),
        ({"schedule_expression": "every week"}, "schedule_expression"),
        ({"automatically_after_days": 7, "duration": "3 hours"}, "duration"),
        ({"automatically_after_days": 7, "duration": "25h"}, "duration"),
        ({"automatically_after_days": 7, "rotation_lambda_arn": "my-function"}, "rotation_lambda_arn"),
    ],
)
def test_bad_input_fails_before_any_call(aws, args, option):
    with aws.recording() as calls:
        result = aws.run(secretsmanager_rotation.main, {"secret_id": "hp-test/app/database", **args})
    assert result.failed
    assert option in result["msg"]
    assert calls == []


# ---- Stubber: rotation by a function (the production path of the application secret) -----


def described(**extra):
    result = {"ARN": SECRET_ARN, "Name": "hp-test/app/database", "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
    result.update(extra)
    return result


def test_stubbed_turn_on_rotation_with_a_function_every_30_days(stubbed):
    sm = stubbed("secretsmanager")
    sm.add_response("describe_secret", described(), {"SecretId": "hp-test/app/database"})
    sm.add_response(
        "rotate_secret",
        {"ARN": SECRET_ARN, "Name": "hp-test/app/database", "VersionId": "0123456789abcdef0123456789abcdef"},
        {
            "SecretId": "hp-test/app/database",
            "ClientRequestToken": ANY,
            "RotationLambdaARN": FUNCTION,
            "RotationRules": {"AutomaticallyAfterDays": 30, "Duration": "4h"},
            "RotateImmediately": False,
        },
    )
    sm.add_response(
        "describe_secret",
        described(RotationEnabled=True, RotationLambdaARN=FUNCTION, RotationRules={"AutomaticallyAfterDays": 30, "Duration": "4h"}),
        {"SecretId": "hp-test/app/database"},
    )

    result = stubbed.run(
        secretsmanager_rotation.main, {"secret_id": "hp-test/app/database", "rotation_lambda_arn": FUNCTION, "automatically_after_days": 30, "duration": "4h"}
    )

    assert result["changed"] is True
    assert result["rotation"] == {"enabled": True, "lambda_arn": FUNCTION, "rules": {"AutomaticallyAfterDays": 30, "Duration": "4h"}}
    stubbed.assert_all_used()


def test_stubbed_configured_rotation_is_a_no_op(stubbed):
    sm = stubbed("secretsmanager")
    rules = {"AutomaticallyAfterDays": 30, "ScheduleExpression": "rate(30 days)"}
    sm.add_response("describe_secret", described(RotationEnabled=True, RotationLambdaARN=FUNCTION, RotationRules=rules), {"SecretId": "hp-test/app/database"})

    result = stubbed.run(secretsmanager_rotation.main, {"secret_id": "hp-test/app/database", "rotation_lambda_arn": FUNCTION, "automatically_after_days": 30})

    assert result["changed"] is False
    stubbed.assert_all_used()


def test_stubbed_another_function_is_set(stubbed):
    sm = stubbed("secretsmanager")
    old = FUNCTION.replace("postgres-rotation", "old-rotation")
    sm.add_response(
        "describe_secret",
        described(RotationEnabled=True, RotationLambdaARN=old, RotationRules={"AutomaticallyAfterDays": 30}),
        {"SecretId": "hp-test/app/database"},
    )
    sm.add_response(
        "rotate_secret",
        {"ARN": SECRET_ARN},
        {
            "SecretId": "hp-test/app/database",
            "ClientRequestToken": ANY,
            "RotationLambdaARN": FUNCTION,
            "RotationRules": {"ScheduleExpression": "cron(0 4 ? * SUN *)"},
            "RotateImmediately": True,
        },
    )
    sm.add_response(
        "describe_secret",
        described(RotationEnabled=True, RotationLambdaARN=FUNCTION, RotationRules={"ScheduleExpression": "cron(0 4 ? * SUN *)"}),
        {"SecretId": "hp-test/app/database"},
    )

    result = stubbed.run(
        secretsmanager_rotation.main,
        {"secret_id": "hp-test/app/database", "rotation_lambda_arn": FUNCTION, "schedule_expression": "cron(0 4 ? * SUN *)", "rotate_immediately": True},
    )

    assert result["changed"] is True
    assert result["rotation"]["lambda_arn"] == FUNCTION
    stubbed.assert_all_used()


def test_stubbed_turn_rotation_off_and_off_again(stubbed):
    # moto refuses CancelRotateSecret for a secret without a function, so the path is stubbed.
    sm = stubbed("secretsmanager")
    on = described(RotationEnabled=True, RotationLambdaARN=FUNCTION, RotationRules={"AutomaticallyAfterDays": 30})
    sm.add_response("describe_secret", on, {"SecretId": "hp-test/app/database"})
    sm.add_response("cancel_rotate_secret", {"ARN": SECRET_ARN}, {"SecretId": "hp-test/app/database"})
    sm.add_response("describe_secret", dict(on, RotationEnabled=False), {"SecretId": "hp-test/app/database"})
    sm.add_response("describe_secret", dict(on, RotationEnabled=False), {"SecretId": "hp-test/app/database"})

    off = stubbed.run(secretsmanager_rotation.main, {"secret_id": "hp-test/app/database", "state": "absent"})
    again = stubbed.run(secretsmanager_rotation.main, {"secret_id": "hp-test/app/database", "state": "absent"})

    assert off["changed"] is True
    assert off["rotation"]["enabled"] is False
    assert again["changed"] is False
    stubbed.assert_all_used()


def test_stubbed_check_mode_sends_no_rotate(stubbed):
    sm = stubbed("secretsmanager")
    sm.add_response("describe_secret", described(), {"SecretId": "hp-test/app/database"})

    result = stubbed.run(
        secretsmanager_rotation.main, {"secret_id": "hp-test/app/database", "rotation_lambda_arn": FUNCTION, "automatically_after_days": 30}, check_mode=True
    )

    assert result["changed"] is True
    stubbed.assert_all_used()
