# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers shared by the Amazon Cognito user pool modules.

- Finding a user pool (or app client) by name: Cognito allows duplicate names,
  so a name that matches more than one resource fails with the ids listed.
- Paginated listing with ``aws_retry=True`` on every page (boto3 paginators
  bypass the retry wrapper).
- Building full ``UpdateUserPool`` / ``UpdateUserPoolClient`` requests: both
  APIs reset every attribute that is not passed to its default, so a request is
  always the *current* configuration with the desired changes laid over it.
- Results in snake_case, with datetimes as ISO strings, tags as a plain dict and
  the app client secret removed.
- The options, validation, planning and applying of one pool, one group and one
  app client, shared by cognito_user_pool, cognito_user_pool_group,
  cognito_user_pool_client (one resource per run) and cognito_user_pools (a set of
  pools with their groups and clients in one run). Validation returns messages that
  name the option under a ``where`` prefix (empty for the singular modules,
  ``pools[0].`` / ``pools[0].clients[1].`` for the set); state changes take
  ``module`` only for check mode and for masking client secrets.
"""

from __future__ import annotations

import copy
import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.botocore import normalize_boto3_result

from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags

# Attributes Cognito defines for every pool; custom attributes may not reuse these names.
STANDARD_ATTRIBUTES = frozenset(
    (
        "address",
        "birthdate",
        "email",
        "email_verified",
        "family_name",
        "gender",
        "given_name",
        "locale",
        "middle_name",
        "name",
        "nickname",
        "phone_number",
        "phone_number_verified",
        "picture",
        "preferred_username",
        "profile",
        "sub",
        "updated_at",
        "website",
        "zoneinfo",
    )
)

# Fields of UserPoolType whose UpdateUserPool parameter has another name.
_POOL_FIELD_FOR_PARAMETER = {"PoolName": "Name"}


def list_all(client, method, result_key, **request):
    """Every item of a paginated (NextToken) list call, each page requested with aws_retry=True."""
    items = []
    next_page = None
    while True:
        page_request = dict(request)
        if next_page:
            page_request["NextToken"] = next_page
        page = getattr(client, method)(aws_retry=True, **page_request)
        items.extend(page.get(result_key) or [])
        next_page = page.get("NextToken")
        if not next_page:
            return items


def pools_named(client, name):
    """The pool summaries (ListUserPools) whose name is exactly ``name``."""
    return [p for p in list_all(client, "list_user_pools", "UserPools", MaxResults=60) if p.get("Name") == name]


def describe_pool(client, pool_id):
    """DescribeUserPool, or None when the pool does not exist."""
    try:
        return client.describe_user_pool(UserPoolId=pool_id, aws_retry=True)["UserPool"]
    except is_boto3_error_code("ResourceNotFoundException"):
        return None


def get_mfa_config(client, pool_id):
    """GetUserPoolMfaConfig without the response metadata."""
    response = client.get_user_pool_mfa_config(UserPoolId=pool_id, aws_retry=True)
    return {k: v for k, v in response.items() if k != "ResponseMetadata" and v is not None}


def duplicate_name_message(kind, name, ids, id_option):
    return (
        f"{len(ids)} {kind}s are named {name!r} ({', '.join(sorted(ids))}). "
        f"Cognito allows duplicate names, so the module cannot tell which one is meant: pass {id_option} to pick one "
        f"(and remove the duplicates you do not want)."
    )


def find_pool(module, client, pool_id=None, name=None):
    """The DescribeUserPool of the pool named by ``pool_id`` or ``name``, or None if there is none.

    Fails (fail_json) when ``name`` matches more than one pool.
    """
    if pool_id:
        return describe_pool(client, pool_id)
    matches = pools_named(client, name)
    if len(matches) > 1:
        module.fail_json(msg=duplicate_name_message("user pool", name, [p["Id"] for p in matches], "pool_id"))
    if not matches:
        return None
    return describe_pool(client, matches[0]["Id"])


def find_parent_pool(module, client):
    """The pool named by the user_pool_id / user_pool_name options of the client, domain and group modules."""
    return find_pool(module, client, pool_id=module.params["user_pool_id"], name=module.params["user_pool_name"])


def pool_label(params):
    if params.get("user_pool_id"):
        return params["user_pool_id"]
    return repr(params.get("user_pool_name"))


def update_parameters(client, operation):
    """The parameters the installed botocore knows for ``operation`` (so new API fields are carried over too)."""
    return list(client.meta.service_model.operation_model(operation).input_shape.members)


def full_update_pool_request(client, current, overlay):
    """An UpdateUserPool request: every updatable field of ``current`` (a DescribeUserPool), then ``overlay``.

    UpdateUserPool resets each attribute it is not given to the Cognito default (the
    password policy to 8 characters, advanced security to OFF, MFA to OFF, deletion
    protection to INACTIVE, tags to none...), so nothing may be left out.
    """
    request = {}
    for parameter in update_parameters(client, "UpdateUserPool"):
        field = _POOL_FIELD_FOR_PARAMETER.get(parameter, parameter)
        if current.get(field) is not None:
            request[parameter] = copy.deepcopy(current[field])
    request.update(copy.deepcopy(overlay))
    request["UserPoolId"] = current["Id"]
    # Cognito refuses the legacy AdminCreateUserConfig.UnusedAccountValidityDays next to
    # PasswordPolicy.TemporaryPasswordValidityDays, yet DescribeUserPool reports both.
    password_policy = (request.get("Policies") or {}).get("PasswordPolicy") or {}
    admin_config = request.get("AdminCreateUserConfig")
    if admin_config and "TemporaryPasswordValidityDays" in password_policy:
        admin_config.pop("UnusedAccountValidityDays", None)
    return request


def full_update_client_request(client, current, overlay):
    """An UpdateUserPoolClient request: every updatable field of ``current`` (a DescribeUserPoolClient), then ``overlay``.

    UpdateUserPoolClient, like UpdateUserPool, resets what it is not given. The client
    secret is not an update parameter, so it is never copied into the request.
    """
    request = {}
    for parameter in update_parameters(client, "UpdateUserPoolClient"):
        if parameter != "ClientSecret" and current.get(parameter) is not None:
            request[parameter] = copy.deepcopy(current[parameter])
    request.update(copy.deepcopy(overlay))
    request["UserPoolId"] = current["UserPoolId"]
    request["ClientId"] = current["ClientId"]
    return request


def without_secret(user_pool_client):
    """A DescribeUserPoolClient result without ClientSecret (and whether it had one)."""
    if not user_pool_client:
        return {}
    result = {k: v for k, v in user_pool_client.items() if k != "ClientSecret"}
    result["HasClientSecret"] = bool(user_pool_client.get("ClientSecret"))
    return result


def _snake(resource):
    result = camel_dict_to_snake_dict(normalize_boto3_result(resource))
    # camel_dict_to_snake_dict splits "OAuth" into "o_auth"; use the names our options use.
    for key in list(result):
        if "o_auth" in key:
            result[key.replace("o_auth", "oauth")] = result.pop(key)
    return result


def snake_resource(resource):
    """Any Cognito description in snake_case with ISO dates (never containing a client secret)."""
    if not resource:
        return {}
    return _snake({k: v for k, v in resource.items() if k != "ClientSecret"})


def snake_pool(pool, mfa=None):
    """A DescribeUserPool in snake_case, UserPoolTags as ``tags`` and the MFA configuration as ``mfa``."""
    if not pool:
        return {}
    result = _snake({k: v for k, v in pool.items() if k != "UserPoolTags"})
    result["tags"] = dict(pool.get("UserPoolTags") or {})
    if mfa is not None:
        result["mfa"] = _snake(mfa)
    return result


def custom_attribute_name(name):
    """The custom attribute name without its ``custom:`` prefix."""
    return name[len("custom:") :] if name.startswith("custom:") else name


IAM_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")
SES_IDENTITY_ARN = re.compile(r"^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity/.+$")


# ==== user pools ==============================================================================

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


def pool_options():
    """The options of one user pool (a new dict on each call): cognito_user_pool's argument_spec, the items of cognito_user_pools."""
    return dict(
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


def schema_errors(schema, where=""):
    errors = []
    seen = set()
    for index, attribute in enumerate(schema or []):
        item = f"{where}schema[{index}]"
        name = custom_attribute_name(attribute["name"])
        if not CUSTOM_NAME.match(name):
            errors.append(f"{item}.name must be 1 to 20 characters (letters, digits, _ . : + = @ -), got {attribute['name']!r}")
            continue
        if name in STANDARD_ATTRIBUTES:
            errors.append(f"{item}.name {name!r} is a standard attribute; {where}schema lists custom attributes only")
        if name in seen:
            errors.append(f"{item}.name {name!r} is listed twice in {where}schema")
        seen.add(name)
        data_type = attribute["attribute_data_type"]
        if data_type != "String" and (attribute["min_length"] is not None or attribute["max_length"] is not None):
            errors.append(f"{item}: min_length and max_length apply only to attribute_data_type String")
        if data_type != "Number" and (attribute["min_value"] is not None or attribute["max_value"] is not None):
            errors.append(f"{item}: min_value and max_value apply only to attribute_data_type Number")
        for key in ("min_length", "max_length"):
            if attribute[key] is not None and not 0 <= attribute[key] <= 2048:
                errors.append(f"{item}.{key} must be between 0 and 2048, got {attribute[key]}")
        for low, high in (("min_length", "max_length"), ("min_value", "max_value")):
            if attribute[low] is not None and attribute[high] is not None and attribute[low] > attribute[high]:
                errors.append(f"{item}.{low} ({attribute[low]}) is greater than {item}.{high} ({attribute[high]})")
    return errors


def pool_errors(p, where=""):
    """What is wrong with the options ``p`` of one pool (none with state absent), each message naming its option under ``where``."""
    if p["state"] == "absent":
        return []
    errors = []
    policy = p["password_policy"]
    if not 8 <= policy["minimum_length"] <= 99:
        errors.append(f"{where}password_policy.minimum_length must be between 8 and 99, got {policy['minimum_length']}")
    days = policy["temporary_password_validity_days"]
    if days is not None and not 0 <= days <= 365:
        errors.append(f"{where}password_policy.temporary_password_validity_days must be between 0 and 365, got {days}")
    history = policy["password_history_size"]
    if history is not None and not 0 <= history <= 24:
        errors.append(f"{where}password_policy.password_history_size must be between 0 and 24, got {history}")

    sms = p["sms_mfa"]
    sms_enabled = bool(sms and sms["enabled"])
    if p["mfa_configuration"] != "OFF" and not (p["software_token_mfa"] or sms_enabled):
        factor_hint = f"set {where}software_token_mfa to true (TOTP authenticator apps) or enable {where}sms_mfa"
        errors.append(f"{where}mfa_configuration {p['mfa_configuration']} needs an MFA factor: {factor_hint}")
    if sms_enabled:
        if not sms["sns_caller_arn"]:
            errors.append(f"{where}sms_mfa.sns_caller_arn (the IAM role Cognito assumes to send SMS) is required when {where}sms_mfa is enabled")
        elif not IAM_ROLE_ARN.match(sms["sns_caller_arn"]):
            errors.append(f"{where}sms_mfa.sns_caller_arn must be an IAM role ARN, got {sms['sns_caller_arn']!r}")
        message = sms["sms_authentication_message"]
        if message is not None and "{####}" not in message:
            errors.append(f"{where}sms_mfa.sms_authentication_message must contain {{####}}, where Cognito puts the code")

    if p["user_pool_tier"] in ("LITE", "ESSENTIALS") and p["advanced_security_mode"] != "OFF":
        errors.append(
            f"{where}advanced_security_mode {p['advanced_security_mode']} (threat protection) needs {where}user_pool_tier PLUS, "
            f"not {p['user_pool_tier']}; set user_pool_tier: PLUS or advanced_security_mode: OFF"
        )

    if p["username_attributes"] is not None and p["alias_attributes"] is not None:
        errors.append(f"{where}username_attributes and {where}alias_attributes are mutually exclusive")

    recovery = p["account_recovery"]
    if recovery is not None:
        if len(set(recovery)) != len(recovery):
            errors.append(f"{where}account_recovery lists a mechanism twice: {recovery}")
        if "admin_only" in recovery and len(recovery) > 1:
            errors.append(f"{where}account_recovery admin_only disables self-service recovery and must be the only entry")
        if not recovery:
            errors.append(f"{where}account_recovery needs at least one mechanism (admin_only disables self-service recovery)")

    email = p["email_configuration"]
    if email:
        if email["email_sending_account"] == "DEVELOPER" and not email["source_arn"]:
            errors.append(f"{where}email_configuration.source_arn (the SES identity ARN) is required with email_sending_account DEVELOPER")
        if email["source_arn"] and not SES_IDENTITY_ARN.match(email["source_arn"]):
            errors.append(f"{where}email_configuration.source_arn must be an SES identity ARN, got {email['source_arn']!r}")

    errors.extend(schema_errors(p["schema"], where))
    return errors


# ---- what the options of a pool ask for, in API terms


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


def pool_conflicts(params, current):
    """Why the existing pool ``current`` cannot take ``params``: settings that can only be set when a pool is created."""
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


def create_pool_request(params):
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


def described_attributes(schema):
    """SchemaAttributeTypes as DescribeUserPool lists them (prefixed names)."""
    return [dict(a, Name=("dev:custom:" if a["DeveloperOnlyAttribute"] else "custom:") + a["Name"]) for a in schema]


def planned_pool(request, mfa):
    """What a new pool would look like (check mode)."""
    pool = {("Name" if k == "PoolName" else k): v for k, v in request.items() if k != "Schema"}
    pool["MfaConfiguration"] = mfa["MfaConfiguration"]
    pool["SchemaAttributes"] = described_attributes(request.get("Schema", []))
    return pool


def applied(current, overlay, new_attributes, mfa_mode):
    """``current`` with ``overlay``, new custom attributes and the MFA mode applied (check mode)."""
    pool = dict(current, MfaConfiguration=mfa_mode)
    for key, value in overlay.items():
        pool["Name" if key == "PoolName" else key] = value
    if new_attributes:
        pool["SchemaAttributes"] = list(current.get("SchemaAttributes") or []) + described_attributes(new_attributes)
    return pool


def pool_diff_view(pool, mfa):
    """The settings the pool modules manage, for the diff."""
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


# ---- pool state changes


def ensure_pool(module, client, params, current, current_mfa):
    """Create the pool of ``params`` (``current`` None) or bring ``current`` to it. Returns (changed, pool, mfa) after the run.

    The caller has checked pool_conflicts(). In check mode nothing is changed and the
    pool and MFA configuration returned are what they would be.
    """
    if current is None:
        request = create_pool_request(params)
        wanted_mfa = mfa_request(params, {})
        if module.check_mode:
            return True, planned_pool(request, wanted_mfa), wanted_mfa
        pool_id = client.create_user_pool(aws_retry=True, **request)["UserPool"]["Id"]
        if wanted_mfa["MfaConfiguration"] != "OFF":
            # CreateUserPool refuses MFA ON without SMS; the new pool has no users yet.
            client.set_user_pool_mfa_config(UserPoolId=pool_id, aws_retry=True, **wanted_mfa)
        return True, describe_pool(client, pool_id), get_mfa_config(client, pool_id)

    pool_id = current["Id"]
    wanted_mfa = mfa_request(params, current_mfa)
    set_mfa = mfa_differs(current_mfa, wanted_mfa)
    overlay = pool_overlay(current, params)
    attributes = new_custom_attributes(current, params)
    if not (set_mfa or overlay or attributes):
        return False, current, current_mfa
    if module.check_mode:
        planned_mfa = wanted_mfa if set_mfa else current_mfa
        return True, applied(current, overlay, attributes, planned_mfa.get("MfaConfiguration", "OFF")), planned_mfa

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
    return True, describe_pool(client, pool_id), get_mfa_config(client, pool_id)


def pool_domains(pool):
    return sorted({d for d in (pool.get("Domain"), pool.get("CustomDomain")) if d})


def pool_removal_problems(params, current):
    """Why ``current`` is not deleted without ``force_delete``: its deletion protection, its domains."""
    if params["force_delete"]:
        return []
    pool_id = current["Id"]
    problems = []
    if current.get("DeletionProtection") == "ACTIVE":
        problems.append(
            f"user pool {pool_id} ({current.get('Name')}) has deletion_protection ACTIVE, so it is not deleted. "
            "Set force_delete: true to turn the protection off and delete it, or set deletion_protection: INACTIVE first."
        )
    domains = pool_domains(current)
    if domains:
        problems.append(
            f"user pool {pool_id} ({current.get('Name')}) still has the domain(s) {', '.join(domains)}; delete them first "
            "(healthplatform.aws.cognito_user_pool_domain with state: absent) or set force_delete: true."
        )
    return problems


def remove_pool(module, client, current):
    """Delete ``current``, first turning its deletion protection off and deleting its domains (the caller checked pool_removal_problems())."""
    if module.check_mode:
        return
    pool_id = current["Id"]
    if current.get("DeletionProtection") == "ACTIVE":
        request = full_update_pool_request(client, current, {"DeletionProtection": "INACTIVE"})
        client.update_user_pool(aws_retry=True, **request)
    for domain in pool_domains(current):
        client.delete_user_pool_domain(Domain=domain, UserPoolId=pool_id, aws_retry=True)
    client.delete_user_pool(UserPoolId=pool_id, aws_retry=True)


# ==== groups ==================================================================================

GROUP_FIELDS = {"description": "Description", "precedence": "Precedence", "role_arn": "RoleArn"}


def group_options():
    """The options of one group of a pool (a new dict on each call)."""
    return dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        name=dict(type="str", required=True),
        description=dict(type="str"),
        precedence=dict(type="int"),
        role_arn=dict(type="str"),
    )


