# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""route53resolver_firewall_domain_list and its _info module, with botocore's Stubber.

moto 5.2.5 implements none of the Route 53 Resolver DNS Firewall APIs
(ListFirewallDomainLists, CreateFirewallDomainList, UpdateFirewallDomains, ...
answer HTTP 500), so these tests queue the AWS responses on a Stubber. The
Stubber validates every request and every queued response against the real
botocore model, and fails on any call that was not queued: a test that queues
only reads proves that the module made no change.
"""

from __future__ import annotations

import pytest
from botocore.stub import ANY

from ansible_collections.healthplatform.aws.plugins.module_utils import route53resolver
from ansible_collections.healthplatform.aws.plugins.modules import route53resolver_firewall_domain_list as fdl
from ansible_collections.healthplatform.aws.plugins.modules import route53resolver_firewall_domain_list_info as fdl_info

RR = "route53resolver"
NAME = "hp-deny"
LIST_ID = "rslvr-fdl-0123456789abcdef"
ARN = f"arn:aws:route53resolver:us-east-1:123456789012:firewall-domain-list/{LIST_ID}"
MALWARE = {
    "Id": "rslvr-fdl-2c46f2ecbfec4dcc",
    "Arn": "arn:aws:route53resolver:us-east-1:123456789012:firewall-domain-list/rslvr-fdl-2c46f2ecbfec4dcc",
    "Name": "AWSManagedDomainsMalwareDomainList",
    "ManagedOwnerName": "Route 53 Resolver DNS Firewall",
    "ManagedListType": "THREAT",
}
BOTNET = dict(MALWARE, Id="rslvr-fdl-aa970e9e1c494d7e", Name="AWSManagedDomainsBotnetCommandandControl")
BOTNET["Arn"] = MALWARE["Arn"].replace(MALWARE["Id"], BOTNET["Id"])


@pytest.fixture
def r53r(stubbed, monkeypatch):
    pauses = []
    monkeypatch.setattr(route53resolver, "_pause", pauses.append)
    stubber = stubbed(RR)
    stubber.pauses = pauses
    return stubber


def api_calls(stubbed):
    """Every API call the module attempts (queued or not), by operation name."""
    calls = []
    client = stubbed.clients[RR][0]
    client.meta.events.register("before-parameter-build.route53resolver", lambda model, **kw: calls.append(model.name))
    return calls


def summary(**extra):
    result = {"Id": LIST_ID, "Arn": ARN, "Name": NAME, "CreatorRequestId": "req-1"}
    result.update(extra)
    return result


def described(status="COMPLETE", count=2):
    return {"FirewallDomainList": summary(DomainCount=count, Status=status)}


def queue_existing(stubber, domains, tags=None):
    stubber.add_response("list_firewall_domain_lists", {"FirewallDomainLists": [MALWARE, summary()]}, {})
    stubber.add_response("get_firewall_domain_list", described(count=len(domains)), {"FirewallDomainListId": LIST_ID})
    stubber.add_response("list_firewall_domains", {"Domains": domains}, {"FirewallDomainListId": LIST_ID})
    if tags is not None:
        stubber.add_response("list_tags_for_resource", {"Tags": tags}, {"ResourceArn": ARN})


def test_create_inline_with_tags_waits_for_complete(stubbed, r53r):
    r53r.add_response("list_firewall_domain_lists", {"FirewallDomainLists": [MALWARE]}, {})
    r53r.add_response(
        "create_firewall_domain_list",
        {"FirewallDomainList": summary(DomainCount=0, Status="COMPLETE")},
        {"Name": NAME, "CreatorRequestId": ANY, "Tags": [{"Key": "Environment", "Value": "test"}]},
    )
    r53r.add_response(
        "update_firewall_domains",
        {"Id": LIST_ID, "Name": NAME, "Status": "UPDATING"},
        {"FirewallDomainListId": LIST_ID, "Operation": "REPLACE", "Domains": ["*.tracker.example", "malware.example"]},
    )
    r53r.add_response("get_firewall_domain_list", described("UPDATING"), {"FirewallDomainListId": LIST_ID})
    r53r.add_response("get_firewall_domain_list", described("COMPLETE"), {"FirewallDomainListId": LIST_ID})

    result = stubbed.run(fdl.main, {"name": NAME, "domains": ["Malware.Example.", "*.tracker.example"], "tags": {"Environment": "test"}}, diff=True)

    assert result["changed"] is True, result
    assert result["firewall_domain_list"]["id"] == LIST_ID
    assert result["firewall_domain_list"]["status"] == "COMPLETE"
    assert result["firewall_domain_list"]["domains"] == ["*.tracker.example", "malware.example"]
    assert result["firewall_domain_list"]["tags"] == {"Environment": "test"}
    assert result["diff"]["before"] == {}
    assert r53r.pauses == [1]
    stubbed.assert_all_used()


def test_create_from_file_ignores_comments_blanks_and_duplicates(stubbed, r53r, tmp_path):
    path = tmp_path / "deny.txt"
    path.write_text("# platform deny list\n\nmalware.example   # seen 2024-05\nPHISH.example.\n  *.tracker.example\nmalware.example\n", encoding="utf-8")
    r53r.add_response("list_firewall_domain_lists", {"FirewallDomainLists": []}, {})
    r53r.add_response("create_firewall_domain_list", {"FirewallDomainList": summary(DomainCount=0, Status="COMPLETE")}, {"Name": NAME, "CreatorRequestId": ANY})
    r53r.add_response(
        "update_firewall_domains",
        {"Id": LIST_ID, "Name": NAME, "Status": "UPDATING"},
        {"FirewallDomainListId": LIST_ID, "Operation": "REPLACE", "Domains": ["*.tracker.example", "malware.example", "phish.example"]},
    )
    r53r.add_response("get_firewall_domain_list", described("COMPLETE", 3), {"FirewallDomainListId": LIST_ID})

    result = stubbed.run(fdl.main, {"name": NAME, "domains_file": str(path)})

    assert result["changed"] is True, result
    assert result["firewall_domain_list"]["domain_count"] == 3
    assert "tags" not in result["firewall_domain_list"], "tags are not read when not managed"
    assert r53r.pauses == []
    stubbed.assert_all_used()


def test_no_change_only_reads(stubbed, r53r):
    # AWS reports fully qualified names; case and trailing dots do not count as a difference
    queue_existing(r53r, ["malware.example.", "*.tracker.example."], tags=[{"Key": "Environment", "Value": "test"}])

    result = stubbed.run(fdl.main, {"name": NAME, "domains": ["*.TRACKER.example", "malware.example"], "tags": {"Environment": "test"}})

    assert result["changed"] is False, result
    assert result["firewall_domain_list"]["domains"] == ["*.tracker.example", "malware.example"]
    stubbed.assert_all_used()


def test_update_replaces_domains_and_tags(stubbed, r53r):
    queue_existing(r53r, ["malware.example.", "old.example."], tags=[{"Key": "Environment", "Value": "test"}])
    r53r.add_response("tag_resource", {}, {"ResourceArn": ARN, "Tags": [{"Key": "Owner", "Value": "security"}]})
    r53r.add_response(
        "update_firewall_domains",
        {"Id": LIST_ID, "Name": NAME, "Status": "UPDATING"},
        {"FirewallDomainListId": LIST_ID, "Operation": "REPLACE", "Domains": ["malware.example", "new.example"]},
    )
    r53r.add_response("get_firewall_domain_list", described("COMPLETE"), {"FirewallDomainListId": LIST_ID})

    result = stubbed.run(fdl.main, {"name": NAME, "domains": ["malware.example", "new.example"], "tags": {"Owner": "security"}, "purge_tags": False}, diff=True)

    assert result["changed"] is True, result
    assert result["diff"]["before"]["domains"] == ["malware.example", "old.example"]
    assert result["diff"]["after"]["domains"] == ["malware.example", "new.example"]
    assert result["firewall_domain_list"]["tags"] == {"Environment": "test", "Owner": "security"}
    stubbed.assert_all_used()


def test_update_without_wait_does_not_poll(stubbed, r53r):
    queue_existing(r53r, ["old.example."])
    r53r.add_response(
        "update_firewall_domains",
        {"Id": LIST_ID, "Name": NAME, "Status": "UPDATING"},
        {"FirewallDomainListId": LIST_ID, "Operation": "REPLACE", "Domains": ["new.example"]},
    )
    r53r.add_response("get_firewall_domain_list", described("UPDATING", 1), {"FirewallDomainListId": LIST_ID})

    result = stubbed.run(fdl.main, {"name": NAME, "domains": ["new.example"], "wait": False})

    assert result["changed"] is True, result
    assert result["firewall_domain_list"]["status"] == "UPDATING"
    assert r53r.pauses == []
    stubbed.assert_all_used()


def test_large_list_is_updated_in_batches_adding_first(stubbed, r53r):
    current = [f"d{n:04d}.example." for n in range(0, 1500)]
    wanted = [f"d{n:04d}.example" for n in range(500, 2600)]
    queue_existing(r53r, current)
    added = sorted(f"d{n:04d}.example" for n in range(1500, 2600))
    removed = sorted(f"d{n:04d}.example" for n in range(0, 500))
    batches = [("ADD", added[:1000]), ("ADD", added[1000:]), ("REMOVE", removed)]
    for index, (operation, domains) in enumerate(batches):
        if index:
            r53r.add_response("get_firewall_domain_list", described("COMPLETE"), {"FirewallDomainListId": LIST_ID})
        r53r.add_response(
            "update_firewall_domains",
            {"Id": LIST_ID, "Name": NAME, "Status": "UPDATING"},
            {"FirewallDomainListId": LIST_ID, "Operation": operation, "Domains": domains},
        )
    r53r.add_response("get_firewall_domain_list", described("COMPLETE", 2100), {"FirewallDomainListId": LIST_ID})

    result = stubbed.run(fdl.main, {"name": NAME, "domains": wanted})

    assert result["changed"] is True, result
    assert len(result["firewall_domain_list"]["domains"]) == 2100
    stubbed.assert_all_used()


def test_delete(stubbed, r53r):
    queue_existing(r53r, ["malware.example."])
    r53r.add_response("delete_firewall_domain_list", described("DELETING", 1), {"FirewallDomainListId": LIST_ID})

    result = stubbed.run(fdl.main, {"name": NAME, "state": "absent"}, diff=True)

    assert result["changed"] is True, result
    assert result["firewall_domain_list"] == {}
    assert result["diff"]["before"]["domains"] == ["malware.example"]
    stubbed.assert_all_used()


def test_delete_when_absent_is_a_no_op(stubbed, r53r):
    r53r.add_response("list_firewall_domain_lists", {"FirewallDomainLists": [MALWARE]}, {})

    result = stubbed.run(fdl.main, {"name": NAME, "state": "absent"})

    assert result["changed"] is False, result
    stubbed.assert_all_used()


def test_check_mode_create_update_delete_only_read(stubbed, r53r):
    r53r.add_response("list_firewall_domain_lists", {"FirewallDomainLists": []}, {})
    create = stubbed.run(fdl.main, {"name": NAME, "domains": ["malware.example"]}, check_mode=True)
    stubbed.assert_all_used()

    queue_existing(r53r, ["malware.example."], tags=[])
    update = stubbed.run(fdl.main, {"name": NAME, "domains": ["other.example"], "tags": {"New": "tag"}}, check_mode=True)
    stubbed.assert_all_used()

    queue_existing(r53r, ["malware.example."])
    delete = stubbed.run(fdl.main, {"name": NAME, "state": "absent"}, check_mode=True)
    stubbed.assert_all_used()

    assert create["changed"] is True and create["firewall_domain_list"]["domains"] == ["malware.example"]
    assert update["changed"] is True and update["firewall_domain_list"]["domains"] == ["other.example"]
    assert update["firewall_domain_list"]["tags"] == {"New": "tag"}
    assert delete["changed"] is True


def test_managed_list_name_is_refused(stubbed, r53r):
    r53r.add_response("list_firewall_domain_lists", {"FirewallDomainLists": [MALWARE]}, {})

    result = stubbed.run(fdl.main, {"name": "AWSManagedDomainsMalwareDomainList", "domains": ["a.example"]})

    assert result.failed
    assert "AWS managed" in result["msg"] and "name" in result["msg"]
    stubbed.assert_all_used()


@pytest.mark.parametrize(
    "args, expected",
    [
        ({"domains": ["good.example", "bad_domain.example"]}, "domains[1] 'bad_domain.example' is not a valid domain name"),
        ({"domains": ["-lead.example"]}, "domains[0]"),
        ({"domains": ["a..example"]}, "domains[0]"),
        ({"domains": ["*.*.example"]}, "domains[0]"),
        ({"domains": ["x" * 64 + ".example"]}, "longer than 63"),
        ({"domains": [("a" * 62 + ".") * 4 + "example"]}, "longer than 253"),
        ({"domains": [""]}, "domains[0]"),
        ({"name": "deny/list", "domains": ["a.example"]}, "name 'deny/list'"),
        ({"domains": ["a.example"], "wait_timeout": 0}, "wait_timeout"),
        ({}, "domains, domains_file"),
        ({"domains": None}, "domains or domains_file is required"),
        ({"domains": ["a.example"], "domains_file": "/tmp/x"}, "domains|domains_file"),
    ],
)
def test_bad_input_fails_before_any_call(stubbed, r53r, args, expected):
    calls = api_calls(stubbed)

    result = stubbed.run(fdl.main, {"name": NAME, **args})

    assert result.failed
    assert expected in result["msg"]
    assert calls == []
    stubbed.assert_all_used()


def test_bad_line_in_file_names_file_and_line(stubbed, r53r, tmp_path):
    path = tmp_path / "deny.txt"
    path.write_text("# comment\nmalware.example\n\nphish example\n", encoding="utf-8")
    calls = api_calls(stubbed)

    result = stubbed.run(fdl.main, {"name": NAME, "domains_file": str(path)})

    assert result.failed
    assert result["msg"].startswith(f"domains_file {path} line 4: 'phish example' is not a valid domain name")
    assert calls == []


def test_missing_file_fails_before_any_call(stubbed, r53r, tmp_path):
    calls = api_calls(stubbed)

    result = stubbed.run(fdl.main, {"name": NAME, "domains_file": str(tmp_path / "nope.txt")})

    assert result.failed
    assert "domains_file" in result["msg"] and "cannot be read" in result["msg"]
    assert calls == []


@pytest.mark.parametrize(
    "domain",
    ["example.com", "*.example.com", "*", "EXAMPLE.com.", "1password.com", "a-b.c-d.example", "x" * 63 + ".example", ("a" * 62 + ".") * 4 + "e"],
)
def test_valid_domains(domain):
    assert route53resolver.domain_problem(domain) is None


@pytest.mark.parametrize("domain", ["ex ample.com", "exa_mple.com", "a-.example", "ex*ample.com", "*example.com", ".example.com", "*.*", "é.example"])
def test_invalid_domains(domain):
    assert route53resolver.domain_problem(domain) is not None


def test_wildcard_refused_where_not_allowed():
    assert route53resolver.domain_problem("*.example.com", wildcard=False) is not None


# --- info ---------------------------------------------------------------------------


def test_info_lists_custom_and_managed(stubbed, r53r):
    r53r.add_response("list_firewall_domain_lists", {"FirewallDomainLists": [summary(), MALWARE, BOTNET]}, {})

    result = stubbed.run(fdl_info.main, {})

    assert result["changed"] is False
    names = [(d["name"], d["managed"]) for d in result["firewall_domain_lists"]]
    assert names == [("AWSManagedDomainsBotnetCommandandControl", True), ("AWSManagedDomainsMalwareDomainList", True), (NAME, False)]
    stubbed.assert_all_used()


def test_info_filters_by_name_and_type_with_domains_and_tags(stubbed, r53r):
    r53r.add_response("list_firewall_domain_lists", {"FirewallDomainLists": [summary(), MALWARE, BOTNET]}, {})
    r53r.add_response("list_firewall_domains", {"Domains": ["b.example.", "a.example."]}, {"FirewallDomainListId": LIST_ID})
    r53r.add_response("list_tags_for_resource", {"Tags": [{"Key": "Environment", "Value": "test"}]}, {"ResourceArn": ARN})

    result = stubbed.run(fdl_info.main, {"names": [NAME, "AWSManagedDomainsMalwareDomainList"], "include_domains": True, "include_tags": True})
    stubbed.assert_all_used()

    (managed, custom) = result["firewall_domain_lists"]
    assert managed["name"] == "AWSManagedDomainsMalwareDomainList" and "domains" not in managed
    assert custom["domains"] == ["a.example", "b.example"]
    assert custom["tags"] == {"Environment": "test"}

    r53r.add_response("list_firewall_domain_lists", {"FirewallDomainLists": [summary(), MALWARE, BOTNET]}, {})
    managed_only = stubbed.run(fdl_info.main, {"list_type": "managed"})
    assert [d["name"] for d in managed_only["firewall_domain_lists"]] == ["AWSManagedDomainsBotnetCommandandControl", "AWSManagedDomainsMalwareDomainList"]
    stubbed.assert_all_used()
