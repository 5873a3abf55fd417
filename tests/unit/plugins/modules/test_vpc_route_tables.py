# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_route_tables against the moto server (EC2 route tables are emulated)."""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import vpc_route_table
from ansible_collections.healthplatform.aws.plugins.modules import vpc_route_tables


@pytest.fixture
def net(aws):
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24", AvailabilityZone=f"us-east-1{'ab'[i % 2]}")["Subnet"]["SubnetId"] for i in range(4)]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    nat = ec2.create_nat_gateway(SubnetId=subnets[0], ConnectivityType="private")["NatGateway"]["NatGatewayId"]
    return {"vpc": vpc, "subnets": subnets, "igw": igw, "nat": nat}


def tables(net, public_subnets=None):
    """public (two subnets, to the IGW), app (one subnet, through NAT), data (one subnet, no way out)."""
    s = net["subnets"]
    return [
        {"name": "hp-public", "routes": [{"dest": "0.0.0.0/0", "target": net["igw"]}], "subnets": public_subnets or s[:2], "tags": {"Tier": "public"}},
        {"name": "hp-app", "routes": [{"dest": "0.0.0.0/0", "target": net["nat"]}], "subnets": [s[2]], "tags": {"Tier": "app"}},
        {"name": "hp-data", "routes": [], "subnets": [s[3]], "tags": {"Tier": "data"}},
    ]


def args(net, **extra):
    result = {"vpc_id": net["vpc"], "tags": {"Environment": "lab"}, "route_tables": tables(net)}
    result.update(extra)
    return result


def live(aws, net):
    """Name -> table as EC2 describes it."""
    found = aws.client("ec2").describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [net["vpc"]]}])["RouteTables"]
    return {({t["Key"]: t["Value"] for t in table.get("Tags", [])}.get("Name") or "main"): table for table in found}


def routes_of(table):
    return {r.get("DestinationCidrBlock") or r.get("DestinationPrefixListId"): r.get("GatewayId") or r.get("NatGatewayId") for r in table["Routes"]}


def subnets_of(table):
    return sorted(a["SubnetId"] for a in table["Associations"] if a.get("SubnetId"))


def test_create_three_tables_in_one_call(aws, net):
    with aws.recording() as calls:
        result = aws.run(vpc_route_tables.main, args(net))

    assert result["changed"] is True
    found = live(aws, net)
    assert routes_of(found["hp-public"]) == {"10.40.0.0/16": "local", "0.0.0.0/0": net["igw"]}
    assert routes_of(found["hp-app"]) == {"10.40.0.0/16": "local", "0.0.0.0/0": net["nat"]}
    assert routes_of(found["hp-data"]) == {"10.40.0.0/16": "local"}
    assert subnets_of(found["hp-public"]) == sorted(net["subnets"][:2])
    assert subnets_of(found["hp-data"]) == [net["subnets"][3]]
    assert {t["Key"]: t["Value"] for t in found["hp-app"]["Tags"]} == {"Name": "hp-app", "Tier": "app", "Environment": "lab"}
    assert [t["tags"]["Name"] for t in result["route_tables"]] == ["hp-public", "hp-app", "hp-data"]
    assert result["route_table_ids"] == {name: found[name]["RouteTableId"] for name in ("hp-public", "hp-app", "hp-data")}
    assert [c["operation"] for c in calls].count("DescribeRouteTables") == 2  # one read, one read-back


def test_no_change_makes_no_mutating_call_and_one_read(aws, net):
    aws.run(vpc_route_tables.main, args(net))
    with aws.recording() as calls:
        result = aws.run(vpc_route_tables.main, args(net))
    assert result["changed"] is False
    assert aws.mutating(calls) == []
    assert [c["operation"] for c in calls] == ["DescribeRouteTables"]
    assert all(t["route_table_id"].startswith("rtb-") for t in result["route_tables"])


def test_update_routes_tags_and_move_a_subnet_between_listed_tables(aws, net):
    aws.run(vpc_route_tables.main, args(net))
    s = net["subnets"]
    changed = args(net)
    # the second public subnet moves to the app table; the data table's route and tags change
    changed["route_tables"][0]["subnets"] = [s[0]]
    changed["route_tables"][1]["subnets"] = [s[2], s[1]]
    changed["route_tables"][2]["routes"] = [{"dest": "192.168.0.0/16", "target": net["nat"]}]
    changed["route_tables"][2]["tags"] = {"Tier": "records"}

    with aws.recording() as calls:
        result = aws.run(vpc_route_tables.main, changed, diff=True)

    assert result["changed"] is True
    found = live(aws, net)
    assert subnets_of(found["hp-public"]) == [s[0]]
    assert subnets_of(found["hp-app"]) == sorted([s[1], s[2]])
    assert routes_of(found["hp-data"])["192.168.0.0/16"] == net["nat"]
    assert {t["Key"]: t["Value"] for t in found["hp-data"]["Tags"]}["Tier"] == "records"
    # the subnet is moved, never disassociated first
    assert "ec2:DisassociateRouteTable" not in aws.mutating(calls)
    assert "ec2:ReplaceRouteTableAssociation" in aws.mutating(calls)
    assert set(result["diff"]["after"]) == {"hp-app", "hp-data"}
    assert aws.run(vpc_route_tables.main, changed)["changed"] is False


