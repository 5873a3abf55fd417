#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: iam_groups
short_description: Manage a set of IAM groups and the managed policies attached to them
version_added: 0.1.0
description:
  - Creates, updates or deletes the IAM groups listed in O(groups), each identified by its name,
    with their path and the managed policies attached to them. Groups that are not listed are
    left alone.
  - Group members are not managed here (who belongs to a duty is decided by the people process,
    not by the platform code).
  - One call handles the whole set and reads each group once (C(GetGroup) and
    C(ListAttachedGroupPolicies) per group), which is what makes it cheaper than one
    M(amazon.aws.iam_group) call per group.
  - O(state=absent) detaches the group's managed policies, deletes its inline policies, removes
    its members and deletes it.
  - Bad input (a name or path IAM would refuse, a policy that is not a policy ARN, the same group
    twice) fails before any API call is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  groups:
    description: The groups.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Name of the group.
        type: str
        required: true
      path:
        description: Path of the group, C(/) or C(/name/.../).
        type: str
        default: /
      managed_policies:
        description: ARNs of the managed policies attached to the group.
        type: list
        elements: str
        default: []
      purge_policies:
        description: Detach managed policies that are not in O(groups[].managed_policies).
        type: bool
        default: true
  state:
    description: Whether the groups should exist.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
seealso:
  - module: healthplatform.aws.iam_managed_policies
  - module: amazon.aws.iam_group
"""

EXAMPLES = r"""
- name: The duty groups, each with the MFA enforcement policy and its duty policy
  healthplatform.aws.iam_groups:
    groups:
      - name: healthplatform-production-security
        path: /healthplatform/production/
        managed_policies:
          - "{{ policies.policy_arns['healthplatform-production-require-mfa'] }}"
          - "{{ policies.policy_arns['healthplatform-production-security'] }}"
      - name: healthplatform-production-database-administration
        path: /healthplatform/production/
        managed_policies:
          - "{{ policies.policy_arns['healthplatform-production-require-mfa'] }}"
          - "{{ policies.policy_arns['healthplatform-production-database-administration'] }}"
"""

RETURN = r"""
groups:
  description: The groups after the run (in check mode, would be), in the order of O(groups).
  returned: always
  type: list
  elements: dict
  contains:
    group_name:
      description: Name.
      type: str
      sample: healthplatform-production-security
    arn:
      description: ARN (absent in check mode before creation).
      type: str
      sample: arn:aws:iam::123456789012:group/healthplatform/production/healthplatform-production-security
    path:
      description: Path.
      type: str
      sample: /healthplatform/production/
    attached_policies:
      description: ARNs of the attached managed policies, sorted.
      type: list
      elements: str
    changed:
      description: Whether this group changed.
      type: bool
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client

NAME = re.compile(r"^[\w+=,.@-]{1,128}$")
PATH = re.compile(r"^/([\x21-\x7e]{0,510}/)?$")
POLICY_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}|aws):policy/.+$")


def validate(module):
    """Check what argument_spec cannot; fail before any API call."""
    seen = set()
    for index, group in enumerate(module.params["groups"]):
        where = f"groups[{index}]"
        if not NAME.match(group["name"]):
            module.fail_json(msg=f"{where}.name must be 1-128 letters, digits or +=,.@_-, got {group['name']!r}")
        if group["name"] in seen:
            module.fail_json(msg=f"{where}.name {group['name']} is listed twice")
        seen.add(group["name"])
        if not PATH.match(group["path"]):
            module.fail_json(msg=f"{where}.path must be / or start and end with /, got {group['path']!r}")
        for arn in group["managed_policies"]:
            if not POLICY_ARN.match(arn):
                module.fail_json(msg=f"{where}.managed_policies: {arn!r} is not a managed policy ARN")


def read_group(client, name):
    """(group, attached policy ARNs) or (None, []) when there is no such group."""
    try:
        group = client.get_group(GroupName=name, MaxItems=1, aws_retry=True)["Group"]
    except is_boto3_error_code("NoSuchEntity"):
        return None, []
    attached = client.list_attached_group_policies(GroupName=name, aws_retry=True)["AttachedPolicies"]
    return group, sorted(p["PolicyArn"] for p in attached)


def view(group, attached):
    return {"group_name": group.get("GroupName"), "arn": group.get("Arn"), "path": group.get("Path"), "attached_policies": sorted(attached)}


def ensure_present(module, client, wanted):
    group, attached = read_group(client, wanted["name"])
    check = module.check_mode
    changed = False
    before = view(group, attached) if group else {}
    if group is None:
        changed = True
        group = {"GroupName": wanted["name"], "Path": wanted["path"]}
        if not check:
            group = client.create_group(GroupName=wanted["name"], Path=wanted["path"], aws_retry=True)["Group"]
    elif group["Path"] != wanted["path"]:
        changed = True
        group = dict(group, Path=wanted["path"])
        if not check:
            client.update_group(GroupName=wanted["name"], NewPath=wanted["path"], aws_retry=True)
            group = client.get_group(GroupName=wanted["name"], MaxItems=1, aws_retry=True)["Group"]
    wanted_policies = set(wanted["managed_policies"])
    to_attach = sorted(wanted_policies - set(attached))
    to_detach = sorted(set(attached) - wanted_policies) if wanted["purge_policies"] else []
    for arn in to_attach:
        if not check:
            client.attach_group_policy(GroupName=wanted["name"], PolicyArn=arn, aws_retry=True)
    for arn in to_detach:
        if not check:
            client.detach_group_policy(GroupName=wanted["name"], PolicyArn=arn, aws_retry=True)
    changed |= bool(to_attach or to_detach)
    after = view(group, (set(attached) | set(to_attach)) - set(to_detach))
    return changed, before, after


def ensure_absent(module, client, wanted):
    group, attached = read_group(client, wanted["name"])
    if group is None:
        return False, {}, {"group_name": wanted["name"]}
    if not module.check_mode:
        name = wanted["name"]
        for arn in attached:
            client.detach_group_policy(GroupName=name, PolicyArn=arn, aws_retry=True)
        for policy_name in client.list_group_policies(GroupName=name, aws_retry=True)["PolicyNames"]:
            client.delete_group_policy(GroupName=name, PolicyName=policy_name, aws_retry=True)
        for user in client.get_group(GroupName=name, aws_retry=True)["Users"]:
            client.remove_user_from_group(GroupName=name, UserName=user["UserName"], aws_retry=True)
        client.delete_group(GroupName=name, aws_retry=True)
    return True, view(group, attached), {"group_name": wanted["name"]}


def main():
    group_options = dict(
        name=dict(type="str", required=True),
        path=dict(type="str", default="/"),
        managed_policies=dict(type="list", elements="str", default=[]),
        purge_policies=dict(type="bool", default=True),
    )
    argument_spec = dict(
        groups=dict(type="list", elements="dict", required=True, options=group_options),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = retrying_client(module, "iam")
    results, before_all, after_all = [], {}, {}
    changed_any = False
    try:
        for wanted in module.params["groups"]:
            if module.params["state"] == "present":
                changed, before, after = ensure_present(module, client, wanted)
            else:
                changed, before, after = ensure_absent(module, client, wanted)
            changed_any |= changed
            results.append(dict(after, changed=changed))
            if changed:
                before_all[wanted["name"]], after_all[wanted["name"]] = before, after
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage the IAM groups")

    module.exit_json(changed=changed_any, groups=results, diff=diff_of(before_all, after_all))


if __name__ == "__main__":
    main()
