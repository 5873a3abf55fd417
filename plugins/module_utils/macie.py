# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers shared by the Amazon Macie modules (macie2, macie2_classification_job and their _info modules).

- read_session(): the account's Macie session, or None when Macie is not enabled (AWS answers
  AccessDeniedException "Macie is not enabled", moto ResourceNotFoundException).
- find_job(): the newest classification job of a name that is not cancelled or complete.
- snake_job(): a described job as the modules return it.
"""

from __future__ import annotations

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

# A job in one of these states can no longer run: it does not count as the job of its name.
FINISHED = ("CANCELLED", "COMPLETE")


def read_session(client):
    try:
        session = client.get_macie_session(aws_retry=True)
    except is_boto3_error_code(("AccessDeniedException", "ResourceNotFoundException")):
        return None
    return {k: v for k, v in session.items() if k != "ResponseMetadata"}


def find_job(client, name):
    """(jobId, DescribeClassificationJob) of the live job named ``name``, or (None, None)."""
    request = {
        "filterCriteria": {"includes": [{"comparator": "EQ", "key": "name", "values": [name]}]},
        "sortCriteria": {"attributeName": "createdAt", "orderBy": "DESC"},
    }
    while True:
        page = client.list_classification_jobs(aws_retry=True, **request)
        for job in page.get("items") or []:
            if job.get("name") == name and job.get("jobStatus") not in FINISHED:
                described = client.describe_classification_job(jobId=job["jobId"], aws_retry=True)
                return job["jobId"], {k: v for k, v in described.items() if k != "ResponseMetadata"}
        if not page.get("nextToken"):
            return None, None
        request["nextToken"] = page["nextToken"]


def snake_job(job):
    if not job:
        return {}
    result = camel_dict_to_snake_dict({k: v for k, v in job.items() if k != "tags"})
    result["tags"] = dict(job.get("tags") or {})
    return result
