# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""wafv2_web_acl: the web ACL, its tags, logging and associations in one task.

Against the moto server, which emulates web ACLs (with their lock tokens), tags, logging
configurations and GetWebACLForResource / AssociateWebACL / DisassociateWebACL. Three paths
use botocore's Stubber instead, which validates every request against the real API model and
fails on any call that was not queued:
- purge_associations: moto 5.2.5 does not implement ListResourcesForWebACL;
- a WAFOptimisticLockException on UpdateWebACL (another writer between the read and the update);
- removing every rule: moto's UpdateWebACL ignores an empty Rules list.
"""

from __future__ import annotations

import copy

import pytest

from ansible_collections.healthplatform.aws.plugins.filter.wafv2_rules import wafv2_rules
from ansible_collections.healthplatform.aws.plugins.modules import wafv2_web_acl

NAME = "hp-portal"
GROUPS = [
    {"name": "AWSManagedRulesAmazonIpReputationList", "priority": 10},
    {
        "name": "AWSManagedRulesCommonRuleSet",
        "priority": 20,
        "excluded_rules": ["SizeRestrictions_BODY"],
        "rule_action_overrides": {"NoUserAgent_HEADER": "block"},
    },
    {"name": "AWSManagedRulesKnownBadInputsRuleSet", "priority": 30},
]
LOG_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-hp-portal"
REDACT = [{"single_header": "authorization"}, {"single_header": "cookie"}]
READS = {"ListWebACLs", "GetWebACL", "ListTagsForResource", "GetLoggingConfiguration", "GetWebACLForResource"}


def rules(rate_limit=2000, groups=None):
    return wafv2_rules(groups or GROUPS, metric_prefix=NAME, rate_limit=rate_limit, rate_limit_priority=100)


@pytest.fixture
def edge(aws):
    """Two load balancers and the WAF log group."""
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24", AvailabilityZone=f"us-east-1{'ab'[i]}")["Subnet"]["SubnetId"] for i in range(2)]
    elbv2 = aws.client("elbv2")
    albs = [elbv2.create_load_balancer(Name=f"hp-alb-{i}", Subnets=subnets, Type="application")["LoadBalancers"][0]["LoadBalancerArn"] for i in range(2)]
    aws.client("logs").create_log_group(logGroupName="aws-waf-logs-hp-portal")
    return {"albs": albs}


def args(edge, **extra):
    result = {
        "name": NAME,
        "description": "Protects the portal",
        "default_action": "Allow",
        "rules": rules(),
        "logging": {"destination": LOG_ARN, "redacted_fields": REDACT},
        "associations": [edge["albs"][0]],
        "tags": {"Environment": "test"},
    }
    result.update(extra)
    return {k: v for k, v in result.items() if v is not None}  # None: the option is left out


def live(aws):
    waf = aws.client("wafv2")
    summaries = [s for s in waf.list_web_acls(Scope="REGIONAL")["WebACLs"] if s["Name"] == NAME]
    if not summaries:
        return None
    return waf.get_web_acl(Name=NAME, Scope="REGIONAL", Id=summaries[0]["Id"])


def live_logging(aws, arn):
    waf = aws.client("wafv2")
    try:
        return waf.get_logging_configuration(ResourceArn=arn)["LoggingConfiguration"]
    except waf.exceptions.WAFNonexistentItemException:
        return None


def protecting(aws, resource_arn):
    return (aws.client("wafv2").get_web_acl_for_resource(ResourceArn=resource_arn).get("WebACL") or {}).get("ARN", "")


def test_create_with_rules_logging_association_and_tags(aws, edge):
    result = aws.run(wafv2_web_acl.main, args(edge))

    assert result["changed"] is True, result
    acl = live(aws)["WebACL"]
    assert result["arn"] == acl["ARN"] and result["id"] == acl["Id"]
    assert [(r["Name"], r["Priority"]) for r in sorted(acl["Rules"], key=lambda r: r["Priority"])] == [
        ("AWSManagedRulesAmazonIpReputationList", 10),
        ("AWSManagedRulesCommonRuleSet", 20),
        ("AWSManagedRulesKnownBadInputsRuleSet", 30),
        ("rate-limit-per-client-ip", 100),
    ]
    common = next(r for r in acl["Rules"] if r["Name"] == "AWSManagedRulesCommonRuleSet")
    assert common["OverrideAction"] == {"None": {}}
    assert common["Statement"]["ManagedRuleGroupStatement"]["RuleActionOverrides"] == [
        {"Name": "NoUserAgent_HEADER", "ActionToUse": {"Block": {}}},
        {"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}},
    ]
    rate = next(r for r in acl["Rules"] if r["Name"] == "rate-limit-per-client-ip")
    assert rate["Statement"]["RateBasedStatement"] == {"Limit": 2000, "AggregateKeyType": "IP"}
    assert acl["DefaultAction"] == {"Allow": {}}
    assert acl["VisibilityConfig"] == {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": NAME}
    assert acl["Description"] == "Protects the portal"
    tags = aws.client("wafv2").list_tags_for_resource(ResourceARN=acl["ARN"])["TagInfoForResource"]["TagList"]
    assert tags == [{"Key": "Environment", "Value": "test"}]
    logging = live_logging(aws, acl["ARN"])
    assert logging["LogDestinationConfigs"] == [LOG_ARN]
    assert logging["RedactedFields"] == [{"SingleHeader": {"Name": "authorization"}}, {"SingleHeader": {"Name": "cookie"}}]
    assert protecting(aws, edge["albs"][0]) == acl["ARN"]
    assert protecting(aws, edge["albs"][1]) == ""
    assert result["associations"] == [edge["albs"][0]]
    assert result["web_acl"]["rules"][0]["name"] == "AWSManagedRulesAmazonIpReputationList"
    assert result["logging_configuration"]["log_destination_configs"] == [LOG_ARN]


def test_no_change_makes_no_mutating_call(aws, edge):
    aws.run(wafv2_web_acl.main, args(edge))
    # the same rules in another order, the same overrides in another order, the same headers in another order and case
    shuffled = list(reversed(rules()))
    for rule in shuffled:
        statement = rule["statement"].get("managed_rule_group_statement", {})
        if "rule_action_overrides" in statement:
            statement["rule_action_overrides"] = list(reversed(statement["rule_action_overrides"]))
    again = args(edge, rules=shuffled, logging={"destination": LOG_ARN, "redacted_fields": [{"single_header": "COOKIE"}, {"single_header": "Authorization"}]})
    with aws.recording() as calls:
        result = aws.run(wafv2_web_acl.main, again, diff=True)

    assert result["changed"] is False, result["diff"]
    assert aws.mutating(calls) == []
    assert {c["operation"] for c in calls} == READS
    assert len(calls) == len(READS)
    assert result["diff"]["before"] == result["diff"]["after"]


def test_rate_rule_reported_with_the_default_evaluation_window_is_unchanged(aws, edge):
    """AWS reports a rate-based statement's EvaluationWindowSec (300) even when it was not given."""
    reported = copy.deepcopy(rules())
    api_rules = []
    for rule in reported:
        if rule["name"] == "rate-limit-per-client-ip":
            api_rules.append(
                {
                    "Name": rule["name"],
                    "Priority": 100,
                    "Action": {"Block": {}},
                    "Statement": {"RateBasedStatement": {"Limit": 2000, "AggregateKeyType": "IP", "EvaluationWindowSec": 300}},
                    "VisibilityConfig": {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": f"{NAME}-rate-limit"},
                }
            )
    aws.client("wafv2").create_web_acl(
        Name=NAME,
        Scope="REGIONAL",
        DefaultAction={"Allow": {}},
        VisibilityConfig={"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": NAME},
        Rules=api_rules,
    )
    only_rate = [r for r in rules() if r["name"] == "rate-limit-per-client-ip"]
    with aws.recording() as calls:
        result = aws.run(wafv2_web_acl.main, {"name": NAME, "default_action": "Allow", "rules": only_rate})
    assert result["changed"] is False
    assert aws.mutating(calls) == []


def test_update_a_rule_a_redacted_field_and_an_association(aws, edge):
    first = aws.run(wafv2_web_acl.main, args(edge))
    changed = args(
        edge,
        rules=rules(rate_limit=500),
        logging={"destination": LOG_ARN, "redacted_fields": REDACT + [{"query_string": True}]},
        associations=edge["albs"],
    )
    with aws.recording() as calls:
        result = aws.run(wafv2_web_acl.main, changed, diff=True)

    assert result["changed"] is True
    assert sorted(aws.mutating(calls)) == ["wafv2:AssociateWebACL", "wafv2:PutLoggingConfiguration", "wafv2:UpdateWebACL"]
    acl = live(aws)["WebACL"]
    assert acl["ARN"] == first["arn"]
    rate = next(r for r in acl["Rules"] if r["Name"] == "rate-limit-per-client-ip")
    assert rate["Statement"]["RateBasedStatement"]["Limit"] == 500
    assert len(acl["Rules"]) == 4
    assert acl["Description"] == "Protects the portal"
    logging = live_logging(aws, acl["ARN"])
    assert {"QueryString": {}} in logging["RedactedFields"]
    assert [protecting(aws, alb) for alb in edge["albs"]] == [acl["ARN"], acl["ARN"]]
    diff = result["diff"]
    assert diff["before"]["logging"]["redacted_fields"] == ["single_header:authorization", "single_header:cookie"]
    assert "query_string" in diff["after"]["logging"]["redacted_fields"]
    assert diff["before"]["associations"] == [edge["albs"][0]]
    assert diff["after"]["associations"] == sorted(edge["albs"])
    before_rate = next(r for r in diff["before"]["web_acl"]["rules"] if r["Name"] == "rate-limit-per-client-ip")
    after_rate = next(r for r in diff["after"]["web_acl"]["rules"] if r["Name"] == "rate-limit-per-client-ip")
    assert (before_rate["Statement"]["RateBasedStatement"]["Limit"], after_rate["Statement"]["RateBasedStatement"]["Limit"]) == (2000, 500)


def test_update_moves_a_resource_from_another_web_acl_and_keeps_unmanaged_parts(aws, edge):
    waf = aws.client("wafv2")
    visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "other"}
    other = waf.create_web_acl(Name="hp-other", Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=visibility, Rules=[])["Summary"]["ARN"]
    waf.associate_web_acl(WebACLArn=other, ResourceArn=edge["albs"][0])
    aws.run(wafv2_web_acl.main, args(edge, associations=[]))
    # a part the module does not manage, set by someone else
    response = live(aws)
    waf.update_web_acl(
        Name=NAME,
        Scope="REGIONAL",
        Id=response["WebACL"]["Id"],
        LockToken=response["LockToken"],
        DefaultAction=response["WebACL"]["DefaultAction"],
        VisibilityConfig=response["WebACL"]["VisibilityConfig"],
        Rules=response["WebACL"]["Rules"],
        Description=response["WebACL"]["Description"],
        TokenDomains=["portal.example.org"],
    )

    result = aws.run(wafv2_web_acl.main, args(edge, default_action="Block"))

    assert result["changed"] is True
    acl = live(aws)["WebACL"]
    assert acl["DefaultAction"] == {"Block": {}}
    assert acl["TokenDomains"] == ["portal.example.org"]
    assert protecting(aws, edge["albs"][0]) == acl["ARN"]


