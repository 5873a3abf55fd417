# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read the provisioned platform back from the AWS API (the emulator) with boto3."""

from __future__ import annotations

import ipaddress
import os

import boto3
import pytest

REGION = "us-east-1"
PLATFORM_TAGS = [{"Name": "tag:Platform", "Values": ["healthplatform"]}, {"Name": "tag:Environment", "Values": ["lab"]}]


def client(service):
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if not endpoint:
        pytest.fail("AWS_ENDPOINT_URL must point at the lab's emulator")
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture(scope="module")
def ec2():
    return client("ec2")


@pytest.fixture(scope="module")
def vpc(ec2):
    vpcs = ec2.describe_vpcs(Filters=PLATFORM_TAGS)["Vpcs"]
    assert len(vpcs) == 1, f"exactly one platform VPC expected, found {len(vpcs)}"
    return vpcs[0]


def test_vpc_dns(ec2, vpc):
    support = ec2.describe_vpc_attribute(VpcId=vpc["VpcId"], Attribute="enableDnsSupport")
    hostnames = ec2.describe_vpc_attribute(VpcId=vpc["VpcId"], Attribute="enableDnsHostnames")
    assert support["EnableDnsSupport"]["Value"] is True
    assert hostnames["EnableDnsHostnames"]["Value"] is True


def test_three_tiers_in_two_azs_without_public_ips(ec2, vpc):
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]
    tiers = {}
    for subnet in subnets:
        tier = {t["Key"]: t["Value"] for t in subnet.get("Tags", [])}.get("Tier")
        tiers.setdefault(tier, set()).add(subnet["AvailabilityZone"])
        assert subnet["MapPublicIpOnLaunch"] is False, f"{subnet['SubnetId']} gives instances public IPs"
        assert ipaddress.ip_network(subnet["CidrBlock"]).subnet_of(ipaddress.ip_network(vpc["CidrBlock"]))
    assert set(tiers) == {"public", "app", "data"}
    assert all(len(azs) >= 2 for azs in tiers.values()), tiers


def test_flow_log_captures_all_traffic(ec2, vpc):
    """HP-12: every platform VPC has an active flow log of ALL traffic."""
    flow_logs = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc["VpcId"]]}])["FlowLogs"]
    assert flow_logs, "the VPC has no flow log"
    assert all(f["FlowLogStatus"] == "ACTIVE" for f in flow_logs)
    assert any(f["TrafficType"] == "ALL" for f in flow_logs)


def test_flow_log_group_and_delivery_role(vpc):
    group = "/healthplatform-lab/vpc-flow-logs"
    groups = client("logs").describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    assert [g["logGroupName"] for g in groups] == [group]
    assert groups[0].get("retentionInDays"), "the flow log group must have a retention"
    iam = client("iam")
    role = iam.get_role(RoleName="healthplatform-lab-flow-logs")["Role"]
    principals = [s["Principal"]["Service"] for s in role["AssumeRolePolicyDocument"]["Statement"]]
    assert principals == ["vpc-flow-logs.amazonaws.com"]
    policy = iam.get_role_policy(RoleName="healthplatform-lab-flow-logs", PolicyName="flow-log-delivery")["PolicyDocument"]
    resources = [r for s in policy["Statement"] for r in s["Resource"]]
    assert all(group in r for r in resources), "delivery is limited to the flow log group"
