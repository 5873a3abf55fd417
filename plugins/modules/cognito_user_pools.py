#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cognito_user_pools
short_description: Manage a set of Amazon Cognito user pools with their groups and app clients in one call
version_added: 0.1.0
description:
  - Creates, updates or deletes the Cognito user pools listed in O(pools), each with its groups
    (O(pools[].groups)) and its app clients (O(pools[].clients)), in one task. Each pool, group
    and app client takes the options of M(healthplatform.aws.cognito_user_pool),
    M(healthplatform.aws.cognito_user_pool_group) and M(healthplatform.aws.cognito_user_pool_client),
    and is compared, created and updated exactly as those modules do it (the logic is shared).
  - The region's pools are listed once (C(ListUserPools)); then each listed pool that exists is read
    once (C(DescribeUserPool), C(GetUserPoolMfaConfig), C(ListGroups), C(ListUserPoolClients) and
    C(DescribeUserPoolClient) per listed app client). Everything is read, and every conflict found,
    before the first change.
  - The defaults are the platform's portal baseline (control HP-02) - MFA required (C(ON)) with
    TOTP authenticator apps, advanced security (threat protection) C(ENFORCED), a password policy
    of at least 14 characters with all four character classes, and deletion protection C(ACTIVE).
  - C(UpdateUserPool) and C(UpdateUserPoolClient) reset every attribute they are not given, so updates
    always send the complete current configuration with the changes laid over it; settings the
    module does not manage (Lambda triggers, message templates, device tracking...) are kept.
  - Options that are not given are not compared (except those with a default).
  - B(What is deleted.) Pools that are not listed are never touched, and a listed pool is deleted only
    with O(pools[].state=absent) (refused while its deletion protection is C(ACTIVE) or it has a
    domain, unless O(pools[].force_delete=true)). A group or app client is deleted when it is listed
    with C(state=absent), or, when O(pools[].purge_groups) / O(pools[].purge_clients) is V(true),
    when it is not listed. Both default to V(false). Tags of a pool that are not in O(pools[].tags)
    are removed when O(pools[].tags) is given and O(pools[].purge_tags=true) (the default), as in
    M(healthplatform.aws.cognito_user_pool).
  - B(The client secret is never returned or printed.) Results carry the client IDs only
    (RV(user_pools[].client_ids)); the secret is masked should it appear anywhere else.
  - Cognito allows several pools (and several app clients in a pool) with the same name. When a name
    matches more than one, the module fails listing their IDs; pass O(pools[].pool_id) (or
    O(pools[].clients[].client_id)) to choose one.
  - Bad input (a password length outside 8-99, MFA C(ON) without an MFA factor, a name listed twice,
    OAuth flows without callback URLs...) fails before any API call is made, naming the option and the item.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  pools:
    description: The user pools.
    type: list
    elements: dict
    required: true
    suboptions:
      state:
        description:
          - Whether the pool should exist. With C(absent), O(pools[].groups) and O(pools[].clients) are
            ignored (they go with the pool).
        type: str
        choices: [present, absent]
        default: present
      name:
        description:
          - Name of the user pool; it identifies the pool in the results.
          - With O(pools[].pool_id) as well, a different name renames the pool.
        type: str
        required: true
      pool_id:
        description:
          - ID of an existing user pool, for example C(us-east-1_AbCdEfGhI).
          - Use it when several pools share O(pools[].name). The module never creates a pool from an ID.
        type: str
      mfa_configuration:
        description:
          - Whether users must (C(ON)), may (C(OPTIONAL)) or cannot (C(OFF)) use MFA.
          - C(ON) and C(OPTIONAL) need at least one factor, O(pools[].software_token_mfa) or O(pools[].sms_mfa).
          - A new pool is created with MFA off and MFA is then set at once (C(CreateUserPool) refuses
            MFA C(ON) without SMS); the pool has no users in between.
        type: str
        choices: ['ON', 'OFF', 'OPTIONAL']
        default: 'ON'
      software_token_mfa:
        description: Allow TOTP authenticator apps as an MFA factor.
        type: bool
        default: true
      sms_mfa:
        description:
          - SMS text messages as an MFA factor (sent through Amazon SNS with an IAM role Cognito assumes).
          - Not compared when omitted; the pool's SMS MFA setting is kept as it is.
        type: dict
        suboptions:
          enabled:
            description: Whether SMS is an MFA factor. V(false) removes it.
            type: bool
            default: true
          sns_caller_arn:
            description: ARN of the IAM role Cognito assumes to publish through SNS. Required when enabled.
            type: str
          external_id:
            description: External ID the role's trust policy requires.
            type: str
          sns_region:
            description: Region of the SNS service used (defaults to the pool's region).
            type: str
          sms_authentication_message:
            description: Text of the MFA message. Must contain C({####}), where the code goes.
            type: str
      advanced_security_mode:
        description:
          - Advanced security (threat protection) - C(ENFORCED) blocks risky sign-ins, C(AUDIT) only logs them.
          - On pools created since November 2024 it needs O(pools[].user_pool_tier=PLUS).
        type: str
        choices: ['OFF', 'AUDIT', 'ENFORCED']
        default: ENFORCED
      password_policy:
        description: Password rules. Suboptions that are not given keep their defaults shown here.
        type: dict
        default: {}
        suboptions:
          minimum_length:
            description: Minimum password length, 8 to 99.
            type: int
            default: 14
          require_uppercase:
            description: Require an uppercase letter.
            type: bool
            default: true
          require_lowercase:
            description: Require a lowercase letter.
            type: bool
            default: true
          require_numbers:
            description: Require a digit.
            type: bool
            default: true
          require_symbols:
            description: Require a symbol.
            type: bool
            default: true
          temporary_password_validity_days:
            description: Days a temporary password set by an administrator stays valid, 0 to 365. Not compared when omitted.
            type: int
          password_history_size:
            description: Number of previous passwords a user may not reuse, 0 to 24. Not compared when omitted.
            type: int
      account_recovery:
        description:
          - How users recover a forgotten password, in order of priority. C(admin_only) must be alone.
          - Not compared when omitted.
        type: list
        elements: str
        choices: [verified_email, verified_phone_number, admin_only]
      deletion_protection:
        description: With C(ACTIVE) Cognito refuses to delete the pool (see O(pools[].force_delete)).
        type: str
        choices: [ACTIVE, INACTIVE]
        default: ACTIVE
      username_attributes:
        description:
          - Attributes users sign in with instead of a username. Fixed at creation; a difference fails the task.
          - Mutually exclusive with O(pools[].alias_attributes).
        type: list
        elements: str
        choices: [email, phone_number]
      alias_attributes:
        description:
          - Attributes users may sign in with besides their username. Fixed at creation; a difference fails the task.
          - Mutually exclusive with O(pools[].username_attributes).
        type: list
        elements: str
        choices: [email, phone_number, preferred_username]
      auto_verified_attributes:
        description: Attributes Cognito verifies by sending a code. Not compared when omitted.
        type: list
        elements: str
        choices: [email, phone_number]
      schema:
        description:
          - Custom attributes of the pool. Attributes can be added, never changed or removed; one that
            differs from the pool's fails the task, and attributes of the pool not listed here are left alone.
        type: list
        elements: dict
        suboptions:
          name:
            description: Attribute name, 1 to 20 characters, with or without the C(custom:) prefix.
            type: str
            required: true
          attribute_data_type:
            description: Data type.
            type: str
            choices: [String, Number, DateTime, Boolean]
            default: String
          mutable:
            description: Whether the value can change after the user is created.
            type: bool
            default: true
          developer_only:
            description: Only administrators (IAM credentials) can read and write it (C(dev:custom:) prefix).
            type: bool
            default: false
          min_length:
            description: Minimum length (String only).
            type: int
          max_length:
            description: Maximum length (String only), up to 2048.
            type: int
          min_value:
            description: Minimum value (Number only).
            type: int
          max_value:
            description: Maximum value (Number only).
            type: int
      email_configuration:
        description:
          - How Cognito sends email. When given, it is the whole email configuration (suboptions left out are removed).
          - Not compared when omitted.
        type: dict
        suboptions:
          email_sending_account:
            description: C(COGNITO_DEFAULT) (low daily quota) or C(DEVELOPER) (your Amazon SES identity in O(pools[].email_configuration.source_arn)).
            type: str
            choices: [COGNITO_DEFAULT, DEVELOPER]
            default: COGNITO_DEFAULT
          source_arn:
            description: ARN of the verified SES identity to send from. Required with C(DEVELOPER).
            type: str
          from_address:
            description: Sender, for example C(Health Platform <no-reply@example.org>).
            type: str
            aliases: [from]
          reply_to_email_address:
            description: Reply-to address.
            type: str
          configuration_set:
            description: SES configuration set.
            type: str
      admin_create_user_only:
        description: Only administrators can create users (no self sign-up). Not compared when omitted.
        type: bool
      user_pool_tier:
        description: Feature plan of the pool. Not compared when omitted.
        type: str
        choices: [LITE, ESSENTIALS, PLUS]
      force_delete:
        description:
          - With O(pools[].state=absent), delete the pool even if its deletion protection is C(ACTIVE) (the
            module first sets it C(INACTIVE)), and delete its hosted UI domains first.
          - Without it, a protected pool or a pool with a domain makes the task fail (before any change) with an explanation.
        type: bool
        default: false
      tags:
        description: Tags of the pool (C(UserPoolTags)). Not compared when omitted.
        type: dict
        aliases: [resource_tags]
      purge_tags:
        description: Remove tags of the pool that are not in O(pools[].tags).
        type: bool
        default: true
      groups:
        description:
          - Groups of the pool, each identified by its name (group names are unique in a pool).
          - Groups of the pool that are not listed are left alone, unless O(pools[].purge_groups=true).
        type: list
        elements: dict
        suboptions:
          state:
            description: Whether the group should exist.
            type: str
            choices: [present, absent]
            default: present
          name:
            description: Name of the group, 1 to 128 characters.
            type: str
            required: true
          description:
            description: Description of the group, up to 2048 characters. Not compared when omitted.
            type: str
          precedence:
            description:
              - Precedence of the group when a user belongs to several; 0 is the highest. Not compared when omitted.
            type: int
          role_arn:
            description:
              - ARN of the IAM role of the group's members. Not compared when omitted.
              - Cognito cannot remove the role of a group; delete and re-create the group for that.
            type: str
      purge_groups:
        description: Delete the groups of the pool that are not in O(pools[].groups).
        type: bool
        default: false
      clients:
        description:
          - App clients of the pool, each identified by its name in the pool (or by O(pools[].clients[].client_id)).
          - App clients of the pool that are not listed are left alone, unless O(pools[].purge_clients=true).
        type: list
        elements: dict
        suboptions:
          state:
            description: Whether the app client should exist.
            type: str
            choices: [present, absent]
            default: present
          name:
            description:
              - Name of the app client; it is the key of RV(user_pools[].client_ids).
              - With O(pools[].clients[].client_id) as well, a different name renames the client.
            type: str
            required: true
          client_id:
            description: ID of an existing app client, when several clients share the name. The module never creates a client from an ID.
            type: str
          generate_secret:
            description:
              - Whether the client has a client secret (confidential server-side clients). Fixed at creation;
                a difference fails the task. The secret is never returned.
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
              - OAuth 2.0 grant types. A non-empty list also turns on C(AllowedOAuthFlowsUserPoolClient); an empty list turns OAuth off.
              - C(client_credentials) cannot be combined with the others and needs O(pools[].clients[].generate_secret=true).
            type: list
            elements: str
            choices: [code, implicit, client_credentials]
          allowed_oauth_scopes:
            description: OAuth scopes, for example C(openid), C(email) or C(resource-server/scope).
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
            description: Default redirect URL; must be one of O(pools[].clients[].callback_urls).
            type: str
          supported_identity_providers:
            description: Identity providers of the client, for example C(COGNITO).
            type: list
            elements: str
          access_token_validity:
            description: Lifetime of access tokens, in O(pools[].clients[].token_validity_units.access_token); 5 minutes to 1 day.
            type: int
          id_token_validity:
            description: Lifetime of ID tokens, in O(pools[].clients[].token_validity_units.id_token); 5 minutes to 1 day.
            type: int
          refresh_token_validity:
            description: Lifetime of refresh tokens, in O(pools[].clients[].token_validity_units.refresh_token); 60 minutes to 10 years.
            type: int
          token_validity_units:
            description: Units of the token lifetimes.
            type: dict
            suboptions:
              access_token:
                description: Unit of O(pools[].clients[].access_token_validity).
                type: str
                choices: [seconds, minutes, hours, days]
                default: hours
              id_token:
                description: Unit of O(pools[].clients[].id_token_validity).
                type: str
                choices: [seconds, minutes, hours, days]
                default: hours
              refresh_token:
                description: Unit of O(pools[].clients[].refresh_token_validity).
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
      purge_clients:
        description: Delete the app clients of the pool that are not in O(pools[].clients).
        type: bool
        default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - C(CreateUserPool) and C(CreateUserPoolClient) accept no idempotency token. Retries happen only on
    throttling errors (the request was refused), and a duplicate left by any other failure is caught
    on the next run, which fails listing both IDs.
  - Hosted UI domains have their own module, M(healthplatform.aws.cognito_user_pool_domain).
seealso:
  - module: healthplatform.aws.cognito_user_pool
  - module: healthplatform.aws.cognito_user_pool_group
  - module: healthplatform.aws.cognito_user_pool_client
  - module: healthplatform.aws.cognito_user_pool_info
"""

EXAMPLES = r"""
- name: The portal pools (TOTP MFA required, threat protection enforced), their groups and app clients
  healthplatform.aws.cognito_user_pools:
    pools:
      - name: healthplatform-prod-patients
        user_pool_tier: PLUS
        username_attributes: [email]
        auto_verified_attributes: [email]
        account_recovery: [verified_email]
        admin_create_user_only: false
        tags:
          Environment: prod
        clients:
          - name: healthplatform-prod-patient-portal
            explicit_auth_flows: [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
            access_token_validity: 15
            id_token_validity: 15
            token_validity_units:
              access_token: minutes
              id_token: minutes
      - name: healthplatform-prod-providers
        user_pool_tier: PLUS
        username_attributes: [email]
        admin_create_user_only: true
        groups:
          - name: providers
            description: Physicians, nurses and care staff
            precedence: 10
          - name: admins
            precedence: 0
        clients:
          - name: healthplatform-prod-provider-portal
            generate_secret: true
            explicit_auth_flows: [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
  register: portals

- name: Use the IDs
  ansible.builtin.debug:
    msg: "{{ portals.user_pool_ids['healthplatform-prod-providers'] }} / {{ portals.user_pools[1].client_ids['healthplatform-prod-provider-portal'] }}"

- name: Delete a test pool (lifting its deletion protection), and remove a group from another
  healthplatform.aws.cognito_user_pools:
    pools:
      - name: healthplatform-dev-patients
        state: absent
        force_delete: true
      - name: healthplatform-dev-providers
        groups:
          - name: interns
            state: absent
"""

RETURN = r"""
user_pools:
  description: The pools after the run (in check mode, what they would be), in the order of O(pools).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the pool.
      type: str
      sample: healthplatform-prod-providers
    state:
      description: C(present) or C(absent).
      type: str
      sample: present
    changed:
      description: Whether this pool, one of its groups or one of its app clients changed.
      type: bool
    id:
      description: ID of the pool (absent when the pool does not exist, and in check mode before creation).
      type: str
      sample: us-east-1_AbCdEfGhI
    arn:
      description: ARN of the pool (absent when the pool does not exist, and in check mode before creation).
      type: str
      sample: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEfGhI
    client_ids:
      description:
        - App client name to client ID, for the clients of O(pools[].clients) that exist (a client
          created in check mode has no ID yet). Never the client secret.
      type: dict
      sample: {"healthplatform-prod-provider-portal": "1example23456789abcdefghij"}
    clients:
      description: Every app client of the pool after the run, sorted by name.
      type: list
      elements: dict
      contains:
        client_name:
          description: Name of the client.
          type: str
        client_id:
          description: ID of the client (absent in check mode before creation).
          type: str
    groups:
      description: Every group of the pool after the run (as C(ListGroups) describes it, in snake_case), sorted by name.
      type: list
      elements: dict
      contains:
        group_name:
          description: Name of the group.
          type: str
          sample: providers
        description:
          description: Description.
          type: str
        precedence:
          description: Precedence.
          type: int
          sample: 10
        role_arn:
          description: IAM role of the members.
          type: str
    user_pool:
      description:
        - The pool as M(healthplatform.aws.cognito_user_pool) returns it (C(DescribeUserPool) in snake_case,
          with RV(user_pools[].user_pool.tags) and the MFA configuration as RV(user_pools[].user_pool.mfa)).
        - Empty when the pool does not exist.
      type: dict
      contains:
        tags:
          description: Tags of the pool.
          type: dict
        mfa:
          description: The MFA configuration as C(GetUserPoolMfaConfig) returns it.
          type: dict
user_pool_ids:
  description: Pool name to pool ID, for the listed pools that exist after the run.
  returned: always
  type: dict
  sample: {"healthplatform-prod-providers": "us-east-1_AbCdEfGhI"}
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
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import describe_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import duplicate_name_message
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import ensure_client
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import ensure_group
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import ensure_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import get_mfa_config
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import group_diff_view
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import group_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import group_options
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import groups_by_name
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import list_all
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import list_clients
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import pool_conflicts
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import pool_diff_view
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import pool_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import pool_options
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import pool_removal_problems
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import protect
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import remove_client
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import remove_group
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import remove_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import snake_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import snake_resource
from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client


def pool_item_options():
    """The suboptions of O(pools): a pool's options with its groups and app clients."""
    options = pool_options()
    options["name"]["required"] = True
    client_item = client_options()
    client_item["name"]["required"] = True
    options.update(
        groups=dict(type="list", elements="dict", options=group_options()),
        purge_groups=dict(type="bool", default=False),
        clients=dict(type="list", elements="dict", options=client_item),
        purge_clients=dict(type="bool", default=False),
    )
    return options


def listed_twice(items, key, where, option):
    """Messages for the values of ``key`` that more than one of ``items`` has."""
    errors = []
    first = {}
    for index, item in enumerate(items):
        value = item[key]
        if value is None:
            continue
        if value in first:
            errors.append(f"{where}[{index}].{option} {value!r} is listed twice (also {where}[{first[value]}])")
        first.setdefault(value, index)
    return errors


def validate(module):
    """Check what argument_spec cannot, for every pool, group and app client; fail before any API call."""
    pools = module.params["pools"]
    errors = listed_twice(pools, "name", "pools", "name") + listed_twice(pools, "pool_id", "pools", "pool_id")
    for index, pool in enumerate(pools):
        where = f"pools[{index}]"
        errors.extend(pool_errors(pool, f"{where}."))
        if pool["state"] == "absent":
            continue
        groups, clients = pool["groups"] or [], pool["clients"] or []
        errors.extend(listed_twice(groups, "name", f"{where}.groups", "name"))
        for number, group in enumerate(groups):
            errors.extend(group_errors(group, f"{where}.groups[{number}]."))
        errors.extend(listed_twice(clients, "name", f"{where}.clients", "name"))
        errors.extend(listed_twice(clients, "client_id", f"{where}.clients", "client_id"))
        for number, app_client in enumerate(clients):
            errors.extend(client_errors(app_client, f"{where}.clients[{number}]."))
    if errors:
        module.fail_json(msg="; ".join(errors))


# ---- reading: everything, and every conflict, before the first change ------------------------


def read_clients(module, client, where, params, pool_id):
    """(summaries, [DescribeUserPoolClient or None per listed client], problems)."""
    summaries = list_clients(client, pool_id)
    found, problems, seen = [], [], {}
    for index, wanted in enumerate(params["clients"] or []):
        label = f"{where}.clients[{index}] ({wanted['name']})"
        current = None
        if wanted["client_id"]:
            current = describe_client(client, pool_id, wanted["client_id"])
            if current is None and wanted["state"] == "present":
                problems.append(f"{label}: the pool has no app client {wanted['client_id']}; the module creates clients by name only (omit client_id)")
        else:
            ids = clients_named(summaries, wanted["name"])
            if len(ids) > 1:
                problems.append(f"{label}: " + duplicate_name_message("app client", wanted["name"], ids, f"{where}.clients[{index}].client_id"))
            elif ids:
                current = describe_client(client, pool_id, ids[0])
        found.append(current)
        if current is None:
            continue
        if current["ClientId"] in seen:
            problems.append(f"{label} is the app client {current['ClientId']} of {seen[current['ClientId']]} as well")
        seen[current["ClientId"]] = label
        if wanted["state"] == "present":
            problems.extend(f"{label}: {problem}" for problem in client_conflicts(wanted, protect(module, current)))
    return summaries, found, problems


def read(module, client):
    """The current state of each listed pool, and the problems that stop the run before any change."""
    pools = module.params["pools"]
    summaries = []
    if any(not p["pool_id"] for p in pools):
        summaries = list_all(client, "list_user_pools", "UserPools", MaxResults=60)
    states, problems, seen = [], [], {}
    for index, params in enumerate(pools):
        where = f"pools[{index}]"
        label = f"{where} ({params['name']})"
        state = dict(params=params, current=None, mfa={}, groups={}, client_summaries=[], clients=[None] * len(params["clients"] or []))
        states.append(state)
        if params["pool_id"]:
            current = describe_pool(client, params["pool_id"])
            if current is None and params["state"] == "present":
                problems.append(f"{label}: no user pool has pool_id {params['pool_id']}; the module creates pools by name only (omit pool_id)")
        else:
            ids = [p["Id"] for p in summaries if p.get("Name") == params["name"]]
            if len(ids) > 1:
                problems.append(f"{label}: " + duplicate_name_message("user pool", params["name"], ids, f"{where}.pool_id"))
                continue
            current = describe_pool(client, ids[0]) if ids else None
        if current is None:
            continue
        if current["Id"] in seen:
            problems.append(f"{label} is the user pool {current['Id']} of {seen[current['Id']]} as well")
        seen[current["Id"]] = label
        state.update(current=current, mfa=get_mfa_config(client, current["Id"]))
        if params["state"] == "absent":
            problems.extend(f"{label}: {problem}" for problem in pool_removal_problems(params, current))
            continue
        problems.extend(f"{label}: {problem}" for problem in pool_conflicts(params, current))
        state["groups"] = groups_by_name(client, current["Id"])
        state["client_summaries"], state["clients"], client_problems = read_clients(module, client, where, params, current["Id"])
        problems.extend(client_problems)
    return states, problems


# ---- changes ---------------------------------------------------------------------------------


def apply_groups(module, client, pool_id, params, groups, progress):
    """Bring the groups of the pool to O(pools[].groups); ``groups`` (by name) becomes the groups after the run."""
    changed, before, after = False, {}, {}
    listed = set()
    for wanted in params["groups"] or []:
        name = wanted["name"]
        listed.add(name)
        progress["label"] = f"the group {name!r} of the Cognito user pool {params['name']!r}"
        current = groups.get(name)
        if wanted["state"] == "absent":
            if current is not None:
                remove_group(module, client, pool_id, name)
                del groups[name]
                changed, before[name], after[name] = True, group_diff_view(current), {}
            continue
        group_changed, groups[name] = ensure_group(module, client, pool_id, wanted, current)
        if group_changed:
            changed, before[name], after[name] = True, group_diff_view(current), group_diff_view(groups[name])
    if params["purge_groups"]:
        for name in sorted(set(groups) - listed):
            progress["label"] = f"the group {name!r} of the Cognito user pool {params['name']!r}"
            remove_group(module, client, pool_id, name)
            changed, before[name], after[name] = True, group_diff_view(groups.pop(name)), {}
    return changed, before, after


def apply_clients(module, client, pool_id, params, summaries, found, progress):
    """Bring the app clients of the pool to O(pools[].clients). Returns (changed, diff before, diff after, client_ids, clients after)."""
    changed, before, after, client_ids = False, {}, {}, {}
    remaining = {s["ClientId"]: s.get("ClientName") for s in summaries}
    listed, planned = set(), []
    for wanted, current in zip(params["clients"] or [], found):
        name = wanted["name"]
        progress["label"] = f"the app client {name!r} of the Cognito user pool {params['name']!r}"
        if current is not None:
            listed.add(current["ClientId"])
        if wanted["state"] == "absent":
            if current is not None:
                remove_client(module, client, pool_id, current["ClientId"])
                remaining.pop(current["ClientId"], None)
                changed, before[name], after[name] = True, client_diff_view(protect(module, current)), {}
            continue
        client_changed, result = ensure_client(module, client, pool_id, wanted, current)
        if result.get("ClientId"):
            remaining[result["ClientId"]] = result.get("ClientName")
            client_ids[name] = result["ClientId"]
        else:
            planned.append({"client_name": result.get("ClientName")})
        if client_changed:
            changed, before[name], after[name] = True, client_diff_view(protect(module, current)), client_diff_view(result)
    if params["purge_clients"]:
        for client_id in sorted(set(remaining) - listed - set(client_ids.values())):
            name = remaining.pop(client_id)
            progress["label"] = f"the app client {name!r} ({client_id}) of the Cognito user pool {params['name']!r}"
            remove_client(module, client, pool_id, client_id)
            changed, before[f"{name} ({client_id})"], after[f"{name} ({client_id})"] = True, {"name": name, "client_id": client_id}, {}
    clients = [{"client_name": name, "client_id": client_id} for client_id, name in remaining.items()] + planned
    return changed, before, after, client_ids, sorted(clients, key=lambda c: (c["client_name"] or "", c.get("client_id") or ""))


def apply_pool(module, client, state, progress):
    """Carry out one pool's changes. Returns (result, diff before, diff after); the diffs are empty when nothing changed."""
    params, current, current_mfa = state["params"], state["current"], state["mfa"]
    progress["label"] = f"the Cognito user pool {params['name']!r}"
    result = dict(name=params["name"], state=params["state"], changed=False, client_ids={}, clients=[], groups=[], user_pool={})
    if params["state"] == "absent":
        if current is None:
            return result, {}, {}
        remove_pool(module, client, current)
        return dict(result, changed=True), {"pool": pool_diff_view(current, current_mfa)}, {"pool": {}}

    changed, pool, mfa = ensure_pool(module, client, params, current, current_mfa)
    pool_id = pool.get("Id")
    groups = dict(state["groups"])
    groups_changed, groups_before, groups_after = apply_groups(module, client, pool_id, params, groups, progress)
    clients_changed, clients_before, clients_after, client_ids, clients = apply_clients(
        module, client, pool_id, params, state["client_summaries"], state["clients"], progress
    )
    result.update(
        changed=changed or groups_changed or clients_changed,
        name=pool.get("Name", params["name"]),
        client_ids=client_ids,
        clients=clients,
        groups=[snake_resource(groups[name]) for name in sorted(groups)],
        user_pool=snake_pool(pool, mfa),
    )
    result.update({key: pool[field] for key, field in (("id", "Id"), ("arn", "Arn")) if pool.get(field)})
    if not result["changed"]:
        return result, {}, {}
    before, after = {}, {}
    if changed:
        before["pool"], after["pool"] = pool_diff_view(current, current_mfa), pool_diff_view(pool, mfa)
    if groups_changed:
        before["groups"], after["groups"] = groups_before, groups_after
    if clients_changed:
        before["clients"], after["clients"] = clients_before, clients_after
    return result, before, after


def main():
    argument_spec = dict(pools=dict(type="list", elements="dict", required=True, options=pool_item_options()))
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = retrying_client(module, "cognito-idp")
    progress = {"label": "the Cognito user pools (reading them)"}
    results, before, after = [], {}, {}
    try:
        states, problems = read(module, client)
        if problems:
            module.fail_json(msg="Nothing was changed: " + "; ".join(problems))
        for state in states:
            result, pool_before, pool_after = apply_pool(module, client, state, progress)
            results.append(result)
            if result["changed"]:
                before[result["name"]], after[result["name"]] = pool_before, pool_after
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage {progress['label']}", changed=bool(before), user_pools=results)

    user_pool_ids = {r["name"]: r["id"] for r in results if r.get("id")}
    module.exit_json(changed=any(r["changed"] for r in results), user_pools=results, user_pool_ids=user_pool_ids, diff=diff_of(before, after))


if __name__ == "__main__":
    main()
