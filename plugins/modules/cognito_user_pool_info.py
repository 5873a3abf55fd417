#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cognito_user_pool_info
short_description: Describe Amazon Cognito user pools with their MFA, domains and groups
version_added: 0.1.0
description:
  - Describes the Cognito user pools of the region, or only those with a given O(name) or O(pool_id).
  - For each pool it returns C(DescribeUserPool), the MFA configuration (C(GetUserPoolMfaConfig)),
    its hosted UI domains (C(DescribeUserPoolDomain)) and its groups (C(ListGroups)). There are no
    separate C(_info) modules for domains and groups.
  - Cognito allows several pools with the same name; O(name) returns all of them.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Only the pools with this name.
    type: str
  pool_id:
    description: Only the pool with this ID.
    type: str
  include_groups:
    description: Whether to list each pool's groups (one more call per pool).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.cognito_user_pool
  - module: healthplatform.aws.cognito_user_pool_domain
  - module: healthplatform.aws.cognito_user_pool_group
"""

EXAMPLES = r"""
- name: Read the portal pools
  healthplatform.aws.cognito_user_pool_info:
    name: healthplatform-prod-patients
  register: patients

- name: Control HP-02 - MFA required (TOTP), threat protection enforced, strong passwords
  ansible.builtin.assert:
    that:
      - patients.user_pools | length == 1
      - pool.mfa.mfa_configuration == 'ON'
      - pool.mfa.software_token_mfa_configuration.enabled
      - pool.user_pool_add_ons.advanced_security_mode == 'ENFORCED'
      - pool.policies.password_policy.minimum_length >= 14
  vars:
    pool: "{{ patients.user_pools[0] }}"
"""

RETURN = r"""
user_pools:
  description: The pools, as C(DescribeUserPool) describes them, in snake_case, tags as a dict.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the pool.
      type: str
      sample: us-east-1_AbCdEfGhI
    name:
      description: Name of the pool.
      type: str
      sample: healthplatform-prod-patients
    mfa:
      description: The MFA configuration (C(GetUserPoolMfaConfig)).
      type: dict
      sample: {"mfa_configuration": "ON", "software_token_mfa_configuration": {"enabled": true}}
    user_pool_add_ons:
      description: Advanced security settings.
      type: dict
      sample: {"advanced_security_mode": "ENFORCED"}
    policies:
      description: Password (and sign-in) policy.
      type: dict
    domains:
      description: The pool's prefix and custom domains (C(DescribeUserPoolDomain)).
      type: list
      elements: dict
      sample: [{"domain": "healthplatform-prod-patients", "status": "ACTIVE", "user_pool_id": "us-east-1_AbCdEfGhI"}]
    groups:
      description: The pool's groups (C(ListGroups)); empty when O(include_groups=false).
      type: list
      elements: dict
      sample: [{"group_name": "clinicians", "precedence": 10, "role_arn": "arn:aws:iam::123456789012:role/clinicians"}]
    tags:
      description: Tags of the pool.
      type: dict
      sample: {"Environment": "prod"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import describe_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import get_mfa_config
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import list_all
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import snake_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import snake_resource
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client


def pool_ids(client, params):
    if params["pool_id"]:
        return [params["pool_id"]]
    summaries = list_all(client, "list_user_pools", "UserPools", MaxResults=60)
    return [p["Id"] for p in summaries if params["name"] is None or p.get("Name") == params["name"]]


def domains_of(client, pool):
    result = []
    for domain in sorted({d for d in (pool.get("Domain"), pool.get("CustomDomain")) if d}):
        description = client.describe_user_pool_domain(Domain=domain, aws_retry=True).get("DomainDescription") or {}
        if description.get("UserPoolId"):
            result.append(snake_resource(description))
    return result


def main():
    argument_spec = dict(
        name=dict(type="str"),
        pool_id=dict(type="str"),
        include_groups=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = retrying_client(module, "cognito-idp")
    params = module.params
    pools = []
    try:
        for pool_id in pool_ids(client, params):
            pool = describe_pool(client, pool_id)
            if pool is None or (params["name"] is not None and pool.get("Name") != params["name"]):
                continue
            result = snake_pool(pool, get_mfa_config(client, pool_id))
            result["domains"] = domains_of(client, pool)
            groups = list_all(client, "list_groups", "Groups", UserPoolId=pool_id, Limit=60) if params["include_groups"] else []
            result["groups"] = [snake_resource(g) for g in groups]
            pools.append(result)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe Cognito user pools")
    module.exit_json(changed=False, user_pools=pools)


if __name__ == "__main__":
    main()
