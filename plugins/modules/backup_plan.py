#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: backup_plan
short_description: Manage an AWS Backup plan (its rules, lifecycles, copies and tags)
version_added: 0.1.0
description:
  - Creates, updates or deletes one AWS Backup plan, identified by its name (O(name)). Plans are looked up by
    name with ListBackupPlans; AWS allows two plans of the same name, and the module then fails and names them
    instead of picking one.
  - The rules (O(rules)) are compared with the plan's current version (GetBackupPlan) by rule name, in any order,
    ignoring what AWS fills in (C(RuleId), and the rule fields an option leaves out). Only when they differ is the
    plan updated (UpdateBackupPlan, with the whole plan document), and every update makes a new plan version.
  - O(rules) is the full list of rules. A rule of the plan that is not in O(rules) is removed.
  - Within a rule, an option that is not given keeps the rule's current value (at creation, AWS's default). To
    remove a lifecycle, recovery point tags or copy actions, give an empty V({}) or V([]).
  - Fields of a rule that the module does not manage (index and scan actions, a logically air-gapped target,
    the archive opt-in of a lifecycle) and the plan's scan settings are kept on update.
  - Tag keys (O(tags), O(rules[].recovery_point_tags)) and backup option names are sent and returned exactly as
    written, C(Tier) stays C(Tier).
  - Bad input (an invalid name, a schedule that is not a cron expression, a deletion less than 90 days after the
    move to cold storage, a copy destination that is not a vault ARN, two rules of the same name) fails before
    any API call is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description:
      - Whether the plan should exist.
      - V(absent) deletes the plan (DeleteBackupPlan). AWS deletes a plan only once its resource selections are
        deleted; the module then fails, naming them (delete them first with M(healthplatform.aws.backup_selection)).
    type: str
    choices: [present, absent]
    default: present
  name:
    description: Name of the plan, 1 to 50 letters, digits, C(-), C(_) or C(.).
    type: str
    required: true
    aliases: [backup_plan_name]
  rules:
    description:
      - The rules of the plan, all of them (required when O(state=present), at least one).
      - Rule names are unique within the plan; the order does not matter.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the rule, 1 to 50 letters, digits, C(-), C(_) or C(.).
        type: str
        required: true
        aliases: [rule_name]
      target_vault_name:
        description: Name of the backup vault the rule's recovery points are stored in.
        type: str
        required: true
        aliases: [target_backup_vault_name]
      schedule:
        description:
          - When the backup starts, a C(cron(minutes hours day-of-month month day-of-week year)) expression,
            for example C(cron(0 5 ? * * *)) (daily at 05:00).
          - When omitted at creation, AWS uses C(cron(0 5 ? * * *)).
        type: str
        aliases: [schedule_expression]
      schedule_timezone:
        description:
          - The IANA time zone of O(rules[].schedule), for example C(Europe/Paris). AWS's default is UTC.
          - C(UTC), C(Etc/UTC) and the other names of UTC are taken as the same zone.
        type: str
        aliases: [schedule_expression_timezone]
      start_window_minutes:
        description: Minutes after the scheduled time within which the backup must start, or it is canceled (at least 60).
        type: int
      completion_window_minutes:
        description: Minutes after the backup started within which it must complete, or it is canceled.
        type: int
      lifecycle:
        description:
          - When recovery points move to cold storage and when they are deleted. V({}) keeps them forever, in warm storage.
        type: dict
        suboptions: &lifecycle
          move_to_cold_storage_after_days:
            description: Days after creation when a recovery point moves to cold storage.
            type: int
          delete_after_days:
            description:
              - Days after creation when a recovery point is deleted.
              - With O(rules[].lifecycle.move_to_cold_storage_after_days), at least 90 days more than it (AWS keeps
                recovery points in cold storage for 90 days at least).
            type: int
      recovery_point_tags:
        description:
          - Tags AWS Backup puts on the recovery points the rule creates. Keys are kept exactly as written.
          - V({}) removes them.
        type: dict
      copy_actions:
        description:
          - Copies of every recovery point to other vaults, typically in a second region or account. V([]) removes them.
        type: list
        elements: dict
        suboptions:
          destination_vault_arn:
            description: ARN of the vault the copy goes to.
            type: str
            required: true
            aliases: [destination_backup_vault_arn]
          lifecycle:
            description: Lifecycle of the copies (same options as O(rules[].lifecycle)); omitted, the copies are kept forever.
            type: dict
            suboptions: *lifecycle
      enable_continuous_backup:
        description:
          - Whether the rule creates continuous backups, for point-in-time restore of the resources that support it.
          - AWS keeps continuous backups for 1 to 35 days (O(rules[].lifecycle.delete_after_days)).
        type: bool
  advanced_backup_settings:
    description:
      - Backup options by resource type, for example Windows VSS for EC2. Not managed when omitted; V([]) removes them.
    type: list
    elements: dict
    suboptions:
      resource_type:
        description: The resource type, C(EC2) or C(S3).
        type: str
        required: true
      backup_options:
        description:
          - "The options of that resource type, for example V({WindowsVSS: enabled}) for C(EC2), or
            V({BackupACLs: disabled}) for C(S3). Names are kept exactly as written."
        type: dict
        required: true
  creator_request_id:
    description:
      - The idempotency token sent with the create request.
      - A fresh one is generated for every create when omitted, so a retried request never creates two plans.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff). In check mode, O(state=absent) lists the plan's selections and fails as
    the deletion would when there are any.
  - An omitted O(tags) keeps the plan's tags; O(purge_tags) removes the tags that O(tags) does not list.
