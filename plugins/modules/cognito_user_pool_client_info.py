#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cognito_user_pool_client_info
short_description: Describe the app clients of an Amazon Cognito user pool, without their secrets
version_added: 0.1.0
description:
  - Describes the app clients of one user pool, or only those with a given O(name) or ID.
  - B(Client secrets are never returned.) RV(user_pool_clients[].has_client_secret) tells whether a
    client has one; whoever needs the value reads it from Cognito in a task of its own with C(no_log).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  user_pool_id:
    description: ID of the user pool.
    type: str
  user_pool_name:
    description: Name of the user pool (it must be unique in the region).
    type: str
  name:
    description: Only the clients with this name (Cognito allows several).
    type: str
  client_ids:
    description: Only these clients.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.cognito_user_pool_client
"""

EXAMPLES = r"""
- name: App clients of the patient pool
  healthplatform.aws.cognito_user_pool_client_info:
    user_pool_name: healthplatform-prod-patients
  register: patient_clients

- name: Every client hides user existence errors
  ansible.builtin.assert:
    that: patient_clients.user_pool_clients | map(attribute='prevent_user_existence_errors') | unique == ['ENABLED']
"""

RETURN = r"""
user_pool_clients:
  description: The app clients as C(DescribeUserPoolClient) describes them, in snake_case, B(without client secrets).
  returned: always
  type: list
  elements: dict
  contains:
    client_id:
      description: ID of the client.
      type: str
      sample: 1example23456789abcdefghij
    client_name:
      description: Name of the client.
      type: str
      sample: patient-portal-web
    has_client_secret:
      description: Whether the client has a client secret (its value is never returned).
      type: bool
      sample: false
    explicit_auth_flows:
      description: Allowed authentication flows.
      type: list
      elements: str
      sample: [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import find_parent_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import list_all
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import pool_label
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import snake_resource
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import without_secret
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client


def main():
    argument_spec = dict(
        user_pool_id=dict(type="str"),
        user_pool_name=dict(type="str"),
        name=dict(type="str"),
        client_ids=dict(type="list", elements="str", default=[]),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_one_of=[["user_pool_id", "user_pool_name"]],
        mutually_exclusive=[["user_pool_id", "user_pool_name"]],
    )
    client = retrying_client(module, "cognito-idp")
    params = module.params
    clients = []
    try:
        pool = find_parent_pool(module, client)
        if pool is None:
            module.fail_json(msg=f"user pool {pool_label(params)} does not exist")
        summaries = list_all(client, "list_user_pool_clients", "UserPoolClients", UserPoolId=pool["Id"], MaxResults=60)
        for summary in summaries:
            if params["name"] is not None and summary.get("ClientName") != params["name"]:
                continue
            if params["client_ids"] and summary["ClientId"] not in params["client_ids"]:
                continue
            description = client.describe_user_pool_client(UserPoolId=pool["Id"], ClientId=summary["ClientId"], aws_retry=True)["UserPoolClient"]
            if description.get("ClientSecret"):
                module.no_log_values.add(description["ClientSecret"])
            clients.append(snake_resource(without_secret(description)))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to describe the app clients of user pool {pool_label(params)}")
    module.exit_json(changed=False, user_pool_clients=clients)


if __name__ == "__main__":
    main()
