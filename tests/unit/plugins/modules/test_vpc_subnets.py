# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_subnets against the moto server (EC2 subnets, VPCs and network interfaces are emulated)."""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import vpc_subnets

PLAN = (
    ("10.40.0.0/24", "us-east-1a", "public"),
    ("10.40.1.0/24", "us-east-1b", "public"),
    ("10.40.10.0/24", "us-east-1a", "app"),
    ("10.40.11.0/24", "us-east-1b", "app"),
)


@pytest.fixture
def vpc(aws):
    return aws.client("ec2").create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]


def args(vpc, plan=PLAN, **extra):
    result = {
        "vpc_id": vpc,
        "tags": {"Environment": "lab"},
        "subnets": [{"cidr": cidr, "az": az, "tags": {"Name": f"hp-{tier}-{az}", "Tier": tier}} for cidr, az, tier in plan],
    }
    result.update(extra)
    return result


def live(aws, vpc):
    """CIDR -> subnet as EC2 describes it."""
    return {s["CidrBlock"]: s for s in aws.client("ec2").describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]}


def tags(subnet):
    return {t["Key"]: t["Value"] for t in subnet.get("Tags", [])}


def operations(calls):
    return [c["operation"] for c in calls]


def test_create_all_in_one_call_in_input_order(aws, vpc):
    with aws.recording() as calls:
        result = aws.run(vpc_subnets.main, args(vpc))

    assert result["changed"] is True
    subnets = live(aws, vpc)
    assert [s["cidr_block"] for s in result["subnets"]] == [cidr for cidr, _az, _tier in PLAN]
    assert result["subnet_ids"] == [subnets[cidr]["SubnetId"] for cidr, _az, _tier in PLAN]
    for cidr, az, tier in PLAN:
        assert subnets[cidr]["AvailabilityZone"] == az
        assert subnets[cidr]["MapPublicIpOnLaunch"] is False
        assert tags(subnets[cidr]) == {"Environment": "lab", "Name": f"hp-{tier}-{az}", "Tier": tier}
    # one read of the VPC and of its subnets, one create per subnet (tags in the create), one read back
    assert operations(calls).count("DescribeSubnets") == 2
    assert operations(calls).count("CreateSubnet") == 4
    assert "CreateTags" not in operations(calls)


def test_no_change_makes_no_mutating_call_and_one_subnet_read(aws, vpc):
    aws.run(vpc_subnets.main, args(vpc))
    with aws.recording() as calls:
        result = aws.run(vpc_subnets.main, args(vpc))
    assert result["changed"] is False
    assert aws.mutating(calls) == []
    assert operations(calls).count("DescribeSubnets") == 1
    assert len(result["subnet_ids"]) == 4 and all(i.startswith("subnet-") for i in result["subnet_ids"])


def test_update_public_ip_and_tags_only_where_they_differ(aws, vpc):
    aws.run(vpc_subnets.main, args(vpc))
    changed = args(vpc)
    changed["subnets"][0]["map_public_ip_on_launch"] = True
    changed["subnets"][1]["tags"]["Tier"] = "edge"

    with aws.recording() as calls:
        result = aws.run(vpc_subnets.main, changed, diff=True)

    assert result["changed"] is True
    subnets = live(aws, vpc)
    assert subnets["10.40.0.0/24"]["MapPublicIpOnLaunch"] is True
    assert tags(subnets["10.40.1.0/24"])["Tier"] == "edge"
    assert sorted(aws.mutating(calls)) == ["ec2:CreateTags", "ec2:ModifySubnetAttribute"]
    assert result["diff"]["before"]["10.40.0.0/24"]["map_public_ip_on_launch"] is False
    assert result["diff"]["after"]["10.40.0.0/24"]["map_public_ip_on_launch"] is True
    assert set(result["diff"]["after"]) == {"10.40.0.0/24", "10.40.1.0/24"}
    assert result["subnets"][0]["map_public_ip_on_launch"] is True


def test_purge_tags_and_leave_tags_alone(aws, vpc):
    aws.run(vpc_subnets.main, args(vpc))
    ec2 = aws.client("ec2")
    first = live(aws, vpc)["10.40.0.0/24"]["SubnetId"]
    ec2.create_tags(Resources=[first], Tags=[{"Key": "Extra", "Value": "x"}])

    untouched = {"vpc_id": vpc, "subnets": [{"cidr": "10.40.0.0/24", "az": "us-east-1a"}]}
    assert aws.run(vpc_subnets.main, untouched)["changed"] is False
    assert aws.run(vpc_subnets.main, args(vpc, purge_tags=False))["changed"] is False
    assert aws.run(vpc_subnets.main, args(vpc))["changed"] is True
    assert "Extra" not in tags(live(aws, vpc)["10.40.0.0/24"])


