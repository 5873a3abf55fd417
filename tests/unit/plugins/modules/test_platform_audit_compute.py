# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""platform_audit, edge and compute controls: HP-07 (no secrets in user data or Lambda
environments), HP-08 (availability), HP-14 (HTTPS only), HP-15 (patching), HP-16 (WAF),
HP-18 (launch template).

Against the moto server where it implements the APIs (EC2 launch templates, Auto Scaling, ELBv2,
WAFv2 web ACLs with their logging, Lambda, SSM patch baselines and maintenance windows). HP-15's
pass path uses botocore's Stubber: moto 5.2.5 implements neither GetPatchBaseline nor
DescribeInstanceInformation (HTTP 500), so on the emulator HP-15 can fail (nothing set up) or be
unknown, never pass. The Stubber validates every request against the real API model.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from auditlab import PREFIX
from auditlab import TAGS
from auditlab import audit
from auditlab import autoscaling_group
from auditlab import certificate
from auditlab import key
from auditlab import launch_template
from auditlab import load_balancer
from auditlab import log_group
from auditlab import network
from auditlab import target_group
from auditlab import user_data

from ansible_collections.healthplatform.aws.plugins.modules import platform_audit


@pytest.fixture
def edge(aws):
    """The network and an ALB (deletion protection, invalid headers dropped) in two zones: (vpc, subnets, alb arn)."""
    vpc, subnets = network(aws)
    return vpc, subnets, load_balancer(aws, subnets["public"])


# ---------------------------------------------------------------- HP-07


