#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_maintenance_window
short_description: Manage an SSM maintenance window with its targets and tasks
version_added: 0.1.0
description:
  - Creates, updates or deletes one AWS Systems Manager maintenance window, identified by its O(name), together
    with its registered targets (O(targets)) and tasks (O(tasks)), in one call.
  - Targets and tasks are matched by name. Missing ones are registered, different ones are updated in place
    (with the complete desired definition), and with O(purge_targets) / O(purge_tasks) (the default) the ones
    not listed are deregistered. Omitting O(targets) or O(tasks) leaves them alone.
  - The window's own settings are described completely by the options; an omitted O(description),
    O(schedule_timezone) or O(schedule_offset) means none.
  - Bad input (a schedule that is not a valid C(cron(...)), C(rate(...)) or C(at(...)) expression, an unknown
    time zone, a O(cutoff) not shorter than O(duration), a task referring to a target that is not defined, a
    malformed rate control) fails before any API call is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Name of the maintenance window, 3 to 128 letters, digits, C(_), C(-) or C(.).
    type: str
    required: true
  state:
    description: Whether the window should exist. Deleting a window also removes its targets and tasks.
    type: str
    choices: [present, absent]
    default: present
  description:
    description: Description of the window (up to 128 characters).
    type: str
  schedule:
    description:
      - When the window opens. Required when O(state=present).
      - A cron expression with 6 fields (minutes hours day-of-month month day-of-week year, optionally preceded
        by seconds), for example C(cron(0 2 ? * SUN *)); exactly one of day-of-month and day-of-week must be C(?).
      - Or a rate expression such as C(rate(7 days)), or a one-time C(at(2025-07-07T13:15:30)).
    type: str
  schedule_timezone:
    description: IANA time zone the schedule is in, for example C(Europe/Paris). Omitted means UTC.
    type: str
  schedule_offset:
    description: Days (1 to 6) to wait after the date the cron O(schedule) gives. Only with a cron schedule.
    type: int
  duration:
    description: How long the window stays open, in hours (1 to 24). Required when O(state=present).
    type: int
  cutoff:
    description:
      - Hours (0 to 23) before the end of the window when no new task starts. Required when O(state=present).
      - Must be less than O(duration).
    type: int
  allow_unassociated_targets:
    description: Whether tasks may run on managed nodes that are not registered as targets of the window.
    type: bool
    default: false
  enabled:
    description: Whether the window runs.
    type: bool
    default: true
  targets:
    description:
      - The window's targets, matched by O(targets[].name). Omit to leave the targets alone.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the target, unique in the window; tasks refer to it in O(tasks[].targets).
        type: str
        required: true
      resource_type:
        description: What the target selects. Cannot be changed; give the target another name instead.
        type: str
        choices: [INSTANCE, RESOURCE_GROUP]
        default: INSTANCE
      targets:
        description:
          - Up to 5 selectors.
          - "For example C({key: tag:PatchGroup, values: [healthplatform-prod-web]}),
            C({key: InstanceIds, values: [i-0123456789abcdef0]}) or C({key: resource-groups:Name, values: [web]})."
        type: list
        elements: dict
        required: true
        suboptions:
          key:
            description: Selector key, such as C(tag:<tag key>), C(InstanceIds) or C(resource-groups:Name).
            type: str
            required: true
          values:
            description: Values of the selector.
            type: list
            elements: str
            required: true
      owner_information:
        description:
          - Free text (up to 128 characters) included in the events of tasks run on this target.
          - AWS treats it as sensitive; do not put secrets in it anyway.
        type: str
      description:
        description: Description of the target (up to 128 characters).
        type: str
  purge_targets:
    description: Deregister targets not listed in O(targets). Ignored when O(targets) is omitted.
    type: bool
    default: true
  tasks:
    description:
      - The window's tasks, matched by O(tasks[].name). Omit to leave the tasks alone.
      - A task whose O(tasks[].task_type) changes is deregistered and registered again (the API cannot change
        the type); any other difference is updated in place.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the task, unique in the window.
        type: str
        required: true
      task_type:
        description: Kind of task.
        type: str
        choices: [RUN_COMMAND, AUTOMATION, LAMBDA]
        default: RUN_COMMAND
      task_arn:
        description:
          - What the task runs. For C(RUN_COMMAND) and C(AUTOMATION) a document name such as C(AWS-RunPatchBaseline),
            for C(LAMBDA) a function ARN.
        type: str
        required: true
      targets:
        description:
          - Names of the window targets (O(targets[].name)) the task runs on.
          - When O(targets) is given, every name must be one of its targets; otherwise one of the window's
            existing targets.
        type: list
        elements: str
        default: []
      priority:
        description: Priority of the task in the window; tasks with a lower number run first, C(0) is the highest.
        type: int
        default: 1
      max_concurrency:
        description:
          - How many targets run the task at once, a number (C(10)) or a percentage (C(25%)).
          - Required when the task has O(tasks[].targets).
        type: str
      max_errors:
        description:
          - How many errors stop the task on further targets, a number (C(0) stops at the first error) or a
            percentage. Required when the task has O(tasks[].targets).
        type: str
      service_role_arn:
        description:
          - IAM role the task runs with. Omitted means the Systems Manager service-linked role; then the role
            AWS reports is not compared.
        type: str
      description:
        description: Description of the task (up to 128 characters).
        type: str
      cutoff_behavior:
        description: Whether a running task goes on (C(CONTINUE_TASK)) or is cancelled (C(CANCEL_TASK)) when the cutoff is reached.
        type: str
        choices: [CONTINUE_TASK, CANCEL_TASK]
        default: CONTINUE_TASK
      run_command:
        description: Parameters of a C(RUN_COMMAND) task.
        type: dict
        suboptions:
          parameters:
            description:
              - Document parameters, each a list of strings (a single string is taken as a one-element list).
              - "For example C({Operation: [Install], RebootOption: [RebootIfNeeded]}) for C(AWS-RunPatchBaseline)."
              - AWS treats task parameters as sensitive. Never put secrets here; reference SSM parameters or
                Secrets Manager from the document instead.
            type: dict
            default: {}
          document_version:
            description: Version of the document (C($DEFAULT), C($LATEST) or a number). Not compared when omitted.
            type: str
          timeout_seconds:
            description: Seconds (30 to 2592000) to wait for the command to start before it fails. Not compared when omitted.
            type: int
          comment:
            description: Comment shown with the command.
            type: str
          output_s3_bucket_name:
            description: Bucket that receives the command output.
            type: str
          output_s3_key_prefix:
            description: Key prefix of the command output in O(tasks[].run_command.output_s3_bucket_name).
            type: str
      automation:
        description: Parameters of an C(AUTOMATION) task.
        type: dict
        suboptions:
          parameters:
            description: Runbook parameters, each a list of strings. Never put secrets here.
            type: dict
            default: {}
          document_version:
            description: Version of the runbook. Not compared when omitted.
            type: str
      lambda:
        description: Parameters of a C(LAMBDA) task.
        type: dict
        suboptions:
          payload:
            description: JSON passed to the function. Never put secrets here.
            type: str
          qualifier:
            description: Function version or alias.
            type: str
          client_context:
            description: Base64-encoded client context passed to the function.
            type: str
  purge_tasks:
    description: Deregister tasks not listed in O(tasks). Ignored when O(tasks) is omitted.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Creates of windows, targets and tasks are sent with client tokens, so a retried request never creates two.
  - Targets are deregistered with C(Safe=true) after the tasks have been converged, so a target that a task
    not managed here still uses is not removed; the module fails and says so.
  - If the account holds several windows with the same name, or a window holds several targets or tasks with
    the same name, the module fails rather than guess.