def test_rules_not_purged_are_kept_and_a_clashing_priority_fails(aws, edge):
    aws.run(wafv2_web_acl.main, args(edge))
    extra = copy.deepcopy(rules(groups=[{"name": "AWSManagedRulesSQLiRuleSet", "priority": 40}], rate_limit=0))
    result = aws.run(wafv2_web_acl.main, args(edge, rules=extra, purge_rules=False))
    assert result["changed"] is True
    assert len(live(aws)["WebACL"]["Rules"]) == 5

    clash = copy.deepcopy(extra)
    clash[0].update(name="AWSManagedRulesLinuxRuleSet", priority=10)
    clash[0]["statement"]["managed_rule_group_statement"]["name"] = "AWSManagedRulesLinuxRuleSet"
    with aws.recording() as calls:
        failed = aws.run(wafv2_web_acl.main, args(edge, rules=clash, purge_rules=False))
    assert failed.failed
    assert "AWSManagedRulesAmazonIpReputationList (priority 10" in failed["msg"]
    assert aws.mutating(calls) == []


def test_delete_and_delete_again(aws, edge):
    created = aws.run(wafv2_web_acl.main, args(edge))
    with aws.recording() as calls:
        result = aws.run(wafv2_web_acl.main, {"name": NAME, "associations": [edge["albs"][0]], "state": "absent"})
    assert result["changed"] is True
    assert aws.mutating(calls) == ["wafv2:DisassociateWebACL", "wafv2:DeleteLoggingConfiguration", "wafv2:DeleteWebACL"]
    assert live(aws) is None
    assert protecting(aws, edge["albs"][0]) == ""
    assert live_logging(aws, created["arn"]) is None
    assert aws.run(wafv2_web_acl.main, {"name": NAME, "state": "absent"})["changed"] is False


