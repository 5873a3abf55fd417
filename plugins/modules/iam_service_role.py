#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: iam_service_role
short_description: Manage an IAM role that AWS services assume, with its inline and managed policies
version_added: 0.1.0
description:
  - Creates, updates or deletes one IAM role whose trust policy lets only the AWS services in
    O(trusted_services) assume it (optionally only on behalf of this account), together with its
    inline policies and attached managed policies, in one task.
  - Made for the roles a platform hands to services (the CloudTrail delivery role, the AWS Config
    recorder role, a Lambda execution role), so that a role and what it may do are one change.
  - Policies are compared as documents (statement order and single-item lists do not matter);
    only what differs is written.
  - Policy documents that are not valid, or that allow every action on every resource or use
    C(NotAction) in an Allow, fail before any API call, naming the option.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Name of the role.
    type: str
    required: true
  state:
    description:
      - Whether the role should exist. C(absent) detaches its managed policies, deletes its inline
        policies, removes it from instance profiles and deletes it.
    type: str
    choices: [present, absent]
    default: present
  path:
    description: Path of the role, set when it is created (IAM cannot change it).
    type: str
    default: /
  description:
    description: Description of the role. Not compared when omitted.
    type: str
  trusted_services:
    description:
      - Service principals that may assume the role, for example C(lambda.amazonaws.com). Required with O(state=present).
    type: list
    elements: str
  source_account_condition:
    description:
      - Allow the services to assume the role only on behalf of this account (a C(aws:SourceAccount)
        condition with the account of the credentials, found with C(sts:GetCallerIdentity)),
        which protects against the confused deputy problem. Use it for services that send
        C(aws:SourceAccount) when they assume a role (CloudTrail, AWS Config, ...).
    type: bool
    default: false
  inline_policies:
    description:
      - Inline policies, policy name to policy document (a mapping or its JSON text). Not compared when omitted.
    type: dict
  purge_inline_policies:
    description: Delete inline policies that are not in O(inline_policies).
    type: bool
    default: true
  managed_policy_arns:
    description: ARNs of managed policies to attach. Not compared when omitted.
    type: list
    elements: str
  purge_managed_policies:
    description: Detach managed policies that are not in O(managed_policy_arns).
    type: bool
    default: true
  max_session_duration:
    description: Longest session, in seconds (3600 to 43200). Not compared when omitted.
    type: int
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - IAM takes no client token; a role's name is unique in the account, so a retried create finds the role.
  - A service may refuse a role for some seconds after it was created or changed (IAM is eventually
    consistent); the modules of this collection that are handed a role retry that answer.
seealso:
  - module: healthplatform.aws.iam_service_role_info
  - module: amazon.aws.iam_role
"""

EXAMPLES = r"""
- name: Role CloudTrail assumes to deliver to its log group, and nothing else
  healthplatform.aws.iam_service_role:
    name: healthplatform-prod-cloudtrail
    description: Lets CloudTrail deliver events to its CloudWatch Logs group
    trusted_services: [cloudtrail.amazonaws.com]
    source_account_condition: true
    inline_policies:
      deliver-to-log-group:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [logs:CreateLogStream, logs:PutLogEvents]
            Resource: "arn:aws:logs:us-east-1:123456789012:log-group:/healthplatform-prod/cloudtrail:log-stream:*"
    tags:
      Environment: prod
  register: trail_role

- name: AWS Config recorder role with the AWS managed policy
  healthplatform.aws.iam_service_role:
    name: healthplatform-prod-config
    trusted_services: [config.amazonaws.com]
    source_account_condition: true
    managed_policy_arns: [arn:aws:iam::aws:policy/service-role/AWS_ConfigRole]
"""

RETURN = r"""
role:
  description:
    - The role as C(GetRole) describes it, with C(inline_policies) (when O(inline_policies) is given)
      and C(managed_policy_arns) (when O(managed_policy_arns) is given); empty with O(state=absent).
    - In check mode, what it would be.
  returned: always
  type: dict
  contains:
    role_name:
      description: Name of the role.
      type: str
      sample: healthplatform-prod-cloudtrail
    arn:
      description: ARN of the role (in check mode before creation, built from the account and path).
      type: str
      sample: arn:aws:iam::123456789012:role/healthplatform-prod-cloudtrail
    assume_role_policy_document:
      description: The trust policy.
      type: dict
      sample: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    inline_policies:
      description: Inline policy name to document.
      type: dict
      sample: {"deliver-to-log-group": {"Version": "2012-10-17", "Statement": []}}
    managed_policy_arns:
      description: ARNs of the attached managed policies.
      type: list
      elements: str
      sample: [arn:aws:iam::aws:policy/service-role/AWS_ConfigRole]
    tags:
      description: Tags of the role.
      type: dict
      sample: {"Environment": "prod"}
