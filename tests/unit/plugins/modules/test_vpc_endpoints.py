# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_endpoints against the moto server (EC2 VPC endpoints are emulated)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import vpc_endpoint
from ansible_collections.healthplatform.aws.plugins.modules import vpc_endpoints

S3_READ_ONLY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject"], "Resource": "*"}]}


@pytest.fixture
def net(aws):
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24", AvailabilityZone=f"us-east-1{'ab'[i]}")["Subnet"]["SubnetId"] for i in range(2)]
    groups = [ec2.create_security_group(GroupName=f"ep-{i}", Description="endpoint", VpcId=vpc)["GroupId"] for i in range(3)]
    tables = [ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"] for _index in range(2)]
    return {"vpc": vpc, "subnets": subnets, "groups": groups, "tables": tables}


def interface(net, service, group, **extra):
    spec = {"service": service, "subnet_ids": net["subnets"], "security_group_ids": [group], "private_dns_enabled": True, "tags": {"Name": f"hp-{service}"}}
    spec.update(extra)
    return spec


def platform(net, **changes):
    """Two interface endpoints and the S3 gateway endpoint, as the network role lists them."""
    specs = [
        interface(net, "ssm", net["groups"][0]),
        interface(net, "kms", net["groups"][1]),
        {"service": "s3", "vpc_endpoint_type": "Gateway", "route_table_ids": [net["tables"][0]], "tags": {"Name": "hp-s3"}},
    ]
    for spec in specs:
        spec.update(changes.get(spec["service"], {}))
    return specs


def args(net, specs, **extra):
    return {"vpc_id": net["vpc"], "endpoints": specs, **extra}


def live(aws, net):
    endpoints = aws.client("ec2").describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [net["vpc"]]}])["VpcEndpoints"]
    return {e["ServiceName"].rsplit(".", 1)[1]: e for e in endpoints if e["State"].lower() not in ("deleted", "deleting")}


def operations(calls, name):
    return [c for c in calls if c["operation"] == name]


def test_create_interface_and_gateway_endpoints_in_one_call(aws, net):
    with aws.recording() as calls:
        result = aws.run(vpc_endpoints.main, args(net, platform(net)))

    assert result["changed"] is True
    endpoints = live(aws, net)
    assert sorted(endpoints) == ["kms", "s3", "ssm"]
    ssm = endpoints["ssm"]
    assert ssm["VpcEndpointType"] == "Interface" and ssm["PrivateDnsEnabled"] is True
    assert sorted(ssm["SubnetIds"]) == sorted(net["subnets"])
    assert [g["GroupId"] for g in ssm["Groups"]] == [net["groups"][0]]
    assert [g["GroupId"] for g in endpoints["kms"]["Groups"]] == [net["groups"][1]]
    assert endpoints["s3"]["VpcEndpointType"] == "Gateway" and endpoints["s3"]["RouteTableIds"] == [net["tables"][0]]
    assert endpoints["s3"]["Tags"] == [{"Key": "Name", "Value": "hp-s3"}]
    assert result["vpc_endpoint_ids"] == {
        "Interface": {"ssm": ssm["VpcEndpointId"], "kms": endpoints["kms"]["VpcEndpointId"]},
        "Gateway": {"s3": endpoints["s3"]["VpcEndpointId"]},
    }
    assert [e["service_name"] for e in result["vpc_endpoints"]] == ["com.amazonaws.us-east-1.ssm", "com.amazonaws.us-east-1.kms", "com.amazonaws.us-east-1.s3"]
    # one read of the VPC's endpoints, three creates, one read-back
    assert len(operations(calls, "DescribeVpcEndpoints")) == 2
    assert len(operations(calls, "CreateVpcEndpoint")) == 3


def test_no_change_makes_no_mutating_call_and_one_read(aws, net):
    aws.run(vpc_endpoints.main, args(net, platform(net)))
    with aws.recording() as calls:
        result = aws.run(vpc_endpoints.main, args(net, platform(net)))

    assert result["changed"] is False
    assert aws.mutating(calls) == []
    assert [c["operation"] for c in calls] == ["DescribeVpcEndpoints"]


def test_single_and_plural_modules_agree(aws, net):
    aws.run(vpc_endpoints.main, args(net, platform(net)))
    for spec in platform(net):
        assert aws.run(vpc_endpoint.main, {"vpc_id": net["vpc"], **spec})["changed"] is False, spec["service"]


