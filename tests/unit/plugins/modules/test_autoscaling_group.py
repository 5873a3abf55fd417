# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""autoscaling_group and autoscaling_group_info.

Against the moto server (Auto Scaling groups, their instances, target groups and metrics are
emulated), except the instance refresh: moto 5.2.5 does not implement StartInstanceRefresh or
DescribeInstanceRefreshes (HTTP 500), so the tests of that path queue the AWS responses on
botocore's Stubber, which validates every request and response against the real API model and
fails on any call that was not queued.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import autoscaling_group
from ansible_collections.healthplatform.aws.plugins.modules import autoscaling_group_info

GROUP = "hp-test-web"
METRICS = ["GroupDesiredCapacity", "GroupInServiceInstances", "GroupTotalInstances"]


@pytest.fixture
def lab(aws):
    """A VPC with two app subnets in two zones, a third subnet in the first zone, a launch template and a target group."""
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.60.{i}.0/24", AvailabilityZone=az)["Subnet"]["SubnetId"]
        for i, az in enumerate(["us-east-1a", "us-east-1b"])
    ]
    same_zone = ec2.create_subnet(VpcId=vpc, CidrBlock="10.60.9.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    ami = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-kernel-6.1-x86_64"]}])["Images"][0]["ImageId"]
    template = ec2.create_launch_template(
        LaunchTemplateName=GROUP,
        LaunchTemplateData={
            "ImageId": ami,
            "InstanceType": "t3.small",
            "MetadataOptions": {"HttpTokens": "required"},
            "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "Role", "Value": "web"}]}],
        },
    )["LaunchTemplate"]
    ec2.create_launch_template_version(LaunchTemplateId=template["LaunchTemplateId"], SourceVersion="1", LaunchTemplateData={"InstanceType": "t3.medium"})
    elbv2 = aws.client("elbv2")
    tgs = [elbv2.create_target_group(Name=f"web-{i}", Protocol="HTTPS", Port=443, VpcId=vpc)["TargetGroups"][0]["TargetGroupArn"] for i in range(2)]
    return {"vpc": vpc, "subnets": subnets, "same_zone": same_zone, "template": template["LaunchTemplateId"], "tgs": tgs}


def asg_args(lab, **extra):
    args = {
        "name": GROUP,
        "launch_template": {"id": lab["template"], "version": "1"},
        "subnet_ids": lab["subnets"],
        "min_size": 2,
        "max_size": 4,
        "desired_capacity": 2,
        "health_check_type": "ELB",
        "health_check_grace_period": 300,
        "target_group_arns": [lab["tgs"][0]],
        "enabled_metrics": METRICS,
        "tags": {"Role": "web", "PatchGroup": "web-al2023", "Environment": "test"},
    }
    args.update(extra)
    return args


