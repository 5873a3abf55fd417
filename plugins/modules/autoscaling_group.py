#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: autoscaling_group
short_description: Manage an EC2 Auto Scaling group that launches from a launch template, with rolling instance refreshes
version_added: 0.1.0
description:
  - Creates, updates or deletes one Auto Scaling group, identified by O(name), that launches from a launch
    template into the given subnets, is attached to load balancer target groups, checks instance health
    through the load balancer, and collects group metrics.
  - The group is read once and only what differs is changed; a run that finds the group as described makes
    no change and no mutating API call.
  - When the launch template (or its version) differs and the group has instances, the module starts an
    instance refresh with O(instance_refresh) preferences (rolling replacement that keeps a minimum healthy
    percentage, skips instances that already match, rolls back automatically on failure), whose desired
    configuration is the new launch template; the refresh moves the group to it. While that refresh runs,
    further runs report no change. Without O(instance_refresh), or when the group has no instances, the
    group is pointed at the new template directly and only new instances use it.
  - The subnets must span at least O(min_availability_zones) availability zones; this is checked (by reading
    the subnets) before any change.
  - O(desired_capacity) is used when the group is created; afterwards scaling policies own it (AWS keeps it
    between O(min_size) and O(max_size)).
  - Options that are not given (O(target_group_arns), O(enabled_metrics), O(default_instance_warmup)) are not
    compared, so a run without the load balancer tier never detaches the group from its target groups.
  - The group's target tracking scaling policies (O(scaling_policies)) and lifecycle hooks (O(lifecycle_hooks))
    can be managed as parts of the group, in the same run, with the same items and purge semantics as
    M(healthplatform.aws.autoscaling_policy_set) (which shares this code). They are read once (one call each,
    none for a group still to be created) and only what differs is put or deleted. Lifecycle hooks are changed
    before the group's own changes (a new termination hook holds the instances a refresh replaces), scaling
    policies after them (the target groups they count are attached first). Omitted lists are left alone.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description: Whether the group should exist.
    type: str
    choices: [present, absent]
    default: present
  name:
    description: Name of the Auto Scaling group.
    type: str
    required: true
  launch_template:
    description: The launch template the group launches from. Required when O(state=present).
    type: dict
    suboptions:
      id:
        description: ID of the launch template (or give O(launch_template.name)).
        type: str
      name:
        description: Name of the launch template (or give O(launch_template.id)).
        type: str
      version:
        description:
          - Version to launch. A version number (for example the C(launch_template.default_version_number) that
            M(healthplatform.aws.launch_template) returns) lets the group notice a new version and roll its instances,
            and is required for O(instance_refresh.auto_rollback).
          - C($Default) or C($Latest) follow the template without the group changing.
        type: str
        default: $Default
  subnet_ids:
    description: Subnets the group launches into (one per availability zone). Required when O(state=present).
    type: list
    elements: str
  min_availability_zones:
    description: Fewest availability zones the subnets must span.
    type: int
    default: 2
  min_size:
    description: Fewest instances. Required when O(state=present).
    type: int
  max_size:
    description: Most instances. Required when O(state=present).
    type: int
  desired_capacity:
    description: Instances to start with (defaults to O(min_size)). Used at creation only.
    type: int
  health_check_type:
    description: C(ELB) replaces instances the load balancer finds unhealthy; C(EC2) only those EC2 finds impaired.
    type: str
    choices: [ELB, EC2]
    default: ELB
  health_check_grace_period:
    description: Seconds after launch before health checks count.
    type: int
    default: 300
  default_instance_warmup:
    description: Seconds a new instance needs before its metrics count for scaling. Not compared when omitted.
    type: int
  target_group_arns:
    description:
      - Load balancer target groups the group registers its instances with; others are detached.
      - Not compared when omitted.
    type: list
    elements: str
  enabled_metrics:
    description:
      - Group metrics collected at one-minute granularity (for example C(GroupInServiceInstances)); others are disabled.
      - Not compared when omitted.
    type: list
    elements: str
  tags:
    description: Tags of the group. With O(propagate_at_launch), the group also puts them on every instance it launches.
    type: dict
    aliases: [resource_tags]
  propagate_at_launch:
    description: Whether the group puts its tags on the instances it launches.
    type: bool
    default: true
  purge_tags:
    description: Remove tags not named in O(tags). Ignored when O(tags) is omitted.
    type: bool
    default: true
  instance_refresh:
    description:
      - Preferences of the instance refresh started when the launch template changes on a group that has instances.
      - Omit to point the group at a new template without replacing running instances.
    type: dict
    suboptions:
      min_healthy_percentage:
        description: Percentage of the desired capacity that stays in service during the refresh.
        type: int
        default: 90
      max_healthy_percentage:
        description: Percentage of the desired capacity the group may grow to during the refresh (100-200). AWS decides when omitted.
        type: int
      instance_warmup:
        description: Seconds until a new instance counts as healthy. The group's default warmup when omitted.
        type: int
      skip_matching:
        description: Leave instances that already run the desired configuration.
        type: bool
        default: true
      auto_rollback:
        description: Roll back to the previous configuration if the refresh fails. Needs a numbered O(launch_template.version).
        type: bool
        default: true
      checkpoint_percentages:
        description: Percentages of replaced instances at which the refresh pauses for O(instance_refresh.checkpoint_delay).
        type: list
        elements: int
      checkpoint_delay:
        description: Seconds to wait at each checkpoint.
        type: int
      scale_in_protected_instances:
        description: What the refresh does with instances protected from scale in.
        type: str
        choices: [Refresh, Ignore, Wait]
      standby_instances:
        description: What the refresh does with instances in standby.
        type: str
        choices: [Terminate, Ignore, Wait]
  force_delete:
    description: With O(state=absent), delete the group even if it has instances (they are terminated).
    type: bool
    default: false
  scaling_policies:
    description:
      - Target tracking scaling policies of the group (items as O(healthplatform.aws.autoscaling_policy_set#module:target_tracking_policies)).
      - Policies that are missing are created and those that differ are updated; with O(purge_scaling_policies), the
        group's policies that are not listed are deleted, whatever their type (V([]) removes them all).
      - Not read, compared or changed when omitted (the default).
      - For C(ALBRequestCountPerTarget), the target group's load balancer is read (one call) before any change;
        a target group without a load balancer fails the module. In check mode, a target group that does not
        exist yet, or has no load balancer yet, is planned with a stand-in resource label and a warning.
      - Ignored when O(state=absent) (AWS deletes the policies with the group).
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the policy.
        type: str
        required: true
      metric:
        description: The predefined metric to keep at O(scaling_policies[].target_value).
        type: str
        required: true
        choices: [ASGAverageCPUUtilization, ASGAverageNetworkIn, ASGAverageNetworkOut, ALBRequestCountPerTarget]
      target_value:
        description: The value to keep the metric at (percent for CPU, requests per target per minute, bytes for network); above 0.
        type: float
        required: true
      target_group_arn:
        description:
          - For C(ALBRequestCountPerTarget), the target group whose requests are counted; it must be attached to a load balancer.
          - Give this or O(scaling_policies[].resource_label).
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
  purge_scaling_policies:
    description:
      - Delete the group's scaling policies (of any type) that O(scaling_policies) does not list.
      - Ignored when O(scaling_policies) is omitted.
    type: bool
    default: true
  lifecycle_hooks:
    description:
      - Lifecycle hooks of the group (items as O(healthplatform.aws.autoscaling_policy_set#module:lifecycle_hooks)).
      - Hooks that are missing are created and those that differ are updated; with O(purge_lifecycle_hooks), the
        group's hooks that are not listed are deleted (V([]) removes them all).
      - Not read, compared or changed when omitted (the default).
      - On a new group the hooks are put right after the group is created, so a launch hook may miss the first instances.
      - Ignored when O(state=absent) (AWS deletes the hooks with the group).
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
  purge_lifecycle_hooks:
    description:
      - Delete the group's lifecycle hooks that O(lifecycle_hooks) does not list.
      - Ignored when O(lifecycle_hooks) is omitted.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - The module never waits for instances; use the M(healthplatform.aws.autoscaling_group_info) module or the
    target group's health to follow a rollout.
  - Tags are given as a plain dictionary; all of them are propagated at launch or none (O(propagate_at_launch)).
  - Something must complete the lifecycle action of a held instance; otherwise it goes on after
    O(lifecycle_hooks[].heartbeat_timeout).
seealso:
  - module: healthplatform.aws.autoscaling_group_info
  - module: healthplatform.aws.launch_template
  - module: healthplatform.aws.autoscaling_policy_set
"""

EXAMPLES = r"""
- name: Web tier in the app subnets of three zones, behind the load balancer
  healthplatform.aws.autoscaling_group:
    name: healthplatform-production-web
    launch_template:
      id: "{{ web_template.launch_template.launch_template_id }}"
      version: "{{ web_template.launch_template.default_version_number }}"
    subnet_ids: "{{ network_subnet_ids.app }}"
    min_size: 2
    max_size: 6
    desired_capacity: 2
    health_check_type: ELB
    health_check_grace_period: 300
    default_instance_warmup: 120
    target_group_arns: ["{{ edge_target_group_arn }}"]
    enabled_metrics: [GroupInServiceInstances, GroupDesiredCapacity, GroupTotalInstances]
    instance_refresh:
      min_healthy_percentage: 90
      instance_warmup: 120
      skip_matching: true
      auto_rollback: true
    tags:
      Role: web
      PatchGroup: web-al2023
      Environment: production
    # the group's policies and hooks in the same run; others are deleted (purge_scaling_policies, purge_lifecycle_hooks)
    scaling_policies:
      - name: target-cpu
        metric: ASGAverageCPUUtilization
        target_value: 50
        estimated_instance_warmup: 120
      - name: target-requests-per-instance
        metric: ALBRequestCountPerTarget
        target_value: 1000
        target_group_arn: "{{ edge_target_group_arn }}"
    lifecycle_hooks:
      - name: graceful-termination
        transition: autoscaling:EC2_INSTANCE_TERMINATING
        heartbeat_timeout: 300
        default_result: CONTINUE

- name: Remove a group and its instances
  healthplatform.aws.autoscaling_group:
    name: healthplatform-staging-web
    state: absent
    force_delete: true
"""

RETURN = r"""
auto_scaling_group:
  description: The group as Auto Scaling describes it, tags as a dict (empty when O(state=absent)). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    auto_scaling_group_name:
      description: Name of the group.
      type: str
      sample: healthplatform-production-web
    auto_scaling_group_arn:
      description: ARN of the group (absent in check mode before creation).
      type: str
    launch_template:
      description: The launch template the group launches from.
      type: dict
      sample: {"launch_template_id": "lt-0123456789abcdef0", "launch_template_name": "healthplatform-production-web", "version": "3"}
    availability_zones:
      description: Zones of the group.
      type: list
      elements: str
      sample: [us-east-1a, us-east-1b]
    vpc_zone_identifier:
      description: The subnets, comma-separated.
      type: str
    health_check_type:
      description: C(ELB) or C(EC2).
      type: str
      sample: ELB
    target_group_arns:
      description: Attached target groups.
      type: list
      elements: str
    instances:
      description: The group's instances.
      type: list
      elements: dict
    enabled_metrics:
      description: Collected group metrics.
      type: list
      elements: dict
    tags:
      description: Tags of the group.
      type: dict
      sample: {"Role": "web"}
instance_refresh:
  description: The instance refresh this run started, or the one already rolling the group to the desired template; empty otherwise.
  returned: always
  type: dict
  sample: {"instance_refresh_id": "08b91cf7-8fa6-48af-b6a6-d227f40f1b9b", "status": "Pending"}
scaling_policies:
  description: The group's scaling policies as Auto Scaling describes them. In check mode, what they would be.
  returned: when O(scaling_policies) is given and O(state=present)
  type: list
  elements: dict
  sample:
    - policy_name: target-cpu
      policy_type: TargetTrackingScaling
      target_tracking_configuration:
        predefined_metric_specification: {predefined_metric_type: ASGAverageCPUUtilization}
        target_value: 50.0
        disable_scale_in: false
lifecycle_hooks:
  description: The group's lifecycle hooks as Auto Scaling describes them. In check mode, what they would be.
  returned: when O(lifecycle_hooks) is given and O(state=present)
  type: list
  elements: dict
  sample:
    - lifecycle_hook_name: graceful-termination
      lifecycle_transition: autoscaling:EC2_INSTANCE_TERMINATING
      heartbeat_timeout: 300
      default_result: CONTINUE
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import ACTIVE_REFRESH_STATES
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import GROUP_METRICS
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import LIFECYCLE_HOOK_OPTIONS
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import TARGET_GROUP_ARN
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import TARGET_TRACKING_POLICY_OPTIONS
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import PolicySet
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import asg_tag_list
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import asg_tags_dict
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import hooks_view
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import policies_view
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import policy_and_hook_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import resource_labels

SUBNET_ID = re.compile(r"^subnet-[0-9a-f]{8,17}$")
TEMPLATE_ID = re.compile(r"^lt-[0-9a-f]{8,17}$")
VERSION = re.compile(r"^(\$Default|\$Latest|[1-9][0-9]*)$")


def validate(module):
    """Check what argument_spec cannot; fail before any API call."""
    p = module.params
    error = policy_and_hook_errors(p["scaling_policies"], p["lifecycle_hooks"], "scaling_policies", "lifecycle_hooks")
    if error:
        module.fail_json(msg=error)
    if p["state"] == "absent":
        return
    for option in ("launch_template", "subnet_ids", "min_size", "max_size"):
        if p[option] is None:
            module.fail_json(msg=f"{option} is required when state is present")
    template = p["launch_template"]
    if bool(template["id"]) == bool(template["name"]):
        module.fail_json(msg="launch_template needs exactly one of launch_template.id and launch_template.name")
    if template["id"] and not TEMPLATE_ID.match(template["id"]):
        module.fail_json(msg=f"launch_template.id must be a launch template ID (lt-...), got {template['id']!r}")
    if not VERSION.match(str(template["version"])):
        module.fail_json(msg=f"launch_template.version must be a version number, $Default or $Latest, got {template['version']!r}")
    if not p["subnet_ids"]:
        module.fail_json(msg="subnet_ids must name at least one subnet")
    bad = [s for s in p["subnet_ids"] if not SUBNET_ID.match(s)]
    if bad:
        module.fail_json(msg=f"subnet_ids must hold subnet IDs (subnet-...), got {bad}")
    if len(set(p["subnet_ids"])) < p["min_availability_zones"]:
        module.fail_json(
            msg=f"subnet_ids names {len(set(p['subnet_ids']))} subnet(s); the group must span min_availability_zones={p['min_availability_zones']} zones"
        )
    if p["min_size"] < 0 or p["max_size"] < 0:
        module.fail_json(msg="min_size and max_size must not be negative")
    if p["min_size"] > p["max_size"]:
        module.fail_json(msg=f"min_size ({p['min_size']}) is above max_size ({p['max_size']})")
    desired = p["desired_capacity"]
    if desired is not None and not p["min_size"] <= desired <= p["max_size"]:
        module.fail_json(msg=f"desired_capacity ({desired}) must lie between min_size ({p['min_size']}) and max_size ({p['max_size']})")
    if p["health_check_grace_period"] < 0:
        module.fail_json(msg="health_check_grace_period must not be negative")
    bad = [a for a in p["target_group_arns"] or [] if not TARGET_GROUP_ARN.match(a)]
    if bad:
        module.fail_json(msg=f"target_group_arns must hold target group ARNs, got {bad}")
    bad = [m for m in p["enabled_metrics"] or [] if m not in GROUP_METRICS]
    if bad:
        module.fail_json(msg=f"enabled_metrics: unknown metric(s) {bad}; known: {', '.join(GROUP_METRICS)}")
    refresh = p["instance_refresh"]
    if refresh:
        if not 0 <= refresh["min_healthy_percentage"] <= 100:
            module.fail_json(msg="instance_refresh.min_healthy_percentage must be between 0 and 100")
        high = refresh["max_healthy_percentage"]
        if high is not None and not (100 <= high <= 200 and high - refresh["min_healthy_percentage"] <= 100):
            module.fail_json(msg="instance_refresh.max_healthy_percentage must be between 100 and 200 and at most 100 above min_healthy_percentage")
        points = refresh["checkpoint_percentages"]
        if points and (points != sorted(set(points)) or points[0] < 1 or points[-1] > 100):
            module.fail_json(msg="instance_refresh.checkpoint_percentages must be ascending, distinct, between 1 and 100")
        if refresh["auto_rollback"] and not str(template["version"]).isdigit():
            module.fail_json(
                msg=(
                    "instance_refresh.auto_rollback needs a numbered launch_template.version "
                    f"(AWS cannot roll back to {template['version']}); give the version number or set auto_rollback false"
                )
            )


def describe_group(client, name):
    groups = client.describe_auto_scaling_groups(AutoScalingGroupNames=[name], aws_retry=True)["AutoScalingGroups"]
    return groups[0] if groups else None


def check_zones(module, subnet_ids):
    """Read the subnets; fail unless they span min_availability_zones zones (before any change)."""
    ec2 = retrying_client(module, "ec2")
    subnets = ec2.describe_subnets(SubnetIds=list(subnet_ids), aws_retry=True)["Subnets"]
    zones = sorted({s["AvailabilityZone"] for s in subnets})
    wanted = module.params["min_availability_zones"]
    if len(zones) < wanted:
        module.fail_json(
            msg=f"subnet_ids span {len(zones)} availability zone(s) ({', '.join(zones)}); the group must span min_availability_zones={wanted}",
            availability_zones=zones,
        )
    return zones


def template_spec(params):
    template = params["launch_template"]
    spec = {"LaunchTemplateId": template["id"]} if template["id"] else {"LaunchTemplateName": template["name"]}
    spec["Version"] = str(template["version"])
    return spec


def same_template(current, wanted):
    """Whether a group's (or a refresh's) launch template is the wanted one."""
    if not current:
        return False
    key = "LaunchTemplateId" if "LaunchTemplateId" in wanted else "LaunchTemplateName"
    return current.get(key) == wanted[key] and str(current.get("Version")) == wanted["Version"]


def wanted_tags(params):
    return {k: {"value": str(v), "propagate_at_launch": params["propagate_at_launch"]} for k, v in (params["tags"] or {}).items()}


def settings_changes(params, group):
    """UpdateAutoScalingGroup fields that differ (without the launch template)."""
    changes = {}
    for key, option in (
        ("MinSize", "min_size"),
        ("MaxSize", "max_size"),
        ("HealthCheckType", "health_check_type"),
        ("HealthCheckGracePeriod", "health_check_grace_period"),
        ("DefaultInstanceWarmup", "default_instance_warmup"),
    ):
        if params[option] is not None and group.get(key) != params[option]:
            changes[key] = params[option]
    current_subnets = {s for s in (group.get("VPCZoneIdentifier") or "").split(",") if s}
    if current_subnets != set(params["subnet_ids"]):
        changes["VPCZoneIdentifier"] = ",".join(params["subnet_ids"])
    return changes


def refresh_preferences(refresh):
    prefs = {
        "MinHealthyPercentage": refresh["min_healthy_percentage"],
        "SkipMatching": refresh["skip_matching"],
        "AutoRollback": refresh["auto_rollback"],
    }
    for key, option in (
        ("MaxHealthyPercentage", "max_healthy_percentage"),
        ("InstanceWarmup", "instance_warmup"),
        ("CheckpointPercentages", "checkpoint_percentages"),
        ("CheckpointDelay", "checkpoint_delay"),
        ("ScaleInProtectedInstances", "scale_in_protected_instances"),
        ("StandbyInstances", "standby_instances"),
    ):
        if refresh[option] is not None:
            prefs[key] = refresh[option]
    return prefs


def active_refresh(client, name):
    refreshes = client.describe_instance_refreshes(AutoScalingGroupName=name, aws_retry=True)["InstanceRefreshes"]
    for refresh in refreshes:
        if refresh.get("Status") in ACTIVE_REFRESH_STATES:
            return refresh
    return None


def group_view(group):
    """What a reader compares in a diff."""
    if not group:
        return {}
    template = group.get("LaunchTemplate") or {}
    return {
        "launch_template": {k: v for k, v in camel_dict_to_snake_dict(template).items() if v},
        "min_size": group.get("MinSize"),
        "max_size": group.get("MaxSize"),
        "desired_capacity": group.get("DesiredCapacity"),
        "health_check_type": group.get("HealthCheckType"),
        "health_check_grace_period": group.get("HealthCheckGracePeriod"),
        "default_instance_warmup": group.get("DefaultInstanceWarmup"),
        "subnet_ids": sorted(s for s in (group.get("VPCZoneIdentifier") or "").split(",") if s),
        "target_group_arns": sorted(group.get("TargetGroupARNs") or []),
        "enabled_metrics": sorted(m["Metric"] for m in group.get("EnabledMetrics") or []),
        "tags": {k: v["value"] for k, v in asg_tags_dict(group.get("Tags")).items()},
        "tags_propagated_at_launch": sorted(k for k, v in asg_tags_dict(group.get("Tags")).items() if v["propagate_at_launch"]),
    }


def planned_group(params, group=None):
    """The group as it will be described after the changes (check mode and diff)."""
    planned = dict(group or {"AutoScalingGroupName": params["name"], "Instances": [], "DesiredCapacity": params["desired_capacity"]})
    if group is None and planned["DesiredCapacity"] is None:
        planned["DesiredCapacity"] = params["min_size"]
    planned.update(
        {
            "LaunchTemplate": template_spec(params),
            "MinSize": params["min_size"],
            "MaxSize": params["max_size"],
            "HealthCheckType": params["health_check_type"],
            "HealthCheckGracePeriod": params["health_check_grace_period"],
            "VPCZoneIdentifier": ",".join(params["subnet_ids"]),
        }
    )
    if group is not None:
        planned["DesiredCapacity"] = min(max(group.get("DesiredCapacity", 0), params["min_size"]), params["max_size"])
    if params["default_instance_warmup"] is not None:
        planned["DefaultInstanceWarmup"] = params["default_instance_warmup"]
    if params["target_group_arns"] is not None:
        planned["TargetGroupARNs"] = list(params["target_group_arns"])
    if params["enabled_metrics"] is not None:
        planned["EnabledMetrics"] = [{"Metric": m, "Granularity": "1Minute"} for m in params["enabled_metrics"]]
    if params["tags"] is not None:
        current = asg_tags_dict((group or {}).get("Tags"))
        tags = wanted_tags(params) if params["purge_tags"] else dict(current, **wanted_tags(params))
        planned["Tags"] = asg_tag_list(params["name"], tags)
    return planned


def create_group(module, client):
    params = module.params
    check_zones(module, params["subnet_ids"])
    if module.check_mode:
        return planned_group(params)
    request = {
        "AutoScalingGroupName": params["name"],
        "LaunchTemplate": template_spec(params),
        "MinSize": params["min_size"],
        "MaxSize": params["max_size"],
        "DesiredCapacity": params["desired_capacity"] if params["desired_capacity"] is not None else params["min_size"],
        "VPCZoneIdentifier": ",".join(params["subnet_ids"]),
        "HealthCheckType": params["health_check_type"],
        "HealthCheckGracePeriod": params["health_check_grace_period"],
    }
    if params["default_instance_warmup"] is not None:
        request["DefaultInstanceWarmup"] = params["default_instance_warmup"]
    if params["target_group_arns"]:
        request["TargetGroupARNs"] = list(params["target_group_arns"])
    if params["tags"]:
        request["Tags"] = asg_tag_list(params["name"], wanted_tags(params))
    client.create_auto_scaling_group(aws_retry=True, **request)
    if params["enabled_metrics"]:
        client.enable_metrics_collection(AutoScalingGroupName=params["name"], Metrics=list(params["enabled_metrics"]), Granularity="1Minute", aws_retry=True)
    return describe_group(client, params["name"])


def update_group(module, client, group, before_changes=None):
    """Apply what differs. Returns (changed, group after, refresh).

    ``before_changes`` is called once the checks passed, right before the first change of the group
    (the lifecycle hooks go first, so that a new termination hook holds the instances a refresh replaces).
    """
    params = module.params
    name = params["name"]
    check = module.check_mode
    changed = False
    refresh = {}

    changes = settings_changes(params, group)
    if "VPCZoneIdentifier" in changes:
        check_zones(module, params["subnet_ids"])

    wanted_template = template_spec(params)
    start_refresh = False
    if not same_template(group.get("LaunchTemplate"), wanted_template):
        if params["instance_refresh"] and group.get("Instances"):
            running = active_refresh(client, name)
            if running and same_template((running.get("DesiredConfiguration") or {}).get("LaunchTemplate"), wanted_template):
                refresh = running  # already rolling the group to this template: nothing to do
            elif running:
                module.fail_json(
                    msg=(
                        f"instance refresh {running['InstanceRefreshId']} ({running['Status']}) is rolling {name} to another launch template; "
                        "wait for it to end (or cancel it) and run again"
                    ),
                    instance_refresh=camel_dict_to_snake_dict(running),
                )
            else:
                start_refresh = True
        else:
            changes["LaunchTemplate"] = wanted_template

    target_groups = params["target_group_arns"]
    attach = detach = []
    if target_groups is not None:
        current = set(group.get("TargetGroupARNs") or [])
        attach = sorted(set(target_groups) - current)
        detach = sorted(current - set(target_groups))

    metrics = params["enabled_metrics"]
    enable = disable = []
    if metrics is not None:
        current = {m["Metric"] for m in group.get("EnabledMetrics") or []}
        enable = sorted(set(metrics) - current)
        disable = sorted(current - set(metrics))

    tags_to_set, tags_to_unset = {}, []
    if params["tags"] is not None:
        current = asg_tags_dict(group.get("Tags"))
        wanted = wanted_tags(params)
        tags_to_set = {k: v for k, v in wanted.items() if current.get(k) != v}
        if params["purge_tags"]:
            tags_to_unset = sorted(set(current) - set(wanted))

    changed = bool(changes or start_refresh or attach or detach or enable or disable or tags_to_set or tags_to_unset)
    if check or not changed:
        after = planned_group(params, group) if changed else group
        if start_refresh:
            after["LaunchTemplate"] = group.get("LaunchTemplate")  # the refresh moves the group when it succeeds
            refresh = {"Status": "Pending", "DesiredConfiguration": {"LaunchTemplate": wanted_template}}
        return changed, after, refresh

    if before_changes:
        before_changes()
    if changes:
        client.update_auto_scaling_group(AutoScalingGroupName=name, aws_retry=True, **changes)
    if attach:
        client.attach_load_balancer_target_groups(AutoScalingGroupName=name, TargetGroupARNs=attach, aws_retry=True)
    if detach:
        client.detach_load_balancer_target_groups(AutoScalingGroupName=name, TargetGroupARNs=detach, aws_retry=True)
    if enable:
        client.enable_metrics_collection(AutoScalingGroupName=name, Metrics=enable, Granularity="1Minute", aws_retry=True)
    if disable:
        client.disable_metrics_collection(AutoScalingGroupName=name, Metrics=disable, aws_retry=True)
    if tags_to_unset:
        client.delete_tags(Tags=[{"ResourceId": name, "ResourceType": "auto-scaling-group", "Key": k} for k in tags_to_unset], aws_retry=True)
    if tags_to_set:
        client.create_or_update_tags(Tags=asg_tag_list(name, tags_to_set), aws_retry=True)
    if start_refresh:
        response = client.start_instance_refresh(
            AutoScalingGroupName=name,
            Strategy="Rolling",
            DesiredConfiguration={"LaunchTemplate": wanted_template},
            Preferences=refresh_preferences(params["instance_refresh"]),
            aws_retry=True,
        )
        refresh = {"InstanceRefreshId": response["InstanceRefreshId"], "Status": "Pending", "DesiredConfiguration": {"LaunchTemplate": wanted_template}}
    return True, describe_group(client, name), refresh


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        name=dict(type="str", required=True),
        launch_template=dict(
            type="dict",
            options=dict(
                id=dict(type="str"),
                name=dict(type="str"),
                version=dict(type="str", default="$Default"),
            ),
        ),
        subnet_ids=dict(type="list", elements="str"),
        min_availability_zones=dict(type="int", default=2),
        min_size=dict(type="int"),
        max_size=dict(type="int"),
        desired_capacity=dict(type="int"),
        health_check_type=dict(type="str", choices=["ELB", "EC2"], default="ELB"),
        health_check_grace_period=dict(type="int", default=300),
        default_instance_warmup=dict(type="int"),
        target_group_arns=dict(type="list", elements="str"),
        enabled_metrics=dict(type="list", elements="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        propagate_at_launch=dict(type="bool", default=True),
        purge_tags=dict(type="bool", default=True),
        instance_refresh=dict(
            type="dict",
            options=dict(
                min_healthy_percentage=dict(type="int", default=90),
                max_healthy_percentage=dict(type="int"),
                instance_warmup=dict(type="int"),
                skip_matching=dict(type="bool", default=True),
                auto_rollback=dict(type="bool", default=True),
                checkpoint_percentages=dict(type="list", elements="int"),
                checkpoint_delay=dict(type="int"),
                scale_in_protected_instances=dict(type="str", choices=["Refresh", "Ignore", "Wait"]),
                standby_instances=dict(type="str", choices=["Terminate", "Ignore", "Wait"]),
            ),
        ),
        force_delete=dict(type="bool", default=False),
        scaling_policies=dict(type="list", elements="dict", options=TARGET_TRACKING_POLICY_OPTIONS),
        purge_scaling_policies=dict(type="bool", default=True),
        lifecycle_hooks=dict(type="list", elements="dict", options=LIFECYCLE_HOOK_OPTIONS),
        purge_lifecycle_hooks=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    params = module.params
    client = retrying_client(module, "autoscaling")
    name = params["name"]
    refresh = {}
    parts = PolicySet(name, params["scaling_policies"], params["purge_scaling_policies"], params["lifecycle_hooks"], params["purge_lifecycle_hooks"])
    try:
        group = describe_group(client, name)
        if params["state"] == "absent":
            changed = group is not None
            if changed and not module.check_mode:
                client.delete_auto_scaling_group(AutoScalingGroupName=name, ForceDelete=params["force_delete"], aws_retry=True)
            module.exit_json(changed=changed, auto_scaling_group={}, instance_refresh={}, diff=diff_of(group_view(group), {}))
        # the load balancers of the request count policies' target groups, before any change
        labels = resource_labels(module, lambda: retrying_client(module, "elbv2"), params["scaling_policies"], module.check_mode)
        if group is None:
            # a new group has no policies or hooks: nothing to read (no call on a group that is not there)
            changed, after = True, create_group(module, client)
            parts.plan(labels)
        else:
            parts.read(client)
            parts.plan(labels)
            changed, after, refresh = update_group(module, client, group, before_changes=lambda: parts.apply_hooks(client))
            changed = changed or parts.changed
        after_policies, after_hooks = parts.current_policies, parts.current_hooks
        if parts.changed and module.check_mode:
            after_policies, after_hooks = parts.planned()
        elif parts.changed:
            parts.apply_hooks(client)
            parts.apply_policies(client)
            after_policies, after_hooks = PolicySet(name).read(client, policies=parts.manages_policies, hooks=parts.manages_hooks)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the Auto Scaling group {name}")

    before_view, after_view = group_view(group), group_view(after)
    result = {}
    if parts.manages_policies:
        result["scaling_policies"] = [camel_dict_to_snake_dict(p) for p in after_policies]
        after_view["scaling_policies"] = policies_view(after_policies)
        if group:
            before_view["scaling_policies"] = policies_view(parts.current_policies)
    if parts.manages_hooks:
        result["lifecycle_hooks"] = [camel_dict_to_snake_dict(h) for h in after_hooks]
        after_view["lifecycle_hooks"] = hooks_view(after_hooks)
        if group:
            before_view["lifecycle_hooks"] = hooks_view(parts.current_hooks)
    module.exit_json(
        changed=changed,
        auto_scaling_group=snake_with_tags(after),
        instance_refresh=camel_dict_to_snake_dict(refresh) if refresh else {},
        diff=diff_of(before_view, after_view),
        **result,
    )


if __name__ == "__main__":
    main()
