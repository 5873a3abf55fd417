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

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import STANDARD_ATTRIBUTES
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import custom_attribute_name
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import describe_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import find_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import full_update_pool_request
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import get_mfa_config
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import snake_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client

IAM_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")
SES_IDENTITY_ARN = re.compile(r"^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity/.+$")
CUSTOM_NAME = re.compile(r"^[\w.:+=@-]{1,20}$")

PASSWORD_POLICY_FIELDS = {
    "minimum_length": "MinimumLength",
    "require_uppercase": "RequireUppercase",
    "require_lowercase": "RequireLowercase",
    "require_numbers": "RequireNumbers",
    "require_symbols": "RequireSymbols",
    "temporary_password_validity_days": "TemporaryPasswordValidityDays",
    "password_history_size": "PasswordHistorySize",
}
EMAIL_FIELDS = {
    "email_sending_account": "EmailSendingAccount",
    "source_arn": "SourceArn",
    "from_address": "From",
    "reply_to_email_address": "ReplyToEmailAddress",
    "configuration_set": "ConfigurationSet",
}


def validate_schema(module, schema):
    seen = set()
    for index, attribute in enumerate(schema or []):
        where = f"schema[{index}]"
        name = custom_attribute_name(attribute["name"])
        if not CUSTOM_NAME.match(name):
            module.fail_json(msg=f"{where}.name must be 1 to 20 characters (letters, digits, _ . : + = @ -), got {attribute['name']!r}")
        if name in STANDARD_ATTRIBUTES:
            module.fail_json(msg=f"{where}.name {name!r} is a standard attribute; schema lists custom attributes only")
        if name in seen:
            module.fail_json(msg=f"{where}.name {name!r} is listed twice in schema")
        seen.add(name)
        data_type = attribute["attribute_data_type"]
        if data_type != "String" and (attribute["min_length"] is not None or attribute["max_length"] is not None):
            module.fail_json(msg=f"{where}: min_length and max_length apply only to attribute_data_type String")
        if data_type != "Number" and (attribute["min_value"] is not None or attribute["max_value"] is not None):
            module.fail_json(msg=f"{where}: min_value and max_value apply only to attribute_data_type Number")
        for key in ("min_length", "max_length"):
            if attribute[key] is not None and not 0 <= attribute[key] <= 2048:
                module.fail_json(msg=f"{where}.{key} must be between 0 and 2048, got {attribute[key]}")
        for low, high in (("min_length", "max_length"), ("min_value", "max_value")):
            if attribute[low] is not None and attribute[high] is not None and attribute[low] > attribute[high]:
                module.fail_json(msg=f"{where}.{low} ({attribute[low]}) is greater than {where}.{high} ({attribute[high]})")