seealso:
  - module: healthplatform.aws.ssm_maintenance_window_info
  - module: healthplatform.aws.ssm_patch_baseline
"""

EXAMPLES = r"""
- name: Weekly patch window for the web tier, Sunday 02:00 Paris time, scan then install
  healthplatform.aws.ssm_maintenance_window:
    name: healthplatform-prod-patch-web
    description: Weekly patching of the web tier
    schedule: cron(0 2 ? * SUN *)
    schedule_timezone: Europe/Paris
    duration: 3
    cutoff: 1
    targets:
      - name: web
        targets:
          - key: tag:PatchGroup
            values: [healthplatform-prod-web]
        owner_information: platform-ops
    tasks:
      - name: install-patches
        task_arn: AWS-RunPatchBaseline
        targets: [web]
        priority: 1
        max_concurrency: "50%"
        max_errors: "0"
        cutoff_behavior: CANCEL_TASK
        run_command:
          parameters:
            Operation: [Install]
            RebootOption: [RebootIfNeeded]
          output_s3_bucket_name: healthplatform-prod-logs
          output_s3_key_prefix: patching/web/
    tags:
      Environment: prod

- name: Disable the window during a freeze (targets and tasks are left alone)
  healthplatform.aws.ssm_maintenance_window:
    name: healthplatform-prod-patch-web
    description: Weekly patching of the web tier
    schedule: cron(0 2 ? * SUN *)
    schedule_timezone: Europe/Paris
    duration: 3
    cutoff: 1
    enabled: false