def test_created_subnet_with_public_ip(aws, vpc):
    result = aws.run(vpc_subnets.main, {"vpc_id": vpc, "subnets": [{"cidr": "10.40.0.0/24", "az": "us-east-1a", "map_public_ip_on_launch": True}]})
    assert result["changed"] is True
    assert live(aws, vpc)["10.40.0.0/24"]["MapPublicIpOnLaunch"] is True
    assert aws.run(vpc_subnets.main, {"vpc_id": vpc, "subnets": [{"cidr": "10.40.0.0/24", "map_public_ip_on_launch": True}]})["changed"] is False


def test_purge_deletes_unlisted_subnets_only_when_asked(aws, vpc):
    aws.run(vpc_subnets.main, args(vpc))
    two = args(vpc, plan=PLAN[:2])

    kept = aws.run(vpc_subnets.main, two)
    assert kept["changed"] is False and kept["deleted"] == []
    assert len(live(aws, vpc)) == 4

    doomed = [live(aws, vpc)[cidr]["SubnetId"] for cidr, _az, _tier in PLAN[2:]]
    purged = aws.run(vpc_subnets.main, {**two, "purge_subnets": True}, diff=True)
    assert purged["changed"] is True
    assert sorted(purged["deleted"]) == sorted(doomed)
    assert sorted(live(aws, vpc)) == ["10.40.0.0/24", "10.40.1.0/24"]
    assert set(purged["diff"]["before"]) == {"10.40.10.0/24", "10.40.11.0/24"}
    assert aws.run(vpc_subnets.main, {**two, "purge_subnets": True})["changed"] is False


def test_purge_refuses_subnets_with_network_interfaces_before_any_change(aws, vpc):
    aws.run(vpc_subnets.main, args(vpc))
    ec2 = aws.client("ec2")
    app = live(aws, vpc)["10.40.10.0/24"]["SubnetId"]
    eni = ec2.create_network_interface(SubnetId=app)["NetworkInterface"]["NetworkInterfaceId"]
    changed_tags = args(vpc, plan=PLAN[:2], purge_subnets=True, tags={"Environment": "other"})

    with aws.recording() as calls:
        result = aws.run(vpc_subnets.main, changed_tags)

    assert result.failed
    assert "purge_subnets" in result["msg"] and app in result["msg"] and eni in result["msg"]
    assert aws.mutating(calls) == []
    assert len(live(aws, vpc)) == 4


def test_check_mode_changes_nothing(aws, vpc):
    with aws.recording() as calls:
        create = aws.run(vpc_subnets.main, args(vpc), check_mode=True)
    assert create["changed"] is True
    assert create["subnet_ids"] == ["", "", "", ""]
    assert [s["cidr_block"] for s in create["subnets"]] == [cidr for cidr, _az, _tier in PLAN]
    assert create["subnets"][0]["tags"]["Tier"] == "public"
    assert live(aws, vpc) == {}
    assert aws.mutating(calls) == []

    aws.run(vpc_subnets.main, args(vpc))
    before = live(aws, vpc)
    update = args(vpc, plan=PLAN[:2], purge_subnets=True)
    update["subnets"][0]["map_public_ip_on_launch"] = True
    with aws.recording() as calls:
        changed = aws.run(vpc_subnets.main, update, check_mode=True)
        same = aws.run(vpc_subnets.main, args(vpc), check_mode=True)
    assert changed["changed"] is True
    assert changed["subnets"][0]["map_public_ip_on_launch"] is True
    assert len(changed["deleted"]) == 2
    assert same["changed"] is False
    assert live(aws, vpc) == before
    assert aws.mutating(calls) == []


def test_subnet_in_another_zone_fails_before_any_change(aws, vpc):
    aws.run(vpc_subnets.main, args(vpc))
    moved = args(vpc, tags={"Environment": "other"})
    moved["subnets"][1]["az"] = "us-east-1c"
    with aws.recording() as calls:
        result = aws.run(vpc_subnets.main, moved)
    assert result.failed
    assert "subnets[1].az" in result["msg"]
    assert aws.mutating(calls) == []


def test_cidr_outside_the_vpc_fails_after_reading_the_vpc_only(aws, vpc):
    """The VPC's CIDRs are known only from the API: one DescribeVpcs, then the failure, before any change."""
    with aws.recording() as calls:
        result = aws.run(vpc_subnets.main, args(vpc, plan=[*PLAN, ("10.41.0.0/24", "us-east-1a", "data")]))
    assert result.failed
    assert "subnets[4].cidr" in result["msg"] and "outside" in result["msg"]
    assert aws.mutating(calls) == []
    assert live(aws, vpc) == {}


