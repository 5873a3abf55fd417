# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Secrets Manager helpers: describe a secret (metadata only, never its value) and its rotation."""

from __future__ import annotations

import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags

LAMBDA_ARN = re.compile(r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$")
SCHEDULE_EXPRESSION = re.compile(r"^(rate\(\s*\d+\s+(hours?|days?)\s*\)|cron\(.+\))$")
DURATION = re.compile(r"^[1-9]\d*h$")

# DescribeSecret fields that are no one's business in a task result (none of them is a secret value).
_DROP = ("ResponseMetadata", "VersionIdsToStages")


def describe_secret(client, secret_id):
    """DescribeSecret, or None when there is no such secret."""
    try:
        return client.describe_secret(SecretId=secret_id, aws_retry=True)
    except is_boto3_error_code("ResourceNotFoundException"):
        return None


def secret_view(described):
    """A secret's metadata in snake_case with tags as a dict. DescribeSecret never returns the value."""
    if not described:
        return {}
    return snake_with_tags({k: v for k, v in described.items() if k not in _DROP})


def rotation_of(described):
    """The rotation configuration of a described secret, in the shape the modules compare."""
    described = described or {}
    return {
        "enabled": bool(described.get("RotationEnabled")),
        "lambda_arn": described.get("RotationLambdaARN") or None,
        "rules": dict(described.get("RotationRules") or {}),
    }
