#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ebs_lifecycle_policy
short_description: Manage an Amazon Data Lifecycle Manager (DLM) EBS snapshot policy
version_added: 0.1.0
description:
  - Creates, updates or deletes one Data Lifecycle Manager policy that snapshots EBS volumes (or all volumes
    of instances) carrying given tags on a schedule, keeps the snapshots for a retention period, and copies
    them, encrypted, to other regions.
  - DLM policies have no name. The policy is identified by its O(description), which the module keeps unique,
    or by O(policy_id).
  - Updates are made in place with UpdateLifecyclePolicy, sending the complete policy details; tags are
    changed with TagResource / UntagResource. Policy settings this module does not manage (fast snapshot
    restore, sharing, deprecation, archiving, scripts) are not compared, and are dropped when an update is sent.
  - Bad input (an invalid cron expression, a retention rule with both a count and an age, an encrypted
    cross-Region copy without a customer KMS key, ...) fails before any API call, naming the option, for
    example C(schedules[0].create_rule.cron_expression).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description: Whether the policy should exist.
    type: str
    choices: [present, absent]
    default: present
  description:
    description:
      - Description of the policy (letters, digits, spaces, C(_) and C(-), up to 500 characters); identifies
        the policy when O(policy_id) is not given.
      - With O(policy_id), the policy's description is set to it.
    type: str
  policy_id:
    description: ID of an existing policy (C(policy-0123456789abcdef0)), instead of finding it by O(description).
    type: str
  policy_state:
    description: Whether the policy runs.
    type: str
    choices: [ENABLED, DISABLED]
    default: ENABLED
  execution_role_arn:
    description:
      - ARN of the IAM role DLM assumes, for example the C(AWSDataLifecycleManagerDefaultRole) role. Required when O(state=present).
    type: str
  resource_types:
    description:
      - What is snapshotted. C(VOLUME) snapshots each tagged volume; C(INSTANCE) takes multi-volume snapshots of each tagged instance.
      - DLM accepts exactly one.
    type: list
    elements: str
    choices: [VOLUME, INSTANCE]
    default: [VOLUME]
  target_tags:
    description: Volumes (or instances) carrying all of these tags are snapshotted. Required when O(state=present).
    type: dict
  schedules:
    description: One to four snapshot schedules. Required when O(state=present).
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the schedule (letters, digits, spaces, C(_) and C(-)), unique in the policy.
        type: str
        required: true
      create_rule:
        description:
          - When snapshots are taken, either every O(schedules[].create_rule.interval) hours (from
            O(schedules[].create_rule.times)) or on a O(schedules[].create_rule.cron_expression). Exactly one of the two.
        type: dict
        required: true
        suboptions:
          interval:
            description: Hours between snapshots.
            type: int
            choices: [1, 2, 3, 4, 6, 8, 12, 24]
          interval_unit:
            description: Unit of O(schedules[].create_rule.interval); DLM supports only hours.
            type: str
            choices: [HOURS]
          times:
            description:
              - Start time, in UTC, as C(hh:mm) (one value). Snapshots start within the hour after it.
              - When omitted, DLM picks a time, and the time it picked is not compared.
            type: list
            elements: str
          cron_expression:
            description:
              - A schedule such as C(cron(0 5 ? * * *)) (minutes hours day-of-month month day-of-week year, UTC).
            type: str
      retain_rule:
        description: How long snapshots are kept, either the newest O(schedules[].retain_rule.count) or for an age. Exactly one of the two.
        type: dict
        required: true
        suboptions:
          count:
            description: Keep the newest this many snapshots (1 to 1000).
            type: int
          interval:
            description: Keep each snapshot for this many O(schedules[].retain_rule.interval_unit).
            type: int
          interval_unit:
            description: Unit of O(schedules[].retain_rule.interval).
            type: str
            choices: [DAYS, WEEKS, MONTHS, YEARS]
      copy_tags:
        description: Copy the source volume's tags to its snapshots.
        type: bool
        default: false
      tags_to_add:
        description: Tags added to every snapshot the schedule creates.
        type: dict
      variable_tags:
        description:
          - Tags with values DLM fills in (C($(instance-id)), C($(timestamp))). Only for O(resource_types=[INSTANCE]).
        type: dict
      cross_region_copy_rules:
        description: Copies of every snapshot to other regions (up to three).
        type: list
        elements: dict
        default: []
        suboptions:
          target_region:
            description: The region the snapshot is copied to.
            type: str
            required: true
          encrypted:
            description:
              - Encrypt the copy. When true, O(schedules[].cross_region_copy_rules[].cmk_arn) is required, since the
                platform encrypts every copy with a customer key.
            type: bool
            default: true
          cmk_arn:
            description: ARN of the customer KMS key, in the target region, that encrypts the copy.
            type: str
          copy_tags:
            description: Copy the snapshot's tags to the copy.
            type: bool
            default: false
          retain_rule:
            description: How long copies are kept in the target region (by age only). When omitted, as long as the source snapshot.
            type: dict
            suboptions:
              interval:
                description: Keep each copy for this many O(schedules[].cross_region_copy_rules[].retain_rule.interval_unit).
                type: int
              interval_unit:
                description: Unit of O(schedules[].cross_region_copy_rules[].retain_rule.interval).
                type: str
                choices: [DAYS, WEEKS, MONTHS, YEARS]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - CreateLifecyclePolicy takes no idempotency token; the module finds an existing policy by its description
    before creating one, so a re-run never creates a second policy.
