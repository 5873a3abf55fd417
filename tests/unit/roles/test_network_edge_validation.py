# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input to the network and edge tiers fails before any change, naming the variable.

Runs playbooks/site.yml (--tags network,edge) with the lab inventory and one bad variable
against a moto server, with moto's request recorder on: the run must fail with a message
that names the variable, and the emulator must have seen no mutating call (indeed no call
at all but the lab inventory's DescribeInstances when ansible-playbook starts). The validation itself is unit-tested in tests/unit/plugins/filter/.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))

GOOD_SUBNETS = {"public": ["10.40.0.0/24", "10.40.1.0/24"], "app": ["10.40.10.0/24", "10.40.11.0/24"], "data": ["10.40.20.0/24", "10.40.21.0/24"]}
DNS_RULES = [
    {"name": "block-malware", "priority": 100, "action": "BLOCK", "firewall_domain_list": "AWSManagedDomainsMalwareDomainList"},
    {"name": "block-custom", "priority": 100, "action": "BLOCK", "firewall_domain_list": "healthplatform-lab-deny"},
]


def run_site(moto, tmp_path, extra_vars):
    moto.reset()
    path = tmp_path / "extra-vars.json"
    path.write_text(json.dumps(extra_vars), encoding="utf-8")
    env = dict(os.environ, AWS_ENDPOINT_URL=moto.endpoint, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_FORCE_COLOR="0", ANSIBLE_NOCOLOR="1")
    env.pop("ANSIBLE_CALLBACKS_ENABLED", None)
    command = [
        "ansible-playbook",
        "-i",
        os.path.join(REPO, "inventories", "lab"),
        os.path.join(REPO, "playbooks", "site.yml"),
        "--tags",
        "network,edge",
        "-e",
        f"@{path}",
    ]
    moto.start_recording()
    try:
        result = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, check=False, timeout=300)
    finally:
        calls = moto.stop_recording()
    return result, calls


def assert_no_call_but_the_inventory(calls):
    """The aws_ec2 inventory of inventories/lab reads the instances when ansible-playbook starts; nothing else may reach the API."""
    assert [c for c in calls if c["mutating"]] == [], "no mutating call may happen"
    others = [f"{c['service']}:{c['operation']}" for c in calls if (c["service"], c["operation"]) != ("ec2", "DescribeInstances")]
    assert others == [], f"validation must come before any API call, saw {others}"


@pytest.mark.parametrize(
    "extra_vars, expected",
    [
        pytest.param(
            {"network_subnets": {**GOOD_SUBNETS, "data": ["10.40.10.128/25", "10.40.21.0/24"]}},
            "network_subnets.data[0] 10.40.10.128/25 overlaps network_subnets.app[0]",
            id="overlapping-subnets",
        ),
        pytest.param(
            {"network_subnets": {**GOOD_SUBNETS, "app": ["10.40.10.0/24", "10.99.11.0/24"]}},
            "network_subnets.app[1] 10.99.11.0/24 is outside the VPC CIDR",
            id="subnet-outside-vpc",
        ),
        pytest.param(
            {
                "network_environment": "production",
                "network_azs": ["us-east-1a"],
                "network_subnets": {k: v[:1] for k, v in GOOD_SUBNETS.items()},
                "network_min_azs": 1,
            },
            "network_azs must name at least 2 distinct availability zones",
            id="one-az-in-production",
        ),
        pytest.param({"network_dns_firewall_rules": DNS_RULES}, "network_dns_firewall_rules: priority 100 is used twice", id="priority-twice"),
        pytest.param({"edge_alb_ssl_policy": "ELBSecurityPolicy-2016-08"}, "edge_alb_ssl_policy ELBSecurityPolicy-2016-08 allows TLS 1.0 or 1.1", id="old-tls"),
        pytest.param(
            {
                "edge_waf_managed_rule_groups": [
                    {"name": "AWSManagedRulesCommonRuleSet", "priority": 10},
                    {"name": "AWSManagedRulesSQLiRuleSet", "priority": 10},
                ]
            },
            "edge_waf_managed_rule_groups: priority 10 is used twice",
            id="waf-priority-twice",
        ),
    ],
)
def test_bad_input_fails_before_any_call(moto, tmp_path, extra_vars, expected):
    result, calls = run_site(moto, tmp_path, extra_vars)

    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert expected in output, output[-3000:]
    assert_no_call_but_the_inventory(calls)


def test_invalid_domain_in_the_deny_list_file(moto, tmp_path):
    deny_list = tmp_path / "deny.txt"
    deny_list.write_text("# platform deny list\nmalware.example\nnot a domain\n", encoding="utf-8")

    result, calls = run_site(moto, tmp_path, {"network_dns_firewall_domains_file": str(deny_list)})

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"network_dns_firewall_domains_file {deny_list} line 3: 'not a domain' is not a valid domain name" in output, output[-3000:]
    assert_no_call_but_the_inventory(calls)