def validate(module):
    """Check the options that argument_spec cannot; fail before any API call."""
    p = module.params
    if p["state"] == "absent":
        return

    policy = p["password_policy"]
    if not 8 <= policy["minimum_length"] <= 99:
        module.fail_json(msg=f"password_policy.minimum_length must be between 8 and 99, got {policy['minimum_length']}")
    days = policy["temporary_password_validity_days"]
    if days is not None and not 0 <= days <= 365:
        module.fail_json(msg=f"password_policy.temporary_password_validity_days must be between 0 and 365, got {days}")
    history = policy["password_history_size"]
    if history is not None and not 0 <= history <= 24:
        module.fail_json(msg=f"password_policy.password_history_size must be between 0 and 24, got {history}")

    sms = p["sms_mfa"]
    sms_enabled = bool(sms and sms["enabled"])
    if p["mfa_configuration"] != "OFF" and not (p["software_token_mfa"] or sms_enabled):
        factor_hint = "set software_token_mfa to true (TOTP authenticator apps) or enable sms_mfa"
        module.fail_json(msg=f"mfa_configuration {p['mfa_configuration']} needs an MFA factor: {factor_hint}")
    if sms_enabled:
        if not sms["sns_caller_arn"]:
            module.fail_json(msg="sms_mfa.sns_caller_arn (the IAM role Cognito assumes to send SMS) is required when sms_mfa is enabled")
        if not IAM_ROLE_ARN.match(sms["sns_caller_arn"]):
            module.fail_json(msg=f"sms_mfa.sns_caller_arn must be an IAM role ARN, got {sms['sns_caller_arn']!r}")
        message = sms["sms_authentication_message"]
        if message is not None and "{####}" not in message:
            module.fail_json(msg="sms_mfa.sms_authentication_message must contain {####}, where Cognito puts the code")

    if p["user_pool_tier"] in ("LITE", "ESSENTIALS") and p["advanced_security_mode"] != "OFF":
        module.fail_json(
            msg=(
                f"advanced_security_mode {p['advanced_security_mode']} (threat protection) needs user_pool_tier PLUS, "
                f"not {p['user_pool_tier']}; set user_pool_tier: PLUS or advanced_security_mode: OFF"
            )
        )

    recovery = p["account_recovery"]
    if recovery is not None:
        if len(set(recovery)) != len(recovery):
            module.fail_json(msg=f"account_recovery lists a mechanism twice: {recovery}")
        if "admin_only" in recovery and len(recovery) > 1:
            module.fail_json(msg="account_recovery admin_only disables self-service recovery and must be the only entry")
        if not recovery:
            module.fail_json(msg="account_recovery needs at least one mechanism (admin_only disables self-service recovery)")

    email = p["email_configuration"]
    if email:
        if email["email_sending_account"] == "DEVELOPER" and not email["source_arn"]:
            module.fail_json(msg="email_configuration.source_arn (the SES identity ARN) is required with email_sending_account DEVELOPER")
        if email["source_arn"] and not SES_IDENTITY_ARN.match(email["source_arn"]):
            module.fail_json(msg=f"email_configuration.source_arn must be an SES identity ARN, got {email['source_arn']!r}")

    validate_schema(module, p["schema"])


# ---- what the options ask for, in API terms -------------------------------------------------


def desired_password_policy(params):
    policy = params["password_policy"]
    return {api: policy[option] for option, api in PASSWORD_POLICY_FIELDS.items() if policy[option] is not None}


def desired_email_configuration(params):
    email = params["email_configuration"]
    return {api: email[option] for option, api in EMAIL_FIELDS.items() if email[option] is not None}


def desired_account_recovery(params):
    return {"RecoveryMechanisms": [{"Priority": i + 1, "Name": name} for i, name in enumerate(params["account_recovery"])]}


def sms_configuration(sms):
    config = {"SnsCallerArn": sms["sns_caller_arn"]}
    if sms["external_id"]:
        config["ExternalId"] = sms["external_id"]
    if sms["sns_region"]:
        config["SnsRegion"] = sms["sns_region"]
    return config


def schema_attribute(attribute):
    """A SchemaAttributeType for AddCustomAttributes / CreateUserPool."""
    result = {
        "Name": custom_attribute_name(attribute["name"]),
        "AttributeDataType": attribute["attribute_data_type"],
        "Mutable": attribute["mutable"],
        "DeveloperOnlyAttribute": attribute["developer_only"],
    }
    if attribute["attribute_data_type"] == "String" and (attribute["min_length"] is not None or attribute["max_length"] is not None):
        result["StringAttributeConstraints"] = {
            k: str(attribute[o]) for k, o in (("MinLength", "min_length"), ("MaxLength", "max_length")) if attribute[o] is not None
        }
    if attribute["attribute_data_type"] == "Number" and (attribute["min_value"] is not None or attribute["max_value"] is not None):
        result["NumberAttributeConstraints"] = {
            k: str(attribute[o]) for k, o in (("MinValue", "min_value"), ("MaxValue", "max_value")) if attribute[o] is not None
        }
    return result