"""

import json
import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import policy_document
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import policy_problems
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import read_role
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import snake_role
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import trust_policy

ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
POLICY_NAME = re.compile(r"^[\w+=,.@-]{1,128}$")
ROLE_PATH = re.compile(r"^/([\x21-\x7e]+/)?$")
SERVICE = re.compile(r"^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$")
MANAGED_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(aws|\d{12}):policy/.+$")
# IAM's limit on the inline policies of one role, counted without whitespace.
INLINE_LIMIT = 10240


def validate(module):
    """Check names, principals and policy documents; fail, naming the option, before any API call. Returns the parsed inline policies."""
    p = module.params
    if not ROLE_NAME.match(p["name"]):
        module.fail_json(msg=f"name: {p['name']!r} is not an IAM role name (1-64 letters, digits and +=,.@_-)")
    if not ROLE_PATH.match(p["path"]) or len(p["path"]) > 512:
        module.fail_json(msg=f"path must start and end with / (for example /service-role/), got {p['path']!r}")
    if p["state"] == "absent":
        return None
    if not p["trusted_services"]:
        module.fail_json(msg="trusted_services is required with state=present (for example [lambda.amazonaws.com])")
    for index, service in enumerate(p["trusted_services"]):
        if not SERVICE.match(service):
            module.fail_json(msg=f"trusted_services[{index}]: {service!r} is not an AWS service principal such as lambda.amazonaws.com")
    if p["max_session_duration"] is not None and not 3600 <= p["max_session_duration"] <= 43200:
        module.fail_json(msg=f"max_session_duration must be between 3600 and 43200 seconds, got {p['max_session_duration']}")
    for index, arn in enumerate(p["managed_policy_arns"] or []):
        if not MANAGED_ARN.match(arn):
            module.fail_json(msg=f"managed_policy_arns[{index}]: {arn!r} is not a managed policy ARN")
    if p["inline_policies"] is None:
        return None
    parsed, size = {}, 0
    for name, value in p["inline_policies"].items():
        if not POLICY_NAME.match(name):
            module.fail_json(msg=f"inline_policies: {name!r} is not a policy name (1-128 letters, digits and +=,.@_-)")
        document, error = policy_document(value)
        if error:
            module.fail_json(msg=f"inline_policies.{name} {error}")
        problems = policy_problems(document)
        if problems:
            module.fail_json(msg=f"inline_policies.{name} is not least privilege: {'; '.join(problems)}")
        parsed[name] = document
        size += len(json.dumps(document, separators=(",", ":")))
    if size > INLINE_LIMIT:
        module.fail_json(msg=f"inline_policies: {size} characters in all, above IAM's limit of {INLINE_LIMIT} for one role")
    return parsed


def ensure_present(module, client, role, inline, trust):
    """Returns (changed, after)."""
    p = module.params
    check = module.check_mode
    name = p["name"]
    if role is None:
        account_id, partition = get_aws_account_info(module)
        after = {
            "RoleName": name,
            "Path": p["path"],
            "Arn": f"arn:{partition}:iam::{account_id}:role{p['path']}{name}",
            "AssumeRolePolicyDocument": trust,
            "Tags": dict(p["tags"] or {}),
        }
        if not check:
            request = {"RoleName": name, "Path": p["path"], "AssumeRolePolicyDocument": json.dumps(trust)}
            if p["description"]:
                request["Description"] = p["description"]
            if p["max_session_duration"]:
                request["MaxSessionDuration"] = p["max_session_duration"]
            if p["tags"]:
                request["Tags"] = ansible_dict_to_boto3_tag_list(p["tags"])
            after = client.create_role(aws_retry=True, **request)["Role"]
            after["Tags"] = dict(p["tags"] or {})
            after["AssumeRolePolicyDocument"] = trust
        if inline is not None:
            for policy_name, document in inline.items():
                if not check:
                    client.put_role_policy(RoleName=name, PolicyName=policy_name, PolicyDocument=json.dumps(document), aws_retry=True)
            after["InlinePolicies"] = inline
        if p["managed_policy_arns"] is not None:
            for arn in p["managed_policy_arns"]:
                if not check:
                    client.attach_role_policy(RoleName=name, PolicyArn=arn, aws_retry=True)
            after["ManagedPolicyArns"] = sorted(set(p["managed_policy_arns"]))
        return True, after

    changed = False
    after = dict(role, Tags=boto3_tag_list_to_ansible_dict(role.get("Tags") or []))
    if compare_policies(role.get("AssumeRolePolicyDocument") or {}, trust):
        changed = True
        if not check:
            client.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(trust), aws_retry=True)
        after["AssumeRolePolicyDocument"] = trust
    update = {}
    if p["description"] is not None and (role.get("Description") or "") != p["description"]:
        update["Description"] = p["description"]
    if p["max_session_duration"] is not None and role.get("MaxSessionDuration") != p["max_session_duration"]:
        update["MaxSessionDuration"] = p["max_session_duration"]
    if update:
        changed = True
        if not check:
            client.update_role(RoleName=name, aws_retry=True, **update)
        after.update(update)

    if inline is not None:
        current = role.get("InlinePolicies") or {}
        for policy_name, document in inline.items():
            if policy_name not in current or compare_policies(current[policy_name], document):
                changed = True
                if not check:
                    client.put_role_policy(RoleName=name, PolicyName=policy_name, PolicyDocument=json.dumps(document), aws_retry=True)
        extra = [n for n in current if n not in inline] if p["purge_inline_policies"] else []
        for policy_name in extra:
            changed = True
            if not check:
                client.delete_role_policy(RoleName=name, PolicyName=policy_name, aws_retry=True)
        after["InlinePolicies"] = dict({n: d for n, d in current.items() if n not in extra}, **inline)

    if p["managed_policy_arns"] is not None:
        current = set(role.get("ManagedPolicyArns") or [])
        wanted = set(p["managed_policy_arns"])
        to_detach = current - wanted if p["purge_managed_policies"] else set()
        for arn in sorted(wanted - current):
            changed = True
            if not check:
                client.attach_role_policy(RoleName=name, PolicyArn=arn, aws_retry=True)
        for arn in sorted(to_detach):
            changed = True
            if not check:
                client.detach_role_policy(RoleName=name, PolicyArn=arn, aws_retry=True)
        after["ManagedPolicyArns"] = sorted((current - to_detach) | wanted)

    if p["tags"] is not None:
        tags = after["Tags"]
        to_set, to_unset = tag_changes(tags, p["tags"], p["purge_tags"])
        if to_set or to_unset:
            changed = True
            if not check:
                if to_unset:
                    client.untag_role(RoleName=name, TagKeys=list(to_unset), aws_retry=True)
                if to_set:
                    client.tag_role(RoleName=name, Tags=ansible_dict_to_boto3_tag_list(to_set), aws_retry=True)
            after["Tags"] = merged_tags(tags, p["tags"], p["purge_tags"])
    return changed, after


def delete(client, role):
    name = role["RoleName"]
    for arn in role.get("ManagedPolicyArns") or []:
        client.detach_role_policy(RoleName=name, PolicyArn=arn, aws_retry=True)
    for policy_name in role.get("InlinePolicies") or {}:
        client.delete_role_policy(RoleName=name, PolicyName=policy_name, aws_retry=True)
    for profile in client.list_instance_profiles_for_role(RoleName=name, aws_retry=True).get("InstanceProfiles") or []:
        client.remove_role_from_instance_profile(InstanceProfileName=profile["InstanceProfileName"], RoleName=name, aws_retry=True)
    client.delete_role(RoleName=name, aws_retry=True)


def diff_view(role):
    if not role:
        return {}
    view = snake_role(role)
    for key in ("role_id", "create_date", "role_last_used", "arn"):
        view.pop(key, None)
    return view


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        path=dict(type="str", default="/"),
        description=dict(type="str"),
        trusted_services=dict(type="list", elements="str"),
        source_account_condition=dict(type="bool", default=False),
        inline_policies=dict(type="dict"),
        purge_inline_policies=dict(type="bool", default=True),
        managed_policy_arns=dict(type="list", elements="str"),
        purge_managed_policies=dict(type="bool", default=True),
        max_session_duration=dict(type="int"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    inline = validate(module)
    p = module.params

    client = retrying_client(module, "iam")
    try:
        if p["state"] == "absent":
            role = read_role(client, p["name"])
            if role and not module.check_mode:
                delete(client, role)
            module.exit_json(changed=role is not None, role={}, diff=diff_of(diff_view(role), {}))
        role = read_role(client, p["name"], inline=inline is not None, managed=p["managed_policy_arns"] is not None)
        source_account = get_aws_account_info(module)[0] if p["source_account_condition"] else None
        trust = trust_policy(p["trusted_services"], source_account)
        changed, after = ensure_present(module, client, role, inline, trust)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the IAM role {p['name']}")

    before = dict(role, Tags=boto3_tag_list_to_ansible_dict(role.get("Tags") or [])) if role else None
    module.exit_json(changed=changed, role=snake_role(after), diff=diff_of(diff_view(before), diff_view(after)))


if __name__ == "__main__":
    main()
