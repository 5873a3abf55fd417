# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controls HP-12, HP-14 (load balancer side), HP-16 and HP-17, read back from the AWS API (the emulator).

HP-13 (DNS Firewall) cannot be read here: the emulator has no DNS Firewall API, so the lab
skips it (network_dns_firewall_enabled: false) and these tests only check that resolver query
logging, the part the emulator has, is on. The DNS Firewall modules are covered by their
Stubber tests.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re

import boto3
import pytest

REGION = "us-east-1"
NAME = "healthplatform-lab"
PLATFORM_TAGS = [{"Name": "tag:Platform", "Values": ["healthplatform"]}, {"Name": "tag:Environment", "Values": ["lab"]}]
DB_PORT = 5432
MANAGED_GROUPS = {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesAmazonIpReputationList"}
INTERFACE_ENDPOINTS = {"ssm", "ssmmessages", "ec2messages", "secretsmanager", "logs", "monitoring", "kms"}
TLS12_PLUS = re.compile(r"^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)(-[A-Za-z0-9]+)*$")


def client(service):
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if not endpoint:
        pytest.fail("AWS_ENDPOINT_URL must point at the lab's emulator")
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing")


def tags_of(resource):
    return {t["Key"]: t["Value"] for t in resource.get("Tags") or []}


@pytest.fixture(scope="module")
def ec2():
    return client("ec2")


@pytest.fixture(scope="module")
def elbv2():
    return client("elbv2")


@pytest.fixture(scope="module")
def vpc(ec2):
    vpcs = ec2.describe_vpcs(Filters=PLATFORM_TAGS)["Vpcs"]
    assert len(vpcs) == 1, f"exactly one platform VPC expected, found {len(vpcs)}"
    return vpcs[0]


@pytest.fixture(scope="module")
def subnets(ec2, vpc):
    """tier -> [subnet]"""
    tiers = {}
    for subnet in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]:
        tiers.setdefault(tags_of(subnet).get("Tier"), []).append(subnet)
    return tiers


@pytest.fixture(scope="module")
def groups(ec2, vpc):
    """name -> security group"""
    return {g["GroupName"]: g for g in ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["SecurityGroups"]}


@pytest.fixture(scope="module")
def alb(elbv2):
    (lb,) = elbv2.describe_load_balancers(Names=[f"{NAME}-alb"])["LoadBalancers"]
    return lb


@pytest.fixture(scope="module")
def listeners(elbv2, alb):
    return {listener["Port"]: listener for listener in elbv2.describe_listeners(LoadBalancerArn=alb["LoadBalancerArn"])["Listeners"]}


@pytest.fixture(scope="module")
def web_acl(alb):
    response = client("wafv2").get_web_acl_for_resource(ResourceArn=alb["LoadBalancerArn"])
    assert response.get("WebACL"), "no web ACL protects the load balancer"
    return response["WebACL"]


def ingress_sources(group):
    """(proto, from, to, source) for each ingress source of a security group."""
    result = []
    for perm in group["IpPermissions"]:
        ports = (perm.get("FromPort"), perm.get("ToPort"))
        for item in perm.get("IpRanges", []):
            result.append((perm["IpProtocol"], *ports, item["CidrIp"]))
        for item in perm.get("Ipv6Ranges", []):
            result.append((perm["IpProtocol"], *ports, item["CidrIpv6"]))
        for item in perm.get("UserIdGroupPairs", []):
            result.append((perm["IpProtocol"], *ports, item["GroupId"]))
        for item in perm.get("PrefixListIds", []):
            result.append((perm["IpProtocol"], *ports, item["PrefixListId"]))
    return result


def opens(proto, start, end, port):
    return proto == "-1" or (start is not None and start <= port <= end)


# ---------------------------------------------------------------- HP-12 flow logs


