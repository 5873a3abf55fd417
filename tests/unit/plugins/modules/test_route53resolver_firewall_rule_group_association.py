# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""route53resolver_firewall_rule_group_association and its _info module, with botocore's Stubber.

moto 5.2.5 implements none of the Route 53 Resolver DNS Firewall APIs
(AssociateFirewallRuleGroup, GetFirewallRuleGroupAssociation, ... answer
HTTP 500), so these tests queue the AWS responses on a Stubber. The Stubber
validates every request and every queued response against the real botocore
model (so the statuses used here are the model's: UPDATING, DELETING, COMPLETE)
and fails on any call that was not queued: a test that queues only reads proves
that the module made no change. Polling is tested with the pause between polls
replaced, so no test sleeps.
"""

from __future__ import annotations

import pytest
from botocore.stub import ANY

from ansible_collections.healthplatform.aws.plugins.module_utils import route53resolver
from ansible_collections.healthplatform.aws.plugins.modules import route53resolver_firewall_rule_group_association as frga
from ansible_collections.healthplatform.aws.plugins.modules import route53resolver_firewall_rule_group_association_info as frga_info

RR = "route53resolver"
GROUP_NAME = "hp-dns-firewall"
GROUP_ID = "rslvr-frg-0123456789abcdef"
GROUP = {
    "Id": GROUP_ID,
    "Arn": f"arn:aws:route53resolver:us-east-1:123456789012:firewall-rule-group/{GROUP_ID}",
    "Name": GROUP_NAME,
    "RuleCount": 3,
    "Status": "COMPLETE",
    "ShareStatus": "NOT_SHARED",
}
VPC = "vpc-0a0a0a0a0a0a0a0a0"
ASSOC_ID = "rslvr-frgassoc-0123456789abcdef"
ASSOC_ARN = f"arn:aws:route53resolver:us-east-1:123456789012:firewall-rule-group-association/{ASSOC_ID}"


@pytest.fixture
def r53r(stubbed, monkeypatch):
    pauses = []
    monkeypatch.setattr(route53resolver, "_pause", pauses.append)
    stubber = stubbed(RR)
    stubber.pauses = pauses
    return stubber


def api_calls(stubbed):
    calls = []
    stubbed.clients[RR][0].meta.events.register("before-parameter-build.route53resolver", lambda model, **kw: calls.append(model.name))
    return calls


def assoc(status="COMPLETE", **extra):
    result = {
        "Id": ASSOC_ID,
        "Arn": ASSOC_ARN,
        "FirewallRuleGroupId": GROUP_ID,
        "VpcId": VPC,
        "Name": GROUP_NAME,
        "Priority": 101,
        "MutationProtection": "DISABLED",
        "Status": status,
    }
    result.update(extra)
    return result


def queue_group_by_name(stubber):
    stubber.add_response("list_firewall_rule_groups", {"FirewallRuleGroups": [{"Id": GROUP_ID, "Name": GROUP_NAME}]}, {})
    stubber.add_response("get_firewall_rule_group", {"FirewallRuleGroup": GROUP}, {"FirewallRuleGroupId": GROUP_ID})


def queue_on_vpc(stubber, associations):
    stubber.add_response("list_firewall_rule_group_associations", {"FirewallRuleGroupAssociations": associations}, {"VpcId": VPC})


def queue_get(stubber, association):
    if association is None:
        stubber.add_client_error("get_firewall_rule_group_association", "ResourceNotFoundException", "gone", 400)
    else:
        stubber.add_response("get_firewall_rule_group_association", {"FirewallRuleGroupAssociation": association}, {"FirewallRuleGroupAssociationId": ASSOC_ID})


def args(**extra):
    result = {"vpc_id": VPC, "firewall_rule_group": GROUP_NAME, "priority": 101}
    result.update(extra)
    return result


def test_create_by_name_with_tags_waits_until_complete(stubbed, r53r):
    queue_group_by_name(r53r)
    other = assoc(Id="rslvr-frgassoc-0000000000other", FirewallRuleGroupId="rslvr-frg-0000000000other", Priority=200, Name="other")
    queue_on_vpc(r53r, [other])
    r53r.add_response(
        "associate_firewall_rule_group",
        {"FirewallRuleGroupAssociation": assoc("UPDATING", MutationProtection="ENABLED")},
        {
            "CreatorRequestId": ANY,
            "FirewallRuleGroupId": GROUP_ID,
            "VpcId": VPC,
            "Priority": 101,
            "Name": GROUP_NAME,
            "MutationProtection": "ENABLED",
            "Tags": [{"Key": "Environment", "Value": "test"}],
        },
    )
    queue_get(r53r, assoc("UPDATING", MutationProtection="ENABLED"))
    queue_get(r53r, assoc("UPDATING", MutationProtection="ENABLED"))
    queue_get(r53r, assoc("COMPLETE", MutationProtection="ENABLED"))

    result = stubbed.run(frga.main, args(mutation_protection="ENABLED", tags={"Environment": "test"}), diff=True)

    assert result["changed"] is True, result
    out = result["firewall_rule_group_association"]
    assert out["status"] == "COMPLETE" and out["mutation_protection"] == "ENABLED"
    assert out["tags"] == {"Environment": "test"}
    assert result["diff"]["before"] == {}
    assert r53r.pauses == [1, 2], "polls back off and stop at COMPLETE"
    stubbed.assert_all_used()


def test_create_by_id_without_wait(stubbed, r53r):
    r53r.add_response("get_firewall_rule_group", {"FirewallRuleGroup": GROUP}, {"FirewallRuleGroupId": GROUP_ID})
    queue_on_vpc(r53r, [])
    r53r.add_response(
        "associate_firewall_rule_group",
        {"FirewallRuleGroupAssociation": assoc("UPDATING", Name="hp-vpc-filter")},
        {"CreatorRequestId": ANY, "FirewallRuleGroupId": GROUP_ID, "VpcId": VPC, "Priority": 101, "Name": "hp-vpc-filter"},
    )

    result = stubbed.run(frga.main, args(firewall_rule_group=GROUP_ID, name="hp-vpc-filter", wait=False))

    assert result["changed"] is True, result
    assert result["firewall_rule_group_association"]["status"] == "UPDATING"
    assert "tags" not in result["firewall_rule_group_association"]
    assert r53r.pauses == []
    stubbed.assert_all_used()


def test_no_change_only_reads(stubbed, r53r):
    queue_group_by_name(r53r)
    queue_on_vpc(r53r, [assoc(MutationProtection="ENABLED")])
    r53r.add_response("list_tags_for_resource", {"Tags": [{"Key": "Environment", "Value": "test"}]}, {"ResourceArn": ASSOC_ARN})

    result = stubbed.run(frga.main, args(mutation_protection="ENABLED", name=GROUP_NAME, tags={"Environment": "test"}))

    assert result["changed"] is False, result
    stubbed.assert_all_used()


def test_update_priority_and_protection_in_place(stubbed, r53r):
    queue_group_by_name(r53r)
    queue_on_vpc(r53r, [assoc()])
    r53r.add_response(
        "update_firewall_rule_group_association",
        {"FirewallRuleGroupAssociation": assoc("UPDATING", Priority=300, MutationProtection="ENABLED")},
        {"FirewallRuleGroupAssociationId": ASSOC_ID, "Priority": 300, "MutationProtection": "ENABLED"},
    )
    queue_get(r53r, assoc("COMPLETE", Priority=300, MutationProtection="ENABLED"))

    result = stubbed.run(frga.main, args(priority=300, mutation_protection="ENABLED"), diff=True)

    assert result["changed"] is True, result
    assert result["diff"]["before"]["priority"] == 101
    assert result["diff"]["after"]["priority"] == 300
    assert result["firewall_rule_group_association"]["status"] == "COMPLETE"
    assert r53r.pauses == []
    stubbed.assert_all_used()


def test_update_tags_only(stubbed, r53r):
    queue_group_by_name(r53r)
    queue_on_vpc(r53r, [assoc()])
    r53r.add_response("list_tags_for_resource", {"Tags": []}, {"ResourceArn": ASSOC_ARN})
    r53r.add_response("tag_resource", {}, {"ResourceArn": ASSOC_ARN, "Tags": [{"Key": "Owner", "Value": "security"}]})

    result = stubbed.run(frga.main, args(tags={"Owner": "security"}))

    assert result["changed"] is True, result
    assert result["firewall_rule_group_association"]["tags"] == {"Owner": "security"}
    stubbed.assert_all_used()


def test_disassociate_waits_until_gone(stubbed, r53r):
    queue_group_by_name(r53r)
    queue_on_vpc(r53r, [assoc()])
    r53r.add_response("disassociate_firewall_rule_group", {"FirewallRuleGroupAssociation": assoc("DELETING")}, {"FirewallRuleGroupAssociationId": ASSOC_ID})
    queue_get(r53r, assoc("DELETING"))
    queue_get(r53r, None)

    result = stubbed.run(frga.main, {"vpc_id": VPC, "firewall_rule_group": GROUP_NAME, "state": "absent"}, diff=True)

    assert result["changed"] is True, result
    assert result["firewall_rule_group_association"] == {}
    assert result["diff"]["before"]["vpc_id"] == VPC
    assert r53r.pauses == [1]
    stubbed.assert_all_used()


def test_protected_association_is_not_removed_silently(stubbed, r53r):
    queue_group_by_name(r53r)
    queue_on_vpc(r53r, [assoc(MutationProtection="ENABLED")])

    result = stubbed.run(frga.main, {"vpc_id": VPC, "firewall_rule_group": GROUP_NAME, "state": "absent"})

    assert result.failed
    assert "mutation_protection: DISABLED" in result["msg"]
    stubbed.assert_all_used()


def test_protected_association_removed_when_asked_explicitly(stubbed, r53r):
    queue_group_by_name(r53r)
    queue_on_vpc(r53r, [assoc(MutationProtection="ENABLED")])
    r53r.add_response(
        "update_firewall_rule_group_association",
        {"FirewallRuleGroupAssociation": assoc("UPDATING")},
        {"FirewallRuleGroupAssociationId": ASSOC_ID, "MutationProtection": "DISABLED"},
    )
    queue_get(r53r, assoc("COMPLETE"))
    r53r.add_response("disassociate_firewall_rule_group", {"FirewallRuleGroupAssociation": assoc("DELETING")}, {"FirewallRuleGroupAssociationId": ASSOC_ID})
    queue_get(r53r, None)

    result = stubbed.run(frga.main, {"vpc_id": VPC, "firewall_rule_group": GROUP_NAME, "state": "absent", "mutation_protection": "DISABLED"})

    assert result["changed"] is True, result
    stubbed.assert_all_used()


def test_absent_when_not_associated_or_group_missing(stubbed, r53r):
    queue_group_by_name(r53r)
    queue_on_vpc(r53r, [])
    not_associated = stubbed.run(frga.main, {"vpc_id": VPC, "firewall_rule_group": GROUP_NAME, "state": "absent"})
    stubbed.assert_all_used()

    r53r.add_response("list_firewall_rule_groups", {"FirewallRuleGroups": []}, {})
    no_group = stubbed.run(frga.main, {"vpc_id": VPC, "firewall_rule_group": GROUP_NAME, "state": "absent"})
    stubbed.assert_all_used()

    assert not_associated["changed"] is False, not_associated
    assert no_group["changed"] is False, no_group


def test_check_mode_create_update_delete_only_read(stubbed, r53r):
    queue_group_by_name(r53r)
    queue_on_vpc(r53r, [])
    create = stubbed.run(frga.main, args(tags={"A": "b"}), check_mode=True)
    stubbed.assert_all_used()

    queue_group_by_name(r53r)
    queue_on_vpc(r53r, [assoc()])
    r53r.add_response("list_tags_for_resource", {"Tags": []}, {"ResourceArn": ASSOC_ARN})
    update = stubbed.run(frga.main, args(priority=500, tags={"A": "b"}), check_mode=True)
    stubbed.assert_all_used()

    queue_group_by_name(r53r)
    queue_on_vpc(r53r, [assoc(MutationProtection="ENABLED")])
    delete = stubbed.run(frga.main, {"vpc_id": VPC, "firewall_rule_group": GROUP_NAME, "state": "absent", "mutation_protection": "DISABLED"}, check_mode=True)
    stubbed.assert_all_used()

    assert create["changed"] is True and create["firewall_rule_group_association"]["priority"] == 101
    assert create["firewall_rule_group_association"]["tags"] == {"A": "b"}
    assert update["changed"] is True and update["firewall_rule_group_association"]["priority"] == 500
    assert delete["changed"] is True
    assert r53r.pauses == []


@pytest.mark.parametrize(
    "extra, expected",
    [
        ({"priority": 100}, "priority must be between 101 and 9900"),
        ({"priority": 9901}, "priority must be between 101 and 9900"),
        ({"priority": None}, "priority is required"),
        ({"vpc_id": "subnet-0a0a0a0a0a0a0a0a0"}, "vpc_id must be a VPC ID"),
        ({"name": "x" * 65}, "name"),
        ({"wait_timeout": 0}, "wait_timeout"),
        ({"mutation_protection": "ON"}, "mutation_protection"),
    ],
)
def test_bad_input_fails_before_any_call(stubbed, r53r, extra, expected):
    calls = api_calls(stubbed)

    result = stubbed.run(frga.main, args(**extra))

    assert result.failed
    assert expected in result["msg"]
    assert calls == []


def test_priority_taken_on_the_vpc_fails_before_any_change(stubbed, r53r):
    queue_group_by_name(r53r)
    other = assoc(Id="rslvr-frgassoc-0000000000other", FirewallRuleGroupId="rslvr-frg-0000000000other", Priority=101, Name="other")
    queue_on_vpc(r53r, [other])

    result = stubbed.run(frga.main, args())

    assert result.failed
    assert "priority 101 is already used" in result["msg"] and "'other'" in result["msg"]
    stubbed.assert_all_used()


def test_unknown_rule_group_fails(stubbed, r53r):
    r53r.add_response("list_firewall_rule_groups", {"FirewallRuleGroups": [{"Id": GROUP_ID, "Name": GROUP_NAME}]}, {})

    result = stubbed.run(frga.main, args(firewall_rule_group="hp-no-such-group"))

    assert result.failed
    assert "firewall_rule_group 'hp-no-such-group' matches no rule group" in result["msg"]
    stubbed.assert_all_used()


def test_wait_is_bounded(stubbed, r53r, monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(route53resolver, "_now", lambda: clock[0])
    monkeypatch.setattr(route53resolver, "_pause", lambda seconds: clock.__setitem__(0, clock[0] + seconds))
    queue_group_by_name(r53r)
    queue_on_vpc(r53r, [])
    r53r.add_response("associate_firewall_rule_group", {"FirewallRuleGroupAssociation": assoc("UPDATING")}, None)
    # polls at 0, 1, 3, 7, 15, 30, 45 and 60 s; the next would pass 60 s
    for _poll in range(8):
        queue_get(r53r, assoc("UPDATING"))

    result = stubbed.run(frga.main, args(wait_timeout=60))

    assert result.failed
    assert "timed out after 60 s" in result["msg"] and "UPDATING" in result["msg"]
    assert clock[0] == 60
    stubbed.assert_all_used()


# --- info ---------------------------------------------------------------------------


def test_info_by_vpc_and_rule_group(stubbed, r53r):
    queue_group_by_name(r53r)
    r53r.add_response(
        "list_firewall_rule_group_associations",
        {"FirewallRuleGroupAssociations": [assoc()]},
        {"VpcId": VPC, "FirewallRuleGroupId": GROUP_ID, "Status": "COMPLETE"},
    )
    r53r.add_response("list_tags_for_resource", {"Tags": [{"Key": "Environment", "Value": "test"}]}, {"ResourceArn": ASSOC_ARN})

    result = stubbed.run(frga_info.main, {"vpc_id": VPC, "firewall_rule_group": GROUP_NAME, "status": "COMPLETE", "include_tags": True})

    assert result["changed"] is False
    (item,) = result["firewall_rule_group_associations"]
    assert item["vpc_id"] == VPC and item["priority"] == 101 and item["tags"] == {"Environment": "test"}
    stubbed.assert_all_used()


def test_info_unknown_rule_group_is_empty(stubbed, r53r):
    r53r.add_response("list_firewall_rule_groups", {"FirewallRuleGroups": []}, {})

    result = stubbed.run(frga_info.main, {"firewall_rule_group": "hp-no-such-group"})

    assert result["firewall_rule_group_associations"] == []
    stubbed.assert_all_used()


def test_no_change_waits_for_an_earlier_change_to_finish(stubbed, r53r):
    queue_group_by_name(r53r)
    queue_on_vpc(r53r, [assoc("UPDATING")])
    queue_get(r53r, assoc("UPDATING"))
    queue_get(r53r, assoc("COMPLETE"))

    result = stubbed.run(frga.main, args())

    assert result["changed"] is False, result
    assert result["firewall_rule_group_association"]["status"] == "COMPLETE"
    assert r53r.pauses == [1]
    stubbed.assert_all_used()
