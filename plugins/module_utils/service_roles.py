# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers shared by iam_service_role and iam_service_role_info.

- trust_policy(): the trust policy that lets AWS services (and only them) assume a role,
  optionally only on behalf of one account (aws:SourceAccount, against the confused deputy).
- policy_document(): an inline policy option (mapping or JSON text) as a mapping, or an error.
- policy_problems(): what makes a policy unfit for a service role (full administrator,
  NotAction allows), so a module can refuse it before any API call.
- read_role(): the role with its inline policies and attached managed policies.
"""

from __future__ import annotations

import json

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict


def trust_policy(services, source_account=None):
    statement = {"Effect": "Allow", "Principal": {"Service": sorted(services) if len(services) > 1 else services[0]}, "Action": "sts:AssumeRole"}
    if source_account:
        statement["Condition"] = {"StringEquals": {"aws:SourceAccount": source_account}}
    return {"Version": "2012-10-17", "Statement": [statement]}


def policy_document(value):
    """(document, error): ``value`` as a mapping, or None and why it is not a policy document."""
    if isinstance(value, (str, bytes)):
        try:
            value = json.loads(value)
        except ValueError as e:
            return None, f"is not valid JSON ({e})"
    if not isinstance(value, dict):
        return None, "must be a policy document (a mapping or its JSON text)"
    statements = value.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        return None, "must have a Statement list"
    for index, statement in enumerate(statements):
        if not isinstance(statement, dict) or statement.get("Effect") not in ("Allow", "Deny"):
            return None, f"Statement[{index}] needs an Effect of Allow or Deny"
        if not ({"Action", "NotAction"} & set(statement)):
            return None, f"Statement[{index}] needs an Action"
    return value, None


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def policy_problems(document):
    """Readable reasons why ``document`` is unfit for a least-privilege service role ([] when none)."""
    problems = []
    statements = document.get("Statement")
    for index, statement in enumerate(statements if isinstance(statements, list) else [statements]):
        if statement.get("Effect") != "Allow":
            continue
        if "NotAction" in statement:
            problems.append(f"Statement[{index}] allows with NotAction (everything but a list)")
        actions = _as_list(statement.get("Action"))
        resources = _as_list(statement.get("Resource"))
        if any(a in ("*", "*:*") for a in actions) and "*" in resources:
            problems.append(f"Statement[{index}] allows every action on every resource (full administrator)")
    return problems


def read_role(client, name, inline=True, managed=True):
    """The role (GetRole) with ``InlinePolicies`` {name: document} and ``ManagedPolicyArns``, or None when it does not exist."""
    try:
        role = client.get_role(RoleName=name, aws_retry=True)["Role"]
    except is_boto3_error_code("NoSuchEntity"):
        return None
    if inline:
        names = []
        request = {"RoleName": name}
        while True:
            page = client.list_role_policies(aws_retry=True, **request)
            names.extend(page.get("PolicyNames") or [])
            if not page.get("IsTruncated"):
                break
            request["Marker"] = page["Marker"]
        role["InlinePolicies"] = {n: client.get_role_policy(RoleName=name, PolicyName=n, aws_retry=True)["PolicyDocument"] for n in names}
    if managed:
        arns = []
        request = {"RoleName": name}
        while True:
            page = client.list_attached_role_policies(aws_retry=True, **request)
            arns.extend(p["PolicyArn"] for p in page.get("AttachedPolicies") or [])
            if not page.get("IsTruncated"):
                break
            request["Marker"] = page["Marker"]
        role["ManagedPolicyArns"] = sorted(arns)
    return role


def snake_role(role):
    """A role in snake_case; policy documents are kept as AWS wrote them (not snake_cased)."""
    if not role:
        return {}
    keep = {k: role[k] for k in ("AssumeRolePolicyDocument", "InlinePolicies") if k in role}
    result = camel_dict_to_snake_dict({k: v for k, v in role.items() if k not in ("Tags", *keep)})
    if "AssumeRolePolicyDocument" in keep:
        result["assume_role_policy_document"] = keep["AssumeRolePolicyDocument"]
    if "InlinePolicies" in keep:
        result["inline_policies"] = keep["InlinePolicies"]
    result["tags"] = boto3_tag_list_to_ansible_dict(role.get("Tags") or []) if isinstance(role.get("Tags"), list) else dict(role.get("Tags") or {})
    return result
