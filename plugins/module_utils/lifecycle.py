# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers shared by the snapshot-schedule and backup modules (DLM, AWS Backup).

- Validators for what argument_spec cannot check: cron expressions of
  snapshot schedules, retention rules (a count or an age, never both),
  Vault Lock retention ranges, KMS key and IAM role ARNs. Each returns an
  error message that names the option, or None, so that modules fail before
  any API call.
- ``all_pages()``: every page of a NextToken-paginated call, each request
  retried with the client's jittered backoff (``aws_retry=True``).
- Tags of AWS Backup resources (ListTags / TagResource / UntagResource).

The cron grammar is the one Systems Manager, EventBridge, DLM and AWS Backup
share; its validator lives in ``ssm.py`` and is reused here.
"""

from __future__ import annotations

import json
import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import is_cron
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import schedule_expression_error

# --- ARNs -------------------------------------------------------------------------

IAM_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")
KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:([a-z]+-[a-z-]+-\d):\d{12}:key/[A-Za-z0-9-]+$")
REGION = re.compile(r"^([a-z]+-){2,3}\d$")


def role_arn_error(value, option):
    if value is None or IAM_ROLE_ARN.match(value):
        return None
    return f"{option} must be an IAM role ARN such as arn:aws:iam::123456789012:role/my-role, got {value!r}"


def kms_key_arn_error(value, option):
    """A customer KMS key ARN (``arn:aws:kms:REGION:ACCOUNT:key/ID``); aliases are not accepted, since AWS reports the key ARN."""
    if value is None or KMS_KEY_ARN.match(value):
        return None
    return f"{option} must be a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/1234abcd-... (not an alias or a key ID), got {value!r}"


def kms_key_region(value):
    match = KMS_KEY_ARN.match(value or "")
    return match.group(1) if match else None


def region_error(value, option):
    if value is None or REGION.match(value):
        return None
    return f"{option} must be an AWS region name such as us-west-2, got {value!r}"


# --- schedules ----------------------------------------------------------------------


def cron_error(expression, option, kind="snapshot"):
    """A ``cron(minutes hours day-of-month month day-of-week year)`` schedule, as DLM and AWS Backup accept it.

    Delegates the field grammar to ssm.schedule_expression_error; rate() and
    at() expressions and the optional leading seconds field (which only
    Systems Manager accepts) are refused.
    """
    if expression is None:
        return None
    if not is_cron(expression) or not expression.endswith(")"):
        return f"{option} {expression!r} is not a valid {kind} schedule: it must be a cron(...) expression, e.g. cron(0 5 ? * * *)"
    fields = expression[len("cron(") : -1].split()
    if len(fields) != 6:
        return (
            f"{option} {expression!r} is not a valid {kind} schedule: a cron expression has 6 fields "
            f"(minutes hours day-of-month month day-of-week year), got {len(fields)}"
        )
    return schedule_expression_error(expression, option, kind=kind)


# --- retention --------------------------------------------------------------------------

RETENTION_UNITS = ("DAYS", "WEEKS", "MONTHS", "YEARS")
MAX_RETAIN_COUNT = 1000
# AWS Backup Vault Lock limits (PutBackupVaultLockConfiguration).
MAX_RETENTION_DAYS = 36500
MIN_CHANGEABLE_DAYS = 3


def retain_rule_error(rule, option, allow_count=True):
    """A retention rule: ``count`` (keep the newest N) or ``interval`` + ``interval_unit`` (keep for an age), exactly one.

    ``rule`` is the option's dict (keys count, interval, interval_unit); cross-Region
    copy rules only retain by age (``allow_count=False``).
    """
    if rule is None:
        return None
    count, interval, unit = rule.get("count"), rule.get("interval"), rule.get("interval_unit")
    by_age = interval is not None or unit is not None
    if count is not None and not allow_count:
        return f"{option}.count is not supported here: retain copies by age with {option}.interval and {option}.interval_unit"
    if count is not None and by_age:
        return f"{option} retains either by count ({option}.count) or by age ({option}.interval and {option}.interval_unit), not both"
    if count is None and not by_age:
        wanted = f"{option}.count, or {option}.interval and {option}.interval_unit" if allow_count else f"{option}.interval and {option}.interval_unit"
        return f"{option} needs {wanted}"
    if count is not None:
        if not 1 <= count <= MAX_RETAIN_COUNT:
            return f"{option}.count must be from 1 to {MAX_RETAIN_COUNT}, got {count}"
        return None
    if interval is None or unit is None:
        return f"{option} retains by age: give both {option}.interval and {option}.interval_unit"
    if interval < 1:
        return f"{option}.interval must be at least 1, got {interval}"
    if unit not in RETENTION_UNITS:
        return f"{option}.interval_unit must be one of {', '.join(RETENTION_UNITS)}, got {unit!r}"
    return None


def retain_rule_to_api(rule):
    """The API's RetainRule (``{"Count": n}`` or ``{"Interval": n, "IntervalUnit": unit}``) of a validated rule."""
    if rule is None:
        return None
    if rule.get("count") is not None:
        return {"Count": rule["count"]}
    return {"Interval": rule["interval"], "IntervalUnit": rule["interval_unit"]}