def live_group(aws):
    groups = aws.client("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[GROUP])["AutoScalingGroups"]
    return groups[0] if groups else None


def test_create_group(aws, lab):
    result = aws.run(autoscaling_group.main, asg_args(lab))

    assert result["changed"] is True, result
    group = live_group(aws)
    assert group["LaunchTemplate"]["LaunchTemplateId"] == lab["template"] and group["LaunchTemplate"]["Version"] == "1"
    assert sorted(group["AvailabilityZones"]) == ["us-east-1a", "us-east-1b"]
    assert set(group["VPCZoneIdentifier"].split(",")) == set(lab["subnets"])
    assert group["HealthCheckType"] == "ELB" and group["HealthCheckGracePeriod"] == 300
    assert (group["MinSize"], group["MaxSize"], group["DesiredCapacity"]) == (2, 4, 2)
    assert group["TargetGroupARNs"] == [lab["tgs"][0]]
    assert sorted(m["Metric"] for m in group["EnabledMetrics"]) == sorted(METRICS)
    assert {t["Key"]: (t["Value"], t["PropagateAtLaunch"]) for t in group["Tags"]} == {
        "Role": ("web", True),
        "PatchGroup": ("web-al2023", True),
        "Environment": ("test", True),
    }
    # the emulator launches the instances, with the group's tags
    instances = [i["InstanceId"] for i in group["Instances"]]
    assert len(instances) == 2
    described = aws.client("ec2").describe_instances(InstanceIds=instances)["Reservations"]
    for instance in (i for r in described for i in r["Instances"]):
        tags = {t["Key"]: t["Value"] for t in instance["Tags"]}
        assert tags["PatchGroup"] == "web-al2023" and tags["Environment"] == "test"
    assert result["auto_scaling_group"]["tags"] == {"Role": "web", "PatchGroup": "web-al2023", "Environment": "test"}
    assert result["instance_refresh"] == {}


def test_no_change_makes_no_mutating_call(aws, lab):
    aws.run(autoscaling_group.main, asg_args(lab))
    with aws.recording() as calls:
        result = aws.run(autoscaling_group.main, asg_args(lab, instance_refresh={"min_healthy_percentage": 90}))

    assert result["changed"] is False, result
    assert calls, "the module must read the group"
    assert aws.mutating(calls) == []


def test_update_settings_in_place(aws, lab):
    aws.run(autoscaling_group.main, asg_args(lab))
    result = aws.run(autoscaling_group.main, asg_args(lab, min_size=1, max_size=6, desired_capacity=3, health_check_grace_period=120), diff=True)

    assert result["changed"] is True
    group = live_group(aws)
    assert (group["MinSize"], group["MaxSize"], group["HealthCheckGracePeriod"]) == (1, 6, 120)
    assert group["DesiredCapacity"] == 2, "desired capacity belongs to the scaling policies after creation"
    assert result["diff"]["before"]["max_size"] == 4 and result["diff"]["after"]["max_size"] == 6


def test_new_template_version_without_refresh_updates_the_group(aws, lab):
    aws.run(autoscaling_group.main, asg_args(lab))
    with aws.recording() as calls:
        result = aws.run(autoscaling_group.main, asg_args(lab, launch_template={"id": lab["template"], "version": "2"}))

    assert result["changed"] is True
    assert live_group(aws)["LaunchTemplate"]["Version"] == "2"
    assert aws.mutating(calls) == ["autoscaling:UpdateAutoScalingGroup"]
    assert result["instance_refresh"] == {}


def test_new_template_version_on_an_empty_group_needs_no_refresh(aws, lab):
    aws.run(autoscaling_group.main, asg_args(lab, min_size=0, desired_capacity=0))
    refresh = {"min_healthy_percentage": 90, "auto_rollback": True}
    result = aws.run(autoscaling_group.main, asg_args(lab, min_size=0, launch_template={"id": lab["template"], "version": "2"}, instance_refresh=refresh))

    assert result["changed"] is True and result["instance_refresh"] == {}
    assert live_group(aws)["LaunchTemplate"]["Version"] == "2"


def test_template_by_name(aws, lab):
    args = asg_args(lab, launch_template={"name": GROUP, "version": "$Latest"})
    aws.run(autoscaling_group.main, args)
    assert live_group(aws)["LaunchTemplate"]["LaunchTemplateName"] == GROUP
    assert aws.run(autoscaling_group.main, args)["changed"] is False


def test_target_groups_and_metrics_follow_the_list(aws, lab):
    aws.run(autoscaling_group.main, asg_args(lab))
    result = aws.run(autoscaling_group.main, asg_args(lab, target_group_arns=[lab["tgs"][1]], enabled_metrics=METRICS + ["GroupMaxSize"]))

    assert result["changed"] is True
    group = live_group(aws)
    assert group["TargetGroupARNs"] == [lab["tgs"][1]]
    assert "GroupMaxSize" in {m["Metric"] for m in group["EnabledMetrics"]}


def test_omitted_target_groups_are_left_alone(aws, lab):
    aws.run(autoscaling_group.main, asg_args(lab))
    args = asg_args(lab)
    del args["target_group_arns"], args["enabled_metrics"]
    with aws.recording() as calls:
        result = aws.run(autoscaling_group.main, args)

    assert result["changed"] is False
    assert aws.mutating(calls) == []
    assert live_group(aws)["TargetGroupARNs"] == [lab["tgs"][0]]


def test_tags_update_and_purge(aws, lab):
    aws.run(autoscaling_group.main, asg_args(lab))
    result = aws.run(autoscaling_group.main, asg_args(lab, tags={"Role": "web", "PatchGroup": "web-debian12"}))

    assert result["changed"] is True
    tags = {t["Key"]: t["Value"] for t in live_group(aws)["Tags"]}
    assert tags == {"Role": "web", "PatchGroup": "web-debian12"}

    kept = aws.run(autoscaling_group.main, asg_args(lab, tags={"Owner": "ops"}, purge_tags=False))
    assert kept["changed"] is True
    assert {t["Key"] for t in live_group(aws)["Tags"]} == {"Role", "PatchGroup", "Owner"}


def test_subnets_in_one_zone_fail_before_any_change(aws, lab):
    with aws.recording() as calls:
        result = aws.run(autoscaling_group.main, asg_args(lab, subnet_ids=[lab["subnets"][0], lab["same_zone"]]))

    assert result.failed
    assert "min_availability_zones" in result["msg"] and "us-east-1a" in result["msg"]
    assert aws.mutating(calls) == []
    assert live_group(aws) is None


def test_check_mode_changes_nothing(aws, lab):
    with aws.recording() as calls:
        create = aws.run(autoscaling_group.main, asg_args(lab), check_mode=True)
    assert create["changed"] is True
    assert create["auto_scaling_group"]["auto_scaling_group_name"] == GROUP
    assert aws.mutating(calls) == []
    assert live_group(aws) is None

    aws.run(autoscaling_group.main, asg_args(lab))
    before = live_group(aws)
    with aws.recording() as calls:
        update = aws.run(
            autoscaling_group.main,
            asg_args(lab, max_size=8, launch_template={"id": lab["template"], "version": "2"}, target_group_arns=[], tags={"New": "tag"}),
            check_mode=True,
        )
        delete = aws.run(autoscaling_group.main, {"name": GROUP, "state": "absent"}, check_mode=True)
        same = aws.run(autoscaling_group.main, asg_args(lab), check_mode=True)
    assert update["changed"] is True
    assert update["auto_scaling_group"]["max_size"] == 8 and update["auto_scaling_group"]["tags"] == {"New": "tag"}
    assert delete["changed"] is True and same["changed"] is False
    assert aws.mutating(calls) == []
    after = live_group(aws)
    assert (after["MaxSize"], after["LaunchTemplate"]["Version"], after["TargetGroupARNs"]) == (before["MaxSize"], "1", before["TargetGroupARNs"])


def test_delete_and_delete_again(aws, lab):
    aws.run(autoscaling_group.main, asg_args(lab))
    result = aws.run(autoscaling_group.main, {"name": GROUP, "state": "absent", "force_delete": True})
    assert result["changed"] is True
    assert live_group(aws) is None
    assert aws.run(autoscaling_group.main, {"name": GROUP, "state": "absent"})["changed"] is False


@pytest.mark.parametrize(
    "args, option",
    [
        ({"min_size": 5, "max_size": 4}, "min_size (5) is above max_size (4)"),
        ({"desired_capacity": 9}, "desired_capacity"),
        ({"subnet_ids": ["subnet-1"]}, "subnet_ids"),
        ({"subnet_ids": ["subnet-0a0a0a0a0a0a0a0a0"]}, "min_availability_zones"),
        ({"launch_template": {"id": "lt-0a0a0a0a0a0a0a0a0", "name": GROUP}}, "launch_template"),
        ({"launch_template": {"id": "template"}}, "launch_template.id"),
        ({"launch_template": {"id": "lt-0a0a0a0a0a0a0a0a0", "version": "latest"}}, "launch_template.version"),
        ({"launch_template": {"id": "lt-0a0a0a0a0a0a0a0a0", "version": "$Latest"}, "instance_refresh": {}}, "instance_refresh.auto_rollback"),
        ({"instance_refresh": {"min_healthy_percentage": 120}}, "instance_refresh.min_healthy_percentage"),
        ({"instance_refresh": {"max_healthy_percentage": 250}}, "instance_refresh.max_healthy_percentage"),
        ({"instance_refresh": {"checkpoint_percentages": [50, 20]}}, "instance_refresh.checkpoint_percentages"),
        ({"target_group_arns": ["web"]}, "target_group_arns"),
        ({"enabled_metrics": ["CPUUtilization"]}, "enabled_metrics"),
        ({"health_check_type": "HTTP"}, "health_check_type"),
        ({"min_size": None}, "min_size"),
        ({"launch_template": None}, "launch_template"),
    ],
)
def test_bad_input_fails_before_any_call(aws, lab, args, option):
    with aws.recording() as calls:
        result = aws.run(autoscaling_group.main, asg_args(lab, **args))

    assert result.failed
    assert option in result["msg"], result["msg"]
    assert calls == [], "validation must happen before any API call"


def test_info_by_tags_with_policies_and_hooks(aws, lab):
    aws.run(autoscaling_group.main, asg_args(lab))
    client = aws.client("autoscaling")
    client.put_scaling_policy(
        AutoScalingGroupName=GROUP,
        PolicyName="cpu",
        PolicyType="TargetTrackingScaling",
        TargetTrackingConfiguration={"PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"}, "TargetValue": 50.0},
    )
    client.put_lifecycle_hook(AutoScalingGroupName=GROUP, LifecycleHookName="drain", LifecycleTransition="autoscaling:EC2_INSTANCE_TERMINATING")
    aws.run(autoscaling_group.main, asg_args(lab, name="hp-other", tags={"Environment": "other"}))

    result = aws.run(autoscaling_group_info.main, {"tags": {"Environment": "test"}})

    assert result["changed"] is False
    (group,) = result["auto_scaling_groups"]
    assert group["auto_scaling_group_name"] == GROUP and group["health_check_type"] == "ELB"
    assert [p["policy_name"] for p in group["scaling_policies"]] == ["cpu"]
    assert [h["lifecycle_hook_name"] for h in group["lifecycle_hooks"]] == ["drain"]
    assert group["tags"]["PatchGroup"] == "web-al2023"

    everything = aws.run(autoscaling_group_info.main, {"include_policies": False})
    assert sorted(g["auto_scaling_group_name"] for g in everything["auto_scaling_groups"]) == ["hp-other", GROUP]
    assert "scaling_policies" not in everything["auto_scaling_groups"][0]


