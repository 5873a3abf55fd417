# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_route_table and vpc_route_table_info against the moto server (EC2 route tables are emulated)."""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import vpc_route_table
from ansible_collections.healthplatform.aws.plugins.modules import vpc_route_table_info


@pytest.fixture
def net(aws):
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24", AvailabilityZone=f"us-east-1{'ab'[i]}")["Subnet"]["SubnetId"] for i in range(2)]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    return {"vpc": vpc, "subnets": subnets, "igw": igw}


def public_args(net, **extra):
    args = {
        "name": "hp-public",
        "vpc_id": net["vpc"],
        "routes": [{"dest": "0.0.0.0/0", "target": net["igw"]}],
        "subnets": net["subnets"],
        "tags": {"Tier": "public"},
    }
    args.update(extra)
    return args


def table_named(aws, net, name):
    tables = aws.client("ec2").describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [net["vpc"]]}, {"Name": "tag:Name", "Values": [name]}])
    return tables["RouteTables"][0] if tables["RouteTables"] else None


def routes_of(table):
    return {r.get("DestinationCidrBlock") or r.get("DestinationPrefixListId"): r.get("GatewayId") or r.get("NatGatewayId") for r in table["Routes"]}


def test_create_with_routes_and_subnets(aws, net):
    result = aws.run(vpc_route_table.main, public_args(net))

    assert result["changed"] is True
    live = table_named(aws, net, "hp-public")
    assert routes_of(live) == {"10.40.0.0/16": "local", "0.0.0.0/0": net["igw"]}
    assert sorted(a["SubnetId"] for a in live["Associations"] if a.get("SubnetId")) == sorted(net["subnets"])
    assert {t["Key"]: t["Value"] for t in live["Tags"]} == {"Name": "hp-public", "Tier": "public"}
    assert result["route_table_id"] == live["RouteTableId"]


