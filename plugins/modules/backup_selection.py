#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: backup_selection
short_description: Manage an AWS Backup selection (the resources a backup plan protects)
version_added: 0.1.0
description:
  - Creates, replaces or deletes one resource selection of an AWS Backup plan, identified by its name (O(name))
    within the plan (O(backup_plan_id) or O(backup_plan_name)).
  - Resources are selected by ARN or ARN wildcard (O(resources), minus O(not_resources)) and by tag
    (O(list_of_tags), where a resource matching any one is selected, and O(conditions), which resources must all match).
  - AWS cannot update a selection. When the role, resources or tag conditions differ, the module deletes the
    selection and creates it again, and reports it in RV(replaced). The plan keeps running; a backup job that
    starts in the fraction of a second between the two calls would not include these resources.
  - A selection is fully described by its options. An option that is not given means an empty list, so a
    run with fewer resources or conditions replaces the selection.
  - Bad input (a name AWS refuses, a role that is not an IAM role ARN, a resource that is not an ARN, no
    resources and no tags) fails before any API call is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description: Whether the selection should exist.
    type: str
    choices: [present, absent]
    default: present
  name:
    description: Name of the selection, 1 to 50 letters, digits, C(-), C(_) or C(.), unique within the plan.
    type: str
    required: true
    aliases: [selection_name]
  backup_plan_id:
    description: ID of the backup plan. Exactly one of O(backup_plan_id) and O(backup_plan_name) is required.
    type: str
  backup_plan_name:
    description: Name of the backup plan, looked up with ListBackupPlans.
    type: str
  iam_role_arn:
    description: ARN of the IAM role AWS Backup assumes to back up the selected resources. Required when O(state=present).
    type: str
  resources:
    description:
      - ARNs of the resources to back up, with C(*) wildcards, for example C(arn:aws:rds:*:*:db:*) (all RDS
        instances) or C(arn:aws:ec2:*:*:volume/*) (all EBS volumes), or C(*) for all supported resources.
      - Combined with O(conditions), only resources that match both are selected.
    type: list
    elements: str
    default: []
  not_resources:
    description: ARNs (with wildcards) of resources to leave out of the selection.
    type: list
    elements: str
    default: []
  list_of_tags:
    description: Tag conditions; a resource that matches any of them is selected (OR).
    type: list
    elements: dict
    default: []
    suboptions:
      condition_type:
        description: How the tag is matched. AWS supports only C(STRINGEQUALS) here.
        type: str
        choices: [STRINGEQUALS]
        default: STRINGEQUALS
      condition_key:
        description: The tag key, for example C(Backup).
        type: str
        required: true
      condition_value:
        description: The tag value, for example C(daily).
        type: str
        required: true
  conditions:
    description:
      - Tag conditions a resource must all match (AND), with the key written as C(aws:ResourceTag/KEY).
    type: dict
    suboptions:
      string_equals:
        description: Tags that must equal the value.
        type: list
        elements: dict
        default: []
        suboptions: &condition
          condition_key:
            description: C(aws:ResourceTag/) followed by the tag key, for example C(aws:ResourceTag/Backup).
            type: str
            required: true
          condition_value:
            description: The value (wildcards C(*) for the C(*_like) operators).
            type: str
            required: true
      string_not_equals:
        description: Tags that must not equal the value.
        type: list
        elements: dict
        default: []
        suboptions: *condition
      string_like:
        description: Tags that must match the value with C(*) wildcards.
        type: list
        elements: dict
        default: []
        suboptions: *condition
      string_not_like:
        description: Tags that must not match the value with C(*) wildcards.
        type: list
        elements: dict
        default: []
        suboptions: *condition
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Creates are sent with a CreatorRequestId, so a retried request never creates two selections.
  - The plan must exist. In check mode a missing plan (one an earlier task would create) gives a warning and
    the selection is reported as to be created.
seealso:
  - module: healthplatform.aws.backup_selection_info
  - module: healthplatform.aws.backup_vault
  - module: amazon.aws.backup_plan
"""

EXAMPLES = r"""
- name: Back up every RDS instance, Aurora cluster and EBS volume tagged Backup=platform
  healthplatform.aws.backup_selection:
    name: platform-rds-ebs
    backup_plan_name: healthplatform-prod
    iam_role_arn: "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
    resources:
      - "arn:aws:rds:*:*:db:*"
      - "arn:aws:rds:*:*:cluster:*"
      - "arn:aws:ec2:*:*:volume/*"
    conditions:
      string_equals:
        - condition_key: aws:ResourceTag/Backup
          condition_value: platform

- name: Back up anything tagged Backup=daily or Backup=phi
  healthplatform.aws.backup_selection:
    name: tagged
    backup_plan_id: "{{ plan.backup_plan_id }}"
    iam_role_arn: "{{ backup_role_arn }}"
    list_of_tags:
      - condition_key: Backup
        condition_value: daily
      - condition_key: Backup
        condition_value: phi

- name: Remove a selection
  healthplatform.aws.backup_selection:
    name: tagged
    backup_plan_id: "{{ plan.backup_plan_id }}"
    state: absent
"""

RETURN = r"""
backup_selection:
  description: The selection as GetBackupSelection describes it (empty when O(state=absent)). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    selection_id:
      description: ID of the selection (absent in check mode before creation).
      type: str
      sample: 2b5fe0f4-9f80-4dfa-8b2c-1a1f1a1f1a1f
    backup_plan_id:
      description: ID of the plan.
      type: str
      sample: 8a1f0e54-0c3d-4c1b-9b0a-3f1f1f1f1f1f
    creator_request_id:
      description: The idempotency token of the create request.
      type: str
    backup_selection:
      description: The selection itself.
      type: dict
      contains:
        selection_name:
          description: Name of the selection.
          type: str
          sample: platform-rds-ebs
        iam_role_arn:
          description: The role AWS Backup assumes.
          type: str
        resources:
          description: Selected resource ARNs.
          type: list
          elements: str
          sample: ["arn:aws:rds:*:*:db:*", "arn:aws:ec2:*:*:volume/*"]
        not_resources:
          description: Excluded resource ARNs.
          type: list
          elements: str
        list_of_tags:
          description: Tag conditions (OR).
          type: list
          elements: dict
        conditions:
          description: Tag conditions (AND), by operator.
          type: dict
replaced:
  description: Whether the selection was (or in check mode would be) deleted and created again, since AWS cannot update a selection.
  returned: always
  type: bool
  sample: false
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import all_pages
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import role_arn_error

SELECTION_NAME = re.compile(r"^[a-zA-Z0-9\-_.]{1,50}$")
OPERATORS = {"string_equals": "StringEquals", "string_not_equals": "StringNotEquals", "string_like": "StringLike", "string_not_like": "StringNotLike"}


def validate(module):
    """Check the options that argument_spec cannot; fail before any API call."""
    p = module.params
    if not (p["backup_plan_id"] or p["backup_plan_name"]):
        module.fail_json(msg="backup_plan_id or backup_plan_name is required (and must not be empty)")
    if not SELECTION_NAME.match(p["name"]):
        module.fail_json(msg=f"name must be 1 to 50 letters, digits, '-', '_' or '.', got {p['name']!r}")
    if p["state"] == "absent":
        return
    if not p["iam_role_arn"]:
        module.fail_json(msg="iam_role_arn is required when state is present (the role AWS Backup assumes)")
    problem = role_arn_error(p["iam_role_arn"], "iam_role_arn")
    if problem:
        module.fail_json(msg=problem)
    for option in ("resources", "not_resources"):
        for index, arn in enumerate(p[option]):
            if arn != "*" and not arn.startswith("arn:"):
                module.fail_json(msg=f"{option}[{index}] must be a resource ARN (wildcards allowed, e.g. arn:aws:ec2:*:*:volume/*) or '*', got {arn!r}")
    conditions = p["conditions"] or {}
    if not (p["resources"] or p["list_of_tags"]):
        module.fail_json(
            msg="a selection needs resources (ARNs or wildcards) or list_of_tags; to select by conditions, also give resources (e.g. ['*'])"
            if any(conditions.values())
            else "a selection needs resources (ARNs or wildcards) or list_of_tags"
        )
    for operator, entries in conditions.items():
        for index, entry in enumerate(entries or []):
            if not entry["condition_key"].startswith("aws:ResourceTag/") or entry["condition_key"] == "aws:ResourceTag/":
                module.fail_json(
                    msg=f"conditions.{operator}[{index}].condition_key must be aws:ResourceTag/ followed by the tag key, got {entry['condition_key']!r}"
                )


def desired_selection(params):
    """The BackupSelection structure the options describe."""
    selection = {
        "SelectionName": params["name"],
        "IamRoleArn": params["iam_role_arn"],
        "Resources": list(params["resources"]),
        "NotResources": list(params["not_resources"]),
        "ListOfTags": [
            {"ConditionType": t["condition_type"], "ConditionKey": t["condition_key"], "ConditionValue": t["condition_value"]} for t in params["list_of_tags"]
        ],
    }
    conditions = params["conditions"] or {}
    selection["Conditions"] = {
        api: [{"ConditionKey": c["condition_key"], "ConditionValue": c["condition_value"]} for c in conditions.get(option) or []]
        for option, api in OPERATORS.items()
    }
    return selection


def comparable(selection):
    """An order-insensitive form of a BackupSelection, where absent and empty lists are the same."""
    conditions = selection.get("Conditions") or {}
    return {
        "role": selection.get("IamRoleArn"),
        "resources": sorted(selection.get("Resources") or []),
        "not_resources": sorted(selection.get("NotResources") or []),
        "list_of_tags": sorted((t.get("ConditionType"), t.get("ConditionKey"), t.get("ConditionValue")) for t in selection.get("ListOfTags") or []),
        "conditions": {api: sorted((c.get("ConditionKey"), c.get("ConditionValue")) for c in conditions.get(api) or []) for api in OPERATORS.values()},
    }


def request_selection(selection):
    """The BackupSelection to send: empty lists and condition groups left out."""
    request = {k: v for k, v in selection.items() if k != "Conditions" and v}
    conditions = {k: v for k, v in (selection.get("Conditions") or {}).items() if v}
    if conditions:
        request["Conditions"] = conditions
    return request


def find_plan_id(module, client):
    params = module.params
    if params["backup_plan_id"]:
        return params["backup_plan_id"]
    plans = [p for p in all_pages(client.list_backup_plans, "BackupPlansList") if p.get("BackupPlanName") == params["backup_plan_name"]]
    if len(plans) > 1:
        module.fail_json(msg=f"the account has {len(plans)} backup plans named {params['backup_plan_name']!r}; give backup_plan_id")
    return plans[0]["BackupPlanId"] if plans else None


def find_selection(module, client, plan_id):
    """GetBackupSelection's description of the selection called ``name``, or None."""
    name = module.params["name"]
    try:
        summaries = all_pages(client.list_backup_selections, "BackupSelectionsList", BackupPlanId=plan_id)
    except is_boto3_error_code("ResourceNotFoundException"):
        return None, False
    matches = [s for s in summaries if s.get("SelectionName") == name]
    if len(matches) > 1:
        module.fail_json(
            msg=f"backup plan {plan_id} has {len(matches)} selections named {name!r} ({', '.join(s['SelectionId'] for s in matches)}); remove the extra ones"
        )
    if not matches:
        return None, True
    return get_selection(client, plan_id, matches[0]["SelectionId"]), True


def get_selection(client, plan_id, selection_id):
    selection = client.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id, aws_retry=True)
    selection.pop("ResponseMetadata", None)
    return selection


def create_selection(client, plan_id, selection):
    response = client.create_backup_selection(
        BackupPlanId=plan_id, BackupSelection=request_selection(selection), CreatorRequestId=idempotency_token(), aws_retry=True
    )
    return get_selection(client, plan_id, response["SelectionId"])


def diff_view(selection):
    if not selection:
        return {}
    body = selection.get("BackupSelection") or {}
    view = {"selection_name": body.get("SelectionName")}
    view.update(comparable(body))
    view["conditions"] = {k: v for k, v in view["conditions"].items() if v}
    return view


def result_view(selection):
    if not selection:
        return {}
    return camel_dict_to_snake_dict(selection)


def main():
    condition = dict(
        type="list",
        elements="dict",
        default=[],
        options=dict(condition_key=dict(type="str", required=True, no_log=False), condition_value=dict(type="str", required=True)),
    )
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        name=dict(type="str", required=True, aliases=["selection_name"]),
        backup_plan_id=dict(type="str"),
        backup_plan_name=dict(type="str"),
        iam_role_arn=dict(type="str"),
        resources=dict(type="list", elements="str", default=[]),
        not_resources=dict(type="list", elements="str", default=[]),
        list_of_tags=dict(
            type="list",
            elements="dict",
            default=[],
            options=dict(
                condition_type=dict(type="str", choices=["STRINGEQUALS"], default="STRINGEQUALS"),
                condition_key=dict(type="str", required=True, no_log=False),
                condition_value=dict(type="str", required=True),
            ),
        ),
        conditions=dict(type="dict", options={option: dict(condition) for option in OPERATORS}),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_one_of=[("backup_plan_id", "backup_plan_name")],
        mutually_exclusive=[("backup_plan_id", "backup_plan_name")],
        supports_check_mode=True,
    )
    validate(module)
    params = module.params
    plan_label = params["backup_plan_id"] or params["backup_plan_name"]

    client = retrying_client(module, "backup")
    try:
        plan_id = find_plan_id(module, client)
        existing, plan_exists = find_selection(module, client, plan_id) if plan_id else (None, False)
        if params["state"] == "absent":
            changed = existing is not None
            if changed and not module.check_mode:
                client.delete_backup_selection(BackupPlanId=plan_id, SelectionId=existing["SelectionId"], aws_retry=True)
            module.exit_json(changed=changed, replaced=False, backup_selection={}, diff=diff_of(diff_view(existing), {}))
        if not plan_exists:
            if not module.check_mode:
                module.fail_json(msg=f"backup plan {plan_label} does not exist; create it first (amazon.aws.backup_plan)")
            # In check mode the plan may be one an earlier task of the same run would create.
            module.warn(f"backup plan {plan_label} does not exist (yet): reporting the selection as to be created")

        wanted = desired_selection(params)
        planned = {"BackupPlanId": plan_id, "BackupSelection": request_selection(wanted)}
        if existing is None:
            after = planned if module.check_mode else create_selection(client, plan_id, wanted)
            changed, replaced = True, False
        elif comparable(existing.get("BackupSelection") or {}) != comparable(wanted):
            after = planned
            if not module.check_mode:
                client.delete_backup_selection(BackupPlanId=plan_id, SelectionId=existing["SelectionId"], aws_retry=True)
                after = create_selection(client, plan_id, wanted)
            changed, replaced = True, True
        else:
            after, changed, replaced = existing, False, False
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the backup selection {params['name']} of backup plan {plan_label}")

    module.exit_json(changed=changed, replaced=replaced, backup_selection=result_view(after), diff=diff_of(diff_view(existing), diff_view(after)))


if __name__ == "__main__":
    main()
