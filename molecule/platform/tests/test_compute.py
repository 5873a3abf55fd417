# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read the compute tier back from the AWS API (the emulator) with boto3.

HP-08 (Auto Scaling part): the web group spans two or more zones, launches from a launch
template, checks health through the load balancer and scales with target tracking.
HP-18: the launch template requires IMDSv2, encrypts the root volume with the platform's EBS
key, gives no public IP and no key pair, and names the instance profile.
HP-07: the decoded user data holds nothing that looks like a secret.

moto's emulated instances ignore part of the template (they show IMDSv1 and an extra
unencrypted /dev/sda1 volume whatever the template says), so HP-18 is read from the launch
template version the group launches, as the control itself says (DescribeLaunchTemplateVersions).
"""

from __future__ import annotations

import base64
import os
import re

import boto3
import pytest

REGION = "us-east-1"
PLATFORM = {"Platform": "healthplatform", "Environment": "lab"}
GROUP = "healthplatform-lab-web"
EBS_KEY_ALIAS = "alias/healthplatform-lab-ebs"

# An independent list (not the collection's own): AWS keys, private keys, literal passwords and tokens, URL credentials.
SECRET_PATTERNS = {
    "AWS access key ID": r"\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b",
    "AWS secret access key": r"(?i)aws_?secret_?access_?key\s*[=:]",
    "private key": r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY",
    "password assignment": r"(?i)\b\w*(password|passwd|secret|token|api_?key)\w*\s*[=:]\s*['\"]?(?![\s$'\"`{(<])\S{4,}",
    "URL credentials": r"://[^/\s:@]+:(?![\s$'\"`{(<])[^/\s@]+@",
}


def client(service):
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if not endpoint:
        pytest.fail("AWS_ENDPOINT_URL must point at the lab's emulator")
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing")


def tags_of(resource):
    return {t["Key"]: t["Value"] for t in resource.get("Tags") or []}


@pytest.fixture(scope="module")
def autoscaling():
    return client("autoscaling")


@pytest.fixture(scope="module")
def ec2():
    return client("ec2")


@pytest.fixture(scope="module")
def group(autoscaling):
    groups = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[GROUP])["AutoScalingGroups"]
    assert len(groups) == 1, f"the web Auto Scaling group {GROUP} does not exist"
    return groups[0]


@pytest.fixture(scope="module")
def template_data(ec2, group):
    """The launch template version the group launches."""
    spec = group["LaunchTemplate"]
    versions = ec2.describe_launch_template_versions(LaunchTemplateId=spec["LaunchTemplateId"], Versions=[spec["Version"]])["LaunchTemplateVersions"]
    assert len(versions) == 1
    return versions[0]["LaunchTemplateData"]


def test_group_is_tagged_as_the_platform_web_tier(group):
    tags = tags_of(group)
    assert {k: tags.get(k) for k in PLATFORM} == PLATFORM
    assert tags["Role"] == "web" and tags["PatchGroup"] == "web-debian12"
    propagated = {t["Key"] for t in group["Tags"] if t["PropagateAtLaunch"]}
    assert {"Role", "PatchGroup", "Environment", "Platform"} <= propagated


def test_hp08_group_spans_two_zones_of_app_subnets(ec2, group):
    assert len(set(group["AvailabilityZones"])) >= 2, group["AvailabilityZones"]
    subnets = ec2.describe_subnets(SubnetIds=group["VPCZoneIdentifier"].split(","))["Subnets"]
    assert len({s["AvailabilityZone"] for s in subnets}) >= 2
    assert {tags_of(s).get("Tier") for s in subnets} == {"app"}
    assert all(s["MapPublicIpOnLaunch"] is False for s in subnets)


def test_hp08_group_launches_from_a_launch_template(group):
    assert group["LaunchTemplate"]["LaunchTemplateName"] == GROUP
    assert group["LaunchTemplate"]["Version"].isdigit(), "a numbered version lets a new one roll through the group"
    assert not group.get("LaunchConfigurationName")
    assert not group.get("MixedInstancesPolicy")


def test_hp08_elb_health_checks_behind_the_load_balancer(group):
    assert group["HealthCheckType"] == "ELB"
    assert group["HealthCheckGracePeriod"] > 0
    (target_group_arn,) = group["TargetGroupARNs"]
    (target_group,) = client("elbv2").describe_target_groups(TargetGroupArns=[target_group_arn])["TargetGroups"]
    assert target_group["LoadBalancerArns"], "the group's target group must be behind the load balancer"
    assert target_group["Protocol"] == "HTTPS"


def test_hp08_target_tracking_on_cpu_and_requests(autoscaling, group):
    policies = autoscaling.describe_policies(AutoScalingGroupName=GROUP)["ScalingPolicies"]
    tracking = [p for p in policies if p["PolicyType"] == "TargetTrackingScaling"]
    metrics = {p["TargetTrackingConfiguration"]["PredefinedMetricSpecification"]["PredefinedMetricType"]: p for p in tracking}
    assert "ASGAverageCPUUtilization" in metrics
    requests = metrics["ALBRequestCountPerTarget"]["TargetTrackingConfiguration"]["PredefinedMetricSpecification"]["ResourceLabel"]
    target_group_id = group["TargetGroupARNs"][0].split(":")[-1]
    assert requests.startswith("app/") and requests.endswith(target_group_id)
    assert all(p["TargetTrackingConfiguration"]["TargetValue"] > 0 for p in tracking)


def test_graceful_termination_hook_and_group_metrics(autoscaling, group):
    hooks = autoscaling.describe_lifecycle_hooks(AutoScalingGroupName=GROUP)["LifecycleHooks"]
    terminating = [h for h in hooks if h["LifecycleTransition"] == "autoscaling:EC2_INSTANCE_TERMINATING"]
    assert terminating and terminating[0]["DefaultResult"] == "CONTINUE" and terminating[0]["HeartbeatTimeout"] >= 30
    assert {"GroupInServiceInstances", "GroupDesiredCapacity"} <= {m["Metric"] for m in group["EnabledMetrics"]}


def test_hp18_imdsv2_only(template_data):
    assert template_data["MetadataOptions"]["HttpTokens"] == "required"
    assert template_data["MetadataOptions"].get("HttpEndpoint", "enabled") == "enabled"
    assert template_data["MetadataOptions"]["HttpPutResponseHopLimit"] == 1


def test_hp18_root_volume_encrypted_with_the_ebs_key(ec2, template_data):
    image = ec2.describe_images(ImageIds=[template_data["ImageId"]])["Images"][0]
    mappings = {m["DeviceName"]: m for m in template_data["BlockDeviceMappings"]}
    assert image["RootDeviceName"] in mappings, "the template must define the AMI's root volume"
    key = client("kms").describe_key(KeyId=EBS_KEY_ALIAS)["KeyMetadata"]
    for mapping in mappings.values():
        assert mapping["Ebs"]["Encrypted"] is True
        assert mapping["Ebs"]["KmsKeyId"] in (key["Arn"], key["KeyId"], EBS_KEY_ALIAS)
        assert mapping["Ebs"]["VolumeType"] == "gp3"


def test_hp18_no_public_ip_no_key_pair(template_data):
    assert "KeyName" not in template_data
    interfaces = template_data.get("NetworkInterfaces") or []
    assert interfaces, "the template must say that instances get no public IP"
    assert all(i.get("AssociatePublicIpAddress") is False for i in interfaces)
    assert interfaces[0]["Groups"], "the web security group"


def test_hp18_instance_profile(template_data):
    profile = template_data.get("IamInstanceProfile") or {}
    name = profile.get("Name") or (profile.get("Arn") or "").rsplit("/", 1)[-1]
    assert name, "the template must name the instance profile"
    roles = client("iam").get_instance_profile(InstanceProfileName=name)["InstanceProfile"]["Roles"]
    assert roles, f"instance profile {name} has no role"


def test_tags_reach_instances_and_volumes_at_launch(template_data):
    specs = {s["ResourceType"]: {t["Key"]: t["Value"] for t in s["Tags"]} for s in template_data["TagSpecifications"]}
    for kind in ("instance", "volume"):
        assert specs[kind]["Role"] == "web" and specs[kind]["PatchGroup"] == "web-debian12" and specs[kind]["Environment"] == "lab", kind


def test_group_instances_have_no_public_ip_and_no_key(ec2, group):
    ids = [i["InstanceId"] for i in group["Instances"]]
    assert len(ids) == group["DesiredCapacity"] == 2
    instances = [i for r in ec2.describe_instances(InstanceIds=ids)["Reservations"] for i in r["Instances"]]
    for instance in instances:
        assert not instance.get("PublicIpAddress"), instance["InstanceId"]
        assert not instance.get("KeyName"), instance["InstanceId"]
        tags = tags_of(instance)
        assert tags["Role"] == "web" and tags["PatchGroup"] == "web-debian12" and tags["Environment"] == "lab"


def test_hp07_no_secret_in_user_data(template_data):
    user_data = base64.b64decode(template_data["UserData"]).decode("utf-8")
    assert user_data.startswith("#!"), "user data bootstraps the instance"
    found = [name for name, pattern in SECRET_PATTERNS.items() if re.search(pattern, user_data)]
    assert found == [], f"user data looks like it holds a secret: {found}"


@pytest.mark.parametrize(
    "text",
    ["export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "-----BEGIN RSA PRIVATE KEY-----", "DB_PASSWORD=hunter2hunter2", "postgres://app:pw123@db/app"],
)
def test_hp07_scanner_finds_secrets(text):
    """The scan above can fail: it finds each kind of secret it looks for."""
    assert any(re.search(pattern, text) for pattern in SECRET_PATTERNS.values())