seealso:
  - module: healthplatform.aws.ebs_lifecycle_policy_info
  - module: healthplatform.aws.ebs_encryption_default
"""

EXAMPLES = r"""
- name: Daily snapshots of the platform's tagged volumes, kept 14 days, with an encrypted copy in the DR region
  healthplatform.aws.ebs_lifecycle_policy:
    description: healthplatform prod daily EBS snapshots
    execution_role_arn: "arn:aws:iam::123456789012:role/AWSDataLifecycleManagerDefaultRole"
    resource_types: [VOLUME]
    target_tags:
      Snapshot: daily
    schedules:
      - name: daily
        create_rule:
          interval: 24
          interval_unit: HOURS
          times: ["03:00"]
        retain_rule:
          interval: 14
          interval_unit: DAYS
        copy_tags: true
        tags_to_add:
          CreatedBy: dlm
        cross_region_copy_rules:
          - target_region: us-west-2
            encrypted: true
            cmk_arn: "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
            copy_tags: true
            retain_rule:
              interval: 14
              interval_unit: DAYS
    tags:
      Environment: prod

- name: Weekly snapshots on Sunday night, the last 8 kept
  healthplatform.aws.ebs_lifecycle_policy:
    description: healthplatform prod weekly EBS snapshots
    execution_role_arn: "{{ dlm_role_arn }}"
    target_tags:
      Snapshot: weekly
    schedules:
      - name: weekly
        create_rule:
          cron_expression: "cron(0 2 ? * SUN *)"
        retain_rule:
          count: 8

- name: Delete the weekly policy
  healthplatform.aws.ebs_lifecycle_policy:
    description: healthplatform prod weekly EBS snapshots
    state: absent
"""

RETURN = r"""
policy:
  description: The policy as GetLifecyclePolicy describes it, with its tags (empty when O(state=absent)). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    policy_id:
      description: ID of the policy (absent in check mode before creation).
      type: str
      sample: policy-0123456789abcdef0
    policy_arn:
      description: ARN of the policy.
      type: str
    description:
      description: Description of the policy.
      type: str
      sample: healthplatform prod daily EBS snapshots
    state:
      description: C(ENABLED), C(DISABLED) or C(ERROR).
      type: str
      sample: ENABLED
    status_message:
      description: DLM's message about the policy's state.
      type: str
    execution_role_arn:
      description: The role DLM assumes.
      type: str
    policy_details:
      description: Resource types, target tags and schedules, as DLM reports them (snake_case).
      type: dict
    tags:
      description: Tags of the policy.
      type: dict
      sample: {"Environment": "prod"}
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import cron_error
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import kms_key_arn_error
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import kms_key_region
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import region_error
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import retain_rule_error
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import retain_rule_to_api
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import role_arn_error
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import snake_resource

