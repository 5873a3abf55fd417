# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers shared by the SSM Patch Manager and State Manager modules.

- Validators for what argument_spec cannot check: schedule expressions
  (cron / rate / at, as Systems Manager accepts them), rate controls
  (MaxConcurrency / MaxErrors), resource names, targets, document parameters,
  time zones. Each returns an error message that names the option, or None,
  so that modules fail before any API call.
- Conversions between the modules' target and parameter options and the API.
- Tags of SSM resources, which are changed with AddTagsToResource /
  RemoveTagsFromResource and read with ListTagsForResource.

Reference for the schedule grammar:
https://docs.aws.amazon.com/systems-manager/latest/userguide/reference-cron-and-rate-expressions.html
"""

from __future__ import annotations

import datetime
import json
import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes

try:
    import zoneinfo
except ImportError:  # Python < 3.9 has no zoneinfo: time zones are then left to the API to check
    zoneinfo = None

# --- names --------------------------------------------------------------------

# BaselineName, MaintenanceWindowName, AssociationName and target/task names share this pattern.
NAME_PATTERN = re.compile(r"^[a-zA-Z0-9_\-.]{3,128}$")


def name_error(value, option):
    """The API's name rule: 3 to 128 letters, digits, ``_``, ``-`` or ``.``."""
    if value is None or NAME_PATTERN.match(value):
        return None
    return f"{option} must be 3 to 128 characters of letters, digits, '_', '-' or '.', got {value!r}"


# --- schedule expressions -------------------------------------------------------

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")

# (field name, lowest, highest, names allowed instead of numbers)
CRON_FIELDS = (
    ("minutes", 0, 59, ()),
    ("hours", 0, 23, ()),
    ("day-of-month", 1, 31, ()),
    ("month", 1, 12, MONTHS),
    ("day-of-week", 1, 7, DAYS),
    ("year", 1970, 2199, ()),
)
RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")
UNIT_MINUTES = {"minute": 1, "hour": 60, "day": 24 * 60}

# The OperatingSystem enum of the SSM API model (patch baselines); a unit test keeps it equal to botocore's.
OPERATING_SYSTEMS = [
    "WINDOWS",
    "AMAZON_LINUX",
    "AMAZON_LINUX_2",
    "AMAZON_LINUX_2022",
    "UBUNTU",
    "REDHAT_ENTERPRISE_LINUX",
    "SUSE",
    "CENTOS",
    "ORACLE_LINUX",
    "DEBIAN",
    "MACOS",
    "RASPBIAN",
    "ROCKY_LINUX",
    "ALMA_LINUX",
    "AMAZON_LINUX_2023",
]

MAINTENANCE_WINDOW = "maintenance window"
ASSOCIATION = "association"


def _value_ok(token, low, high, names):
    if token.isdigit():
        return low <= int(token) <= high
    return token in names


def _range_ok(token, low, high, names):
    if "-" in token:
        first, last = token.split("-", 1)
        return _value_ok(first, low, high, names) and _value_ok(last, low, high, names)
    return _value_ok(token, low, high, names)


def _item_ok(item, low, high, names):
    if "/" in item:
        base, step = item.split("/", 1)
        if not step.isdigit() or int(step) < 1:
            return False
        return base == "*" or _range_ok(base, low, high, names)
    return item == "*" or _range_ok(item, low, high, names)


def _day_of_month_special(field):
    # ? (any), L (last day), LW (last weekday), L-3 (third-last day), 15W (weekday nearest the 15th)
    if field in ("?", "L", "LW"):
        return True
    if re.match(r"^L-([0-9]|[12][0-9]|30)$", field):
        return True
    match = re.match(r"^(\d{1,2})W$", field)
    return bool(match) and 1 <= int(match.group(1)) <= 31


