# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""S3 Control (account-level S3 settings) and S3 Object Lock helpers.

S3 Control addresses the account in the host name (``{AccountId}.s3-control.<region>.amazonaws.com``).
Against a custom endpoint (an emulator on ``http://127.0.0.1:port``) that host name does not
resolve, so for endpoints outside amazonaws.com the account prefix is taken off again before
the request is signed; the account still travels in the ``x-amz-account-id`` header.
"""

from __future__ import annotations

import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.healthplatform.aws.plugins.module_utils.common import RETRY_CODES
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client

_ACCOUNT_PREFIX = re.compile(r"^(https?://)\d{12}\.")
_AWS_HOST = re.compile(r"^https?://([^/]*\.)?amazonaws\.com(\.cn)?(:\d+)?(/|$)")

PUBLIC_ACCESS_BLOCK_FIELDS = {
    "block_public_acls": "BlockPublicAcls",
    "ignore_public_acls": "IgnorePublicAcls",
    "block_public_policy": "BlockPublicPolicy",
    "restrict_public_buckets": "RestrictPublicBuckets",
}


def _strip_account_prefix(request, **kwargs):  # pylint: disable=unused-argument
    request.url = _ACCOUNT_PREFIX.sub(r"\1", request.url)


def s3control_client(module):
    """An S3 Control client (retrying with jittered backoff when called with aws_retry=True)."""
    client = module.client("s3control", retry_decorator=AWSRetry.jittered_backoff(retries=10, catch_extra_error_codes=RETRY_CODES))
    endpoint = getattr(getattr(client, "meta", None), "endpoint_url", None) or ""
    if endpoint and not _AWS_HOST.match(endpoint):
        client.meta.events.register("before-sign.s3-control", _strip_account_prefix)
    return client


def caller_account_id(module):
    """The account ID of the credentials in use (sts:GetCallerIdentity)."""
    return retrying_client(module, "sts").get_caller_identity(aws_retry=True)["Account"]


def get_public_access_block(client, account_id):
    """The account's public access block as {option: bool}; {} when it has none."""
    try:
        configuration = client.get_public_access_block(AccountId=account_id, aws_retry=True)["PublicAccessBlockConfiguration"]
    except is_boto3_error_code("NoSuchPublicAccessBlockConfiguration"):
        return {}
    return {option: bool(configuration.get(field, False)) for option, field in PUBLIC_ACCESS_BLOCK_FIELDS.items()}


def normalized_retention(rule):
    """An Object Lock default retention as comparable {'Mode', 'Days'|'Years'}; None when there is none.

    Some implementations report ``Years: 0`` next to ``Days`` (and the reverse); a zero is no setting.
    """
    retention = (rule or {}).get("DefaultRetention") or {}
    if not retention.get("Mode"):
        return None
    result = {"Mode": retention["Mode"]}
    for unit in ("Days", "Years"):
        if retention.get(unit):
            result[unit] = retention[unit]
    return result
