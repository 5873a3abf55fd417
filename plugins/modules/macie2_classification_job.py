#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: macie2_classification_job
short_description: Manage a scheduled Amazon Macie sensitive data discovery job on S3 buckets
version_added: 0.1.0
description:
  - Creates a scheduled Amazon Macie classification job that scans the objects of the buckets in
    O(buckets) for sensitive data (PHI, PII, credentials) on a daily, weekly or monthly schedule,
    pauses or resumes it, or cancels it with O(state=absent).
  - The job is found by its name among the jobs that are not cancelled or complete.
  - Macie cannot change a job's definition. When the buckets, schedule, sampling or description
    differ, the module cancels the job and creates it again (RV(replaced)); the new job scans
    only objects created or changed since the old one last ran.
  - Bad input (a bucket name S3 refuses, a day of the month out of range) fails before any API call.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Name of the job.
    type: str
    required: true
  state:
    description: Whether the job should exist. C(absent) cancels it (Macie keeps cancelled jobs and their findings).
    type: str
    choices: [present, absent]
    default: present
  buckets:
    description: Buckets (of O(account_id)) whose objects are scanned. Required with O(state=present).
    type: list
    elements: str
  account_id:
    description: Account that owns the buckets; defaults to the account of the credentials.
    type: str
  schedule:
    description: How often the job runs.
    type: str
    choices: [daily, weekly, monthly]
    default: daily
  day_of_week:
    description: Day of a C(weekly) job.
    type: str
    choices: [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY]
    default: SUNDAY
  day_of_month:
    description: Day (1-31) of a C(monthly) job.
    type: int
    default: 1
  sampling_percentage:
    description: Share (1-100) of the eligible objects each run scans.
    type: int
    default: 100
  description:
    description: Description of the job.
    type: str
    default: ""
  paused:
    description: Whether the job is paused (C(USER_PAUSED)) rather than running.
    type: bool
    default: false
  tags:
    description:
      - Tags of the job, set when it is created (Macie jobs are not retagged; a job whose tags
        differ is not recreated for that).
    type: dict
    aliases: [resource_tags]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Macie must be enabled (M(healthplatform.aws.macie2)). Jobs are created with a client token, so a
    retried request creates one job.
seealso:
  - module: healthplatform.aws.macie2_classification_job_info
  - module: healthplatform.aws.macie2
"""

EXAMPLES = r"""
- name: Scan the patient records bucket for sensitive data every day
  healthplatform.aws.macie2_classification_job:
    name: healthplatform-prod-records-discovery
    buckets: [healthplatform-prod-records]
    schedule: daily
    tags:
      Environment: prod
"""

RETURN = r"""
job:
  description: The job as C(DescribeClassificationJob) describes it (in check mode, what it would be); empty with O(state=absent).
  returned: always
  type: dict
  sample:
    job_id: 3ce05dbb7ec5505def334104bf113c2f
    name: healthplatform-prod-records-discovery
    job_status: RUNNING
    job_type: SCHEDULED
    s3_job_definition: {"bucket_definitions": [{"account_id": "123456789012", "buckets": ["healthplatform-prod-records"]}]}
replaced:
  description: Whether the job was (or in check mode would be) cancelled and created again to change its definition.
  returned: always
  type: bool
  sample: false
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.macie import find_job
from ansible_collections.healthplatform.aws.plugins.module_utils.macie import snake_job

BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
ACCOUNT = re.compile(r"^\d{12}$")


def validate(module):
    p = module.params
    if not 1 <= len(p["name"]) <= 500:
        module.fail_json(msg="name must be 1 to 500 characters")
    if p["state"] == "absent":
        return
    if not p["buckets"]:
        module.fail_json(msg="buckets must name at least one bucket with state=present")
    for index, bucket in enumerate(p["buckets"]):
        if not BUCKET.match(bucket):
            module.fail_json(msg=f"buckets[{index}]: {bucket!r} is not an S3 bucket name")
    if p["account_id"] and not ACCOUNT.match(p["account_id"]):
        module.fail_json(msg=f"account_id must be a 12-digit AWS account ID, got {p['account_id']!r}")
    if not 1 <= p["day_of_month"] <= 31:
        module.fail_json(msg=f"day_of_month must be between 1 and 31, got {p['day_of_month']}")
    if not 1 <= p["sampling_percentage"] <= 100:
        module.fail_json(msg=f"sampling_percentage must be between 1 and 100, got {p['sampling_percentage']}")


