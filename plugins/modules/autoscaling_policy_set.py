#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: autoscaling_policy_set
short_description: Manage the target tracking scaling policies and lifecycle hooks of an Auto Scaling group in one call
version_added: 0.1.0
description:
  - Makes the scaling policies and the lifecycle hooks of one Auto Scaling group what the options list;
    creates what is missing, updates what differs, and (with O(purge_policies) and O(purge_lifecycle_hooks))
    deletes what is not listed. Reads the group's policies and hooks once (two calls); a run that finds them
    as described makes no change and no mutating API call.
  - Target tracking policies keep a predefined metric at a target value, for example the average CPU of the
    group (C(ASGAverageCPUUtilization)) or the load balancer requests per instance (C(ALBRequestCountPerTarget)).
    For the latter, give the target group's ARN; the module reads which load balancer it belongs to and builds
    the metric's resource label.
  - Lifecycle hooks hold instances in a wait state on launch or termination, for example to let a terminating
    instance drain its connections and flush its logs before it goes (a graceful termination).
  - A list that is omitted is not managed; an empty list (with purge) removes them all.
  - Bad input (duplicate names, a request-count policy without its target group, a heartbeat out of range)
    fails before any API call.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  group_name:
    description: Name of the Auto Scaling group.
    type: str
    required: true
  target_tracking_policies:
    description: Target tracking scaling policies of the group.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the policy.
        type: str
        required: true
      metric:
        description: The predefined metric to keep at O(target_tracking_policies[].target_value).
        type: str
        required: true
        choices: [ASGAverageCPUUtilization, ASGAverageNetworkIn, ASGAverageNetworkOut, ALBRequestCountPerTarget]
      target_value:
        description: The value to keep the metric at (percent for CPU, requests per target per minute, bytes for network).
        type: float
        required: true
      target_group_arn:
        description:
          - For C(ALBRequestCountPerTarget), the target group whose requests are counted; it must be attached to a load balancer.
          - Give this or O(target_tracking_policies[].resource_label).
        type: str
      resource_label:
        description: For C(ALBRequestCountPerTarget), the resource label C(app/<lb>/<id>/targetgroup/<tg>/<id>) itself.
        type: str
      disable_scale_in:
        description: Only scale out; never remove instances because of this policy.
        type: bool
        default: false
      estimated_instance_warmup:
        description: Seconds until a new instance's metrics count. Not compared when omitted (the group's default warmup applies).
        type: int
      enabled:
        description: Whether the policy acts.
        type: bool
        default: true
  lifecycle_hooks:
    description: Lifecycle hooks of the group.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the hook.
        type: str
        required: true
      transition:
        description: The lifecycle transition the hook holds.
        type: str
        required: true
        choices: ["autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING"]
      heartbeat_timeout:
        description: Seconds an instance waits in the hook before O(lifecycle_hooks[].default_result) applies (30-7200).
        type: int
        default: 300
      default_result:
        description: What happens when the timeout passes (for termination hooks both end in termination).
        type: str
        choices: [CONTINUE, ABANDON]
        default: CONTINUE
      notification_target_arn:
        description: SNS topic or SQS queue told about each transition. Not compared when omitted.
        type: str
      role_arn:
        description: Role that lets Auto Scaling publish to O(lifecycle_hooks[].notification_target_arn). Not compared when omitted.
        type: str
      notification_metadata:
        description: Text added to each notification. Not compared when omitted.
        type: str
  purge_policies:
    description: Delete the group's scaling policies (of any type) that O(target_tracking_policies) does not list.
    type: bool
    default: true
  purge_lifecycle_hooks:
    description: Delete the group's lifecycle hooks that O(lifecycle_hooks) does not list.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Something must complete the lifecycle action of a held instance (C(aws autoscaling complete-lifecycle-action),
    M(community.aws.autoscaling_complete_lifecycle_action)); otherwise the instance goes on after O(lifecycle_hooks[].heartbeat_timeout).
seealso:
  - module: healthplatform.aws.autoscaling_group
  - module: healthplatform.aws.autoscaling_group_info