def test_hp12_flow_log_of_all_traffic_to_an_encrypted_log_group(ec2, vpc):
    flow_logs = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc["VpcId"]]}])["FlowLogs"]
    assert flow_logs, "HP-12: the VPC has no flow log"
    assert all(f["FlowLogStatus"] == "ACTIVE" for f in flow_logs)
    (flow_log,) = [f for f in flow_logs if f["TrafficType"] == "ALL"]
    assert flow_log["LogDestinationType"] == "cloud-watch-logs"
    (group,) = client("logs").describe_log_groups(logGroupNamePrefix=flow_log["LogGroupName"])["logGroups"]
    assert group.get("kmsKeyId"), "the flow log group must be encrypted with the platform's log key"
    key = client("kms").describe_key(KeyId=group["kmsKeyId"])["KeyMetadata"]
    assert key["KeyState"] == "Enabled"
    assert client("kms").get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] is True


# ---------------------------------------------------------------- HP-13 (the part the lab has)


def test_hp13_resolver_query_logging_on_and_firewall_not_claimed(vpc):
    resolver = client("route53resolver")
    associations = resolver.list_resolver_query_log_config_associations(Filters=[{"Name": "ResourceId", "Values": [vpc["VpcId"]]}])
    assert [a["ResourceId"] for a in associations["ResolverQueryLogConfigAssociations"]] == [vpc["VpcId"]]
    # the emulator has no DNS Firewall: the lab must have skipped it, not pretended
    with pytest.raises(Exception):  # noqa: B017 - moto answers HTTP 500 for every *Firewall* call
        resolver.list_firewall_rule_group_associations(VpcId=vpc["VpcId"])


# ---------------------------------------------------------------- HP-14 load balancer side


def test_hp14_https_listener_with_tls12_policy(listeners):
    https = listeners[443]
    assert https["Protocol"] == "HTTPS"
    assert https["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert TLS12_PLUS.match(https["SslPolicy"])
    (certificate,) = https["Certificates"]
    described = client("acm").describe_certificate(CertificateArn=certificate["CertificateArn"])["Certificate"]
    assert described["Status"] == "ISSUED"
    (action,) = https["DefaultActions"]
    assert action["Type"] == "forward"


def test_hp14_http_listener_only_redirects_to_https(elbv2, listeners):
    assert set(listeners) == {80, 443}, "only the HTTPS listener and the HTTP redirect"
    http = listeners[80]
    assert http["Protocol"] == "HTTP"
    rules = elbv2.describe_rules(ListenerArn=http["ListenerArn"])["Rules"]
    actions = [a for rule in rules for a in rule["Actions"]] + http["DefaultActions"]
    assert actions and all(a["Type"] == "redirect" for a in actions), "port 80 may do nothing but redirect"
    assert all(a["RedirectConfig"]["Protocol"] == "HTTPS" and a["RedirectConfig"]["Port"] == "443" for a in actions)
    assert all(a["RedirectConfig"]["StatusCode"] == "HTTP_301" for a in actions)


def test_hp14_targets_are_reached_over_https_with_the_web_tiers_health_check(elbv2, listeners):
    target_group_arn = listeners[443]["DefaultActions"][0]["TargetGroupArn"]
    (target_group,) = elbv2.describe_target_groups(TargetGroupArns=[target_group_arn])["TargetGroups"]
    assert target_group["Protocol"] == "HTTPS" and target_group["Port"] == 443
    assert target_group["HealthCheckProtocol"] == "HTTPS"
    assert target_group["HealthCheckPath"] == "/healthz"


def test_load_balancer_in_two_zones_hardened_and_logging(elbv2, alb, subnets):
    zones = {z["ZoneName"] for z in alb["AvailabilityZones"]}
    assert len(zones) >= 2
    assert {z["SubnetId"] for z in alb["AvailabilityZones"]} == {s["SubnetId"] for s in subnets["public"]}
    assert alb["Scheme"] == "internet-facing"
    attributes = {a["Key"]: a["Value"] for a in elbv2.describe_load_balancer_attributes(LoadBalancerArn=alb["LoadBalancerArn"])["Attributes"]}
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert attributes["access_logs.s3.enabled"] == "true"
    bucket = attributes["access_logs.s3.bucket"]
    s3 = client("s3")
    policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    assert any(s["Effect"] == "Deny" and s["Condition"]["Bool"]["aws:SecureTransport"] == "false" for s in policy["Statement"])
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values())