def function(aws, variables):
    iam = aws.client("iam")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    role = iam.create_role(RoleName=f"{PREFIX}-scheduling", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return event\n")
    aws.client("lambda").create_function(
        FunctionName=f"{PREFIX}-scheduling",
        Runtime="python3.12",
        Role=role,
        Handler="handler.handler",
        Code={"ZipFile": package.getvalue()},
        Environment={"Variables": variables},
    )


def test_clean_user_data_and_environment_pass_hp07(aws):
    launch_template(aws)
    function(aws, {"SLOT_MINUTES": "15", "NOTIFICATIONS_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:t", "DB_SECRET_ARN": "arn:aws:secretsmanager:x"})

    found = audit(aws, platform_audit.main, ["HP-07"])["HP-07"]

    assert found["status"] == "pass", found
    assert found["evidence"]["LaunchTemplateVersions"] == {f"{PREFIX}-web v1": "clean"}
    assert found["evidence"]["Functions"] == {f"{PREFIX}-scheduling": "clean"}


def test_secrets_in_user_data_and_environment_fail_hp07_without_showing_them(aws):
    launch_template(aws, UserData=user_data("#!/bin/sh\nexport DB_PASSWORD=Tr0ub4dor-and-3\n"))
    function(aws, {"API_TOKEN": "s3cr3t-t0ken-value", "SLOT_MINUTES": "15"})

    with aws.recording():
        result = aws.run(platform_audit.main, {"environment": "lab", "controls": ["HP-07"]})
    (found,) = result["controls"]

    assert found["status"] == "fail"
    assert f"{PREFIX}-web v1: user data looks like it holds a secret (password or secret assignment)" in found["reason"]
    assert "API_TOKEN (name looks like a secret)" in found["reason"]
    text = json.dumps(result)
    assert "Tr0ub4dor-and-3" not in text and "s3cr3t-t0ken-value" not in text, "no secret value is ever shown"


def test_nothing_to_scan_fails_hp07(aws):
    found = audit(aws, platform_audit.main, ["HP-07"])["HP-07"]

    assert found["status"] == "fail" and "nothing to scan" in found["reason"]


# ---------------------------------------------------------------- HP-08


def test_protected_alb_and_elb_checked_group_pass_hp08(aws, edge):
    _vpc, subnets, _alb = edge
    autoscaling_group(aws, launch_template(aws), subnets["app"])

    found = audit(aws, platform_audit.main, ["HP-08"])["HP-08"]

    assert found["status"] == "pass", found
    assert found["evidence"][f"{PREFIX}-alb"]["AvailabilityZones"] == ["us-east-1a", "us-east-1b"]
    assert found["evidence"][f"{PREFIX}-web"]["TargetTrackingPolicies"] == ["target-cpu"]


def test_unprotected_alb_and_single_zone_group_fail_hp08(aws):
    _vpc, subnets = network(aws)
    load_balancer(aws, subnets["public"], deletion_protection=False, drop_invalid_headers=False)
    autoscaling_group(aws, launch_template(aws), subnets["app"][:1], health_check="EC2", policy=False)

    found = audit(aws, platform_audit.main, ["HP-08"], relaxations={"HP-08": "edge_alb_deletion_protection is false"})["HP-08"]

    assert found["status"] == "fail"
    reason = found["reason"]
    for expected in (
        f"{PREFIX}-alb: deletion protection is off",
        f"{PREFIX}-alb: dropping invalid headers is off",
        f"{PREFIX}-web spans 1 availability zone(s) (< 2)",
        f"{PREFIX}-web health check is EC2, not ELB",
        f"{PREFIX}-web has no target tracking scaling policy",
    ):
        assert expected in reason
    assert reason.endswith("[relaxed in this environment: edge_alb_deletion_protection is false]")


def test_no_load_balancer_or_group_fails_hp08(aws):
    found = audit(aws, platform_audit.main, ["HP-08"])["HP-08"]

    assert found["status"] == "fail"
    assert "no platform application load balancer" in found["reason"] and "no platform Auto Scaling group" in found["reason"]


# ---------------------------------------------------------------- HP-14


def listeners(aws, alb, vpc, policy="ELBSecurityPolicy-TLS13-1-2-2021-06", http_action=None, target_protocol="HTTPS"):
    elb = aws.client("elbv2")
    group = target_group(aws, vpc, protocol=target_protocol)
    elb.create_listener(
        LoadBalancerArn=alb,
        Protocol="HTTPS",
        Port=443,
        SslPolicy=policy,
        Certificates=[{"CertificateArn": certificate(aws)}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
    )
    redirect = {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}
    elb.create_listener(LoadBalancerArn=alb, Protocol="HTTP", Port=80, DefaultActions=[http_action or redirect])
    return group


def test_tls12_listener_and_redirect_pass_hp14(aws, edge):
    vpc, _subnets, alb = edge
    listeners(aws, alb, vpc)

    found = audit(aws, platform_audit.main, ["HP-14"])["HP-14"]

    assert found["status"] == "pass", found
    assert found["evidence"][f"{PREFIX}-alb"]["HTTP:80"] == "redirects to HTTPS"
    assert found["evidence"][f"{PREFIX}-alb"]["HTTPS:443"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert "molecule/instance" in " ".join(found["evidence"]["notes"]), "the instance side is named as out of reach"


def test_old_tls_plain_http_and_http_targets_fail_hp14(aws, edge):
    vpc, _subnets, alb = edge
    http_group = target_group(aws, vpc, protocol="HTTP", name=f"{PREFIX}-plain")
    listeners(aws, alb, vpc, policy="ELBSecurityPolicy-2016-08", http_action={"Type": "forward", "TargetGroupArn": http_group})

    found = audit(aws, platform_audit.main, ["HP-14"])["HP-14"]

    assert found["status"] == "fail"
    assert "HTTPS:443 uses ELBSecurityPolicy-2016-08, which allows TLS older than 1.2" in found["reason"]
    assert "HTTP:80 does not only redirect to HTTPS" in found["reason"]
    assert f"target group {PREFIX}-plain reaches the instances over HTTP" in found["reason"]


def test_no_https_listener_fails_hp14(aws, edge):
    found = audit(aws, platform_audit.main, ["HP-14"])["HP-14"]

    assert found["status"] == "fail" and "no HTTPS listener" in found["reason"]


# ---------------------------------------------------------------- HP-15


def test_no_patch_baseline_or_window_fails_hp15(aws):
    """On the emulator nothing is set up: a fail (DescribeInstanceInformation, which moto lacks, is named as not read)."""
    _vpc, subnets = network(aws)
    autoscaling_group(aws, launch_template(aws), subnets["app"], capacity=1)

    found = audit(aws, platform_audit.main, ["HP-15"])["HP-15"]

    assert found["status"] == "fail"
    assert f"no patch baseline named {PREFIX}-*" in found["reason"]
    assert "no enabled maintenance window" in found["reason"]
    assert "also not read: instances managed by SSM: DescribeInstanceInformation answered 500" in found["reason"]
    assert found["evidence"]["PatchGroupsInUse"] == ["web-al2023"]


def test_patch_baseline_details_are_unknown_on_the_emulator_hp15(aws):
    """moto lacks GetPatchBaseline: with a baseline and a patch window in place, HP-15 is unknown, not pass."""
    ssm = aws.client("ssm")
    baseline = ssm.create_patch_baseline(
        Name=f"{PREFIX}-al2023",
        OperatingSystem="AMAZON_LINUX_2023",
        ApprovalRules={"PatchRules": [{"PatchFilterGroup": {"PatchFilters": [{"Key": "CLASSIFICATION", "Values": ["Security"]}]}, "ApproveAfterDays": 7}]},
    )["BaselineId"]
    ssm.register_patch_baseline_for_patch_group(BaselineId=baseline, PatchGroup="web-al2023")
    window = ssm.create_maintenance_window(Name=f"{PREFIX}-patch", Schedule="cron(0 2 ? * SUN *)", Duration=3, Cutoff=1, AllowUnassociatedTargets=False)[
        "WindowId"
    ]
    target = ssm.register_target_with_maintenance_window(
        WindowId=window, ResourceType="INSTANCE", Targets=[{"Key": "tag:PatchGroup", "Values": ["web-al2023"]}]
    )["WindowTargetId"]
    ssm.register_task_with_maintenance_window(
        WindowId=window,
        TaskArn="AWS-RunPatchBaseline",
        TaskType="RUN_COMMAND",
        Targets=[{"Key": "WindowTargetIds", "Values": [target]}],
        MaxConcurrency="25%",
        MaxErrors="1",
    )

    found = audit(aws, platform_audit.main, ["HP-15"])["HP-15"]

    assert found["status"] == "unknown", found
    assert "patch baseline details: GetPatchBaseline answered 500" in found["reason"]
    assert found["evidence"]["PatchWindows"] == {f"{PREFIX}-patch": ["web-al2023"]}


INSTANCE = "i-0123456789abcdef0"


def stub_hp15(stubbed, approval_filters, registered_groups, online=True, task_arn="AWS-RunPatchBaseline"):
    stubbed("autoscaling").add_response(
        "describe_auto_scaling_groups",
        {
            "AutoScalingGroups": [
                {
                    "AutoScalingGroupName": f"{PREFIX}-web",
                    "MinSize": 1,
                    "MaxSize": 2,
                    "DesiredCapacity": 1,
                    "DefaultCooldown": 300,
                    "AvailabilityZones": ["us-east-1a", "us-east-1b"],
                    "HealthCheckType": "ELB",
                    "CreatedTime": "2026-01-01T00:00:00Z",
                    "Instances": [
                        {
                            "InstanceId": INSTANCE,
                            "AvailabilityZone": "us-east-1a",
                            "LifecycleState": "InService",
                            "HealthStatus": "Healthy",
                            "ProtectedFromScaleIn": False,
                        }
                    ],
                    "Tags": [{"Key": "PatchGroup", "Value": "web-al2023", "ResourceId": f"{PREFIX}-web", "ResourceType": "auto-scaling-group"}],
                }
            ]
        },
    )
    ssm = stubbed("ssm")
    ssm.add_response(
        "describe_patch_baselines",
        {"BaselineIdentities": [{"BaselineId": "pb-0123456789abcdef0", "BaselineName": f"{PREFIX}-al2023", "OperatingSystem": "AMAZON_LINUX_2023"}]},
        {"Filters": [{"Key": "OWNER", "Values": ["Self"]}]},
    )
    ssm.add_response(
        "get_patch_baseline",
        {
            "BaselineId": "pb-0123456789abcdef0",
            "Name": f"{PREFIX}-al2023",
            "OperatingSystem": "AMAZON_LINUX_2023",
            "PatchGroups": registered_groups,
            "ApprovalRules": {"PatchRules": [{"PatchFilterGroup": {"PatchFilters": approval_filters}, "ApproveAfterDays": 7}]},
        },
        {"BaselineId": "pb-0123456789abcdef0"},
    )
    ssm.add_response("describe_maintenance_windows", {"WindowIdentities": [{"WindowId": "mw-0123456789abcdef0", "Name": f"{PREFIX}-patch", "Enabled": True}]})
    ssm.add_response(
        "describe_maintenance_window_tasks",
        {
            "Tasks": [
                {
                    "WindowId": "mw-0123456789abcdef0",
                    "WindowTaskId": "11111111-2222-3333-4444-555555555555",
                    "TaskArn": task_arn,
                    "Type": "RUN_COMMAND",
                    "Targets": [{"Key": "WindowTargetIds", "Values": ["66666666-7777-8888-9999-000000000000"]}],
                }
            ]
        },
        {"WindowId": "mw-0123456789abcdef0"},
    )
    if task_arn == "AWS-RunPatchBaseline":
        ssm.add_response(
            "describe_maintenance_window_targets",
            {
                "Targets": [
                    {
                        "WindowId": "mw-0123456789abcdef0",
                        "WindowTargetId": "66666666-7777-8888-9999-000000000000",
                        "ResourceType": "INSTANCE",
                        "Targets": [{"Key": "tag:PatchGroup", "Values": ["web-al2023"]}],
                    }
                ]
            },
            {"WindowId": "mw-0123456789abcdef0"},
        )
    ssm.add_response(
        "describe_instance_information",
        {"InstanceInformationList": [{"InstanceId": INSTANCE, "PingStatus": "Online" if online else "ConnectionLost"}]},
        {"Filters": [{"Key": "InstanceIds", "Values": [INSTANCE]}]},
    )


def test_security_baseline_window_and_managed_instances_pass_hp15(stubbed):
    """Stubber: moto 5.2.5 lacks GetPatchBaseline and DescribeInstanceInformation."""
    stub_hp15(stubbed, [{"Key": "CLASSIFICATION", "Values": ["Security"]}, {"Key": "SEVERITY", "Values": ["Critical"]}], ["web-al2023"])

    found = {c["id"]: c for c in stubbed.run(platform_audit.main, {"environment": "lab", "controls": ["HP-15"]})["controls"]}["HP-15"]

    assert found["status"] == "pass", found
    assert found["evidence"]["PatchWindows"] == {f"{PREFIX}-patch": ["web-al2023"]}
    stubbed.assert_all_used()


def test_non_security_rules_unregistered_group_and_offline_instance_fail_hp15(stubbed):
    """Stubber: moto 5.2.5 lacks GetPatchBaseline and DescribeInstanceInformation."""
    stub_hp15(stubbed, [{"Key": "CLASSIFICATION", "Values": ["Bugfix"]}], [], online=False, task_arn="AWS-RunShellScript")

    found = {c["id"]: c for c in stubbed.run(platform_audit.main, {"environment": "lab", "controls": ["HP-15"]})["controls"]}["HP-15"]

    assert found["status"] == "fail"
    assert f"{PREFIX}-al2023: no approval rule for security updates" in found["reason"]
    assert "patch groups without a platform baseline: web-al2023" in found["reason"]
    assert "no enabled maintenance window" in found["reason"]
    assert f"instances SSM does not manage (not online): {INSTANCE}" in found["reason"]
    stubbed.assert_all_used()


# ---------------------------------------------------------------- HP-16


def web_acl(
    aws,
    alb,
    groups=("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesAmazonIpReputationList"),
    rate=True,
    count=(),
    logging=True,
):
    waf = aws.client("wafv2")
    visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "m"}
    rules = [
        {
            "Name": name,
            "Priority": index,
            "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": name}},
            "OverrideAction": {"Count": {}} if name in count else {"None": {}},
            "VisibilityConfig": visibility,
        }
        for index, name in enumerate(groups)
    ]
    if rate:
        rules.append(
            {
                "Name": "rate",
                "Priority": 100,
                "Statement": {"RateBasedStatement": {"Limit": 2000, "AggregateKeyType": "IP"}},
                "Action": {"Block": {}},
                "VisibilityConfig": visibility,
            }
        )
    acl = waf.create_web_acl(Name=PREFIX, Scope="REGIONAL", DefaultAction={"Allow": {}}, Rules=rules, VisibilityConfig=visibility, Tags=TAGS)["Summary"]["ARN"]
    if logging:
        destination = log_group(aws, f"aws-waf-logs-{PREFIX}")
        waf.put_logging_configuration(LoggingConfiguration={"ResourceArn": acl, "LogDestinationConfigs": [destination]})
    waf.associate_web_acl(WebACLArn=acl, ResourceArn=alb)
    return acl