def described_name(attribute):
    """How DescribeUserPool names a custom attribute."""
    prefix = "dev:custom:" if attribute["developer_only"] else "custom:"
    return prefix + custom_attribute_name(attribute["name"])


def mfa_request(params, current_mfa):
    """The SetUserPoolMfaConfig request (without UserPoolId) the options ask for.

    Factors the module does not manage (email MFA, passkeys) are sent back as they are.
    """
    current_mfa = current_mfa or {}
    mode = params["mfa_configuration"]
    request = {"MfaConfiguration": mode}
    if current_mfa.get("WebAuthnConfiguration"):
        request["WebAuthnConfiguration"] = current_mfa["WebAuthnConfiguration"]
    if mode == "OFF":
        # Cognito refuses a factor configuration together with MFA OFF.
        return request
    request["SoftwareTokenMfaConfiguration"] = {"Enabled": params["software_token_mfa"]}
    sms = params["sms_mfa"]
    if sms is None:
        if current_mfa.get("SmsMfaConfiguration"):
            request["SmsMfaConfiguration"] = current_mfa["SmsMfaConfiguration"]
    elif sms["enabled"]:
        request["SmsMfaConfiguration"] = {"SmsConfiguration": sms_configuration(sms)}
        if sms["sms_authentication_message"]:
            request["SmsMfaConfiguration"]["SmsAuthenticationMessage"] = sms["sms_authentication_message"]
    if current_mfa.get("EmailMfaConfiguration"):
        request["EmailMfaConfiguration"] = current_mfa["EmailMfaConfiguration"]
    return request


def contains(actual, wanted):
    """Whether every key of ``wanted`` has the same value in ``actual`` (recursively for dicts)."""
    if isinstance(wanted, dict):
        return isinstance(actual, dict) and all(contains(actual.get(k), v) for k, v in wanted.items())
    return actual == wanted


def mfa_differs(current_mfa, wanted):
    current_mfa = current_mfa or {}
    if current_mfa.get("MfaConfiguration", "OFF") != wanted["MfaConfiguration"]:
        return True
    if wanted["MfaConfiguration"] == "OFF":
        return False
    if bool((current_mfa.get("SoftwareTokenMfaConfiguration") or {}).get("Enabled")) != wanted["SoftwareTokenMfaConfiguration"]["Enabled"]:
        return True
    current_sms, wanted_sms = current_mfa.get("SmsMfaConfiguration"), wanted.get("SmsMfaConfiguration")
    if bool(current_sms) != bool(wanted_sms):
        return True
    return bool(wanted_sms) and not contains(current_sms, wanted_sms)


def pool_overlay(current, params):
    """The UpdateUserPool fields whose value must change, with their complete new values."""
    overlay = {}

    policies = current.get("Policies") or {}
    current_policy = policies.get("PasswordPolicy") or {}
    wanted_policy = dict(current_policy, **desired_password_policy(params))
    if wanted_policy != current_policy:
        overlay["Policies"] = dict(policies, PasswordPolicy=wanted_policy)

    if current.get("DeletionProtection", "INACTIVE") != params["deletion_protection"]:
        overlay["DeletionProtection"] = params["deletion_protection"]

    add_ons = current.get("UserPoolAddOns") or {}
    if add_ons.get("AdvancedSecurityMode", "OFF") != params["advanced_security_mode"]:
        overlay["UserPoolAddOns"] = dict(add_ons, AdvancedSecurityMode=params["advanced_security_mode"])

    if params["account_recovery"] is not None:
        wanted = desired_account_recovery(params)
        mechanisms = sorted((current.get("AccountRecoverySetting") or {}).get("RecoveryMechanisms") or [], key=lambda m: m.get("Priority", 0))
        if [(m.get("Priority"), m.get("Name")) for m in mechanisms] != [(m["Priority"], m["Name"]) for m in wanted["RecoveryMechanisms"]]:
            overlay["AccountRecoverySetting"] = wanted

    if params["auto_verified_attributes"] is not None:
        if sorted(set(params["auto_verified_attributes"])) != sorted(set(current.get("AutoVerifiedAttributes") or [])):
            overlay["AutoVerifiedAttributes"] = sorted(set(params["auto_verified_attributes"]))

    if params["email_configuration"] is not None:
        wanted = desired_email_configuration(params)
        if wanted != {k: v for k, v in (current.get("EmailConfiguration") or {}).items() if v is not None}:
            overlay["EmailConfiguration"] = wanted

    if params["admin_create_user_only"] is not None:
        admin_config = current.get("AdminCreateUserConfig") or {}
        if bool(admin_config.get("AllowAdminCreateUserOnly")) != params["admin_create_user_only"]:
            overlay["AdminCreateUserConfig"] = dict(admin_config, AllowAdminCreateUserOnly=params["admin_create_user_only"])

    if params["user_pool_tier"] and current.get("UserPoolTier") != params["user_pool_tier"]:
        overlay["UserPoolTier"] = params["user_pool_tier"]

    current_tags = current.get("UserPoolTags") or {}
    wanted_tags = merged_tags(current_tags, params["tags"], params["purge_tags"])
    if wanted_tags != current_tags:
        overlay["UserPoolTags"] = wanted_tags

    if params["pool_id"] and params["name"] and params["name"] != current.get("Name"):
        overlay["PoolName"] = params["name"]
    return overlay


