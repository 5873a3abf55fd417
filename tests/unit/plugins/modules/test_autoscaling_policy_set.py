# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""autoscaling_policy_set against the moto server (scaling policies, lifecycle hooks, load balancers
and target groups are emulated)."""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import autoscaling_policy_set

GROUP = "hp-test-web"


@pytest.fixture
def lab(aws):
    """An Auto Scaling group, and a target group behind an application load balancer (plus one without)."""
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.70.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.70.{i}.0/24", AvailabilityZone=az)["Subnet"]["SubnetId"]
        for i, az in enumerate(["us-east-1a", "us-east-1b"])
    ]
    ami = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-kernel-6.1-x86_64"]}])["Images"][0]["ImageId"]
    ec2.create_launch_template(LaunchTemplateName=GROUP, LaunchTemplateData={"ImageId": ami, "InstanceType": "t3.small"})
    aws.client("autoscaling").create_auto_scaling_group(
        AutoScalingGroupName=GROUP, LaunchTemplate={"LaunchTemplateName": GROUP, "Version": "1"}, MinSize=0, MaxSize=2, VPCZoneIdentifier=",".join(subnets)
    )
    elbv2 = aws.client("elbv2")
    lb = elbv2.create_load_balancer(Name="hp-test-alb", Subnets=subnets, Scheme="internal", Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elbv2.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]["TargetGroupArn"]
    elbv2.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
    lonely = elbv2.create_target_group(Name="lonely", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]["TargetGroupArn"]
    label = lb.split(":loadbalancer/")[1] + "/" + tg.split(":")[-1]
    return {"tg": tg, "lonely": lonely, "label": label}


def policy_args(lab, **extra):
    args = {
        "group_name": GROUP,
        "target_tracking_policies": [
            {"name": "cpu-50", "metric": "ASGAverageCPUUtilization", "target_value": 50, "estimated_instance_warmup": 120},
            {"name": "requests-1000", "metric": "ALBRequestCountPerTarget", "target_value": 1000, "target_group_arn": lab["tg"]},
        ],
        "lifecycle_hooks": [{"name": "drain", "transition": "autoscaling:EC2_INSTANCE_TERMINATING", "heartbeat_timeout": 300}],
    }
    args.update(extra)
    return args


def live(aws):
    client = aws.client("autoscaling")
    policies = {p["PolicyName"]: p for p in client.describe_policies(AutoScalingGroupName=GROUP)["ScalingPolicies"]}
    hooks = {h["LifecycleHookName"]: h for h in client.describe_lifecycle_hooks(AutoScalingGroupName=GROUP)["LifecycleHooks"]}
    return policies, hooks


def test_create_policies_and_hook(aws, lab):
    result = aws.run(autoscaling_policy_set.main, policy_args(lab))

    assert result["changed"] is True, result
    policies, hooks = live(aws)
    assert set(policies) == {"cpu-50", "requests-1000"}
    cpu = policies["cpu-50"]
    assert cpu["PolicyType"] == "TargetTrackingScaling"
    assert cpu["TargetTrackingConfiguration"]["PredefinedMetricSpecification"]["PredefinedMetricType"] == "ASGAverageCPUUtilization"
    assert cpu["TargetTrackingConfiguration"]["TargetValue"] == 50.0
    assert cpu["EstimatedInstanceWarmup"] == 120
    requests = policies["requests-1000"]["TargetTrackingConfiguration"]["PredefinedMetricSpecification"]
    assert requests == {"PredefinedMetricType": "ALBRequestCountPerTarget", "ResourceLabel": lab["label"]}
    assert hooks["drain"]["LifecycleTransition"] == "autoscaling:EC2_INSTANCE_TERMINATING"
    assert hooks["drain"]["HeartbeatTimeout"] == 300 and hooks["drain"]["DefaultResult"] == "CONTINUE"
    assert sorted(p["policy_name"] for p in result["scaling_policies"]) == ["cpu-50", "requests-1000"]
    assert [h["lifecycle_hook_name"] for h in result["lifecycle_hooks"]] == ["drain"]


def test_no_change_makes_no_mutating_call(aws, lab):
    aws.run(autoscaling_policy_set.main, policy_args(lab))
    with aws.recording() as calls:
        result = aws.run(autoscaling_policy_set.main, policy_args(lab))

    assert result["changed"] is False, result
    assert calls, "the module must read the policies"
    assert aws.mutating(calls) == []


def test_update_only_what_differs(aws, lab):
    aws.run(autoscaling_policy_set.main, policy_args(lab))
    args = policy_args(lab)
    args["target_tracking_policies"][0]["target_value"] = 60
    args["lifecycle_hooks"][0]["heartbeat_timeout"] = 600
    with aws.recording() as calls:
        result = aws.run(autoscaling_policy_set.main, args, diff=True)

    assert result["changed"] is True
    assert sorted(aws.mutating(calls)) == ["autoscaling:PutLifecycleHook", "autoscaling:PutScalingPolicy"]
    policies, hooks = live(aws)
    assert policies["cpu-50"]["TargetTrackingConfiguration"]["TargetValue"] == 60.0
    assert hooks["drain"]["HeartbeatTimeout"] == 600
    assert result["diff"]["before"]["target_tracking_policies"]["cpu-50"]["target_value"] == 50.0
    assert result["diff"]["after"]["target_tracking_policies"]["cpu-50"]["target_value"] == 60.0


def test_purge_removes_what_is_not_listed(aws, lab):
    client = aws.client("autoscaling")
    client.put_scaling_policy(
        AutoScalingGroupName=GROUP, PolicyName="manual-step", PolicyType="SimpleScaling", AdjustmentType="ChangeInCapacity", ScalingAdjustment=1
    )
    client.put_lifecycle_hook(AutoScalingGroupName=GROUP, LifecycleHookName="old-hook", LifecycleTransition="autoscaling:EC2_INSTANCE_LAUNCHING")

    result = aws.run(autoscaling_policy_set.main, policy_args(lab))

    assert result["changed"] is True
    policies, hooks = live(aws)
    assert set(policies) == {"cpu-50", "requests-1000"}
    assert set(hooks) == {"drain"}


def test_purge_false_keeps_others(aws, lab):
    client = aws.client("autoscaling")
    client.put_lifecycle_hook(AutoScalingGroupName=GROUP, LifecycleHookName="old-hook", LifecycleTransition="autoscaling:EC2_INSTANCE_LAUNCHING")
    client.put_scaling_policy(
        AutoScalingGroupName=GROUP, PolicyName="manual-step", PolicyType="SimpleScaling", AdjustmentType="ChangeInCapacity", ScalingAdjustment=1
    )

    aws.run(autoscaling_policy_set.main, policy_args(lab, purge_policies=False, purge_lifecycle_hooks=False))

    policies, hooks = live(aws)
    assert set(policies) == {"cpu-50", "requests-1000", "manual-step"}
    assert set(hooks) == {"drain", "old-hook"}


def test_omitted_lists_are_not_managed_and_empty_lists_remove_all(aws, lab):
    aws.run(autoscaling_policy_set.main, policy_args(lab))
    with aws.recording() as calls:
        untouched = aws.run(autoscaling_policy_set.main, {"group_name": GROUP})
    assert untouched["changed"] is False and aws.mutating(calls) == []

    result = aws.run(autoscaling_policy_set.main, {"group_name": GROUP, "target_tracking_policies": [], "lifecycle_hooks": []})
    assert result["changed"] is True
    assert live(aws) == ({}, {})


def test_resource_label_given_directly(aws, lab):
    args = policy_args(lab)
    args["target_tracking_policies"][1] = {"name": "requests-1000", "metric": "ALBRequestCountPerTarget", "target_value": 1000, "resource_label": lab["label"]}
    aws.run(autoscaling_policy_set.main, policy_args(lab))
    assert aws.run(autoscaling_policy_set.main, args)["changed"] is False


def test_check_mode_changes_nothing(aws, lab):
    with aws.recording() as calls:
        create = aws.run(autoscaling_policy_set.main, policy_args(lab), check_mode=True)
    assert create["changed"] is True
    assert sorted(p["policy_name"] for p in create["scaling_policies"]) == ["cpu-50", "requests-1000"]
    assert aws.mutating(calls) == []
    assert live(aws) == ({}, {})

    aws.run(autoscaling_policy_set.main, policy_args(lab))
    with aws.recording() as calls:
        remove = aws.run(autoscaling_policy_set.main, {"group_name": GROUP, "target_tracking_policies": [], "lifecycle_hooks": []}, check_mode=True)
        same = aws.run(autoscaling_policy_set.main, policy_args(lab), check_mode=True)
    assert remove["changed"] is True and remove["scaling_policies"] == [] and remove["lifecycle_hooks"] == []
    assert same["changed"] is False
    assert aws.mutating(calls) == []
    assert len(live(aws)[0]) == 2


def test_target_group_without_load_balancer_fails_before_any_change(aws, lab):
    args = policy_args(lab)
    args["target_tracking_policies"][1]["target_group_arn"] = lab["lonely"]
    with aws.recording() as calls:
        result = aws.run(autoscaling_policy_set.main, args)

    assert result.failed and "not attached to a load balancer" in result["msg"]
    assert aws.mutating(calls) == []
    assert live(aws) == ({}, {})


@pytest.mark.parametrize(
    "policies, hooks, option",
    [
        ([{"name": "a", "metric": "ASGAverageCPUUtilization", "target_value": 50}] * 2, [], "target_tracking_policies: duplicate"),
        ([{"name": "a", "metric": "ALBRequestCountPerTarget", "target_value": 50}], [], "target_tracking_policies[0] (a)"),
        ([{"name": "a", "metric": "ALBRequestCountPerTarget", "target_value": 50, "target_group_arn": "web"}], [], "target_group_arn"),
        ([{"name": "a", "metric": "ASGAverageCPUUtilization", "target_value": 50, "resource_label": "x"}], [], "resource_label"),
        ([{"name": "a", "metric": "ASGAverageCPUUtilization", "target_value": 0}], [], "target_value"),
        ([{"name": "a", "metric": "CPU", "target_value": 50}], [], "metric"),
        ([], [{"name": "h", "transition": "autoscaling:EC2_INSTANCE_TERMINATING", "heartbeat_timeout": 10}], "heartbeat_timeout"),
        ([], [{"name": "h", "transition": "autoscaling:EC2_INSTANCE_TERMINATING"}] * 2, "lifecycle_hooks: duplicate"),
        ([], [{"name": "h", "transition": "terminate"}], "transition"),
        (
            [],
            [{"name": "h", "transition": "autoscaling:EC2_INSTANCE_TERMINATING", "notification_target_arn": "arn:aws:sns:us-east-1:123456789012:t"}],
            "role_arn",
        ),
    ],
)
def test_bad_input_fails_before_any_call(aws, lab, policies, hooks, option):
    with aws.recording() as calls:
        result = aws.run(autoscaling_policy_set.main, {"group_name": GROUP, "target_tracking_policies": policies, "lifecycle_hooks": hooks})

    assert result.failed
    assert option in result["msg"], result["msg"]
    assert calls == [], "validation must happen before any API call"
