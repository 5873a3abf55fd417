# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input to the security_services, app_services and monitoring tiers fails before any change.

Each case runs playbooks/site.yml with the lab inventory and the three tiers' tags against a
throwaway moto server whose recorder is on, with one bad variable given as an extra var. Every
run must fail, its message must name the variable, and the emulator must have seen no mutating
call. The cases run concurrently (each ansible-playbook start costs seconds); a control run of
the security_services tier in check mode with good input shows that the recorder sees its calls.

The Security Hub standards table of the role (roles/security_services/vars/main.yml) must be the
one of the securityhub module (plugins/module_utils/security_services.py): checked here too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))

from awslab import MotoServer  # noqa: E402  pylint: disable=wrong-import-position

TAGS = "security_services,app_services,monitoring"
# case -> (extra vars, the variables the failure must name). Bad values of one tier are given
# together where they do not hide each other: its validation reports every problem at once.
CASES = {
    "retention below the floor": ({"monitoring_log_retention_days": 180}, ["monitoring_log_retention_days"]),
    "production floor": (
        {"monitoring_log_retention_days": 90, "monitoring_min_log_retention_days": 30, "monitoring_environment": "production"},
        ["monitoring_log_retention_days"],
    ),
    "retention CloudWatch refuses, key alias": (
        {"monitoring_log_retention_days": 42, "monitoring_logs_kms_key_arn": "alias/healthplatform-lab-logs"},
        ["monitoring_log_retention_days", "monitoring_logs_kms_key_arn"],
    ),
    "unknown standard and version": (
        {"security_services_securityhub_standards": [{"name": "cis-aws-foundation-benchmark", "version": "3.0.0"}, {"name": "pci-dss", "version": "9.9"}]},
        ["security_services_securityhub_standards[0]", "security_services_securityhub_standards[1]"],
    ),
    "production without FSBP": ({"security_services_environment": "production"}, ["security_services_securityhub_standards"]),
    "unknown GuardDuty feature": ({"security_services_guardduty_features": [{"name": "S3_DATA_EVENT"}]}, ["security_services_guardduty_features"]),
    "unknown Inspector resource type": ({"security_services_inspector_resource_types": ["EC2", "LAMBDAS"]}, ["security_services_inspector_resource_types"]),
    "secret, bad subscription, bad domain": (
        {
            "app_services_scheduling_environment": {"DB_PASSWORD": "hunter2"},
            "app_services_alerts_subscriptions": [{"protocol": "email", "endpoint": "oncall"}],
            "app_services_ses_domain": "Mail Server",
        },
        ["app_services_scheduling_environment", "app_services_alerts_subscriptions[0]", "app_services_ses_domain"],
    ),
}


def playbook(server, extra_vars, *args, tags=TAGS):
    env = dict(os.environ, AWS_ENDPOINT_URL=server.endpoint, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_FORCE_COLOR="0", ANSIBLE_NOCOLOR="1")
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
        env.pop(name, None)
    command = ["ansible-playbook", "-i", os.path.join(ROOT, "inventories", "lab"), os.path.join(ROOT, "playbooks", "site.yml"), "--tags", tags, *args]
    if extra_vars:
        command += ["-e", json.dumps(extra_vars)]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.fixture(scope="module")
def runs():
    """Every case run at once against one emulator: ({case: (rc, output)}, control (rc, output), recorded calls)."""
    server = MotoServer().start()
    try:
        server.start_recording()
        processes = {case: playbook(server, extra) for case, (extra, _name) in CASES.items()}
        control = playbook(server, {}, "--check", tags="security_services")
        results = {case: (p.wait(600), p.stdout.read()) for case, p in processes.items()}
        control_result = (control.wait(600), control.stdout.read())
        calls = server.stop_recording()
    finally:
        server.stop()
    return results, control_result, calls


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_fails_naming_the_variable(runs, case):
    results, _control, _calls = runs
    rc, output = results[case]
    assert rc != 0, output[-2000:]
    failure = output[output.index("fatal:") :] if "fatal:" in output else output
    for variable in CASES[case][1]:
        assert variable in failure, failure[-2000:]
    assert "hunter2" not in output, "a secret-looking value is never printed"
    fatal = output.index("fatal:")
    failing_task = output[output.rindex("TASK [", 0, fatal) : fatal]
    assert "arg spec 'validate'" in failing_task or "before any change" in failing_task, failing_task
    first_role = output.find("arg spec 'main'")
    assert first_role == -1 or fatal < first_role, "the run stops in the pre_tasks, before the first tier starts"


def test_no_bad_input_makes_a_mutating_call(runs):
    _results, control, calls = runs
    assert control[0] == 0, control[1][-3000:]
    assert any(c["service"] == "guardduty" for c in calls), "the control run's reads were recorded"
    assert [f"{c['service']}:{c['operation']}" for c in calls if c["mutating"]] == []


def test_role_standards_table_is_the_modules():
    from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import SECURITYHUB_STANDARDS

    with open(os.path.join(ROOT, "roles", "security_services", "vars", "main.yml"), encoding="utf-8") as handle:
        table = yaml.safe_load(handle)["__security_services_securityhub_standards"]
    assert {name: tuple(versions) for name, versions in table.items()} == SECURITYHUB_STANDARDS


def test_role_guardduty_and_inspector_choices_are_the_api_models():
    import botocore.session

    session = botocore.session.get_session()

    def enum(service, operation, *path):
        shape = session.get_service_model(service).operation_model(operation).input_shape
        for name in path:
            while shape.type_name == "list":
                shape = shape.member
            shape = shape.members[name]
        while shape.type_name == "list":
            shape = shape.member
        return set(shape.enum)

    with open(os.path.join(ROOT, "roles", "security_services", "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        options = yaml.safe_load(handle)["argument_specs"]["main"]["options"]
    features = set(options["security_services_guardduty_features"]["options"]["name"]["choices"])
    assert features <= enum("guardduty", "UpdateDetector", "Features", "Name")
    assert {"S3_DATA_EVENTS", "RDS_LOGIN_EVENTS", "EBS_MALWARE_PROTECTION"} <= features
    assert set(options["security_services_inspector_resource_types"]["choices"]) <= enum("inspector2", "Enable", "resourceTypes")