@pytest.mark.parametrize(
    "subnets, option",
    [
        ([{"cidr": "10.40.0.0/24"}, {"cidr": "10.40.0.128/25"}], "subnets[1].cidr"),
        ([{"cidr": "10.40.0.0/24"}, {"cidr": "10.40.0.0/24"}], "subnets[1].cidr"),
        ([{"cidr": "10.40.0.1/24"}], "subnets[0].cidr"),
        ([{"cidr": "10.40.0.0/29"}], "subnets[0].cidr"),
        ([{"cidr": "10.40.0.0/24", "az": " "}], "subnets[0].az"),
    ],
)
def test_bad_input_fails_before_any_call(aws, vpc, subnets, option):
    with aws.recording() as calls:
        result = aws.run(vpc_subnets.main, {"vpc_id": vpc, "subnets": subnets})
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_bad_vpc_id_and_timeout_fail_before_any_call(aws):
    with aws.recording() as calls:
        result = aws.run(vpc_subnets.main, {"vpc_id": "vpc", "wait_timeout": 0, "subnets": [{"cidr": "10.40.0.0/24"}]})
    assert result.failed
    assert "vpc_id" in result["msg"] and "wait_timeout" in result["msg"]
    assert calls == []


def stub_pending_create(stubber, vpc, subnet_id):
    """DescribeVpcs, an empty DescribeSubnets, then a CreateSubnet that answers `pending`."""
    stubber.add_response("describe_vpcs", {"Vpcs": [{"VpcId": vpc, "CidrBlock": "10.40.0.0/16"}]}, {"VpcIds": [vpc]})
    stubber.add_response("describe_subnets", {"Subnets": []}, {"Filters": [{"Name": "vpc-id", "Values": [vpc]}]})
    pending = {"SubnetId": subnet_id, "VpcId": vpc, "CidrBlock": "10.40.0.0/24", "AvailabilityZone": "us-east-1a", "State": "pending"}
    stubber.add_response("create_subnet", {"Subnet": pending}, {"VpcId": vpc, "CidrBlock": "10.40.0.0/24", "AvailabilityZone": "us-east-1a"})
    return pending


def test_pending_subnet_is_waited_for_with_the_waiter_before_its_attribute_changes(stubbed):
    """Stubber: moto creates subnets `available` at once, so the `pending` path (the EC2 waiter) is only reachable stubbed."""
    vpc, subnet_id = "vpc-0123456789abcdef0", "subnet-0123456789abcdef0"
    ec2 = stubbed("ec2")
    pending = stub_pending_create(ec2, vpc, subnet_id)
    available = dict(pending, State="available", MapPublicIpOnLaunch=False)
    ec2.add_response("describe_subnets", {"Subnets": [available]}, {"SubnetIds": [subnet_id]})  # the waiter's first poll
    ec2.add_response("modify_subnet_attribute", {}, {"SubnetId": subnet_id, "MapPublicIpOnLaunch": {"Value": True}})
    ec2.add_response("describe_subnets", {"Subnets": [dict(available, MapPublicIpOnLaunch=True)]}, {"SubnetIds": [subnet_id]})

    public = {"cidr": "10.40.0.0/24", "az": "us-east-1a", "map_public_ip_on_launch": True}
    result = stubbed.run(vpc_subnets.main, {"vpc_id": vpc, "wait": False, "subnets": [public]})

    assert result["changed"] is True, result
    assert result["subnets"][0]["map_public_ip_on_launch"] is True
    stubbed.assert_all_used()


def test_pending_subnet_without_wait_is_not_waited_for(stubbed):
    """Stubber (see above): with wait=false and nothing to modify, no waiter poll; the Stubber fails on any extra call."""
    vpc, subnet_id = "vpc-0123456789abcdef0", "subnet-0123456789abcdef0"
    ec2 = stubbed("ec2")
    pending = stub_pending_create(ec2, vpc, subnet_id)
    ec2.add_response("describe_subnets", {"Subnets": [pending]}, {"SubnetIds": [subnet_id]})  # the read-back

    result = stubbed.run(vpc_subnets.main, {"vpc_id": vpc, "wait": False, "subnets": [{"cidr": "10.40.0.0/24", "az": "us-east-1a"}]})

    assert result["changed"] is True, result
    assert result["subnet_ids"] == [subnet_id]
    stubbed.assert_all_used()