def schedule(params):
    if params["schedule"] == "weekly":
        return {"weeklySchedule": {"dayOfWeek": params["day_of_week"]}}
    if params["schedule"] == "monthly":
        return {"monthlySchedule": {"dayOfMonth": params["day_of_month"]}}
    return {"dailySchedule": {}}


def definition(params, account_id):
    return {
        "s3JobDefinition": {"bucketDefinitions": [{"accountId": account_id, "buckets": sorted(set(params["buckets"]))}]},
        "scheduleFrequency": schedule(params),
        "samplingPercentage": params["sampling_percentage"],
        "description": params["description"],
    }


def comparable(job):
    buckets = []
    for bucket_definition in (job.get("s3JobDefinition") or {}).get("bucketDefinitions") or []:
        buckets.extend((bucket_definition.get("accountId"), b) for b in bucket_definition.get("buckets") or [])
    return {
        "buckets": sorted(buckets),
        "schedule": {k: v for k, v in (job.get("scheduleFrequency") or {}).items() if v is not None},
        "samplingPercentage": job.get("samplingPercentage", 100),
        "description": job.get("description") or "",
    }


def create(module, client, wanted):
    p = module.params
    request = dict(wanted, name=p["name"], jobType="SCHEDULED", clientToken=idempotency_token(), initialRun=True)
    if p["tags"]:
        request["tags"] = dict(p["tags"])
    job_id = client.create_classification_job(aws_retry=True, **request)["jobId"]
    if p["paused"]:
        client.update_classification_job(jobId=job_id, jobStatus="USER_PAUSED", aws_retry=True)
    described = client.describe_classification_job(jobId=job_id, aws_retry=True)
    return {k: v for k, v in described.items() if k != "ResponseMetadata"}


def view(job):
    if not job:
        return {}
    return dict(comparable(job), status=job.get("jobStatus"))


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        buckets=dict(type="list", elements="str"),
        account_id=dict(type="str"),
        schedule=dict(type="str", choices=["daily", "weekly", "monthly"], default="daily"),
        day_of_week=dict(type="str", choices=["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"], default="SUNDAY"),
        day_of_month=dict(type="int", default=1),
        sampling_percentage=dict(type="int", default=100),
        description=dict(type="str", default=""),
        paused=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    p = module.params
    client = retrying_client(module, "macie2")
    replaced = False
    try:
        job_id, job = find_job(client, p["name"])
        if p["state"] == "absent":
            if job and not module.check_mode:
                client.update_classification_job(jobId=job_id, jobStatus="CANCELLED", aws_retry=True)
            module.exit_json(changed=job is not None, replaced=False, job={}, diff=diff_of(view(job), {}))

        account_id = p["account_id"] or get_aws_account_info(module)[0]
        wanted = definition(p, account_id)
        status = "USER_PAUSED" if p["paused"] else "RUNNING"
        after = job
        changed = False
        if job is None or comparable(job) != comparable(wanted):
            changed = True
            replaced = job is not None
            after = dict(wanted, name=p["name"], jobType="SCHEDULED", jobStatus=status, tags=dict(p["tags"] or {}))
            if not module.check_mode:
                if replaced:
                    client.update_classification_job(jobId=job_id, jobStatus="CANCELLED", aws_retry=True)
                after = create(module, client, wanted)
        elif job.get("jobStatus") in ("RUNNING", "IDLE", "USER_PAUSED", "PAUSED") and (job["jobStatus"] == "USER_PAUSED") != p["paused"]:
            changed = True
            if not module.check_mode:
                client.update_classification_job(jobId=job_id, jobStatus=status, aws_retry=True)
            after = dict(job, jobStatus=status)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the Macie classification job {p['name']}")
    module.exit_json(changed=changed, replaced=replaced, job=snake_job(after), diff=diff_of(view(job), view(after)))


if __name__ == "__main__":
    main()