seealso:
  - module: healthplatform.aws.backup_plan_info
  - module: healthplatform.aws.backup_vault
  - module: healthplatform.aws.backup_selection
"""

EXAMPLES = r"""
- name: Daily, weekly and monthly backups of the platform, copied to a second region
  healthplatform.aws.backup_plan:
    name: healthplatform-prod-plan
    rules:
      - name: daily
        target_vault_name: healthplatform-prod-vault
        schedule: cron(0 5 ? * * *)
        schedule_timezone: Europe/Paris
        start_window_minutes: 60
        completion_window_minutes: 720
        lifecycle:
          delete_after_days: 35
        recovery_point_tags:
          Tier: daily
        copy_actions:
          - destination_vault_arn: arn:aws:backup:us-west-2:123456789012:backup-vault:healthplatform-prod-vault-copy
            lifecycle:
              delete_after_days: 35
      - name: monthly
        target_vault_name: healthplatform-prod-vault
        schedule: cron(0 5 1 * ? *)
        lifecycle:
          move_to_cold_storage_after_days: 30
          delete_after_days: 2555
    tags:
      Environment: prod
      DataClass: phi
  register: plan

- name: Windows VSS for EC2 instances, continuous backups for point-in-time restore
  healthplatform.aws.backup_plan:
    name: healthplatform-lab-plan
    rules:
      - name: pitr
        target_vault_name: healthplatform-lab-vault
        schedule: cron(0 */6 ? * * *)
        enable_continuous_backup: true
        lifecycle:
          delete_after_days: 35
    advanced_backup_settings:
      - resource_type: EC2
        backup_options:
          WindowsVSS: enabled

- name: Delete the plan (its selections must be deleted first)
  healthplatform.aws.backup_plan:
    name: healthplatform-lab-plan
    state: absent
