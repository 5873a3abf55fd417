#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cognito_user_pool
short_description: Manage an Amazon Cognito user pool, its MFA, advanced security and password policy
version_added: 0.1.0
description:
  - Creates, updates or deletes one Amazon Cognito user pool, identified by O(name) or by O(pool_id).
  - Cognito allows several pools with the same name. When O(name) matches more than one pool the
    module fails and lists their IDs; pass O(pool_id) to choose one.
  - The defaults are the platform's portal baseline (control HP-02) - MFA required (C(ON)) with
    TOTP authenticator apps, advanced security (threat protection) C(ENFORCED), a password policy
    of at least 14 characters with all four character classes, and deletion protection C(ACTIVE).
  - MFA is read with C(GetUserPoolMfaConfig) and set with C(SetUserPoolMfaConfig). A new pool is
    created with MFA off and MFA is then set at once (C(CreateUserPool) refuses MFA C(ON) without
    SMS); the pool has no users in between.
  - All other settings go through C(UpdateUserPool), which resets every attribute it is not given
    to the Cognito default. The module therefore always sends the pool's complete current
    configuration with the changes laid over it, so settings it does not manage (Lambda triggers,
    message templates, device tracking...) are kept.
  - Options that are not given are not compared (except those with a default).
    O(username_attributes), O(alias_attributes) and the custom attributes of O(schema) are fixed
    when the pool is created; a difference fails with a message instead of changing anything.
  - Bad input (a password length outside 8-99, MFA C(ON) without an MFA factor...) fails before any
    API call is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description: Whether the user pool should exist.
    type: str
    choices: [present, absent]
    default: present
  name:
    description:
      - Name of the user pool. Required to create a pool.
      - With O(pool_id) as well, a different name renames the pool.
    type: str
  pool_id:
    description:
      - ID of an existing user pool, for example C(us-east-1_AbCdEfGhI).
      - Use it when several pools share O(name). The module never creates a pool from an ID.
    type: str
  mfa_configuration:
    description:
      - Whether users must (C(ON)), may (C(OPTIONAL)) or cannot (C(OFF)) use MFA.
      - C(ON) and C(OPTIONAL) need at least one factor, O(software_token_mfa) or O(sms_mfa).
      - With C(OFF), O(software_token_mfa) and O(sms_mfa) are not compared.
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
      - The SMS configuration is shared with SMS verification messages.
    type: dict
    suboptions:
      enabled:
        description: Whether SMS is an MFA factor. V(false) removes it.
        type: bool
        default: true
      sns_caller_arn:
        description: ARN of the IAM role Cognito assumes to publish through SNS. Required when O(sms_mfa.enabled=true).
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
      - Set through C(UserPoolAddOns). On pools created since November 2024 it needs O(user_pool_tier=PLUS).
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
        description:
          - Number of previous passwords a user may not reuse, 0 to 24. Not compared when omitted.
          - Needs the C(ESSENTIALS) or C(PLUS) tier.
        type: int
  account_recovery:
    description:
      - How users recover a forgotten password, in order of priority (the first is tried first).
      - C(admin_only) disables self-service recovery and must be alone.
      - Not compared when omitted.
    type: list
    elements: str
    choices: [verified_email, verified_phone_number, admin_only]
  deletion_protection:
    description: With C(ACTIVE) Cognito refuses to delete the pool (see O(force_delete)).
    type: str
    choices: [ACTIVE, INACTIVE]
    default: ACTIVE
  username_attributes:
    description:
      - Attributes users sign in with instead of a username. Fixed at creation.
      - Mutually exclusive with O(alias_attributes).
    type: list
    elements: str
    choices: [email, phone_number]
  alias_attributes:
    description:
      - Attributes users may sign in with besides their username. Fixed at creation.
      - Mutually exclusive with O(username_attributes).
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
        description: C(COGNITO_DEFAULT) (low daily quota) or C(DEVELOPER) (your Amazon SES identity in O(email_configuration.source_arn)).
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
      - With O(state=absent), delete the pool even if its deletion protection is C(ACTIVE) (the
        module first sets it C(INACTIVE)), and delete its hosted UI domains first.
      - Without it, a protected pool or a pool with a domain makes the task fail with an explanation.
    type: bool
    default: false
  tags:
    description:
      - Tags of the pool (C(UserPoolTags)). Not compared when omitted.
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description: Remove tags of the pool that are not in O(tags).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - C(CreateUserPool) accepts no idempotency token. Retries happen only on throttling errors (the
    request was refused), and a duplicate left by any other failure is caught on the next run, which
    fails listing both pool IDs.
  - The user pool's app clients, domain and groups have their own modules.
seealso:
  - module: healthplatform.aws.cognito_user_pool_info
  - module: healthplatform.aws.cognito_user_pool_client
  - module: healthplatform.aws.cognito_user_pool_domain
  - module: healthplatform.aws.cognito_user_pool_group
