# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers of the edge modules (ACM certificates, load balancer attributes, WAFv2).

- clients whose retries also cover the edge services' "not yet available" errors
  (a web ACL or load balancer that was just created is not at once associable);
- certificate bodies compared as their DER content, whatever the PEM line layout;
- load balancer attribute values compared as the strings the API uses;
- WAF redacted fields between the module's simple form and the API's.
"""

from __future__ import annotations

import re

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.healthplatform.aws.plugins.module_utils.common import RETRY_CODES

# WAF answers these while a just-created web ACL or resource is propagating; retry them.
WAF_RETRY_CODES = RETRY_CODES + ["WAFUnavailableEntityException", "WAFInternalErrorException", "WAFServiceLinkedRoleErrorException"]
# ACM: a certificate that was just requested or imported may not be visible yet.
ACM_RETRY_CODES = RETRY_CODES + ["ResourceNotFoundException"]

PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.S)


def edge_client(module, service, extra_codes=None):
    """A client whose calls retry with jittered backoff (aws_retry=True), also on ``extra_codes``."""
    codes = extra_codes or RETRY_CODES
    return module.client(service, retry_decorator=AWSRetry.jittered_backoff(retries=10, catch_extra_error_codes=codes))


def pem_blocks(text, kind="CERTIFICATE"):
    """The base64 bodies (whitespace removed) of the PEM blocks of ``kind`` in ``text``, in order."""
    return ["".join(body.split()) for label, body in PEM_BLOCK.findall(text or "") if label == kind]


def is_private_key_pem(text):
    return any(label.endswith("PRIVATE KEY") for label, _body in PEM_BLOCK.findall(text or ""))


def attribute_value(value):
    """A load balancer attribute value as the API reports it: booleans lower case, numbers as text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return text.lower() if text.lower() in ("true", "false") else text


# WAF redacted fields: the module's names -> the API's FieldToMatch members.
REDACTED_FIELD_KINDS = {"single_header": "SingleHeader", "query_string": "QueryString", "uri_path": "UriPath", "method": "Method"}


def redacted_field_to_api(field):
    """{'single_header': 'authorization'} -> {'SingleHeader': {'Name': 'authorization'}}; {'query_string': True} -> {'QueryString': {}}."""
    for key, api_key in REDACTED_FIELD_KINDS.items():
        value = field.get(key)
        if value in (None, False):
            continue
        if key == "single_header":
            return {"SingleHeader": {"Name": str(value).lower()}}
        return {api_key: {}}
    return None


def redacted_field_text(api_field):
    """A comparable, readable form of an API redacted field: 'single_header:authorization', 'query_string'."""
    for key, api_key in REDACTED_FIELD_KINDS.items():
        if api_key in api_field:
            if key == "single_header":
                return f"single_header:{api_field[api_key].get('Name', '').lower()}"
            return key
    return str(sorted(api_field))