"""

RETURN = r"""
backup_plan:
  description:
    - The plan as GetBackupPlan describes it, with the fields of its plan document at the top level and its tags
      (empty when O(state=absent)). In check mode, what it would be.
    - Keys are in snake_case, except the keys of RV(backup_plan.tags), of the recovery point tags and of the
      backup options, which are as AWS returns them.
  returned: always
  type: dict
  contains:
    backup_plan_id:
      description: ID of the plan (absent in check mode before creation).
      type: str
      sample: 8a1f0e54-0c3d-4c1b-9b0a-3f1f1f1f1f1f
    backup_plan_arn:
      description: ARN of the plan (absent in check mode before creation).
      type: str
      sample: arn:aws:backup:us-east-1:123456789012:backup-plan:8a1f0e54-0c3d-4c1b-9b0a-3f1f1f1f1f1f
    version_id:
      description: ID of the plan's current version; every update makes a new one.
      type: str
      sample: ZjQ2ZTI5YWQtZDg5Yi00MzYzLWJmZTAtMDI1MzhlMDhjYjEz
    backup_plan_name:
      description: Name of the plan.
      type: str
      sample: healthplatform-prod-plan
    creator_request_id:
      description: The idempotency token of the create request.
      type: str
    creation_date:
      description: When the plan was created.
      type: str
      sample: "2025-01-01T10:00:00+00:00"
    rules:
      description: The rules, as AWS describes them.
      type: list
      elements: dict
      contains:
        rule_name:
          description: Name of the rule.
          type: str
          sample: daily
        rule_id:
          description: ID of the rule (absent in check mode for a new rule).
          type: str
        target_backup_vault_name:
          description: The vault of the recovery points.
          type: str
          sample: healthplatform-prod-vault
        schedule_expression:
          description: The cron schedule.
          type: str
          sample: cron(0 5 ? * * *)
        schedule_expression_timezone:
          description: The time zone of the schedule.
          type: str
          sample: Etc/UTC
        start_window_minutes:
          description: The start window.
          type: int
          sample: 60
        completion_window_minutes:
          description: The completion window.
          type: int
          sample: 720
        lifecycle:
          description: The lifecycle (move_to_cold_storage_after_days, delete_after_days).
          type: dict
          sample: {"delete_after_days": 35}
        recovery_point_tags:
          description: Tags of the recovery points, keys as written.
          type: dict
          sample: {"Tier": "daily"}
        copy_actions:
          description: Copies (destination_backup_vault_arn, lifecycle).
          type: list
          elements: dict
        enable_continuous_backup:
          description: Whether the rule makes continuous backups.
          type: bool
    advanced_backup_settings:
      description: Backup options by resource type (resource_type, backup_options with names as written).
      type: list
      elements: dict
      sample: [{"resource_type": "EC2", "backup_options": {"WindowsVSS": "enabled"}}]
    tags:
      description: Tags of the plan.
      type: dict
      sample: {"Environment": "prod"}
changes:
  description: What differs (or differed) between the plan and the options, one line per rule; empty when nothing does.
  returned: always
  type: list
  elements: str
  sample: ["rule daily: Lifecycle, RecoveryPointTags", "rule hourly added", "tags"]
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.backup_plan import PLAN_NAME
from ansible_collections.healthplatform.aws.plugins.module_utils.backup_plan import advanced_settings_error
from ansible_collections.healthplatform.aws.plugins.module_utils.backup_plan import desired_advanced_settings
from ansible_collections.healthplatform.aws.plugins.module_utils.backup_plan import desired_rule
from ansible_collections.healthplatform.aws.plugins.module_utils.backup_plan import diff_view
from ansible_collections.healthplatform.aws.plugins.module_utils.backup_plan import plan_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.backup_plan import plan_document
from ansible_collections.healthplatform.aws.plugins.module_utils.backup_plan import plan_view
from ansible_collections.healthplatform.aws.plugins.module_utils.backup_plan import plans_named
from ansible_collections.healthplatform.aws.plugins.module_utils.backup_plan import read_plan
from ansible_collections.healthplatform.aws.plugins.module_utils.backup_plan import rules_error
from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import all_pages
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import backup_update_tags

TOKEN = re.compile(r"^[a-zA-Z0-9\-_.]{1,50}$")


def validate(module):
    """Check the options that argument_spec cannot; fail before any API call."""
    p = module.params
    if not PLAN_NAME.match(p["name"]):
        module.fail_json(msg=f"name must be 1 to 50 letters, digits, '-', '_' or '.', got {p['name']!r}")
    if p["creator_request_id"] is not None and not TOKEN.match(p["creator_request_id"]):
        module.fail_json(msg=f"creator_request_id must be 1 to 50 letters, digits, '-', '_' or '.', got {p['creator_request_id']!r}")
    if p["state"] == "absent":
        return
    problem = rules_error(p["rules"]) or advanced_settings_error(p["advanced_backup_settings"])
    if problem:
        module.fail_json(msg=problem)


def find_plan(module, client):
    """The plan called ``name`` (GetBackupPlan with its tags), or None."""
    name = module.params["name"]
    plans = plans_named(client, name)
    if len(plans) > 1:
        ids = ", ".join(p["BackupPlanId"] for p in plans)
        module.fail_json(
            msg=f"the account has {len(plans)} backup plans named {name!r} ({ids}): this module finds plans by name; delete or rename the extra ones"
        )
    return read_plan(client, plans[0]["BackupPlanId"]) if plans else None


def selection_names(client, plan_id):
    return [s.get("SelectionName") for s in all_pages(client.list_backup_selections, "BackupSelectionsList", BackupPlanId=plan_id)]