def test_gateway_endpoint_routes_are_kept(aws, net):
    aws.run(vpc_route_tables.main, args(net))
    app = live(aws, net)["hp-app"]["RouteTableId"]
    aws.client("ec2").create_vpc_endpoint(VpcId=net["vpc"], ServiceName="com.amazonaws.us-east-1.s3", VpcEndpointType="Gateway", RouteTableIds=[app])

    result = aws.run(vpc_route_tables.main, args(net))

    assert result["changed"] is False
    assert any(str(k).startswith("pl-") for k in routes_of(live(aws, net)["hp-app"]))


def test_shares_its_logic_with_vpc_route_table(aws, net):
    aws.run(vpc_route_tables.main, args(net))
    single = dict(tables(net)[1], vpc_id=net["vpc"], tags={"Environment": "lab", "Tier": "app"})
    assert aws.run(vpc_route_table.main, single)["changed"] is False


def test_purge_route_tables_deletes_unlisted_ones_but_the_main_table(aws, net):
    aws.run(vpc_route_tables.main, args(net))
    s = net["subnets"]
    only_public = args(net, route_tables=[tables(net, public_subnets=[s[0], s[1], s[3]])[0]])

    kept = aws.run(vpc_route_tables.main, only_public)
    assert kept["changed"] is True and kept["deleted"] == []
    assert set(live(aws, net)) == {"main", "hp-public", "hp-app", "hp-data"}

    doomed = sorted(live(aws, net)[name]["RouteTableId"] for name in ("hp-app", "hp-data"))
    with aws.recording() as calls:
        purged = aws.run(vpc_route_tables.main, {**only_public, "purge_route_tables": True}, diff=True)
    assert purged["changed"] is True
    assert sorted(purged["deleted"]) == doomed
    found = live(aws, net)
    assert set(found) == {"main", "hp-public"}
    assert subnets_of(found["hp-public"]) == sorted([s[0], s[1], s[3]])
    # the app table's subnet is disassociated; the data table's subnet was moved before
    assert aws.mutating(calls).count("ec2:DisassociateRouteTable") == 1
    assert {"hp-app", "hp-data"} <= set(purged["diff"]["before"])
    assert aws.run(vpc_route_tables.main, {**only_public, "purge_route_tables": True})["changed"] is False


def test_check_mode_changes_nothing(aws, net):
    with aws.recording() as calls:
        create = aws.run(vpc_route_tables.main, args(net), check_mode=True)
    assert create["changed"] is True
    assert create["route_table_ids"] == {"hp-public": "", "hp-app": "", "hp-data": ""}
    assert create["route_tables"][1]["tags"] == {"Name": "hp-app", "Tier": "app", "Environment": "lab"}
    assert set(live(aws, net)) == {"main"}
    assert aws.mutating(calls) == []

    aws.run(vpc_route_tables.main, args(net))
    before = live(aws, net)
    changed = args(net, purge_route_tables=True)
    changed["route_tables"] = changed["route_tables"][:1]
    changed["route_tables"][0]["routes"] = []
    with aws.recording() as calls:
        update = aws.run(vpc_route_tables.main, changed, check_mode=True)
        same = aws.run(vpc_route_tables.main, args(net), check_mode=True)
    assert update["changed"] is True
    assert [r for r in update["route_tables"][0]["routes"] if r.get("gateway_id") == net["igw"]] == []
    assert len(update["deleted"]) == 2
    assert same["changed"] is False
    assert live(aws, net) == before
    assert aws.mutating(calls) == []


def test_two_tables_with_the_same_name_fail_before_any_change(aws, net):
    ec2 = aws.client("ec2")
    for _index in range(2):
        ec2.create_route_table(VpcId=net["vpc"], TagSpecifications=[{"ResourceType": "route-table", "Tags": [{"Key": "Name", "Value": "hp-data"}]}])
    with aws.recording() as calls:
        result = aws.run(vpc_route_tables.main, args(net))
    assert result.failed
    assert "more than one route table" in result["msg"]
    assert aws.mutating(calls) == []


@pytest.mark.parametrize(
    "change, option",
    [
        ({"routes": [{"dest": "0.0.0.0/0", "target": "gw-123"}]}, "route_tables[1].routes[0].target"),
        ({"routes": [{"dest": "10.0.0.1/8", "target": "igw-0123456789abcdef0"}]}, "route_tables[1].routes[0].dest"),
        ({"routes": [{"dest": "0.0.0.0/0", "target": "igw-1"}, {"dest": "0.0.0.0/0", "target": "igw-2"}]}, "route_tables[1].routes[1].dest"),
        ({"subnets": ["sn-1"]}, "route_tables[1].subnets"),
        ({"name": "hp-public"}, "route_tables[1].name"),
        ({"name": ""}, "route_tables[1].name"),
    ],
)
def test_bad_input_fails_before_any_call(aws, net, change, option):
    bad = args(net)
    bad["route_tables"][1].update(change)
    with aws.recording() as calls:
        result = aws.run(vpc_route_tables.main, bad)
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_subnet_in_two_tables_and_bad_vpc_fail_before_any_call(aws, net):
    bad = args(net, vpc_id="vpc")
    bad["route_tables"][2]["subnets"] = [net["subnets"][0]]
    with aws.recording() as calls:
        result = aws.run(vpc_route_tables.main, bad)
    assert result.failed
    assert "vpc_id" in result["msg"] and "route_tables[2].subnets" in result["msg"]
    assert calls == []
