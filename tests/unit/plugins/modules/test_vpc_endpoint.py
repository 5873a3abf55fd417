# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_endpoint and vpc_endpoint_info against the moto server (EC2 VPC endpoints are emulated)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import vpc_endpoint
from ansible_collections.healthplatform.aws.plugins.modules import vpc_endpoint_info

S3_READ_ONLY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject"], "Resource": "*"}]}


@pytest.fixture
def net(aws):
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24", AvailabilityZone=f"us-east-1{'ab'[i]}")["Subnet"]["SubnetId"] for i in range(2)]
    groups = [ec2.create_security_group(GroupName=f"ep-{i}", Description="endpoint", VpcId=vpc)["GroupId"] for i in range(2)]
    tables = [ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"] for _index in range(2)]
    return {"vpc": vpc, "subnets": subnets, "groups": groups, "tables": tables}


def ssm_args(net, **extra):
    args = {
        "vpc_id": net["vpc"],
        "service": "ssm",
        "subnet_ids": net["subnets"],
        "security_group_ids": [net["groups"][0]],
        "private_dns_enabled": True,
        "tags": {"Name": "hp-ssm"},
    }
    args.update(extra)
    return args


def s3_args(net, **extra):
    args = {"vpc_id": net["vpc"], "service": "s3", "vpc_endpoint_type": "Gateway", "route_table_ids": [net["tables"][0]]}
    args.update(extra)
    return args


def endpoints_of(aws, net):
    return aws.client("ec2").describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [net["vpc"]]}])["VpcEndpoints"]


def test_create_interface_endpoint(aws, net):
    result = aws.run(vpc_endpoint.main, ssm_args(net))

    assert result["changed"] is True
    (live,) = endpoints_of(aws, net)
    assert live["ServiceName"] == "com.amazonaws.us-east-1.ssm"
    assert live["VpcEndpointType"] == "Interface"
    assert sorted(live["SubnetIds"]) == sorted(net["subnets"])
    assert [g["GroupId"] for g in live["Groups"]] == [net["groups"][0]]
    assert live["PrivateDnsEnabled"] is True
    assert live["Tags"] == [{"Key": "Name", "Value": "hp-ssm"}]
    assert result["vpc_endpoint_id"] == live["VpcEndpointId"]


def test_create_gateway_endpoint_with_policy(aws, net):
    result = aws.run(vpc_endpoint.main, s3_args(net, policy=json.dumps(S3_READ_ONLY)))

    assert result["changed"] is True
    (live,) = endpoints_of(aws, net)
    assert live["RouteTableIds"] == [net["tables"][0]]
    assert json.loads(live["PolicyDocument"])["Statement"][0]["Action"] == ["s3:GetObject"]
    # the same policy written differently is no change
    same = {"Statement": [{"Resource": "*", "Action": "s3:GetObject", "Principal": "*", "Effect": "Allow"}], "Version": "2012-10-17"}
    assert aws.run(vpc_endpoint.main, s3_args(net, policy=json.dumps(same)))["changed"] is False