POLICY_TYPE = "EBS_SNAPSHOT_MANAGEMENT"
DLM_TEXT = re.compile(r"^[0-9A-Za-z _-]+$")
POLICY_ID = re.compile(r"^policy-[a-f0-9]+$")
TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
MAX_SCHEDULES = 4
MAX_COPY_RULES = 3
MAX_TARGET_TAGS = 50


# --- validation -----------------------------------------------------------------------


def create_rule_error(rule, option):
    has_interval, has_cron = rule["interval"] is not None, rule["cron_expression"] is not None
    if has_interval == has_cron:
        return f"{option} needs either {option}.interval (hours, with {option}.times) or {option}.cron_expression, exactly one"
    if has_cron:
        for key in ("interval_unit", "times"):
            if rule[key]:
                return f"{option}.{key} applies only with {option}.interval, not with {option}.cron_expression"
        return cron_error(rule["cron_expression"], f"{option}.cron_expression")
    times = rule["times"] or []
    if len(times) > 1:
        return f"{option}.times takes one start time, got {len(times)}"
    for time in times:
        if not TIME.match(time):
            return f"{option}.times must be hh:mm in UTC, e.g. 03:00, got {time!r}"
    return None


def copy_rule_error(rule, option):
    problem = region_error(rule["target_region"], f"{option}.target_region")
    if problem:
        return problem
    if rule["encrypted"] and not rule["cmk_arn"]:
        return f"{option}.cmk_arn is required when {option}.encrypted is true: encrypted copies use a customer KMS key in {rule['target_region']}"
    if rule["cmk_arn"] and not rule["encrypted"]:
        return f"{option}.cmk_arn is set but {option}.encrypted is false; encrypt the copy or remove the key"
    problem = kms_key_arn_error(rule["cmk_arn"], f"{option}.cmk_arn")
    if problem:
        return problem
    key_region = kms_key_region(rule["cmk_arn"])
    if key_region and key_region != rule["target_region"]:
        return f"{option}.cmk_arn is a key in {key_region}, but the copy is made in {rule['target_region']}: use a key of the target region"
    return retain_rule_error(rule["retain_rule"], f"{option}.retain_rule", allow_count=False)


def schedule_error(schedule, option, resource_types):
    if not DLM_TEXT.match(schedule["name"]) or len(schedule["name"]) > 120:
        return f"{option}.name must be up to 120 letters, digits, spaces, '_' or '-', got {schedule['name']!r}"
    problem = create_rule_error(schedule["create_rule"], f"{option}.create_rule")
    problem = problem or retain_rule_error(schedule["retain_rule"], f"{option}.retain_rule")
    if problem:
        return problem
    if schedule["variable_tags"] and resource_types != ["INSTANCE"]:
        return f"{option}.variable_tags apply only to policies with resource_types [INSTANCE]"
    rules = schedule["cross_region_copy_rules"]
    if len(rules) > MAX_COPY_RULES:
        return f"{option}.cross_region_copy_rules takes at most {MAX_COPY_RULES} rules, got {len(rules)}"
    for index, rule in enumerate(rules):
        problem = copy_rule_error(rule, f"{option}.cross_region_copy_rules[{index}]")
        if problem:
            return problem
    return None


