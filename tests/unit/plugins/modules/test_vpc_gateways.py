# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_gateways against the moto server (internet gateways, NAT gateways, Elastic IPs and route tables are emulated)."""

from __future__ import annotations

import pytest
from botocore.stub import ANY

from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_gateway import OWNER_TAG
from ansible_collections.healthplatform.aws.plugins.modules import vpc_gateways

ZONES = ("us-east-1a", "us-east-1b", "us-east-1c")


@pytest.fixture
def net(aws):
    """A VPC with a public subnet per zone, and a subnet of another VPC."""
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24", AvailabilityZone=az)["Subnet"]["SubnetId"] for i, az in enumerate(ZONES)]
    other_vpc = ec2.create_vpc(CidrBlock="10.41.0.0/16")["Vpc"]["VpcId"]
    other = ec2.create_subnet(VpcId=other_vpc, CidrBlock="10.41.0.0/24", AvailabilityZone=ZONES[0])["Subnet"]["SubnetId"]
    return {"vpc": vpc, "subnets": subnets, "other_subnet": other}


def args(net, zones=2, **extra):
    result = {
        "vpc_id": net["vpc"],
        "tags": {"Environment": "lab"},
        "internet_gateway_tags": {"Name": "hp-lab"},
        "nat_gateways": [{"subnet_id": subnet, "name": f"hp-lab-nat-{az}"} for subnet, az in zip(net["subnets"][:zones], ZONES)],
    }
    result.update(extra)
    return result


def tags(resource):
    return {t["Key"]: t["Value"] for t in resource.get("Tags") or []}


def igws(aws, vpc):
    return aws.client("ec2").describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc]}])["InternetGateways"]


def nats(aws, vpc):
    """Subnet -> the live NAT gateways there."""
    found = {}
    for nat in aws.client("ec2").describe_nat_gateways(Filter=[{"Name": "vpc-id", "Values": [vpc]}])["NatGateways"]:
        if nat["State"] in ("pending", "available"):
            found.setdefault(nat["SubnetId"], []).append(nat)
    return found


def addresses(aws):
    return {a["AllocationId"]: a for a in aws.client("ec2").describe_addresses()["Addresses"]}


def operations(calls):
    return [c["operation"] for c in calls]


def test_create_the_internet_gateway_and_a_tagged_nat_gateway_per_subnet(aws, net):
    with aws.recording() as calls:
        result = aws.run(vpc_gateways.main, args(net), diff=True)

    assert result["changed"] is True, result
    [igw] = igws(aws, net["vpc"])
    assert result["internet_gateway_id"] == igw["InternetGatewayId"]
    assert tags(igw) == {"Environment": "lab", "Name": "hp-lab"}
    live = nats(aws, net["vpc"])
    eips = addresses(aws)
    assert [n["subnet_id"] for n in result["nat_gateways"]] == net["subnets"][:2]
    for item, subnet, az in zip(result["nat_gateways"], net["subnets"], ZONES):
        [nat] = live[subnet]
        assert item["nat_gateway_id"] == nat["NatGatewayId"]
        assert item["state"] in ("pending", "available")
        assert tags(nat) == {"Environment": "lab", "Name": f"hp-lab-nat-{az}"}
        assert item["tags"] == tags(nat)
        eip = eips[item["allocation_id"]]
        assert item["public_ip"] == eip["PublicIp"]
        assert nat["NatGatewayAddresses"][0]["AllocationId"] == item["allocation_id"]
        assert tags(eip) == {"Environment": "lab", "Name": f"hp-lab-nat-{az}", OWNER_TAG: subnet}
    assert net["subnets"][2] not in live
    # tags in the creates, never a CreateTags; the subnets of new NAT gateways read once to check them
    assert sorted(aws.mutating(calls)) == sorted(
        ["ec2:CreateInternetGateway", "ec2:AttachInternetGateway"] + ["ec2:AllocateAddress", "ec2:CreateNatGateway"] * 2
    )
    assert operations(calls).count("DescribeSubnets") == 1
    assert set(result["diff"]["after"]) == {"internet_gateway", *(f"nat_gateway {s}" for s in net["subnets"][:2])}
    assert result["deleted"] == []