def group_errors(p, where=""):
    """What is wrong with the options ``p`` of one group, each message naming its option under ``where``."""
    errors = []
    if not 1 <= len(p["name"]) <= 128:
        errors.append(f"{where}name must be 1 to 128 characters, got {len(p['name'])}")
    if p["state"] == "absent":
        return errors
    if p["role_arn"] is not None and not IAM_ROLE_ARN.match(p["role_arn"]):
        errors.append(f"{where}role_arn must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME), got {p['role_arn']!r}")
    if p["precedence"] is not None and not 0 <= p["precedence"] <= 2**31 - 1:
        errors.append(f"{where}precedence must be between 0 and 2147483647, got {p['precedence']}")
    if p["description"] is not None and len(p["description"]) > 2048:
        errors.append(f"{where}description must be at most 2048 characters")
    return errors


def get_group(client, pool_id, name):
    """GetGroup, or None when the pool has no such group."""
    try:
        return client.get_group(UserPoolId=pool_id, GroupName=name, aws_retry=True)["Group"]
    except is_boto3_error_code("ResourceNotFoundException"):
        return None


def groups_by_name(client, pool_id):
    """Every group of the pool (ListGroups), by name."""
    return {g["GroupName"]: g for g in list_all(client, "list_groups", "Groups", UserPoolId=pool_id, Limit=60)}