def _day_of_week_special(field):
    # ? (any), L (last day of the week), 6L / FRIL (last Friday), TUE#3 / 3#3 (third Tuesday)
    if field in ("?", "L"):
        return True
    match = re.match(r"^([1-7]|[A-Z]{3})(L|#[1-5])$", field)
    return bool(match) and _value_ok(match.group(1), 1, 7, DAYS)


def _cron_error(body):
    fields = body.split()
    if len(fields) == 7:
        seconds, fields = fields[0], fields[1:]
        if not (seconds.isdigit() and int(seconds) <= 59):
            return "the optional leading seconds field must be a number from 0 to 59"
    if len(fields) != 6:
        return f"a cron expression has 6 fields (minutes hours day-of-month month day-of-week year, optionally preceded by seconds), got {len(fields)}"
    for (name, low, high, names), field in zip(CRON_FIELDS, fields):
        field_upper = field.upper()
        if name == "day-of-month" and _day_of_month_special(field_upper):
            continue
        if name == "day-of-week" and _day_of_week_special(field_upper):
            continue
        if not all(_item_ok(item, low, high, names) for item in field_upper.split(",")):
            allowed = f"{low}-{high}" + (f" or {names[0]}-{names[-1]}" if names else "")
            return f"the {name} field {field!r} is not valid (values {allowed}, wildcards , - * /)"
    day_of_month, day_of_week = fields[2], fields[4]
    if (day_of_month == "?") == (day_of_week == "?"):
        return "exactly one of the day-of-month and day-of-week fields must be ? (a value in one means ? in the other)"
    return None


def _rate_error(body_match, kind):
    value, unit = int(body_match.group(1)), body_match.group(2)
    if value < 1:
        return "the rate value must be a positive number"
    if (value == 1) != (not unit.endswith("s")):
        return f"the unit must be singular for 1 and plural otherwise, e.g. rate(1 {unit.rstrip('s')}) or rate({max(value, 2)} {unit.rstrip('s')}s)"
    minutes = value * UNIT_MINUTES[unit.rstrip("s")]
    if kind == ASSOCIATION and not 30 <= minutes < 31 * 24 * 60:
        return "associations support rates of 30 minutes or more and less than 31 days"
    return None


def schedule_expression_error(expression, option, kind=MAINTENANCE_WINDOW):
    """Check a Systems Manager schedule: ``cron(...)``, ``rate(N unit)`` or ``at(yyyy-mm-ddThh:mm:ss)``.

    ``kind`` is MAINTENANCE_WINDOW or ASSOCIATION (associations accept only
    rates from 30 minutes to under 31 days). Returns a message naming
    ``option``, or None when the expression is valid.
    """
    if expression is None:
        return None
    problem = None
    if expression.startswith("cron(") and expression.endswith(")"):
        problem = _cron_error(expression[len("cron(") : -1])
    elif expression.startswith("rate("):
        match = RATE.match(expression)
        problem = _rate_error(match, kind) if match else "a rate expression is rate(N unit) with unit minute(s), hour(s) or day(s)"
    elif expression.startswith("at("):
        match = AT.match(expression)
        try:
            if not match:
                raise ValueError(expression)
            datetime.datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            problem = "a one-time schedule is at(yyyy-mm-ddThh:mm:ss), in UTC"
    else:
        problem = "it must be a cron(...), rate(...) or at(...) expression"
    if problem:
        return f"{option} {expression!r} is not a valid {kind} schedule: {problem}"
    return None


def is_cron(expression):
    return bool(expression) and expression.startswith("cron(")


def timezone_error(value, option):
    """An IANA time zone name (``Europe/Paris``), checked against the host's tz database when it has one."""
    if value is None or zoneinfo is None:
        return None
    try:
        if not zoneinfo.available_timezones():
            return None  # no tz database on this host: leave the check to the API
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return f"{option} must be an IANA time zone name such as Etc/UTC or America/Los_Angeles, got {value!r}"
    return None


# --- rate controls --------------------------------------------------------------