def test_no_change_makes_no_mutating_call_and_one_read_of_each_kind(aws, net):
    first = aws.run(vpc_gateways.main, args(net))
    with aws.recording() as calls:
        result = aws.run(vpc_gateways.main, args(net))

    assert result["changed"] is False, result
    assert aws.mutating(calls) == []
    assert sorted(operations(calls)) == ["DescribeAddresses", "DescribeInternetGateways", "DescribeNatGateways"]
    assert result["internet_gateway_id"] == first["internet_gateway_id"]
    assert [n["nat_gateway_id"] for n in result["nat_gateways"]] == [n["nat_gateway_id"] for n in first["nat_gateways"]]
    assert [n["allocation_id"] for n in result["nat_gateways"]] == [n["allocation_id"] for n in first["nat_gateways"]]
    assert [n["public_ip"] for n in result["nat_gateways"]] == [n["public_ip"] for n in first["nat_gateways"]]


def test_update_tags_where_they_differ_and_purge(aws, net):
    first = aws.run(vpc_gateways.main, args(net))
    ec2 = aws.client("ec2")
    nat_id = first["nat_gateways"][0]["nat_gateway_id"]
    ec2.create_tags(Resources=[nat_id], Tags=[{"Key": "Extra", "Value": "x"}])

    changed = args(net, tags={"Environment": "staging"})
    changed["nat_gateways"][1]["name"] = "hp-lab-nat-renamed"
    with aws.recording() as calls:
        result = aws.run(vpc_gateways.main, changed, diff=True)

    assert result["changed"] is True
    assert set(aws.mutating(calls)) <= {"ec2:CreateTags", "ec2:DeleteTags"}
    assert "ec2:DeleteTags" in aws.mutating(calls)
    assert tags(igws(aws, net["vpc"])[0]) == {"Environment": "staging", "Name": "hp-lab"}
    live = nats(aws, net["vpc"])
    assert tags(live[net["subnets"][0]][0]) == {"Environment": "staging", "Name": "hp-lab-nat-us-east-1a"}
    assert tags(live[net["subnets"][1]][0]) == {"Environment": "staging", "Name": "hp-lab-nat-renamed"}
    eip = addresses(aws)[first["nat_gateways"][1]["allocation_id"]]
    # the owner tag survives purge_tags
    assert tags(eip) == {"Environment": "staging", "Name": "hp-lab-nat-renamed", OWNER_TAG: net["subnets"][1]}
    assert result["diff"]["before"][f"nat_gateway {net['subnets'][0]}"]["tags"]["Extra"] == "x"
    assert "Extra" not in result["diff"]["after"][f"nat_gateway {net['subnets'][0]}"]["tags"]
    assert result["nat_gateways"][1]["tags"]["Name"] == "hp-lab-nat-renamed"
    assert aws.run(vpc_gateways.main, changed)["changed"] is False


def test_tags_left_alone_without_tags_and_kept_without_purge(aws, net):
    aws.run(vpc_gateways.main, args(net))
    bare = {"vpc_id": net["vpc"], "nat_gateways": [{"subnet_id": s} for s in net["subnets"][:2]]}
    assert aws.run(vpc_gateways.main, bare)["changed"] is False
    extra = args(net, tags={"Owner": "ops"}, purge_tags=False)
    assert aws.run(vpc_gateways.main, extra)["changed"] is True
    assert tags(igws(aws, net["vpc"])[0]) == {"Environment": "lab", "Name": "hp-lab", "Owner": "ops"}


def test_a_subnet_added_gets_its_nat_gateway_and_the_others_are_untouched(aws, net):
    first = aws.run(vpc_gateways.main, args(net))
    with aws.recording() as calls:
        result = aws.run(vpc_gateways.main, args(net, zones=3))

    assert result["changed"] is True
    assert sorted(aws.mutating(calls)) == ["ec2:AllocateAddress", "ec2:CreateNatGateway"]
    assert [n["nat_gateway_id"] for n in result["nat_gateways"][:2]] == [n["nat_gateway_id"] for n in first["nat_gateways"]]
    [third] = nats(aws, net["vpc"])[net["subnets"][2]]
    assert result["nat_gateways"][2]["nat_gateway_id"] == third["NatGatewayId"]
    assert tags(third)["Name"] == "hp-lab-nat-us-east-1c"

    # a subnet no longer listed keeps its NAT gateway
    assert aws.run(vpc_gateways.main, args(net, zones=1))["changed"] is False
    assert len(nats(aws, net["vpc"])) == 3


