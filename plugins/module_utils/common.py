# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers shared by the healthplatform.aws modules.

Kept small on purpose: the amazon.aws module_utils already provide the
connection handling (AnsibleAWSModule), retries (AWSRetry) and the tag
conversions; what lives here is what several of *our* modules repeat.
"""

from __future__ import annotations

import uuid

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

# Retries with full jitter on throttling and the transient errors AWSRetry knows,
# plus the "not yet visible" codes of eventually consistent creates.
RETRY_CODES = ["RequestLimitExceeded", "Throttling", "ThrottlingException", "TooManyRequestsException"]


def retrying_client(module, service):
    """Return a boto3 client whose calls retry with jittered backoff when called with aws_retry=True."""
    return module.client(service, retry_decorator=AWSRetry.jittered_backoff(retries=10, catch_extra_error_codes=RETRY_CODES))


def idempotency_token():
    """A token for one create request: retries of the same request reuse it, so AWS never creates two."""
    return str(uuid.uuid4())


def tag_changes(current, desired, purge_tags):
    """Return (tags_to_set, keys_to_unset) to go from ``current`` to ``desired``.

    ``desired`` of None means "leave tags alone".
    """
    if desired is None:
        return {}, []
    return compare_aws_tags(current or {}, desired, purge_tags)


def merged_tags(current, desired, purge_tags):
    """The tags a resource ends up with after tag_changes() is applied (for check mode and diff)."""
    if desired is None:
        return dict(current or {})
    result = {} if purge_tags else dict(current or {})
    result.update(desired)
    return result


def ec2_update_tags(client, resource_id, current, desired, purge_tags, check_mode):
    """Apply tag changes to an EC2 resource with CreateTags/DeleteTags. Returns True if anything changed."""
    to_set, to_unset = tag_changes(current, desired, purge_tags)
    if not (to_set or to_unset):
        return False
    if check_mode:
        return True
    if to_unset:
        client.delete_tags(Resources=[resource_id], Tags=[{"Key": k} for k in to_unset], aws_retry=True)
    if to_set:
        client.create_tags(Resources=[resource_id], Tags=ansible_dict_to_boto3_tag_list(to_set), aws_retry=True)
    return True


def diff_of(before, after):
    """A diff dict for module results: only what a reader needs to see."""
    return {"before": before or {}, "after": after or {}}


def snake_with_tags(resource, tag_key="Tags"):
    """An AWS resource description in snake_case, with its tag list as a plain dict under ``tags``."""
    if not resource:
        return {}
    result = camel_dict_to_snake_dict({k: v for k, v in resource.items() if k != tag_key})
    result["tags"] = boto3_tag_list_to_ansible_dict(resource.get(tag_key) or [])
    return result