def test_check_mode_changes_nothing(aws, edge):
    with aws.recording() as calls:
        create = aws.run(wafv2_web_acl.main, args(edge), check_mode=True)
    assert create["changed"] is True and create["arn"] == ""
    assert create["web_acl"]["default_action"] == {"allow": {}}
    assert live(aws) is None
    assert aws.mutating(calls) == []

    created = aws.run(wafv2_web_acl.main, args(edge))
    before = live(aws)["WebACL"]
    with aws.recording() as calls:
        update = aws.run(
            wafv2_web_acl.main,
            args(edge, rules=rules(rate_limit=500), associations=edge["albs"], tags={"Environment": "prod"}, logging={"enabled": False}),
            check_mode=True,
        )
        delete = aws.run(wafv2_web_acl.main, {"name": NAME, "associations": edge["albs"], "state": "absent"}, check_mode=True)
    assert update["changed"] is True and delete["changed"] is True
    assert update["arn"] == created["arn"]
    assert update["tags"] == {"Environment": "prod"}
    assert aws.mutating(calls) == []
    assert live(aws)["WebACL"] == before
    assert protecting(aws, edge["albs"][1]) == ""
    assert live_logging(aws, created["arn"]) is not None


def test_logging_disabled_removes_the_configuration(aws, edge):
    created = aws.run(wafv2_web_acl.main, args(edge))
    result = aws.run(wafv2_web_acl.main, args(edge, logging={"enabled": False}))
    assert result["changed"] is True
    assert live_logging(aws, created["arn"]) is None
    assert result["logging_configuration"] == {}