"""

EXAMPLES = r"""
- name: Scale the web tier on CPU and on requests per instance; drain before termination
  healthplatform.aws.autoscaling_policy_set:
    group_name: healthplatform-production-web
    target_tracking_policies:
      - name: cpu-50
        metric: ASGAverageCPUUtilization
        target_value: 50
      - name: requests-1000
        metric: ALBRequestCountPerTarget
        target_value: 1000
        target_group_arn: "{{ edge_target_group_arn }}"
    lifecycle_hooks:
      - name: drain-before-termination
        transition: autoscaling:EC2_INSTANCE_TERMINATING
        heartbeat_timeout: 300
        default_result: CONTINUE

- name: Remove every scaling policy and hook of a group
  healthplatform.aws.autoscaling_policy_set:
    group_name: healthplatform-staging-web
    target_tracking_policies: []
    lifecycle_hooks: []
"""

RETURN = r"""
scaling_policies:
  description: The group's scaling policies as Auto Scaling describes them. In check mode, what they would be.
  returned: always
  type: list
  elements: dict
  sample:
    - policy_name: cpu-50
      policy_type: TargetTrackingScaling
      target_tracking_configuration:
        predefined_metric_specification: {predefined_metric_type: ASGAverageCPUUtilization}
        target_value: 50.0
        disable_scale_in: false
lifecycle_hooks:
  description: The group's lifecycle hooks as Auto Scaling describes them. In check mode, what they would be.
  returned: always
  type: list
  elements: dict
  sample:
    - lifecycle_hook_name: drain-before-termination
      lifecycle_transition: autoscaling:EC2_INSTANCE_TERMINATING
      heartbeat_timeout: 300
      default_result: CONTINUE
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import TARGET_GROUP_ARN
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import target_group_resource_label

ALB_METRIC = "ALBRequestCountPerTarget"


def _duplicates(names):
    seen, dupes = set(), set()
    for name in names:
        (dupes if name in seen else seen).add(name)
    return sorted(dupes)


def validate(module):
    """Check what argument_spec cannot; fail before any API call."""
    policies = module.params["target_tracking_policies"]
    hooks = module.params["lifecycle_hooks"]
    if policies:
        dupes = _duplicates(p["name"] for p in policies)
        if dupes:
            module.fail_json(msg=f"target_tracking_policies: duplicate name(s) {dupes}")
        for index, policy in enumerate(policies):
            where = f"target_tracking_policies[{index}] ({policy['name']})"
            if policy["target_value"] <= 0:
                module.fail_json(msg=f"{where}: target_value must be above 0, got {policy['target_value']}")
            if policy["metric"] == ALB_METRIC:
                if bool(policy["target_group_arn"]) == bool(policy["resource_label"]):
                    module.fail_json(msg=f"{where}: metric {ALB_METRIC} needs exactly one of target_group_arn and resource_label")
                if policy["target_group_arn"] and not TARGET_GROUP_ARN.match(policy["target_group_arn"]):
                    module.fail_json(msg=f"{where}: target_group_arn must be a target group ARN, got {policy['target_group_arn']!r}")
            elif policy["target_group_arn"] or policy["resource_label"]:
                module.fail_json(msg=f"{where}: target_group_arn and resource_label apply to metric {ALB_METRIC} only")
    if hooks:
        dupes = _duplicates(h["name"] for h in hooks)
        if dupes:
            module.fail_json(msg=f"lifecycle_hooks: duplicate name(s) {dupes}")
        for index, hook in enumerate(hooks):
            where = f"lifecycle_hooks[{index}] ({hook['name']})"
            if not 30 <= hook["heartbeat_timeout"] <= 7200:
                module.fail_json(msg=f"{where}: heartbeat_timeout must be between 30 and 7200 seconds, got {hook['heartbeat_timeout']}")
            if bool(hook["notification_target_arn"]) != bool(hook["role_arn"]):
                module.fail_json(msg=f"{where}: notification_target_arn and role_arn go together")


def resource_labels(module, policies):
    """target group ARN -> ALBRequestCountPerTarget resource label (one elbv2 read)."""
    arns = sorted({p["target_group_arn"] for p in policies or [] if p["metric"] == ALB_METRIC and p["target_group_arn"]})
    if not arns:
        return {}
    elbv2 = retrying_client(module, "elbv2")
    groups = elbv2.describe_target_groups(TargetGroupArns=arns, aws_retry=True)["TargetGroups"]
    labels = {}
    for group in groups:
        load_balancers = group.get("LoadBalancerArns") or []
        if not load_balancers:
            module.fail_json(
                msg=f"target group {group['TargetGroupArn']} is not attached to a load balancer yet: {ALB_METRIC} needs one (create the listener first)"
            )
        labels[group["TargetGroupArn"]] = target_group_resource_label(group["TargetGroupArn"], load_balancers[0])
    return labels