# ---- scaling policies and lifecycle hooks as parts of the group (emulated by moto) ----

CPU = {"name": "target-cpu", "metric": "ASGAverageCPUUtilization", "target_value": 50, "estimated_instance_warmup": 120}
HOOK = {"name": "graceful-termination", "transition": "autoscaling:EC2_INSTANCE_TERMINATING", "heartbeat_timeout": 300, "default_result": "CONTINUE"}
POLICY_READS = {"autoscaling:DescribePolicies", "autoscaling:DescribeLifecycleHooks"}


@pytest.fixture
def balanced(aws, lab):
    """The lab, with the first target group behind an application load balancer (the second stays without one)."""
    elbv2 = aws.client("elbv2")
    lb = elbv2.create_load_balancer(Name="hp-test-alb", Subnets=lab["subnets"], Scheme="internal", Type="application")["LoadBalancers"][0]
    elbv2.create_listener(
        LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80, DefaultActions=[{"Type": "forward", "TargetGroupArn": lab["tgs"][0]}]
    )
    label = lb["LoadBalancerArn"].split(":loadbalancer/")[1] + "/" + lab["tgs"][0].split(":")[-1]
    return dict(lab, label=label)


def requests_policy(lab, **extra):
    return dict(
        {"name": "target-requests-per-instance", "metric": "ALBRequestCountPerTarget", "target_value": 1000, "target_group_arn": lab["tgs"][0]}, **extra
    )