RATE_CONTROL = {
    # the API's own patterns (MaxConcurrency, MaxErrors)
    "max_concurrency": (re.compile(r"^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$"), "a number of targets from 1, or a percentage from 1% to 100%"),
    "max_errors": (re.compile(r"^([1-9][0-9]*|0|[1-9][0-9]%|[0-9]%|100%)$"), "a number of errors from 0, or a percentage from 0% to 100%"),
}


def rate_control_error(value, option, kind):
    """``kind`` is ``max_concurrency`` or ``max_errors``; ``value`` a string such as ``10`` or ``25%``."""
    if value is None:
        return None
    pattern, wanted = RATE_CONTROL[kind]
    if len(value) > 7 or not pattern.match(value):
        return f"{option} must be {wanted} (e.g. '10' or '25%'), got {value!r}"
    return None


# --- targets and parameters -----------------------------------------------------

TARGET_KEY = re.compile(r"^([\w .:/=\-@]{1,163}|resource-groups:ResourceTypeFilters|resource-groups:Name)$")


def targets_error(targets, option):
    """Targets are up to 5 ``{key, values}`` with up to 50 values each, e.g. ``{key: tag:PatchGroup, values: [web]}``."""
    if targets is None:
        return None
    if len(targets) > 5:
        return f"{option} takes at most 5 targets, got {len(targets)}"
    for index, target in enumerate(targets):
        if not TARGET_KEY.match(target["key"]):
            return f"{option}[{index}].key {target['key']!r} is not a valid target key (e.g. tag:PatchGroup, InstanceIds, resource-groups:Name)"
        if len(target["values"]) > 50:
            return f"{option}[{index}].values takes at most 50 values"
    return None


def targets_to_boto3(targets):
    return [{"Key": t["key"], "Values": list(t["values"])} for t in targets or []]


def targets_key(targets):
    """An order-insensitive form of API targets, for comparison."""
    return sorted((t.get("Key"), tuple(sorted(t.get("Values") or []))) for t in targets or [])


def parameters_to_lists(parameters, option):
    """Document parameters as the API wants them: a dict of lists of strings.

    A scalar value is taken as a one-element list. Returns (parameters, error).
    """
    if parameters is None:
        return None, None
    result = {}
    for name, value in parameters.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, (str, int, float, bool)) and not isinstance(v, dict) for v in values):
            return None, f"{option}.{name} must be a string or a list of strings"
        result[str(name)] = [_as_string(v) for v in values]
    return result, None


