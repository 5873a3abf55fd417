# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers shared by iam_service_role, iam_service_roles and iam_service_role_info.

- validate_role(): check one role's options (names, principals, conditions, policy documents)
  before any API call; returns the parsed inline policies or the error, naming the option.
- trust_policy(): the trust policy that lets AWS services (and only them) assume a role,
  optionally only on behalf of one account (aws:SourceAccount, against the confused deputy)
  and only for some resources (aws:SourceArn).
- policy_document(): an inline policy option (mapping or JSON text) as a mapping, or an error.
- policy_problems(): what makes a policy unfit for a service role (full administrator,
  NotAction allows), so a module can refuse it before any API call.
- read_role(): the role with its inline policies and attached managed policies.
- ensure_role(): create or update one role from its options (check mode aware).
- delete_role(): detach, delete inline policies, leave instance profiles, delete the role.
"""

from __future__ import annotations

import json
import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes

ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
POLICY_NAME = re.compile(r"^[\w+=,.@-]{1,128}$")
ROLE_PATH = re.compile(r"^/([\x21-\x7e]+/)?$")
SERVICE = re.compile(r"^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$")
MANAGED_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(aws|\d{12}):policy/.+$")
# arn:partition:service:region:account:resource, region and account may be * (ArnLike).
SOURCE_ARN = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*\*?:(\d{12}|\*)?:\S+$")
# IAM accepts only letters and digits in a Sid.
SID = re.compile(r"^[A-Za-z0-9]{1,128}$")
ROLE_ARN = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/")
# IAM's limit on the inline policies of one role, counted without whitespace.
INLINE_LIMIT = 10240


def validate_role(spec, where="", present=True):
    """(inline, error) for one role's options ``spec`` (the module options of iam_service_role,
    or one item of iam_service_roles' roles): the parsed inline policies (None when not given),
    or a message naming the option, prefixed by ``where`` (for example ``roles[1].``)."""
    if not ROLE_NAME.match(spec["name"]):
        return None, f"{where}name: {spec['name']!r} is not an IAM role name (1-64 letters, digits and +=,.@_-)"
    if not ROLE_PATH.match(spec["path"]) or len(spec["path"]) > 512:
        return None, f"{where}path must start and end with / (for example /service-role/), got {spec['path']!r}"
    if not present:
        return None, None
    if not spec["trusted_services"]:
        return None, f"{where}trusted_services is required with state=present (for example [lambda.amazonaws.com])"
    for index, service in enumerate(spec["trusted_services"]):
        if not SERVICE.match(service):
            return None, f"{where}trusted_services[{index}]: {service!r} is not an AWS service principal such as lambda.amazonaws.com"
    for index, arn in enumerate(spec.get("source_arns") or []):
        if not SOURCE_ARN.match(arn):
            return None, f"{where}source_arns[{index}]: {arn!r} is not an ARN (pattern) such as arn:aws:cloudtrail:*:123456789012:trail/*"
    if spec.get("trust_sid") is not None and not SID.match(spec["trust_sid"]):
        return None, f"{where}trust_sid: {spec['trust_sid']!r} must be 1-128 letters and digits"
    if spec["max_session_duration"] is not None and not 3600 <= spec["max_session_duration"] <= 43200:
        return None, f"{where}max_session_duration must be between 3600 and 43200 seconds, got {spec['max_session_duration']}"
    for index, arn in enumerate(spec["managed_policy_arns"] or []):
        if not MANAGED_ARN.match(arn):
            return None, f"{where}managed_policy_arns[{index}]: {arn!r} is not a managed policy ARN"
    if spec["inline_policies"] is None:
        return None, None
    parsed, size = {}, 0
    for name, value in spec["inline_policies"].items():
        if not POLICY_NAME.match(name):
            return None, f"{where}inline_policies: {name!r} is not a policy name (1-128 letters, digits and +=,.@_-)"
        document, error = policy_document(value)
        if error:
            return None, f"{where}inline_policies.{name} {error}"
        problems = policy_problems(document)
        if problems:
            return None, f"{where}inline_policies.{name} is not least privilege: {'; '.join(problems)}"
        parsed[name] = document
        size += len(json.dumps(document, separators=(",", ":")))
    if size > INLINE_LIMIT:
        return None, f"{where}inline_policies: {size} characters in all, above IAM's limit of {INLINE_LIMIT} for one role"
    return parsed, None


def trust_policy(services, source_account=None, source_arns=None, sid=None):
    """The trust policy: only ``services`` may assume the role, optionally only on behalf of
    ``source_account`` (aws:SourceAccount) and only for the resources ``source_arns`` (aws:SourceArn, ArnLike)."""
    statement = {"Effect": "Allow", "Principal": {"Service": sorted(services) if len(services) > 1 else services[0]}, "Action": "sts:AssumeRole"}
    if sid:
        statement = dict({"Sid": sid}, **statement)
    condition = {}
    if source_account:
        condition["StringEquals"] = {"aws:SourceAccount": source_account}
    if source_arns:
        condition["ArnLike"] = {"aws:SourceArn": sorted(source_arns) if len(source_arns) > 1 else source_arns[0]}
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


def account_of(role):
    """(account_id, partition) from an existing role's ARN (the account of the credentials), or None."""
    match = ROLE_ARN.match((role or {}).get("Arn") or "")
    return (match.group(2), match.group(1)) if match else None


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


