# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers of the AWS Backup plan modules (backup_plan, backup_plan_info).

- Validation of the rules (names, vaults, copy destinations, cron schedules,
  time zones, lifecycles) before any API call, each message naming the option
  (``rules[1].lifecycle.delete_after_days``).
- The rules the options describe, as the API's BackupRuleInput, and their
  semantic comparison with what GetBackupPlan returns: by rule name, whatever
  the order, ignoring what AWS fills in (RuleId) and what the options leave out.
- The full UpdateBackupPlan document: the desired rules, with what the module
  does not manage (index and scan actions, archive opt-in, ...) carried over
  from the current rule of the same name, so that an update never drops it.
- snake_case views that keep tag keys and backup option names verbatim
  (``recovery_point_tags: {Tier: gold}``, not ``{tier: gold}``).
- Finding a plan by name (ListBackupPlans) and reading it with its tags.
"""

from __future__ import annotations

import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import all_pages
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import backup_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import cron_error
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import timezone_error

PLAN_NAME = re.compile(r"^[a-zA-Z0-9\-_.]{1,50}$")
RULE_NAME = re.compile(r"^[a-zA-Z0-9\-_.]{1,50}$")
VAULT_NAME = re.compile(r"^[a-zA-Z0-9\-_]{2,50}$")
VAULT_ARN = re.compile(r"^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:[a-zA-Z0-9\-_]{2,50}$")
MIN_START_WINDOW = 60
COLD_STORAGE_MIN_DAYS = 90

# What UpdateBackupPlan accepts of a rule (BackupRuleInput): everything GetBackupPlan returns but RuleId.
RULE_INPUT_KEYS = (
    "RuleName",
    "TargetBackupVaultName",
    "TargetLogicallyAirGappedBackupVaultArn",
    "ScheduleExpression",
    "StartWindowMinutes",
    "CompletionWindowMinutes",
    "Lifecycle",
    "RecoveryPointTags",
    "CopyActions",
    "EnableContinuousBackup",
    "ScheduleExpressionTimezone",
    "IndexActions",
    "ScanActions",
)
# The lifecycle fields the options manage; the others (archive opt-in, ...) are carried over.
LIFECYCLE_KEYS = {"move_to_cold_storage_after_days": "MoveToColdStorageAfterDays", "delete_after_days": "DeleteAfterDays"}
# Names of the same UTC zone: AWS may report the one it prefers.
UTC_NAMES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"}
# Maps whose keys are the user's (tag keys, backup option names): never snake-cased.
VERBATIM = ("RecoveryPointTags", "BackupOptions", "Tags")


# --- validation ------------------------------------------------------------------------


def lifecycle_error(lifecycle, option):
    """Days from 1; when both are set, deletion at least 90 days after the move to cold storage (AWS's minimum)."""
    if not lifecycle:
        return None
    cold, delete = lifecycle.get("move_to_cold_storage_after_days"), lifecycle.get("delete_after_days")
    for key, value in (("move_to_cold_storage_after_days", cold), ("delete_after_days", delete)):
        if value is not None and value < 1:
            return f"{option}.{key} must be at least 1 day, got {value}"
    if cold is not None and delete is not None and delete < cold + COLD_STORAGE_MIN_DAYS:
        return (
            f"{option}.delete_after_days ({delete}) must be at least {COLD_STORAGE_MIN_DAYS} days after "
            f"{option}.move_to_cold_storage_after_days ({cold}): AWS keeps recovery points in cold storage for {COLD_STORAGE_MIN_DAYS} days at least"
        )
    return None


def rule_error(rule, option):
    """The first problem of one element of ``rules`` (module options, snake_case), or None."""
    if not RULE_NAME.match(rule["name"]):
        return f"{option}.name must be 1 to 50 letters, digits, '-', '_' or '.', got {rule['name']!r}"
    if not VAULT_NAME.match(rule["target_vault_name"]):
        return f"{option}.target_vault_name must be a backup vault name (2 to 50 letters, digits, '-' or '_'), got {rule['target_vault_name']!r}"
    problem = cron_error(rule["schedule"], f"{option}.schedule", kind="backup")
    problem = problem or timezone_error(rule["schedule_timezone"], f"{option}.schedule_timezone")
    if problem:
        return problem
    start, completion = rule["start_window_minutes"], rule["completion_window_minutes"]
    if start is not None and start < MIN_START_WINDOW:
        return f"{option}.start_window_minutes must be at least {MIN_START_WINDOW} (AWS's minimum), got {start}"
    if completion is not None and completion < 1:
        return f"{option}.completion_window_minutes must be at least 1, got {completion}"
    problem = lifecycle_error(rule["lifecycle"], f"{option}.lifecycle")
    if problem:
        return problem
    destinations = set()
    for index, copy in enumerate(rule["copy_actions"] or []):
        copy_option = f"{option}.copy_actions[{index}]"
        arn = copy["destination_vault_arn"]
        if not VAULT_ARN.match(arn):
            return (
                f"{copy_option}.destination_vault_arn must be a backup vault ARN such as "
                f"arn:aws:backup:us-west-2:123456789012:backup-vault:my-vault, got {arn!r}"
            )
        if arn in destinations:
            return f"{copy_option}.destination_vault_arn {arn} is given twice in {option}.copy_actions"
        destinations.add(arn)
        problem = lifecycle_error(copy["lifecycle"], f"{copy_option}.lifecycle")
        if problem:
            return problem
    return None


def rules_error(rules):
    """The first problem of the ``rules`` option, or None."""
    if not rules:
        return "rules must have at least one rule when state is present"
    seen = {}
    for index, rule in enumerate(rules):
        option = f"rules[{index}]"
        problem = rule_error(rule, option)
        if problem:
            return problem
        if rule["name"] in seen:
            return f"{option}.name {rule['name']!r} is already the name of rules[{seen[rule['name']]}]: rule names must be unique in a plan"
        seen[rule["name"]] = index
    return None


def advanced_settings_error(settings):
    seen = set()
    for index, setting in enumerate(settings or []):
        if setting["resource_type"] in seen:
            return f"advanced_backup_settings[{index}].resource_type {setting['resource_type']!r} is given twice"
        seen.add(setting["resource_type"])
        if not setting["backup_options"]:
            return f"advanced_backup_settings[{index}].backup_options must not be empty, e.g. {{WindowsVSS: enabled}}"
    return None


# --- desired state -------------------------------------------------------------------------


def lifecycle_to_api(lifecycle):
    """The managed part of a Lifecycle ({} = keep recovery points forever)."""
    return {api: lifecycle[key] for key, api in LIFECYCLE_KEYS.items() if (lifecycle or {}).get(key) is not None}


def desired_rule(rule):
    """The BackupRuleInput the options describe: only the fields that are given (others are not compared)."""
    result = {"RuleName": rule["name"], "TargetBackupVaultName": rule["target_vault_name"]}
    if rule["schedule"] is not None:
        result["ScheduleExpression"] = rule["schedule"]
    if rule["schedule_timezone"] is not None:
        result["ScheduleExpressionTimezone"] = rule["schedule_timezone"]
    if rule["start_window_minutes"] is not None:
        result["StartWindowMinutes"] = rule["start_window_minutes"]
    if rule["completion_window_minutes"] is not None:
        result["CompletionWindowMinutes"] = rule["completion_window_minutes"]
    if rule["lifecycle"] is not None:
        result["Lifecycle"] = lifecycle_to_api(rule["lifecycle"])
    if rule["recovery_point_tags"] is not None:
        result["RecoveryPointTags"] = dict(rule["recovery_point_tags"])
    if rule["copy_actions"] is not None:
        result["CopyActions"] = [
            {"DestinationBackupVaultArn": c["destination_vault_arn"], "Lifecycle": lifecycle_to_api(c["lifecycle"])} for c in rule["copy_actions"]
        ]
    if rule["enable_continuous_backup"] is not None:
        result["EnableContinuousBackup"] = rule["enable_continuous_backup"]
    return result


def desired_advanced_settings(settings):
    if settings is None:
        return None
    return [{"ResourceType": s["resource_type"], "BackupOptions": dict(s["backup_options"])} for s in settings]


# --- comparison --------------------------------------------------------------------------


def _managed_lifecycle(lifecycle):
    return tuple(sorted((k, v) for k, v in (lifecycle or {}).items() if k in LIFECYCLE_KEYS.values() and v is not None))


def _normal(key, value):
    """A comparable form of one BackupRule field."""
    if key == "Lifecycle":
        return _managed_lifecycle(value)
    if key == "RecoveryPointTags":
        return dict(value or {})
    if key == "CopyActions":
        return sorted((c.get("DestinationBackupVaultArn"), _managed_lifecycle(c.get("Lifecycle"))) for c in value or [])
    if key == "EnableContinuousBackup":
        return bool(value)
    if key == "ScheduleExpressionTimezone":
        return "UTC" if value in UTC_NAMES else value
    if key == "ScheduleExpression":
        return " ".join(value.split()) if value else value
    return value


def rule_changes(current, desired):
    """The fields of ``desired`` (a partial BackupRuleInput) that ``current`` (a BackupRule) does not match."""
    return [key for key, value in desired.items() if _normal(key, current.get(key)) != _normal(key, value)]


def plan_changes(current_rules, desired_rules, current_settings, desired_settings):
    """What differs between the plan and the options, in words (empty: nothing to update)."""
    changes = []
    current = {r.get("RuleName"): r for r in current_rules or []}
    desired = {r["RuleName"]: r for r in desired_rules}
    changes.extend(f"rule {name} removed" for name in sorted(set(current) - set(desired)))
    for name in sorted(desired):
        if name not in current:
            changes.append(f"rule {name} added")
            continue
        fields = rule_changes(current[name], desired[name])
        if fields:
            changes.append(f"rule {name}: {', '.join(fields)}")
    if desired_settings is not None and _settings(current_settings) != _settings(desired_settings):
        changes.append("advanced_backup_settings")
    return changes


def _settings(settings):
    return sorted((s.get("ResourceType"), sorted((s.get("BackupOptions") or {}).items())) for s in settings or [])


# --- the update document ------------------------------------------------------------------


def _merged_lifecycle(current, desired):
    """The desired lifecycle with the fields the module does not manage kept from the current one."""
    merged = {k: v for k, v in (current or {}).items() if k not in LIFECYCLE_KEYS.values()}
    merged.update(desired)
    return merged


def _merged_copy(current_copies, copy):
    """A desired copy action, with the lifecycle fields the module does not manage kept from the current copy to the same vault."""
    arn = copy["DestinationBackupVaultArn"]
    current = next((c for c in current_copies or [] if c.get("DestinationBackupVaultArn") == arn), {})
    lifecycle = _merged_lifecycle(current.get("Lifecycle"), copy.get("Lifecycle") or {})
    return {"DestinationBackupVaultArn": arn, "Lifecycle": lifecycle} if lifecycle else {"DestinationBackupVaultArn": arn}


def merged_rule(current, desired):
    """The BackupRuleInput to send: ``desired``, plus what it leaves out kept from ``current`` (same rule name)."""
    rule = {k: v for k, v in (current or {}).items() if k in RULE_INPUT_KEYS}
    for key, value in desired.items():
        if key == "Lifecycle":
            rule[key] = _merged_lifecycle(rule.get("Lifecycle"), value)
        elif key == "CopyActions":
            rule[key] = [_merged_copy(rule.get("CopyActions"), copy) for copy in value]
        else:
            rule[key] = value
    for key in ("Lifecycle", "RecoveryPointTags", "CopyActions"):
        if key in rule and not rule[key]:
            del rule[key]
    return rule


def plan_document(name, desired_rules, desired_settings, current_plan=None):
    """The full BackupPlanInput for CreateBackupPlan / UpdateBackupPlan (``current_plan``: GetBackupPlan's BackupPlan)."""
    current_plan = current_plan or {}
    current_rules = {r.get("RuleName"): r for r in current_plan.get("Rules") or []}
    document = {"BackupPlanName": name, "Rules": [merged_rule(current_rules.get(r["RuleName"]), r) for r in desired_rules]}
    settings = current_plan.get("AdvancedBackupSettings") if desired_settings is None else desired_settings
    if settings:
        document["AdvancedBackupSettings"] = settings
    if current_plan.get("ScanSettings"):
        document["ScanSettings"] = current_plan["ScanSettings"]
    return document


# --- reading ------------------------------------------------------------------------------


def plans_named(client, name):
    """The ListBackupPlans entries (current versions, deleted plans left out) called ``name``."""
    return [p for p in all_pages(client.list_backup_plans, "BackupPlansList") if p.get("BackupPlanName") == name]


def read_plan(client, plan_id):
    """GetBackupPlan's description with the plan's tags under ``Tags``."""
    plan = client.get_backup_plan(BackupPlanId=plan_id, aws_retry=True)
    plan.pop("ResponseMetadata", None)
    plan["Tags"] = backup_tags(client, plan["BackupPlanArn"])
    return plan


# --- views -------------------------------------------------------------------------------


def _snake_key(key):
    return next(iter(camel_dict_to_snake_dict({key: None})))


def snake(value):
    """camel_dict_to_snake_dict for any depth, with the keys under VERBATIM maps kept as they are."""
    if isinstance(value, dict):
        return {_snake_key(k): (dict(v) if k in VERBATIM and isinstance(v, dict) else snake(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [snake(item) for item in value]
    return value


def flat_plan(plan):
    """GetBackupPlan's description with the BackupPlan document's fields at the top level."""
    if not plan:
        return {}
    flat = {k: v for k, v in plan.items() if k not in ("BackupPlan", "ResponseMetadata")}
    flat.update(plan.get("BackupPlan") or {})
    return flat


def plan_view(plan):
    """The plan as the modules return it: snake_case, tag keys and backup options verbatim."""
    return snake(flat_plan(plan))


def diff_view(plan):
    """What a reader compares: the rules (by name, without RuleId), advanced settings and tags."""
    if not plan:
        return {}
    body = plan.get("BackupPlan") or {}
    rules = sorted(({k: v for k, v in r.items() if k != "RuleId"} for r in body.get("Rules") or []), key=lambda r: r.get("RuleName") or "")
    view = {"backup_plan_name": body.get("BackupPlanName"), "rules": snake(rules), "tags": dict(plan.get("Tags") or {})}
    if body.get("AdvancedBackupSettings"):
        view["advanced_backup_settings"] = snake(body["AdvancedBackupSettings"])
    return view