def ensure_group(module, client, pool_id, params, current):
    """Create the group of ``params`` (``current`` None) or update ``current``. Returns (changed, group) after the run.

    Options that are not given are not compared; an update sends the group's complete
    configuration (current values with the changes laid over them).
    """
    wanted = {field: params[option] for option, field in GROUP_FIELDS.items() if params[option] is not None}
    if current is None:
        request = dict(wanted, UserPoolId=pool_id, GroupName=params["name"])
        if module.check_mode:
            return True, request
        return True, client.create_group(aws_retry=True, **request)["Group"]
    if all(current.get(field) == value for field, value in wanted.items()):
        return False, current
    request = {field: current[field] for field in GROUP_FIELDS.values() if current.get(field) is not None}
    request.update(wanted)
    request.update(UserPoolId=pool_id, GroupName=params["name"])
    if module.check_mode:
        return True, dict(current, **request)
    return True, client.update_group(aws_retry=True, **request)["Group"]


def remove_group(module, client, pool_id, name):
    if not module.check_mode:
        client.delete_group(UserPoolId=pool_id, GroupName=name, aws_retry=True)


def group_diff_view(group):
    if not group:
        return {}
    view = {"name": group.get("GroupName")}
    view.update({option: group.get(field) for option, field in GROUP_FIELDS.items() if group.get(field) is not None})
    return view


