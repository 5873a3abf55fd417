# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""WAFv2 logic shared by wafv2_web_acl, wafv2_logging_configuration and wafv2_web_acl_association.

- web ACL parts (rules, default action, visibility, custom response bodies) converted from
  the modules' snake_case form to the API's, checked against botocore's model of the API,
  and put in a comparable form: no empty parts, lists that WAF treats as sets sorted, the
  API's defaults left out, blobs as text;
- a web ACL's logging configuration: destination and redacted fields checked, read,
  built and compared;
- a resource's web ACL association: read, switched, and a web ACL's resources listed.
"""

from __future__ import annotations

import base64
import re

try:
    import botocore
    from botocore import xform_name
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.healthplatform.aws.plugins.module_utils.edge import REDACTED_FIELD_KINDS
from ansible_collections.healthplatform.aws.plugins.module_utils.edge import redacted_field_text
from ansible_collections.healthplatform.aws.plugins.module_utils.edge import redacted_field_to_api

WEB_ACL_NAME = re.compile(r"^[\w-]{1,128}$")
METRIC_NAME = re.compile(r"^[\w#:.\-/]{1,255}$")
WEB_ACL_ARN = re.compile(r"^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:(regional|global)/webacl/[^/]+/[^/]+$")
REGIONAL_WEB_ACL_ARN = re.compile(r"^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional/webacl/[^/]+/[^/]+$")
RESOURCE_ARN = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$")
LOG_DESTINATION = re.compile(
    r"^arn:aws[a-z-]*:("
    r"logs:[a-z0-9-]+:\d{12}:log-group:aws-waf-logs-[^:*]+"
    r"|s3:::aws-waf-logs-[a-z0-9.-]+"
    r"|firehose:[a-z0-9-]+:\d{12}:deliverystream/aws-waf-logs-.+"
    r")$"
)

# The kinds of regional resource a web ACL can protect (ListResourcesForWebACL's ResourceType);
# CloudFront distributions name their web ACL in their own configuration.
REGIONAL_RESOURCE_TYPES = ("APPLICATION_LOAD_BALANCER", "API_GATEWAY", "APPSYNC", "COGNITO_USER_POOL", "APP_RUNNER_SERVICE", "VERIFIED_ACCESS_INSTANCE")

# Lists whose order WAF ignores (it reports them as given, but evaluates them by name or priority).
LISTS_BY_NAME = frozenset(("ExcludedRules", "RuleActionOverrides", "Labels"))
# Values WAF fills in when they are not given: (structure, member) -> default.
API_DEFAULTS = {("RateBasedStatement", "EvaluationWindowSec"): 300}
# The parts of a web ACL the module manages; UpdateWebACL replaces the whole web ACL, so the
# other parts (CAPTCHA, token domains, association and data protection settings ...) are sent
# back as they are.
MANAGED_WEB_ACL_PARTS = frozenset(("Name", "Scope", "Id", "LockToken", "DefaultAction", "Description", "Rules", "VisibilityConfig", "CustomResponseBodies"))


# ---- API shapes -------------------------------------------------------------------------------


def to_api(value, shape, path, errors):
    """``value`` (snake_case or the API's keys) in the API's form for ``shape``; problems go to ``errors`` naming ``path``."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            errors.append(f"{path} must be a dict ({xform_name(shape.name)})")
            return None
        members = {name.lower(): name for name in shape.members}
        result = {}
        for key, item in value.items():
            member = members.get(str(key).replace("_", "").lower())
            if member is None:
                allowed = ", ".join(xform_name(m) for m in shape.members)
                errors.append(f"{path}: unknown key {key!r} (one of {allowed})")
                continue
            if item is None:
                continue
            result[member] = to_api(item, shape.members[member], f"{path}.{key}", errors)
        missing = [xform_name(m) for m in shape.required_members if m not in result]
        if missing:
            errors.append(f"{path} needs {', '.join(missing)}")
        return result
    if kind == "list":
        if not isinstance(value, list):
            errors.append(f"{path} must be a list")
            return None
        return [to_api(item, shape.member, f"{path}[{index}]", errors) for index, item in enumerate(value)]
    if kind == "map":
        if not isinstance(value, dict):
            errors.append(f"{path} must be a dict")
            return None
        return {str(key): to_api(item, shape.value, f"{path}.{key}", errors) for key, item in value.items()}
    if kind in ("integer", "long"):
        if isinstance(value, bool):
            errors.append(f"{path} must be an integer, got {value!r}")
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            errors.append(f"{path} must be an integer, got {value!r}")
            return None
    if kind in ("float", "double"):
        try:
            return float(value)
        except (TypeError, ValueError):
            errors.append(f"{path} must be a number, got {value!r}")
            return None
    if kind == "boolean":
        try:
            return boolean(value, strict=True)
        except TypeError:
            errors.append(f"{path} must be true or false, got {value!r}")
            return None
    if kind == "blob":
        return value if isinstance(value, bytes) else str(value)
    if isinstance(value, (dict, list)):
        errors.append(f"{path} must be a {kind}, got {type(value).__name__}")
        return None
    text = str(value)
    if shape.enum and text not in shape.enum:
        errors.append(f"{path} must be one of {', '.join(shape.enum)}, got {text!r}")
    return text


def canonical(value, shape):
    """A comparable form of an API value: no None or empty lists, sets sorted, defaults dropped, blobs as text."""
    if value is None:
        return None
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        result = {}
        for key, item in value.items():
            member = shape.members.get(key)
            comparable = canonical(item, member) if member is not None else item
            if comparable is None or comparable == [] or API_DEFAULTS.get((shape.name, key), ()) == comparable:
                continue
            result[key] = comparable
        return result
    if kind == "list" and isinstance(value, list):
        items = [i for i in (canonical(item, shape.member) for item in value) if i is not None]
        if shape.member.type_name == "structure" and "Priority" in shape.member.members:
            items.sort(key=lambda i: (i.get("Priority", 0), repr(i)))
        elif shape.name in LISTS_BY_NAME:
            items.sort(key=lambda i: repr(i.get("Name")) if isinstance(i, dict) else repr(i))
        return items
    if kind == "map" and isinstance(value, dict):
        return {k: canonical(v, shape.value) for k, v in value.items()}
    if kind == "blob" and isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return base64.b64encode(value).decode("ascii")
    return value


def without_none(value):
    """An API response part as request input: None members (some implementations report them) removed."""
    if isinstance(value, dict):
        return {k: without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_none(v) for v in value]
    return value


def carried_parts(web_acl, update_shape):
    """The web ACL's parts the module does not manage, to send back with UpdateWebACL."""
    return {
        name: without_none(web_acl[name]) for name in update_shape.members if name not in MANAGED_WEB_ACL_PARTS and web_acl.get(name) not in (None, [], {}, "")
    }


# ---- logging ----------------------------------------------------------------------------------


def log_destination_error(destination, option="log_destination"):
    """The problem with a logging destination ARN, or None."""
    if not LOG_DESTINATION.match(destination or ""):
        return (
            f"{option} must be the ARN of a CloudWatch Logs log group, S3 bucket or Firehose stream whose name "
            f"starts with aws-waf-logs- (a log group ARN without :*), got {destination!r}"
        )
    return None


def redacted_field_errors(fields, option="redacted_fields"):
    kinds = ", ".join(REDACTED_FIELD_KINDS)
    errors = []
    for index, field in enumerate(fields or []):
        if len([v for v in field.values() if v not in (None, False)]) != 1:
            errors.append(f"{option}[{index}] must name exactly one of {kinds}")
    return errors


def read_logging(client, web_acl_arn):
    """The web ACL's logging configuration, or None."""
    try:
        return client.get_logging_configuration(ResourceArn=web_acl_arn, aws_retry=True).get("LoggingConfiguration")
    except botocore.exceptions.ClientError as e:
        if e.response.get("Error", {}).get("Code") == "WAFNonexistentItemException":
            return None
        raise


def desired_logging(web_acl_arn, destination, redacted_fields, logging_filter, current):
    """The LoggingConfiguration to put; a logging filter of None keeps the current one."""
    config = {"ResourceArn": web_acl_arn, "LogDestinationConfigs": [destination]}
    fields = [redacted_field_to_api(f) for f in redacted_fields or []]
    if fields:
        config["RedactedFields"] = fields
    if logging_filter is None:
        if current and current.get("LoggingFilter"):
            config["LoggingFilter"] = current["LoggingFilter"]
    elif logging_filter:
        config["LoggingFilter"] = logging_filter
    return config


def comparable_logging(config):
    if not config:
        return {}
    return {
        "log_destination_configs": sorted(config.get("LogDestinationConfigs") or []),
        "redacted_fields": sorted(redacted_field_text(f) for f in config.get("RedactedFields") or []),
        "logging_filter": config.get("LoggingFilter") or {},
    }


# ---- associations -----------------------------------------------------------------------------


def resource_arn_error(resource_arn, option="resource_arn"):
    """The problem with the ARN of a resource to protect, or None."""
    if not RESOURCE_ARN.match(resource_arn or ""):
        return f"{option} must be an ARN, got {resource_arn!r}"
    if ":cloudfront:" in resource_arn:
        return f"{option}: CloudFront distributions take their web ACL in the distribution's configuration"
    return None


def protecting_web_acl(client, resource_arn):
    """ARN of the web ACL that protects the resource ('' for none)."""
    try:
        response = client.get_web_acl_for_resource(ResourceArn=resource_arn, aws_retry=True)
    except botocore.exceptions.ClientError as e:
        if e.response.get("Error", {}).get("Code") == "WAFNonexistentItemException":
            return ""  # no association (some resource kinds answer this way)
        raise
    return (response.get("WebACL") or {}).get("ARN", "")


def switch_association(client, resource_arn, before, after):
    """Make ``after`` ('' for none) protect the resource that ``before`` protects."""
    if before:
        client.disassociate_web_acl(ResourceArn=resource_arn, aws_retry=True)
    if after:
        client.associate_web_acl(WebACLArn=after, ResourceArn=resource_arn, aws_retry=True)


def protected_resources(client, web_acl_arn):
    """Every regional resource the web ACL protects (one ListResourcesForWebACL per resource kind)."""
    resources = []
    for resource_type in REGIONAL_RESOURCE_TYPES:
        response = client.list_resources_for_web_acl(WebACLArn=web_acl_arn, ResourceType=resource_type, aws_retry=True)
        resources += response.get("ResourceArns") or []
    return resources
