# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""macie2_classification_job and macie2_classification_job_info, with the botocore Stubber.

moto 5.2.5 does not route the Macie classification job calls (ListClassificationJobs,
CreateClassificationJob, DescribeClassificationJob, UpdateClassificationJob answer HTTP 404),
so every path is tested against the Stubber, which validates every request against the real
botocore model and fails on any call that was not queued. Bad input is checked against the moto
server's recorder: no call at all.
"""

from __future__ import annotations

import pytest
from botocore.stub import ANY

from ansible_collections.healthplatform.aws.plugins.modules import macie2_classification_job
from ansible_collections.healthplatform.aws.plugins.modules import macie2_classification_job_info

ACCOUNT = "123456789012"
NAME = "hp-test-records-discovery"
LIST = {
    "filterCriteria": {"includes": [{"comparator": "EQ", "key": "name", "values": [NAME]}]},
    "sortCriteria": {"attributeName": "createdAt", "orderBy": "DESC"},
}
ARGS = {"name": NAME, "buckets": ["hp-test-records"], "account_id": ACCOUNT, "tags": {"Environment": "test"}}


def job(job_id="job1", status="RUNNING", buckets=("hp-test-records",), schedule=None):
    return {
        "jobId": job_id,
        "name": NAME,
        "jobStatus": status,
        "jobType": "SCHEDULED",
        "s3JobDefinition": {"bucketDefinitions": [{"accountId": ACCOUNT, "buckets": list(buckets)}]},
        "scheduleFrequency": schedule or {"dailySchedule": {}},
        "samplingPercentage": 100,
        "description": "",
        "tags": {"Environment": "test"},
    }


def listed(*jobs):
    return {"items": [{"jobId": j["jobId"], "name": j["name"], "jobStatus": j["jobStatus"]} for j in jobs]}


def create_request(buckets=("hp-test-records",), schedule=None):
    return {
        "s3JobDefinition": {"bucketDefinitions": [{"accountId": ACCOUNT, "buckets": sorted(buckets)}]},
        "scheduleFrequency": schedule or {"dailySchedule": {}},
        "samplingPercentage": 100,
        "description": "",
    }


def test_create_stubbed(stubbed):
    macie = stubbed("macie2")
    macie.add_response("list_classification_jobs", {"items": []}, LIST)
    request = dict(create_request(), name=NAME, jobType="SCHEDULED", clientToken=ANY, initialRun=True, tags={"Environment": "test"})
    macie.add_response("create_classification_job", {"jobId": "job1", "jobArn": f"arn:aws:macie2:us-east-1:{ACCOUNT}:classification-job/job1"}, request)
    macie.add_response("describe_classification_job", job(), {"jobId": "job1"})

    result = stubbed.run(macie2_classification_job.main, ARGS, diff=True)

    assert result["changed"] is True and result["replaced"] is False, result
    assert result["job"]["job_id"] == "job1"
    assert result["job"]["tags"] == {"Environment": "test"}
    assert result["diff"]["before"] == {}
    stubbed.assert_all_used()


def test_no_change_stubbed(stubbed):
    macie = stubbed("macie2")
    macie.add_response("list_classification_jobs", listed(job()), LIST)
    macie.add_response("describe_classification_job", job(), {"jobId": "job1"})
    result = stubbed.run(macie2_classification_job.main, ARGS)
    assert result["changed"] is False, result
    stubbed.assert_all_used()


def test_cancelled_jobs_do_not_count_stubbed(stubbed):
    macie = stubbed("macie2")
    macie.add_response("list_classification_jobs", listed(job("old", status="CANCELLED")), LIST)
    macie.add_response("create_classification_job", {"jobId": "job2", "jobArn": f"arn:aws:macie2:us-east-1:{ACCOUNT}:classification-job/job2"})
    macie.add_response("describe_classification_job", job("job2"), {"jobId": "job2"})
    result = stubbed.run(macie2_classification_job.main, ARGS)
    assert result["changed"] is True and result["replaced"] is False, result
    stubbed.assert_all_used()


def test_definition_change_replaces_stubbed(stubbed):
    weekly = {"weeklySchedule": {"dayOfWeek": "SUNDAY"}}
    macie = stubbed("macie2")
    macie.add_response("list_classification_jobs", listed(job()), LIST)
    macie.add_response("describe_classification_job", job(), {"jobId": "job1"})
    macie.add_response("update_classification_job", {}, {"jobId": "job1", "jobStatus": "CANCELLED"})
    request = dict(create_request(schedule=weekly), name=NAME, jobType="SCHEDULED", clientToken=ANY, initialRun=True, tags={"Environment": "test"})
    macie.add_response("create_classification_job", {"jobId": "job2", "jobArn": f"arn:aws:macie2:us-east-1:{ACCOUNT}:classification-job/job2"}, request)
    macie.add_response("describe_classification_job", job("job2", schedule=weekly), {"jobId": "job2"})

    result = stubbed.run(macie2_classification_job.main, dict(ARGS, schedule="weekly"), diff=True)

    assert result["changed"] is True and result["replaced"] is True, result
    assert result["diff"]["before"]["schedule"] == {"dailySchedule": {}}
    assert result["diff"]["after"]["schedule"] == weekly
    stubbed.assert_all_used()


def test_pause_and_check_mode_stubbed(stubbed):
    macie = stubbed("macie2")
    macie.add_response("list_classification_jobs", listed(job()), LIST)
    macie.add_response("describe_classification_job", job(), {"jobId": "job1"})
    macie.add_response("list_classification_jobs", listed(job()), LIST)
    macie.add_response("describe_classification_job", job(), {"jobId": "job1"})
    macie.add_response("update_classification_job", {}, {"jobId": "job1", "jobStatus": "USER_PAUSED"})

    checked = stubbed.run(macie2_classification_job.main, dict(ARGS, paused=True), check_mode=True)
    paused = stubbed.run(macie2_classification_job.main, dict(ARGS, paused=True))

    assert checked["changed"] is True and checked["job"]["job_status"] == "USER_PAUSED", checked
    assert paused["changed"] is True and paused["job"]["job_status"] == "USER_PAUSED", paused
    stubbed.assert_all_used()


def test_check_mode_create_stubbed(stubbed):
    macie = stubbed("macie2")
    macie.add_response("list_classification_jobs", {"items": []}, LIST)
    result = stubbed.run(macie2_classification_job.main, ARGS, check_mode=True)
    assert result["changed"] is True, result
    assert result["job"]["name"] == NAME
    stubbed.assert_all_used()


def test_cancel_stubbed(stubbed):
    macie = stubbed("macie2")
    macie.add_response("list_classification_jobs", listed(job()), LIST)
    macie.add_response("describe_classification_job", job(), {"jobId": "job1"})
    macie.add_response("update_classification_job", {}, {"jobId": "job1", "jobStatus": "CANCELLED"})
    macie.add_response("list_classification_jobs", {"items": []}, LIST)
    first = stubbed.run(macie2_classification_job.main, {"name": NAME, "state": "absent"})
    again = stubbed.run(macie2_classification_job.main, {"name": NAME, "state": "absent"})
    assert first["changed"] is True and again["changed"] is False
    stubbed.assert_all_used()


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"buckets": []}, "buckets"),
        ({"buckets": ["Records_Bucket"]}, "buckets[0]"),
        ({"account_id": "12345"}, "account_id"),
        ({"schedule": "monthly", "day_of_month": 32}, "day_of_month"),
        ({"sampling_percentage": 0}, "sampling_percentage"),
        ({"schedule": "hourly"}, "schedule"),
    ],
)
def test_bad_input_fails_before_any_call(aws, extra, option):
    with aws.recording() as calls:
        result = aws.run(macie2_classification_job.main, dict(ARGS, **extra))
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info_stubbed(stubbed):
    macie = stubbed("macie2")
    macie.add_response("list_classification_jobs", listed(job()), LIST)
    macie.add_response("describe_classification_job", job(), {"jobId": "job1"})
    result = stubbed.run(macie2_classification_job_info.main, {"names": [NAME]})
    assert [j["job_id"] for j in result["jobs"]] == ["job1"]
    stubbed.assert_all_used()