# ==== app clients =============================================================================

SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
# Token lifetime limits (seconds) and the unit Cognito assumes when none is given.
TOKEN_LIMITS = {
    "access_token": ("access_token_validity", 300, 86400),
    "id_token": ("id_token_validity", 300, 86400),
    "refresh_token": ("refresh_token_validity", 3600, 315360000),
}
DEFAULT_UNITS = {"access_token": "hours", "id_token": "hours", "refresh_token": "days"}
URL = re.compile(r"^(https://[^\s#]+|http://localhost(:\d+)?(/[^\s#]*)?)$")

# option -> (API field, is a list compared as a set)
CLIENT_FIELDS = {
    "name": ("ClientName", False),
    "explicit_auth_flows": ("ExplicitAuthFlows", True),
    "allowed_oauth_flows": ("AllowedOAuthFlows", True),
    "allowed_oauth_scopes": ("AllowedOAuthScopes", True),
    "callback_urls": ("CallbackURLs", True),
    "logout_urls": ("LogoutURLs", True),
    "default_redirect_uri": ("DefaultRedirectURI", False),
    "supported_identity_providers": ("SupportedIdentityProviders", True),
    "access_token_validity": ("AccessTokenValidity", False),
    "id_token_validity": ("IdTokenValidity", False),
    "refresh_token_validity": ("RefreshTokenValidity", False),
    "auth_session_validity": ("AuthSessionValidity", False),
    "prevent_user_existence_errors": ("PreventUserExistenceErrors", False),
    "enable_token_revocation": ("EnableTokenRevocation", False),
    "read_attributes": ("ReadAttributes", True),
    "write_attributes": ("WriteAttributes", True),
}


