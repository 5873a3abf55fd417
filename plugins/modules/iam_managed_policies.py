#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: iam_managed_policies
short_description: Manage a set of customer managed IAM policies
version_added: 0.1.0
description:
  - Creates, updates or deletes the customer managed IAM policies listed in O(policies), each
    identified by its name. Policies that are not listed are left alone.
  - A changed document becomes a new default policy version. IAM keeps at most five versions;
    when five exist, the oldest version that is not the default is deleted first. The version
    history is the audit trail of the policy.
  - One call handles the whole set and reads each policy once (C(ListPolicies) once, then
    C(GetPolicyVersion) and, when O(policies[].tags) is given, C(ListPolicyTags) per policy),
    which is what makes it cheaper than one M(amazon.aws.iam_managed_policy) call per policy.
  - A policy's path and description are fixed when it is created; a difference fails the task.
  - O(state=absent) refuses to delete a policy that is still attached to a user, group or role
    (the message lists them).
  - Bad input (a name or path IAM would refuse, a document that is not a policy, the same name
    twice) fails before any API call is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  policies:
    description: The policies.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Name of the policy.
        type: str
        required: true
      document:
        description: The policy document (JSON text or mapping). Required with O(state=present).
        type: json
      path:
        description: Path of the policy, C(/) or C(/name/.../).
        type: str
        default: /
      description:
        description: Description, set at creation only. Not compared when omitted.
        type: str
      tags:
        description: Tags of the policy. Not compared when omitted.
        type: dict
      purge_tags:
        description: Remove tags that are not in O(policies[].tags).
        type: bool
        default: true
  state:
    description: Whether the policies should exist.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - C(CreatePolicy) accepts no idempotency token; a policy name is unique in the account, so a
    retried create fails as a duplicate instead of making two policies.
seealso:
  - module: healthplatform.aws.iam_groups
  - module: amazon.aws.iam_managed_policy
"""

EXAMPLES = r"""
- name: The MFA enforcement policy and a duty policy
  healthplatform.aws.iam_managed_policies:
    policies:
      - name: healthplatform-production-require-mfa
        path: /healthplatform/production/
        description: Deny everything but MFA self-service without MFA
        document: "{{ lookup('ansible.builtin.template', 'require-mfa.json.j2') }}"
      - name: healthplatform-production-database-administration
        path: /healthplatform/production/
        document: "{{ lookup('ansible.builtin.template', 'duty-database-administration.json.j2') }}"
        tags: {Duty: database-administration}
  register: policies

- name: Attach them later by ARN
  ansible.builtin.debug:
    msg: "{{ policies.policy_arns['healthplatform-production-require-mfa'] }}"
"""

RETURN = r"""
policies:
  description: The policies after the run (in check mode, would be), in the order of O(policies).
  returned: always
  type: list
  elements: dict
  contains:
    policy_name:
      description: Name.
      type: str
      sample: healthplatform-production-require-mfa
    arn:
      description: ARN (absent in check mode before creation).
      type: str
      sample: arn:aws:iam::123456789012:policy/healthplatform/production/healthplatform-production-require-mfa
    path:
      description: Path.
      type: str
      sample: /healthplatform/production/
    default_version_id:
      description: The default version.
      type: str
      sample: v2
    document:
      description: The default version's document.
      type: dict
    tags:
      description: Tags (when O(policies[].tags) is given).
      type: dict
    changed:
      description: Whether this policy changed.
      type: bool
policy_arns:
  description: Policy name to ARN, for the policies that exist.
  returned: always
  type: dict
  sample: {"healthplatform-production-require-mfa": "arn:aws:iam::123456789012:policy/healthplatform/production/healthplatform-production-require-mfa"}
