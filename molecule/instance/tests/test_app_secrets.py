# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""app_secrets on the container: the emulator's secret in files, protected, never printed."""

from __future__ import annotations

import shlex

from conftest import digest


def test_database_env_file_holds_the_emulators_values(host, database_secret):
    env = host.file("/etc/healthplatform/app/database.env")
    assert (env.user, env.group, env.mode) == ("hpapp", "hpapp", 0o600)
    values = {}
    for line in env.content_string.splitlines():
        name, _sep, quoted = line.partition("=")
        values[name] = shlex.split(quoted)[0]
    assert sorted(values) == ["DB_DBNAME", "DB_ENGINE", "DB_HOST", "DB_PASSWORD", "DB_PORT", "DB_USERNAME"]
    assert digest(values["DB_PASSWORD"]) == digest(database_secret["password"]), "DB_PASSWORD differs from the emulator's secret"
    assert values["DB_USERNAME"] == database_secret["username"]
    assert values["DB_PORT"] == "5432"


def test_single_key_raw_file(host, database_secret):
    password = host.file("/etc/healthplatform/app/db-password")
    assert (password.user, password.group, password.mode) == ("hpapp", "hpapp", 0o600)
    assert digest(password.content) == digest(database_secret["password"]), "db-password differs from the emulator's secret"


def test_secrets_directory_closed_to_others(host):
    directory = host.file("/etc/healthplatform/app")
    assert (directory.user, directory.group, directory.mode) == ("root", "hpapp", 0o750)
    assert not host.file("/etc/healthplatform/app/no-such-secret").exists


def test_application_restarted_with_the_credentials(host, database_secret):
    pid = host.run("systemctl show -p MainPID --value healthplatform-app.service").stdout.strip()
    assert pid not in ("", "0")
    environ = host.file(f"/proc/{pid}/environ").content.split(b"\0")
    assert f"DB_USERNAME={database_secret['username']}".encode() in environ, "the application was restarted after the file was written"


def test_secret_value_appears_nowhere_in_the_output(ansible_log, database_secret):
    assert ansible_log.count("PLAY [Configure the web instances]") >= 2, "converge and idempotence ran and were logged"
    assert "Write the secret files that differ" in ansible_log
    assert database_secret["password"] not in ansible_log, "the database password reached the Ansible output"
