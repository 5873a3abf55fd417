# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""KMS key references (key ID, key ARN, alias name, alias ARN) for the modules that take one.

AWS stores and reports a key in whatever form the service prefers (RDS reports the key
ARN, Secrets Manager the form it was given or the key ARN), so comparing the form a user
wrote with the form AWS reports needs the key behind both. These helpers compare by form
first and ask KMS (DescribeKey) only when the forms alone cannot tell.
"""

from __future__ import annotations

import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client

_ID = r"(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
KEY_ID = re.compile(rf"^{_ID}$")
KEY_ARN = re.compile(rf"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{{12}}:key/({_ID})$")
ALIAS_NAME = re.compile(r"^alias/[a-zA-Z0-9/_-]+$")
ALIAS_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(alias/[a-zA-Z0-9/_-]+)$")


def is_key_reference(value):
    """Whether ``value`` has the form of a KMS key ID, key ARN, alias name or alias ARN."""
    return bool(value) and any(p.match(value) for p in (KEY_ID, KEY_ARN, ALIAS_NAME, ALIAS_ARN))


def _key_id(reference):
    """The key ID in a key ID or key ARN (None for aliases)."""
    if KEY_ID.match(reference):
        return reference
    arn = KEY_ARN.match(reference)
    return arn.group(1) if arn else None


def same_key_by_form(current, wanted):
    """True when both name the same key by their form alone; None when only KMS can tell."""
    if not current or not wanted:
        return current == wanted
    if current == wanted:
        return True
    ids = [_key_id(current), _key_id(wanted)]
    if None not in ids:
        return ids[0] == ids[1]
    for a, b in ((current, wanted), (wanted, current)):
        alias = ALIAS_ARN.match(a)
        if alias and ALIAS_NAME.match(b) and alias.group(1) == b:
            return True
    return None


class KeyResolver:
    """Resolve key references to key ARNs with kms:DescribeKey, creating the KMS client only when needed."""

    def __init__(self, module):
        self.module = module
        self._client = None
        self._cache = {}

    def arn_of(self, reference):
        """The key ARN behind ``reference``, or None when KMS knows no such key."""
        if reference in self._cache:
            return self._cache[reference]
        if KEY_ARN.match(reference):
            self._cache[reference] = reference
            return reference
        if self._client is None:
            self._client = retrying_client(self.module, "kms")
        try:
            arn = self._client.describe_key(KeyId=reference, aws_retry=True)["KeyMetadata"]["Arn"]
        except is_boto3_error_code("NotFoundException"):
            arn = None
        self._cache[reference] = arn
        return arn

    def same_key(self, current, wanted):
        """Whether ``current`` (as AWS reports it) and ``wanted`` (as the user wrote it) are the same key."""
        by_form = same_key_by_form(current, wanted)
        if by_form is not None:
            return by_form
        current_arn = self.arn_of(current)
        return current_arn is not None and current_arn == self.arn_of(wanted)
