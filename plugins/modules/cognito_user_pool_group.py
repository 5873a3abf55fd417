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

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import ensure_group
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import find_parent_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import get_group
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import group_diff_view
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import group_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import group_options
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import pool_label
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import remove_group
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import snake_resource
from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client


def main():
    argument_spec = dict(user_pool_id=dict(type="str"), user_pool_name=dict(type="str"), **group_options())
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_one_of=[["user_pool_id", "user_pool_name"]],
        mutually_exclusive=[["user_pool_id", "user_pool_name"]],
    )
    errors = group_errors(module.params)
    if errors:
        module.fail_json(msg="; ".join(errors))

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
            if current:
                remove_group(module, client, pool["Id"], params["name"])
            module.exit_json(changed=current is not None, group={}, diff=diff_of(group_diff_view(current), {}))
        changed, after = ensure_group(module, client, pool["Id"], params, current)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the group {params['name']!r} of user pool {pool_label(params)}")

    module.exit_json(changed=changed, group=snake_resource(after), diff=diff_of(group_diff_view(current), group_diff_view(after)))


if __name__ == "__main__":
    main()
