# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input to the compute role fails before any change, naming the variable.

Runs playbooks/site.yml with the lab's group_vars against a throwaway moto server (the ``lab``
fixture of tests/unit/roles/conftest.py) whose request recorder proves that no mutating API
call was made: the role's checks run as a pre-task of the whole platform (before the network
tier starts), and the subnet check again at the start of the role.
"""

from __future__ import annotations

import json

import pytest

ONE_SUBNET = ["subnet-0a0a0a0a0a0a0a0a0"]
TWO_SUBNETS = ["subnet-0a0a0a0a0a0a0a0a0", "subnet-0b0b0b0b0b0b0b0b0"]


@pytest.mark.parametrize(
    "tags, extra_vars, expected",
    [
        pytest.param(
            "network,compute",
            {"compute_min_size": 5, "compute_max_size": 3, "compute_desired_capacity": 4},
            "compute_min_size (5) is above compute_max_size (3)",
            id="min-above-max",
        ),
        pytest.param("compute", {"compute_desired_capacity": 9}, "compute_desired_capacity (9) must lie between", id="desired-outside"),
        pytest.param(
            "compute",
            {"hp_environment": "production", "compute_subnet_ids": ONE_SUBNET},
            "compute_subnet_ids names 1 subnet(s), one per availability zone: the web tier must span at least 2 availability zones in production",
            id="one-zone-in-production",
        ),
        pytest.param(
            "compute",
            {"hp_environment": "production", "compute_subnet_ids": ONE_SUBNET, "compute_min_azs": 1},
            "must span at least 2 availability zones in production",
            id="production-floor-of-two-zones",
        ),
        pytest.param(
            "network,compute",
            {"compute_http_tokens": "optional"},
            "compute_http_tokens is optional: IMDSv1 must not be allowed (HP-18)",
            id="imdsv1",
        ),
        pytest.param(
            "compute",
            {"hp_environment": "production", "compute_subnet_ids": TWO_SUBNETS, "compute_health_check_type": "EC2"},
            "compute_health_check_type is EC2",
            id="ec2-health-checks-in-production",
        ),
        pytest.param("compute", {"compute_ami_id": "ubuntu-22.04"}, "compute_ami_id must be an AMI ID", id="bad-ami"),
        pytest.param("compute", {"compute_termination_hook_timeout": 5}, "compute_termination_hook_timeout", id="hook-timeout"),
        pytest.param("compute", {"compute_min_size": "many"}, "compute_min_size", id="argument-spec-type"),
        pytest.param("compute", {}, "compute_subnet_ids is empty", id="no-network-tier"),
    ],
)
def test_bad_input_fails_before_any_change(lab, tags, extra_vars, expected):
    rc, output, calls = lab.run("--tags", tags, "-e", json.dumps(extra_vars))

    assert rc != 0, output[-3000:]
    assert expected in output, output[-3000:]
    assert lab.mutating(calls) == [], f"bad input must fail before any change, made {lab.mutating(calls)}"


def test_secret_in_user_data_fails_and_is_never_printed(lab):
    secret = "Sup3rS3cretValue"
    user_data = f"#!/bin/bash\necho 'DB_PASSWORD={secret}' > /etc/app.env\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
    rc, output, calls = lab.run("--tags", "network,compute", "-e", json.dumps({"compute_user_data": user_data}), "-vvv")

    assert rc != 0
    assert "compute_user_data looks like it holds a secret (AWS access key ID, password or secret assignment)" in output
    assert lab.mutating(calls) == []
    # the message names the kinds of secret, never the values
    assert secret not in output.split("compute_user_data looks like", 1)[1]


def test_good_input_passes_the_checks(lab, tmp_path):
    """The checks above can fail only because of the bad value: the lab's own settings pass them."""
    playbook = tmp_path / "validate-compute.yml"
    playbook.write_text(
        "- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n"
        "    - ansible.builtin.include_role:\n        name: healthplatform.aws.compute\n        tasks_from: validate.yml\n",
        encoding="utf-8",
    )
    for extra in ({}, {"hp_environment": "production", "compute_subnet_ids": TWO_SUBNETS}):
        rc, output, calls = lab.run("-e", json.dumps(extra), playbook=str(playbook))
        assert rc == 0, output[-3000:]
        assert calls == []
