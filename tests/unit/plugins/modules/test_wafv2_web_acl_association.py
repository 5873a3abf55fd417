# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""wafv2_web_acl_association and its _info against the moto server.

moto implements GetWebACLForResource, AssociateWebACL and DisassociateWebACL (not
ListResourcesForWebACL, which the module does not use).
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import wafv2_web_acl_association
from ansible_collections.healthplatform.aws.plugins.modules import wafv2_web_acl_association_info

VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "acl"}


@pytest.fixture
def edge(aws):
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24", AvailabilityZone=f"us-east-1{'ab'[i]}")["Subnet"]["SubnetId"] for i in range(2)]
    alb = aws.client("elbv2").create_load_balancer(Name="hp-alb", Subnets=subnets, Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    waf = aws.client("wafv2")
    acls = [
        waf.create_web_acl(Name=name, Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=VISIBILITY, Rules=[])["Summary"]["ARN"]
        for name in ("hp-portal", "hp-other")
    ]
    return {"alb": alb, "acl": acls[0], "other": acls[1]}


def protecting(aws, resource_arn):
    return (aws.client("wafv2").get_web_acl_for_resource(ResourceArn=resource_arn).get("WebACL") or {}).get("ARN", "")


def test_associate(aws, edge):
    result = aws.run(wafv2_web_acl_association.main, {"resource_arn": edge["alb"], "web_acl_arn": edge["acl"]})
    assert result["changed"] is True
    assert result["previous_web_acl_arn"] == ""
    assert protecting(aws, edge["alb"]) == edge["acl"]


def test_no_change_makes_no_mutating_call(aws, edge):
    aws.run(wafv2_web_acl_association.main, {"resource_arn": edge["alb"], "web_acl_arn": edge["acl"]})
    with aws.recording() as calls:
        result = aws.run(wafv2_web_acl_association.main, {"resource_arn": edge["alb"], "web_acl_arn": edge["acl"]})
    assert result["changed"] is False
    assert [c["operation"] for c in calls] == ["GetWebACLForResource"]
    assert aws.mutating(calls) == []


def test_switch_to_another_web_acl(aws, edge):
    aws.run(wafv2_web_acl_association.main, {"resource_arn": edge["alb"], "web_acl_arn": edge["other"]})
    result = aws.run(wafv2_web_acl_association.main, {"resource_arn": edge["alb"], "web_acl_arn": edge["acl"]}, diff=True)
    assert result["changed"] is True
    assert result["previous_web_acl_arn"] == edge["other"]
    assert result["diff"] == {"before": {"web_acl_arn": edge["other"]}, "after": {"web_acl_arn": edge["acl"]}}
    assert protecting(aws, edge["alb"]) == edge["acl"]


def test_remove_only_a_matching_association(aws, edge):
    aws.run(wafv2_web_acl_association.main, {"resource_arn": edge["alb"], "web_acl_arn": edge["acl"]})
    other = aws.run(wafv2_web_acl_association.main, {"resource_arn": edge["alb"], "web_acl_arn": edge["other"], "state": "absent"})
    assert other["changed"] is False
    assert protecting(aws, edge["alb"]) == edge["acl"]

    removed = aws.run(wafv2_web_acl_association.main, {"resource_arn": edge["alb"], "state": "absent"})
    assert removed["changed"] is True
    assert protecting(aws, edge["alb"]) == ""
    assert aws.run(wafv2_web_acl_association.main, {"resource_arn": edge["alb"], "state": "absent"})["changed"] is False


def test_check_mode_changes_nothing(aws, edge):
    with aws.recording() as calls:
        create = aws.run(wafv2_web_acl_association.main, {"resource_arn": edge["alb"], "web_acl_arn": edge["acl"]}, check_mode=True)
    assert create["changed"] is True and create["web_acl_arn"] == edge["acl"]
    assert protecting(aws, edge["alb"]) == ""
    assert aws.mutating(calls) == []

    aws.run(wafv2_web_acl_association.main, {"resource_arn": edge["alb"], "web_acl_arn": edge["acl"]})
    with aws.recording() as calls:
        switch = aws.run(wafv2_web_acl_association.main, {"resource_arn": edge["alb"], "web_acl_arn": edge["other"]}, check_mode=True)
        delete = aws.run(wafv2_web_acl_association.main, {"resource_arn": edge["alb"], "state": "absent"}, check_mode=True)
    assert switch["changed"] is True and delete["changed"] is True
    assert protecting(aws, edge["alb"]) == edge["acl"]
    assert aws.mutating(calls) == []


@pytest.mark.parametrize(
    "args, option",
    [
        ({"web_acl_arn": None}, "web_acl_arn"),
        ({"web_acl_arn": "hp-portal"}, "web_acl_arn"),
        ({"web_acl_arn": "arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/1"}, "web_acl_arn"),
        ({"resource_arn": "hp-alb"}, "resource_arn"),
        ({"resource_arn": "arn:aws:cloudfront::123456789012:distribution/E1"}, "resource_arn"),
    ],
)
def test_bad_input_fails_before_any_call(aws, edge, args, option):
    with aws.recording() as calls:
        result = aws.run(wafv2_web_acl_association.main, {"resource_arn": edge["alb"], "web_acl_arn": edge["acl"], **args})
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info_returns_the_web_acl_with_rules(aws, edge):
    aws.run(wafv2_web_acl_association.main, {"resource_arn": edge["alb"], "web_acl_arn": edge["acl"]})
    result = aws.run(wafv2_web_acl_association_info.main, {"resource_arns": [edge["alb"]]})
    assert result["changed"] is False
    (association,) = result["associations"]
    assert association["web_acl_arn"] == edge["acl"]
    assert association["web_acl"]["name"] == "hp-portal"
    assert association["web_acl"]["rules"] == []
