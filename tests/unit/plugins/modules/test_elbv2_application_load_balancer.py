# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""elbv2_application_load_balancer against the moto server (ELBv2 is emulated: load balancers,
target groups with attributes, listeners with certificates, tags, load balancer attributes).

moto reports only four attributes of a new load balancer until others are set, and a redirect
action as it was sent; the module compares semantically, which these tests check from both sides.
AWS's way of describing a single-group forward (TargetGroupArn plus a ForwardConfig with weight 1
and stickiness off) and filled-in redirect defaults are not what moto answers: those comparisons
are checked on the module's functions directly (test_actions_compare_semantically).
"""

from __future__ import annotations

import copy

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import elbv2_application_load_balancer as alb_module
from ansible_collections.healthplatform.aws.plugins.modules import elbv2_load_balancer_attributes

RUN = alb_module.main
ALB = "hp-alb"
WEB = "hp-web"
ATTRIBUTES = {
    "deletion_protection.enabled": False,
    "routing.http.drop_invalid_header_fields.enabled": True,
    "routing.http.desync_mitigation_mode": "strictest",
    "idle_timeout.timeout_seconds": 60,
}


@pytest.fixture
def net(aws):
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24", AvailabilityZone=f"us-east-1{'abc'[i]}")["Subnet"]["SubnetId"] for i in range(3)]
    group = ec2.create_security_group(GroupName="hp-alb", Description="alb", VpcId=vpc)["GroupId"]
    other_group = ec2.create_security_group(GroupName="hp-alb-2", Description="alb 2", VpcId=vpc)["GroupId"]
    acm = aws.client("acm")
    certificates = [acm.request_certificate(DomainName=f"portal{i}.example.org")["CertificateArn"] for i in range(3)]
    return {"vpc": vpc, "subnets": subnets, "group": group, "other_group": other_group, "certificates": certificates}


def args(net, **overrides):
    """The edge role's load balancer, as one module call."""
    result = {
        "name": ALB,
        "scheme": "internet-facing",
        "subnets": net["subnets"][:2],
        "security_groups": [net["group"]],
        "tags": {"Platform": "hp", "Name": ALB},
        "attributes": dict(ATTRIBUTES),
        "target_groups": [
            {
                "name": WEB,
                "protocol": "HTTPS",
                "port": 443,
                "vpc_id": net["vpc"],
                "target_type": "instance",
                "health_check": {
                    "protocol": "HTTPS",
                    "port": "traffic-port",
                    "path": "/healthz",
                    "interval_seconds": 15,
                    "timeout_seconds": 5,
                    "healthy_threshold_count": 3,
                    "unhealthy_threshold_count": 3,
                },
                "matcher": {"http_code": "200"},
                "deregistration_delay": 30,
                "tags": {"Platform": "hp", "Name": WEB},
            }
        ],
        "listeners": [
            {
                "port": 443,
                "protocol": "HTTPS",
                "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
                "certificates": [net["certificates"][0]],
                "default_actions": [{"type": "forward", "target_group": WEB}],
            },
            {
                "port": 80,
                "protocol": "HTTP",
                "default_actions": [
                    {
                        "type": "redirect",
                        "redirect": {"protocol": "HTTPS", "port": "443", "host": "#{host}", "path": "/#{path}", "query": "#{query}", "status_code": "HTTP_301"},
                    }
                ],
            },
        ],
        "purge_listeners": True,
    }
    result.update(overrides)
    return result


def state(aws):
    """What the emulator holds: (load balancer, {port: listener}, target group, its attributes, lb attributes, tags by ARN)."""
    elbv2 = aws.client("elbv2")
    balancers = [b for b in elbv2.describe_load_balancers()["LoadBalancers"] if b["LoadBalancerName"] == ALB]
    groups = [g for g in elbv2.describe_target_groups()["TargetGroups"] if g["TargetGroupName"] == WEB]
    balancer = balancers[0] if balancers else None
    group = groups[0] if groups else None
    listeners = {}
    attributes = {}
    if balancer:
        listeners = {listener["Port"]: listener for listener in elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]}
        attributes = {a["Key"]: a["Value"] for a in elbv2.describe_load_balancer_attributes(LoadBalancerArn=balancer["LoadBalancerArn"])["Attributes"]}
    group_attributes = {}
    if group:
        group_attributes = {a["Key"]: a["Value"] for a in elbv2.describe_target_group_attributes(TargetGroupArn=group["TargetGroupArn"])["Attributes"]}
    arns = [r["LoadBalancerArn"] for r in [balancer] if r] + [r["TargetGroupArn"] for r in [group] if r]
    tags = {}
    if arns:
        tags = {d["ResourceArn"]: {t["Key"]: t["Value"] for t in d["Tags"]} for d in elbv2.describe_tags(ResourceArns=arns)["TagDescriptions"]}
    return balancer, listeners, group, group_attributes, attributes, tags