def client_options():
    """The options of one app client of a pool (a new dict on each call)."""
    units = ["seconds", "minutes", "hours", "days"]
    return dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        name=dict(type="str"),
        client_id=dict(type="str"),
        generate_secret=dict(type="bool", default=False, no_log=False),
        explicit_auth_flows=dict(
            type="list",
            elements="str",
            choices=[
                "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                "ALLOW_CUSTOM_AUTH",
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
                "ALLOW_USER_AUTH",
            ],
        ),
        allowed_oauth_flows=dict(type="list", elements="str", choices=["code", "implicit", "client_credentials"]),
        allowed_oauth_scopes=dict(type="list", elements="str"),
        callback_urls=dict(type="list", elements="str"),
        logout_urls=dict(type="list", elements="str"),
        default_redirect_uri=dict(type="str"),
        supported_identity_providers=dict(type="list", elements="str"),
        access_token_validity=dict(type="int", no_log=False),
        id_token_validity=dict(type="int", no_log=False),
        refresh_token_validity=dict(type="int", no_log=False),
        token_validity_units=dict(
            type="dict",
            no_log=False,
            options=dict(
                access_token=dict(type="str", choices=units, default="hours", no_log=False),
                id_token=dict(type="str", choices=units, default="hours", no_log=False),
                refresh_token=dict(type="str", choices=units, default="days", no_log=False),
            ),
        ),
        auth_session_validity=dict(type="int"),
        prevent_user_existence_errors=dict(type="str", choices=["ENABLED", "LEGACY"], default="ENABLED"),
        enable_token_revocation=dict(type="bool", default=True, no_log=False),
        read_attributes=dict(type="list", elements="str"),
        write_attributes=dict(type="list", elements="str"),
    )


