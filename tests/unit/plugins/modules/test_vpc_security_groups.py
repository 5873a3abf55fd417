# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_security_groups against the moto server (EC2 security groups are emulated)."""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.module_utils.network import permission_atoms
from ansible_collections.healthplatform.aws.plugins.modules import vpc_security_group
from ansible_collections.healthplatform.aws.plugins.modules import vpc_security_groups


@pytest.fixture
def vpc(aws):
    return aws.client("ec2").create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]


def chain(**changes):
    """The platform's chain, listed so that each group names one that comes later (alb -> web -> db)."""
    groups = [
        {"name": "default", "rules": [], "rules_egress": []},
        {
            "name": "hp-alb",
            "description": "load balancer",
            "rules": [{"ports": ["443", "80"], "cidr_ip": ["0.0.0.0/0"], "description": "from the internet"}],
            "rules_egress": [{"ports": ["443"], "group": ["hp-web"]}],
            "tags": {"Tier": "public"},
        },
        {
            "name": "hp-web",
            "description": "web instances",
            "rules": [{"ports": ["443"], "group": ["hp-alb"], "description": "from the load balancer"}],
            "rules_egress": [{"ports": ["5432"], "group": ["hp-db"]}],
            "tags": {"Tier": "app"},
        },
        {"name": "hp-db", "description": "database", "rules": [{"ports": ["5432"], "group": ["hp-web"]}], "rules_egress": [], "tags": {"Tier": "data"}},
    ]
    for group in groups:
        group.update(changes.get(group["name"], {}))
    return groups


def args(vpc_id, groups, **extra):
    return {"vpc_id": vpc_id, "security_groups": groups, **extra}


def live(aws, vpc_id):
    groups = aws.client("ec2").describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"]
    return {g["GroupName"]: g for g in groups}


def operations(calls, name):
    return [c for c in calls if c["operation"] == name]


def test_groups_of_one_call_refer_to_each_other_by_name(aws, vpc):
    with aws.recording() as calls:
        result = aws.run(vpc_security_groups.main, args(vpc, chain()))

    assert result["changed"] is True
    groups = live(aws, vpc)
    ids = {name: g["GroupId"] for name, g in groups.items()}
    assert result["group_ids"] == {name: ids[name] for name in ("default", "hp-alb", "hp-web", "hp-db")}
    assert permission_atoms(groups["hp-alb"]["IpPermissions"]) == {
        ("tcp", 443, 443, "cidr", "0.0.0.0/0"): "from the internet",
        ("tcp", 80, 80, "cidr", "0.0.0.0/0"): "from the internet",
    }
    # a new group's "all traffic out" is replaced by the listed egress
    assert set(permission_atoms(groups["hp-alb"]["IpPermissionsEgress"])) == {("tcp", 443, 443, "group", ids["hp-web"])}
    assert permission_atoms(groups["hp-web"]["IpPermissions"]) == {("tcp", 443, 443, "group", ids["hp-alb"]): "from the load balancer"}
    assert set(permission_atoms(groups["hp-web"]["IpPermissionsEgress"])) == {("tcp", 5432, 5432, "group", ids["hp-db"])}
    assert set(permission_atoms(groups["hp-db"]["IpPermissions"])) == {("tcp", 5432, 5432, "group", ids["hp-web"])}
    assert groups["hp-db"]["IpPermissionsEgress"] == []
    assert groups["default"]["IpPermissions"] == [] and groups["default"]["IpPermissionsEgress"] == []
    assert {t["Key"]: t["Value"] for t in groups["hp-web"]["Tags"]} == {"Tier": "app"}
    assert groups["hp-db"]["Description"] == "database"
    assert [g["group_name"] for g in result["security_groups"]] == ["default", "hp-alb", "hp-web", "hp-db"]
    # one read of the VPC's groups, one read-back of the changed ones
    assert len(operations(calls, "DescribeSecurityGroups")) == 2
    assert len(operations(calls, "CreateSecurityGroup")) == 3


def test_no_change_makes_no_mutating_call_and_one_read(aws, vpc):
    aws.run(vpc_security_groups.main, args(vpc, chain()))
    with aws.recording() as calls:
        result = aws.run(vpc_security_groups.main, args(vpc, chain()))

    assert result["changed"] is False
    assert aws.mutating(calls) == []
    assert [c["operation"] for c in calls] == ["DescribeSecurityGroups"]
    assert set(result["group_ids"]) == {"default", "hp-alb", "hp-web", "hp-db"}