- name: Remove the window with its targets and tasks
  healthplatform.aws.ssm_maintenance_window:
    name: healthplatform-old-window
    state: absent
"""

RETURN = r"""
maintenance_window:
  description:
    - The window as C(GetMaintenanceWindow) describes it, in snake_case, with its tags, targets and tasks
      (empty when O(state=absent)). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    window_id:
      description: ID of the window (absent in check mode before creation).
      type: str
      sample: mw-0123456789abcdef0
    name:
      description: Name of the window.
      type: str
      sample: healthplatform-prod-patch-web
    schedule:
      description: The schedule.
      type: str
      sample: cron(0 2 ? * SUN *)
    schedule_timezone:
      description: Time zone of the schedule.
      type: str
      sample: Europe/Paris
    duration:
      description: Hours the window is open.
      type: int
      sample: 3
    cutoff:
      description: Hours before the end when no new task starts.
      type: int
      sample: 1
    enabled:
      description: Whether the window runs.
      type: bool
      sample: true
    tags:
      description: Tags of the window.
      type: dict
      sample: {"Environment": "prod"}
    targets:
      description: The registered targets, as C(DescribeMaintenanceWindowTargets) describes them.
      type: list
      elements: dict
      sample:
        - window_target_id: 0f5bbf1e-8a6c-4d4e-9d5e-0123456789ab
          name: web
          resource_type: INSTANCE
          targets: [{"key": "tag:PatchGroup", "values": ["healthplatform-prod-web"]}]
    tasks:
      description:
        - The registered tasks, as C(GetMaintenanceWindowTask) describes them, with C(target_names), the names
          of the window targets they run on.
      type: list
      elements: dict
      sample:
        - window_task_id: 5a6e3e2d-1b2c-4d5e-8f90-0123456789ab
          name: install-patches
          task_arn: AWS-RunPatchBaseline
          task_type: RUN_COMMAND
          priority: 1
          max_concurrency: "50%"
          max_errors: "0"
          target_names: [web]
          task_invocation_parameters:
            run_command:
              parameters: {"Operation": ["Install"], "RebootOption": ["RebootIfNeeded"]}
