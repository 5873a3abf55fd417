# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon Inspector (v2) scanning, shared by inspector2 and threat_detection (its ``inspector2`` option).

- scanning_options() / REQUIRED_IF: the options (a new dict on each call), without the
  connection ones, and their required_if rule.
- validate(): what argument_spec cannot check (account ID, resource type names against the
  API model); the problems, each naming the option, before any API call.
- manage(): read the account's status, plan, enable / disable (check mode aware); returns
  (changed, result, diff), the result being what inspector2 returns besides ``changed`` and
  ``diff``. botocore errors are left to the caller (fail_json_aws with FAILURE).
"""

from __future__ import annotations

import re

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import enum_problem
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import inspector2_account
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import inspector2_read_status
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import inspector2_resource_types
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import inspector2_statuses
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import snake

FAILURE = "Failed to manage Amazon Inspector scanning"
# ENABLING counts as enabled: a run right after enabling does not enable again.
ON = ("ENABLED", "ENABLING")
ACCOUNT_ID = re.compile(r"^\d{12}$")
REQUIRED_IF = [("state", "present", ["resource_types"])]


def scanning_options():
    """inspector2's options; the suboptions of threat_detection's ``inspector2``."""
    return dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        resource_types=dict(type="list", elements="str"),
        purge_resource_types=dict(type="bool", default=False),
        account_id=dict(type="str"),
    )


def validate(params, client, where=""):
    """The problems argument_spec cannot see, each naming the option (prefixed by ``where``, for
    example ``inspector2.``); [] when there are none. Reads only the client's API model."""
    problems = []
    if params["account_id"] is not None and not ACCOUNT_ID.match(params["account_id"]):
        problems.append(f"{where}account_id must be a 12-digit AWS account ID, got {params['account_id']!r}")
    if params["state"] == "absent":
        if params["resource_types"]:
            problems.append(
                f"{where}resource_types is not used with state=absent, which disables every resource type; "
                f"to disable only some, use state=present with purge_resource_types=true"
            )
        return problems
    known = inspector2_resource_types(client)
    for index, resource_type in enumerate(params["resource_types"] or []):
        problem = enum_problem(f"{where}resource_types[{index}]", resource_type, known, "resource type")
        if problem:
            problems.append(problem)
    return problems


def fail_on_failed_accounts(module, response, action):
    failed = response.get("failedAccounts") or []
    if failed:
        first = failed[0]
        module.fail_json(msg=f"Inspector could not {action} for account {first.get('accountId')}: {first.get('errorCode')} {first.get('errorMessage')}")


def manage(module, client, params):
    """Bring the account's scanning to ``params`` (validated). Returns (changed, result, diff) with
    result {account_id, resource_types, enabled_resource_types, account_status}."""
    known = inspector2_resource_types(client)
    account_id = inspector2_account(module, params["account_id"])
    status = inspector2_read_status(module, client, account_id)
    before = inspector2_statuses(status, known)
    enabled = {name for name, value in before.items() if value in ON}
    if params["state"] == "absent":
        to_enable, to_disable = set(), enabled
    else:
        wanted = set(params["resource_types"])
        to_enable = wanted - enabled
        to_disable = enabled - wanted if params["purge_resource_types"] else set()

    changed = bool(to_enable or to_disable)
    after = dict(before)
    if changed and module.check_mode:
        after.update({name: "ENABLED" for name in to_enable})
        after.update({name: "DISABLED" for name in to_disable})
    elif changed:
        if to_enable:
            response = client.enable(accountIds=[account_id], resourceTypes=sorted(to_enable), clientToken=idempotency_token(), aws_retry=True)
            fail_on_failed_accounts(module, response, "enable " + ", ".join(sorted(to_enable)))
        if to_disable:
            response = client.disable(accountIds=[account_id], resourceTypes=sorted(to_disable), aws_retry=True)
            fail_on_failed_accounts(module, response, "disable " + ", ".join(sorted(to_disable)))
        status = inspector2_read_status(module, client, account_id)
        after = inspector2_statuses(status, known)

    result = dict(
        account_id=account_id,
        resource_types=after,
        enabled_resource_types=sorted(name for name, value in after.items() if value in ON),
        account_status=snake(status),
    )
    return changed, result, diff_of({"resource_types": before}, {"resource_types": after})