def test_same_module_and_single_group_module_agree(aws, vpc):
    """Groups made by the plural module are no change for vpc_security_group, and the other way round."""
    aws.run(vpc_security_groups.main, args(vpc, chain()))
    for spec in chain():
        assert aws.run(vpc_security_group.main, {"vpc_id": vpc, **spec})["changed"] is False, spec["name"]


def test_update_adds_and_removes_rules_and_changes_tags(aws, vpc):
    aws.run(vpc_security_groups.main, args(vpc, chain()))
    changed = chain(
        **{
            "hp-alb": {"rules": [{"ports": ["443"], "cidr_ip": ["0.0.0.0/0"], "description": "HTTPS only"}]},
            "hp-db": {"rules": [{"ports": ["5432"], "group": ["hp-web"]}, {"ports": ["5432"], "cidr_ip": ["10.40.30.0/24"]}], "tags": {"Tier": "data2"}},
        }
    )
    with aws.recording() as calls:
        result = aws.run(vpc_security_groups.main, args(vpc, changed), diff=True)

    assert result["changed"] is True
    groups = live(aws, vpc)
    assert permission_atoms(groups["hp-alb"]["IpPermissions"]) == {("tcp", 443, 443, "cidr", "0.0.0.0/0"): "HTTPS only"}
    assert ("tcp", 5432, 5432, "cidr", "10.40.30.0/24") in permission_atoms(groups["hp-db"]["IpPermissions"])
    assert {t["Key"]: t["Value"] for t in groups["hp-db"]["Tags"]} == {"Tier": "data2"}
    assert sorted(result["diff"]["before"]) == ["hp-alb", "hp-db"]
    assert "tcp 80 0.0.0.0/0 # from the internet" in result["diff"]["before"]["hp-alb"]["rules"]
    assert "tcp 80 0.0.0.0/0 # from the internet" not in result["diff"]["after"]["hp-alb"]["rules"]
    assert result["diff"]["after"]["hp-db"]["tags"] == {"Tier": "data2"}
    mutating = aws.mutating(calls)
    assert "ec2:RevokeSecurityGroupIngress" in mutating and "ec2:AuthorizeSecurityGroupIngress" in mutating
    assert "ec2:CreateSecurityGroup" not in mutating
    # the untouched groups keep their IDs and rules
    assert result["group_ids"]["hp-web"] == groups["hp-web"]["GroupId"]


def test_purge_false_keeps_unlisted_rules(aws, vpc):
    aws.run(vpc_security_groups.main, args(vpc, chain()))
    extra = chain(**{"hp-alb": {"rules": [{"ports": ["8443"], "cidr_ip": ["10.0.0.0/8"]}], "purge_rules": False}})
    assert aws.run(vpc_security_groups.main, args(vpc, extra))["changed"] is True

    ports = {a[1] for a in permission_atoms(live(aws, vpc)["hp-alb"]["IpPermissions"])}
    assert ports == {80, 443, 8443}


def test_omitted_rules_are_left_alone_and_self_reference_works(aws, vpc):
    aws.run(vpc_security_groups.main, args(vpc, [{"name": "hp-open"}, {"name": "hp-cluster", "rules": [{"proto": "all", "group": ["hp-cluster"]}]}]))
    groups = live(aws, vpc)
    assert set(permission_atoms(groups["hp-open"]["IpPermissionsEgress"])) == {("all", None, None, "cidr", "0.0.0.0/0")}
    assert set(permission_atoms(groups["hp-cluster"]["IpPermissions"])) == {("all", None, None, "group", groups["hp-cluster"]["GroupId"])}


def test_existing_group_of_the_vpc_can_be_named(aws, vpc):
    aws.run(vpc_security_group.main, {"name": "hp-bastionless", "vpc_id": vpc, "rules": []})
    result = aws.run(vpc_security_groups.main, args(vpc, [{"name": "hp-app", "rules": [{"ports": ["443"], "group": ["hp-bastionless"]}]}]))
    groups = live(aws, vpc)
    assert set(permission_atoms(groups["hp-app"]["IpPermissions"])) == {("tcp", 443, 443, "group", groups["hp-bastionless"]["GroupId"])}
    assert result["group_ids"] == {"hp-app": groups["hp-app"]["GroupId"]}


def test_description_cannot_change_and_warns(aws, vpc):
    aws.run(vpc_security_groups.main, args(vpc, chain()))
    result = aws.run(vpc_security_groups.main, args(vpc, chain(**{"hp-db": {"description": "something else"}})))
    assert result["changed"] is False
    assert "hp-db keeps its description" in str(result["warnings"])