"""

import json

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import MAINTENANCE_WINDOW
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import TARGET_OPTIONS
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import WINDOW_TARGET_IDS
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import is_cron
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import maintenance_window_view
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import name_error
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import parameters_key
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import parameters_to_lists
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import payload_text
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import rate_control_error
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import read_maintenance_window
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import schedule_expression_error
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import ssm_update_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import targets_error
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import targets_key
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import targets_to_boto3
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import timezone_error

RESOURCE_TYPE = "MaintenanceWindow"
INVOCATION_KEY = {"RUN_COMMAND": "RunCommand", "AUTOMATION": "Automation", "LAMBDA": "Lambda"}
INVOCATION_OPTION = {"RUN_COMMAND": "run_command", "AUTOMATION": "automation", "LAMBDA": "lambda"}


# --- validation -------------------------------------------------------------------------


def _length_error(value, option, maximum):
    if value is not None and not 1 <= len(value) <= maximum:
        return f"{option} must be 1 to {maximum} characters"
    return None


def _names_error(items, option):
    seen = set()
    for index, item in enumerate(items):
        problem = name_error(item["name"], f"{option}[{index}].name")
        if problem:
            return problem
        if item["name"] in seen:
            return f"{option}[{index}].name {item['name']!r} is given twice; names identify {option} and must be unique"
        seen.add(item["name"])
    return None


def task_errors(task, index, target_names):
    option = f"tasks[{index}]"
    problems = [
        rate_control_error(task["max_concurrency"], f"{option}.max_concurrency", "max_concurrency"),
        rate_control_error(task["max_errors"], f"{option}.max_errors", "max_errors"),
        _length_error(task["description"], f"{option}.description", 128),
    ]
    if task["priority"] < 0:
        problems.append(f"{option}.priority must be 0 or more, got {task['priority']}")
    if task["targets"] and (task["max_concurrency"] is None or task["max_errors"] is None):
        problems.append(f"{option} has targets, so it needs max_concurrency and max_errors")
    if target_names is not None:
        for name in task["targets"]:
            if name not in target_names:
                problems.append(f"{option}.targets refers to {name!r}, which is not one of the targets ({', '.join(sorted(target_names)) or 'none'})")
    wanted = INVOCATION_OPTION[task["task_type"]]
    for other in INVOCATION_OPTION.values():
        if other != wanted and task[other] is not None:
            problems.append(f"{option}.{other} does not apply to task_type {task['task_type']}; use {option}.{wanted}")
    for kind in ("run_command", "automation"):
        if task[kind] is not None:
            problems.append(parameters_to_lists(task[kind]["parameters"], f"{option}.{kind}.parameters")[1])
    run_command = task["run_command"] or {}
    timeout = run_command.get("timeout_seconds")
    if timeout is not None and not 30 <= timeout <= 2592000:
        problems.append(f"{option}.run_command.timeout_seconds must be from 30 to 2592000, got {timeout}")
    bucket = run_command.get("output_s3_bucket_name")
    if bucket is not None and not 3 <= len(bucket) <= 63:
        problems.append(f"{option}.run_command.output_s3_bucket_name must be a bucket name (3 to 63 characters), got {bucket!r}")
    return problems


def validate(module):
    """Check what argument_spec cannot; fail before any API call."""
    p = module.params
    problems = [name_error(p["name"], "name")]
    if p["state"] == "present":
        missing = [option for option in ("schedule", "duration", "cutoff") if p[option] is None]
        if missing:
            module.fail_json(msg=f"{', '.join(missing)} required when state is present")
        problems.append(schedule_expression_error(p["schedule"], "schedule", MAINTENANCE_WINDOW))
        problems.append(timezone_error(p["schedule_timezone"], "schedule_timezone"))
        problems.append(_length_error(p["description"], "description", 128))
        if p["schedule_offset"] is not None:
            if not 1 <= p["schedule_offset"] <= 6:
                problems.append(f"schedule_offset must be from 1 to 6 days, got {p['schedule_offset']}")
            elif not is_cron(p["schedule"]):
                problems.append("schedule_offset applies only to a cron(...) schedule")
        if not 1 <= p["duration"] <= 24:
            problems.append(f"duration must be from 1 to 24 hours, got {p['duration']}")
        if not 0 <= p["cutoff"] <= 23:
            problems.append(f"cutoff must be from 0 to 23 hours, got {p['cutoff']}")
        elif p["cutoff"] >= p["duration"]:
            problems.append(
                f"cutoff ({p['cutoff']} h) must be less than duration ({p['duration']} h): tasks may start only until cutoff hours before the window closes"
            )
        target_names = None
        if p["targets"] is not None:
            target_names = {t["name"] for t in p["targets"]}
            problems.append(_names_error(p["targets"], "targets"))
            for index, target in enumerate(p["targets"]):
                problems.append(targets_error(target["targets"], f"targets[{index}].targets"))
                if not target["targets"]:
                    problems.append(f"targets[{index}].targets needs at least one selector")
                problems.append(_length_error(target["owner_information"], f"targets[{index}].owner_information", 128))
                problems.append(_length_error(target["description"], f"targets[{index}].description", 128))
        if p["tasks"] is not None:
            problems.append(_names_error(p["tasks"], "tasks"))
            for index, task in enumerate(p["tasks"]):
                problems.extend(task_errors(task, index, target_names))
    problems = [m for m in problems if m]
    if problems:
        module.fail_json(msg=problems[0], errors=problems)


# --- reading ------------------------------------------------------------------------------


def find_window(module, client, name):
    paginator = client.get_paginator("describe_maintenance_windows")
    identities = paginator.paginate(Filters=[{"Key": "Name", "Values": [name]}]).build_full_result()["WindowIdentities"]
    matches = [w for w in identities if w.get("Name") == name]
    if len(matches) > 1:
        module.fail_json(
            msg=f"the account has {len(matches)} maintenance windows named {name!r} ({', '.join(w['WindowId'] for w in matches)}); remove the extra ones"
        )
    return matches[0] if matches else None


def by_name(module, items, what):
    result = {}
    for item in items:
        name = item.get("Name")
        if not name:
            continue
        if name in result:
            module.fail_json(msg=f"the window has two {what} named {name!r}; they are matched by name, so rename or remove one")
        result[name] = item
    return result


# --- desired state ------------------------------------------------------------------------


def window_settings(params):
    settings = {
        "Name": params["name"],
        "Schedule": params["schedule"],
        "Duration": params["duration"],
        "Cutoff": params["cutoff"],
        "AllowUnassociatedTargets": params["allow_unassociated_targets"],
    }
    for key, option in (("Description", "description"), ("ScheduleTimezone", "schedule_timezone"), ("ScheduleOffset", "schedule_offset")):
        if params[option] is not None:
            settings[key] = params[option]
    return settings


def comparable_window(window):
    return {
        "Name": window.get("Name"),
        "Schedule": window.get("Schedule"),
        "Duration": window.get("Duration"),
        "Cutoff": window.get("Cutoff"),
        # GetMaintenanceWindow always reports it on AWS; its default is false
        "AllowUnassociatedTargets": bool(window.get("AllowUnassociatedTargets", False)),
        "Enabled": bool(window.get("Enabled", True)),
        "Description": window.get("Description") or None,
        "ScheduleTimezone": window.get("ScheduleTimezone") or None,
        "ScheduleOffset": window.get("ScheduleOffset") or None,
    }


def target_definition(target):
    definition = {"Name": target["name"], "ResourceType": target["resource_type"], "Targets": targets_to_boto3(target["targets"])}
    if target["owner_information"] is not None:
        definition["OwnerInformation"] = target["owner_information"]
    if target["description"] is not None:
        definition["Description"] = target["description"]
    return definition


def comparable_target(target):
    return {
        "ResourceType": target.get("ResourceType"),
        "Targets": targets_key(target.get("Targets")),
        "OwnerInformation": target.get("OwnerInformation") or None,
        "Description": target.get("Description") or None,
    }


def invocation(task, current):
    """TaskInvocationParameters for a task option; settings 'not compared when omitted' are kept from ``current``."""
    kind = INVOCATION_KEY[task["task_type"]]
    options = task[INVOCATION_OPTION[task["task_type"]]] or {}
    kept = ((current or {}).get("TaskInvocationParameters") or {}).get(kind) or {}
    if task["task_type"] == "LAMBDA":
        result = {}
        for key, option in (("Payload", "payload"), ("Qualifier", "qualifier"), ("ClientContext", "client_context")):
            if options.get(option) is not None:
                result[key] = options[option]
        return {kind: result}
    result = {"Parameters": parameters_to_lists(options.get("parameters") or {}, "parameters")[0]}
    if options.get("document_version") is not None:
        result["DocumentVersion"] = options["document_version"]
    elif kept.get("DocumentVersion"):
        result["DocumentVersion"] = kept["DocumentVersion"]
    if task["task_type"] == "RUN_COMMAND":
        if options.get("timeout_seconds") is not None:
            result["TimeoutSeconds"] = options["timeout_seconds"]
        elif kept.get("TimeoutSeconds"):
            result["TimeoutSeconds"] = kept["TimeoutSeconds"]
        for key, option in (("Comment", "comment"), ("OutputS3BucketName", "output_s3_bucket_name"), ("OutputS3KeyPrefix", "output_s3_key_prefix")):
            if options.get(option) is not None:
                result[key] = options[option]
    return {kind: result}


def task_definition(task, target_ids, current):
    """The complete desired task in the API's shape (without WindowId / WindowTaskId / ClientToken)."""
    definition = {
        "Name": task["name"],
        "TaskArn": task["task_arn"],
        "TaskType": task["task_type"],
        "Priority": task["priority"],
        "CutoffBehavior": task["cutoff_behavior"],
        "TaskInvocationParameters": invocation(task, current),
    }
    if task["targets"]:
        definition["Targets"] = [{"Key": WINDOW_TARGET_IDS, "Values": [target_ids[name] for name in task["targets"]]}]
    for key, option in (("MaxConcurrency", "max_concurrency"), ("MaxErrors", "max_errors"), ("Description", "description")):
        if task[option] is not None:
            definition[key] = task[option]
    if task["service_role_arn"] is not None:
        definition["ServiceRoleArn"] = task["service_role_arn"]
    elif current and current.get("ServiceRoleArn"):
        definition["ServiceRoleArn"] = current["ServiceRoleArn"]
    return definition


