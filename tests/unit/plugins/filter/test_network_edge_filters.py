# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The validation filters of the network and edge roles: each problem names its variable."""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.filter.domain_list_errors import domain_list_errors
from ansible_collections.healthplatform.aws.plugins.filter.elb_tls_policy_errors import elb_tls_policy_errors
from ansible_collections.healthplatform.aws.plugins.filter.network_plan_errors import network_plan_errors
from ansible_collections.healthplatform.aws.plugins.filter.priority_errors import priority_errors

AZS = ["us-east-1a", "us-east-1b"]
PLAN = {"public": ["10.40.0.0/24", "10.40.1.0/24"], "app": ["10.40.10.0/24", "10.40.11.0/24"], "data": ["10.40.20.0/24", "10.40.21.0/24"]}


def test_sound_plan_has_no_errors():
    assert network_plan_errors(PLAN, "10.40.0.0/16", AZS) == []


@pytest.mark.parametrize(
    "plan, azs, min_azs, expected",
    [
        ({**PLAN, "data": ["10.40.10.0/25", "10.40.21.0/24"]}, AZS, 2, "network_subnets.data[0] 10.40.10.0/25 overlaps network_subnets.app[0]"),
        ({**PLAN, "app": ["10.41.10.0/24", "10.40.11.0/24"]}, AZS, 2, "network_subnets.app[0] 10.41.10.0/24 is outside the VPC CIDR"),
        ({k: v[:1] for k, v in PLAN.items()}, AZS[:1], 2, "network_azs must name at least 2"),
        ({**PLAN, "app": ["10.40.10.0/24"]}, AZS, 2, "network_subnets.app has 1 CIDRs for 2 availability zones"),
    ],
)
def test_plan_errors_name_the_variable(plan, azs, min_azs, expected):
    errors = network_plan_errors(plan, "10.40.0.0/16", azs, min_azs=min_azs)
    assert any(expected in e for e in errors), errors


def test_priorities_sound():
    rules = [{"name": "a", "priority": 100}, {"name": "b", "priority": 200}]
    assert priority_errors(rules, "network_dns_firewall_rules") == []


def test_priority_used_twice():
    rules = [{"name": "block-malware", "priority": 100}, {"name": "block-custom", "priority": "100"}]
    (error,) = priority_errors(rules, "network_dns_firewall_rules")
    assert error.startswith("network_dns_firewall_rules: priority 100 is used twice")
    assert "block-malware" in error and "block-custom" in error


@pytest.mark.parametrize(
    "rules, expected",
    [
        ([{"name": "a", "priority": 1}], "priority 1 is outside 100-9900"),
        ([{"name": "a", "priority": "high"}], "priority 'high' is not an integer"),
        ([{"name": "a", "priority": 100}, {"name": "a", "priority": 200}], "name 'a' is used twice"),
        ([{"priority": 100}], "has no name"),
        ("rules", "must be a list"),
    ],
)
def test_priority_problems(rules, expected):
    errors = priority_errors(rules, "network_dns_firewall_rules", minimum=100, maximum=9900)
    assert any(expected in e for e in errors), errors
    assert all("network_dns_firewall_rules" in e for e in errors)


def test_domains_inline():
    assert domain_list_errors(["malware.example", "*.tracker.example", "*"], "network_dns_firewall_domains") == []
    (error,) = domain_list_errors(["ok.example", "bad_domain.example"], "network_dns_firewall_domains")
    assert error.startswith("network_dns_firewall_domains[1] 'bad_domain.example' is not a valid domain name")


def test_domains_file(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("# deny list\nmalware.example\n\n*.c2.example  # botnet\n", encoding="utf-8")
    assert domain_list_errors(str(good), "network_dns_firewall_domains_file") == []

    bad = tmp_path / "bad.txt"
    bad.write_text("malware.example\nexa mple.org\n-bad-.example\n", encoding="utf-8")
    errors = domain_list_errors(str(bad), "network_dns_firewall_domains_file")
    assert len(errors) == 2
    assert errors[0].startswith(f"network_dns_firewall_domains_file {bad} line 2: 'exa mple.org'")
    assert "line 3" in errors[1]

    (missing,) = domain_list_errors(str(tmp_path / "missing.txt"), "network_dns_firewall_domains_file")
    assert "cannot be read" in missing


@pytest.mark.parametrize(
    "policy",
    [
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        "ELBSecurityPolicy-TLS13-1-3-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
        "ELBSecurityPolicy-TLS-1-2-2017-01",
        "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
        "ELBSecurityPolicy-FS-1-2-Res-2020-10",
    ],
)
def test_tls12_policies_pass(policy):
    assert elb_tls_policy_errors(policy, "edge_alb_ssl_policy") == []


@pytest.mark.parametrize(
    "policy, expected",
    [
        ("ELBSecurityPolicy-2016-08", "allows TLS 1.0 or 1.1"),
        ("ELBSecurityPolicy-TLS13-1-0-2021-06", "allows TLS 1.0 or 1.1"),
        ("ELBSecurityPolicy-TLS13-1-1-2021-06", "allows TLS 1.0 or 1.1"),
        ("ELBSecurityPolicy-TLS-1-1-2017-01", "allows TLS 1.0 or 1.1"),
        ("ELBSecurityPolicy-FS-1-1-2019-08", "allows TLS 1.0 or 1.1"),
        ("ELBSecurityPolicy-FS-2018-06", "allows TLS 1.0 or 1.1"),
        ("ELBSecurityPolicy-2015-05", "allows TLS 1.0 or 1.1"),
        ("my-policy", "is not a known TLS 1.2+ policy"),
        ("", "must name an ELB security policy"),
    ],
)
def test_old_or_unknown_policies_fail(policy, expected):
    (error,) = elb_tls_policy_errors(policy, "edge_alb_ssl_policy")
    assert error.startswith("edge_alb_ssl_policy")
    assert expected in error