def with_parts(lab, **extra):
    args = asg_args(lab, scaling_policies=[dict(CPU), requests_policy(lab)], lifecycle_hooks=[dict(HOOK)])
    args.update(extra)
    return args


def live_parts(aws):
    client = aws.client("autoscaling")
    policies = {p["PolicyName"]: p for p in client.describe_policies(AutoScalingGroupName=GROUP)["ScalingPolicies"]}
    hooks = {h["LifecycleHookName"]: h for h in client.describe_lifecycle_hooks(AutoScalingGroupName=GROUP)["LifecycleHooks"]}
    return policies, hooks


def operations(calls):
    return {f"{c['service']}:{c['operation']}" for c in calls}


def test_create_with_policies_and_hook_in_one_run(aws, balanced):
    with aws.recording() as calls:
        result = aws.run(autoscaling_group.main, with_parts(balanced))

    assert result["changed"] is True, result
    assert live_group(aws)["TargetGroupARNs"] == [balanced["tgs"][0]]
    policies, hooks = live_parts(aws)
    assert set(policies) == {"target-cpu", "target-requests-per-instance"}
    cpu = policies["target-cpu"]
    assert cpu["PolicyType"] == "TargetTrackingScaling" and cpu["EstimatedInstanceWarmup"] == 120
    assert cpu["TargetTrackingConfiguration"]["PredefinedMetricSpecification"] == {"PredefinedMetricType": "ASGAverageCPUUtilization"}
    assert cpu["TargetTrackingConfiguration"]["TargetValue"] == 50.0
    requests = policies["target-requests-per-instance"]["TargetTrackingConfiguration"]["PredefinedMetricSpecification"]
    assert requests == {"PredefinedMetricType": "ALBRequestCountPerTarget", "ResourceLabel": balanced["label"]}
    hook = hooks["graceful-termination"]
    assert (hook["LifecycleTransition"], hook["HeartbeatTimeout"], hook["DefaultResult"]) == ("autoscaling:EC2_INSTANCE_TERMINATING", 300, "CONTINUE")
    # a new group has nothing to read: its policies and hooks are put right after it is created
    mutating = aws.mutating(calls)
    assert mutating[0] == "autoscaling:CreateAutoScalingGroup"
    assert sorted(m for m in mutating if m.endswith(("Policy", "Hook"))) == [
        "autoscaling:PutLifecycleHook",
        "autoscaling:PutScalingPolicy",
        "autoscaling:PutScalingPolicy",
    ]
    assert sorted(p["policy_name"] for p in result["scaling_policies"]) == ["target-cpu", "target-requests-per-instance"]
    assert [h["lifecycle_hook_name"] for h in result["lifecycle_hooks"]] == ["graceful-termination"]