def comparable_invocation(parameters):
    result = {}
    for kind, described in (parameters or {}).items():
        values = dict(described or {})
        if "Parameters" in values:
            values["Parameters"] = parameters_key(values["Parameters"])
        if "Payload" in values:
            values["Payload"] = payload_text(values["Payload"])
        result[kind] = {k: v for k, v in values.items() if v not in (None, "", {}) or k == "Parameters"}
        if kind in ("RunCommand", "Automation"):
            result[kind].setdefault("Parameters", parameters_key({}))
        for extra in ("CloudWatchOutputConfig", "NotificationConfig", "ServiceRoleArn", "DocumentHash", "DocumentHashType"):
            result[kind].pop(extra, None)  # not managed by this module
    return json.dumps(result, sort_keys=True)


def comparable_task(task):
    target_ids = []
    for target in task.get("Targets") or []:
        if target.get("Key") == WINDOW_TARGET_IDS:
            target_ids.extend(target.get("Values") or [])
    return {
        "TaskArn": task.get("TaskArn"),
        "Targets": sorted(target_ids),
        "Priority": task.get("Priority"),
        "MaxConcurrency": task.get("MaxConcurrency") or None,
        "MaxErrors": task.get("MaxErrors") or None,
        "ServiceRoleArn": task.get("ServiceRoleArn") or None,
        "Description": task.get("Description") or None,
        "CutoffBehavior": task.get("CutoffBehavior") or "CONTINUE_TASK",
        "TaskInvocationParameters": comparable_invocation(task.get("TaskInvocationParameters")),
    }