def create_only_conflicts(current, params):
    """Messages for settings that differ but can only be set when the pool is created."""
    problems = []
    for option, field in (("username_attributes", "UsernameAttributes"), ("alias_attributes", "AliasAttributes")):
        wanted = params[option]
        if wanted is not None and sorted(set(wanted)) != sorted(set(current.get(field) or [])):
            problems.append(
                f"{option} cannot change after the pool is created: the pool has {sorted(current.get(field) or [])}, "
                f"the task asks for {sorted(set(wanted))} (a new pool and a user migration are needed)"
            )
    existing = {a["Name"]: a for a in current.get("SchemaAttributes") or []}
    for attribute in params["schema"] or []:
        name = custom_attribute_name(attribute["name"])
        have = existing.get(described_name(attribute))
        other = existing.get(described_name(dict(attribute, developer_only=not attribute["developer_only"])))
        if have is None and other is None:
            continue
        if have is None:
            problems.append(f"schema attribute {name!r}: developer_only cannot change after the attribute is created")
            continue
        want = schema_attribute(attribute)
        for key, option in (("AttributeDataType", "attribute_data_type"), ("Mutable", "mutable")):
            if have.get(key) != want[key]:
                problems.append(f"schema attribute {name!r}: {option} is {have.get(key)!r} in the pool, the task asks for {want[key]!r}")
        for key in ("StringAttributeConstraints", "NumberAttributeConstraints"):
            if key in want and not contains(have.get(key) or {}, want[key]):
                problems.append(f"schema attribute {name!r}: constraints are {have.get(key)} in the pool, the task asks for {want[key]}")
    if problems:
        problems.append("custom attributes can be added but never changed or removed")
    return problems


def new_custom_attributes(current, params):
    existing = {a["Name"] for a in current.get("SchemaAttributes") or []}
    result = []
    for attribute in params["schema"] or []:
        alternate = described_name(dict(attribute, developer_only=not attribute["developer_only"]))
        if described_name(attribute) not in existing and alternate not in existing:
            result.append(schema_attribute(attribute))
    return result


