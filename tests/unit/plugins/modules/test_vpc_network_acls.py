# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_network_acls against the moto server (EC2 network ACLs are emulated)."""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import vpc_network_acls


@pytest.fixture
def net(aws):
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"] for i in range(4)]
    return {"vpc": vpc, "subnets": subnets}


def acls(net):
    """public: the amazon.aws.ec2_vpc_nacl list format (as roles/network builds it); data: the dict format."""
    s = net["subnets"]
    return [
        {
            "name": "hp-public",
            "subnets": s[:2],
            "ingress": [[100, "tcp", "allow", "0.0.0.0/0", None, None, 443, 443], [200, "tcp", "allow", "0.0.0.0/0", None, None, 1024, 65535]],
            "egress": [[100, "tcp", "allow", "10.40.2.0/24", None, None, 443, 443], [200, "all", "deny", "::/0"]],
            "tags": {"Tier": "public"},
        },
        {
            "name": "hp-data",
            "subnets": s[2:],
            "ingress": [
                {"rule_number": 100, "protocol": "tcp", "action": "allow", "cidr": "10.40.0.0/24", "port_from": 5432},
                {"rule_number": 110, "protocol": "icmp", "action": "allow", "cidr": "10.40.0.0/16", "icmp_type": 8},
            ],
            "egress": [{"rule_number": 100, "protocol": "tcp", "action": "allow", "cidr": "10.40.0.0/24", "port_from": 1024, "port_to": 65535}],
            "tags": {"Tier": "data"},
        },
    ]


def args(net, **extra):
    result = {"vpc_id": net["vpc"], "tags": {"Environment": "lab"}, "network_acls": acls(net)}
    result.update(extra)
    return result


def live(aws, net):
    """Name -> ACL as EC2 describes it ('default' for the VPC's default ACL)."""
    found = aws.client("ec2").describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [net["vpc"]]}])["NetworkAcls"]
    return {("default" if acl["IsDefault"] else {t["Key"]: t["Value"] for t in acl.get("Tags", [])}.get("Name")): acl for acl in found}


def entries(acl, egress):
    """{rule number: (protocol, action, cidr, ports)} without the default rule."""
    return {
        e["RuleNumber"]: (e["Protocol"], e["RuleAction"], e.get("CidrBlock") or e.get("Ipv6CidrBlock"), tuple((e.get("PortRange") or {}).values()))
        for e in acl["Entries"]
        if e["Egress"] is egress and e["RuleNumber"] != 32767
    }


def subnets_of(acl):
    return sorted(a["SubnetId"] for a in acl["Associations"])


def test_create_two_acls_with_entries_and_subnets_in_one_call(aws, net):
    with aws.recording() as calls:
        result = aws.run(vpc_network_acls.main, args(net))

    assert result["changed"] is True
    found = live(aws, net)
    public, data = found["hp-public"], found["hp-data"]
    assert entries(public, False) == {100: ("6", "allow", "0.0.0.0/0", (443, 443)), 200: ("6", "allow", "0.0.0.0/0", (1024, 65535))}
    assert entries(public, True) == {100: ("6", "allow", "10.40.2.0/24", (443, 443)), 200: ("-1", "deny", "::/0", ())}
    assert entries(data, False)[100] == ("6", "allow", "10.40.0.0/24", (5432, 5432))
    assert entries(data, False)[110][:3] == ("1", "allow", "10.40.0.0/16")
    assert subnets_of(public) == sorted(net["subnets"][:2])
    assert subnets_of(data) == sorted(net["subnets"][2:])
    assert subnets_of(found["default"]) == []
    assert {t["Key"]: t["Value"] for t in public["Tags"]} == {"Name": "hp-public", "Tier": "public", "Environment": "lab"}
    assert result["network_acl_ids"] == {"hp-public": public["NetworkAclId"], "hp-data": data["NetworkAclId"]}
    assert [a["tags"]["Name"] for a in result["network_acls"]] == ["hp-public", "hp-data"]
    assert [c["operation"] for c in calls].count("DescribeNetworkAcls") == 2  # one read, one read-back


def test_no_change_makes_no_mutating_call_and_one_read(aws, net):
    aws.run(vpc_network_acls.main, args(net))
    with aws.recording() as calls:
        result = aws.run(vpc_network_acls.main, args(net))
    assert result["changed"] is False
    assert aws.mutating(calls) == []
    assert [c["operation"] for c in calls] == ["DescribeNetworkAcls"]


