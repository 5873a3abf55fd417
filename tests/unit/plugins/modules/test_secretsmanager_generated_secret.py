# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""secretsmanager_generated_secret and secretsmanager_secret_info against the moto server
(secrets, GetRandomPassword, versions, tags and KMS keys are emulated)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import secretsmanager_generated_secret
from ansible_collections.healthplatform.aws.plugins.modules import secretsmanager_secret_info

NAME = "hp-test/app/database"
FIELDS = {"engine": "postgres", "username": "app", "host": "db.example.internal", "port": 5432, "dbname": "healthplatform"}


@pytest.fixture
def key(aws):
    return aws.client("kms").create_key(Description="secrets")["KeyMetadata"]


def args(key, **extra):
    result = {"name": NAME, "description": "app credentials", "kms_key_id": key["Arn"], "fields": dict(FIELDS), "tags": {"Environment": "test"}}
    result.update(extra)
    return result


def value(aws, name=NAME):
    return json.loads(aws.client("secretsmanager").get_secret_value(SecretId=name)["SecretString"])


def test_create_with_a_generated_password_that_is_never_returned(aws, key):
    result = aws.run(secretsmanager_generated_secret.main, args(key), diff=True)

    assert result["changed"] is True
    stored = value(aws)
    assert {k: v for k, v in stored.items() if k != "password"} == FIELDS
    assert len(stored["password"]) == 32
    assert not set(stored["password"]) & set("/@\"'\\`:;?#%&")
    assert stored["password"] not in json.dumps(result)
    assert result["secret_keys"] == sorted([*FIELDS, "password"])
    described = aws.client("secretsmanager").describe_secret(SecretId=NAME)
    assert described["KmsKeyId"] == key["Arn"]
    assert described["Description"] == "app credentials"
    assert result["secret"]["arn"] == described["ARN"]
    assert result["secret"]["tags"] == {"Environment": "test"}


def test_no_change_keeps_the_password_and_makes_no_mutating_call(aws, key):
    aws.run(secretsmanager_generated_secret.main, args(key))
    password = value(aws)["password"]
    with aws.recording() as calls:
        result = aws.run(secretsmanager_generated_secret.main, args(key))
    assert result["changed"] is False
    assert aws.mutating(calls) == []
    assert value(aws)["password"] == password


def test_changed_field_keeps_the_password(aws, key):
    aws.run(secretsmanager_generated_secret.main, args(key))
    password = value(aws)["password"]
    fields = dict(FIELDS, host="db2.example.internal")
    result = aws.run(secretsmanager_generated_secret.main, args(key, fields=fields), diff=True)

    assert result["changed"] is True
    stored = value(aws)
    assert stored["host"] == "db2.example.internal"
    assert stored["password"] == password
    assert result["diff"]["before"]["fields"]["host"] == "db.example.internal"
    assert result["diff"]["after"]["fields"]["host"] == "db2.example.internal"
    assert password not in json.dumps(result)


def test_members_not_named_are_kept(aws, key):
    aws.run(secretsmanager_generated_secret.main, args(key))
    aws.client("secretsmanager").put_secret_value(SecretId=NAME, SecretString=json.dumps(dict(value(aws), masterarn="arn:x")))
    result = aws.run(secretsmanager_generated_secret.main, args(key))
    assert result["changed"] is False
    assert value(aws)["masterarn"] == "arn:x"


def test_a_value_that_is_not_json_gets_a_new_document(aws, key):
    aws.client("secretsmanager").create_secret(
        Name=NAME, SecretString="hunter2", KmsKeyId=key["Arn"], Description="app credentials", Tags=[{"Key": "Environment", "Value": "test"}]
    )
    result = aws.run(secretsmanager_generated_secret.main, args(key))
    assert result["changed"] is True
    assert value(aws)["password"] != "hunter2"
    assert "hunter2" not in json.dumps(result)


def test_key_description_and_tags_update(aws, key):
    aws.run(secretsmanager_generated_secret.main, args(key))
    other = aws.client("kms").create_key()["KeyMetadata"]
    result = aws.run(secretsmanager_generated_secret.main, args(other, description="new", tags={"Owner": "dba"}))
    assert result["changed"] is True
    described = aws.client("secretsmanager").describe_secret(SecretId=NAME)
    assert described["KmsKeyId"] == other["Arn"]
    assert described["Description"] == "new"
    assert {t["Key"]: t["Value"] for t in described["Tags"]} == {"Owner": "dba"}