def test_existing_gateways_are_used_and_a_foreign_address_is_tagged_but_never_marked(aws, net):
    """As amazon.aws.ec2_vpc_igw and ec2_vpc_nat_gateway left them: untagged NAT gateway and address."""
    ec2 = aws.client("ec2")
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=net["vpc"])
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=net["subnets"][0], AllocationId=allocation)["NatGateway"]["NatGatewayId"]

    with aws.recording() as calls:
        result = aws.run(vpc_gateways.main, args(net, zones=1))

    assert result["changed"] is True
    assert aws.mutating(calls) == ["ec2:CreateTags"] * 3
    assert result["internet_gateway_id"] == igw
    assert result["nat_gateways"][0]["nat_gateway_id"] == nat
    assert result["nat_gateways"][0]["allocation_id"] == allocation
    assert tags(addresses(aws)[allocation]) == {"Environment": "lab", "Name": "hp-lab-nat-us-east-1a"}

    # state=absent deletes the NAT gateway but keeps the address the module did not allocate
    removed = aws.run(vpc_gateways.main, args(net, zones=1, state="absent"))
    assert removed["changed"] is True
    assert removed["deleted"] == [nat, igw]
    assert allocation in addresses(aws)


def test_an_address_left_by_a_failed_run_is_used_before_allocating(aws, net):
    ec2 = aws.client("ec2")
    subnet = net["subnets"][0]
    spec = [{"ResourceType": "elastic-ip", "Tags": [{"Key": OWNER_TAG, "Value": subnet}]}]
    spare = ec2.allocate_address(Domain="vpc", TagSpecifications=spec)["AllocationId"]

    with aws.recording() as calls:
        result = aws.run(vpc_gateways.main, args(net, zones=1))

    assert "ec2:AllocateAddress" not in aws.mutating(calls)
    assert result["nat_gateways"][0]["allocation_id"] == spare
    assert tags(addresses(aws)[spare]) == {"Environment": "lab", "Name": "hp-lab-nat-us-east-1a", OWNER_TAG: subnet}


def test_wait_uses_the_waiter_and_reports_available(aws, net):
    with aws.recording() as calls:
        result = aws.run(vpc_gateways.main, args(net, wait=True, wait_timeout=30))
    assert result["changed"] is True
    assert all(n["state"] == "available" for n in result["nat_gateways"])
    # the waiter's poll, then the read-back
    assert operations(calls).count("DescribeNatGateways") == 3