def test_policies_and_hook_no_change_makes_no_mutating_call(aws, balanced):
    aws.run(autoscaling_group.main, with_parts(balanced))
    with aws.recording() as calls:
        result = aws.run(autoscaling_group.main, with_parts(balanced))

    assert result["changed"] is False, result
    assert POLICY_READS <= operations(calls), "the module must read the policies and hooks"
    assert "elbv2:DescribeTargetGroups" in operations(calls), "the request count policy's load balancer must be read"
    assert aws.mutating(calls) == []


def test_update_a_policy_target_value(aws, balanced):
    aws.run(autoscaling_group.main, with_parts(balanced))
    args = with_parts(balanced)
    args["scaling_policies"][0]["target_value"] = 60
    with aws.recording() as calls:
        result = aws.run(autoscaling_group.main, args, diff=True)

    assert result["changed"] is True
    assert aws.mutating(calls) == ["autoscaling:PutScalingPolicy"]
    policies, _hooks = live_parts(aws)
    assert policies["target-cpu"]["TargetTrackingConfiguration"]["TargetValue"] == 60.0
    assert result["diff"]["before"]["scaling_policies"]["target-cpu"]["target_value"] == 50.0
    assert result["diff"]["after"]["scaling_policies"]["target-cpu"]["target_value"] == 60.0
    assert result["diff"]["before"]["max_size"] == result["diff"]["after"]["max_size"] == 4


def test_hook_changes_before_the_group_and_policies_after_it(aws, balanced):
    aws.run(autoscaling_group.main, with_parts(balanced))
    args = with_parts(balanced, max_size=6)
    args["lifecycle_hooks"][0]["heartbeat_timeout"] = 600
    args["scaling_policies"][0]["target_value"] = 70
    with aws.recording() as calls:
        result = aws.run(autoscaling_group.main, args)

    assert result["changed"] is True
    assert aws.mutating(calls) == ["autoscaling:PutLifecycleHook", "autoscaling:UpdateAutoScalingGroup", "autoscaling:PutScalingPolicy"]
    assert live_parts(aws)[1]["graceful-termination"]["HeartbeatTimeout"] == 600


def test_policy_and_hook_not_listed_are_removed_with_purge(aws, balanced):
    aws.run(autoscaling_group.main, with_parts(balanced))
    client = aws.client("autoscaling")
    client.put_scaling_policy(
        AutoScalingGroupName=GROUP, PolicyName="manual-step", PolicyType="SimpleScaling", AdjustmentType="ChangeInCapacity", ScalingAdjustment=1
    )
    client.put_lifecycle_hook(AutoScalingGroupName=GROUP, LifecycleHookName="old-hook", LifecycleTransition="autoscaling:EC2_INSTANCE_LAUNCHING")

    kept = aws.run(autoscaling_group.main, with_parts(balanced, purge_scaling_policies=False, purge_lifecycle_hooks=False))
    assert kept["changed"] is False
    assert set(live_parts(aws)[0]) == {"target-cpu", "target-requests-per-instance", "manual-step"}

    with aws.recording() as calls:
        result = aws.run(autoscaling_group.main, with_parts(balanced, scaling_policies=[dict(CPU)]))

    assert result["changed"] is True
    assert sorted(aws.mutating(calls)) == ["autoscaling:DeleteLifecycleHook", "autoscaling:DeletePolicy", "autoscaling:DeletePolicy"]
    policies, hooks = live_parts(aws)
    assert set(policies) == {"target-cpu"}
    assert set(hooks) == {"graceful-termination"}
    assert [p["policy_name"] for p in result["scaling_policies"]] == ["target-cpu"]

    removed = aws.run(autoscaling_group.main, with_parts(balanced, scaling_policies=[], lifecycle_hooks=[]))
    assert removed["changed"] is True and live_parts(aws) == ({}, {})


def test_omitted_policies_and_hooks_are_left_alone(aws, balanced):
    aws.run(autoscaling_group.main, with_parts(balanced))
    with aws.recording() as calls:
        result = aws.run(autoscaling_group.main, asg_args(balanced))

    assert result["changed"] is False
    assert aws.mutating(calls) == []
    assert not POLICY_READS & operations(calls), "policies and hooks that are not managed are not read"
    assert "scaling_policies" not in result and "lifecycle_hooks" not in result
    policies, hooks = live_parts(aws)
    assert len(policies) == 2 and len(hooks) == 1