# --- the plan -----------------------------------------------------------------------------


class Plan:
    """What to change, computed from the current window (or None) and the options, before any change."""

    def __init__(self, module, window):
        p = module.params
        self.module = module
        self.window = window
        self.settings = window_settings(p)
        self.update_settings = window is not None and comparable_window(window) != comparable_window(dict(self.settings, Enabled=p["enabled"]))
        current_tags = (window or {}).get("Tags") or {}
        self.tags_to_set, self.tags_to_unset = tag_changes(current_tags, p["tags"], p["purge_tags"]) if window else ({}, [])

        current_targets = by_name(module, (window or {}).get("Targets") or [], "targets")
        self.target_ids = {name: t["WindowTargetId"] for name, t in current_targets.items()}
        self.targets_to_register, self.targets_to_update, self.targets_to_deregister = [], [], []
        if p["targets"] is not None:
            for index, target in enumerate(p["targets"]):
                wanted = target_definition(target)
                existing = current_targets.get(target["name"])
                if existing is None:
                    self.targets_to_register.append(wanted)
                elif existing.get("ResourceType") != wanted["ResourceType"]:
                    module.fail_json(
                        msg=(
                            f"targets[{index}].resource_type cannot be changed ({target['name']} is {existing.get('ResourceType')}); "
                            "give the target a new name (the old one is then deregistered)"
                        )
                    )
                elif comparable_target(existing) != comparable_target(wanted):
                    self.targets_to_update.append((existing, wanted))
            if p["purge_targets"]:
                wanted_names = {t["name"] for t in p["targets"]}
                self.targets_to_deregister = [t for t in (window or {}).get("Targets") or [] if t.get("Name") not in wanted_names]

        # tasks refer to targets by name: resolve against the targets the window will have
        known_targets = {t["name"] for t in p["targets"]} if p["targets"] is not None else set(current_targets)
        self.planned_ids = dict(self.target_ids)
        for target in self.targets_to_register:
            self.planned_ids[target["Name"]] = f"(new target {target['Name']})"
        current_tasks = by_name(module, (window or {}).get("Tasks") or [], "tasks")
        self.tasks_to_register, self.tasks_to_update, self.tasks_to_deregister = [], [], []
        if p["tasks"] is not None:
            for index, task in enumerate(p["tasks"]):
                for name in task["targets"]:
                    if name not in known_targets:
                        module.fail_json(
                            msg=f"tasks[{index}].targets refers to {name!r}, which is not a target of the window ({', '.join(sorted(known_targets)) or 'none'})"
                        )
                existing = current_tasks.get(task["name"])
                if existing is not None and existing.get("TaskType") != task["task_type"]:
                    self.tasks_to_deregister.append(existing)
                    existing = None
                if existing is None:
                    self.tasks_to_register.append(task)
                elif comparable_task(existing) != comparable_task(task_definition(task, self.planned_ids, existing)):
                    self.tasks_to_update.append((existing, task))
            if p["purge_tasks"]:
                wanted_names = {t["name"] for t in p["tasks"]}
                self.tasks_to_deregister.extend(t for t in (window or {}).get("Tasks") or [] if t.get("Name") not in wanted_names)

    @property
    def changed(self):
        return bool(
            self.window is None
            or self.update_settings
            or self.tags_to_set
            or self.tags_to_unset
            or self.targets_to_register
            or self.targets_to_update
            or self.targets_to_deregister
            or self.tasks_to_register
            or self.tasks_to_update
            or self.tasks_to_deregister
        )

    def predicted(self):
        """The window as it will be after apply() (check mode)."""
        p = self.module.params
        window = dict(self.window or {})
        window.update(self.settings)
        window["Enabled"] = p["enabled"]
        for key, option in (("Description", "description"), ("ScheduleTimezone", "schedule_timezone"), ("ScheduleOffset", "schedule_offset")):
            if p[option] is None:
                window.pop(key, None)
        window["Tags"] = merged_tags((self.window or {}).get("Tags"), p["tags"], p["purge_tags"])
        gone = {t["WindowTargetId"] for t in self.targets_to_deregister}
        updates = {existing["WindowTargetId"]: wanted for existing, wanted in self.targets_to_update}
        targets = [dict(t, **updates.get(t["WindowTargetId"], {})) for t in (self.window or {}).get("Targets") or [] if t["WindowTargetId"] not in gone]
        window["Targets"] = targets + [dict(t, WindowTargetId=self.planned_ids[t["Name"]]) for t in self.targets_to_register]
        gone = {t["WindowTaskId"] for t in self.tasks_to_deregister}
        updates = {existing["WindowTaskId"]: task_definition(task, self.planned_ids, existing) for existing, task in self.tasks_to_update}
        tasks = [dict(t, **updates.get(t["WindowTaskId"], {})) for t in (self.window or {}).get("Tasks") or [] if t["WindowTaskId"] not in gone]
        window["Tasks"] = tasks + [task_definition(t, self.planned_ids, None) for t in self.tasks_to_register]
        return window

    def apply(self, client):
        """Make the changes, in an order that never leaves a task pointing at a missing target."""
        p = self.module.params
        if self.window is None:
            create = dict(self.settings, ClientToken=idempotency_token())
            if p["tags"]:
                create["Tags"] = ansible_dict_to_boto3_tag_list(p["tags"])
            window_id = client.create_maintenance_window(aws_retry=True, **create)["WindowId"]
            if not p["enabled"]:  # CreateMaintenanceWindow has no Enabled: windows start enabled
                client.update_maintenance_window(WindowId=window_id, Replace=True, Enabled=False, aws_retry=True, **self.settings)
        else:
            window_id = self.window["WindowId"]
            if self.update_settings:
                client.update_maintenance_window(WindowId=window_id, Replace=True, Enabled=p["enabled"], aws_retry=True, **self.settings)
            ssm_update_tags(client, RESOURCE_TYPE, window_id, self.window.get("Tags"), p["tags"], p["purge_tags"], check_mode=False)

        for target in self.targets_to_register:
            response = client.register_target_with_maintenance_window(WindowId=window_id, ClientToken=idempotency_token(), aws_retry=True, **target)
            self.target_ids[target["Name"]] = response["WindowTargetId"]
        for existing, wanted in self.targets_to_update:
            update = {k: v for k, v in wanted.items() if k != "ResourceType"}
            client.update_maintenance_window_target(WindowId=window_id, WindowTargetId=existing["WindowTargetId"], Replace=True, aws_retry=True, **update)

        for task in self.tasks_to_deregister:
            client.deregister_task_from_maintenance_window(WindowId=window_id, WindowTaskId=task["WindowTaskId"], aws_retry=True)
        for task in self.tasks_to_register:
            definition = task_definition(task, self.target_ids, None)
            client.register_task_with_maintenance_window(WindowId=window_id, ClientToken=idempotency_token(), aws_retry=True, **definition)
        for existing, task in self.tasks_to_update:
            definition = task_definition(task, self.target_ids, existing)
            definition.pop("TaskType")
            client.update_maintenance_window_task(WindowId=window_id, WindowTaskId=existing["WindowTaskId"], Replace=True, aws_retry=True, **definition)

        for target in self.targets_to_deregister:
            try:
                client.deregister_target_from_maintenance_window(WindowId=window_id, WindowTargetId=target["WindowTargetId"], Safe=True, aws_retry=True)
            except is_boto3_error_code("TargetInUseException") as e:
                self.module.fail_json_aws(
                    e,
                    msg=(
                        f"target {target.get('Name') or target['WindowTargetId']} is still used by a task of the window; "
                        "remove that task first (tasks, purge_tasks)"
                    ),
                )
        return window_id