def test_delete_groups_that_refer_to_each_other(aws, vpc):
    aws.run(vpc_security_groups.main, args(vpc, chain()))
    names = [{"name": n} for n in ("hp-alb", "hp-web", "hp-db")]

    result = aws.run(vpc_security_groups.main, args(vpc, names, state="absent"), diff=True)

    assert result["changed"] is True
    assert sorted(live(aws, vpc)) == ["default"]
    assert sorted(result["diff"]["before"]) == ["hp-alb", "hp-db", "hp-web"]
    with aws.recording() as calls:
        again = aws.run(vpc_security_groups.main, args(vpc, names, state="absent"))
    assert again["changed"] is False
    assert aws.mutating(calls) == []


def test_check_mode_changes_nothing(aws, vpc):
    with aws.recording() as calls:
        create = aws.run(vpc_security_groups.main, args(vpc, chain()), check_mode=True, diff=True)
    assert create["changed"] is True
    assert create["group_ids"] == {"default": live(aws, vpc)["default"]["GroupId"], "hp-alb": "", "hp-web": "", "hp-db": ""}
    assert sorted(live(aws, vpc)) == ["default"]
    # names of groups that would be created stand in for their IDs
    assert create["diff"]["after"]["hp-web"]["rules"] == ["tcp 443 (planned hp-alb) # from the load balancer"]
    assert "group_id" not in create["security_groups"][1]
    assert aws.mutating(calls) == []

    aws.run(vpc_security_groups.main, args(vpc, chain()))
    before = live(aws, vpc)
    with aws.recording() as calls:
        update = aws.run(vpc_security_groups.main, args(vpc, chain(**{"hp-alb": {"rules": [], "tags": {}}})), check_mode=True)
        delete = aws.run(vpc_security_groups.main, args(vpc, [{"name": "hp-db"}], state="absent"), check_mode=True)
        same = aws.run(vpc_security_groups.main, args(vpc, chain()), check_mode=True)
    assert update["changed"] is True
    assert update["security_groups"][1]["ip_permissions"] == [] and update["security_groups"][1]["tags"] == {}
    assert delete["changed"] is True
    assert same["changed"] is False
    assert live(aws, vpc) == before
    assert aws.mutating(calls) == []


def test_unknown_group_name_fails_before_any_change(aws, vpc):
    groups = chain(**{"hp-db": {"rules": [{"ports": ["5432"], "group": ["hp-nope"]}]}})
    with aws.recording() as calls:
        result = aws.run(vpc_security_groups.main, args(vpc, groups))
    assert result.failed
    assert "security_groups[3].rules" in result["msg"] and "hp-nope" in result["msg"]
    assert aws.mutating(calls) == []
    assert sorted(live(aws, vpc)) == ["default"]


@pytest.mark.parametrize(
    "groups, option",
    [
        (chain(**{"hp-web": {"rules": [{"ports": ["70000"], "cidr_ip": ["0.0.0.0/0"]}]}}), "security_groups[2].rules[0].ports"),
        (chain(**{"hp-db": {"rules_egress": [{"ports": ["443"], "cidr_ip": ["10.40.1.1/16"]}]}}), "security_groups[3].rules_egress[0].cidr_ip"),
        (chain(**{"hp-alb": {"rules": [{"ports": ["443"]}]}}), "security_groups[1].rules[0]"),
        (chain(**{"hp-db": {"name": "hp-web"}}), "security_groups[3].name: hp-web is listed twice"),
        (chain(**{"hp-db": {"name": "sg-db"}}), "security_groups[3].name must not start with sg-"),
        (chain(**{"hp-alb": {"rules": [{"proto": "gre", "cidr_ip": ["0.0.0.0/0"]}]}}), "proto"),
    ],
)
def test_bad_input_fails_before_any_call(aws, vpc, groups, option):
    with aws.recording() as calls:
        result = aws.run(vpc_security_groups.main, args(vpc, groups))
    assert result.failed
    assert option in result["msg"]
    assert calls == []


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"vpc_id": "my-vpc"}, "vpc_id"),
        ({"state": "absent"}, "security_groups[0].name=default"),
    ],
)
def test_bad_top_level_input_fails_before_any_call(aws, vpc, extra, option):
    with aws.recording() as calls:
        result = aws.run(vpc_security_groups.main, {**args(vpc, chain()), **extra})
    assert result.failed
    assert option in result["msg"]
    assert calls == []
