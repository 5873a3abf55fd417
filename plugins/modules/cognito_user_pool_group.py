#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cognito_user_pool_group
short_description: Manage a group of an Amazon Cognito user pool
version_added: 0.1.0
description:
  - Creates, updates or deletes one group of a Cognito user pool, identified by O(name) (group
    names are unique in a pool). The pool is named by O(user_pool_id) or O(user_pool_name).
  - Options that are not given are not compared. Updates send the group's complete configuration
    (current values with the changes laid over them), so nothing is reset by omission.
  - Cognito cannot remove the IAM role of a group (C(UpdateGroup) has no way to clear it);
    delete and re-create the group for that.
  - There is no C(cognito_user_pool_group_info) module; M(healthplatform.aws.cognito_user_pool_info)
    returns each pool's groups.
  - Bad input (a role that is not an IAM role ARN, a negative precedence) fails before any API call.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description: Whether the group should exist.
    type: str
    choices: [present, absent]
    default: present
  user_pool_id:
    description: ID of the user pool.
    type: str
  user_pool_name:
    description: Name of the user pool (it must be unique in the region).
    type: str
  name:
    description: Name of the group, 1 to 128 characters.
    type: str
    required: true
  description:
    description: Description of the group, up to 2048 characters.
    type: str
  precedence:
    description:
      - Precedence of the group when a user belongs to several; 0 is the highest. It decides which
        group's role is the C(cognito:preferred_role) claim of the user's tokens.
    type: int
  role_arn:
    description: ARN of the IAM role of the group's members (the C(cognito:roles) claim).
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
seealso:
  - module: healthplatform.aws.cognito_user_pool
  - module: healthplatform.aws.cognito_user_pool_info
"""

EXAMPLES = r"""
- name: Clinicians group of the provider pool
  healthplatform.aws.cognito_user_pool_group:
    user_pool_name: healthplatform-prod-providers
    name: clinicians
    description: Physicians and nurses with access to patient records
    precedence: 10
    role_arn: arn:aws:iam::123456789012:role/healthplatform-prod-clinicians

- name: Remove a group
  healthplatform.aws.cognito_user_pool_group:
    user_pool_id: "{{ providers_pool.user_pool.id }}"
    name: interns
    state: absent
"""

RETURN = r"""
group:
  description:
    - The group as C(GetGroup) describes it, in snake_case.
    - Empty when O(state=absent). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    group_name:
      description: Name of the group.
      type: str
      sample: clinicians
    user_pool_id:
      description: ID of the user pool.
      type: str
      sample: us-east-1_AbCdEfGhI
    description:
      description: Description.
      type: str
      sample: Physicians and nurses with access to patient records
    precedence:
      description: Precedence.
      type: int
      sample: 10
    role_arn:
      description: IAM role of the members.
      type: str
      sample: arn:aws:iam::123456789012:role/healthplatform-prod-clinicians
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import find_parent_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import pool_label
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import snake_resource
from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client

IAM_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")
FIELDS = {"description": "Description", "precedence": "Precedence", "role_arn": "RoleArn"}


def validate(module):
    """Check the options that argument_spec cannot; fail before any API call."""
    p = module.params
    if not 1 <= len(p["name"]) <= 128:
        module.fail_json(msg=f"name must be 1 to 128 characters, got {len(p['name'])}")
    if p["state"] == "absent":
        return
    if p["role_arn"] is not None and not IAM_ROLE_ARN.match(p["role_arn"]):
        module.fail_json(msg=f"role_arn must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME), got {p['role_arn']!r}")
    if p["precedence"] is not None and not 0 <= p["precedence"] <= 2**31 - 1:
        module.fail_json(msg=f"precedence must be between 0 and 2147483647, got {p['precedence']}")
    if p["description"] is not None and len(p["description"]) > 2048:
        module.fail_json(msg="description must be at most 2048 characters")


def get_group(client, pool_id, name):
    try:
        return client.get_group(UserPoolId=pool_id, GroupName=name, aws_retry=True)["Group"]
    except is_boto3_error_code("ResourceNotFoundException"):
        return None


def desired(params):
    return {field: params[option] for option, field in FIELDS.items() if params[option] is not None}


def diff_view(group):
    if not group:
        return {}
    view = {"name": group.get("GroupName")}
    view.update({option: group.get(field) for option, field in FIELDS.items() if group.get(field) is not None})
    return view


def ensure_present(module, client, pool_id, current):
    params = module.params
    wanted = desired(params)
    if current is None:
        request = dict(wanted, UserPoolId=pool_id, GroupName=params["name"])
        if module.check_mode:
            return True, {}, request
        return True, {}, client.create_group(aws_retry=True, **request)["Group"]
    if all(current.get(field) == value for field, value in wanted.items()):
        return False, current, current
    # The complete configuration: what the group has, with the changes laid over it.
    request = {field: current[field] for field in FIELDS.values() if current.get(field) is not None}
    request.update(wanted)
    request.update(UserPoolId=pool_id, GroupName=params["name"])
    if module.check_mode:
        return True, current, dict(current, **request)
    return True, current, client.update_group(aws_retry=True, **request)["Group"]


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        user_pool_id=dict(type="str"),
        user_pool_name=dict(type="str"),
        name=dict(type="str", required=True),
        description=dict(type="str"),
        precedence=dict(type="int"),
        role_arn=dict(type="str"),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_one_of=[["user_pool_id", "user_pool_name"]],
        mutually_exclusive=[["user_pool_id", "user_pool_name"]],
    )
    validate(module)

    client = retrying_client(module, "cognito-idp")
    params = module.params
    try:
        pool = find_parent_pool(module, client)
        if pool is None:
            if params["state"] == "absent":
                module.exit_json(changed=False, group={}, diff=diff_of({}, {}))
            module.fail_json(msg=f"user pool {pool_label(params)} does not exist; create it first (healthplatform.aws.cognito_user_pool)")
        current = get_group(client, pool["Id"], params["name"])
        if params["state"] == "absent":
            if current and not module.check_mode:
                client.delete_group(UserPoolId=pool["Id"], GroupName=params["name"], aws_retry=True)
            module.exit_json(changed=current is not None, group={}, diff=diff_of(diff_view(current), {}))
        changed, before, after = ensure_present(module, client, pool["Id"], current)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the group {params['name']!r} of user pool {pool_label(params)}")

    module.exit_json(changed=changed, group=snake_resource(after), diff=diff_of(diff_view(before), diff_view(after)))


if __name__ == "__main__":
    main()