# --- output -------------------------------------------------------------------------------


def diff_view(window):
    """What a reader compares: settings, and targets and tasks keyed by name, without IDs."""
    if not window:
        return {}
    result = maintenance_window_view(window)
    result.pop("window_id", None)
    result.pop("next_execution_time", None)
    result.pop("created_date", None)
    result.pop("modified_date", None)
    result["targets"] = {t.get("name"): {k: v for k, v in t.items() if k not in ("window_id", "window_target_id", "name")} for t in result["targets"]}
    result["tasks"] = {t.get("name"): {k: v for k, v in t.items() if k not in ("window_id", "window_task_id", "name", "targets")} for t in result["tasks"]}
    return result


def main():
    task_options = dict(
        name=dict(type="str", required=True),
        task_type=dict(type="str", choices=["RUN_COMMAND", "AUTOMATION", "LAMBDA"], default="RUN_COMMAND"),
        task_arn=dict(type="str", required=True),
        targets=dict(type="list", elements="str", default=[]),
        priority=dict(type="int", default=1),
        max_concurrency=dict(type="str"),
        max_errors=dict(type="str"),
        service_role_arn=dict(type="str"),
        description=dict(type="str"),
        cutoff_behavior=dict(type="str", choices=["CONTINUE_TASK", "CANCEL_TASK"], default="CONTINUE_TASK"),
        run_command=dict(
            type="dict",
            options=dict(
                parameters=dict(type="dict", default={}),
                document_version=dict(type="str"),
                timeout_seconds=dict(type="int"),
                comment=dict(type="str"),
                output_s3_bucket_name=dict(type="str"),
                output_s3_key_prefix=dict(type="str", no_log=False),
            ),
        ),
        automation=dict(
            type="dict",
            options=dict(
                parameters=dict(type="dict", default={}),
                document_version=dict(type="str"),
            ),
        ),
    )
    task_options["lambda"] = dict(
        type="dict",
        options=dict(
            payload=dict(type="str"),
            qualifier=dict(type="str"),
            client_context=dict(type="str"),
        ),
    )
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        description=dict(type="str"),
        schedule=dict(type="str"),
        schedule_timezone=dict(type="str"),
        schedule_offset=dict(type="int"),
        duration=dict(type="int"),
        cutoff=dict(type="int"),
        allow_unassociated_targets=dict(type="bool", default=False),
        enabled=dict(type="bool", default=True),
        targets=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                resource_type=dict(type="str", choices=["INSTANCE", "RESOURCE_GROUP"], default="INSTANCE"),
                targets=dict(type="list", elements="dict", required=True, options=TARGET_OPTIONS),
                owner_information=dict(type="str"),
                description=dict(type="str"),
            ),
        ),
        purge_targets=dict(type="bool", default=True),
        tasks=dict(type="list", elements="dict", options=task_options),
        purge_tasks=dict(type="bool", default=True),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["schedule", "duration", "cutoff"])],
        supports_check_mode=True,
    )
    validate(module)

    client = retrying_client(module, "ssm")
    name = module.params["name"]
    try:
        identity = find_window(module, client, name)
        before = read_maintenance_window(client, identity["WindowId"]) if identity else None
        if module.params["state"] == "absent":
            if before and not module.check_mode:
                client.delete_maintenance_window(WindowId=before["WindowId"], aws_retry=True)
            module.exit_json(changed=before is not None, maintenance_window={}, diff=diff_of(diff_view(before), {}))
        plan = Plan(module, before)
        if not plan.changed:
            after = before
        elif module.check_mode:
            after = plan.predicted()
        else:
            after = read_maintenance_window(client, plan.apply(client))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the maintenance window {name}")

    module.exit_json(changed=plan.changed, maintenance_window=maintenance_window_view(after), diff=diff_of(diff_view(before), diff_view(after)))


if __name__ == "__main__":
    main()