def role_tags(role):
    """The role with its tags as a plain dict (GetRole gives a list; ensure_role() keeps a dict)."""
    tags = role.get("Tags")
    return dict(role, Tags=dict(tags) if isinstance(tags, dict) else boto3_tag_list_to_ansible_dict(tags or []))


def ensure_role(client, spec, role, inline, trust, check, account_info):
    """Create or update one role so it matches ``spec``; returns (changed, after).

    ``role`` is what read_role() found (None: create it), ``inline`` the parsed inline policies
    (None: not compared), ``trust`` the trust policy, ``account_info()`` the (account_id,
    partition) of the credentials, asked only to predict a new role's ARN in check mode.
    No mutating call in check mode; ``after`` is then what the role would be.
    """
    name = spec["name"]
    if role is None:
        if check:
            account_id, partition = account_info()
            after = {"RoleName": name, "Path": spec["path"], "Arn": f"arn:{partition}:iam::{account_id}:role{spec['path']}{name}"}
            if spec["description"]:
                after["Description"] = spec["description"]
            after["MaxSessionDuration"] = spec["max_session_duration"] or 3600
        else:
            request = {"RoleName": name, "Path": spec["path"], "AssumeRolePolicyDocument": json.dumps(trust)}
            if spec["description"]:
                request["Description"] = spec["description"]
            if spec["max_session_duration"]:
                request["MaxSessionDuration"] = spec["max_session_duration"]
            if spec["tags"]:
                request["Tags"] = ansible_dict_to_boto3_tag_list(spec["tags"])
            after = client.create_role(aws_retry=True, **request)["Role"]
        after["Tags"] = dict(spec["tags"] or {})
        after["AssumeRolePolicyDocument"] = trust
        if inline is not None:
            for policy_name, document in inline.items():
                if not check:
                    client.put_role_policy(RoleName=name, PolicyName=policy_name, PolicyDocument=json.dumps(document), aws_retry=True)
            after["InlinePolicies"] = inline
        if spec["managed_policy_arns"] is not None:
            for arn in spec["managed_policy_arns"]:
                if not check:
                    client.attach_role_policy(RoleName=name, PolicyArn=arn, aws_retry=True)
            after["ManagedPolicyArns"] = sorted(set(spec["managed_policy_arns"]))
        return True, after

    changed = False
    after = role_tags(role)
    if compare_policies(role.get("AssumeRolePolicyDocument") or {}, trust):
        changed = True
        if not check:
            client.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(trust), aws_retry=True)
        after["AssumeRolePolicyDocument"] = trust
    update = {}
    if spec["description"] is not None and (role.get("Description") or "") != spec["description"]:
        update["Description"] = spec["description"]
    if spec["max_session_duration"] is not None and role.get("MaxSessionDuration") != spec["max_session_duration"]:
        update["MaxSessionDuration"] = spec["max_session_duration"]
    if update:
        changed = True
        if not check:
            # UpdateRole is sent with both values: an emulator (moto) resets what it is not given.
            request = dict(update)
            if "Description" not in request and role.get("Description"):
                request["Description"] = role["Description"]
            if "MaxSessionDuration" not in request and role.get("MaxSessionDuration"):
                request["MaxSessionDuration"] = role["MaxSessionDuration"]
            client.update_role(RoleName=name, aws_retry=True, **request)
        after.update(update)

    if inline is not None:
        current = role.get("InlinePolicies") or {}
        for policy_name, document in inline.items():
            if policy_name not in current or compare_policies(current[policy_name], document):
                changed = True
                if not check:
                    client.put_role_policy(RoleName=name, PolicyName=policy_name, PolicyDocument=json.dumps(document), aws_retry=True)
        extra = [n for n in current if n not in inline] if spec["purge_inline_policies"] else []
        for policy_name in extra:
            changed = True
            if not check:
                client.delete_role_policy(RoleName=name, PolicyName=policy_name, aws_retry=True)
        after["InlinePolicies"] = dict({n: d for n, d in current.items() if n not in extra}, **inline)

    if spec["managed_policy_arns"] is not None:
        current = set(role.get("ManagedPolicyArns") or [])
        wanted = set(spec["managed_policy_arns"])
        to_detach = current - wanted if spec["purge_managed_policies"] else set()
        for arn in sorted(wanted - current):
            changed = True
            if not check:
                client.attach_role_policy(RoleName=name, PolicyArn=arn, aws_retry=True)
        for arn in sorted(to_detach):
            changed = True
            if not check:
                client.detach_role_policy(RoleName=name, PolicyArn=arn, aws_retry=True)
        after["ManagedPolicyArns"] = sorted((current - to_detach) | wanted)

    if spec["tags"] is not None:
        tags = after["Tags"]
        to_set, to_unset = tag_changes(tags, spec["tags"], spec["purge_tags"])
        if to_set or to_unset:
            changed = True
            if not check:
                if to_unset:
                    client.untag_role(RoleName=name, TagKeys=list(to_unset), aws_retry=True)
                if to_set:
                    client.tag_role(RoleName=name, Tags=ansible_dict_to_boto3_tag_list(to_set), aws_retry=True)
            after["Tags"] = merged_tags(tags, spec["tags"], spec["purge_tags"])
    return changed, after


def delete_role(client, role):
    """Detach the managed policies, delete the inline ones, take the role out of its instance profiles, delete it."""
    name = role["RoleName"]
    for arn in role.get("ManagedPolicyArns") or []:
        client.detach_role_policy(RoleName=name, PolicyArn=arn, aws_retry=True)
    for policy_name in role.get("InlinePolicies") or {}:
        client.delete_role_policy(RoleName=name, PolicyName=policy_name, aws_retry=True)
    for profile in client.list_instance_profiles_for_role(RoleName=name, aws_retry=True).get("InstanceProfiles") or []:
        client.remove_role_from_instance_profile(InstanceProfileName=profile["InstanceProfileName"], RoleName=name, aws_retry=True)
    client.delete_role(RoleName=name, aws_retry=True)


def diff_view(role):
    """A role for the diff: what a reader compares (no IDs, dates or ARN)."""
    if not role:
        return {}
    view = snake_role(role)
    for key in ("role_id", "create_date", "role_last_used", "arn"):
        view.pop(key, None)
    return view
