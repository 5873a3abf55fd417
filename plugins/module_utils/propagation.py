# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Clients that also retry while a just-made IAM role, key policy or bucket policy propagates.

A service that is handed an IAM role (CloudTrail's CloudWatch Logs role, AWS Config's
recorder role, a Lambda execution role) checks it when the request arrives. IAM is
eventually consistent: for some seconds after a role is created, the service answers as if
the role were wrong. propagating_client() returns a client whose ``aws_retry=True`` calls
retry those answers with jittered backoff (a bounded number of times, so a role that is
really wrong still fails in well under two minutes), on top of the throttling codes that
common.retrying_client() retries.

Some services answer with a code that also means real bad input (Lambda's
InvalidParameterValueException for a role it cannot assume); ``message_codes`` maps a code
and a text in its message to a pseudo-code that is retried, so only that case is.
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.healthplatform.aws.plugins.module_utils.common import RETRY_CODES


def _retry_class(message_codes):
    if not message_codes:
        return AWSRetry

    class MessageAwareRetry(AWSRetry):
        @staticmethod
        def status_code_from_exception(error):
            code = AWSRetry.status_code_from_exception(error)
            message = str(error.response.get("Error", {}).get("Message", ""))
            for (match_code, text), pseudo in message_codes.items():
                if code == match_code and text in message:
                    return pseudo
            return code

    return MessageAwareRetry


def propagating_client(module, service, extra_codes=(), message_codes=None, retries=6):
    """A client like common.retrying_client() that also retries ``extra_codes`` (and ``message_codes``) a bounded number of times."""
    codes = list(RETRY_CODES) + list(extra_codes) + list((message_codes or {}).values())
    decorator = _retry_class(message_codes).jittered_backoff(retries=retries, delay=2, max_delay=30, catch_extra_error_codes=codes)
    return module.client(service, retry_decorator=decorator)