def test_key_by_id_is_the_same_key(aws, key):
    aws.run(secretsmanager_generated_secret.main, args(key))
    result = aws.run(secretsmanager_generated_secret.main, args(key, kms_key_id=key["KeyId"]))
    assert result["changed"] is False


def test_delete_restore_and_force_delete(aws, key):
    aws.run(secretsmanager_generated_secret.main, args(key))
    password = value(aws)["password"]
    deleted = aws.run(secretsmanager_generated_secret.main, {"name": NAME, "state": "absent", "recovery_window_days": 7})
    assert deleted["changed"] is True
    assert "DeletedDate" in aws.client("secretsmanager").describe_secret(SecretId=NAME)
    assert aws.run(secretsmanager_generated_secret.main, {"name": NAME, "state": "absent"})["changed"] is False

    restored = aws.run(secretsmanager_generated_secret.main, args(key))
    assert restored["changed"] is True
    assert value(aws)["password"] == password

    gone = aws.run(secretsmanager_generated_secret.main, {"name": NAME, "state": "absent", "recovery_window_days": 0})
    assert gone["changed"] is True
    with pytest.raises(aws.client("secretsmanager").exceptions.ResourceNotFoundException):
        aws.client("secretsmanager").describe_secret(SecretId=NAME)


def test_check_mode_changes_nothing(aws, key):
    with aws.recording() as calls:
        create = aws.run(secretsmanager_generated_secret.main, args(key), check_mode=True)
    assert create["changed"] is True
    assert aws.mutating(calls) == []
    assert aws.client("secretsmanager").list_secrets()["SecretList"] == []

    aws.run(secretsmanager_generated_secret.main, args(key))
    before = value(aws)
    with aws.recording() as calls:
        update = aws.run(secretsmanager_generated_secret.main, args(key, fields=dict(FIELDS, port=6432), tags={"X": "y"}), check_mode=True)
        delete = aws.run(secretsmanager_generated_secret.main, {"name": NAME, "state": "absent"}, check_mode=True)
    assert update["changed"] is True and delete["changed"] is True
    assert aws.mutating(calls) == []
    assert value(aws) == before


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"password_length": 4}, "password_length"),
        ({"fields": dict(FIELDS, password="mine")}, "fields"),
        ({"kms_key_id": "my key"}, "kms_key_id"),
        ({"fields": {"nested": {"a": 1}}}, "fields.nested"),
        ({"state": "absent", "recovery_window_days": 3}, "recovery_window_days"),
    ],
)
def test_bad_input_fails_before_any_call(aws, key, extra, option):
    with aws.recording() as calls:
        result = aws.run(secretsmanager_generated_secret.main, args(key, **extra))
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info_describes_without_values(aws, key):
    aws.run(secretsmanager_generated_secret.main, args(key))
    aws.run(secretsmanager_generated_secret.main, args(key, name="hp-test/app/other"))
    aws.run(secretsmanager_generated_secret.main, args(key, name="elsewhere/app"))
    passwords = [value(aws)["password"], value(aws, "hp-test/app/other")["password"]]

    by_prefix = aws.run(secretsmanager_secret_info.main, {"name_prefix": "hp-test/app/"})
    by_id = aws.run(secretsmanager_secret_info.main, {"secret_ids": [NAME, "hp-test/nothing"]})

    assert sorted(s["name"] for s in by_prefix["secrets"]) == ["hp-test/app/database", "hp-test/app/other"]
    assert [s["name"] for s in by_id["secrets"]] == [NAME]
    assert by_id["secrets"][0]["kms_key_id"] == key["Arn"]
    assert all(p not in json.dumps(by_prefix) + json.dumps(by_id) for p in passwords)


def test_info_needs_a_selection(aws):
    with aws.recording() as calls:
        result = aws.run(secretsmanager_secret_info.main, {})
    assert result.failed
    assert "secret_ids" in result["msg"]
    assert calls == []
