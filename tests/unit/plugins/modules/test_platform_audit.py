# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""platform_audit: real evidence from the moto server where moto implements the APIs; botocore
Stubber for the DNS Firewall (HP-13) and Data Lifecycle Manager (HP-22) paths, which moto 5.2.5
does not implement (every *Firewall* call and all of DLM answer HTTP 500). The Stubber validates
every request against the real API model."""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import platform_audit

TAGS = [{"Key": "Platform", "Value": "healthplatform"}, {"Key": "Environment", "Value": "lab"}]


def findings(result):
    return {c["id"]: c for c in result["controls"]}


@pytest.fixture
def network(aws):
    """A platform VPC with three tiers in two AZs and a flow log of ALL traffic."""
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": TAGS}])["Vpc"]["VpcId"]
    third = 0
    for tier in ("public", "app", "data"):
        for az in ("us-east-1a", "us-east-1b"):
            ec2.create_subnet(
                VpcId=vpc,
                CidrBlock=f"10.50.{third}.0/24",
                AvailabilityZone=az,
                TagSpecifications=[{"ResourceType": "subnet", "Tags": [*TAGS, {"Key": "Tier", "Value": tier}]}],
            )
            third += 1
    aws.client("s3").create_bucket(Bucket="healthplatform-lab-logs")
    ec2.create_flow_logs(
        ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL", LogDestinationType="s3", LogDestination="arn:aws:s3:::healthplatform-lab-logs"
    )
    default = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]
    ec2.revoke_security_group_ingress(GroupId=default["GroupId"], IpPermissions=default["IpPermissions"])
    ec2.revoke_security_group_egress(GroupId=default["GroupId"], IpPermissions=default["IpPermissionsEgress"])
    return vpc


def test_empty_account_fails_and_never_passes(aws):
    result = aws.run(platform_audit.main, {"environment": "lab"})

    assert result["changed"] is False
    found = findings(result)
    assert len(found) == 26
    assert found["HP-12"]["status"] == "fail" and "no platform VPC" in found["HP-12"]["reason"]
    assert found["HP-03"]["status"] == "fail"
    assert result["summary"]["pass"] == 0
    assert found["HP-01"]["status"] == "unchecked"
    assert found["HP-12"]["hipaa"] == ["164.312(b)"]


def test_network_controls_pass_on_a_segmented_vpc(aws, network):
    with aws.recording() as calls:
        result = aws.run(platform_audit.main, {"environment": "lab", "controls": ["HP-12", "HP-17"]})

    found = findings(result)
    assert found["HP-12"]["status"] == "pass", found["HP-12"]
    assert found["HP-17"]["status"] == "pass", found["HP-17"]
    assert aws.mutating(calls) == [], "the audit is read-only"
    assert set(found["HP-17"]["evidence"][network]["Tiers"]) == {"public", "app", "data"}


def test_ssh_from_the_world_fails_segmentation(aws, network):
    ec2 = aws.client("ec2")
    group = ec2.create_security_group(GroupName="web", Description="web", VpcId=network)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )

    found = findings(aws.run(platform_audit.main, {"environment": "lab", "controls": ["HP-17"]}))

    assert found["HP-17"]["status"] == "fail"
    assert "opens port 22" in found["HP-17"]["reason"]


def test_flow_log_of_rejected_traffic_only_fails(aws, network):
    ec2 = aws.client("ec2")
    (flow_log,) = ec2.describe_flow_logs()["FlowLogs"]
    ec2.delete_flow_logs(FlowLogIds=[flow_log["FlowLogId"]])
    ec2.create_flow_logs(
        ResourceIds=[network], ResourceType="VPC", TrafficType="REJECT", LogDestinationType="s3", LogDestination="arn:aws:s3:::healthplatform-lab-logs"
    )

    found = findings(aws.run(platform_audit.main, {"environment": "lab", "controls": ["HP-12"]}))

    assert found["HP-12"]["status"] == "fail"


def test_password_policy(aws):
    iam = aws.client("iam")
    iam.update_account_password_policy(
        MinimumPasswordLength=14,
        RequireSymbols=True,
        RequireNumbers=True,
        RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True,
        MaxPasswordAge=90,
        PasswordReusePrevention=24,
    )
    assert findings(aws.run(platform_audit.main, {"environment": "lab", "controls": ["HP-03"]}))["HP-03"]["status"] == "pass"

    iam.update_account_password_policy(MinimumPasswordLength=8, RequireSymbols=True, RequireNumbers=True, MaxPasswordAge=90, PasswordReusePrevention=24)
    weak = findings(aws.run(platform_audit.main, {"environment": "lab", "controls": ["HP-03"]}))["HP-03"]
    assert weak["status"] == "fail"
    assert "minimum length 8" in weak["reason"]


def test_records_bucket_object_lock(aws):
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="healthplatform-lab-records", ObjectLockEnabledForBucket=True)
    s3.put_object_lock_configuration(
        Bucket="healthplatform-lab-records",
        ObjectLockConfiguration={"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 30}}},
    )

    short = findings(aws.run(platform_audit.main, {"environment": "lab", "controls": ["HP-04"]}))["HP-04"]
    ok = findings(aws.run(platform_audit.main, {"environment": "lab", "controls": ["HP-04"], "object_lock_min_days": 30}))["HP-04"]
    production = findings(
        aws.run(
            platform_audit.main,
            {"environment": "production", "records_bucket": "healthplatform-lab-records", "controls": ["HP-04"], "object_lock_min_days": 30},
        )
    )["HP-04"]

    assert short["status"] == "fail" and "30 days < 365" in short["reason"]
    assert ok["status"] == "pass", ok
    assert production["status"] == "fail" and "COMPLIANCE" in production["reason"]


def test_missing_api_is_unknown_not_pass(aws, network):
    """moto has no DNS Firewall: the finding must say the evidence could not be read."""
    found = findings(aws.run(platform_audit.main, {"environment": "lab", "controls": ["HP-13"]}))["HP-13"]

    assert found["status"] == "unknown"
    assert "ListFirewallRuleGroupAssociations" in found["reason"]


def test_unknown_control_id_fails_before_any_call(aws):
    with aws.recording() as calls:
        result = aws.run(platform_audit.main, {"environment": "lab", "controls": ["HP-12", "HP-99"]})

    assert result.failed
    assert "controls" in result["msg"] and "HP-99" in result["msg"]
    assert calls == []


VPC_ID = "vpc-0123456789abcdef0"


def stub_platform_vpc(stubbed):
    stubbed("ec2").add_response("describe_vpcs", {"Vpcs": [{"VpcId": VPC_ID}]})


def test_dns_firewall_blocking_and_logging_passes(stubbed):
    stub_platform_vpc(stubbed)
    resolver = stubbed("route53resolver")
    resolver.add_response(
        "list_firewall_rule_group_associations",
        {"FirewallRuleGroupAssociations": [{"Id": "rslvr-frgassoc-1", "FirewallRuleGroupId": "rslvr-frg-1", "VpcId": VPC_ID, "Status": "COMPLETE"}]},
    )
    resolver.add_response(
        "list_firewall_rules", {"FirewallRules": [{"Name": "malware", "Action": "BLOCK", "Priority": 100}]}, {"FirewallRuleGroupId": "rslvr-frg-1"}
    )
    resolver.add_response("list_resolver_query_log_config_associations", {"ResolverQueryLogConfigAssociations": [{"Id": "a", "ResourceId": VPC_ID}]})

    found = findings(stubbed.run(platform_audit.main, {"environment": "lab", "controls": ["HP-13"]}))["HP-13"]

    assert found["status"] == "pass", found
    stubbed.assert_all_used()


def test_dns_firewall_without_block_rule_fails(stubbed):
    stub_platform_vpc(stubbed)
    resolver = stubbed("route53resolver")
    resolver.add_response(
        "list_firewall_rule_group_associations",
        {"FirewallRuleGroupAssociations": [{"Id": "rslvr-frgassoc-1", "FirewallRuleGroupId": "rslvr-frg-1", "VpcId": VPC_ID, "Status": "COMPLETE"}]},
    )
    resolver.add_response("list_firewall_rules", {"FirewallRules": [{"Name": "watch", "Action": "ALERT", "Priority": 100}]})
    resolver.add_response("list_resolver_query_log_config_associations", {"ResolverQueryLogConfigAssociations": []})

    found = findings(stubbed.run(platform_audit.main, {"environment": "lab", "controls": ["HP-13"]}))["HP-13"]

    assert found["status"] == "fail"
    assert "no associated rule group with a BLOCK rule" in found["reason"]
    assert "no resolver query logging" in found["reason"]


def test_snapshot_schedule_decides_hp22(stubbed):
    ec2 = stubbed("ec2")
    ec2.add_response("get_ebs_encryption_by_default", {"EbsEncryptionByDefault": True})
    stubbed("dlm").add_response("get_lifecycle_policies", {"Policies": [{"PolicyId": "policy-1", "State": "ENABLED"}]})
    ec2.add_response("get_ebs_encryption_by_default", {"EbsEncryptionByDefault": True})
    stubbed("dlm").add_response("get_lifecycle_policies", {"Policies": [{"PolicyId": "policy-1", "State": "DISABLED"}]})

    with_schedule = findings(stubbed.run(platform_audit.main, {"environment": "lab", "controls": ["HP-22"]}))["HP-22"]
    disabled = findings(stubbed.run(platform_audit.main, {"environment": "lab", "controls": ["HP-22"]}))["HP-22"]

    assert with_schedule["status"] == "pass"
    assert disabled["status"] == "fail"
    stubbed.assert_all_used()
