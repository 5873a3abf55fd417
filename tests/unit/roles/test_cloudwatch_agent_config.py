# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cloudwatch_agent role's configuration validator against the agent's own samples and schema.

The validator (roles/cloudwatch_agent/files/validate_config.py) runs on the
managed host as the ``validate`` command of the task that writes the agent
configuration. It must accept every valid* sample of the agent and reject
every invalid* sample, naming the first schema error; and the configuration the
role renders from its defaults must pass it.
"""

from __future__ import annotations

import filecmp
import glob
import importlib.util
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ROLE = os.path.join(ROOT, "roles", "cloudwatch_agent")
SCHEMA = os.path.join(ROLE, "files", "amazon-cloudwatch-agent.schema.json")
VALIDATOR = os.path.join(ROLE, "files", "validate_config.py")
SAMPLES = os.path.join(os.path.dirname(__file__), "fixtures", "cloudwatch-agent", "samples")
REFERENCE = "/work/shared/reference/cloudwatch-agent"  # where the copies come from, on the build machines


def load_validator():
    spec = importlib.util.spec_from_file_location("cloudwatch_agent_validate_config", VALIDATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


validator = load_validator()


def samples(prefix):
    found = sorted(glob.glob(os.path.join(SAMPLES, prefix + "*.json")))
    assert found, f"no {prefix}* samples in {SAMPLES}"
    return [pytest.param(path, id=os.path.basename(path)) for path in found]


@pytest.fixture(scope="module")
def schema():
    with open(SCHEMA, encoding="utf-8") as handle:
        return json.load(handle)


def run_validator(config_path):
    return subprocess.run([sys.executable, VALIDATOR, SCHEMA, config_path], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("path", samples("valid"))
def test_accepts_every_valid_sample(schema, path):
    with open(path, encoding="utf-8") as handle:
        assert validator.schema_errors(schema, json.load(handle)) == []
    assert run_validator(path).returncode == 0


@pytest.mark.parametrize("path", samples("invalid"))
def test_rejects_every_invalid_sample_naming_the_error(schema, path):
    with open(path, encoding="utf-8") as handle:
        errors = validator.schema_errors(schema, json.load(handle))
    assert errors, "the schema accepts this invalid sample"
    result = run_validator(path)
    assert result.returncode == 1
    assert result.stderr.startswith("invalid CloudWatch agent configuration: $")
    assert errors[0] in result.stderr


def test_error_message_names_the_path_and_the_problem(tmp_path):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"logs": {"logs_collected": {"files": {"collect_list": [{"file_path": "/var/log/syslog", "retention_in_days": 42}]}}}}))

    result = run_validator(str(config))

    assert result.returncode == 1
    assert "$.logs.logs_collected.files.collect_list[0].retention_in_days: 42 is not one of" in result.stderr


def test_not_json_and_unreadable(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"agent": ')
    assert run_validator(str(broken)).returncode == 1
    assert "is not valid JSON" in run_validator(str(broken)).stderr
    assert run_validator(str(tmp_path / "missing.json")).returncode == 2


@pytest.mark.skipif(not os.path.isdir(REFERENCE), reason="reference copy not on this machine")
def test_copies_match_the_reference():
    assert filecmp.cmp(SCHEMA, os.path.join(REFERENCE, "schema.json"), shallow=False)
    reference = sorted(os.listdir(os.path.join(REFERENCE, "samples")))
    assert sorted(os.listdir(SAMPLES)) == reference
    for name in reference:
        assert filecmp.cmp(os.path.join(SAMPLES, name), os.path.join(REFERENCE, "samples", name), shallow=False), name


def test_role_defaults_render_a_valid_configuration(tmp_path, schema):
    """Render the role's configuration from its defaults (Debian 12 settings) with Ansible, then validate it."""
    dest = tmp_path / "amazon-cloudwatch-agent.json"
    playbook = tmp_path / "render.yml"
    playbook.write_text(
        f"""
- hosts: localhost
  connection: local
  gather_facts: false
  vars_files:
    - {ROLE}/defaults/main.yml
    - {ROLE}/vars/main.yml
    - {ROLE}/vars/Debian.yml
  vars:
    ansible_facts: {{architecture: x86_64}}
  tasks:
    - ansible.builtin.copy:
        content: "{{{{ __cloudwatch_agent_config | combine(cloudwatch_agent_config_overrides, recursive=True) | to_nice_json }}}}"
        dest: {dest}
        mode: "0600"
"""
    )
    (tmp_path / "ansible.cfg").write_text("[defaults]\n")
    env = dict(os.environ, ANSIBLE_CONFIG=str(tmp_path / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    result = subprocess.run(
        ["ansible-playbook", "-i", "localhost,", "-e", f"ansible_python_interpreter={sys.executable}", str(playbook)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    with open(dest, encoding="utf-8") as handle:
        config = json.load(handle)
    assert validator.schema_errors(schema, config) == []
    assert config["agent"]["metrics_collection_interval"] == 60
    assert config["agent"]["run_as_user"] == "cwagent"
    paths = [entry["file_path"] for entry in config["logs"]["logs_collected"]["files"]["collect_list"]]
    assert paths == ["/var/log/syslog", "/var/log/auth.log", "/var/log/nginx/access.log", "/var/log/nginx/error.log"]