def _as_string(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parameters_key(parameters):
    return json.dumps(parameters or {}, sort_keys=True)


# --- tags -----------------------------------------------------------------------


def ssm_tags(client, resource_type, resource_id):
    """Tags of an SSM resource (PatchBaseline, MaintenanceWindow, Association, ...) as a dict."""
    response = client.list_tags_for_resource(ResourceType=resource_type, ResourceId=resource_id, aws_retry=True)
    return boto3_tag_list_to_ansible_dict(response.get("TagList") or [])


def ssm_update_tags(client, resource_type, resource_id, current, desired, purge_tags, check_mode):
    """Apply tag changes with AddTagsToResource / RemoveTagsFromResource. Returns True if anything changed."""
    to_set, to_unset = tag_changes(current, desired, purge_tags)
    if not (to_set or to_unset):
        return False
    if check_mode:
        return True
    if to_unset:
        client.remove_tags_from_resource(ResourceType=resource_type, ResourceId=resource_id, TagKeys=list(to_unset), aws_retry=True)
    if to_set:
        client.add_tags_to_resource(ResourceType=resource_type, ResourceId=resource_id, Tags=ansible_dict_to_boto3_tag_list(to_set), aws_retry=True)
    return True


# --- maintenance windows ----------------------------------------------------------------

WINDOW_TARGET_IDS = "WindowTargetIds"
# Keys whose values are user data and keep their spelling in the returned snake_case structures.
KEEP_CASE = ("Parameters", "TaskParameters")


def read_maintenance_window(client, window_id):
    """A window (GetMaintenanceWindow) with its Tags (a dict), Targets and Tasks (each from GetMaintenanceWindowTask)."""
    window = client.get_maintenance_window(WindowId=window_id, aws_retry=True)
    window.pop("ResponseMetadata", None)
    window["Tags"] = ssm_tags(client, "MaintenanceWindow", window_id)
    paginator = client.get_paginator("describe_maintenance_window_targets")
    window["Targets"] = paginator.paginate(WindowId=window_id).build_full_result()["Targets"]
    paginator = client.get_paginator("describe_maintenance_window_tasks")
    tasks = []
    for summary in paginator.paginate(WindowId=window_id).build_full_result()["Tasks"]:
        # DescribeMaintenanceWindowTasks does not include the invocation parameters
        task = client.get_maintenance_window_task(WindowId=window_id, WindowTaskId=summary["WindowTaskId"], aws_retry=True)
        task.pop("ResponseMetadata", None)
        tasks.append(task)
    window["Tasks"] = tasks
    return window


def _snake_key(key):
    return next(iter(camel_dict_to_snake_dict({key: None})))


def snake_keep_parameters(value):
    """Like camel_dict_to_snake_dict, but the values under KEEP_CASE keys (document parameters, user data)
    keep their spelling at any depth: {"Operation": ["Install"]} must not become {"operation": ...}."""
    if isinstance(value, dict):
        return {_snake_key(k): (v if k in KEEP_CASE else snake_keep_parameters(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [snake_keep_parameters(v) for v in value]
    return value


def payload_text(value):
    """A Lambda task payload (bytes from the API) as text."""
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", errors="replace")
    return value


def maintenance_window_view(window):
    """A window from read_maintenance_window() as modules return it: snake_case, tasks with their targets' names."""
    if not window:
        return {}
    names = {t.get("WindowTargetId"): t.get("Name") for t in window.get("Targets") or []}
    plain = {k: v for k, v in window.items() if k not in ("Tags", "Targets", "Tasks")}
    result = camel_dict_to_snake_dict(plain)
    result["tags"] = dict(window.get("Tags") or {})
    result["targets"] = [camel_dict_to_snake_dict(t) for t in window.get("Targets") or []]
    result["tasks"] = []
    for described in window.get("Tasks") or []:
        task = dict(described)
        parameters = task.get("TaskInvocationParameters") or {}
        if "Payload" in (parameters.get("Lambda") or {}):
            task["TaskInvocationParameters"] = dict(parameters, Lambda=dict(parameters["Lambda"], Payload=payload_text(parameters["Lambda"]["Payload"])))
        entry = snake_keep_parameters(task)
        ids = [v for t in task.get("Targets") or [] if t.get("Key") == WINDOW_TARGET_IDS for v in t.get("Values") or []]
        entry["target_names"] = [names.get(i, i) for i in ids]
        result["tasks"].append(entry)
    return result


# --- associations -----------------------------------------------------------------------


def find_association(module, client, name):
    """The ListAssociations summary of the association called ``name``, or None."""
    paginator = client.get_paginator("list_associations")
    found = paginator.paginate(AssociationFilterList=[{"key": "AssociationName", "value": name}]).build_full_result()["Associations"]
    matches = [a for a in found if a.get("AssociationName") == name]
    if len(matches) > 1:
        module.fail_json(
            msg=f"the account has {len(matches)} associations named {name!r} ({', '.join(a['AssociationId'] for a in matches)}); remove the extra ones"
        )
    return matches[0] if matches else None


def read_association(client, association_id):
    """DescribeAssociation's description of an association, with its Tags as a dict."""
    description = client.describe_association(AssociationId=association_id, aws_retry=True)["AssociationDescription"]
    description["Tags"] = ssm_tags(client, "Association", association_id)
    return description


# --- argument_spec fragments -------------------------------------------------------

TARGET_OPTIONS = dict(
    key=dict(type="str", required=True, no_log=False),
    values=dict(type="list", elements="str", required=True),
)