def test_managed_groups_rate_rule_and_logging_pass_hp16(aws, edge):
    web_acl(aws, edge[2])

    found = audit(aws, platform_audit.main, ["HP-16"])["HP-16"]

    assert found["status"] == "pass", found
    assert found["evidence"][f"{PREFIX}-alb"]["RateRules"] == ["rate"]


def test_missing_groups_counting_no_rate_rule_and_no_logging_fail_hp16(aws, edge):
    web_acl(aws, edge[2], groups=("AWSManagedRulesCommonRuleSet",), count=("AWSManagedRulesCommonRuleSet",), rate=False, logging=False)

    found = audit(aws, platform_audit.main, ["HP-16"])["HP-16"]

    assert found["status"] == "fail"
    reason = found["reason"]
    assert "lacks AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesSQLiRuleSet, AWSManagedRulesAmazonIpReputationList" in reason
    assert "rule groups only counted, not enforced: AWSManagedRulesCommonRuleSet" in reason
    assert "no rate-based rule that blocks" in reason
    assert f"web ACL {PREFIX} does not log" in reason


def test_alb_without_web_acl_fails_hp16(aws, edge):
    found = audit(aws, platform_audit.main, ["HP-16"])["HP-16"]

    assert found["status"] == "fail" and f"{PREFIX}-alb: no web ACL" in found["reason"]


