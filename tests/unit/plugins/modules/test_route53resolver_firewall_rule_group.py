# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""route53resolver_firewall_rule_group and its _info module, with botocore's Stubber.

moto 5.2.5 implements none of the Route 53 Resolver DNS Firewall APIs
(ListFirewallRuleGroups, CreateFirewallRule, UpdateFirewallRule, ... answer
HTTP 500), so these tests queue the AWS responses on a Stubber. The Stubber
validates every request and every queued response against the real botocore
model, checks the parameters of each call where the test gives them, and fails
on any call that was not queued: a test that queues only reads proves that the
module made no change, and the queue order proves the order of the changes.
"""

from __future__ import annotations

import pytest
from botocore.stub import ANY

from ansible_collections.healthplatform.aws.plugins.modules import route53resolver_firewall_rule_group as frg
from ansible_collections.healthplatform.aws.plugins.modules import route53resolver_firewall_rule_group_info as frg_info

RR = "route53resolver"
NAME = "hp-dns-firewall"
GROUP_ID = "rslvr-frg-0123456789abcdef"
GROUP_ARN = f"arn:aws:route53resolver:us-east-1:123456789012:firewall-rule-group/{GROUP_ID}"
ARN_PREFIX = "arn:aws:route53resolver:us-east-1:123456789012:firewall-domain-list/"
MALWARE = {
    "Id": "rslvr-fdl-2c46f2ecbfec4dcc",
    "Arn": ARN_PREFIX + "rslvr-fdl-2c46f2ecbfec4dcc",
    "Name": "AWSManagedDomainsMalwareDomainList",
    "ManagedOwnerName": "Route 53 Resolver DNS Firewall",
}
DENY = {"Id": "rslvr-fdl-00000000000deny", "Arn": ARN_PREFIX + "rslvr-fdl-00000000000deny", "Name": "hp-deny"}
ALLOW = {"Id": "rslvr-fdl-0000000000allow", "Arn": ARN_PREFIX + "rslvr-fdl-0000000000allow", "Name": "hp-allow"}
DOMAIN_LISTS = [MALWARE, DENY, ALLOW]


@pytest.fixture
def r53r(stubbed):
    return stubbed(RR)


def api_calls(stubbed):
    calls = []
    stubbed.clients[RR][0].meta.events.register("before-parameter-build.route53resolver", lambda model, **kw: calls.append(model.name))
    return calls


def group(**extra):
    result = {"Id": GROUP_ID, "Arn": GROUP_ARN, "Name": NAME, "RuleCount": 2, "Status": "COMPLETE", "ShareStatus": "NOT_SHARED", "OwnerId": "123456789012"}
    result.update(extra)
    return result


def aws_rule(name, priority, action, domain_list, **extra):
    result = {"FirewallRuleGroupId": GROUP_ID, "FirewallDomainListId": domain_list["Id"], "Name": name, "Priority": priority, "Action": action}
    if action == "BLOCK":
        result["BlockResponse"] = "NODATA"
    result["FirewallDomainRedirectionAction"] = "INSPECT_REDIRECTION_DOMAIN"
    result.update(extra)
    return result


# The rules as they exist in the tests' "existing" group, and the same rules as module options.
EXISTING = [aws_rule("allow-deps", 100, "ALLOW", ALLOW), aws_rule("block-malware", 200, "BLOCK", MALWARE, BlockResponse="NXDOMAIN")]
RULES = [
    {"name": "allow-deps", "priority": 100, "action": "ALLOW", "firewall_domain_list": "hp-allow"},
    {"name": "block-malware", "priority": 200, "action": "BLOCK", "block_response": "NXDOMAIN", "firewall_domain_list": "AWSManagedDomainsMalwareDomainList"},
]


def queue_existing(stubber, rules=None, tags=None, resolve=True):
    rules = EXISTING if rules is None else rules
    if resolve:
        stubber.add_response("list_firewall_domain_lists", {"FirewallDomainLists": DOMAIN_LISTS}, {})
    stubber.add_response(
        "list_firewall_rule_groups", {"FirewallRuleGroups": [{"Id": GROUP_ID, "Arn": GROUP_ARN, "Name": NAME, "ShareStatus": "NOT_SHARED"}]}, {}
    )
    stubber.add_response("get_firewall_rule_group", {"FirewallRuleGroup": group(RuleCount=len(rules))}, {"FirewallRuleGroupId": GROUP_ID})
    stubber.add_response("list_firewall_rules", {"FirewallRules": rules}, {"FirewallRuleGroupId": GROUP_ID})
    if tags is not None:
        stubber.add_response("list_tags_for_resource", {"Tags": tags}, {"ResourceArn": GROUP_ARN})


def queue_after(stubber, rules):
    stubber.add_response("get_firewall_rule_group", {"FirewallRuleGroup": group(RuleCount=len(rules))}, {"FirewallRuleGroupId": GROUP_ID})
    stubber.add_response("list_firewall_rules", {"FirewallRules": rules}, {"FirewallRuleGroupId": GROUP_ID})


def expect_update(stubber, domain_list, **fields):
    request = {"FirewallRuleGroupId": GROUP_ID, "FirewallDomainListId": domain_list["Id"]}
    request.update(fields)
    stubber.add_response("update_firewall_rule", {"FirewallRule": aws_rule(fields.get("Name", "x"), fields["Priority"], "ALLOW", domain_list)}, request)


def test_create_group_with_rules_and_tags(stubbed, r53r):
    r53r.add_response("list_firewall_domain_lists", {"FirewallDomainLists": DOMAIN_LISTS}, {})
    r53r.add_response("list_firewall_rule_groups", {"FirewallRuleGroups": []}, {})
    r53r.add_response(
        "create_firewall_rule_group",
        {"FirewallRuleGroup": group(RuleCount=0)},
        {"Name": NAME, "CreatorRequestId": ANY, "Tags": [{"Key": "Environment", "Value": "test"}]},
    )
    rules = RULES + [
        {
            "name": "block-deny",
            "priority": 300,
            "action": "BLOCK",
            "block_response": "OVERRIDE",
            "block_override_domain": "sinkhole.example",
            "block_override_ttl": 60,
            "firewall_domain_list": DENY["Id"],
            "qtype": "a",
            "firewall_domain_redirection_action": "TRUST_REDIRECTION_DOMAIN",
        }
    ]
    created = EXISTING + [
        aws_rule(
            "block-deny",
            300,
            "BLOCK",
            DENY,
            BlockResponse="OVERRIDE",
            BlockOverrideDomain="sinkhole.example.",
            BlockOverrideTtl=60,
            BlockOverrideDnsType="CNAME",
            Qtype="A",
            FirewallDomainRedirectionAction="TRUST_REDIRECTION_DOMAIN",
        )
    ]
    requests = [
        {"Name": "allow-deps", "Priority": 100, "Action": "ALLOW", "FirewallDomainListId": ALLOW["Id"]},
        {"Name": "block-malware", "Priority": 200, "Action": "BLOCK", "BlockResponse": "NXDOMAIN", "FirewallDomainListId": MALWARE["Id"]},
        {
            "Name": "block-deny",
            "Priority": 300,
            "Action": "BLOCK",
            "FirewallDomainListId": DENY["Id"],
            "BlockResponse": "OVERRIDE",
            "BlockOverrideDomain": "sinkhole.example",
            "BlockOverrideTtl": 60,
            "BlockOverrideDnsType": "CNAME",
            "Qtype": "A",
            "FirewallDomainRedirectionAction": "TRUST_REDIRECTION_DOMAIN",
        },
    ]
    for request, response in zip(requests, created):
        r53r.add_response("create_firewall_rule", {"FirewallRule": response}, dict(request, FirewallRuleGroupId=GROUP_ID, CreatorRequestId=ANY))
    queue_after(r53r, created)

    result = stubbed.run(frg.main, {"name": NAME, "rules": rules, "tags": {"Environment": "test"}})

    assert result["changed"] is True, result
    out = result["firewall_rule_group"]
    assert out["id"] == GROUP_ID
    assert out["tags"] == {"Environment": "test"}
    assert [(r["name"], r["priority"], r["action"]) for r in out["rules"]] == [
        ("allow-deps", 100, "ALLOW"),
        ("block-malware", 200, "BLOCK"),
        ("block-deny", 300, "BLOCK"),
    ]
    assert out["rules"][1]["firewall_domain_list_name"] == "AWSManagedDomainsMalwareDomainList"
    stubbed.assert_all_used()


def test_create_group_without_rules(stubbed, r53r):
    r53r.add_response("list_firewall_rule_groups", {"FirewallRuleGroups": []}, {})
    r53r.add_response("create_firewall_rule_group", {"FirewallRuleGroup": group(RuleCount=0)}, {"Name": NAME, "CreatorRequestId": ANY})
    r53r.add_response("get_firewall_rule_group", {"FirewallRuleGroup": group(RuleCount=0)}, {"FirewallRuleGroupId": GROUP_ID})

    result = stubbed.run(frg.main, {"name": NAME})

    assert result["changed"] is True, result
    assert result["firewall_rule_group"]["rules"] == []
    stubbed.assert_all_used()


def test_no_change_only_reads(stubbed, r53r):
    override = aws_rule(
        "block-deny", 300, "BLOCK", DENY, BlockResponse="OVERRIDE", BlockOverrideDomain="Sinkhole.Example.", BlockOverrideTtl=60, BlockOverrideDnsType="CNAME"
    )
    queue_existing(r53r, EXISTING + [override], tags=[{"Key": "Environment", "Value": "test"}])
    rules = RULES + [
        {
            "name": "block-deny",
            "priority": 300,
            "action": "BLOCK",
            "block_response": "OVERRIDE",
            "block_override_domain": "sinkhole.example",
            "block_override_ttl": 60,
            "domain_list": "hp-deny",
        }
    ]

    result = stubbed.run(frg.main, {"name": NAME, "rules": rules, "tags": {"Environment": "test"}})

    assert result["changed"] is False, result
    assert len(result["firewall_rule_group"]["rules"]) == 3
    stubbed.assert_all_used()


def test_rules_omitted_leaves_rules_alone(stubbed, r53r):
    queue_existing(r53r, resolve=False)

    result = stubbed.run(frg.main, {"name": NAME})

    assert result["changed"] is False, result
    assert [r["name"] for r in result["firewall_rule_group"]["rules"]] == ["allow-deps", "block-malware"]
    stubbed.assert_all_used()


def test_update_deletes_then_updates_then_creates(stubbed, r53r):
    stale = aws_rule("alert-old", 400, "ALERT", DENY)
    queue_existing(r53r, EXISTING + [stale])
    # 1. the rule no longer wanted is deleted (it frees its priority first)
    r53r.add_response("delete_firewall_rule", {"FirewallRule": stale}, {"FirewallRuleGroupId": GROUP_ID, "FirewallDomainListId": DENY["Id"]})
    # 2. the changed rule is updated in place
    expect_update(r53r, MALWARE, Name="block-malware", Priority=200, Action="BLOCK", BlockResponse="NODATA")
    # 3. the new rule is created
    new = {"Name": "alert-deny", "Priority": 400, "Action": "ALERT", "FirewallDomainListId": DENY["Id"], "Qtype": "TXT"}
    r53r.add_response(
        "create_firewall_rule", {"FirewallRule": aws_rule("alert-deny", 400, "ALERT", DENY)}, dict(new, FirewallRuleGroupId=GROUP_ID, CreatorRequestId=ANY)
    )
    after = [EXISTING[0], aws_rule("block-malware", 200, "BLOCK", MALWARE), aws_rule("alert-deny", 400, "ALERT", DENY, Qtype="TXT")]
    queue_after(r53r, after)
    rules = [
        RULES[0],
        {"name": "block-malware", "priority": 200, "action": "BLOCK", "firewall_domain_list": "AWSManagedDomainsMalwareDomainList"},
        {"name": "alert-deny", "priority": 400, "action": "ALERT", "firewall_domain_list": "hp-deny", "qtype": "TXT"},
    ]

    result = stubbed.run(frg.main, {"name": NAME, "rules": rules}, diff=True)

    assert result["changed"] is True, result
    before = {r["name"]: r for r in result["diff"]["before"]["rules"]}
    after_view = {r["name"]: r for r in result["diff"]["after"]["rules"]}
    assert before["block-malware"]["block_response"] == "NXDOMAIN"
    assert after_view["block-malware"]["block_response"] == "NODATA"
    assert "alert-old" in before and "alert-old" not in after_view
    assert after_view["alert-deny"]["qtype"] == "TXT"
    stubbed.assert_all_used()


def test_swapped_priorities_move_through_a_free_priority(stubbed, r53r):
    queue_existing(r53r)
    # allow-deps 100 -> 200 and block-malware 200 -> 100: neither can move first, so allow-deps steps aside to 201
    expect_update(r53r, ALLOW, Priority=201)
    expect_update(r53r, MALWARE, Name="block-malware", Priority=100, Action="BLOCK", BlockResponse="NXDOMAIN")
    expect_update(r53r, ALLOW, Name="allow-deps", Priority=200, Action="ALLOW")
    swapped = [aws_rule("block-malware", 100, "BLOCK", MALWARE, BlockResponse="NXDOMAIN"), aws_rule("allow-deps", 200, "ALLOW", ALLOW)]
    queue_after(r53r, swapped)
    rules = [dict(RULES[0], priority=200), dict(RULES[1], priority=100)]

    result = stubbed.run(frg.main, {"name": NAME, "rules": rules})

    assert result["changed"] is True, result
    assert [r["name"] for r in result["firewall_rule_group"]["rules"]] == ["block-malware", "allow-deps"]
    stubbed.assert_all_used()


def test_domain_list_change_replaces_the_rule(stubbed, r53r):
    queue_existing(r53r)
    r53r.add_response("delete_firewall_rule", {"FirewallRule": EXISTING[0]}, {"FirewallRuleGroupId": GROUP_ID, "FirewallDomainListId": ALLOW["Id"]})
    r53r.add_response(
        "create_firewall_rule",
        {"FirewallRule": aws_rule("allow-deps", 100, "ALLOW", DENY)},
        {
            "FirewallRuleGroupId": GROUP_ID,
            "CreatorRequestId": ANY,
            "Name": "allow-deps",
            "Priority": 100,
            "Action": "ALLOW",
            "FirewallDomainListId": DENY["Id"],
        },
    )
    queue_after(r53r, [aws_rule("allow-deps", 100, "ALLOW", DENY), EXISTING[1]])

    result = stubbed.run(frg.main, {"name": NAME, "rules": [dict(RULES[0], firewall_domain_list="hp-deny"), RULES[1]]})

    assert result["changed"] is True, result
    stubbed.assert_all_used()


def test_purge_rules_false_keeps_other_rules(stubbed, r53r):
    queue_existing(r53r)

    result = stubbed.run(frg.main, {"name": NAME, "rules": RULES[1:], "purge_rules": False})

    assert result["changed"] is False, result
    stubbed.assert_all_used()


def test_purge_rules_false_refuses_a_taken_priority(stubbed, r53r):
    queue_existing(r53r)

    result = stubbed.run(frg.main, {"name": NAME, "rules": [dict(RULES[1], priority=100)], "purge_rules": False})

    assert result.failed
    assert "rules: priority 100" in result["msg"] and "allow-deps" in result["msg"]
    stubbed.assert_all_used()


def test_empty_rules_purges_all(stubbed, r53r):
    queue_existing(r53r, resolve=False)
    r53r.add_response("delete_firewall_rule", {"FirewallRule": EXISTING[0]}, {"FirewallRuleGroupId": GROUP_ID, "FirewallDomainListId": ALLOW["Id"]})
    r53r.add_response("delete_firewall_rule", {"FirewallRule": EXISTING[1]}, {"FirewallRuleGroupId": GROUP_ID, "FirewallDomainListId": MALWARE["Id"]})
    queue_after(r53r, [])

    result = stubbed.run(frg.main, {"name": NAME, "rules": []})

    assert result["changed"] is True, result
    assert result["firewall_rule_group"]["rules"] == []
    stubbed.assert_all_used()


def test_tags_update(stubbed, r53r):
    queue_existing(r53r, tags=[{"Key": "Environment", "Value": "test"}])
    r53r.add_response("untag_resource", {}, {"ResourceArn": GROUP_ARN, "TagKeys": ["Environment"]})
    r53r.add_response("tag_resource", {}, {"ResourceArn": GROUP_ARN, "Tags": [{"Key": "Owner", "Value": "security"}]})

    result = stubbed.run(frg.main, {"name": NAME, "rules": RULES, "tags": {"Owner": "security"}})

    assert result["changed"] is True, result
    assert result["firewall_rule_group"]["tags"] == {"Owner": "security"}
    stubbed.assert_all_used()


def _queue_group_for_delete(stubber):
    stubber.add_response(
        "list_firewall_rule_groups", {"FirewallRuleGroups": [{"Id": GROUP_ID, "Arn": GROUP_ARN, "Name": NAME, "ShareStatus": "NOT_SHARED"}]}, {}
    )
    stubber.add_response("get_firewall_rule_group", {"FirewallRuleGroup": group()}, {"FirewallRuleGroupId": GROUP_ID})


def test_delete_removes_rules_then_group(stubbed, r53r):
    _queue_group_for_delete(r53r)
    r53r.add_response("list_firewall_rule_group_associations", {"FirewallRuleGroupAssociations": []}, {"FirewallRuleGroupId": GROUP_ID})
    r53r.add_response("list_firewall_rules", {"FirewallRules": EXISTING}, {"FirewallRuleGroupId": GROUP_ID})
    r53r.add_response("delete_firewall_rule", {"FirewallRule": EXISTING[0]}, {"FirewallRuleGroupId": GROUP_ID, "FirewallDomainListId": ALLOW["Id"]})
    r53r.add_response("delete_firewall_rule", {"FirewallRule": EXISTING[1]}, {"FirewallRuleGroupId": GROUP_ID, "FirewallDomainListId": MALWARE["Id"]})
    r53r.add_response("delete_firewall_rule_group", {"FirewallRuleGroup": group(Status="DELETING")}, {"FirewallRuleGroupId": GROUP_ID})

    result = stubbed.run(frg.main, {"name": NAME, "state": "absent"}, diff=True)

    assert result["changed"] is True, result
    assert result["firewall_rule_group"] == {}
    assert [r["name"] for r in result["diff"]["before"]["rules"]] == ["allow-deps", "block-malware"]
    stubbed.assert_all_used()


def test_delete_refused_while_associated(stubbed, r53r):
    _queue_group_for_delete(r53r)
    association = {"Id": "rslvr-frgassoc-0123456789abcdef", "FirewallRuleGroupId": GROUP_ID, "VpcId": "vpc-0a0a0a0a0a0a0a0a0", "Status": "COMPLETE"}
    r53r.add_response("list_firewall_rule_group_associations", {"FirewallRuleGroupAssociations": [association]}, {"FirewallRuleGroupId": GROUP_ID})

    result = stubbed.run(frg.main, {"name": NAME, "state": "absent"})

    assert result.failed
    assert "vpc-0a0a0a0a0a0a0a0a0" in result["msg"] and "still associated" in result["msg"]
    stubbed.assert_all_used()


def test_delete_when_absent_is_a_no_op(stubbed, r53r):
    r53r.add_response("list_firewall_rule_groups", {"FirewallRuleGroups": []}, {})

    result = stubbed.run(frg.main, {"name": NAME, "state": "absent"})

    assert result["changed"] is False, result
    stubbed.assert_all_used()


def test_check_mode_create_update_delete_only_read(stubbed, r53r):
    r53r.add_response("list_firewall_domain_lists", {"FirewallDomainLists": DOMAIN_LISTS}, {})
    r53r.add_response("list_firewall_rule_groups", {"FirewallRuleGroups": []}, {})
    create = stubbed.run(frg.main, {"name": NAME, "rules": RULES, "tags": {"A": "b"}}, check_mode=True)
    stubbed.assert_all_used()

    queue_existing(r53r, tags=[])
    update = stubbed.run(frg.main, {"name": NAME, "rules": [dict(RULES[0], priority=300), RULES[1]], "tags": {"A": "b"}}, check_mode=True)
    stubbed.assert_all_used()

    _queue_group_for_delete(r53r)
    r53r.add_response("list_firewall_rule_group_associations", {"FirewallRuleGroupAssociations": []}, {"FirewallRuleGroupId": GROUP_ID})
    r53r.add_response("list_firewall_rules", {"FirewallRules": EXISTING}, {"FirewallRuleGroupId": GROUP_ID})
    delete = stubbed.run(frg.main, {"name": NAME, "state": "absent"}, check_mode=True)
    stubbed.assert_all_used()

    assert create["changed"] is True, create
    assert [r["name"] for r in create["firewall_rule_group"]["rules"]] == ["allow-deps", "block-malware"]
    assert update["changed"] is True, update
    assert [(r["name"], r["priority"]) for r in update["firewall_rule_group"]["rules"]] == [("block-malware", 200), ("allow-deps", 300)]
    assert update["firewall_rule_group"]["tags"] == {"A": "b"}
    assert delete["changed"] is True, delete


def rule(**extra):
    result = {"name": "r1", "priority": 100, "action": "BLOCK", "firewall_domain_list": "hp-deny"}
    result.update(extra)
    return result


@pytest.mark.parametrize(
    "rules, expected",
    [
        ([rule(), rule(name="r2", firewall_domain_list="hp-allow")], "rules: priority 100 is used by more than one rule (r1, r2)"),
        ([rule(block_response="OVERRIDE")], "block_response OVERRIDE requires block_override_domain and block_override_ttl"),
        ([rule(block_response="OVERRIDE", block_override_domain="sink.example")], "requires block_override_ttl"),
        ([rule(block_response="OVERRIDE", block_override_domain="sink.example", block_override_ttl=700000)], "block_override_ttl must be between 0 and 604800"),
        ([rule(block_response="OVERRIDE", block_override_domain="*.sink.example", block_override_ttl=60)], "block_override_domain"),
        ([rule(block_response="NXDOMAIN", block_override_domain="sink.example")], "block_override_domain apply only to block_response OVERRIDE"),
        ([rule(block_override_ttl=60)], "rules[0] ('r1'): block_override_ttl apply only to block_response OVERRIDE"),
        ([rule(action="ALLOW", block_response="NODATA")], "block_response applies only to action BLOCK"),
        ([rule(qtype="BOGUS")], "qtype 'BOGUS'"),
        ([rule(qtype="TYPE70000")], "qtype 'TYPE70000'"),
        ([rule(name="bad/name")], "rules[0].name 'bad/name'"),
        ([rule(), rule(name="r2", priority=200)], "rules: domain list 'hp-deny' is used by more than one rule (r1, r2)"),
        ([rule(action="DENY")], "rules"),
    ],
)
def test_bad_input_fails_before_any_call(stubbed, r53r, rules, expected):
    calls = api_calls(stubbed)

    result = stubbed.run(frg.main, {"name": NAME, "rules": rules})

    assert result.failed
    assert expected in result["msg"]
    assert calls == []
    stubbed.assert_all_used()


def test_bad_group_name_fails_before_any_call(stubbed, r53r):
    calls = api_calls(stubbed)
    result = stubbed.run(frg.main, {"name": "9999"})
    assert result.failed and "name '9999'" in result["msg"]
    assert calls == []


def test_unknown_domain_list_fails_before_any_change(stubbed, r53r):
    r53r.add_response("list_firewall_domain_lists", {"FirewallDomainLists": DOMAIN_LISTS}, {})
    calls = api_calls(stubbed)

    result = stubbed.run(frg.main, {"name": NAME, "rules": [RULES[0], dict(RULES[1], firewall_domain_list="AWSManagedDomainsNoSuchList")]})

    assert result.failed
    assert "rules[1].firewall_domain_list 'AWSManagedDomainsNoSuchList'" in result["msg"]
    assert calls == ["ListFirewallDomainLists"]
    stubbed.assert_all_used()


def test_same_list_by_name_and_id_fails_before_any_change(stubbed, r53r):
    r53r.add_response("list_firewall_domain_lists", {"FirewallDomainLists": DOMAIN_LISTS}, {})

    result = stubbed.run(frg.main, {"name": NAME, "rules": [rule(), rule(name="r2", priority=200, firewall_domain_list=DENY["Id"])]})

    assert result.failed
    assert "rules: rules 'r1' and 'r2' use the same domain list" in result["msg"]
    stubbed.assert_all_used()


def test_order_updates_breaks_a_three_way_cycle():
    def existing(name, priority):
        return {"Name": name, "Priority": priority, "FirewallDomainListId": f"rslvr-fdl-{name}"}

    a, b, c = existing("a", 100), existing("b", 200), existing("c", 300)
    updates = [(a, dict(a, Priority=200)), (b, dict(b, Priority=300)), (c, dict(c, Priority=100))]

    steps = frg.order_updates(updates, [a, b, c], 301)

    assert [(s[0]["Name"], s[1]["Priority"]) for s in steps] == [("a", 301), ("c", 100), ("b", 300), ("a", 200)]
    position = {"a": 100, "b": 200, "c": 300}
    for moved, fields in steps:
        taken = {p for n, p in position.items() if n != moved["Name"]}
        assert fields["Priority"] not in taken, "no step may land on a taken priority"
        position[moved["Name"]] = fields["Priority"]
    assert position == {"a": 200, "b": 300, "c": 100}


# --- info ---------------------------------------------------------------------------


def test_info_with_rules_and_tags(stubbed, r53r):
    other = {
        "Id": "rslvr-frg-0000000000other",
        "Arn": GROUP_ARN.replace(GROUP_ID, "rslvr-frg-0000000000other"),
        "Name": "hp-other",
        "ShareStatus": "NOT_SHARED",
    }
    r53r.add_response("list_firewall_rule_groups", {"FirewallRuleGroups": [other, {"Id": GROUP_ID, "Arn": GROUP_ARN, "Name": NAME}]}, {})
    r53r.add_response("get_firewall_rule_group", {"FirewallRuleGroup": group()}, {"FirewallRuleGroupId": GROUP_ID})
    r53r.add_response("list_firewall_rules", {"FirewallRules": list(reversed(EXISTING))}, {"FirewallRuleGroupId": GROUP_ID})
    r53r.add_response("list_tags_for_resource", {"Tags": [{"Key": "Environment", "Value": "test"}]}, {"ResourceArn": GROUP_ARN})

    result = stubbed.run(frg_info.main, {"names": [NAME], "include_tags": True})

    assert result["changed"] is False
    (item,) = result["firewall_rule_groups"]
    assert item["name"] == NAME and item["status"] == "COMPLETE"
    assert [r["priority"] for r in item["rules"]] == [100, 200]
    assert item["tags"] == {"Environment": "test"}
    stubbed.assert_all_used()
