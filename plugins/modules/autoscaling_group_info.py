#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: autoscaling_group_info
short_description: List Auto Scaling groups with their scaling policies and lifecycle hooks
version_added: 0.1.0
description:
  - Lists EC2 Auto Scaling groups, optionally only those with given names or tags, each with its scaling
    policies and lifecycle hooks (what M(healthplatform.aws.autoscaling_policy_set) manages) unless
    O(include_policies=false).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  names:
    description: Only these groups.
    type: list
    elements: str
    default: []
  tags:
    description: Only groups that have all these tags (with these values).
    type: dict
    default: {}
  include_policies:
    description: Also describe each group's scaling policies and lifecycle hooks (two more calls per group).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.autoscaling_group
  - module: healthplatform.aws.autoscaling_policy_set
"""

EXAMPLES = r"""
- name: The platform's groups
  healthplatform.aws.autoscaling_group_info:
    tags:
      Platform: healthplatform
      Environment: production
  register: groups

- name: Assert every group checks health through the load balancer and scales on a target
  ansible.builtin.assert:
    that:
      - item.health_check_type == 'ELB'
      - item.availability_zones | length >= 2
      - item.scaling_policies | selectattr('policy_type', 'eq', 'TargetTrackingScaling') | list | length > 0
  loop: "{{ groups.auto_scaling_groups }}"
  loop_control:
    label: "{{ item.auto_scaling_group_name }}"
"""

RETURN = r"""
auto_scaling_groups:
  description: The groups, as Auto Scaling describes them, tags as a dict.
  returned: always
  type: list
  elements: dict
  contains:
    auto_scaling_group_name:
      description: Name of the group.
      type: str
      sample: healthplatform-production-web
    availability_zones:
      description: Zones of the group.
      type: list
      elements: str
    health_check_type:
      description: C(ELB) or C(EC2).
      type: str
    launch_template:
      description: The group's launch template.
      type: dict
    tags:
      description: Tags of the group.
      type: dict
    scaling_policies:
      description: The group's scaling policies (when O(include_policies)).
      type: list
      elements: dict
      sample: [{"policy_name": "cpu", "policy_type": "TargetTrackingScaling",
                "target_tracking_configuration": {"predefined_metric_specification": {"predefined_metric_type": "ASGAverageCPUUtilization"},
                                                  "target_value": 50.0}}]
    lifecycle_hooks:
      description: The group's lifecycle hooks (when O(include_policies)).
      type: list
      elements: dict
      sample: [{"lifecycle_hook_name": "drain", "lifecycle_transition": "autoscaling:EC2_INSTANCE_TERMINATING", "heartbeat_timeout": 300}]
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags


def main():
    argument_spec = dict(
        names=dict(type="list", elements="str", default=[]),
        tags=dict(type="dict", default={}),
        include_policies=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = retrying_client(module, "autoscaling")
    request = {}
    if module.params["names"]:
        request["AutoScalingGroupNames"] = module.params["names"]
    if module.params["tags"]:
        request["Filters"] = [{"Name": f"tag:{k}", "Values": [str(v)]} for k, v in module.params["tags"].items()]
    wanted = {k: str(v) for k, v in module.params["tags"].items()}
    try:
        paginator = client.get_paginator("describe_auto_scaling_groups")
        groups = paginator.paginate(**request).build_full_result()["AutoScalingGroups"]
        result = []
        for group in groups:
            tags = {t["Key"]: t.get("Value", "") for t in group.get("Tags") or []}
            if any(tags.get(k) != v for k, v in wanted.items()):
                continue  # the filter is applied again here: not every endpoint honours tag filters
            entry = snake_with_tags(group)
            if module.params["include_policies"]:
                name = group["AutoScalingGroupName"]
                policies = client.describe_policies(AutoScalingGroupName=name, aws_retry=True)["ScalingPolicies"]
                hooks = client.describe_lifecycle_hooks(AutoScalingGroupName=name, aws_retry=True)["LifecycleHooks"]
                entry["scaling_policies"] = [camel_dict_to_snake_dict(p) for p in policies]
                entry["lifecycle_hooks"] = [camel_dict_to_snake_dict(h) for h in hooks]
            result.append(entry)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe Auto Scaling groups")
    module.exit_json(changed=False, auto_scaling_groups=result)


if __name__ == "__main__":
    main()
