# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Builders of platform resources on the emulator for the platform_audit tests, named and
tagged as the collection's roles name and tag them (<platform>-<environment>-..., Platform and
Environment tags), and a runner that audits and asserts that the audit wrote nothing.

Also DenyAll: a local HTTP endpoint that answers every request 403 with no body, standing in
for an account where the audit may read nothing (every control must then be unknown).
"""

from __future__ import annotations

import base64
import http.server
import json
import threading

from awslab import free_port

PLATFORM = "healthplatform"
ENVIRONMENT = "lab"
PREFIX = f"{PLATFORM}-{ENVIRONMENT}"
TAGS = [{"Key": "Platform", "Value": PLATFORM}, {"Key": "Environment", "Value": ENVIRONMENT}]
TAG_DICT = {"Platform": PLATFORM, "Environment": ENVIRONMENT}
ZONES = ("us-east-1a", "us-east-1b")
ACCOUNT = "123456789012"


def audit(aws, main, controls, **options):
    """Run platform_audit for ``controls`` against the emulator; {id: finding}. Asserts no API call wrote anything."""
    with aws.recording() as calls:
        result = aws.run(main, {"environment": ENVIRONMENT, "controls": list(controls), **options})
    assert not result.failed, result
    assert calls, "the audit read nothing"
    assert aws.mutating(calls) == [], "the audit is read-only"
    assert result["changed"] is False
    return {c["id"]: c for c in result["controls"]}


def tag_spec(resource_type, extra=None):
    return [{"ResourceType": resource_type, "Tags": TAGS + [{"Key": k, "Value": v} for k, v in (extra or {}).items()]}]


def key(aws, data_class):
    """A customer managed key aliased alias/<prefix>-<class> (the kms role's names); its ARN."""
    kms = aws.client("kms")
    arn = kms.create_key(Description=data_class, Tags=[{"TagKey": k, "TagValue": v} for k, v in TAG_DICT.items()])["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName=f"alias/{PREFIX}-{data_class}", TargetKeyId=arn)
    kms.enable_key_rotation(KeyId=arn)
    return arn


def network(aws):
    """A platform VPC with a public and an app subnet in each of two zones: (vpc id, {tier: [subnet ids]})."""
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16", TagSpecifications=tag_spec("vpc"))["Vpc"]["VpcId"]
    subnets, third = {}, 0
    for tier in ("public", "app"):
        for zone in ZONES:
            subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.60.{third}.0/24", AvailabilityZone=zone, TagSpecifications=tag_spec("subnet", {"Tier": tier}))
            subnets.setdefault(tier, []).append(subnet["Subnet"]["SubnetId"])
            third += 1
    return vpc, subnets


def load_balancer(aws, subnets, name=f"{PREFIX}-alb", deletion_protection=True, drop_invalid_headers=True):
    elb = aws.client("elbv2")
    arn = elb.create_load_balancer(Name=name, Subnets=subnets, Scheme="internet-facing", Type="application", Tags=TAGS)["LoadBalancers"][0]["LoadBalancerArn"]
    elb.modify_load_balancer_attributes(
        LoadBalancerArn=arn,
        Attributes=[
            {"Key": "deletion_protection.enabled", "Value": str(deletion_protection).lower()},
            {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": str(drop_invalid_headers).lower()},
        ],
    )
    return arn


def target_group(aws, vpc, protocol="HTTPS", name=f"{PREFIX}-web"):
    return aws.client("elbv2").create_target_group(Name=name, Protocol=protocol, Port=443, VpcId=vpc, TargetType="instance", Tags=TAGS)["TargetGroups"][0][
        "TargetGroupArn"
    ]


def certificate(aws):
    return aws.client("acm").request_certificate(DomainName="portal.healthplatform-lab.internal")["CertificateArn"]


def user_data(text):
    return base64.b64encode(text.encode()).decode()


def launch_template(aws, ebs_key=None, name=f"{PREFIX}-web", **overrides):
    """A launch template as the compute role makes it (IMDSv2, encrypted root volume, instance profile, no key pair, no public IP)."""
    data = {
        "ImageId": "ami-12c6146b",
        "InstanceType": "t3.small",
        "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 1, "HttpEndpoint": "enabled"},
        "BlockDeviceMappings": [
            {"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": True, "VolumeSize": 20, "VolumeType": "gp3", **({"KmsKeyId": ebs_key} if ebs_key else {})}}
        ],
        "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": False}],
        "IamInstanceProfile": {"Name": f"{PREFIX}-instance"},
        "UserData": user_data("#!/bin/sh\necho bootstrap\n"),
    }
    data.update(overrides)
    return aws.client("ec2").create_launch_template(LaunchTemplateName=name, LaunchTemplateData=data, TagSpecifications=tag_spec("launch-template"))[
        "LaunchTemplate"
    ]["LaunchTemplateId"]


