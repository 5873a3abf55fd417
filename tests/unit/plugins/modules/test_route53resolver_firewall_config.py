# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""route53resolver_firewall_config and its _info module, with botocore's Stubber.

moto 5.2.5 implements none of the Route 53 Resolver DNS Firewall APIs
(GetFirewallConfig, UpdateFirewallConfig, ListFirewallConfigs answer HTTP 500),
so these tests queue the AWS responses on a Stubber. The Stubber validates every
request and every queued response against the real botocore model and fails on
any call that was not queued: a test that queues only the read proves that the
module made no change.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import route53resolver_firewall_config as fc
from ansible_collections.healthplatform.aws.plugins.modules import route53resolver_firewall_config_info as fc_info

RR = "route53resolver"
VPC = "vpc-0a0a0a0a0a0a0a0a0"
OTHER_VPC = "vpc-0b0b0b0b0b0b0b0b0"


@pytest.fixture
def r53r(stubbed):
    return stubbed(RR)


def api_calls(stubbed):
    calls = []
    stubbed.clients[RR][0].meta.events.register("before-parameter-build.route53resolver", lambda model, **kw: calls.append(model.name))
    return calls


def config(fail_open, vpc=VPC):
    return {"Id": f"rslvr-fc-{vpc[-8:]}", "ResourceId": vpc, "OwnerId": "123456789012", "FirewallFailOpen": fail_open}


def test_update_when_different(stubbed, r53r):
    r53r.add_response("get_firewall_config", {"FirewallConfig": config("ENABLED")}, {"ResourceId": VPC})
    r53r.add_response("update_firewall_config", {"FirewallConfig": config("DISABLED")}, {"ResourceId": VPC, "FirewallFailOpen": "DISABLED"})

    result = stubbed.run(fc.main, {"vpc_id": VPC, "firewall_fail_open": "DISABLED"}, diff=True)

    assert result["changed"] is True, result
    assert result["firewall_config"]["firewall_fail_open"] == "DISABLED"
    assert result["diff"] == {"before": {"firewall_fail_open": "ENABLED"}, "after": {"firewall_fail_open": "DISABLED"}}
    stubbed.assert_all_used()


def test_no_change_only_reads(stubbed, r53r):
    r53r.add_response("get_firewall_config", {"FirewallConfig": config("DISABLED")}, {"ResourceId": VPC})

    result = stubbed.run(fc.main, {"vpc_id": VPC, "firewall_fail_open": "DISABLED"})

    assert result["changed"] is False, result
    assert result["firewall_config"]["resource_id"] == VPC
    stubbed.assert_all_used()


def test_check_mode_only_reads(stubbed, r53r):
    r53r.add_response("get_firewall_config", {"FirewallConfig": config("DISABLED")}, {"ResourceId": VPC})

    result = stubbed.run(fc.main, {"vpc_id": VPC, "firewall_fail_open": "ENABLED"}, check_mode=True)

    assert result["changed"] is True, result
    assert result["firewall_config"]["firewall_fail_open"] == "ENABLED"
    stubbed.assert_all_used()


@pytest.mark.parametrize(
    "args, expected",
    [
        ({"vpc_id": "vpc-1", "firewall_fail_open": "ENABLED"}, "vpc_id must be a VPC ID"),
        ({"vpc_id": VPC, "firewall_fail_open": "OPEN"}, "firewall_fail_open"),
        ({"vpc_id": VPC}, "firewall_fail_open"),
    ],
)
def test_bad_input_fails_before_any_call(stubbed, r53r, args, expected):
    calls = api_calls(stubbed)

    result = stubbed.run(fc.main, args)

    assert result.failed
    assert expected in result["msg"]
    assert calls == []


def test_info_for_given_vpcs(stubbed, r53r):
    r53r.add_response("get_firewall_config", {"FirewallConfig": config("DISABLED")}, {"ResourceId": VPC})
    r53r.add_response("get_firewall_config", {"FirewallConfig": config("ENABLED", OTHER_VPC)}, {"ResourceId": OTHER_VPC})

    result = stubbed.run(fc_info.main, {"vpc_ids": [VPC, OTHER_VPC]})

    assert result["changed"] is False
    assert [(c["resource_id"], c["firewall_fail_open"]) for c in result["firewall_configs"]] == [(VPC, "DISABLED"), (OTHER_VPC, "ENABLED")]
    stubbed.assert_all_used()


def test_info_lists_all_pages(stubbed, r53r):
    r53r.add_response("list_firewall_configs", {"FirewallConfigs": [config("ENABLED", OTHER_VPC)], "NextToken": "page-2"}, {})
    r53r.add_response("list_firewall_configs", {"FirewallConfigs": [config("DISABLED")]}, {"NextToken": "page-2"})

    result = stubbed.run(fc_info.main, {})

    assert [c["resource_id"] for c in result["firewall_configs"]] == [VPC, OTHER_VPC]
    stubbed.assert_all_used()


def test_info_bad_vpc_id_fails_before_any_call(stubbed, r53r):
    calls = api_calls(stubbed)

    result = stubbed.run(fc_info.main, {"vpc_ids": [VPC, "my-vpc"]})

    assert result.failed and "vpc_ids[1]" in result["msg"]
    assert calls == []
