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
  - M(healthplatform.aws.autoscaling_group) manages the same policies and hooks, with the same items, checks and
    purge semantics, as parts of the group in the run that creates or updates it (its O(healthplatform.aws.autoscaling_group#module:scaling_policies)
    and O(healthplatform.aws.autoscaling_group#module:lifecycle_hooks)); this module is for a group managed elsewhere.
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
          - In check mode, a target group that does not exist yet, or has no load balancer yet, is planned with a stand-in
            resource label and a warning.
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
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import LIFECYCLE_HOOK_OPTIONS
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import TARGET_TRACKING_POLICY_OPTIONS
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import PolicySet
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import hooks_view
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import policies_view
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import policy_and_hook_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import resource_labels


def view(policies, hooks):
    return {"target_tracking_policies": policies_view(policies), "lifecycle_hooks": hooks_view(hooks)}


def main():
    argument_spec = dict(
        group_name=dict(type="str", required=True),
        target_tracking_policies=dict(type="list", elements="dict", options=TARGET_TRACKING_POLICY_OPTIONS),
        lifecycle_hooks=dict(type="list", elements="dict", options=LIFECYCLE_HOOK_OPTIONS),
        purge_policies=dict(type="bool", default=True),
        purge_lifecycle_hooks=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    error = policy_and_hook_errors(params["target_tracking_policies"], params["lifecycle_hooks"], "target_tracking_policies", "lifecycle_hooks")
    if error:
        module.fail_json(msg=error)

    group = params["group_name"]
    client = retrying_client(module, "autoscaling")
    wanted = PolicySet(group, params["target_tracking_policies"], params["purge_policies"], params["lifecycle_hooks"], params["purge_lifecycle_hooks"])
    try:
        labels = resource_labels(module, lambda: retrying_client(module, "elbv2"), params["target_tracking_policies"], module.check_mode)
        policies, hooks = wanted.read(client, policies=True, hooks=True)
        changed = wanted.plan(labels)
        after_policies, after_hooks = policies, hooks
        if changed and module.check_mode:
            after_policies, after_hooks = wanted.planned()
        elif changed:
            wanted.apply_hooks(client)
            wanted.apply_policies(client)
            after_policies, after_hooks = PolicySet(group).read(client, policies=True, hooks=True)
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