def test_check_mode_plans_the_policies_of_a_new_group(aws, balanced):
    with aws.recording() as calls:
        result = aws.run(autoscaling_group.main, with_parts(balanced), check_mode=True, diff=True)

    assert result["changed"] is True, result
    assert aws.mutating(calls) == []
    assert not POLICY_READS & operations(calls), "no call on a group that does not exist yet"
    assert live_group(aws) is None
    planned = {p["policy_name"]: p for p in result["scaling_policies"]}
    assert set(planned) == {"target-cpu", "target-requests-per-instance"}
    resource_label = planned["target-requests-per-instance"]["target_tracking_configuration"]["predefined_metric_specification"]["resource_label"]
    assert resource_label == balanced["label"]
    assert [h["lifecycle_hook_name"] for h in result["lifecycle_hooks"]] == ["graceful-termination"]
    assert set(result["diff"]["after"]["scaling_policies"]) == {"target-cpu", "target-requests-per-instance"}


def test_check_mode_on_an_existing_group(aws, balanced):
    aws.run(autoscaling_group.main, with_parts(balanced))
    args = with_parts(balanced, lifecycle_hooks=[])
    args["scaling_policies"][0]["target_value"] = 60
    with aws.recording() as calls:
        update = aws.run(autoscaling_group.main, args, check_mode=True)
        same = aws.run(autoscaling_group.main, with_parts(balanced), check_mode=True)

    assert update["changed"] is True and same["changed"] is False
    assert update["lifecycle_hooks"] == []
    cpu = next(p for p in update["scaling_policies"] if p["policy_name"] == "target-cpu")
    assert cpu["target_tracking_configuration"]["target_value"] == 60.0
    assert aws.mutating(calls) == []
    policies, hooks = live_parts(aws)
    assert policies["target-cpu"]["TargetTrackingConfiguration"]["TargetValue"] == 50.0 and set(hooks) == {"graceful-termination"}


def test_check_mode_plans_a_request_policy_whose_load_balancer_is_still_planned(aws, lab):
    # the load balancer tier's own check run only planned the listener: the label is planned, with a warning
    missing = lab["tgs"][0].rsplit("/", 1)[0] + "/0123456789abcdef"
    for target_group in (lab["tgs"][1], missing):
        args = asg_args(lab, scaling_policies=[dict(CPU), requests_policy(lab, target_group_arn=target_group)])
        with aws.recording() as calls:
            result = aws.run(autoscaling_group.main, args, check_mode=True)
        assert result["changed"] is True, result
        assert aws.mutating(calls) == []
        assert target_group in str(result["warnings"]), result["warnings"]
        assert len(result["scaling_policies"]) == 2


def test_target_group_without_load_balancer_fails_before_the_group_is_created(aws, lab):
    with aws.recording() as calls:
        result = aws.run(autoscaling_group.main, with_parts(lab))

    assert result.failed and "not attached to a load balancer" in result["msg"]
    assert aws.mutating(calls) == []
    assert live_group(aws) is None


@pytest.mark.parametrize(
    "policies, hooks, option",
    [
        ([{"name": "a", "metric": "ASGAverageCPUUtilization", "target_value": 50}] * 2, [], "scaling_policies: duplicate"),
        ([{"name": "a", "metric": "ALBRequestCountPerTarget", "target_value": 50}], [], "scaling_policies[0] (a)"),
        ([{"name": "a", "metric": "ALBRequestCountPerTarget", "target_value": 50, "target_group_arn": "web"}], [], "scaling_policies[0] (a): target_group_arn"),
        (
            [{"name": "a", "metric": "ASGAverageCPUUtilization", "target_value": 50, "resource_label": "x"}],
            [],
            "scaling_policies[0] (a): target_group_arn and resource_label",
        ),
        ([{"name": "a", "metric": "ASGAverageCPUUtilization", "target_value": 0}], [], "scaling_policies[0] (a): target_value"),
        ([{"name": "a", "metric": "CPU", "target_value": 50}], [], "metric"),
        ([{"metric": "ASGAverageCPUUtilization", "target_value": 50}], [], "name"),
        ([], [{"name": "h", "transition": "autoscaling:EC2_INSTANCE_TERMINATING", "heartbeat_timeout": 10}], "lifecycle_hooks[0] (h): heartbeat_timeout"),
        ([], [{"name": "h", "transition": "autoscaling:EC2_INSTANCE_TERMINATING"}] * 2, "lifecycle_hooks: duplicate"),
        ([], [{"name": "h", "transition": "terminate"}], "transition"),
        (
            [],
            [{"name": "h", "transition": "autoscaling:EC2_INSTANCE_TERMINATING", "notification_target_arn": "arn:aws:sns:us-east-1:123456789012:t"}],
            "lifecycle_hooks[0] (h): notification_target_arn and role_arn",
        ),
    ],
)
def test_bad_policies_or_hooks_fail_before_any_call(aws, lab, policies, hooks, option):
    with aws.recording() as calls:
        result = aws.run(autoscaling_group.main, asg_args(lab, scaling_policies=policies, lifecycle_hooks=hooks))

    assert result.failed
    assert option in result["msg"], result["msg"]
    assert calls == [], "validation must happen before any API call"