def create_request(params):
    request = {
        "PoolName": params["name"],
        "Policies": {"PasswordPolicy": desired_password_policy(params)},
        "DeletionProtection": params["deletion_protection"],
        "UserPoolAddOns": {"AdvancedSecurityMode": params["advanced_security_mode"]},
    }
    if params["account_recovery"] is not None:
        request["AccountRecoverySetting"] = desired_account_recovery(params)
    for option, field in (
        ("username_attributes", "UsernameAttributes"),
        ("alias_attributes", "AliasAttributes"),
        ("auto_verified_attributes", "AutoVerifiedAttributes"),
    ):
        if params[option] is not None:
            request[field] = sorted(set(params[option]))
    if params["email_configuration"] is not None:
        request["EmailConfiguration"] = desired_email_configuration(params)
    if params["admin_create_user_only"] is not None:
        request["AdminCreateUserConfig"] = {"AllowAdminCreateUserOnly": params["admin_create_user_only"]}
    if params["user_pool_tier"]:
        request["UserPoolTier"] = params["user_pool_tier"]
    if params["tags"]:
        request["UserPoolTags"] = dict(params["tags"])
    if params["schema"]:
        request["Schema"] = [schema_attribute(a) for a in params["schema"]]
    sms = params["sms_mfa"]
    if sms and sms["enabled"]:
        request["SmsConfiguration"] = sms_configuration(sms)
        if sms["sms_authentication_message"]:
            request["SmsAuthenticationMessage"] = sms["sms_authentication_message"]
    return request


def planned_pool(request, mfa):
    """What a new pool would look like (check mode)."""
    pool = {("Name" if k == "PoolName" else k): v for k, v in request.items() if k != "Schema"}
    pool["MfaConfiguration"] = mfa["MfaConfiguration"]
    pool["SchemaAttributes"] = described_attributes(request.get("Schema", []))
    return pool


def described_attributes(schema):
    """SchemaAttributeTypes as DescribeUserPool lists them (prefixed names)."""
    return [dict(a, Name=("dev:custom:" if a["DeveloperOnlyAttribute"] else "custom:") + a["Name"]) for a in schema]


def applied(current, overlay, new_attributes, mfa_mode):
    """``current`` with ``overlay``, new custom attributes and the MFA mode applied (check mode)."""
    pool = dict(current, MfaConfiguration=mfa_mode)
    for key, value in overlay.items():
        pool["Name" if key == "PoolName" else key] = value
    if new_attributes:
        pool["SchemaAttributes"] = list(current.get("SchemaAttributes") or []) + described_attributes(new_attributes)
    return pool


def diff_view(pool, mfa):
    """The settings the module manages, for the diff."""
    if not pool:
        return {}
    mfa = mfa or {}
    policy = (pool.get("Policies") or {}).get("PasswordPolicy") or {}
    mechanisms = sorted((pool.get("AccountRecoverySetting") or {}).get("RecoveryMechanisms") or [], key=lambda m: m.get("Priority", 0))
    view = {
        "name": pool.get("Name"),
        "mfa_configuration": mfa.get("MfaConfiguration", pool.get("MfaConfiguration")),
        "software_token_mfa": bool((mfa.get("SoftwareTokenMfaConfiguration") or {}).get("Enabled")),
        "sms_mfa": bool(mfa.get("SmsMfaConfiguration")),
        "advanced_security_mode": (pool.get("UserPoolAddOns") or {}).get("AdvancedSecurityMode", "OFF"),
        "password_policy": {option: policy[api] for option, api in PASSWORD_POLICY_FIELDS.items() if api in policy},
        "deletion_protection": pool.get("DeletionProtection", "INACTIVE"),
        "account_recovery": [m.get("Name") for m in mechanisms],
        "auto_verified_attributes": sorted(pool.get("AutoVerifiedAttributes") or []),
        "username_attributes": sorted(pool.get("UsernameAttributes") or []),
        "alias_attributes": sorted(pool.get("AliasAttributes") or []),
        "custom_attributes": sorted(a["Name"] for a in pool.get("SchemaAttributes") or [] if "custom:" in a["Name"]),
        "email_configuration": {
            option: pool["EmailConfiguration"][api] for option, api in EMAIL_FIELDS.items() if api in (pool.get("EmailConfiguration") or {})
        },
        "admin_create_user_only": bool((pool.get("AdminCreateUserConfig") or {}).get("AllowAdminCreateUserOnly")),
        "user_pool_tier": pool.get("UserPoolTier"),
        "tags": dict(pool.get("UserPoolTags") or {}),
    }
    return {k: v for k, v in view.items() if v is not None}