def refuse_delete(module, plan, names, error=None):
    message = (
        f"cannot delete backup plan {module.params['name']} ({plan['BackupPlanId']}): AWS deletes a plan only after its resource selections "
        f"({', '.join(names) or 'unknown'}) are deleted; delete them first with healthplatform.aws.backup_selection state=absent"
    )
    if error is None:
        module.fail_json(msg=message)
    module.fail_json_aws(error, msg=message)


def ensure_absent(module, client, existing):
    if existing is None:
        return False
    plan_id = existing["BackupPlanId"]
    if module.check_mode:
        names = selection_names(client, plan_id)
        if names:
            refuse_delete(module, existing, names)
        return True
    try:
        client.delete_backup_plan(BackupPlanId=plan_id, aws_retry=True)
    except is_boto3_error_code("InvalidRequestException") as e:
        refuse_delete(module, existing, selection_names(client, plan_id), e)
    return True


def ensure_present(module, client, existing):
    params = module.params
    rules = [desired_rule(rule) for rule in params["rules"]]
    settings = desired_advanced_settings(params["advanced_backup_settings"])

    if existing is None:
        document = plan_document(params["name"], rules, settings)
        changes = [f"rule {r['RuleName']} added" for r in rules]
        if module.check_mode:
            return changes, {"BackupPlan": document, "Tags": dict(params["tags"] or {})}
        create = {"BackupPlan": document, "CreatorRequestId": params["creator_request_id"] or idempotency_token()}
        if params["tags"]:
            create["BackupPlanTags"] = params["tags"]
        response = client.create_backup_plan(aws_retry=True, **create)
        return changes, read_plan(client, response["BackupPlanId"])

    body = existing.get("BackupPlan") or {}
    changes = plan_changes(body.get("Rules"), rules, body.get("AdvancedBackupSettings"), settings)
    after = dict(existing)
    if changes:
        document = plan_document(params["name"], rules, settings, body)
        after["BackupPlan"] = document
        if not module.check_mode:
            client.update_backup_plan(BackupPlanId=existing["BackupPlanId"], BackupPlan=document, aws_retry=True)
    to_set, to_unset = tag_changes(existing["Tags"], params["tags"], params["purge_tags"])
    if to_set or to_unset:
        changes.append("tags")
        backup_update_tags(client, existing["BackupPlanArn"], existing["Tags"], params["tags"], params["purge_tags"], module.check_mode)
        after["Tags"] = merged_tags(existing["Tags"], params["tags"], params["purge_tags"])
    if changes and not module.check_mode:
        after = read_plan(client, existing["BackupPlanId"])
    return changes, after


def main():
    lifecycle = dict(
        type="dict",
        options=dict(move_to_cold_storage_after_days=dict(type="int"), delete_after_days=dict(type="int")),
    )
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        name=dict(type="str", required=True, aliases=["backup_plan_name"]),
        rules=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True, aliases=["rule_name"]),
                target_vault_name=dict(type="str", required=True, aliases=["target_backup_vault_name"]),
                schedule=dict(type="str", aliases=["schedule_expression"]),
                schedule_timezone=dict(type="str", aliases=["schedule_expression_timezone"]),
                start_window_minutes=dict(type="int"),
                completion_window_minutes=dict(type="int"),
                lifecycle=dict(lifecycle),
                recovery_point_tags=dict(type="dict"),
                copy_actions=dict(
                    type="list",
                    elements="dict",
                    options=dict(
                        destination_vault_arn=dict(type="str", required=True, aliases=["destination_backup_vault_arn"]),
                        lifecycle=dict(lifecycle),
                    ),
                ),
                enable_continuous_backup=dict(type="bool"),
            ),
        ),
        advanced_backup_settings=dict(
            type="list",
            elements="dict",
            options=dict(resource_type=dict(type="str", required=True), backup_options=dict(type="dict", required=True)),
        ),
        creator_request_id=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, required_if=[("state", "present", ["rules"])], supports_check_mode=True)
    validate(module)

    client = retrying_client(module, "backup")
    name = module.params["name"]
    try:
        existing = find_plan(module, client)
        if module.params["state"] == "absent":
            changed = ensure_absent(module, client, existing)
            module.exit_json(changed=changed, changes=["deleted"] if changed else [], backup_plan={}, diff=diff_of(diff_view(existing), {}))
        changes, after = ensure_present(module, client, existing)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the backup plan {name}")

    module.exit_json(changed=bool(changes), changes=changes, backup_plan=plan_view(after), diff=diff_of(diff_view(existing), diff_view(after)))


if __name__ == "__main__":
    main()
