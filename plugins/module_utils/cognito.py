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
"""

from __future__ import annotations

import copy

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.botocore import normalize_boto3_result

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