def test_update_replaces_creates_and_deletes_only_the_entries_that_differ(aws, net):
    aws.run(vpc_network_acls.main, args(net))
    changed = args(net)
    public = changed["network_acls"][0]
    public["ingress"] = [
        [100, "tcp", "allow", "10.0.0.0/8", None, None, 443, 443],  # other CIDR: replaced
        [300, "udp", "allow", "0.0.0.0/0", None, None, 53, 53],  # new
    ]  # 200 is gone: deleted
    public["tags"] = {"Tier": "edge"}

    with aws.recording() as calls:
        result = aws.run(vpc_network_acls.main, changed, diff=True)

    assert result["changed"] is True
    acl = live(aws, net)["hp-public"]
    assert entries(acl, False) == {100: ("6", "allow", "10.0.0.0/8", (443, 443)), 300: ("17", "allow", "0.0.0.0/0", (53, 53))}
    assert len(entries(acl, True)) == 2
    assert sorted(aws.mutating(calls)) == ["ec2:CreateNetworkAclEntry", "ec2:CreateTags", "ec2:DeleteNetworkAclEntry", "ec2:ReplaceNetworkAclEntry"]
    assert "100 allow tcp 443 0.0.0.0/0" in result["diff"]["before"]["hp-public"]["ingress"]
    assert "100 allow tcp 443 10.0.0.0/8" in result["diff"]["after"]["hp-public"]["ingress"]
    assert set(result["diff"]["after"]) == {"hp-public"}
    assert aws.run(vpc_network_acls.main, changed)["changed"] is False


def test_subnets_move_between_acls_and_back_to_the_default(aws, net):
    aws.run(vpc_network_acls.main, args(net))
    s = net["subnets"]
    changed = args(net)
    changed["network_acls"][0]["subnets"] = [s[0], s[2]]  # s[2] moves over from hp-data, s[1] goes back to the default
    changed["network_acls"][1]["subnets"] = [s[3]]

    with aws.recording() as calls:
        result = aws.run(vpc_network_acls.main, changed)

    assert result["changed"] is True
    found = live(aws, net)
    assert subnets_of(found["hp-public"]) == sorted([s[0], s[2]])
    assert subnets_of(found["hp-data"]) == [s[3]]
    assert subnets_of(found["default"]) == [s[1]]
    assert aws.mutating(calls) == ["ec2:ReplaceNetworkAclAssociation"] * 2


def test_omitted_parts_are_left_alone(aws, net):
    aws.run(vpc_network_acls.main, args(net))
    before = live(aws, net)["hp-public"]
    result = aws.run(vpc_network_acls.main, {"vpc_id": net["vpc"], "network_acls": [{"name": "hp-public"}]})
    assert result["changed"] is False
    assert live(aws, net)["hp-public"] == before


def test_purge_network_acls_deletes_unlisted_ones_but_the_default(aws, net):
    aws.run(vpc_network_acls.main, args(net))
    only_public = args(net, network_acls=acls(net)[:1])
    assert aws.run(vpc_network_acls.main, only_public)["changed"] is False
    doomed = live(aws, net)["hp-data"]["NetworkAclId"]

    result = aws.run(vpc_network_acls.main, {**only_public, "purge_network_acls": True}, diff=True)

    assert result["changed"] is True
    assert result["deleted"] == [doomed]
    found = live(aws, net)
    assert set(found) == {"default", "hp-public"}
    assert subnets_of(found["default"]) == sorted(net["subnets"][2:])
    assert "hp-data" in result["diff"]["before"]
    assert aws.run(vpc_network_acls.main, {**only_public, "purge_network_acls": True})["changed"] is False


