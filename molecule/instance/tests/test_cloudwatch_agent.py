# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""cloudwatch_agent on the container (HP-20): verified package, schema-valid configuration applied once."""

from __future__ import annotations

import json
import os

import jsonschema
import pytest
import yaml

ROOT = os.environ.get("MOLECULE_PROJECT_DIRECTORY", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..")))
HOME = "/opt/aws/amazon-cloudwatch-agent"
CONFIG = "/etc/healthplatform/cloudwatch-agent/amazon-cloudwatch-agent.json"


@pytest.fixture(scope="module")
def pinned():
    with open(os.path.join(ROOT, "roles", "cloudwatch_agent", "defaults", "main.yml"), encoding="utf-8") as handle:
        return str(yaml.safe_load(handle)["cloudwatch_agent_version"])


@pytest.fixture(scope="module")
def config(host):
    return json.loads(host.file(CONFIG).content_string)


def test_pinned_package_installed_and_not_the_tampered_one(host, pinned):
    package = host.package("amazon-cloudwatch-agent")
    assert package.is_installed
    assert package.version == pinned
    assert host.file(f"{HOME}/bin/CWAGENT_VERSION").content_string.strip() == pinned
    assert "TAMPERED" not in host.file(f"{HOME}/bin/amazon-cloudwatch-agent-ctl").content_string


def test_agent_running_and_enabled(host):
    agent = host.service("amazon-cloudwatch-agent")
    assert agent.is_running
    assert agent.is_enabled


def test_configuration_valid_against_the_agents_schema(host, config):
    with open(os.path.join(ROOT, "roles", "cloudwatch_agent", "files", "amazon-cloudwatch-agent.schema.json"), encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft4Validator(schema).validate(config)
    # and with the validator the role installed, on the host's own jsonschema
    folder = "/etc/healthplatform/cloudwatch-agent"
    check = host.run(f"/usr/bin/python3 {folder}/validate_config.py {folder}/amazon-cloudwatch-agent.schema.json {CONFIG}")
    assert check.rc == 0, check.stderr


def test_configuration_ships_logs_and_metrics(config):
    files = {entry["file_path"]: entry for entry in config["logs"]["logs_collected"]["files"]["collect_list"]}
    assert set(files) == {"/var/log/syslog", "/var/log/auth.log", "/var/log/nginx/access.log", "/var/log/nginx/error.log"}
    assert files["/var/log/auth.log"]["log_group_name"] == "/healthplatform/production/instances/auth"
    assert all(entry["retention_in_days"] == 2192 for entry in files.values())
    collected = config["metrics"]["metrics_collected"]
    assert "mem_used_percent" in collected["mem"]["measurement"]
    assert "used_percent" in collected["disk"]["measurement"]
    assert "swap_used_percent" in collected["swap"]["measurement"]
    assert config["metrics"]["append_dimensions"]["AutoScalingGroupName"] == "${aws:AutoScalingGroupName}"
    assert config["metrics"]["append_dimensions"]["InstanceId"] == "${aws:InstanceId}"
    assert config["agent"]["metrics_collection_interval"] == 60


def test_configuration_protected(host):
    config = host.file(CONFIG)
    assert (config.user, config.group, config.mode) == ("root", "root", 0o640)


def test_fetch_config_ran_once_from_the_handler(host):
    calls = host.file(f"{HOME}/logs/ctl-calls.log").content_string.splitlines()
    assert calls == [f"action=fetch-config mode=ec2 config=file:{CONFIG} start=1"], "applied once: the re-runs changed nothing"
    applied = host.file(f"{HOME}/etc/amazon-cloudwatch-agent.d/file_amazon-cloudwatch-agent.json").content_string
    assert applied == host.file(CONFIG).content_string


def test_agent_user_reads_the_logs(host):
    assert "adm" in host.user("cwagent").groups
    assert host.run("runuser -u cwagent -- head -c1 /var/log/nginx/access.log").rc == 0