# ---------------------------------------------------------------- HP-18


def test_hardened_launch_template_passes_hp18(aws):
    launch_template(aws, ebs_key=key(aws, "ebs"))

    found = audit(aws, platform_audit.main, ["HP-18"])["HP-18"]

    assert found["status"] == "pass", found
    assert found["evidence"][f"{PREFIX}-web v1"]["Volumes"]["/dev/xvda"] == {"Encrypted": True, "KmsKey": f"alias/{PREFIX}-ebs"}


def test_imdsv1_unencrypted_public_ip_and_key_pair_fail_hp18(aws):
    key(aws, "ebs")
    other = aws.client("kms").create_key(Description="not the platform's")["KeyMetadata"]["Arn"]
    aws.client("ec2").create_key_pair(KeyName="admin")
    launch_template(
        aws,
        MetadataOptions={"HttpTokens": "optional"},
        BlockDeviceMappings=[
            {"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": True, "KmsKeyId": other, "VolumeSize": 20}},
            {"DeviceName": "/dev/xvdb", "Ebs": {"Encrypted": False, "VolumeSize": 20}},
        ],
        NetworkInterfaces=[{"DeviceIndex": 0, "AssociatePublicIpAddress": True}],
        KeyName="admin",
    )

    found = audit(aws, platform_audit.main, ["HP-18"])["HP-18"]

    assert found["status"] == "fail"
    reason = found["reason"]
    assert "IMDSv2 is not required (HttpTokens optional)" in reason
    assert f"/dev/xvda is encrypted with {other.rsplit('/', 1)[-1]}, not the platform's ebs key (alias/{PREFIX}-ebs)" in reason
    assert "/dev/xvdb: not encrypted" in reason
    assert "instances get a public IP" in reason
    assert "has the key pair admin" in reason


def test_no_launch_template_fails_hp18(aws):
    found = audit(aws, platform_audit.main, ["HP-18"])["HP-18"]

    assert found["status"] == "fail" and "no platform launch template" in found["reason"]