def _rate(**statement):
    rule = copy.deepcopy(rules()[-1])
    rule["statement"]["rate_based_statement"].update(statement)
    return rule


@pytest.mark.parametrize(
    "extra, expected",
    [
        ({"name": "hp portal"}, "name must be"),
        ({"default_action": None}, "default_action is required"),
        ({"metric_name": "a b"}, "metric_name must be"),
        ({"rules": [_rate(aggregate_key="IP")]}, "rules[0].statement.rate_based_statement: unknown key 'aggregate_key'"),
        ({"rules": [_rate(aggregate_key_type="HOST")]}, "rules[0].statement.rate_based_statement.aggregate_key_type must be one of"),
        ({"rules": [_rate(limit="many")]}, "rules[0].statement.rate_based_statement.limit must be an integer"),
        ({"rules": [{k: v for k, v in rules()[0].items() if k != "visibility_config"}]}, "rules[0] needs visibility_config"),
        (
            {"rules": [dict(rules()[0], visibility_config=dict(rules()[0]["visibility_config"], sampled_requests_enabled="maybe"))]},
            "rules[0].visibility_config.sampled_requests_enabled must be true or false",
        ),
        ({"rules": [rules()[0], dict(rules()[1], priority=10)]}, "rules[1] (AWSManagedRulesCommonRuleSet): priority 10 is also the priority of rules[0]"),
        (
            {"rules": [rules()[0], dict(rules()[1], name=rules()[0]["name"])]},
            "rules[1]: name AWSManagedRulesAmazonIpReputationList is also the name of rules[0]",
        ),
        ({"custom_response_bodies": {"denied": {"content_type": "TEXT_PLAIN"}}}, "custom_response_bodies.denied needs content"),
        ({"logging": {"destination": "arn:aws:logs:us-east-1:123456789012:log-group:waf-portal"}}, "logging.destination must be"),
        ({"logging": {"redacted_fields": REDACT}}, "logging.destination is required"),
        ({"logging": {"destination": LOG_ARN, "redacted_fields": [{"single_header": "cookie", "method": True}]}}, "logging.redacted_fields[0]"),
        ({"associations": ["hp-alb-0"]}, "associations[0] must be an ARN"),
        ({"associations": ["arn:aws:cloudfront::123456789012:distribution/E1"]}, "associations[0]: CloudFront"),
        ({"scope": "CLOUDFRONT"}, "associations: a CLOUDFRONT web ACL"),
    ],
)
def test_bad_input_fails_before_any_call(aws, edge, extra, expected):
    with aws.recording() as calls:
        result = aws.run(wafv2_web_acl.main, args(edge, **extra))
    assert result.failed
    assert expected in result["msg"]
    assert calls == []


# ---- botocore Stubber: what moto does not emulate -------------------------------------------