"""

EXAMPLES = r"""
- name: Patient portal user pool (TOTP MFA required, threat protection enforced, 14+ character passwords)
  healthplatform.aws.cognito_user_pool:
    name: healthplatform-prod-patients
    user_pool_tier: PLUS
    username_attributes: [email]
    auto_verified_attributes: [email]
    account_recovery: [verified_email]
    admin_create_user_only: false
    password_policy:
      temporary_password_validity_days: 3
      password_history_size: 24
    schema:
      - name: patient_id
        mutable: false
        max_length: 64
    email_configuration:
      email_sending_account: DEVELOPER
      source_arn: arn:aws:ses:us-east-1:123456789012:identity/example.org
      from_address: Health Platform <no-reply@example.org>
    tags:
      Environment: prod
      DataClass: phi
  register: patients_pool

- name: Care provider pool, accounts created by administrators only
  healthplatform.aws.cognito_user_pool:
    name: healthplatform-prod-providers
    user_pool_tier: PLUS
    username_attributes: [email]
    auto_verified_attributes: [email]
    admin_create_user_only: true
    account_recovery: [verified_email]

- name: Delete a test pool, removing its deletion protection and domain first
  healthplatform.aws.cognito_user_pool:
    name: healthplatform-dev-patients
    state: absent
    force_delete: true
"""

RETURN = r"""
user_pool:
  description:
    - The user pool as C(DescribeUserPool) describes it, in snake_case, with C(UserPoolTags) as
      RV(user_pool.tags) and the MFA configuration (C(GetUserPoolMfaConfig)) as RV(user_pool.mfa).
    - Empty when O(state=absent). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    id:
      description: ID of the pool (absent in check mode before creation).
      type: str
      sample: us-east-1_AbCdEfGhI
    arn:
      description: ARN of the pool.
      type: str
      sample: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEfGhI
    name:
      description: Name of the pool.
      type: str
      sample: healthplatform-prod-patients
    mfa_configuration:
      description: MFA requirement.
      type: str
      sample: 'ON'
    policies:
      description: Password (and sign-in) policy.
      type: dict
      sample: {"password_policy": {"minimum_length": 14, "require_uppercase": true, "require_lowercase": true,
               "require_numbers": true, "require_symbols": true, "temporary_password_validity_days": 7}}
    user_pool_add_ons:
      description: Advanced security settings.
      type: dict
      sample: {"advanced_security_mode": "ENFORCED"}
    deletion_protection:
      description: Deletion protection.
      type: str
      sample: ACTIVE
    schema_attributes:
      description: Standard and custom attributes.
      type: list
      elements: dict
    mfa:
      description: The MFA configuration as C(GetUserPoolMfaConfig) returns it.
      type: dict
      sample: {"mfa_configuration": "ON", "software_token_mfa_configuration": {"enabled": true}}
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

from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import ensure_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import find_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import get_mfa_config
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import pool_conflicts
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import pool_diff_view
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import pool_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import pool_options
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import pool_removal_problems
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import remove_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import snake_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client


def ensure_present(module, client, current):
    params = module.params
    if current is None:
        if params["pool_id"]:
            module.fail_json(msg=f"no user pool has pool_id {params['pool_id']}; the module creates pools by name only (omit pool_id)")
        changed, after, after_mfa = ensure_pool(module, client, params, None, None)
        return changed, {}, {}, after, after_mfa
    current_mfa = get_mfa_config(client, current["Id"])
    problems = pool_conflicts(params, current)
    if problems:
        module.fail_json(msg=f"user pool {current['Id']}: " + "; ".join(problems), user_pool=snake_pool(current, current_mfa))
    changed, after, after_mfa = ensure_pool(module, client, params, current, current_mfa)
    return changed, current, current_mfa, after, after_mfa


def ensure_absent(module, client, current):
    if current is None:
        return False, {}, {}
    current_mfa = get_mfa_config(client, current["Id"])
    problems = pool_removal_problems(module.params, current)
    if problems:
        module.fail_json(msg=" ".join(problems))
    remove_pool(module, client, current)
    return True, current, current_mfa


def main():
    module = AnsibleAWSModule(
        argument_spec=pool_options(),
        supports_check_mode=True,
        required_one_of=[["name", "pool_id"]],
        mutually_exclusive=[["username_attributes", "alias_attributes"]],
    )
    errors = pool_errors(module.params)
    if errors:
        module.fail_json(msg="; ".join(errors))

    client = retrying_client(module, "cognito-idp")
    params = module.params
    label = params["pool_id"] or repr(params["name"])
    try:
        current = find_pool(module, client, pool_id=params["pool_id"], name=params["name"])
        if params["state"] == "absent":
            changed, before, before_mfa = ensure_absent(module, client, current)
            module.exit_json(changed=changed, user_pool={}, diff=diff_of(pool_diff_view(before, before_mfa), {}))
        changed, before, before_mfa, after, after_mfa = ensure_present(module, client, current)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the Cognito user pool {label}")

    module.exit_json(
        changed=changed, user_pool=snake_pool(after, after_mfa), diff=diff_of(pool_diff_view(before, before_mfa), pool_diff_view(after, after_mfa))
    )


if __name__ == "__main__":
    main()
