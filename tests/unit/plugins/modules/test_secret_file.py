# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""secret_file against the moto server (Secrets Manager is emulated), writing into a temporary folder.

Every test also checks that the module's output never contains the secret value.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import secret_file

NAME = "healthplatform/test/app/database"
DATABASE = {"username": "app_user", "password": 'p"a$s`w\\rd 1', "host": "db.internal", "port": 5432, "dbname": "health"}
PASSWORD = DATABASE["password"]


@pytest.fixture
def secret(aws):
    return aws.client("secretsmanager").create_secret(Name=NAME, SecretString=json.dumps(DATABASE))["ARN"]


def run(aws, tmp_path, check_mode=False, diff=False, **args):
    args.setdefault("secret_id", NAME)
    args.setdefault("dest", str(tmp_path / "secret"))
    result = aws.run(secret_file.main, args, check_mode=check_mode, diff=diff)
    dumped = json.dumps(result)
    for value in (PASSWORD, json.dumps(PASSWORD)[1:-1], "rotated-password-2"):
        assert value not in dumped, "the module output holds a secret value"
    assert "********" not in dumped, "the module tried to output a secret value (Ansible masked it)"
    return result


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


def mode_of(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_create_one_key_raw(aws, tmp_path, secret):
    result = run(aws, tmp_path, key="password")

    assert result["changed"] is True
    assert result["content_changed"] is True
    assert read(tmp_path / "secret") == PASSWORD.encode()
    assert mode_of(tmp_path / "secret") == 0o600
    assert result["secret"]["arn"] == secret
    assert result["secret"]["version_stages"] == ["AWSCURRENT"]
    assert result["mode"] == "0600"


def test_no_change_reads_only_and_keeps_the_file(aws, tmp_path, secret):
    run(aws, tmp_path, format="env", env_prefix="DB_")
    before = os.stat(tmp_path / "secret")
    with aws.recording() as calls:
        result = run(aws, tmp_path, format="env", env_prefix="DB_")

    assert result["changed"] is False
    assert [c["operation"] for c in calls] == ["GetSecretValue"]
    assert aws.mutating(calls) == []
    after = os.stat(tmp_path / "secret")
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_env_format_reads_back_in_a_shell(aws, tmp_path, secret):
    run(aws, tmp_path, format="env", env_prefix="DB_")

    lines = read(tmp_path / "secret").decode().splitlines()
    assert [line.split("=", 1)[0] for line in lines] == ["DB_DBNAME", "DB_HOST", "DB_PASSWORD", "DB_PORT", "DB_USERNAME"]
    script = 'set -a; . "$1"; printf "%s|%s|%s" "$DB_PASSWORD" "$DB_PORT" "$DB_USERNAME"'
    shell = subprocess.run(["bash", "-c", script, "bash", str(tmp_path / "secret")], capture_output=True, text=True, check=True)
    assert shell.stdout == f"{PASSWORD}|5432|app_user"


def test_json_all_keys_and_one_key(aws, tmp_path, secret):
    run(aws, tmp_path, format="json", dest=str(tmp_path / "all.json"))
    run(aws, tmp_path, format="json", key="host", dest=str(tmp_path / "host.json"))

    assert json.loads(read(tmp_path / "all.json")) == DATABASE
    assert json.loads(read(tmp_path / "host.json")) == {"host": "db.internal"}


def test_raw_whole_string_and_binary(aws, tmp_path):
    client = aws.client("secretsmanager")
    client.create_secret(Name="plain", SecretString="just-a-token-value")
    client.create_secret(Name="blob", SecretBinary=b"\x00\x01binary")

    run(aws, tmp_path, secret_id="plain", dest=str(tmp_path / "token"))
    run(aws, tmp_path, secret_id="blob", dest=str(tmp_path / "blob"))

    assert read(tmp_path / "token") == b"just-a-token-value"
    assert read(tmp_path / "blob") == b"\x00\x01binary"


def test_rotation_replaces_the_file_atomically(aws, tmp_path, secret):
    run(aws, tmp_path, key="password", owner="nobody", group="nogroup", mode="0640")
    inode = os.stat(tmp_path / "secret").st_ino
    aws.client("secretsmanager").put_secret_value(SecretId=NAME, SecretString=json.dumps(dict(DATABASE, password="rotated-password-2")))

    result = run(aws, tmp_path, key="password", owner="nobody", group="nogroup", mode="0640", diff=True)

    assert result["changed"] is True and result["content_changed"] is True
    assert read(tmp_path / "secret") == b"rotated-password-2"
    st = os.stat(tmp_path / "secret")
    assert st.st_ino != inode, "written to a new file and renamed over the old one"
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (65534, 65534, 0o640)
    assert result["diff"]["before"]["content"] == "(secret, hidden)"
    assert result["diff"]["after"]["content"] == "(secret, hidden, changed)"
    assert [p for p in os.listdir(tmp_path) if p.endswith(".tmp")] == []


def test_version_stages(aws, tmp_path, secret):
    client = aws.client("secretsmanager")
    client.put_secret_value(SecretId=NAME, SecretString=json.dumps(dict(DATABASE, password="rotated-password-2")))
    client.put_secret_value(SecretId=NAME, SecretString=json.dumps(dict(DATABASE, password="staged-password-3")), VersionStages=["HPSTAGED"])

    previous = run(aws, tmp_path, key="password", version_stage="AWSPREVIOUS", dest=str(tmp_path / "previous"))
    staged = run(aws, tmp_path, key="password", version_stage="HPSTAGED", dest=str(tmp_path / "staged"))
    by_id = run(aws, tmp_path, key="password", version_id=previous["secret"]["version_id"], dest=str(tmp_path / "by-id"))

    assert read(tmp_path / "previous") == PASSWORD.encode()
    assert previous["secret"]["version_stages"] == ["AWSPREVIOUS"]
    assert read(tmp_path / "staged") == b"staged-password-3"
    assert staged["secret"]["version_stages"] == ["HPSTAGED"]
    assert read(tmp_path / "by-id") == PASSWORD.encode()
    assert by_id["secret"]["version_id"] == previous["secret"]["version_id"]


def test_attributes_only_change_keeps_the_content(aws, tmp_path, secret):
    run(aws, tmp_path, key="password")
    os.chmod(tmp_path / "secret", 0o400)
    inode = os.stat(tmp_path / "secret").st_ino

    result = run(aws, tmp_path, key="password", group="nogroup", mode="0640")

    assert result["changed"] is True
    assert (result["content_changed"], result["attributes_changed"]) == (False, True)
    st = os.stat(tmp_path / "secret")
    assert (st.st_ino, st.st_gid, stat.S_IMODE(st.st_mode)) == (inode, 65534, 0o640)


def test_check_mode_writes_nothing(aws, tmp_path, secret):
    with aws.recording() as calls:
        result = run(aws, tmp_path, key="password", check_mode=True)

    assert result["changed"] is True
    assert not os.path.exists(tmp_path / "secret")
    assert aws.mutating(calls) == []


def test_check_mode_reports_a_rotation_without_writing(aws, tmp_path, secret):
    run(aws, tmp_path, key="password")
    aws.client("secretsmanager").put_secret_value(SecretId=NAME, SecretString=json.dumps(dict(DATABASE, password="rotated-password-2")))

    result = run(aws, tmp_path, key="password", check_mode=True)

    assert result["changed"] is True and result["content_changed"] is True
    assert read(tmp_path / "secret") == PASSWORD.encode()


def test_absent_removes_the_file_without_reading_the_secret(aws, tmp_path, secret):
    run(aws, tmp_path, key="password")
    with aws.recording() as calls:
        removed = run(aws, tmp_path, state="absent")
        again = run(aws, tmp_path, state="absent")

    assert removed["changed"] is True
    assert again["changed"] is False
    assert not os.path.exists(tmp_path / "secret")
    assert calls == []


@pytest.mark.parametrize(
    "args, option",
    [
        ({"mode": "0644"}, "mode"),
        ({"mode": 0o604}, "mode"),
        ({"mode": "u=rw,o=r"}, "mode"),
        ({"owner": "no-such-user-hp"}, "owner"),
        ({"group": "no-such-group-hp"}, "group"),
        ({"dest": "/nonexistent-hp-dir/secret"}, "dest"),
        ({"env_prefix": "DB_"}, "env_prefix"),
        ({"version_id": "abc", "version_stage": "AWSCURRENT"}, "version_id"),
    ],
)
def test_bad_input_fails_before_any_api_call(aws, tmp_path, secret, args, option):
    with aws.recording() as calls:
        result = run(aws, tmp_path, **args)

    assert result.failed
    assert option in result["msg"]
    assert calls == []
    assert not os.path.exists(tmp_path / "secret")


def test_world_readable_mode_is_named(aws, tmp_path, secret):
    result = run(aws, tmp_path, mode="0644")

    assert result["msg"].startswith("mode 0644 grants access to other users")


def test_missing_secret_names_the_option(aws, tmp_path):
    result = run(aws, tmp_path, secret_id="healthplatform/test/no-such-secret")

    assert result.failed
    assert result["msg"].startswith("secret_id: the secret 'healthplatform/test/no-such-secret'")
    assert "does not exist" in result["msg"]
    assert not os.path.exists(tmp_path / "secret")


def test_missing_key_and_wrong_shape_fail_without_the_value(aws, tmp_path, secret):
    aws.client("secretsmanager").create_secret(Name="plain", SecretString="not-json-at-all")

    missing = run(aws, tmp_path, key="no_such_key")
    shape = run(aws, tmp_path, secret_id="plain", format="env")

    assert missing.failed and "key 'no_such_key' is not in the secret" in missing["msg"]
    assert "dbname, host, password, port, username" in missing["msg"]
    assert shape.failed and "not a JSON object" in shape["msg"] and "not-json-at-all" not in shape["msg"]
    assert not os.path.exists(tmp_path / "secret")
