# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""elbv2_load_balancer_attributes and its _info against the moto server (ELBv2 load balancer attributes are emulated).

moto reports only four attributes of a new load balancer until others are set; the module
treats an unreported attribute as different, which is what these tests rely on.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import elbv2_load_balancer_attributes
from ansible_collections.healthplatform.aws.plugins.modules import elbv2_load_balancer_attributes_info

HARDENED = {
    "deletion_protection.enabled": True,
    "routing.http.drop_invalid_header_fields.enabled": True,
    "routing.http.desync_mitigation_mode": "strictest",
    "idle_timeout.timeout_seconds": 60,
}


@pytest.fixture
def alb(aws):
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24", AvailabilityZone=f"us-east-1{'ab'[i]}")["Subnet"]["SubnetId"] for i in range(2)]
    return aws.client("elbv2").create_load_balancer(Name="hp-alb", Subnets=subnets, Type="application")["LoadBalancers"][0]["LoadBalancerArn"]


def live(aws, arn):
    return {a["Key"]: a["Value"] for a in aws.client("elbv2").describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]}


def test_set_by_name(aws, alb):
    result = aws.run(elbv2_load_balancer_attributes.main, {"load_balancer": "hp-alb", "attributes": HARDENED})

    assert result["changed"] is True
    assert result["load_balancer_arn"] == alb
    attributes = live(aws, alb)
    assert attributes["deletion_protection.enabled"] == "true"
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert attributes["routing.http.desync_mitigation_mode"] == "strictest"
    assert attributes["idle_timeout.timeout_seconds"] == "60"
    assert sorted(result["changed_attributes"]) == sorted(HARDENED)


def test_no_change_makes_no_mutating_call(aws, alb):
    aws.run(elbv2_load_balancer_attributes.main, {"load_balancer": alb, "attributes": HARDENED})
    with aws.recording() as calls:
        result = aws.run(elbv2_load_balancer_attributes.main, {"load_balancer": alb, "attributes": {**HARDENED, "deletion_protection.enabled": "True"}})
    assert result["changed"] is False
    assert result["changed_attributes"] == []
    assert calls
    assert aws.mutating(calls) == []


def test_only_differing_attributes_are_sent(aws, alb):
    aws.run(elbv2_load_balancer_attributes.main, {"load_balancer": alb, "attributes": HARDENED})
    with aws.recording() as calls:
        result = aws.run(
            elbv2_load_balancer_attributes.main, {"load_balancer": alb, "attributes": {**HARDENED, "deletion_protection.enabled": False}}, diff=True
        )
    assert result["changed_attributes"] == ["deletion_protection.enabled"]
    assert aws.mutating(calls) == ["elbv2:ModifyLoadBalancerAttributes"]
    assert live(aws, alb)["deletion_protection.enabled"] == "false"
    assert result["diff"]["before"]["deletion_protection.enabled"] == "true"
    assert result["diff"]["after"]["deletion_protection.enabled"] == "false"


def test_access_logs(aws, alb):
    aws.client("s3").create_bucket(Bucket="hp-alb-logs")
    attributes = {"access_logs.s3.enabled": True, "access_logs.s3.bucket": "hp-alb-logs", "access_logs.s3.prefix": "portal"}
    assert aws.run(elbv2_load_balancer_attributes.main, {"load_balancer": alb, "attributes": attributes})["changed"] is True
    assert {k: v for k, v in live(aws, alb).items() if k.startswith("access_logs")} == {
        "access_logs.s3.enabled": "true",
        "access_logs.s3.bucket": "hp-alb-logs",
        "access_logs.s3.prefix": "portal",
    }


def test_check_mode_changes_nothing(aws, alb):
    before = live(aws, alb)
    with aws.recording() as calls:
        result = aws.run(elbv2_load_balancer_attributes.main, {"load_balancer": alb, "attributes": HARDENED}, check_mode=True)
    assert result["changed"] is True
    assert result["attributes"]["deletion_protection.enabled"] == "true"
    assert live(aws, alb) == before
    assert aws.mutating(calls) == []


def test_unknown_load_balancer_fails(aws, alb):
    result = aws.run(elbv2_load_balancer_attributes.main, {"load_balancer": "nope", "attributes": HARDENED})
    assert result.failed
    assert "load_balancer 'nope' does not exist" in result["msg"]


@pytest.mark.parametrize(
    "attributes, option",
    [
        ({}, "attributes"),
        ({"Deletion Protection": True}, "attributes"),
        ({"deletion_protection.enabled": None}, "attributes.deletion_protection.enabled"),
        ({"access_logs.s3.bucket": ["a", "b"]}, "attributes.access_logs.s3.bucket"),
    ],
)
def test_bad_input_fails_before_any_call(aws, alb, attributes, option):
    with aws.recording() as calls:
        result = aws.run(elbv2_load_balancer_attributes.main, {"load_balancer": alb, "attributes": attributes})
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info_by_name_and_arn(aws, alb):
    aws.run(elbv2_load_balancer_attributes.main, {"load_balancer": alb, "attributes": HARDENED})
    result = aws.run(elbv2_load_balancer_attributes_info.main, {"load_balancers": ["hp-alb", alb]})
    assert result["changed"] is False
    assert [b["load_balancer_arn"] for b in result["load_balancers"]] == [alb, alb]
    assert result["load_balancers"][0]["attributes"]["routing.http.drop_invalid_header_fields.enabled"] == "true"
    missing = aws.run(elbv2_load_balancer_attributes_info.main, {"load_balancers": ["nope"]})
    assert missing.failed and "'nope' does not exist" in missing["msg"]
