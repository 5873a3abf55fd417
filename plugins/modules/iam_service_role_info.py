#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: iam_service_role_info
short_description: Describe IAM roles with their inline and attached managed policies
version_added: 0.1.0
description:
  - Describes the IAM roles named in O(names), each with its trust policy, its inline policy
    documents, its attached managed policies and its tags. Roles that do not exist are left out.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  names:
    description: Names of the roles.
    type: list
    elements: str
    required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.iam_service_role
"""

EXAMPLES = r"""
- name: The platform's service roles
  healthplatform.aws.iam_service_role_info:
    names: [healthplatform-prod-cloudtrail, healthplatform-prod-config]
  register: roles
"""

RETURN = r"""
roles:
  description: The roles as C(GetRole) describes them, with C(inline_policies), C(managed_policy_arns) and C(tags).
  returned: always
  type: list
  elements: dict
  sample:
    - role_name: healthplatform-prod-config
      arn: arn:aws:iam::123456789012:role/healthplatform-prod-config
      assume_role_policy_document: {"Version": "2012-10-17", "Statement": []}
      inline_policies: {}
      managed_policy_arns: [arn:aws:iam::aws:policy/service-role/AWS_ConfigRole]
      tags: {}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import read_role
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import snake_role


def main():
    module = AnsibleAWSModule(argument_spec=dict(names=dict(type="list", elements="str", required=True)), supports_check_mode=True)
    client = retrying_client(module, "iam")
    try:
        roles = [read_role(client, name) for name in module.params["names"]]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe the IAM roles")
    module.exit_json(changed=False, roles=[snake_role(r) for r in roles if r])


if __name__ == "__main__":
    main()