# ---- state changes ------------------------------------------------------------------------


def ensure_present(module, client, current):
    params = module.params
    if current is None:
        if params["pool_id"]:
            module.fail_json(msg=f"no user pool has pool_id {params['pool_id']}; the module creates pools by name only (omit pool_id)")
        request = create_request(params)
        wanted_mfa = mfa_request(params, {})
        if module.check_mode:
            return True, {}, {}, planned_pool(request, wanted_mfa), wanted_mfa
        pool_id = client.create_user_pool(aws_retry=True, **request)["UserPool"]["Id"]
        if wanted_mfa["MfaConfiguration"] != "OFF":
            client.set_user_pool_mfa_config(UserPoolId=pool_id, aws_retry=True, **wanted_mfa)
        return True, {}, {}, describe_pool(client, pool_id), get_mfa_config(client, pool_id)

    pool_id = current["Id"]
    current_mfa = get_mfa_config(client, pool_id)
    problems = create_only_conflicts(current, params)
    if problems:
        module.fail_json(msg=f"user pool {pool_id}: " + "; ".join(problems), user_pool=snake_pool(current, current_mfa))

    wanted_mfa = mfa_request(params, current_mfa)
    set_mfa = mfa_differs(current_mfa, wanted_mfa)
    overlay = pool_overlay(current, params)
    attributes = new_custom_attributes(current, params)
    changed = bool(set_mfa or overlay or attributes)
    if not changed:
        return False, current, current_mfa, current, current_mfa
    if module.check_mode:
        planned_mfa = wanted_mfa if set_mfa else current_mfa
        return True, current, current_mfa, applied(current, overlay, attributes, planned_mfa.get("MfaConfiguration", "OFF")), planned_mfa

    if set_mfa:
        client.set_user_pool_mfa_config(UserPoolId=pool_id, aws_retry=True, **wanted_mfa)
    if overlay:
        request = full_update_pool_request(client, current, overlay)
        # UpdateUserPool would otherwise put back the MFA and SMS settings read before SetUserPoolMfaConfig.
        request["MfaConfiguration"] = wanted_mfa["MfaConfiguration"]
        sms = params["sms_mfa"]
        if sms and sms["enabled"]:
            request["SmsConfiguration"] = sms_configuration(sms)
            if sms["sms_authentication_message"]:
                request["SmsAuthenticationMessage"] = sms["sms_authentication_message"]
        client.update_user_pool(aws_retry=True, **request)
    if attributes:
        client.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=attributes, aws_retry=True)
    return True, current, current_mfa, describe_pool(client, pool_id), get_mfa_config(client, pool_id)


def pool_domains(pool):
    return sorted({d for d in (pool.get("Domain"), pool.get("CustomDomain")) if d})


