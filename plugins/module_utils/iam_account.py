# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Account-level IAM settings."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code


def read_password_policy(client):
    """The account password policy as GetAccountPasswordPolicy reports it; {} when there is none."""
    try:
        return client.get_account_password_policy(aws_retry=True)["PasswordPolicy"]
    except is_boto3_error_code("NoSuchEntity"):
        return {}