def validate(module):
    """Check the options that argument_spec cannot; fail before any API call."""
    p = module.params
    if p["description"] is not None and (not DLM_TEXT.match(p["description"]) or len(p["description"]) > 500):
        module.fail_json(msg=f"description must be up to 500 letters, digits, spaces, '_' or '-', got {p['description']!r}")
    if p["policy_id"] is not None and not POLICY_ID.match(p["policy_id"]):
        module.fail_json(msg=f"policy_id must look like policy-0123456789abcdef0, got {p['policy_id']!r}")
    if p["state"] == "absent":
        return
    for option in ("execution_role_arn", "target_tags", "schedules"):
        if not p[option]:
            module.fail_json(msg=f"{option} is required when state is present")
    problem = role_arn_error(p["execution_role_arn"], "execution_role_arn")
    if problem:
        module.fail_json(msg=problem)
    if len(p["resource_types"]) != 1:
        module.fail_json(msg=f"resource_types takes exactly one of VOLUME or INSTANCE, got {p['resource_types']}")
    if len(p["target_tags"]) > MAX_TARGET_TAGS:
        module.fail_json(msg=f"target_tags takes at most {MAX_TARGET_TAGS} tags")
    schedules = p["schedules"]
    if len(schedules) > MAX_SCHEDULES:
        module.fail_json(msg=f"schedules takes at most {MAX_SCHEDULES} schedules, got {len(schedules)}")
    names = [s["name"] for s in schedules]
    if len(set(names)) != len(names):
        module.fail_json(msg=f"schedules[].name must be unique in the policy, got {names}")
    for index, schedule in enumerate(schedules):
        problem = schedule_error(schedule, f"schedules[{index}]", p["resource_types"])
        if problem:
            module.fail_json(msg=problem)


# --- desired and canonical forms ---------------------------------------------------------


def desired_details(params):
    """The PolicyDetails the options describe."""
    schedules = []
    for schedule in params["schedules"]:
        rule = schedule["create_rule"]
        if rule["cron_expression"]:
            create = {"CronExpression": rule["cron_expression"]}
        else:
            create = {"Interval": rule["interval"], "IntervalUnit": rule["interval_unit"] or "HOURS"}
            if rule["times"]:
                create["Times"] = list(rule["times"])
        entry = {
            "Name": schedule["name"],
            "CreateRule": create,
            "RetainRule": retain_rule_to_api(schedule["retain_rule"]),
            "CopyTags": schedule["copy_tags"],
        }
        if schedule["tags_to_add"]:
            entry["TagsToAdd"] = ansible_dict_to_boto3_tag_list(schedule["tags_to_add"])
        if schedule["variable_tags"]:
            entry["VariableTags"] = ansible_dict_to_boto3_tag_list(schedule["variable_tags"])
        copies = []
        for copy in schedule["cross_region_copy_rules"]:
            api = {"TargetRegion": copy["target_region"], "Encrypted": copy["encrypted"], "CopyTags": copy["copy_tags"]}
            if copy["cmk_arn"]:
                api["CmkArn"] = copy["cmk_arn"]
            if copy["retain_rule"]:
                api["RetainRule"] = retain_rule_to_api(copy["retain_rule"])
            copies.append(api)
        if copies:
            entry["CrossRegionCopyRules"] = copies
        schedules.append(entry)
    return {
        "PolicyType": POLICY_TYPE,
        "ResourceTypes": list(params["resource_types"]),
        "TargetTags": ansible_dict_to_boto3_tag_list(params["target_tags"]),
        "Schedules": schedules,
    }


def _pairs(tags):
    return sorted((t.get("Key"), t.get("Value")) for t in tags or [])


def _retain(rule):
    rule = rule or {}
    return (rule.get("Count"), rule.get("Interval"), rule.get("IntervalUnit"))