"""

import json
import re
import urllib.parse

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthplatform.aws.plugins.module_utils.common import RETRY_CODES
from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes

NAME = re.compile(r"^[\w+=,.@-]{1,128}$")
PATH = re.compile(r"^/([\x21-\x7e]{0,510}/)?$")
MAX_VERSIONS = 5


def validate(module):
    """Check what argument_spec cannot; fail before any API call."""
    seen = set()
    for index, policy in enumerate(module.params["policies"]):
        where = f"policies[{index}]"
        if not NAME.match(policy["name"]):
            module.fail_json(msg=f"{where}.name must be 1-128 letters, digits or +=,.@_-, got {policy['name']!r}")
        if policy["name"] in seen:
            module.fail_json(msg=f"{where}.name {policy['name']} is listed twice")
        seen.add(policy["name"])
        if not PATH.match(policy["path"]):
            module.fail_json(msg=f"{where}.path must be / or start and end with /, got {policy['path']!r}")
        if module.params["state"] == "absent":
            continue
        if policy["document"] is None:
            module.fail_json(msg=f"{where}.document is required with state=present")
        try:
            document = json.loads(policy["document"])
        except ValueError as e:
            module.fail_json(msg=f"{where}.document is not valid JSON: {e}")
        if not isinstance(document, dict) or "Statement" not in document:
            module.fail_json(msg=f"{where}.document must be a policy document (a JSON object with Statement)")
        policy["document"] = document


@AWSRetry.jittered_backoff(retries=10, catch_extra_error_codes=RETRY_CODES)
def list_local_policies(client):
    return client.get_paginator("list_policies").paginate(Scope="Local").build_full_result()["Policies"]


def read_document(client, arn, version_id):
    document = client.get_policy_version(PolicyArn=arn, VersionId=version_id, aws_retry=True)["PolicyVersion"]["Document"]
    if isinstance(document, str):  # IAM returns it URL-encoded; boto3 decodes it, other clients may not
        document = json.loads(urllib.parse.unquote(document))
    return document


def read_tags(client, arn):
    return boto3_tag_list_to_ansible_dict(client.list_policy_tags(PolicyArn=arn, aws_retry=True).get("Tags", []))


def view(policy, document=None, tags=None):
    result = {
        "policy_name": policy.get("PolicyName"),
        "arn": policy.get("Arn"),
        "path": policy.get("Path"),
        "default_version_id": policy.get("DefaultVersionId"),
        "document": document,
    }
    if tags is not None:
        result["tags"] = tags
    return {k: v for k, v in result.items() if v is not None}


def make_room_for_a_version(client, arn):
    versions = client.list_policy_versions(PolicyArn=arn, aws_retry=True)["Versions"]
    if len(versions) < MAX_VERSIONS:
        return
    oldest = min((v for v in versions if not v["IsDefaultVersion"]), key=lambda v: v["CreateDate"])
    client.delete_policy_version(PolicyArn=arn, VersionId=oldest["VersionId"], aws_retry=True)


def ensure_present(module, client, wanted, current):
    """Returns (changed, before_view, after_view)."""
    check = module.check_mode
    wanted_tags = None if wanted["tags"] is None else dict(wanted["tags"])
    if current is None:
        planned = {"PolicyName": wanted["name"], "Path": wanted["path"], "DefaultVersionId": "v1"}
        if check:
            return True, {}, view(planned, wanted["document"], wanted_tags)
        request = {"PolicyName": wanted["name"], "Path": wanted["path"], "PolicyDocument": json.dumps(wanted["document"])}
        if wanted["description"]:
            request["Description"] = wanted["description"]
        if wanted["tags"]:
            request["Tags"] = ansible_dict_to_boto3_tag_list(wanted["tags"])
        created = client.create_policy(aws_retry=True, **request)["Policy"]
        return True, {}, view(created, wanted["document"], wanted_tags)

    if current["Path"] != wanted["path"]:
        module.fail_json(msg=f"{wanted['name']}: path is {current['Path']} and cannot change (wanted {wanted['path']}); delete the policy first")
    document = read_document(client, current["Arn"], current["DefaultVersionId"])
    tags = read_tags(client, current["Arn"]) if wanted["tags"] is not None else None
    before = view(current, document, tags)
    after = dict(before)
    changed = False
    if compare_policies(document, wanted["document"]):
        changed = True
        after["document"] = wanted["document"]
        if not check:
            make_room_for_a_version(client, current["Arn"])
            version = client.create_policy_version(PolicyArn=current["Arn"], PolicyDocument=json.dumps(wanted["document"]), SetAsDefault=True, aws_retry=True)
            after["default_version_id"] = version["PolicyVersion"]["VersionId"]
    if tags is not None:
        to_set, to_unset = tag_changes(tags, wanted["tags"], wanted["purge_tags"])
        if to_set or to_unset:
            changed = True
            after["tags"] = merged_tags(tags, wanted["tags"], wanted["purge_tags"])
            if not check:
                if to_unset:
                    client.untag_policy(PolicyArn=current["Arn"], TagKeys=to_unset, aws_retry=True)
                if to_set:
                    client.tag_policy(PolicyArn=current["Arn"], Tags=ansible_dict_to_boto3_tag_list(to_set), aws_retry=True)
    return changed, before, after


def ensure_absent(module, client, current):
    if current is None:
        return False, {}, {}
    arn = current["Arn"]
    entities = client.list_entities_for_policy(PolicyArn=arn, aws_retry=True)
    attached = [f"group {g['GroupName']}" for g in entities.get("PolicyGroups", [])]
    attached += [f"role {r['RoleName']}" for r in entities.get("PolicyRoles", [])]
    attached += [f"user {u['UserName']}" for u in entities.get("PolicyUsers", [])]
    if attached:
        module.fail_json(msg=f"policy {current['PolicyName']} is still attached to {', '.join(attached)}; detach it first")
    if not module.check_mode:
        for version in client.list_policy_versions(PolicyArn=arn, aws_retry=True)["Versions"]:
            if not version["IsDefaultVersion"]:
                client.delete_policy_version(PolicyArn=arn, VersionId=version["VersionId"], aws_retry=True)
        client.delete_policy(PolicyArn=arn, aws_retry=True)
    return True, view(current), {}


def main():
    policy_options = dict(
        name=dict(type="str", required=True),
        document=dict(type="json"),
        path=dict(type="str", default="/"),
        description=dict(type="str"),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
    )
    argument_spec = dict(
        policies=dict(type="list", elements="dict", required=True, options=policy_options),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = retrying_client(module, "iam")
    results, before_all, after_all = [], {}, {}
    changed_any = False
    try:
        existing = {p["PolicyName"]: p for p in list_local_policies(client)}
        for wanted in module.params["policies"]:
            current = existing.get(wanted["name"])
            if module.params["state"] == "present":
                changed, before, after = ensure_present(module, client, wanted, current)
            else:
                changed, before, after = ensure_absent(module, client, current)
            changed_any |= changed
            results.append(dict(after or {"policy_name": wanted["name"]}, changed=changed))
            if changed:
                before_all[wanted["name"]], after_all[wanted["name"]] = before, after
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage the IAM policies")

    policy_arns = {r["policy_name"]: r["arn"] for r in results if r.get("arn")}
    module.exit_json(changed=changed_any, policies=results, policy_arns=policy_arns, diff=diff_of(before_all, after_all))


if __name__ == "__main__":
    main()