def client_errors(p, where=""):
    """What is wrong with the options ``p`` of one app client (none with state absent), each message naming its option under ``where``."""
    if p["state"] == "absent":
        return []
    errors = []
    flows = p["allowed_oauth_flows"] or []
    if "client_credentials" in flows and len(flows) > 1:
        errors.append(f"{where}allowed_oauth_flows: client_credentials cannot be combined with code or implicit (use two clients)")
    if "client_credentials" in flows and not p["generate_secret"]:
        errors.append(f"{where}allowed_oauth_flows client_credentials needs a client secret: set {where}generate_secret: true")
    if ("code" in flows or "implicit" in flows) and not p["callback_urls"]:
        errors.append(f"{where}callback_urls are required when {where}allowed_oauth_flows has code or implicit")
    if flows and not p["allowed_oauth_scopes"]:
        errors.append(f"{where}allowed_oauth_scopes are required when {where}allowed_oauth_flows is set")
    for option in ("callback_urls", "logout_urls"):
        for url in p[option] or []:
            if not URL.match(url):
                errors.append(f"{where}{option} must be https:// URLs (http:// only for localhost), got {url!r}")
    if p["default_redirect_uri"] is not None and p["default_redirect_uri"] not in (p["callback_urls"] or []):
        errors.append(f"{where}default_redirect_uri must be one of {where}callback_urls")
    units = dict(DEFAULT_UNITS, **(p["token_validity_units"] or {}))
    for token, (option, low, high) in TOKEN_LIMITS.items():
        value = p[option]
        if value is None:
            continue
        seconds = value * SECONDS[units[token]]
        if not low <= seconds <= high:
            errors.append(
                f"{where}{option} {value} {units[token]} is out of range: it must be between {low // 60} minutes "
                f"and {high // 86400} days ({where}token_validity_units.{token})"
            )
    if p["auth_session_validity"] is not None and not 3 <= p["auth_session_validity"] <= 15:
        errors.append(f"{where}auth_session_validity must be between 3 and 15 minutes, got {p['auth_session_validity']}")
    return errors