def test_no_change_makes_no_mutating_call(aws, net):
    aws.run(vpc_endpoint.main, ssm_args(net))
    aws.run(vpc_endpoint.main, s3_args(net))
    with aws.recording() as calls:
        interface = aws.run(vpc_endpoint.main, ssm_args(net))
        gateway = aws.run(vpc_endpoint.main, s3_args(net))
    assert interface["changed"] is False and gateway["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_update_in_place(aws, net):
    first = aws.run(vpc_endpoint.main, ssm_args(net))
    result = aws.run(vpc_endpoint.main, ssm_args(net, subnet_ids=[net["subnets"][0]], security_group_ids=[net["groups"][1]]), diff=True)

    assert result["changed"] is True
    assert result["vpc_endpoint_id"] == first["vpc_endpoint_id"]
    (live,) = endpoints_of(aws, net)
    assert live["SubnetIds"] == [net["subnets"][0]]
    assert [g["GroupId"] for g in live["Groups"]] == [net["groups"][1]]
    assert result["diff"]["before"]["security_group_ids"] == [net["groups"][0]]
    assert result["diff"]["after"]["security_group_ids"] == [net["groups"][1]]

    gateway = aws.run(vpc_endpoint.main, s3_args(net))
    moved = aws.run(vpc_endpoint.main, s3_args(net, route_table_ids=net["tables"]))
    assert moved["changed"] is True and moved["vpc_endpoint_id"] == gateway["vpc_endpoint_id"]
    s3 = next(e for e in endpoints_of(aws, net) if e["VpcEndpointType"] == "Gateway")
    assert sorted(s3["RouteTableIds"]) == sorted(net["tables"])


def test_policy_update_and_reset(aws, net):
    aws.run(vpc_endpoint.main, s3_args(net))
    assert aws.run(vpc_endpoint.main, s3_args(net, policy=json.dumps(S3_READ_ONLY)))["changed"] is True
    (live,) = endpoints_of(aws, net)
    assert json.loads(live["PolicyDocument"])["Statement"][0]["Action"] == ["s3:GetObject"]
    assert aws.run(vpc_endpoint.main, s3_args(net, policy="{}"))["changed"] is True
    (live,) = endpoints_of(aws, net)
    assert json.loads(live["PolicyDocument"])["Statement"][0]["Action"] == "*"


def test_tags_update(aws, net):
    aws.run(vpc_endpoint.main, ssm_args(net))
    result = aws.run(vpc_endpoint.main, ssm_args(net, tags={"Name": "hp-ssm", "Tier": "app"}))
    assert result["changed"] is True
    assert result["vpc_endpoint"]["tags"] == {"Name": "hp-ssm", "Tier": "app"}


def test_delete_and_delete_again(aws, net):
    aws.run(vpc_endpoint.main, ssm_args(net))
    assert aws.run(vpc_endpoint.main, ssm_args(net, state="absent"))["changed"] is True
    assert [e for e in endpoints_of(aws, net) if e["State"].lower() not in ("deleted", "deleting")] == []
    assert aws.run(vpc_endpoint.main, ssm_args(net, state="absent"))["changed"] is False


def test_check_mode_changes_nothing(aws, net):
    with aws.recording() as calls:
        create = aws.run(vpc_endpoint.main, ssm_args(net), check_mode=True)
    assert create["changed"] is True
    assert create["vpc_endpoint"]["service_name"] == "com.amazonaws.us-east-1.ssm"
    assert endpoints_of(aws, net) == []
    assert aws.mutating(calls) == []

    aws.run(vpc_endpoint.main, ssm_args(net))
    before = endpoints_of(aws, net)
    with aws.recording() as calls:
        update = aws.run(vpc_endpoint.main, ssm_args(net, private_dns_enabled=False), check_mode=True)
        delete = aws.run(vpc_endpoint.main, ssm_args(net, state="absent"), check_mode=True)
        same = aws.run(vpc_endpoint.main, ssm_args(net), check_mode=True)
    assert update["changed"] is True and update["vpc_endpoint"]["private_dns_enabled"] is False
    assert delete["changed"] is True
    assert same["changed"] is False
    assert endpoints_of(aws, net) == before
    assert aws.mutating(calls) == []


@pytest.mark.parametrize(
    "args, option",
    [
        ({"vpc_endpoint_type": "Gateway"}, "subnet_ids"),
        ({"route_table_ids": ["rtb-0123456789abcdef0"]}, "route_table_ids"),
        ({"security_group_ids": ["web"]}, "security_group_ids"),
        ({"subnet_ids": ["app-a"]}, "subnet_ids"),
        ({"policy": "not json"}, "policy"),
        ({"policy": "[1, 2]"}, "policy"),
        ({"vpc_id": "main"}, "vpc_id"),
        ({"vpc_endpoint_type": "GatewayLoadBalancer"}, "vpc_endpoint_type"),
    ],
)
def test_bad_input_fails_before_any_call(aws, net, args, option):
    with aws.recording() as calls:
        result = aws.run(vpc_endpoint.main, {**ssm_args(net), **args})
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info_lists_by_short_service(aws, net):
    aws.run(vpc_endpoint.main, ssm_args(net))
    aws.run(vpc_endpoint.main, s3_args(net))

    result = aws.run(vpc_endpoint_info.main, {"vpc_id": net["vpc"]})
    assert result["changed"] is False
    assert [(e["service"], e["vpc_endpoint_type"]) for e in result["vpc_endpoints"]] == [("s3", "Gateway"), ("ssm", "Interface")]
    only = aws.run(vpc_endpoint_info.main, {"vpc_id": net["vpc"], "services": ["ssm"]})
    assert [e["tags"] for e in only["vpc_endpoints"]] == [{"Name": "hp-ssm"}]