def retention_range_error(min_days, max_days, min_option, max_option):
    """Vault Lock retention: minimum 1 day, maximum 36500 days, minimum not above maximum."""
    for value, option in ((min_days, min_option), (max_days, max_option)):
        if value is not None and not 1 <= value <= MAX_RETENTION_DAYS:
            return f"{option} must be from 1 to {MAX_RETENTION_DAYS} days, got {value}"
    if min_days is not None and max_days is not None and min_days > max_days:
        return f"{min_option} ({min_days}) must not be greater than {max_option} ({max_days})"
    return None


def changeable_days_error(value, option):
    """The grace time of a compliance-mode Vault Lock: 3 to 36500 days."""
    if value is None or MIN_CHANGEABLE_DAYS <= value <= MAX_RETENTION_DAYS:
        return None
    return f"{option} must be from {MIN_CHANGEABLE_DAYS} to {MAX_RETENTION_DAYS} days, got {value}"


# --- API helpers --------------------------------------------------------------------------


def all_pages(call, key, **request):
    """Every item under ``key`` of a NextToken-paginated call; each page is requested with aws_retry=True."""
    items = []
    while True:
        response = call(aws_retry=True, **request)
        items.extend(response.get(key) or [])
        token = response.get("NextToken")
        if not token:
            return items
        request["NextToken"] = token


def backup_tags(client, arn):
    """Tags of an AWS Backup resource (vault, plan) as a dict."""
    tags = {}
    request = {"ResourceArn": arn}
    while True:
        response = client.list_tags(aws_retry=True, **request)
        tags.update(response.get("Tags") or {})
        if not response.get("NextToken"):
            return tags
        request["NextToken"] = response["NextToken"]


def backup_vault_access_policy(client, name):
    """The access policy of a backup vault as a dict ({} when the vault has none)."""
    try:
        response = client.get_backup_vault_access_policy(BackupVaultName=name, aws_retry=True)
    except is_boto3_error_code("ResourceNotFoundException"):
        return {}
    return json.loads(response.get("Policy") or "{}")


def backup_update_tags(client, arn, current, desired, purge_tags, check_mode):
    """Apply tag changes to an AWS Backup resource. Returns True if anything changed."""
    to_set, to_unset = tag_changes(current, desired, purge_tags)
    if not (to_set or to_unset):
        return False
    if check_mode:
        return True
    if to_unset:
        client.untag_resource(ResourceArn=arn, TagKeyList=list(to_unset), aws_retry=True)
    if to_set:
        client.tag_resource(ResourceArn=arn, Tags=to_set, aws_retry=True)
    return True


def snake_resource(resource, tags=None, drop=("ResponseMetadata", "Tags")):
    """An AWS description in snake_case without ``drop`` keys, with ``tags`` (a dict, never snake-cased) under ``tags``."""
    if not resource:
        return {}
    result = camel_dict_to_snake_dict({k: v for k, v in resource.items() if k not in drop})
    result["tags"] = dict(tags or {})
    return result
