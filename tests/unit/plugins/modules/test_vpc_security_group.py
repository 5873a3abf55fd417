# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_security_group and vpc_security_group_info against the moto server (EC2 security groups are emulated)."""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.module_utils.network import permission_atoms
from ansible_collections.healthplatform.aws.plugins.modules import vpc_security_group
from ansible_collections.healthplatform.aws.plugins.modules import vpc_security_group_info


@pytest.fixture
def vpc(aws):
    return aws.client("ec2").create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]


def alb_args(vpc_id, **extra):
    args = {
        "name": "hp-alb",
        "vpc_id": vpc_id,
        "description": "load balancer",
        "rules": [{"ports": ["443", "80"], "cidr_ip": ["0.0.0.0/0"], "description": "from the internet"}],
        "rules_egress": [{"ports": ["443"], "group": ["hp-web"]}],
        "tags": {"Tier": "public"},
    }
    args.update(extra)
    return args


def web_args(vpc_id, **extra):
    args = {"name": "hp-web", "vpc_id": vpc_id, "rules": [{"ports": ["443"], "group": ["hp-alb"]}], "rules_egress": []}
    args.update(extra)
    return args


def group_of(aws, vpc_id, name):
    groups = aws.client("ec2").describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": [name]}])
    return groups["SecurityGroups"][0] if groups["SecurityGroups"] else None


def test_chained_groups_reference_each_other(aws, vpc):
    web = aws.run(vpc_security_group.main, {"name": "hp-web", "vpc_id": vpc})
    alb = aws.run(vpc_security_group.main, alb_args(vpc))
    web = aws.run(vpc_security_group.main, web_args(vpc))

    assert alb["changed"] is True and web["changed"] is True
    live_alb = group_of(aws, vpc, "hp-alb")
    live_web = group_of(aws, vpc, "hp-web")
    assert permission_atoms(live_alb["IpPermissions"]) == {
        ("tcp", 443, 443, "cidr", "0.0.0.0/0"): "from the internet",
        ("tcp", 80, 80, "cidr", "0.0.0.0/0"): "from the internet",
    }
    # the default "all traffic out" of a new group is replaced by the listed egress
    assert set(permission_atoms(live_alb["IpPermissionsEgress"])) == {("tcp", 443, 443, "group", live_web["GroupId"])}
    assert set(permission_atoms(live_web["IpPermissions"])) == {("tcp", 443, 443, "group", live_alb["GroupId"])}
    assert live_web["IpPermissionsEgress"] == []
    assert {t["Key"]: t["Value"] for t in live_alb["Tags"]} == {"Tier": "public"}
    assert alb["group_id"] == live_alb["GroupId"]