def canonical_details(details):
    """The managed part of PolicyDetails, in an order-insensitive form where absent and empty are the same."""
    schedules = []
    for schedule in details.get("Schedules") or []:
        create = schedule.get("CreateRule") or {}
        copies = [
            {
                "target_region": rule.get("TargetRegion"),
                "encrypted": bool(rule.get("Encrypted")),
                "cmk_arn": rule.get("CmkArn"),
                "copy_tags": bool(rule.get("CopyTags")),
                "retain_rule": _retain(rule.get("RetainRule")),
            }
            for rule in schedule.get("CrossRegionCopyRules") or []
        ]
        schedules.append(
            {
                "name": schedule.get("Name"),
                "create_rule": {
                    "interval": create.get("Interval"),
                    "interval_unit": create.get("IntervalUnit"),
                    "times": list(create.get("Times") or []) or None,
                    "cron_expression": create.get("CronExpression"),
                },
                "retain_rule": _retain(schedule.get("RetainRule")),
                "copy_tags": bool(schedule.get("CopyTags")),
                "tags_to_add": _pairs(schedule.get("TagsToAdd")),
                "variable_tags": _pairs(schedule.get("VariableTags")),
                "cross_region_copy_rules": sorted(copies, key=lambda c: (c["target_region"] or "", c["cmk_arn"] or "")),
            }
        )
    return {
        "policy_type": details.get("PolicyType") or POLICY_TYPE,
        "resource_types": sorted(details.get("ResourceTypes") or []),
        "target_tags": _pairs(details.get("TargetTags")),
        "schedules": schedules,
    }


def details_differ(current, desired):
    have, want = canonical_details(current or {}), canonical_details(desired)
    for had, wanted in zip(have["schedules"], want["schedules"]):
        if wanted["create_rule"]["times"] is None:
            wanted["create_rule"]["times"] = had["create_rule"]["times"]  # DLM picked the time: not compared
    return have != want


# --- reading --------------------------------------------------------------------------------


def get_policy(client, policy_id):
    try:
        policy = client.get_lifecycle_policy(PolicyId=policy_id, aws_retry=True)["Policy"]
    except is_boto3_error_code("ResourceNotFoundException"):
        return None
    return policy


def find_policy(module, client):
    """The policy the options name (by policy_id, else by description), fully described, or None."""
    params = module.params
    if params["policy_id"]:
        return get_policy(client, params["policy_id"])
    try:
        summaries = client.get_lifecycle_policies(aws_retry=True)["Policies"]
    except is_boto3_error_code("ResourceNotFoundException"):
        summaries = []  # DLM answers ResourceNotFound when there is no policy at all
    matches = [s for s in summaries if s.get("Description") == params["description"]]
    if len(matches) > 1:
        ids = ", ".join(s["PolicyId"] for s in matches)
        module.fail_json(
            msg=f"{len(matches)} lifecycle policies have the description {params['description']!r} ({ids}); give policy_id or remove the extra ones"
        )
    if not matches:
        return None
    policy = get_policy(client, matches[0]["PolicyId"])
    kind = ((policy or {}).get("PolicyDetails") or {}).get("PolicyType", POLICY_TYPE)
    if kind != POLICY_TYPE:
        module.fail_json(
            msg=f"lifecycle policy {policy['PolicyId']} with the description {params['description']!r} is a {kind} policy, not an EBS snapshot policy"
        )
    return policy


# --- present / absent -----------------------------------------------------------------------------


def planned(params, existing, tags):
    policy = dict(existing or {})
    policy.update(
        {
            "Description": params["description"] or policy.get("Description"),
            "State": params["policy_state"],
            "ExecutionRoleArn": params["execution_role_arn"],
            "PolicyDetails": desired_details(params),
            "Tags": tags,
        }
    )
    return policy