ARN = f"arn:aws:wafv2:us-east-1:123456789012:regional/webacl/{NAME}/0123abcd-0123-abcd-0123-0123456789ab"
ACL_ID = "0123abcd-0123-abcd-0123-0123456789ab"
ALB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/hp-alb/0123456789abcdef"
OLD_ALB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/hp-old/0123456789abcdef"
VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": NAME}
RATE_RULE = {
    "Name": "rate-limit-per-client-ip",
    "Priority": 100,
    "Action": {"Block": {}},
    "Statement": {"RateBasedStatement": {"Limit": 2000, "AggregateKeyType": "IP"}},
    "VisibilityConfig": {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": f"{NAME}-rate-limit"},
}


def web_acl(rules_=None, **extra):
    return {"Name": NAME, "Id": ACL_ID, "ARN": ARN, "DefaultAction": {"Allow": {}}, "VisibilityConfig": VISIBILITY, "Rules": rules_ or [RATE_RULE], **extra}


def queue_read(waf, acl, lock_token):
    waf.add_response("list_web_acls", {"WebACLs": [{"Name": NAME, "Id": ACL_ID, "ARN": ARN, "LockToken": lock_token}]}, {"Scope": "REGIONAL", "Limit": 100})
    waf.add_response("get_web_acl", {"WebACL": acl, "LockToken": lock_token}, {"Name": NAME, "Scope": "REGIONAL", "Id": ACL_ID})


def test_purge_associations_removes_the_resources_not_listed(stubbed):
    waf = stubbed("wafv2")
    queue_read(waf, web_acl(), "token-1")
    waf.add_response("get_web_acl_for_resource", {"WebACL": web_acl()}, {"ResourceArn": ALB})
    for resource_type in ("APPLICATION_LOAD_BALANCER", "API_GATEWAY", "APPSYNC", "COGNITO_USER_POOL", "APP_RUNNER_SERVICE", "VERIFIED_ACCESS_INSTANCE"):
        found = [ALB, OLD_ALB] if resource_type == "APPLICATION_LOAD_BALANCER" else []
        waf.add_response("list_resources_for_web_acl", {"ResourceArns": found}, {"WebACLArn": ARN, "ResourceType": resource_type})
    waf.add_response("disassociate_web_acl", {}, {"ResourceArn": OLD_ALB})

    result = stubbed.run(wafv2_web_acl.main, {"name": NAME, "default_action": "Allow", "associations": [ALB], "purge_associations": True}, diff=True)

    assert result["changed"] is True, result
    assert result["associations"] == [ALB]
    assert result["diff"]["before"]["associations"] == sorted([ALB, OLD_ALB])
    stubbed.assert_all_used()


def test_update_after_another_writer_reads_again_and_uses_the_new_lock_token(stubbed):
    waf = stubbed("wafv2")
    queue_read(waf, web_acl(), "token-1")
    wanted_rule = copy.deepcopy(RATE_RULE)
    wanted_rule["Statement"]["RateBasedStatement"]["Limit"] = 500
    expected = {"Name": NAME, "Scope": "REGIONAL", "Id": ACL_ID, "DefaultAction": {"Allow": {}}, "VisibilityConfig": VISIBILITY, "Rules": [wanted_rule]}
    waf.add_client_error("update_web_acl", "WAFOptimisticLockException", expected_params=dict(expected, LockToken="token-1"))
    # someone else changed the description meanwhile: it is sent back
    changed_by_hand = {"WebACL": web_acl(Description="Changed by hand"), "LockToken": "token-2"}
    waf.add_response("get_web_acl", changed_by_hand, {"Name": NAME, "Scope": "REGIONAL", "Id": ACL_ID})
    waf.add_response("update_web_acl", {"NextLockToken": "token-3"}, dict(expected, LockToken="token-2", Description="Changed by hand"))

    rule = wafv2_rules([], metric_prefix=NAME, rate_limit=500, rate_limit_priority=100)
    result = stubbed.run(wafv2_web_acl.main, {"name": NAME, "default_action": "Allow", "rules": rule})

    assert result["changed"] is True, result
    stubbed.assert_all_used()


def test_removing_every_rule(stubbed):
    waf = stubbed("wafv2")
    queue_read(waf, web_acl(), "token-1")
    expected = {"Name": NAME, "Scope": "REGIONAL", "Id": ACL_ID, "DefaultAction": {"Allow": {}}, "VisibilityConfig": VISIBILITY, "Rules": []}
    waf.add_response("update_web_acl", {"NextLockToken": "token-2"}, dict(expected, LockToken="token-1"))

    result = stubbed.run(wafv2_web_acl.main, {"name": NAME, "default_action": "Allow", "rules": []}, diff=True)

    assert result["changed"] is True
    assert result["diff"]["after"]["web_acl"]["rules"] == []
    stubbed.assert_all_used()