def test_no_change_makes_no_mutating_call(aws, vpc):
    aws.run(vpc_security_group.main, web_args(vpc, rules=[]))
    aws.run(vpc_security_group.main, alb_args(vpc))
    aws.run(vpc_security_group.main, web_args(vpc))
    with aws.recording() as calls:
        alb = aws.run(vpc_security_group.main, alb_args(vpc))
        web = aws.run(vpc_security_group.main, web_args(vpc))

    assert alb["changed"] is False and web["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_same_rules_written_differently_are_no_change(aws, vpc):
    aws.run(vpc_security_group.main, alb_args(vpc, rules_egress=None))
    split = [{"ports": ["80"], "cidr_ip": ["0.0.0.0/0"], "description": "from the internet"}, {"ports": ["443"], "cidr_ip": ["0.0.0.0/0"]}]
    assert aws.run(vpc_security_group.main, alb_args(vpc, rules=split, rules_egress=None))["changed"] is False


def test_update_authorizes_revokes_and_describes(aws, vpc):
    aws.run(vpc_security_group.main, alb_args(vpc, rules_egress=None))
    rules = [
        {"ports": ["443"], "cidr_ip": ["0.0.0.0/0"], "description": "HTTPS only"},
        {"proto": "udp", "ports": ["1024-65535"], "cidr_ip": ["10.40.0.0/16"]},
    ]
    result = aws.run(vpc_security_group.main, alb_args(vpc, rules=rules, rules_egress=None), diff=True)

    assert result["changed"] is True
    live = permission_atoms(group_of(aws, vpc, "hp-alb")["IpPermissions"])
    assert live == {("tcp", 443, 443, "cidr", "0.0.0.0/0"): "HTTPS only", ("udp", 1024, 65535, "cidr", "10.40.0.0/16"): None}
    assert "tcp 80 0.0.0.0/0 # from the internet" in result["diff"]["before"]["rules"]
    assert "tcp 80 0.0.0.0/0 # from the internet" not in result["diff"]["after"]["rules"]


def test_purge_false_keeps_unlisted_rules(aws, vpc):
    aws.run(vpc_security_group.main, alb_args(vpc, rules_egress=None))
    extra = [{"ports": ["8443"], "cidr_ip": ["10.0.0.0/8"]}]
    aws.run(vpc_security_group.main, alb_args(vpc, rules=extra, purge_rules=False, rules_egress=None))

    ports = {a[1] for a in permission_atoms(group_of(aws, vpc, "hp-alb")["IpPermissions"])}
    assert ports == {80, 443, 8443}


def test_omitted_egress_is_left_alone(aws, vpc):
    aws.run(vpc_security_group.main, {"name": "hp-open", "vpc_id": vpc, "rules": []})
    live = group_of(aws, vpc, "hp-open")
    assert set(permission_atoms(live["IpPermissionsEgress"])) == {("all", None, None, "cidr", "0.0.0.0/0")}


def test_self_reference_on_create(aws, vpc):
    aws.run(vpc_security_group.main, {"name": "hp-cluster", "vpc_id": vpc, "rules": [{"proto": "all", "group": ["hp-cluster"]}]})
    live = group_of(aws, vpc, "hp-cluster")
    assert set(permission_atoms(live["IpPermissions"])) == {("all", None, None, "group", live["GroupId"])}


def test_default_group_is_emptied(aws, vpc):
    result = aws.run(vpc_security_group.main, {"name": "default", "vpc_id": vpc, "rules": [], "rules_egress": []})

    assert result["changed"] is True
    live = group_of(aws, vpc, "default")
    assert live["IpPermissions"] == [] and live["IpPermissionsEgress"] == []
    assert aws.run(vpc_security_group.main, {"name": "default", "vpc_id": vpc, "rules": [], "rules_egress": []})["changed"] is False


def test_tags_update(aws, vpc):
    aws.run(vpc_security_group.main, alb_args(vpc, rules_egress=None))
    result = aws.run(vpc_security_group.main, alb_args(vpc, rules_egress=None, tags={"Tier": "edge"}))
    assert result["changed"] is True
    assert result["security_group"]["tags"] == {"Tier": "edge"}


def test_description_cannot_change_and_warns(aws, vpc):
    aws.run(vpc_security_group.main, alb_args(vpc, rules_egress=None))
    result = aws.run(vpc_security_group.main, alb_args(vpc, rules_egress=None, description="something else"))
    assert result["changed"] is False
    assert "cannot change" in str(result["warnings"])


def test_delete_and_delete_again(aws, vpc):
    aws.run(vpc_security_group.main, alb_args(vpc, rules_egress=None))
    assert aws.run(vpc_security_group.main, {"name": "hp-alb", "vpc_id": vpc, "state": "absent"})["changed"] is True
    assert group_of(aws, vpc, "hp-alb") is None
    assert aws.run(vpc_security_group.main, {"name": "hp-alb", "vpc_id": vpc, "state": "absent"})["changed"] is False


def test_check_mode_changes_nothing(aws, vpc):
    aws.run(vpc_security_group.main, {"name": "hp-web", "vpc_id": vpc})
    with aws.recording() as calls:
        create = aws.run(vpc_security_group.main, alb_args(vpc), check_mode=True)
    assert create["changed"] is True
    assert create["security_group"]["group_name"] == "hp-alb"
    assert group_of(aws, vpc, "hp-alb") is None
    assert aws.mutating(calls) == []

    aws.run(vpc_security_group.main, alb_args(vpc))
    before = group_of(aws, vpc, "hp-alb")
    with aws.recording() as calls:
        update = aws.run(vpc_security_group.main, alb_args(vpc, rules=[]), check_mode=True)
        delete = aws.run(vpc_security_group.main, {"name": "hp-alb", "vpc_id": vpc, "state": "absent"}, check_mode=True)
        same = aws.run(vpc_security_group.main, alb_args(vpc), check_mode=True)
    assert update["changed"] is True and update["security_group"]["ip_permissions"] == []
    assert delete["changed"] is True
    assert same["changed"] is False
    assert group_of(aws, vpc, "hp-alb") == before
    assert aws.mutating(calls) == []


def test_unknown_group_name_fails_naming_the_option(aws, vpc):
    result = aws.run(vpc_security_group.main, web_args(vpc, rules=[{"ports": ["443"], "group": ["nope"]}]))
    assert result.failed
    assert "rules" in result["msg"] and "nope" in result["msg"]
    assert group_of(aws, vpc, "hp-web") is None


@pytest.mark.parametrize(
    "args, option",
    [
        ({"rules": [{"ports": ["70000"], "cidr_ip": ["0.0.0.0/0"]}]}, "rules[0].ports"),
        ({"rules": [{"ports": ["443-80"], "cidr_ip": ["0.0.0.0/0"]}]}, "rules[0].ports"),
        ({"rules": [{"proto": "tcp", "cidr_ip": ["0.0.0.0/0"]}]}, "rules[0].ports"),
        ({"rules": [{"proto": "all", "ports": ["22"], "cidr_ip": ["0.0.0.0/0"]}]}, "rules[0].ports"),
        ({"rules": [{"ports": ["443"]}]}, "rules[0]"),
        ({"rules": [{"ports": ["443"], "cidr_ip": ["10.40.1.1/16"]}]}, "rules[0].cidr_ip"),
        ({"rules_egress": [{"ports": ["443"], "cidr_ipv6": ["10.0.0.0/8"]}]}, "rules_egress[0].cidr_ipv6"),
        ({"rules": [{"ports": ["443"], "prefix_list_id": ["s3"]}]}, "rules[0].prefix_list_id"),
        ({"rules": [{"ports": ["443"], "cidr_ip": ["0.0.0.0/0"], "description": "ümlaut"}]}, "rules[0].description"),
        ({"rules": [{"proto": "gre", "cidr_ip": ["0.0.0.0/0"]}]}, "proto"),
        ({"name": "default", "state": "absent"}, "name=default"),
        ({"vpc_id": "my-vpc"}, "vpc_id"),
    ],
)
def test_bad_input_fails_before_any_call(aws, vpc, args, option):
    with aws.recording() as calls:
        result = aws.run(vpc_security_group.main, {**alb_args(vpc, rules_egress=None), **args})
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info_lists_groups_with_readable_rules(aws, vpc):
    aws.run(vpc_security_group.main, {"name": "hp-web", "vpc_id": vpc})
    aws.run(vpc_security_group.main, alb_args(vpc))

    result = aws.run(vpc_security_group_info.main, {"vpc_id": vpc, "names": ["hp-alb"]})

    assert result["changed"] is False
    (group,) = result["security_groups"]
    assert group["group_name"] == "hp-alb"
    assert group["rules"] == ["tcp 443 0.0.0.0/0 # from the internet", "tcp 80 0.0.0.0/0 # from the internet"]
    assert group["rules_egress"][0].endswith("(hp-web)")
    assert group["tags"] == {"Tier": "public"}
    everything = aws.run(vpc_security_group_info.main, {"vpc_id": vpc})
    assert sorted(g["group_name"] for g in everything["security_groups"]) == ["default", "hp-alb", "hp-web"]