def test_update_in_place_keeps_the_endpoints(aws, net):
    first = aws.run(vpc_endpoints.main, args(net, platform(net)))
    changed = platform(
        net,
        ssm={"subnet_ids": [net["subnets"][0]], "security_group_ids": [net["groups"][2]]},
        kms={"tags": {"Name": "hp-kms", "Tier": "app"}},
        s3={"route_table_ids": net["tables"], "policy": json.dumps(S3_READ_ONLY)},
    )
    with aws.recording() as calls:
        result = aws.run(vpc_endpoints.main, args(net, changed), diff=True)

    assert result["changed"] is True
    assert result["vpc_endpoint_ids"] == first["vpc_endpoint_ids"]
    endpoints = live(aws, net)
    assert endpoints["ssm"]["SubnetIds"] == [net["subnets"][0]]
    assert [g["GroupId"] for g in endpoints["ssm"]["Groups"]] == [net["groups"][2]]
    assert {t["Key"]: t["Value"] for t in endpoints["kms"]["Tags"]} == {"Name": "hp-kms", "Tier": "app"}
    assert sorted(endpoints["s3"]["RouteTableIds"]) == sorted(net["tables"])
    assert json.loads(endpoints["s3"]["PolicyDocument"])["Statement"][0]["Action"] == ["s3:GetObject"]
    assert result["diff"]["before"]["ssm (Interface)"]["security_group_ids"] == [net["groups"][0]]
    assert result["diff"]["after"]["ssm (Interface)"]["security_group_ids"] == [net["groups"][2]]
    assert sorted(result["diff"]["after"]) == ["kms (Interface)", "s3 (Gateway)", "ssm (Interface)"]
    assert "ec2:CreateVpcEndpoint" not in aws.mutating(calls)
    assert len(operations(calls, "ModifyVpcEndpoint")) == 2


def test_delete_in_one_call_and_again(aws, net):
    aws.run(vpc_endpoints.main, args(net, platform(net)))
    gone = [{"service": "ssm"}, {"service": "s3", "vpc_endpoint_type": "Gateway"}]
    with aws.recording() as calls:
        result = aws.run(vpc_endpoints.main, args(net, gone, state="absent"))

    assert result["changed"] is True
    assert sorted(live(aws, net)) == ["kms"]
    assert aws.mutating(calls) == ["ec2:DeleteVpcEndpoints"]
    assert aws.run(vpc_endpoints.main, args(net, gone, state="absent"))["changed"] is False


def test_check_mode_changes_nothing(aws, net):
    with aws.recording() as calls:
        create = aws.run(vpc_endpoints.main, args(net, platform(net)), check_mode=True)
    assert create["changed"] is True
    assert create["vpc_endpoint_ids"] == {"Interface": {"ssm": "", "kms": ""}, "Gateway": {"s3": ""}}
    assert create["vpc_endpoints"][0]["private_dns_enabled"] is True
    assert live(aws, net) == {}
    assert aws.mutating(calls) == []

    aws.run(vpc_endpoints.main, args(net, platform(net)))
    before = live(aws, net)
    with aws.recording() as calls:
        update = aws.run(vpc_endpoints.main, args(net, platform(net, ssm={"private_dns_enabled": False})), check_mode=True)
        delete = aws.run(vpc_endpoints.main, args(net, [{"service": "kms"}], state="absent"), check_mode=True)
        same = aws.run(vpc_endpoints.main, args(net, platform(net)), check_mode=True)
    assert update["changed"] is True and update["vpc_endpoints"][0]["private_dns_enabled"] is False
    assert delete["changed"] is True
    assert same["changed"] is False
    assert live(aws, net) == before
    assert aws.mutating(calls) == []


def test_two_endpoints_of_one_service_fail_before_any_change(aws, net):
    ec2 = aws.client("ec2")
    for _index in range(2):
        ec2.create_vpc_endpoint(VpcId=net["vpc"], ServiceName="com.amazonaws.us-east-1.ssm", VpcEndpointType="Interface")
    with aws.recording() as calls:
        result = aws.run(vpc_endpoints.main, args(net, platform(net)))
    assert result.failed
    assert "more than one Interface endpoint for com.amazonaws.us-east-1.ssm" in result["msg"]
    assert aws.mutating(calls) == []


@pytest.mark.parametrize(
    "changes, option",
    [
        ({"s3": {"subnet_ids": ["subnet-0123456789abcdef0"]}}, "endpoints[2].subnet_ids applies only to vpc_endpoint_type Interface"),
        ({"ssm": {"route_table_ids": ["rtb-0123456789abcdef0"]}}, "endpoints[0].route_table_ids"),
        ({"kms": {"security_group_ids": ["web"]}}, "endpoints[1].security_group_ids"),
        ({"ssm": {"subnet_ids": ["app-a"]}}, "endpoints[0].subnet_ids"),
        ({"s3": {"policy": "not json"}}, "endpoints[2].policy"),
        ({"s3": {"policy": "[1, 2]"}}, "endpoints[2].policy"),
        ({"kms": {"service": "ssm"}}, "endpoints[1].service: the Interface endpoint of ssm is listed twice"),
        ({"kms": {"vpc_endpoint_type": "GatewayLoadBalancer"}}, "vpc_endpoint_type"),
    ],
)
def test_bad_input_fails_before_any_call(aws, net, changes, option):
    with aws.recording() as calls:
        result = aws.run(vpc_endpoints.main, args(net, platform(net, **changes)))
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_bad_vpc_id_fails_before_any_call(aws, net):
    with aws.recording() as calls:
        result = aws.run(vpc_endpoints.main, {**args(net, platform(net)), "vpc_id": "main"})
    assert result.failed
    assert "vpc_id" in result["msg"]
    assert calls == []
