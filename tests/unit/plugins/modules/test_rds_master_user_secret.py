# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""rds_master_user_secret against the moto server (ManageMasterUserPassword is emulated for
DB instances and clusters; moto creates the secret in its Secrets Manager).

With botocore's Stubber: waiting for a secret that is still being created (moto reports
"active" at the second read already, so no wait ever happens there).
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import rds_master_user_secret

DB = "hp-test-db"
CLUSTER = "hp-test-aurora"


@pytest.fixture
def rds(aws):
    client = aws.client("rds")
    client.create_db_instance(
        DBInstanceIdentifier=DB,
        Engine="postgres",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername="hp",
        MasterUserPassword="bootstrap-only-1",
    )
    return client


@pytest.fixture
def key(aws):
    return aws.client("kms").create_key(Description="secrets")["KeyMetadata"]


def secret_of(rds, db=DB):
    return rds.describe_db_instances(DBInstanceIdentifier=db)["DBInstances"][0].get("MasterUserSecret")


def test_hand_the_password_to_rds_with_the_secrets_key(aws, rds, key):
    result = aws.run(rds_master_user_secret.main, {"db_instance_identifier": DB, "kms_key_id": key["Arn"]})

    assert result["changed"] is True
    live = secret_of(rds)
    assert live["KmsKeyId"] == key["Arn"]
    assert result["master_user_secret"]["secret_arn"] == live["SecretArn"]
    assert result["master_user_secret"]["secret_status"] == "active"
    assert result["db_instance_identifier"] == DB
    described = aws.client("secretsmanager").describe_secret(SecretId=live["SecretArn"])
    assert described["OwningService"] == "rds"
    password = json.loads(aws.client("secretsmanager").get_secret_value(SecretId=live["SecretArn"])["SecretString"])["password"]
    assert password not in json.dumps(result), "the module never returns the password"


def test_no_change_makes_no_mutating_call(aws, rds, key):
    aws.run(rds_master_user_secret.main, {"db_instance_identifier": DB, "kms_key_id": key["Arn"]})
    with aws.recording() as calls:
        by_id = aws.run(rds_master_user_secret.main, {"db_instance_identifier": DB, "kms_key_id": key["KeyId"]})
        unkeyed = aws.run(rds_master_user_secret.main, {"db_instance_identifier": DB})
    assert by_id["changed"] is False
    assert unkeyed["changed"] is False
    assert aws.mutating(calls) == []


def test_key_given_by_alias_is_resolved(aws, rds, key):
    aws.client("kms").create_alias(AliasName="alias/hp-test-secrets", TargetKeyId=key["KeyId"])
    aws.run(rds_master_user_secret.main, {"db_instance_identifier": DB, "kms_key_id": key["Arn"]})
    result = aws.run(rds_master_user_secret.main, {"db_instance_identifier": DB, "kms_key_id": "alias/hp-test-secrets"})
    assert result["changed"] is False


def test_another_key_fails_without_change(aws, rds, key):
    aws.run(rds_master_user_secret.main, {"db_instance_identifier": DB, "kms_key_id": key["Arn"]})
    other = aws.client("kms").create_key()["KeyMetadata"]
    with aws.recording() as calls:
        result = aws.run(rds_master_user_secret.main, {"db_instance_identifier": DB, "kms_key_id": other["Arn"]})
    assert result.failed
    assert "kms_key_id" in result["msg"]
    assert aws.mutating(calls) == []
    assert secret_of(rds)["KmsKeyId"] == key["Arn"]


def test_cluster(aws, key):
    rds = aws.client("rds")
    rds.create_db_cluster(DBClusterIdentifier=CLUSTER, Engine="aurora-postgresql", MasterUsername="hp", MasterUserPassword="bootstrap-only-1")
    result = aws.run(rds_master_user_secret.main, {"db_cluster_identifier": CLUSTER, "kms_key_id": key["Arn"]})
    assert result["changed"] is True
    assert result["db_cluster_identifier"] == CLUSTER
    live = rds.describe_db_clusters(DBClusterIdentifier=CLUSTER)["DBClusters"][0]["MasterUserSecret"]
    assert result["master_user_secret"]["secret_arn"] == live["SecretArn"]
    assert aws.run(rds_master_user_secret.main, {"db_cluster_identifier": CLUSTER, "kms_key_id": key["Arn"]})["changed"] is False