def desired_client_fields(params):
    """The API fields the options of an app client ask for (only those given)."""
    wanted = {}
    for option, (field, is_set) in CLIENT_FIELDS.items():
        if params[option] is not None:
            wanted[field] = list(params[option]) if is_set else params[option]
    if params["allowed_oauth_flows"] is not None:
        wanted["AllowedOAuthFlowsUserPoolClient"] = bool(params["allowed_oauth_flows"])
    if params["token_validity_units"] is not None:
        units = params["token_validity_units"]
        wanted["TokenValidityUnits"] = {"AccessToken": units["access_token"], "IdToken": units["id_token"], "RefreshToken": units["refresh_token"]}
    return wanted


def normalized_client_field(field, value):
    if field in {f for f, is_set in CLIENT_FIELDS.values() if is_set}:
        return sorted(set(value or []))
    return value


def client_overlay(current, params):
    """The fields of the app client ``current`` whose value must change."""
    overlay = {}
    for field, value in desired_client_fields(params).items():
        if field == "ClientName" and not params["client_id"]:
            continue  # found by this name
        if field == "TokenValidityUnits":
            have = dict({"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"}, **(current.get(field) or {}))
            if have != value:
                overlay[field] = value
            continue
        have = current.get(field)
        if field == "AllowedOAuthFlowsUserPoolClient":
            have = bool(have)
        if normalized_client_field(field, have) != normalized_client_field(field, value):
            overlay[field] = value
    return overlay