def test_no_change_makes_no_mutating_call(aws, net):
    aws.run(vpc_route_table.main, public_args(net))
    with aws.recording() as calls:
        result = aws.run(vpc_route_table.main, public_args(net))
    assert result["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_routes_replaced_deleted_and_gateway_endpoint_routes_kept(aws, net):
    ec2 = aws.client("ec2")
    aws.run(vpc_route_table.main, public_args(net, routes=[{"dest": "0.0.0.0/0", "target": net["igw"]}, {"dest": "192.168.0.0/16", "target": net["igw"]}]))
    table_id = table_named(aws, net, "hp-public")["RouteTableId"]
    ec2.create_vpc_endpoint(VpcId=net["vpc"], ServiceName="com.amazonaws.us-east-1.s3", VpcEndpointType="Gateway", RouteTableIds=[table_id])
    nat = ec2.create_nat_gateway(SubnetId=net["subnets"][0], ConnectivityType="private")["NatGateway"]["NatGatewayId"]

    result = aws.run(vpc_route_table.main, public_args(net, routes=[{"dest": "0.0.0.0/0", "target": nat}]), diff=True)

    assert result["changed"] is True
    routes = routes_of(table_named(aws, net, "hp-public"))
    assert routes["0.0.0.0/0"] == nat
    assert "192.168.0.0/16" not in routes
    assert any(str(k).startswith("pl-") for k in routes), "the S3 gateway endpoint's route must stay"
    assert f"0.0.0.0/0 -> {net['igw']}" in result["diff"]["before"]["routes"]
    assert f"0.0.0.0/0 -> {nat}" in result["diff"]["after"]["routes"]
    assert aws.run(vpc_route_table.main, public_args(net, routes=[{"dest": "0.0.0.0/0", "target": nat}]))["changed"] is False


def test_subnet_moves_from_another_table_and_purge(aws, net):
    aws.run(vpc_route_table.main, public_args(net))
    result = aws.run(vpc_route_table.main, {"name": "hp-data", "vpc_id": net["vpc"], "routes": [], "subnets": [net["subnets"][1]]})

    assert result["changed"] is True
    public = table_named(aws, net, "hp-public")
    data = table_named(aws, net, "hp-data")
    assert [a["SubnetId"] for a in public["Associations"] if a.get("SubnetId")] == [net["subnets"][0]]
    assert [a["SubnetId"] for a in data["Associations"] if a.get("SubnetId")] == [net["subnets"][1]]
    assert routes_of(data) == {"10.40.0.0/16": "local"}

    aws.run(vpc_route_table.main, public_args(net, subnets=[]))
    assert [a for a in table_named(aws, net, "hp-public")["Associations"] if a.get("SubnetId")] == []


def test_purge_false_keeps_routes_and_subnets(aws, net):
    aws.run(vpc_route_table.main, public_args(net))
    extra = [{"dest": "172.16.0.0/12", "target": net["igw"]}]
    aws.run(vpc_route_table.main, public_args(net, routes=extra, subnets=[], purge_routes=False, purge_subnets=False))
    live = table_named(aws, net, "hp-public")
    assert set(routes_of(live)) == {"10.40.0.0/16", "0.0.0.0/0", "172.16.0.0/12"}
    assert len([a for a in live["Associations"] if a.get("SubnetId")]) == 2


def test_tags_update_keeps_name(aws, net):
    aws.run(vpc_route_table.main, public_args(net))
    result = aws.run(vpc_route_table.main, public_args(net, tags={"Tier": "edge"}))
    assert result["changed"] is True
    assert result["route_table"]["tags"] == {"Name": "hp-public", "Tier": "edge"}


def test_delete_disassociates_first(aws, net):
    aws.run(vpc_route_table.main, public_args(net))
    assert aws.run(vpc_route_table.main, {"name": "hp-public", "vpc_id": net["vpc"], "state": "absent"})["changed"] is True
    assert table_named(aws, net, "hp-public") is None
    assert aws.run(vpc_route_table.main, {"name": "hp-public", "vpc_id": net["vpc"], "state": "absent"})["changed"] is False


def test_check_mode_changes_nothing(aws, net):
    with aws.recording() as calls:
        create = aws.run(vpc_route_table.main, public_args(net), check_mode=True)
    assert create["changed"] is True
    assert create["route_table"]["tags"] == {"Name": "hp-public", "Tier": "public"}
    assert table_named(aws, net, "hp-public") is None
    assert aws.mutating(calls) == []

    aws.run(vpc_route_table.main, public_args(net))
    before = table_named(aws, net, "hp-public")
    with aws.recording() as calls:
        update = aws.run(vpc_route_table.main, public_args(net, routes=[], subnets=[]), check_mode=True)
        delete = aws.run(vpc_route_table.main, {"name": "hp-public", "vpc_id": net["vpc"], "state": "absent"}, check_mode=True)
        same = aws.run(vpc_route_table.main, public_args(net), check_mode=True)
    assert update["changed"] is True
    assert [r for r in update["route_table"]["routes"] if r.get("gateway_id") == net["igw"]] == []
    assert delete["changed"] is True
    assert same["changed"] is False
    assert table_named(aws, net, "hp-public") == before
    assert aws.mutating(calls) == []


def test_two_tables_with_the_same_name_fail(aws, net):
    ec2 = aws.client("ec2")
    for _index in range(2):
        ec2.create_route_table(VpcId=net["vpc"], TagSpecifications=[{"ResourceType": "route-table", "Tags": [{"Key": "Name", "Value": "hp-public"}]}])
    result = aws.run(vpc_route_table.main, public_args(net))
    assert result.failed
    assert "more than one route table" in result["msg"]


@pytest.mark.parametrize(
    "args, option",
    [
        ({"routes": [{"dest": "0.0.0.0/0", "target": "gw-123"}]}, "routes[0].target"),
        ({"routes": [{"dest": "10.0.0.1/8", "target": "igw-0123456789abcdef0"}]}, "routes[0].dest"),
        ({"routes": [{"dest": "0.0.0.0/0", "target": "igw-1"}, {"dest": "0.0.0.0/0", "target": "igw-2"}]}, "routes[1].dest"),
        ({"subnets": ["sn-1"]}, "subnets"),
        ({"vpc_id": "vpc"}, "vpc_id"),
    ],
)
def test_bad_input_fails_before_any_call(aws, net, args, option):
    with aws.recording() as calls:
        result = aws.run(vpc_route_table.main, {**public_args(net), **args})
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info_reports_internet_routes(aws, net):
    aws.run(vpc_route_table.main, public_args(net, subnets=[net["subnets"][0]]))
    aws.run(vpc_route_table.main, {"name": "hp-data", "vpc_id": net["vpc"], "routes": [], "subnets": [net["subnets"][1]]})

    by_subnet = aws.run(vpc_route_table_info.main, {"subnet_ids": [net["subnets"][1]]})
    (data,) = by_subnet["route_tables"]
    assert data["tags"]["Name"] == "hp-data"
    assert data["internet_route"] is False
    assert data["subnet_ids"] == [net["subnets"][1]]

    named = aws.run(vpc_route_table_info.main, {"vpc_id": net["vpc"], "names": ["hp-public", "hp-data"]})
    assert [(t["tags"]["Name"], t["internet_route"]) for t in named["route_tables"]] == [("hp-data", False), ("hp-public", True)]