def desired_policy(policy, labels):
    spec = {"PredefinedMetricType": policy["metric"]}
    if policy["metric"] == ALB_METRIC:
        spec["ResourceLabel"] = policy["resource_label"] or labels[policy["target_group_arn"]]
    request = {
        "PolicyName": policy["name"],
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingConfiguration": {
            "PredefinedMetricSpecification": spec,
            "TargetValue": float(policy["target_value"]),
            "DisableScaleIn": policy["disable_scale_in"],
        },
        "Enabled": policy["enabled"],
    }
    if policy["estimated_instance_warmup"] is not None:
        request["EstimatedInstanceWarmup"] = policy["estimated_instance_warmup"]
    return request


def policy_matches(current, wanted):
    if not current or current.get("PolicyType") != "TargetTrackingScaling":
        return False
    config = current.get("TargetTrackingConfiguration") or {}
    want = wanted["TargetTrackingConfiguration"]
    spec = config.get("PredefinedMetricSpecification") or {}
    if config.get("CustomizedMetricSpecification") or spec.get("PredefinedMetricType") != want["PredefinedMetricSpecification"]["PredefinedMetricType"]:
        return False
    if spec.get("ResourceLabel") != want["PredefinedMetricSpecification"].get("ResourceLabel"):
        return False
    if float(config.get("TargetValue", 0)) != want["TargetValue"] or bool(config.get("DisableScaleIn", False)) != want["DisableScaleIn"]:
        return False
    if current.get("Enabled", True) != wanted["Enabled"]:
        return False
    return "EstimatedInstanceWarmup" not in wanted or current.get("EstimatedInstanceWarmup") == wanted["EstimatedInstanceWarmup"]


def desired_hook(hook):
    request = {
        "LifecycleHookName": hook["name"],
        "LifecycleTransition": hook["transition"],
        "HeartbeatTimeout": hook["heartbeat_timeout"],
        "DefaultResult": hook["default_result"],
    }
    for key, option in (("NotificationTargetARN", "notification_target_arn"), ("RoleARN", "role_arn"), ("NotificationMetadata", "notification_metadata")):
        if hook[option] is not None:
            request[key] = hook[option]
    return request


def hook_matches(current, wanted):
    return bool(current) and all(current.get(k) == v for k, v in wanted.items())


def policy_view(policy):
    config = policy.get("TargetTrackingConfiguration") or {}
    spec = config.get("PredefinedMetricSpecification") or {}
    view = {
        "policy_type": policy.get("PolicyType"),
        "metric": spec.get("PredefinedMetricType"),
        "resource_label": spec.get("ResourceLabel"),
        "target_value": config.get("TargetValue"),
        "disable_scale_in": config.get("DisableScaleIn"),
        "estimated_instance_warmup": policy.get("EstimatedInstanceWarmup"),
        "enabled": policy.get("Enabled", True),
    }
    return {k: v for k, v in view.items() if v is not None}


def hook_view(hook):
    return camel_dict_to_snake_dict({k: v for k, v in hook.items() if k not in ("LifecycleHookName", "AutoScalingGroupName")})


def view(policies, hooks):
    return {
        "target_tracking_policies": {p["PolicyName"]: policy_view(p) for p in policies},
        "lifecycle_hooks": {h["LifecycleHookName"]: hook_view(h) for h in hooks},
    }


def read(client, group):
    paginator = client.get_paginator("describe_policies")
    policies = paginator.paginate(AutoScalingGroupName=group).build_full_result()["ScalingPolicies"]
    hooks = client.describe_lifecycle_hooks(AutoScalingGroupName=group, aws_retry=True)["LifecycleHooks"]
    return policies, hooks


