#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cognito_user_pool_client
short_description: Manage an app client of an Amazon Cognito user pool
version_added: 0.1.0
description:
  - Creates, updates or deletes one app client of a Cognito user pool, identified by O(name) in the
    pool (or by O(client_id)). The pool is named by O(user_pool_id) or O(user_pool_name).
  - Cognito allows several app clients with the same name. When O(name) matches more than one
    client of the pool the module fails and lists their IDs; pass O(client_id) to choose one.
  - C(UpdateUserPoolClient) resets every setting it is not given to the Cognito default, so the
    module always sends the client's complete current configuration with the changes laid over it.
    Options that are not given are not compared (except those with a default).
  - B(The client secret is never returned or printed.) It is removed from everything the module
    returns (including the diff), and masked should it appear anywhere else. Whoever needs the
    secret reads it from Cognito (C(DescribeUserPoolClient)) in a task of its own, for example one
    that stores it in AWS Secrets Manager with C(no_log) set; this module does not do that.
    RV(user_pool_client.has_client_secret) tells whether the client has one.
  - Bad input (OAuth flows without callback URLs, token lifetimes out of range...) fails before any
    API call is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description: Whether the app client should exist.
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
    description:
      - Name of the app client. Required to create a client.
      - With O(client_id) as well, a different name renames the client.
    type: str
  client_id:
    description: ID of an existing app client, when several clients share O(name). The module never creates a client from an ID.
    type: str
  generate_secret:
    description:
      - Whether the client has a client secret (confidential server-side clients). Fixed at creation;
        a difference fails the task.
      - Required by the C(client_credentials) OAuth flow.
    type: bool
    default: false
  explicit_auth_flows:
    description: Authentication flows the client may use, for example C(ALLOW_USER_SRP_AUTH) and C(ALLOW_REFRESH_TOKEN_AUTH).
    type: list
    elements: str
    choices:
      - ALLOW_ADMIN_USER_PASSWORD_AUTH
      - ALLOW_CUSTOM_AUTH
      - ALLOW_USER_PASSWORD_AUTH
      - ALLOW_USER_SRP_AUTH
      - ALLOW_REFRESH_TOKEN_AUTH
      - ALLOW_USER_AUTH
  allowed_oauth_flows:
    description:
      - OAuth 2.0 grant types of the hosted UI / authorization server. A non-empty list also turns
        on C(AllowedOAuthFlowsUserPoolClient); an empty list turns OAuth off for the client.
      - C(client_credentials) cannot be combined with the others and needs O(generate_secret=true).
    type: list
    elements: str
    choices: [code, implicit, client_credentials]
  allowed_oauth_scopes:
    description: OAuth scopes, for example C(openid), C(email), C(profile) or C(resource-server/scope).
    type: list
    elements: str
  callback_urls:
    description: Allowed redirect URLs after sign-in. C(https://) only, except C(http://localhost).
    type: list
    elements: str
  logout_urls:
    description: Allowed redirect URLs after sign-out. C(https://) only, except C(http://localhost).
    type: list
    elements: str
  default_redirect_uri:
    description: Default redirect URL; must be one of O(callback_urls).
    type: str
  supported_identity_providers:
    description: Identity providers of the client, for example C(COGNITO) or the name of a SAML or OIDC provider.
    type: list
    elements: str
  access_token_validity:
    description: Lifetime of access tokens, in O(token_validity_units.access_token) (default hours); 5 minutes to 1 day.
    type: int
  id_token_validity:
    description: Lifetime of ID tokens, in O(token_validity_units.id_token) (default hours); 5 minutes to 1 day.
    type: int
  refresh_token_validity:
    description: Lifetime of refresh tokens, in O(token_validity_units.refresh_token) (default days); 60 minutes to 10 years.
    type: int
  token_validity_units:
    description: Units of the token lifetimes.
    type: dict
    suboptions:
      access_token:
        description: Unit of O(access_token_validity).
        type: str
        choices: [seconds, minutes, hours, days]
        default: hours
      id_token:
        description: Unit of O(id_token_validity).
        type: str
        choices: [seconds, minutes, hours, days]
        default: hours
      refresh_token:
        description: Unit of O(refresh_token_validity).
        type: str
        choices: [seconds, minutes, hours, days]
        default: days
  auth_session_validity:
    description: Minutes a session token of an authentication flow stays valid, 3 to 15.
    type: int
  prevent_user_existence_errors:
    description: With C(ENABLED), sign-in and recovery errors do not reveal whether a user exists.
    type: str
    choices: [ENABLED, LEGACY]
    default: ENABLED
  enable_token_revocation:
    description: Whether refresh tokens can be revoked.
    type: bool
    default: true
  read_attributes:
    description: User attributes the client may read.
    type: list
    elements: str
  write_attributes:
    description: User attributes the client may write.
    type: list
    elements: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - C(CreateUserPoolClient) accepts no idempotency token; a duplicate left by a failed run is caught
    on the next run, which fails listing both client IDs.
seealso:
  - module: healthplatform.aws.cognito_user_pool_client_info
  - module: healthplatform.aws.cognito_user_pool
"""

EXAMPLES = r"""
- name: Patient portal web client (public, SRP sign-in, authorization code flow)
  healthplatform.aws.cognito_user_pool_client:
    user_pool_id: "{{ patients_pool.user_pool.id }}"
    name: patient-portal-web
    explicit_auth_flows: [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
    allowed_oauth_flows: [code]
    allowed_oauth_scopes: [openid, email, profile]
    callback_urls: ["https://patients.example.org/auth/callback"]
    logout_urls: ["https://patients.example.org/"]
    supported_identity_providers: [COGNITO]
    access_token_validity: 15
    id_token_validity: 15
    refresh_token_validity: 12
    token_validity_units:
      access_token: minutes
      id_token: minutes
      refresh_token: hours
  register: patient_web_client

- name: Server-side client with a secret (the secret is never in the result)
  healthplatform.aws.cognito_user_pool_client:
    user_pool_name: healthplatform-prod-providers
    name: provider-portal-backend
    generate_secret: true
    explicit_auth_flows: [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]

- name: Remove a client
  healthplatform.aws.cognito_user_pool_client:
    user_pool_name: healthplatform-prod-providers
    name: old-client
    state: absent
"""

RETURN = r"""
user_pool_client:
  description:
    - The app client as C(DescribeUserPoolClient) describes it, in snake_case, B(without the client secret).
    - Empty when O(state=absent). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    client_id:
      description: ID of the client (absent in check mode before creation).
      type: str
      sample: 1example23456789abcdefghij
    client_name:
      description: Name of the client.
      type: str
      sample: patient-portal-web
    user_pool_id:
      description: ID of the user pool.
      type: str
      sample: us-east-1_AbCdEfGhI
    has_client_secret:
      description: Whether the client has a client secret (its value is never returned).
      type: bool
      sample: false
    explicit_auth_flows:
      description: Allowed authentication flows.
      type: list
      elements: str
      sample: [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
    allowed_oauth_flows:
      description: OAuth grant types.
      type: list
      elements: str
      sample: [code]
    callback_urls:
      description: Redirect URLs after sign-in.
      type: list
      elements: str
      sample: ["https://patients.example.org/auth/callback"]
    prevent_user_existence_errors:
      description: User existence error setting.
      type: str
      sample: ENABLED
    enable_token_revocation:
      description: Whether refresh tokens can be revoked.
      type: bool
      sample: true
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import client_conflicts
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import client_diff_view
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import client_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import client_options
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import clients_named
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import describe_client
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import duplicate_name_message
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import ensure_client
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import find_parent_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import list_clients
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import pool_label
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import protect
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import remove_client
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import snake_resource
from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client


def find_client(module, client, pool_id):
    params = module.params
    if params["client_id"]:
        return describe_client(client, pool_id, params["client_id"])
    matches = clients_named(list_clients(client, pool_id), params["name"])
    if len(matches) > 1:
        module.fail_json(msg=duplicate_name_message("app client", params["name"], matches, "client_id"))
    if not matches:
        return None
    return describe_client(client, pool_id, matches[0])


def ensure_present(module, client, pool_id, current):
    params = module.params
    if current is None:
        if params["client_id"]:
            module.fail_json(msg=f"user pool {pool_id} has no app client {params['client_id']}; the module creates clients by name only (omit client_id)")
        changed, after = ensure_client(module, client, pool_id, params, None)
        return changed, {}, after
    before = protect(module, current)
    problems = client_conflicts(params, before)
    if problems:
        module.fail_json(msg="; ".join(problems), user_pool_client=snake_resource(before))
    changed, after = ensure_client(module, client, pool_id, params, current)
    return changed, before, after


def main():
    argument_spec = dict(user_pool_id=dict(type="str"), user_pool_name=dict(type="str"), **client_options())
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_one_of=[["user_pool_id", "user_pool_name"], ["name", "client_id"]],
        mutually_exclusive=[["user_pool_id", "user_pool_name"]],
    )
    errors = client_errors(module.params)
    if errors:
        module.fail_json(msg="; ".join(errors))

    client = retrying_client(module, "cognito-idp")
    params = module.params
    label = f"{params['client_id'] or repr(params['name'])} of user pool {pool_label(params)}"
    try:
        pool = find_parent_pool(module, client)
        if pool is None:
            if params["state"] == "absent":
                module.exit_json(changed=False, user_pool_client={}, diff=diff_of({}, {}))
            module.fail_json(msg=f"user pool {pool_label(params)} does not exist; create it first (healthplatform.aws.cognito_user_pool)")
        current = find_client(module, client, pool["Id"])
        if params["state"] == "absent":
            before = protect(module, current)
            if current is not None:
                remove_client(module, client, pool["Id"], current["ClientId"])
            module.exit_json(changed=current is not None, user_pool_client={}, diff=diff_of(client_diff_view(before), {}))
        changed, before, after = ensure_present(module, client, pool["Id"], current)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the Cognito app client {label}")

    module.exit_json(changed=changed, user_pool_client=snake_resource(after), diff=diff_of(client_diff_view(before), client_diff_view(after)))


if __name__ == "__main__":
    main()