def operations(calls):
    return sorted(f"{c['service']}:{c['operation']}" for c in calls)


def test_create_everything_in_one_run(aws, net):
    result = aws.run(RUN, args(net))

    assert result["changed"] is True, result
    balancer, listeners, group, group_attributes, attributes, tags = state(aws)
    assert balancer["Scheme"] == "internet-facing" and balancer["Type"] == "application"
    assert {z["SubnetId"] for z in balancer["AvailabilityZones"]} == set(net["subnets"][:2])
    assert balancer["SecurityGroups"] == [net["group"]]
    assert group["Protocol"] == "HTTPS" and group["Port"] == 443 and group["VpcId"] == net["vpc"]
    assert group["HealthCheckProtocol"] == "HTTPS" and group["HealthCheckPath"] == "/healthz"
    assert (group["HealthCheckIntervalSeconds"], group["HealthCheckTimeoutSeconds"]) == (15, 5)
    assert (group["HealthyThresholdCount"], group["UnhealthyThresholdCount"]) == (3, 3)
    assert group["Matcher"] == {"HttpCode": "200"}
    assert group_attributes["deregistration_delay.timeout_seconds"] == "30"
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert attributes["routing.http.desync_mitigation_mode"] == "strictest"
    assert tags[balancer["LoadBalancerArn"]] == {"Platform": "hp", "Name": ALB}
    assert tags[group["TargetGroupArn"]] == {"Platform": "hp", "Name": WEB}
    assert set(listeners) == {443, 80}
    https = listeners[443]
    assert https["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert https["Certificates"][0]["CertificateArn"] == net["certificates"][0]
    assert https["DefaultActions"][0]["TargetGroupArn"] == group["TargetGroupArn"]
    assert listeners[80]["DefaultActions"][0]["RedirectConfig"]["Protocol"] == "HTTPS"
    assert listeners[80]["DefaultActions"][0]["RedirectConfig"]["StatusCode"] == "HTTP_301"

    # what the edge role reads from the result
    assert result["load_balancer_arn"] == balancer["LoadBalancerArn"]
    assert result["dns_name"] == balancer["DNSName"] and result["dns_name"]
    assert result["load_balancer"]["canonical_hosted_zone_id"] == balancer["CanonicalHostedZoneId"]
    assert result["load_balancer"]["attributes"]["routing.http.desync_mitigation_mode"] == "strictest"
    assert result["target_groups"][WEB]["target_group_arn"] == group["TargetGroupArn"]
    assert result["target_groups"][WEB]["attributes"]["deregistration_delay.timeout_seconds"] == "30"
    assert [listener["port"] for listener in result["listeners"]] == [80, 443]
    assert result["listeners"][1]["default_actions"][0]["target_group_name"] == WEB
    assert result["listeners"][1]["certificates"] == [{"certificate_arn": net["certificates"][0]}]


def test_no_change_makes_no_mutating_call(aws, net):
    aws.run(RUN, args(net))
    # the same input in other forms: booleans as text, a port as a number, tags in another order
    same = args(net, tags={"Name": ALB, "Platform": "hp"}, attributes={**ATTRIBUTES, "deletion_protection.enabled": "False"})
    same["listeners"][1]["default_actions"][0]["redirect"]["port"] = 443
    with aws.recording() as calls:
        result = aws.run(RUN, same, diff=True)
    assert result["changed"] is False, result["changes"]
    assert result["changes"] == []
    assert aws.mutating(calls) == []
    # one read of each kind: load balancer, target groups, their attributes, listeners, certificates, lb attributes, tags
    assert operations(calls) == [
        "elbv2:DescribeListenerCertificates",
        "elbv2:DescribeListeners",
        "elbv2:DescribeLoadBalancerAttributes",
        "elbv2:DescribeLoadBalancers",
        "elbv2:DescribeTags",
        "elbv2:DescribeTargetGroupAttributes",
        "elbv2:DescribeTargetGroups",
    ]
    assert result["diff"]["before"] == result["diff"]["after"]
    assert result["load_balancer_arn"] and result["target_groups"][WEB]["target_group_arn"]


def test_update_health_check_ssl_policy_attribute_and_tags(aws, net):
    aws.run(RUN, args(net))
    changed = args(net, tags={"Platform": "hp", "Name": ALB, "Tier": "edge"}, attributes={**ATTRIBUTES, "idle_timeout.timeout_seconds": 120})
    changed["target_groups"][0]["health_check"]["path"] = "/ready"
    changed["listeners"][0]["ssl_policy"] = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
    with aws.recording() as calls:
        result = aws.run(RUN, changed, diff=True)

    assert result["changed"] is True
    assert sorted(aws.mutating(calls)) == [
        "elbv2:AddTags",
        "elbv2:ModifyListener",
        "elbv2:ModifyLoadBalancerAttributes",
        "elbv2:ModifyTargetGroup",
    ]
    balancer, listeners, group, _group_attributes, attributes, tags = state(aws)
    assert group["HealthCheckPath"] == "/ready"
    assert group["HealthCheckIntervalSeconds"] == 15, "the other health check settings stay"
    assert listeners[443]["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
    assert listeners[443]["Certificates"][0]["CertificateArn"] == net["certificates"][0]
    assert listeners[443]["DefaultActions"][0]["TargetGroupArn"] == group["TargetGroupArn"]
    assert attributes["idle_timeout.timeout_seconds"] == "120"
    assert tags[balancer["LoadBalancerArn"]]["Tier"] == "edge"
    assert result["diff"]["before"]["target_groups"][WEB]["health_check"]["path"] == "/healthz"
    assert result["diff"]["after"]["target_groups"][WEB]["health_check"]["path"] == "/ready"
    assert result["diff"]["after"]["listeners"]["443"]["ssl_policy"] == "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"

    with aws.recording() as calls:
        again = aws.run(RUN, changed)
    assert again["changed"] is False and aws.mutating(calls) == []


def test_tags_purged_or_kept(aws, net):
    aws.run(RUN, args(net))
    fewer = args(net, tags={"Name": ALB})
    fewer["target_groups"][0]["tags"] = {"Name": WEB}
    fewer["target_groups"][0]["purge_tags"] = False
    with aws.recording() as calls:
        aws.run(RUN, fewer)
    assert aws.mutating(calls) == ["elbv2:RemoveTags"]
    balancer, _listeners, group, _ga, _a, tags = state(aws)
    assert tags[balancer["LoadBalancerArn"]] == {"Name": ALB}
    assert tags[group["TargetGroupArn"]] == {"Platform": "hp", "Name": WEB}


def test_listener_actions_certificates_and_purge(aws, net):
    aws.run(RUN, args(net))
    changed = args(net)
    # the HTTPS listener gets two more certificates; port 80 answers 403 itself; port 8080 is new
    changed["listeners"][0]["certificates"] = net["certificates"]
    changed["listeners"][1]["default_actions"] = [
        {"type": "fixed-response", "fixed_response": {"status_code": "403", "content_type": "text/plain", "message_body": "no"}}
    ]
    changed["listeners"].append({"port": 8080, "protocol": "HTTP", "default_actions": [{"type": "forward", "target_group": WEB}]})
    with aws.recording() as calls:
        result = aws.run(RUN, changed)
    assert sorted(aws.mutating(calls)) == ["elbv2:AddListenerCertificates", "elbv2:CreateListener", "elbv2:ModifyListener"]
    _balancer, listeners, group, _ga, _a, _tags = state(aws)
    assert listeners[80]["DefaultActions"][0]["FixedResponseConfig"]["StatusCode"] == "403"
    assert listeners[8080]["DefaultActions"][0]["TargetGroupArn"] == group["TargetGroupArn"]
    certificates = aws.client("elbv2").describe_listener_certificates(ListenerArn=listeners[443]["ListenerArn"])["Certificates"]
    assert {c["CertificateArn"] for c in certificates} == set(net["certificates"])
    assert [c["certificate_arn"] for c in result["listeners"][1]["certificates"]] == [net["certificates"][0]] + sorted(net["certificates"][1:])
    with aws.recording() as calls:
        assert aws.run(RUN, changed)["changed"] is False
    assert aws.mutating(calls) == []

    # one certificate fewer; port 8080 unlisted but kept (purge_listeners false)
    fewer = copy.deepcopy(changed)
    fewer["listeners"][0]["certificates"] = net["certificates"][:2]
    fewer["listeners"].pop()
    fewer["purge_listeners"] = False
    with aws.recording() as calls:
        kept = aws.run(RUN, fewer)
    assert aws.mutating(calls) == ["elbv2:RemoveListenerCertificates"]
    assert [listener["port"] for listener in kept["listeners"]] == [80, 443, 8080]

    # purged
    with aws.recording() as calls:
        aws.run(RUN, dict(fewer, purge_listeners=True))
    assert aws.mutating(calls) == ["elbv2:DeleteListener"]
    assert set(state(aws)[1]) == {80, 443}


def test_subnets_and_security_groups(aws, net):
    aws.run(RUN, args(net))
    with aws.recording() as calls:
        aws.run(RUN, args(net, subnets=net["subnets"][1:], security_groups=[net["group"], net["other_group"]]))
    assert sorted(aws.mutating(calls)) == ["elbv2:SetSecurityGroups", "elbv2:SetSubnets"]
    balancer = state(aws)[0]
    assert {z["SubnetId"] for z in balancer["AvailabilityZones"]} == set(net["subnets"][1:])
    assert set(balancer["SecurityGroups"]) == {net["group"], net["other_group"]}


def test_registered_targets_are_left_alone(aws, net):
    aws.run(RUN, args(net))
    group_arn = state(aws)[2]["TargetGroupArn"]
    elbv2 = aws.client("elbv2")
    elbv2.register_targets(TargetGroupArn=group_arn, Targets=[{"Id": "i-0123456789abcdef0"}])
    changed = args(net)
    changed["target_groups"][0]["health_check"]["path"] = "/ready"
    with aws.recording() as calls:
        aws.run(RUN, changed)
    assert not [c for c in calls if "Target" in c["operation"] and "register" in c["operation"].lower()]
    assert [t["Target"]["Id"] for t in elbv2.describe_target_health(TargetGroupArn=group_arn)["TargetHealthDescriptions"]] == ["i-0123456789abcdef0"]


def test_delete_listeners_load_balancer_and_target_groups(aws, net):
    aws.run(RUN, args(net))
    with aws.recording() as calls:
        result = aws.run(RUN, {"name": ALB, "state": "absent", "target_groups": [{"name": WEB}]}, diff=True)
    assert result["changed"] is True
    assert sorted(aws.mutating(calls)) == ["elbv2:DeleteListener", "elbv2:DeleteListener", "elbv2:DeleteLoadBalancer", "elbv2:DeleteTargetGroup"]
    assert state(aws)[0] is None and state(aws)[2] is None
    assert result["load_balancer_arn"] == "" and result["target_groups"] == {}
    assert result["diff"]["before"]["target_groups"][WEB]["target_group_arn"]

    with aws.recording() as calls:
        again = aws.run(RUN, {"name": ALB, "state": "absent", "target_groups": [{"name": WEB}]})
    assert again["changed"] is False and aws.mutating(calls) == []


def test_delete_refused_with_deletion_protection(aws, net):
    aws.run(RUN, args(net, attributes={**ATTRIBUTES, "deletion_protection.enabled": True}))
    with aws.recording() as calls:
        result = aws.run(RUN, {"name": ALB, "state": "absent", "target_groups": [{"name": WEB}]})
    assert result.failed and "deletion protection" in result["msg"]
    assert aws.mutating(calls) == []
    assert state(aws)[0] is not None


def test_check_mode_on_a_fresh_account_plans_everything(aws, net):
    with aws.recording() as calls:
        result = aws.run(RUN, args(net), check_mode=True, diff=True)
    assert result["changed"] is True
    assert aws.mutating(calls) == []
    assert operations(calls) == ["elbv2:DescribeLoadBalancers", "elbv2:DescribeTargetGroups"]
    assert state(aws)[0] is None and state(aws)[2] is None
    assert result["load_balancer_arn"] == "" and result["dns_name"] == ""
    assert result["load_balancer"]["load_balancer_name"] == ALB
    assert result["load_balancer"]["attributes"]["routing.http.desync_mitigation_mode"] == "strictest"
    assert result["target_groups"][WEB]["target_group_arn"] == ""
    assert result["target_groups"][WEB]["health_check_path"] == "/healthz"
    assert [listener["port"] for listener in result["listeners"]] == [80, 443]
    assert result["diff"]["after"]["listeners"]["443"]["default_actions"] == ["forward to (planned)"]
    assert "create load balancer hp-alb" in result["changes"]


def test_check_mode_accepts_a_certificate_only_planned(aws, net):
    """In check mode, the certificate task before this one returns no ARN yet: planned, with a warning."""
    planned = args(net)
    planned["listeners"][0]["certificates"] = [""]
    with aws.recording() as calls:
        result = aws.run(RUN, planned, check_mode=True)
    assert result["changed"] is True and aws.mutating(calls) == []
    assert "empty ARN" in str(result["warnings"]), result.get("warnings")
    # outside check mode it is bad input
    with aws.recording() as calls:
        result = aws.run(RUN, planned)
    assert result.failed and "listeners[0].certificates: '' is not a certificate ARN" in result["msg"]
    assert calls == []


def test_check_mode_on_a_converged_account(aws, net):
    aws.run(RUN, args(net))
    before = state(aws)
    with aws.recording() as calls:
        result = aws.run(RUN, args(net), check_mode=True)
    assert result["changed"] is False and aws.mutating(calls) == []
    assert result["load_balancer_arn"] == before[0]["LoadBalancerArn"]

    changed = args(net, attributes={**ATTRIBUTES, "idle_timeout.timeout_seconds": 120})
    changed["target_groups"][0]["health_check"]["path"] = "/ready"
    changed["listeners"][0]["ssl_policy"] = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
    with aws.recording() as calls:
        result = aws.run(RUN, changed, check_mode=True)
    assert result["changed"] is True and aws.mutating(calls) == []
    assert state(aws) == before
    assert result["target_groups"][WEB]["health_check_path"] == "/ready"
    assert result["load_balancer"]["attributes"]["idle_timeout.timeout_seconds"] == "120"
    assert result["listeners"][1]["ssl_policy"] == "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"

    with aws.recording() as calls:
        result = aws.run(RUN, {"name": ALB, "state": "absent", "target_groups": [{"name": WEB}]}, check_mode=True)
    assert result["changed"] is True and aws.mutating(calls) == []
    assert state(aws)[0] is not None


def test_fixed_settings_fail_before_any_change(aws, net):
    aws.run(RUN, args(net))
    changed = args(net, scheme="internal", tags={"Name": "other"})
    changed["target_groups"][0]["port"] = 8443
    with aws.recording() as calls:
        result = aws.run(RUN, changed)
    assert result.failed
    assert "target_groups[0].port" in result["msg"] and "scheme" in result["msg"]
    assert aws.mutating(calls) == []


def test_create_needs_subnets(aws, net):
    with aws.recording() as calls:
        result = aws.run(RUN, args(net, subnets=None))
    assert result.failed and "subnets is required" in result["msg"]
    assert aws.mutating(calls) == []


def test_attributes_module_still_sets_what_this_module_manages(aws, net):
    aws.run(RUN, args(net))
    result = aws.run(elbv2_load_balancer_attributes.main, {"load_balancer": ALB, "attributes": {"idle_timeout.timeout_seconds": 90}})
    assert result["changed"] is True and result["changed_attributes"] == ["idle_timeout.timeout_seconds"]
    assert state(aws)[4]["idle_timeout.timeout_seconds"] == "90"


def bad(net, path, value):
    result = args(net)
    target = result
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return result


@pytest.mark.parametrize(
    "path, value, option",
    [
        (("name",), "bad_name", "name"),
        (("name",), "internal-alb", "name"),
        (("subnets",), ["subnet-1"], "subnets"),
        (("subnets",), ["net-1", "subnet-2"], "subnets"),
        (("security_groups",), ["alb"], "security_groups"),
        (("attributes",), {"Deletion Protection": True}, "attributes"),
        (("target_groups", 0, "port"), None, "target_groups[0].port"),
        (("target_groups", 0, "vpc_id"), "vpc", "target_groups[0].vpc_id"),
        (("target_groups", 0, "name"), "x" * 33, "target_groups[0].name"),
        (("target_groups", 0, "health_check", "path"), "healthz", "target_groups[0].health_check.path"),
        (("target_groups", 0, "health_check", "timeout_seconds"), 20, "target_groups[0].health_check.timeout_seconds"),
        (("target_groups", 0, "health_check", "port"), "https", "target_groups[0].health_check.port"),
        (("target_groups", 0, "matcher"), {"http_code": "ok"}, "target_groups[0].matcher.http_code"),
        (("target_groups", 0, "deregistration_delay"), 4000, "target_groups[0].deregistration_delay"),
        (("target_groups", 0, "attributes"), {"deregistration_delay.timeout_seconds": 60}, "target_groups[0].deregistration_delay"),
        (("listeners", 0, "certificates"), None, "listeners[0].certificates"),
        (("listeners", 1, "ssl_policy"), "ELBSecurityPolicy-TLS13-1-2-2021-06", "listeners[1].ssl_policy"),
        (("listeners", 1, "port"), 443, "listeners[1].port"),
        (("listeners", 0, "default_actions", 0, "target_group"), "hp-missing", "listeners[0].default_actions[0].target_group"),
        (("listeners", 0, "default_actions", 0, "type"), "redirect", "listeners[0].default_actions[0].redirect"),
        (("listeners", 0, "default_actions"), [], "listeners[0].default_actions"),
        (("listeners", 1, "default_actions", 0, "redirect", "protocol"), "FTP", "listeners[1].default_actions[0].redirect.protocol"),
    ],
)
def test_bad_input_fails_before_any_call(aws, net, path, value, option):
    with aws.recording() as calls:
        result = aws.run(RUN, bad(net, path, value))
    assert result.failed, result
    assert option in result["msg"]
    assert calls == []


def test_target_groups_listed_twice(aws, net):
    twice = args(net)
    twice["target_groups"].append(copy.deepcopy(twice["target_groups"][0]))
    with aws.recording() as calls:
        result = aws.run(RUN, twice)
    assert result.failed and "target_groups[1].name: hp-web is listed twice" in result["msg"]
    assert calls == []


def test_actions_compare_semantically():
    """AWS describes a single-group forward with a ForwardConfig and fills in redirect defaults; moto does neither."""
    arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/hp-web/0123456789abcdef"
    sent = alb_module.request_action({"type": "forward", "target_group": "hp-web", "redirect": None, "fixed_response": None}, {"hp-web": arn})
    described = {
        "Type": "forward",
        "Order": 1,
        "TargetGroupArn": arn,
        "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": arn, "Weight": 1}], "TargetGroupStickinessConfig": {"Enabled": False}},
    }
    assert alb_module.actions_key([described]) == alb_module.actions_key([sent])
    sticky = copy.deepcopy(described)
    sticky["ForwardConfig"]["TargetGroupStickinessConfig"]["Enabled"] = True
    assert alb_module.actions_key([sticky]) != alb_module.actions_key([sent])

    redirect = {"protocol": "HTTPS", "port": "443", "host": "#{host}", "path": "/#{path}", "query": "#{query}", "status_code": "HTTP_301"}
    sent = alb_module.request_action({"type": "redirect", "target_group": None, "redirect": redirect, "fixed_response": None}, {})
    described = {"Type": "redirect", "Order": 1, "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}
    assert alb_module.actions_key([described]) == alb_module.actions_key([sent])
    described["RedirectConfig"]["StatusCode"] = "HTTP_302"
    assert alb_module.actions_key([described]) != alb_module.actions_key([sent])