def ensure_absent(module, client, current):
    params = module.params
    if current is None:
        return False, {}, {}
    pool_id = current["Id"]
    current_mfa = get_mfa_config(client, pool_id)
    protected = current.get("DeletionProtection") == "ACTIVE"
    domains = pool_domains(current)
    if not params["force_delete"]:
        if protected:
            module.fail_json(
                msg=(
                    f"user pool {pool_id} ({current.get('Name')}) has deletion_protection ACTIVE, so it is not deleted. "
                    "Set force_delete: true to turn the protection off and delete it, or set deletion_protection: INACTIVE first."
                )
            )
        if domains:
            module.fail_json(
                msg=(
                    f"user pool {pool_id} ({current.get('Name')}) still has the domain(s) {', '.join(domains)}; delete them first "
                    "(healthplatform.aws.cognito_user_pool_domain with state: absent) or set force_delete: true."
                )
            )
    if module.check_mode:
        return True, current, current_mfa
    if protected:
        request = full_update_pool_request(client, current, {"DeletionProtection": "INACTIVE"})
        client.update_user_pool(aws_retry=True, **request)
    for domain in domains:
        client.delete_user_pool_domain(Domain=domain, UserPoolId=pool_id, aws_retry=True)
    client.delete_user_pool(UserPoolId=pool_id, aws_retry=True)
    return True, current, current_mfa


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        name=dict(type="str"),
        pool_id=dict(type="str"),
        mfa_configuration=dict(type="str", choices=["ON", "OFF", "OPTIONAL"], default="ON"),
        software_token_mfa=dict(type="bool", default=True, no_log=False),
        sms_mfa=dict(
            type="dict",
            options=dict(
                enabled=dict(type="bool", default=True),
                sns_caller_arn=dict(type="str"),
                external_id=dict(type="str"),
                sns_region=dict(type="str"),
                sms_authentication_message=dict(type="str"),
            ),
        ),
        advanced_security_mode=dict(type="str", choices=["OFF", "AUDIT", "ENFORCED"], default="ENFORCED"),
        password_policy=dict(
            type="dict",
            default={},
            no_log=False,
            options=dict(
                minimum_length=dict(type="int", default=14),
                require_uppercase=dict(type="bool", default=True),
                require_lowercase=dict(type="bool", default=True),
                require_numbers=dict(type="bool", default=True),
                require_symbols=dict(type="bool", default=True),
                temporary_password_validity_days=dict(type="int", no_log=False),
                password_history_size=dict(type="int", no_log=False),
            ),
        ),
        account_recovery=dict(type="list", elements="str", choices=["verified_email", "verified_phone_number", "admin_only"]),
        deletion_protection=dict(type="str", choices=["ACTIVE", "INACTIVE"], default="ACTIVE"),
        username_attributes=dict(type="list", elements="str", choices=["email", "phone_number"]),
        alias_attributes=dict(type="list", elements="str", choices=["email", "phone_number", "preferred_username"]),
        auto_verified_attributes=dict(type="list", elements="str", choices=["email", "phone_number"]),
        schema=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                attribute_data_type=dict(type="str", choices=["String", "Number", "DateTime", "Boolean"], default="String"),
                mutable=dict(type="bool", default=True),
                developer_only=dict(type="bool", default=False),
                min_length=dict(type="int"),
                max_length=dict(type="int"),
                min_value=dict(type="int"),
                max_value=dict(type="int"),
            ),
        ),
        email_configuration=dict(
            type="dict",
            options=dict(
                email_sending_account=dict(type="str", choices=["COGNITO_DEFAULT", "DEVELOPER"], default="COGNITO_DEFAULT"),
                source_arn=dict(type="str"),
                from_address=dict(type="str", aliases=["from"]),
                reply_to_email_address=dict(type="str"),
                configuration_set=dict(type="str"),
            ),
        ),
        admin_create_user_only=dict(type="bool"),
        user_pool_tier=dict(type="str", choices=["LITE", "ESSENTIALS", "PLUS"]),
        force_delete=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_one_of=[["name", "pool_id"]],
        mutually_exclusive=[["username_attributes", "alias_attributes"]],
    )
    validate(module)

    client = retrying_client(module, "cognito-idp")
    params = module.params
    label = params["pool_id"] or repr(params["name"])
    try:
        current = find_pool(module, client, pool_id=params["pool_id"], name=params["name"])
        if params["state"] == "absent":
            changed, before, before_mfa = ensure_absent(module, client, current)
            module.exit_json(changed=changed, user_pool={}, diff=diff_of(diff_view(before, before_mfa), {}))
        changed, before, before_mfa, after, after_mfa = ensure_present(module, client, current)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the Cognito user pool {label}")

    module.exit_json(changed=changed, user_pool=snake_pool(after, after_mfa), diff=diff_of(diff_view(before, before_mfa), diff_view(after, after_mfa)))


if __name__ == "__main__":
    main()