# ---- instance refresh: moto lacks StartInstanceRefresh / DescribeInstanceRefreshes (Stubber) ----

TEMPLATE = "lt-0a1b2c3d4e5f60718"
SUBNETS = ["subnet-0a0a0a0a0a0a0a0a0", "subnet-0b0b0b0b0b0b0b0b0"]
TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef"
REFRESH = {"min_healthy_percentage": 90, "instance_warmup": 120, "skip_matching": True, "auto_rollback": True}


def stub_group(version="1", instances=2):
    return {
        "AutoScalingGroupName": GROUP,
        "AutoScalingGroupARN": f"arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/{GROUP}",
        "LaunchTemplate": {"LaunchTemplateId": TEMPLATE, "LaunchTemplateName": GROUP, "Version": version},
        "MinSize": 2,
        "MaxSize": 4,
        "DesiredCapacity": 2,
        "DefaultCooldown": 300,
        "AvailabilityZones": ["us-east-1a", "us-east-1b"],
        "TargetGroupARNs": [TG],
        "HealthCheckType": "ELB",
        "HealthCheckGracePeriod": 300,
        "Instances": [
            {
                "InstanceId": f"i-0{n}0000000000000a",
                "AvailabilityZone": "us-east-1a",
                "LifecycleState": "InService",
                "HealthStatus": "Healthy",
                "ProtectedFromScaleIn": False,
            }
            for n in range(instances)
        ],
        "CreatedTime": "2026-01-01T00:00:00Z",
        "VPCZoneIdentifier": ",".join(SUBNETS),
        "Tags": [{"ResourceId": GROUP, "ResourceType": "auto-scaling-group", "Key": "Role", "Value": "web", "PropagateAtLaunch": True}],
    }


def stub_args(version="2", **extra):
    args = {
        "name": GROUP,
        "launch_template": {"id": TEMPLATE, "version": version},
        "subnet_ids": SUBNETS,
        "min_size": 2,
        "max_size": 4,
        "target_group_arns": [TG],
        "tags": {"Role": "web"},
        "instance_refresh": REFRESH,
    }
    args.update(extra)
    return args


def refresh_record(refresh_id, status, version):
    return {
        "InstanceRefreshId": refresh_id,
        "AutoScalingGroupName": GROUP,
        "Status": status,
        "DesiredConfiguration": {"LaunchTemplate": {"LaunchTemplateId": TEMPLATE, "Version": version}},
    }


@pytest.fixture
def autoscaling(stubbed):
    return stubbed("autoscaling")


def test_new_version_starts_a_rolling_refresh(stubbed, autoscaling):
    autoscaling.add_response("describe_auto_scaling_groups", {"AutoScalingGroups": [stub_group("1")]}, {"AutoScalingGroupNames": [GROUP]})
    autoscaling.add_response("describe_instance_refreshes", {"InstanceRefreshes": [refresh_record("old", "Successful", "1")]}, {"AutoScalingGroupName": GROUP})
    autoscaling.add_response(
        "start_instance_refresh",
        {"InstanceRefreshId": "08b91cf7-8fa6-48af-b6a6-d227f40f1b9b"},
        {
            "AutoScalingGroupName": GROUP,
            "Strategy": "Rolling",
            "DesiredConfiguration": {"LaunchTemplate": {"LaunchTemplateId": TEMPLATE, "Version": "2"}},
            "Preferences": {"MinHealthyPercentage": 90, "InstanceWarmup": 120, "SkipMatching": True, "AutoRollback": True},
        },
    )
    autoscaling.add_response("describe_auto_scaling_groups", {"AutoScalingGroups": [stub_group("1")]}, {"AutoScalingGroupNames": [GROUP]})

    result = stubbed.run(autoscaling_group.main, stub_args())

    assert result["changed"] is True, result
    assert result["instance_refresh"]["instance_refresh_id"] == "08b91cf7-8fa6-48af-b6a6-d227f40f1b9b"
    assert result["instance_refresh"]["desired_configuration"]["launch_template"]["version"] == "2"
    # the group itself is not pointed at the new version: the refresh does that when it succeeds
    assert result["auto_scaling_group"]["launch_template"]["version"] == "1"
    stubbed.assert_all_used()