def test_check_mode_changes_nothing(aws, net):
    with aws.recording() as calls:
        create = aws.run(vpc_network_acls.main, args(net), check_mode=True)
    assert create["changed"] is True
    assert create["network_acl_ids"] == {"hp-public": "", "hp-data": ""}
    assert len(create["network_acls"][0]["entries"]) == 4
    assert set(live(aws, net)) == {"default"}
    assert aws.mutating(calls) == []

    aws.run(vpc_network_acls.main, args(net))
    before = live(aws, net)
    changed = args(net, purge_network_acls=True, network_acls=acls(net)[:1])
    changed["network_acls"][0]["egress"] = []
    with aws.recording() as calls:
        update = aws.run(vpc_network_acls.main, changed, check_mode=True)
        same = aws.run(vpc_network_acls.main, args(net), check_mode=True)
    assert update["changed"] is True
    assert [e for e in update["network_acls"][0]["entries"] if e["egress"]] == []
    assert update["deleted"] == [before["hp-data"]["NetworkAclId"]]
    assert same["changed"] is False
    assert live(aws, net) == before
    assert aws.mutating(calls) == []


def test_unknown_subnet_and_two_acls_with_one_name_fail_before_any_change(aws, net):
    bad = args(net)
    bad["network_acls"][1]["subnets"] = ["subnet-0123456789abcdef0"]
    with aws.recording() as calls:
        result = aws.run(vpc_network_acls.main, bad)
    assert result.failed
    assert "network_acls[1].subnets" in result["msg"] and "subnet-0123456789abcdef0" in result["msg"]
    assert aws.mutating(calls) == []

    ec2 = aws.client("ec2")
    for _index in range(2):
        ec2.create_network_acl(VpcId=net["vpc"], TagSpecifications=[{"ResourceType": "network-acl", "Tags": [{"Key": "Name", "Value": "hp-data"}]}])
    with aws.recording() as calls:
        result = aws.run(vpc_network_acls.main, args(net))
    assert result.failed
    assert "more than one network ACL" in result["msg"]
    assert aws.mutating(calls) == []


@pytest.mark.parametrize(
    "direction, entry, option, words",
    [
        ("ingress", [200, "tcp", "allow", "0.0.0.0/0", None, None, 80, 80], "network_acls[0].ingress[2]", "rule_number 200"),
        ("ingress", [300, "tcp", "allow", "0.0.0.0/0", None, None, 8443, 443], "network_acls[0].ingress[2]", "reversed"),
        ("ingress", [300, "tcp", "allow", "0.0.0.0/0", None, None, 443, 70000], "network_acls[0].ingress[2]", "port_to"),
        ("ingress", [300, "tcp", "allow", "0.0.0.0/0"], "network_acls[0].ingress[2]", "port_from is required"),
        ("egress", [300, "all", "allow", "0.0.0.0/0", None, None, 1, 2], "network_acls[0].egress[2]", "tcp and udp only"),
        ("egress", [300, "gre", "allow", "0.0.0.0/0"], "network_acls[0].egress[2]", "protocol"),
        ("egress", [32767, "all", "allow", "0.0.0.0/0"], "network_acls[0].egress[2]", "rule_number"),
        ("egress", [300, "all", "permit", "0.0.0.0/0"], "network_acls[0].egress[2]", "action"),
        ("egress", [300, "all", "allow", "10.0.0.1/8"], "network_acls[0].egress[2]", "cidr"),
        ("egress", [300, "all"], "network_acls[0].egress[2]", "list entry"),
        ("egress", {"rule_number": 300, "protocol": "all", "action": "allow", "cidr": "::/0", "ports": "1-2"}, "network_acls[0].egress[2]", "unknown keys"),
        ("egress", {"rule_number": 300, "protocol": "tcp", "action": "allow", "cidr": "::/0", "icmp_type": 3, "port_from": 1}, "egress[2]", "icmp"),
    ],
)
def test_bad_entries_fail_before_any_call(aws, net, direction, entry, option, words):
    bad = args(net)
    bad["network_acls"][0][direction].append(entry)
    with aws.recording() as calls:
        result = aws.run(vpc_network_acls.main, bad)
    assert result.failed
    assert option in result["msg"] and words in result["msg"], result["msg"]
    assert calls == []


def test_bad_names_subnets_and_vpc_fail_before_any_call(aws, net):
    bad = args(net, vpc_id="vpc")
    bad["network_acls"][1]["name"] = "hp-public"
    bad["network_acls"][1]["subnets"] = [net["subnets"][0], "sn-1"]
    with aws.recording() as calls:
        result = aws.run(vpc_network_acls.main, bad)
    assert result.failed
    for option in ("vpc_id", "network_acls[1].name", f"network_acls[1].subnets: {net['subnets'][0]}", "network_acls[1].subnets: 'sn-1'"):
        assert option in result["msg"], option
    assert calls == []