def ensure_present(module, client, existing):
    params = module.params
    details = desired_details(params)
    if existing is None:
        if params["policy_id"]:
            module.fail_json(msg=f"policy_id {params['policy_id']} does not exist; omit policy_id to create a policy identified by its description")
        after = planned(params, None, dict(params["tags"] or {}))
        if module.check_mode:
            return True, {}, after
        request = {
            "ExecutionRoleArn": params["execution_role_arn"],
            "Description": params["description"],
            "State": params["policy_state"],
            "PolicyDetails": details,
        }
        if params["tags"]:
            request["Tags"] = params["tags"]
        policy_id = client.create_lifecycle_policy(aws_retry=True, **request)["PolicyId"]
        return True, {}, get_policy(client, policy_id)

    description = params["description"] or existing.get("Description")
    update_needed = (
        existing.get("State") != params["policy_state"]
        or existing.get("ExecutionRoleArn") != params["execution_role_arn"]
        or existing.get("Description") != description
        or details_differ(existing.get("PolicyDetails"), details)
    )
    current_tags = existing.get("Tags") or {}
    to_set, to_unset = tag_changes(current_tags, params["tags"], params["purge_tags"])
    changed = update_needed or bool(to_set or to_unset)
    if not changed:
        return False, existing, existing
    after = planned(params, existing, merged_tags(current_tags, params["tags"], params["purge_tags"]))
    if module.check_mode:
        return True, existing, after
    if update_needed:
        client.update_lifecycle_policy(
            PolicyId=existing["PolicyId"],
            ExecutionRoleArn=params["execution_role_arn"],
            State=params["policy_state"],
            Description=description,
            PolicyDetails=details,
            aws_retry=True,
        )
    if to_unset:
        client.untag_resource(ResourceArn=existing["PolicyArn"], TagKeys=list(to_unset), aws_retry=True)
    if to_set:
        client.tag_resource(ResourceArn=existing["PolicyArn"], Tags=to_set, aws_retry=True)
    return True, existing, get_policy(client, existing["PolicyId"])


def diff_view(policy):
    if not policy:
        return {}
    view = {
        "policy_id": policy.get("PolicyId"),
        "description": policy.get("Description"),
        "state": policy.get("State"),
        "execution_role_arn": policy.get("ExecutionRoleArn"),
        "policy_details": camel_dict_to_snake_dict(policy.get("PolicyDetails") or {}),
        "tags": policy.get("Tags") or {},
    }
    return {k: v for k, v in view.items() if v is not None}


def main():
    retain = dict(count=dict(type="int"), interval=dict(type="int"), interval_unit=dict(type="str", choices=["DAYS", "WEEKS", "MONTHS", "YEARS"]))
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        description=dict(type="str"),
        policy_id=dict(type="str"),
        policy_state=dict(type="str", choices=["ENABLED", "DISABLED"], default="ENABLED"),
        execution_role_arn=dict(type="str"),
        resource_types=dict(type="list", elements="str", choices=["VOLUME", "INSTANCE"], default=["VOLUME"]),
        target_tags=dict(type="dict"),
        schedules=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                create_rule=dict(
                    type="dict",
                    required=True,
                    options=dict(
                        interval=dict(type="int", choices=[1, 2, 3, 4, 6, 8, 12, 24]),
                        interval_unit=dict(type="str", choices=["HOURS"]),
                        times=dict(type="list", elements="str"),
                        cron_expression=dict(type="str"),
                    ),
                ),
                retain_rule=dict(type="dict", required=True, options=retain),
                copy_tags=dict(type="bool", default=False),
                tags_to_add=dict(type="dict"),
                variable_tags=dict(type="dict"),
                cross_region_copy_rules=dict(
                    type="list",
                    elements="dict",
                    default=[],
                    options=dict(
                        target_region=dict(type="str", required=True),
                        encrypted=dict(type="bool", default=True),
                        cmk_arn=dict(type="str"),
                        copy_tags=dict(type="bool", default=False),
                        retain_rule=dict(type="dict", options={k: v for k, v in retain.items() if k != "count"}),
                    ),
                ),
            ),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, required_one_of=[("description", "policy_id")], supports_check_mode=True)
    validate(module)

    client = retrying_client(module, "dlm")
    label = module.params["policy_id"] or module.params["description"]
    try:
        existing = find_policy(module, client)
        if module.params["state"] == "absent":
            changed = existing is not None
            if changed and not module.check_mode:
                client.delete_lifecycle_policy(PolicyId=existing["PolicyId"], aws_retry=True)
            module.exit_json(changed=changed, policy={}, diff=diff_of(diff_view(existing), {}))
        changed, before, after = ensure_present(module, client, existing)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the lifecycle policy {label}")

    module.exit_json(changed=changed, policy=snake_resource(after, after.get("Tags")), diff=diff_of(diff_view(before), diff_view(after)))


if __name__ == "__main__":
    main()