def test_rotation_schedule_of_the_managed_secret(aws, rds, key):
    first = aws.run(rds_master_user_secret.main, {"db_instance_identifier": DB, "kms_key_id": key["Arn"], "rotation_days": 7})
    assert first["changed"] is True
    assert first["rotation"]["enabled"] is True
    arn = secret_of(rds)["SecretArn"]
    described = aws.client("secretsmanager").describe_secret(SecretId=arn)
    assert described["RotationEnabled"] is True
    assert described["RotationRules"]["AutomaticallyAfterDays"] == 7

    with aws.recording() as calls:
        again = aws.run(rds_master_user_secret.main, {"db_instance_identifier": DB, "kms_key_id": key["Arn"], "rotation_days": 7})
    assert again["changed"] is False
    assert aws.mutating(calls) == []

    weekly_to_monthly = aws.run(rds_master_user_secret.main, {"db_instance_identifier": DB, "rotation_days": 30})
    assert weekly_to_monthly["changed"] is True
    assert aws.client("secretsmanager").describe_secret(SecretId=arn)["RotationRules"]["AutomaticallyAfterDays"] == 30

    with aws.recording() as calls:
        planned = aws.run(rds_master_user_secret.main, {"db_instance_identifier": DB, "rotation_days": 14}, check_mode=True)
    assert planned["changed"] is True
    assert planned["rotation"]["rules"]["AutomaticallyAfterDays"] == 14
    assert aws.mutating(calls) == []


def test_unknown_db_fails(aws):
    result = aws.run(rds_master_user_secret.main, {"db_instance_identifier": "hp-nothing"})
    assert result.failed
    assert "db_instance_identifier" in result["msg"]


def test_check_mode_changes_nothing(aws, rds, key):
    with aws.recording() as calls:
        result = aws.run(rds_master_user_secret.main, {"db_instance_identifier": DB, "kms_key_id": key["Arn"]}, check_mode=True)
    assert result["changed"] is True
    assert result["master_user_secret"]["kms_key_id"] == key["Arn"]
    assert aws.mutating(calls) == []
    assert secret_of(rds) is None


@pytest.mark.parametrize(
    "args, option",
    [
        ({"db_instance_identifier": DB, "kms_key_id": "my key"}, "kms_key_id"),
        ({"db_instance_identifier": DB, "db_cluster_identifier": CLUSTER}, "db_instance_identifier"),
        ({}, "db_instance_identifier"),
        ({"db_instance_identifier": DB, "wait_timeout": 0}, "wait_timeout"),
        ({"db_instance_identifier": DB, "rotation_days": 0}, "rotation_days"),
    ],
)
def test_bad_input_fails_before_any_call(aws, args, option):
    with aws.recording() as calls:
        result = aws.run(rds_master_user_secret.main, args)
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_stubbed_waits_until_the_secret_is_active(stubbed, monkeypatch):
    monkeypatch.setattr(rds_master_user_secret, "WAIT_DELAY", 0)
    rds = stubbed("rds")
    secret = {
        "SecretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1-AbCdEf",
        "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    }
    request = {"DBInstanceIdentifier": DB}
    rds.add_response("describe_db_instances", {"DBInstances": [{"DBInstanceIdentifier": DB}]}, request)
    rds.add_response(
        "modify_db_instance",
        {"DBInstance": {"DBInstanceIdentifier": DB}},
        {**request, "ManageMasterUserPassword": True, "ApplyImmediately": True, "MasterUserSecretKmsKeyId": secret["KmsKeyId"]},
    )
    rds.add_response(
        "describe_db_instances", {"DBInstances": [{"DBInstanceIdentifier": DB, "MasterUserSecret": dict(secret, SecretStatus="creating")}]}, request
    )
    rds.add_response(
        "describe_db_instances", {"DBInstances": [{"DBInstanceIdentifier": DB, "MasterUserSecret": dict(secret, SecretStatus="creating")}]}, request
    )
    rds.add_response("describe_db_instances", {"DBInstances": [{"DBInstanceIdentifier": DB, "MasterUserSecret": dict(secret, SecretStatus="active")}]}, request)
    rds.add_response("describe_db_instances", {"DBInstances": [{"DBInstanceIdentifier": DB, "MasterUserSecret": dict(secret, SecretStatus="active")}]}, request)

    result = stubbed.run(rds_master_user_secret.main, {"db_instance_identifier": DB, "kms_key_id": secret["KmsKeyId"]})

    assert not result.failed, result
    assert result["changed"] is True
    assert result["master_user_secret"]["secret_status"] == "active"
    stubbed.assert_all_used()