def test_refresh_in_progress_to_the_same_version_is_no_change(stubbed, autoscaling):
    autoscaling.add_response("describe_auto_scaling_groups", {"AutoScalingGroups": [stub_group("1")]}, {"AutoScalingGroupNames": [GROUP]})
    autoscaling.add_response("describe_instance_refreshes", {"InstanceRefreshes": [refresh_record("r-2", "InProgress", "2")]}, {"AutoScalingGroupName": GROUP})

    result = stubbed.run(autoscaling_group.main, stub_args())

    assert result["changed"] is False, result
    assert result["instance_refresh"]["instance_refresh_id"] == "r-2"
    assert result["instance_refresh"]["status"] == "InProgress"
    stubbed.assert_all_used()


def test_refresh_in_progress_to_another_version_fails(stubbed, autoscaling):
    autoscaling.add_response("describe_auto_scaling_groups", {"AutoScalingGroups": [stub_group("1")]}, {"AutoScalingGroupNames": [GROUP]})
    autoscaling.add_response("describe_instance_refreshes", {"InstanceRefreshes": [refresh_record("r-2", "InProgress", "2")]}, {"AutoScalingGroupName": GROUP})

    result = stubbed.run(autoscaling_group.main, stub_args(version="3"))

    assert result.failed
    assert "r-2" in result["msg"] and "InProgress" in result["msg"]
    stubbed.assert_all_used()


def test_refresh_check_mode_only_reads(stubbed, autoscaling):
    autoscaling.add_response("describe_auto_scaling_groups", {"AutoScalingGroups": [stub_group("1")]}, {"AutoScalingGroupNames": [GROUP]})
    autoscaling.add_response("describe_instance_refreshes", {"InstanceRefreshes": []}, {"AutoScalingGroupName": GROUP})

    result = stubbed.run(autoscaling_group.main, stub_args(), check_mode=True)

    assert result["changed"] is True
    assert result["instance_refresh"]["status"] == "Pending"
    stubbed.assert_all_used()


def test_refresh_with_other_changes_updates_the_group_first(stubbed, autoscaling):
    autoscaling.add_response("describe_auto_scaling_groups", {"AutoScalingGroups": [stub_group("1")]}, {"AutoScalingGroupNames": [GROUP]})
    autoscaling.add_response("describe_instance_refreshes", {"InstanceRefreshes": []}, {"AutoScalingGroupName": GROUP})
    autoscaling.add_response("update_auto_scaling_group", {}, {"AutoScalingGroupName": GROUP, "MaxSize": 6})
    autoscaling.add_response(
        "start_instance_refresh",
        {"InstanceRefreshId": "r-3"},
        {
            "AutoScalingGroupName": GROUP,
            "Strategy": "Rolling",
            "DesiredConfiguration": {"LaunchTemplate": {"LaunchTemplateId": TEMPLATE, "Version": "2"}},
            "Preferences": {
                "MinHealthyPercentage": 100,
                "MaxHealthyPercentage": 200,
                "SkipMatching": True,
                "AutoRollback": True,
                "CheckpointPercentages": [50, 100],
                "CheckpointDelay": 600,
            },
        },
    )
    autoscaling.add_response("describe_auto_scaling_groups", {"AutoScalingGroups": [stub_group("1")]}, {"AutoScalingGroupNames": [GROUP]})
    refresh = {"min_healthy_percentage": 100, "max_healthy_percentage": 200, "checkpoint_percentages": [50, 100], "checkpoint_delay": 600}

    result = stubbed.run(autoscaling_group.main, stub_args(max_size=6, instance_refresh=refresh))

    assert result["changed"] is True and result["instance_refresh"]["instance_refresh_id"] == "r-3"
    stubbed.assert_all_used()


def test_default_instance_warmup_is_updated(stubbed, autoscaling):
    # moto does not keep DefaultInstanceWarmup, so this comparison is proven against the API model
    group = dict(stub_group("2"), DefaultInstanceWarmup=300)
    autoscaling.add_response("describe_auto_scaling_groups", {"AutoScalingGroups": [group]}, {"AutoScalingGroupNames": [GROUP]})
    autoscaling.add_response("update_auto_scaling_group", {}, {"AutoScalingGroupName": GROUP, "DefaultInstanceWarmup": 120})
    autoscaling.add_response(
        "describe_auto_scaling_groups", {"AutoScalingGroups": [dict(group, DefaultInstanceWarmup=120)]}, {"AutoScalingGroupNames": [GROUP]}
    )

    result = stubbed.run(autoscaling_group.main, stub_args(default_instance_warmup=120))

    assert result["changed"] is True and result["auto_scaling_group"]["default_instance_warmup"] == 120
    stubbed.assert_all_used()
