#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ebs_lifecycle_policy_info
short_description: Describe Amazon Data Lifecycle Manager (DLM) policies
version_added: 0.1.0
description:
  - Lists the region's Data Lifecycle Manager policies (GetLifecyclePolicies), optionally filtered, each with its
    full details from GetLifecyclePolicy (schedules, retention, cross-Region copies, tags).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  policy_ids:
    description: Only these policies.
    type: list
    elements: str
    default: []
  description:
    description: Only the policy with exactly this description.
    type: str
  policy_state:
    description: Only policies in this state.
    type: str
    choices: [ENABLED, DISABLED, ERROR]
  resource_types:
    description: Only policies that snapshot these resource types.
    type: list
    elements: str
    choices: [VOLUME, INSTANCE]
    default: []
  target_tags:
    description: Only policies that target resources with these tags.
    type: dict
    default: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.ebs_lifecycle_policy
"""

EXAMPLES = r"""
- name: Enabled snapshot policies for the platform's tagged volumes
  healthplatform.aws.ebs_lifecycle_policy_info:
    policy_state: ENABLED
    target_tags:
      Snapshot: daily
  register: dlm

- name: Assert a daily schedule keeps snapshots and copies them encrypted
  ansible.builtin.assert:
    that:
      - dlm.policies | length > 0
      - dlm.policies[0].policy_details.schedules[0].cross_region_copy_rules[0].encrypted
"""

RETURN = r"""
policies:
  description: The policies, as GetLifecyclePolicy describes them (snake_case), tags as a dict.
  returned: always
  type: list
  elements: dict
  sample:
    - policy_id: policy-0123456789abcdef0
      description: healthplatform prod daily EBS snapshots
      state: ENABLED
      execution_role_arn: arn:aws:iam::123456789012:role/AWSDataLifecycleManagerDefaultRole
      policy_details:
        policy_type: EBS_SNAPSHOT_MANAGEMENT
        resource_types: [VOLUME]
        target_tags: [{key: Snapshot, value: daily}]
        schedules:
          - name: daily
            create_rule: {interval: 24, interval_unit: HOURS, times: ["03:00"]}
            retain_rule: {interval: 14, interval_unit: DAYS}
      tags: {Environment: prod}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import snake_resource


def main():
    argument_spec = dict(
        policy_ids=dict(type="list", elements="str", default=[]),
        description=dict(type="str"),
        policy_state=dict(type="str", choices=["ENABLED", "DISABLED", "ERROR"]),
        resource_types=dict(type="list", elements="str", choices=["VOLUME", "INSTANCE"], default=[]),
        target_tags=dict(type="dict", default={}),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    request = {}
    if params["policy_ids"]:
        request["PolicyIds"] = params["policy_ids"]
    if params["policy_state"]:
        request["State"] = params["policy_state"]
    if params["resource_types"]:
        request["ResourceTypes"] = params["resource_types"]
    if params["target_tags"]:
        request["TargetTags"] = [f"{k}={v}" for k, v in params["target_tags"].items()]

    client = retrying_client(module, "dlm")
    policies = []
    try:
        try:
            summaries = client.get_lifecycle_policies(aws_retry=True, **request)["Policies"]
        except is_boto3_error_code("ResourceNotFoundException"):
            summaries = []  # DLM answers ResourceNotFound when no policy matches
        for summary in summaries:
            if params["description"] is not None and summary.get("Description") != params["description"]:
                continue
            policy = client.get_lifecycle_policy(PolicyId=summary["PolicyId"], aws_retry=True)["Policy"]
            policies.append(snake_resource(policy, policy.get("Tags")))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe lifecycle policies")
    module.exit_json(changed=False, policies=policies)


if __name__ == "__main__":
    main()