def autoscaling_group(aws, template_id, subnets, health_check="ELB", policy=True, name=f"{PREFIX}-web", patch_group="web-al2023", capacity=0):
    asg = aws.client("autoscaling")
    asg.create_auto_scaling_group(
        AutoScalingGroupName=name,
        LaunchTemplate={"LaunchTemplateId": template_id, "Version": "1"},
        MinSize=capacity,
        MaxSize=max(capacity, 2),
        DesiredCapacity=capacity,
        VPCZoneIdentifier=",".join(subnets),
        HealthCheckType=health_check,
        HealthCheckGracePeriod=300,
        Tags=[{"Key": k, "Value": v, "PropagateAtLaunch": True} for k, v in {**TAG_DICT, "PatchGroup": patch_group}.items()],
    )
    if policy:
        asg.put_scaling_policy(
            AutoScalingGroupName=name,
            PolicyName="target-cpu",
            PolicyType="TargetTrackingScaling",
            TargetTrackingConfiguration={"PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"}, "TargetValue": 50.0},
        )
    return name


def log_group(aws, name, kms_key=None, retention=365):
    logs = aws.client("logs")
    logs.create_log_group(logGroupName=name, **({"kmsKeyId": kms_key} if kms_key else {}))
    if retention:
        logs.put_retention_policy(logGroupName=name, retentionInDays=retention)
    return f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{name}"


def iam_policy(aws, name, statements, path=f"/{PLATFORM}/{ENVIRONMENT}/"):
    document = {"Version": "2012-10-17", "Statement": statements}
    return aws.client("iam").create_policy(PolicyName=name, Path=path, PolicyDocument=json.dumps(document))["Policy"]["Arn"]


REQUIRE_MFA = [
    {"Sid": "ManageOwnMfa", "Effect": "Allow", "Action": ["iam:EnableMFADevice", "iam:ListMFADevices"], "Resource": "arn:aws:iam::*:user/${aws:username}"},
    {
        "Sid": "DenyAllButMfaSelfServiceWithoutMfa",
        "Effect": "Deny",
        "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "iam:ChangePassword", "sts:GetSessionToken"],
        "Resource": "*",
        "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    },
]


def duty_groups(aws, mfa=True, duties=("end-user-support", "database-administration", "security", "system-administration", "super-admin")):
    """The identity role's duty groups, each with the MFA enforcement policy (unless mfa=False) and a scoped duty policy."""
    iam = aws.client("iam")
    mfa_arn = iam_policy(aws, f"{PREFIX}-require-mfa", REQUIRE_MFA) if mfa else None
    for duty in duties:
        name = f"{PREFIX}-{duty}"
        iam.create_group(GroupName=name, Path=f"/{PLATFORM}/{ENVIRONMENT}/")
        duty_arn = iam_policy(aws, name, [{"Effect": "Allow", "Action": ["ec2:Describe*", "logs:GetLogEvents"], "Resource": "*"}])
        iam.attach_group_policy(GroupName=name, PolicyArn=duty_arn)
        if mfa_arn:
            iam.attach_group_policy(GroupName=name, PolicyArn=mfa_arn)


def instance_role(aws, extra_statements=()):
    """The instance role and profile: reads its own secrets only (the AWS managed SSM/agent policies are not loaded in the unit tests' emulator)."""
    iam = aws.client("iam")
    name = f"{PREFIX}-instance"
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName=name, Path=f"/{PLATFORM}/{ENVIRONMENT}/", AssumeRolePolicyDocument=json.dumps(trust))
    secrets = iam_policy(
        aws,
        f"{name}-secrets",
        [
            {
                "Effect": "Allow",
                "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                "Resource": f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:{PREFIX}/app/*",
            },
            *extra_statements,
        ],
    )
    iam.attach_role_policy(RoleName=name, PolicyArn=secrets)
    iam.create_instance_profile(InstanceProfileName=name, Path=f"/{PLATFORM}/{ENVIRONMENT}/")
    iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=name)
    return name


def database(aws, **overrides):
    """The data role's PostgreSQL instance, tagged; its identifier."""
    rds = aws.client("rds")
    request = {
        "DBInstanceIdentifier": f"{PREFIX}-db",
        "DBInstanceClass": "db.m6g.large",
        "Engine": "postgres",
        "EngineVersion": "16.4",
        "AllocatedStorage": 100,
        "MasterUsername": "hpadmin",
        "MultiAZ": True,
        "StorageEncrypted": True,
        "PubliclyAccessible": False,
        "DeletionProtection": True,
        "EnableIAMDatabaseAuthentication": True,
        "BackupRetentionPeriod": 14,
        "Tags": TAGS,
    }
    request.update(overrides)
    if not request.get("ManageMasterUserPassword"):
        request.setdefault("MasterUserPassword", "not-a-real-password-1")
    return rds.create_db_instance(**request)["DBInstance"]["DBInstanceIdentifier"]


class DenyAll:
    """An endpoint that answers 403 (no body) to every request: nothing can be read."""

    def __init__(self):
        class Handler(http.server.BaseHTTPRequestHandler):
            def _deny(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                self.send_response(403)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _deny

            def log_message(self, *args):  # quiet
                pass

        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