# ---------------------------------------------------------------- HP-16 WAF


def test_hp16_web_acl_with_managed_groups_and_rate_rule(web_acl):
    managed = {r["Statement"]["ManagedRuleGroupStatement"]["Name"] for r in web_acl["Rules"] if "ManagedRuleGroupStatement" in r["Statement"]}
    assert MANAGED_GROUPS <= managed
    rate = [r for r in web_acl["Rules"] if "RateBasedStatement" in r["Statement"]]
    assert len(rate) == 1
    assert rate[0]["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP"
    assert "Block" in rate[0]["Action"]
    assert len({r["Priority"] for r in web_acl["Rules"]}) == len(web_acl["Rules"])
    assert all(r["VisibilityConfig"]["CloudWatchMetricsEnabled"] for r in web_acl["Rules"])
    assert web_acl["VisibilityConfig"]["CloudWatchMetricsEnabled"] is True


def test_hp16_web_acl_logs_to_a_waf_log_group_without_credentials(web_acl):
    config = client("wafv2").get_logging_configuration(ResourceArn=web_acl["ARN"])["LoggingConfiguration"]
    (destination,) = config["LogDestinationConfigs"]
    assert ":log-group:aws-waf-logs-" in destination
    group_name = destination.split(":log-group:")[1]
    (group,) = client("logs").describe_log_groups(logGroupNamePrefix=group_name)["logGroups"]
    assert group.get("kmsKeyId")
    redacted = {f["SingleHeader"]["Name"] for f in config.get("RedactedFields", []) if "SingleHeader" in f}
    assert {"authorization", "cookie"} <= redacted


# ---------------------------------------------------------------- HP-17 segmentation


def test_hp17_three_tiers_in_two_zones_without_public_ips(subnets, vpc):
    assert set(subnets) == {"public", "app", "data"}
    for tier, members in subnets.items():
        assert len({s["AvailabilityZone"] for s in members}) >= 2, tier
        assert all(s["MapPublicIpOnLaunch"] is False for s in members), tier
        assert all(ipaddress.ip_network(s["CidrBlock"]).subnet_of(ipaddress.ip_network(vpc["CidrBlock"])) for s in members)


def test_hp17_routes_data_tier_has_no_way_out(ec2, subnets):
    def routes_of(subnet):
        tables = ec2.describe_route_tables(Filters=[{"Name": "association.subnet-id", "Values": [subnet["SubnetId"]]}])["RouteTables"]
        assert len(tables) == 1, f"{subnet['SubnetId']} must have its tier's route table"
        return tables[0]["Routes"]

    for subnet in subnets["public"]:
        assert any(r.get("GatewayId", "").startswith("igw-") and r.get("DestinationCidrBlock") == "0.0.0.0/0" for r in routes_of(subnet))
    for subnet in subnets["app"]:
        assert any(r.get("NatGatewayId", "").startswith("nat-") for r in routes_of(subnet))
        assert not any(r.get("GatewayId", "").startswith("igw-") for r in routes_of(subnet))
    for subnet in subnets["data"]:
        for route in routes_of(subnet):
            assert route.get("GatewayId") == "local" or route.get("GatewayId", "").startswith("vpce-"), f"data tier route leaves the VPC: {route}"
            assert not route.get("NatGatewayId")


def test_hp17_one_nacl_per_tier_allowing_only_its_ports(ec2, vpc, subnets):
    nacls = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["NetworkAcls"]
    by_subnet = {a["SubnetId"]: acl for acl in nacls for a in acl["Associations"]}
    allowed_ingress = {"public": {443, 80, 1024}, "app": {443, 1024}, "data": {DB_PORT}}
    for tier, members in subnets.items():
        acls = {by_subnet[s["SubnetId"]]["NetworkAclId"] for s in members}
        assert len(acls) == 1, f"{tier}: one NACL for the whole tier"
        acl = by_subnet[members[0]["SubnetId"]]
        assert acl["IsDefault"] is False and tags_of(acl).get("Tier") == tier
        for entry in acl["Entries"]:
            if entry["RuleAction"] != "allow":
                continue
            assert entry["Protocol"] == "6", f"{tier}: only TCP is allowed ({entry})"
            ports = entry["PortRange"]
            for port in (22, 3389):
                assert not ports["From"] <= port <= ports["To"] or ports["From"] >= 1024, f"{tier} NACL opens {port}"
            if not entry["Egress"]:
                assert ports["From"] in allowed_ingress[tier], f"{tier} NACL lets in {ports}"
    default = [acl for acl in nacls if acl["IsDefault"]]
    assert all(not acl["Associations"] for acl in default), "no subnet may stay on the default NACL"


def test_hp17_security_groups_chained_by_reference(groups):
    alb, web, db = groups[f"{NAME}-alb"], groups[f"{NAME}-web"], groups[f"{NAME}-db"]
    assert sorted(ingress_sources(alb)) == [("tcp", 80, 80, "0.0.0.0/0"), ("tcp", 443, 443, "0.0.0.0/0")]
    assert ingress_sources(web) == [("tcp", 443, 443, alb["GroupId"])]
    assert ingress_sources(db) == [("tcp", DB_PORT, DB_PORT, web["GroupId"])]
    assert db["IpPermissionsEgress"] == []


def test_hp17_default_group_closed_and_nothing_else_open(groups):
    default = groups["default"]
    assert default["IpPermissions"] == [] and default["IpPermissionsEgress"] == []
    for name, group in groups.items():
        for proto, start, end, source in ingress_sources(group):
            assert not any(opens(proto, start, end, port) for port in (22, 3389)), f"{name} opens SSH or RDP"
            if source in ("0.0.0.0/0", "::/0"):
                assert name == f"{NAME}-alb" and (start, end) in ((443, 443), (80, 80)), f"{name} is open to the world"


def test_hp17_no_public_ips_on_instances(ec2, vpc):
    reservations = ec2.describe_instances(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Reservations"]
    for instance in [i for r in reservations for i in r["Instances"]]:
        assert not instance.get("PublicIpAddress"), instance["InstanceId"]


def test_endpoints_give_instances_aws_apis_without_the_internet(ec2, vpc, groups, subnets):
    endpoints = [
        e for e in ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["VpcEndpoints"] if e["State"].lower() != "deleted"
    ]
    interface = {e["ServiceName"].rsplit(".", 1)[1]: e for e in endpoints if e["VpcEndpointType"] == "Interface"}
    assert set(interface) == INTERFACE_ENDPOINTS
    web = groups[f"{NAME}-web"]["GroupId"]
    app_subnets = {s["SubnetId"] for s in subnets["app"]}
    for service, endpoint in interface.items():
        assert endpoint["PrivateDnsEnabled"] is True, service
        assert set(endpoint["SubnetIds"]) == app_subnets, service
        (group,) = endpoint["Groups"]
        assert group["GroupName"] == f"{NAME}-vpce-{service}", "each endpoint has its own security group"
        assert ingress_sources(groups[group["GroupName"]]) == [("tcp", 443, 443, web)]
    gateway = [e for e in endpoints if e["VpcEndpointType"] == "Gateway"]
    assert [e["ServiceName"] for e in gateway] == [f"com.amazonaws.{REGION}.s3"]