def plan(params, current_policies, current_hooks, labels):
    """(policies to put, policy names to delete, hooks to put, hook names to delete)."""
    put_policies, delete_policies, put_hooks, delete_hooks = [], [], [], []
    if params["target_tracking_policies"] is not None:
        by_name = {p["PolicyName"]: p for p in current_policies}
        wanted = [desired_policy(p, labels) for p in params["target_tracking_policies"]]
        put_policies = [w for w in wanted if not policy_matches(by_name.get(w["PolicyName"]), w)]
        if params["purge_policies"]:
            delete_policies = sorted(set(by_name) - {w["PolicyName"] for w in wanted})
    if params["lifecycle_hooks"] is not None:
        by_name = {h["LifecycleHookName"]: h for h in current_hooks}
        wanted = [desired_hook(h) for h in params["lifecycle_hooks"]]
        put_hooks = [w for w in wanted if not hook_matches(by_name.get(w["LifecycleHookName"]), w)]
        if params["purge_lifecycle_hooks"]:
            delete_hooks = sorted(set(by_name) - {w["LifecycleHookName"] for w in wanted})
    return put_policies, delete_policies, put_hooks, delete_hooks


def planned_state(group, current_policies, current_hooks, put_policies, delete_policies, put_hooks, delete_hooks):
    policies = {p["PolicyName"]: p for p in current_policies if p["PolicyName"] not in delete_policies}
    for p in put_policies:
        policies[p["PolicyName"]] = dict(p, AutoScalingGroupName=group)
    hooks = {h["LifecycleHookName"]: h for h in current_hooks if h["LifecycleHookName"] not in delete_hooks}
    for h in put_hooks:
        hooks[h["LifecycleHookName"]] = dict(hooks.get(h["LifecycleHookName"], {}), **h, AutoScalingGroupName=group)
    return [policies[k] for k in sorted(policies)], [hooks[k] for k in sorted(hooks)]


def main():
    argument_spec = dict(
        group_name=dict(type="str", required=True),
        target_tracking_policies=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                metric=dict(
                    type="str",
                    required=True,
                    choices=["ASGAverageCPUUtilization", "ASGAverageNetworkIn", "ASGAverageNetworkOut", ALB_METRIC],
                ),
                target_value=dict(type="float", required=True),
                target_group_arn=dict(type="str"),
                resource_label=dict(type="str"),
                disable_scale_in=dict(type="bool", default=False),
                estimated_instance_warmup=dict(type="int"),
                enabled=dict(type="bool", default=True),
            ),
        ),
        lifecycle_hooks=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                transition=dict(type="str", required=True, choices=["autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING"]),
                heartbeat_timeout=dict(type="int", default=300),
                default_result=dict(type="str", choices=["CONTINUE", "ABANDON"], default="CONTINUE"),
                notification_target_arn=dict(type="str"),
                role_arn=dict(type="str"),
                notification_metadata=dict(type="str"),
            ),
        ),
        purge_policies=dict(type="bool", default=True),
        purge_lifecycle_hooks=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    params = module.params
    group = params["group_name"]
    client = retrying_client(module, "autoscaling")
    try:
        labels = resource_labels(module, params["target_tracking_policies"])
        policies, hooks = read(client, group)
        put_policies, delete_policies, put_hooks, delete_hooks = plan(params, policies, hooks, labels)
        changed = bool(put_policies or delete_policies or put_hooks or delete_hooks)
        after_policies, after_hooks = policies, hooks
        if changed and module.check_mode:
            after_policies, after_hooks = planned_state(group, policies, hooks, put_policies, delete_policies, put_hooks, delete_hooks)
        elif changed:
            for name in delete_hooks:
                client.delete_lifecycle_hook(AutoScalingGroupName=group, LifecycleHookName=name, aws_retry=True)
            for hook in put_hooks:
                client.put_lifecycle_hook(AutoScalingGroupName=group, aws_retry=True, **hook)
            for name in delete_policies:
                client.delete_policy(AutoScalingGroupName=group, PolicyName=name, aws_retry=True)
            for policy in put_policies:
                client.put_scaling_policy(AutoScalingGroupName=group, aws_retry=True, **policy)
            after_policies, after_hooks = read(client, group)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the scaling policies and lifecycle hooks of {group}")

    module.exit_json(
        changed=changed,
        scaling_policies=[camel_dict_to_snake_dict(p) for p in after_policies],
        lifecycle_hooks=[camel_dict_to_snake_dict(h) for h in after_hooks],
        diff=diff_of(view(policies, hooks), view(after_policies, after_hooks)),
    )


if __name__ == "__main__":
    main()