def test_absent_refuses_while_routes_use_the_gateways_then_removes_them(aws, net):
    created = aws.run(vpc_gateways.main, args(net))
    ec2 = aws.client("ec2")
    table = ec2.create_route_table(VpcId=net["vpc"])["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=created["internet_gateway_id"])
    nat_ids = [n["nat_gateway_id"] for n in created["nat_gateways"]]
    allocations = [n["allocation_id"] for n in created["nat_gateways"]]
    absent = {"vpc_id": net["vpc"], "state": "absent", "nat_gateways": [{"subnet_id": s} for s in net["subnets"][:2]]}

    with aws.recording() as calls:
        refused = aws.run(vpc_gateways.main, absent)
    assert refused.failed
    assert "route tables still use" in refused["msg"] and table in refused["msg"] and created["internet_gateway_id"] in refused["msg"]
    assert aws.mutating(calls) == []

    ec2.delete_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0")
    with aws.recording() as calls:
        removed = aws.run(vpc_gateways.main, absent, diff=True)

    assert removed["changed"] is True, removed
    assert sorted(removed["deleted"]) == sorted(nat_ids + allocations + [created["internet_gateway_id"]])
    assert removed["internet_gateway_id"] == "" and removed["nat_gateways"] == []
    assert nats(aws, net["vpc"]) == {}
    assert igws(aws, net["vpc"]) == []
    assert not set(allocations) & set(addresses(aws))
    mutating = aws.mutating(calls)
    assert mutating.index("ec2:ReleaseAddress") > mutating.index("ec2:DeleteNatGateway")
    assert mutating[-2:] == ["ec2:DetachInternetGateway", "ec2:DeleteInternetGateway"]
    assert set(removed["diff"]["before"]) >= {"internet_gateway", *(f"nat_gateway {s} {n}" for s, n in zip(net["subnets"], nat_ids))}

    with aws.recording() as calls:
        again = aws.run(vpc_gateways.main, absent)
    assert again["changed"] is False and again["deleted"] == []
    assert aws.mutating(calls) == []


def test_absent_touches_only_the_listed_subnets_and_the_internet_gateway_when_asked(aws, net):
    created = aws.run(vpc_gateways.main, args(net))
    one = {"vpc_id": net["vpc"], "state": "absent", "internet_gateway": False, "nat_gateways": [{"subnet_id": net["subnets"][0]}]}
    with aws.recording() as calls:
        removed = aws.run(vpc_gateways.main, one)
    assert removed["changed"] is True
    assert removed["deleted"] == [created["nat_gateways"][0]["nat_gateway_id"], created["nat_gateways"][0]["allocation_id"]]
    assert "DescribeInternetGateways" not in operations(calls)
    assert list(nats(aws, net["vpc"])) == [net["subnets"][1]]
    assert created["nat_gateways"][1]["allocation_id"] in addresses(aws)
    assert created["nat_gateways"][0]["allocation_id"] not in addresses(aws)
    assert len(igws(aws, net["vpc"])) == 1


def test_without_the_internet_gateway_only_nat_gateways_are_managed(aws, net):
    with aws.recording() as calls:
        result = aws.run(vpc_gateways.main, args(net, zones=1, internet_gateway=False))
    assert result["changed"] is True
    assert result["internet_gateway_id"] == ""
    assert not {"DescribeInternetGateways", "CreateInternetGateway"} & set(operations(calls))
    assert igws(aws, net["vpc"]) == []
    assert result["nat_gateways"][0]["nat_gateway_id"].startswith("nat-")


def test_check_mode_plans_without_any_change(aws, net):
    with aws.recording() as calls:
        plan = aws.run(vpc_gateways.main, args(net), check_mode=True, diff=True)
    assert plan["changed"] is True
    assert plan["internet_gateway_id"] == ""
    assert [n["nat_gateway_id"] for n in plan["nat_gateways"]] == ["", ""]
    assert [n["subnet_id"] for n in plan["nat_gateways"]] == net["subnets"][:2]
    assert plan["nat_gateways"][0]["tags"] == {"Environment": "lab", "Name": "hp-lab-nat-us-east-1a"}
    assert aws.mutating(calls) == []
    assert igws(aws, net["vpc"]) == [] and nats(aws, net["vpc"]) == {} and addresses(aws) == {}

    created = aws.run(vpc_gateways.main, args(net))
    with aws.recording() as calls:
        same = aws.run(vpc_gateways.main, args(net), check_mode=True)
        retag = aws.run(vpc_gateways.main, args(net, zones=3, tags={"Environment": "other"}), check_mode=True)
        absent = aws.run(vpc_gateways.main, args(net, state="absent"), check_mode=True)
    assert same["changed"] is False
    assert same["internet_gateway_id"] == created["internet_gateway_id"]
    assert same["nat_gateways"] == created["nat_gateways"]
    assert retag["changed"] is True
    assert retag["nat_gateways"][2]["nat_gateway_id"] == ""
    assert retag["nat_gateways"][0]["tags"]["Environment"] == "other"
    assert absent["changed"] is True and len(absent["deleted"]) == 5
    assert aws.mutating(calls) == []
    assert len(nats(aws, net["vpc"])) == 2 and len(igws(aws, net["vpc"])) == 1


def test_check_mode_plans_nat_gateways_in_subnets_not_created_yet(aws, net):
    """A check run of vpc_subnets returns empty subnet IDs for the subnets it would create."""
    with aws.recording() as calls:
        plan = aws.run(vpc_gateways.main, args(net, nat_gateways=[{"subnet_id": "", "name": "a"}, {"subnet_id": "", "name": "b"}]), check_mode=True)
    assert plan["changed"] is True, plan
    assert [n["nat_gateway_id"] for n in plan["nat_gateways"]] == ["", ""]
    assert aws.mutating(calls) == []
    failed = aws.run(vpc_gateways.main, args(net, nat_gateways=[{"subnet_id": ""}]))
    assert failed.failed and "nat_gateways[0].subnet_id" in failed["msg"]


@pytest.mark.parametrize(
    "change, option",
    [
        ({"vpc_id": "vpc"}, "vpc_id"),
        ({"nat_gateways": [{"subnet_id": "sn-0123456789abcdef0"}]}, "nat_gateways[0].subnet_id"),
        ({"nat_gateways": [{"subnet_id": "subnet-xyz"}]}, "nat_gateways[0].subnet_id"),
        ({"nat_gateways": [{"subnet_id": "subnet-0123456789abcdef0"}, {"subnet_id": "subnet-0123456789abcdef0"}]}, "nat_gateways[1].subnet_id"),
        ({"nat_gateways": [{"subnet_id": "subnet-0123456789abcdef0", "name": " "}]}, "nat_gateways[0].name"),
        ({"nat_gateways": [{"subnet_id": "subnet-0123456789abcdef0", "tags": {OWNER_TAG: "x"}}]}, "nat_gateways[0].tags"),
        ({"tags": {OWNER_TAG: "x"}}, "tags"),
        ({"wait_timeout": 0}, "wait_timeout"),
    ],
)
def test_bad_input_fails_before_any_call(aws, net, change, option):
    with aws.recording() as calls:
        result = aws.run(vpc_gateways.main, args(net, **change))
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_subnet_not_in_the_vpc_fails_before_any_change(aws, net):
    bad = args(net, tags={"Environment": "other"})
    bad["nat_gateways"].append({"subnet_id": net["other_subnet"], "name": "elsewhere"})
    bad["nat_gateways"].append({"subnet_id": "subnet-0123456789abcdef0", "name": "missing"})
    with aws.recording() as calls:
        result = aws.run(vpc_gateways.main, bad)
    assert result.failed
    assert f"nat_gateways[2].subnet_id: {net['other_subnet']} is not a subnet of {net['vpc']}" in result["msg"]
    assert "nat_gateways[3].subnet_id" in result["msg"]
    assert aws.mutating(calls) == []
    assert igws(aws, net["vpc"]) == []


def test_unknown_vpc_fails_before_any_change(aws):
    with aws.recording() as calls:
        result = aws.run(vpc_gateways.main, {"vpc_id": "vpc-0123456789abcdef0"})
    assert result.failed
    assert "vpc-0123456789abcdef0" in result["msg"]
    assert aws.mutating(calls) == []


def test_pending_nat_gateway_is_created_with_a_client_token_and_waited_for(stubbed, monkeypatch):
    """Stubber: moto creates NAT gateways `available` at once and ignores ClientToken, so the token and the waiter on `pending` are checked stubbed."""
    vpc, subnet, igw = "vpc-0123456789abcdef0", "subnet-0123456789abcdef0", "igw-0123456789abcdef0"
    allocation, nat_id = "eipalloc-0123456789abcdef0", "nat-0123456789abcdef0"
    ec2 = stubbed("ec2")
    ec2.add_response(
        "describe_internet_gateways",
        {"InternetGateways": [{"InternetGatewayId": igw, "Attachments": [{"VpcId": vpc, "State": "available"}], "Tags": []}]},
        {"Filters": [{"Name": "attachment.vpc-id", "Values": [vpc]}]},
    )
    ec2.add_response(
        "describe_nat_gateways", {"NatGateways": []}, {"Filter": [{"Name": "vpc-id", "Values": [vpc]}, {"Name": "state", "Values": ["pending", "available"]}]}
    )
    ec2.add_response("describe_subnets", {"Subnets": [{"SubnetId": subnet, "VpcId": vpc}]}, {"Filters": [{"Name": "vpc-id", "Values": [vpc]}]})
    ec2.add_response("describe_addresses", {"Addresses": []}, {"Filters": [{"Name": "domain", "Values": ["vpc"]}]})
    ec2.add_response(
        "allocate_address",
        {"AllocationId": allocation, "PublicIp": "203.0.113.10", "Domain": "vpc"},
        {"Domain": "vpc", "TagSpecifications": [{"ResourceType": "elastic-ip", "Tags": [{"Key": OWNER_TAG, "Value": subnet}]}]},
    )
    pending = {"NatGatewayId": nat_id, "SubnetId": subnet, "VpcId": vpc, "State": "pending", "NatGatewayAddresses": [{"AllocationId": allocation}]}
    ec2.add_response("create_nat_gateway", {"NatGateway": pending}, {"SubnetId": subnet, "AllocationId": allocation, "ClientToken": ANY})
    available = dict(pending, State="available", NatGatewayAddresses=[{"AllocationId": allocation, "PublicIp": "203.0.113.10"}])
    ec2.add_response("describe_nat_gateways", {"NatGateways": [pending]}, {"NatGatewayIds": [nat_id]})  # the waiter's polls
    ec2.add_response("describe_nat_gateways", {"NatGateways": [available]}, {"NatGatewayIds": [nat_id]})
    ec2.add_response("describe_nat_gateways", {"NatGateways": [available]}, {"NatGatewayIds": [nat_id]})  # the read-back

    monkeypatch.setattr(vpc_gateways, "WAIT_DELAY", 0.01)
    result = stubbed.run(vpc_gateways.main, {"vpc_id": vpc, "wait": True, "nat_gateways": [{"subnet_id": subnet}]})

    assert result["changed"] is True, result
    assert result["nat_gateways"] == [
        {"nat_gateway_id": nat_id, "subnet_id": subnet, "allocation_id": allocation, "public_ip": "203.0.113.10", "state": "available", "tags": {}}
    ]
    stubbed.assert_all_used()


def test_absent_waits_for_nat_gateways_still_deleting_before_releasing_their_address(stubbed, monkeypatch):
    """Stubber: moto deletes NAT gateways at once (never `deleting`), so a run after one that stopped waiting is checked stubbed."""
    vpc, subnet, allocation, nat_id = "vpc-0123456789abcdef0", "subnet-0123456789abcdef0", "eipalloc-0123456789abcdef0", "nat-0123456789abcdef0"
    ec2 = stubbed("ec2")
    deleting = {"NatGatewayId": nat_id, "SubnetId": subnet, "VpcId": vpc, "State": "deleting", "NatGatewayAddresses": [{"AllocationId": allocation}]}
    states = ["pending", "available", "deleting"]
    ec2.add_response(
        "describe_nat_gateways", {"NatGateways": [deleting]}, {"Filter": [{"Name": "vpc-id", "Values": [vpc]}, {"Name": "state", "Values": states}]}
    )
    # nothing to delete, so no route table read
    address = {"AllocationId": allocation, "AssociationId": "eipassoc-0123456789abcdef0", "Tags": [{"Key": OWNER_TAG, "Value": subnet}]}
    ec2.add_response("describe_addresses", {"Addresses": [address]}, {"Filters": [{"Name": "domain", "Values": ["vpc"]}]})
    ec2.add_response("describe_nat_gateways", {"NatGateways": [dict(deleting, State="deleted")]}, {"NatGatewayIds": [nat_id]})  # the waiter
    ec2.add_response("release_address", {}, {"AllocationId": allocation})

    monkeypatch.setattr(vpc_gateways, "WAIT_DELAY", 0.01)
    result = stubbed.run(vpc_gateways.main, {"vpc_id": vpc, "state": "absent", "internet_gateway": False, "nat_gateways": [{"subnet_id": subnet}]})

    assert result["changed"] is True, result
    assert result["deleted"] == [allocation]
    stubbed.assert_all_used()
