# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers shared by the security service modules (GuardDuty, Inspector v2, Security Hub, EBS default encryption).

- model_enum() / enum_problem(): validate option values against the allowed values
  in the boto3 client's own API model, before any call, so that a name AWS adds
  later is accepted as soon as botocore knows it and a typo never reaches AWS.
- all_pages(): a NextToken loop where every page is fetched with aws_retry=True
  (botocore paginators cannot take it).
- partition_of(): the AWS partition of a region (for ARNs that must be built).
- snake_with_tag_dict(): like common.snake_with_tags, for the APIs that return
  tags as a plain dict (GuardDuty).
- inspector2_*(): reading an account's Inspector v2 status, for inspector2 and
  inspector2_info (and module_utils/inspector2.py).
- securityhub_*(): the standards table (friendly name and version -> ARN) and
  reading the hub, for securityhub and securityhub_info (and module_utils/securityhub.py).

What the managing modules do (validate, read, plan, apply) lives in module_utils/guardduty.py,
inspector2.py and securityhub.py, shared by the single-service modules and threat_detection.
"""

from __future__ import annotations

import re

try:
    import botocore.session
    from botocore.exceptions import UnknownRegionError
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info


def model_enum(client, operation, *path):
    """The allowed values of one request field, from the client's API model.

    ``path`` names the members from the operation's input down to the field;
    list shapes are stepped through, so ``("Features", "Name")`` is the
    ``Name`` of each element of ``Features``. Returns [] when the model
    defines no enum (then nothing can be validated locally).
    """
    shape = client.meta.service_model.operation_model(operation).input_shape
    for name in path:
        while shape.type_name == "list":
            shape = shape.member
        shape = shape.members[name]
    while shape.type_name == "list":
        shape = shape.member
    return list(getattr(shape, "enum", None) or [])


def enum_problem(option, value, allowed, what):
    """Why ``value`` of ``option`` is not one of ``allowed``, or None (also when the model has no enum)."""
    if not allowed or value in allowed:
        return None
    return f"{option}: unknown {what} {value!r}; valid values (from the API model): {', '.join(allowed)}"


def all_pages(client, method, result_key, **request):
    """Every item of a NextToken-paginated call, each page fetched with retries."""
    items = []
    while True:
        page = getattr(client, method)(aws_retry=True, **request)
        items.extend(page.get(result_key) or [])
        token = page.get("NextToken")
        if not token:
            return items
        request["NextToken"] = token


def partition_of(region):
    """The partition (aws, aws-cn, aws-us-gov, ...) of ``region``; ``aws`` for a region botocore does not know."""
    try:
        return botocore.session.get_session().get_partition_for_region(region)
    except UnknownRegionError:
        return "aws"


def without_metadata(response):
    """A response without botocore's ResponseMetadata."""
    return {k: v for k, v in (response or {}).items() if k != "ResponseMetadata"}


def snake_with_tag_dict(resource, tag_key="Tags"):
    """An AWS resource in snake_case whose tags the API already returns as a dict (kept as is under ``tags``)."""
    if not resource:
        return {}
    result = camel_dict_to_snake_dict({k: v for k, v in without_metadata(resource).items() if k != tag_key})
    result["tags"] = dict(resource.get(tag_key) or {})
    return result


def snake(resource):
    """An AWS response or resource in snake_case, without ResponseMetadata."""
    return camel_dict_to_snake_dict(without_metadata(resource)) if resource else {}


# --- Inspector v2: shared by inspector2 and inspector2_info -------------------------------------


def inspector2_resource_types(client):
    """The resource types the installed botocore knows (EC2, ECR, LAMBDA, LAMBDA_CODE, ...)."""
    return model_enum(client, "Enable", "resourceTypes")


def inspector2_state_key(resource_type):
    """The key of a resource type in BatchGetAccountStatus' resourceState: LAMBDA_CODE -> lambdaCode."""
    first, *rest = resource_type.lower().split("_")
    return first + "".join(part.capitalize() for part in rest)


def inspector2_account(module, account_id=None):
    """The account to manage: ``account_id`` (default: the module's account_id option), or the account of the credentials."""
    account_id = account_id or module.params.get("account_id")
    if account_id:
        return account_id
    account_id, _partition = get_aws_account_info(module)
    return account_id


def inspector2_read_status(module, client, account_id):
    """The account's entry of BatchGetAccountStatus ({} when Inspector reports nothing for it)."""
    response = client.batch_get_account_status(accountIds=[account_id], aws_retry=True)
    failed = [a for a in response.get("failedAccounts") or [] if a.get("accountId") == account_id]
    if failed:
        module.fail_json(msg=f"Inspector could not report the status of account {account_id}: {failed[0].get('errorCode')} {failed[0].get('errorMessage')}")
    accounts = [a for a in response.get("accounts") or [] if a.get("accountId") == account_id]
    return accounts[0] if accounts else {}


def inspector2_statuses(status, known):
    """{resource type: status} for every known resource type; one Inspector does not report counts as DISABLED."""
    state = status.get("resourceState") or {}
    return {name: (state.get(inspector2_state_key(name)) or {}).get("status", "DISABLED") for name in known}


# --- Security Hub: shared by securityhub and securityhub_info ---------------------------------------

# Standards by the name in their ARN, with the versions Security Hub offers. The
# ARN of CIS 1.2.0 is the older "ruleset" form without a region.
SECURITYHUB_STANDARDS = {
    "aws-foundational-security-best-practices": ("1.0.0",),
    "aws-resource-tagging-standard": ("1.0.0",),
    "cis-aws-foundations-benchmark": ("1.2.0", "1.4.0", "3.0.0"),
    "nist-800-53": ("5.0.0",),
    "nist-800-171": ("2.0.0",),
    "pci-dss": ("3.2.1", "4.0.1"),
}
_STANDARD_KEY = re.compile(r"^(?:standards|ruleset)/(?P<name>[^/]+)/v/(?P<version>[^/]+)$")


def securityhub_standard_key(name, version):
    """The partition- and region-free part of a standard's ARN: standards/<name>/v/<version>."""
    if name == "cis-aws-foundations-benchmark" and version == "1.2.0":
        return f"ruleset/{name}/v/{version}"
    return f"standards/{name}/v/{version}"


def securityhub_standard_arn(partition, region, key):
    """The StandardsArn of a standard key in a partition and region (ruleset ARNs have no region)."""
    return f"arn:{partition}:securityhub:{region if key.startswith('standards/') else ''}::{key}"


def securityhub_arn_key(arn):
    """The key (standards/<name>/v/<version>) of a StandardsArn."""
    parts = arn.split(":", 5)
    return parts[5] if len(parts) == 6 else arn


def securityhub_subscription(subscription):
    """A standards subscription in snake_case, with the standard's name and version from its ARN."""
    result = snake(subscription)
    match = _STANDARD_KEY.match(securityhub_arn_key(subscription.get("StandardsArn", "")))
    if match:
        result.update(name=match.group("name"), version=match.group("version"))
    return result


def securityhub_read_hub(client):
    """DescribeHub, or None when the account is not subscribed to Security Hub in the region."""
    try:
        return without_metadata(client.describe_hub(aws_retry=True))
    except is_boto3_error_code("InvalidAccessException"):
        return None


def securityhub_enabled_standards(client):
    """Every standards subscription of the hub (GetEnabledStandards)."""
    return all_pages(client, "get_enabled_standards", "StandardsSubscriptions")