def list_clients(client, pool_id):
    """The app client summaries (ListUserPoolClients) of a pool."""
    return list_all(client, "list_user_pool_clients", "UserPoolClients", UserPoolId=pool_id, MaxResults=60)


def clients_named(summaries, name):
    """The IDs of the app clients of ``summaries`` named ``name``."""
    return [c["ClientId"] for c in summaries if c.get("ClientName") == name]


def describe_client(client, pool_id, client_id):
    """DescribeUserPoolClient (with the secret: pass it through protect()), or None when there is no such client."""
    try:
        return client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id, aws_retry=True)["UserPoolClient"]
    except is_boto3_error_code("ResourceNotFoundException"):
        return None


def protect(module, user_pool_client):
    """Mask the client secret wherever Ansible might print it, and return the client without it (see without_secret())."""
    secret = (user_pool_client or {}).get("ClientSecret")
    if secret:
        module.no_log_values.add(secret)
    return without_secret(user_pool_client)


def client_conflicts(params, current):
    """Why the existing app client ``current`` (protected) cannot take ``params``: generate_secret is fixed at creation."""
    if current["HasClientSecret"] == params["generate_secret"]:
        return []
    return [
        f"generate_secret cannot change after the app client is created: client {current['ClientId']} "
        f"{'has' if current['HasClientSecret'] else 'has no'} client secret, the task asks for generate_secret: {params['generate_secret']} "
        "(create a new client and move the application to it)"
    ]


def ensure_client(module, client, pool_id, params, current):
    """Create the app client of ``params`` (``current`` None) or bring ``current`` to it. Returns (changed, app client) after the run.

    ``current`` is the DescribeUserPoolClient result (secret included: it is needed for
    nothing but is masked here); the app client returned never has the secret. The
    caller has checked client_conflicts().
    """
    if current is None:
        request = desired_client_fields(params)
        request.update({"UserPoolId": pool_id, "ClientName": params["name"], "GenerateSecret": params["generate_secret"]})
        if module.check_mode:
            planned = {k: v for k, v in request.items() if k != "GenerateSecret"}
            planned["HasClientSecret"] = params["generate_secret"]
            return True, planned
        created = client.create_user_pool_client(aws_retry=True, **request)["UserPoolClient"]
        return True, protect(module, created)
    before = protect(module, current)
    overlay = client_overlay(current, params)
    if not overlay:
        return False, before
    if module.check_mode:
        return True, dict(before, **overlay)
    request = full_update_client_request(client, current, overlay)
    return True, protect(module, client.update_user_pool_client(aws_retry=True, **request)["UserPoolClient"])


def remove_client(module, client, pool_id, client_id):
    if not module.check_mode:
        client.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id, aws_retry=True)


def client_diff_view(user_pool_client):
    """The settings of an app client (without its secret: pass it through protect() first), for the diff."""
    if not user_pool_client:
        return {}
    view = {option: user_pool_client.get(field) for option, (field, is_set) in CLIENT_FIELDS.items()}
    view["generate_secret"] = user_pool_client.get("HasClientSecret", False)
    view["token_validity_units"] = snake_resource(user_pool_client.get("TokenValidityUnits") or {})
    for option, (field, is_set) in CLIENT_FIELDS.items():
        if is_set:
            view[option] = normalized_client_field(field, view[option])
    return {k: v for k, v in view.items() if v is not None}
