# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""s3_object_lock and s3_object_lock_info against the moto server (Object Lock is emulated;
moto reports Years: 0 next to Days like the API quirk this module exists for).

With botocore's Stubber: a default retention reported in years (and Days: 0), as moto never
answers it, so that the comparison of both units is proven against the real model.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import s3_object_lock
from ansible_collections.healthplatform.aws.plugins.modules import s3_object_lock_info

BUCKET = "hp-test-records"


@pytest.fixture
def s3(aws):
    client = aws.client("s3")
    client.create_bucket(Bucket=BUCKET, ObjectLockEnabledForBucket=True)
    return client


def live(s3, bucket=BUCKET):
    return s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]


def retention(mode="COMPLIANCE", days=30):
    return {"bucket": BUCKET, "default_retention": {"mode": mode, "days": days}}


def test_set_default_retention(aws, s3):
    result = aws.run(s3_object_lock.main, retention())

    assert result["changed"] is True
    assert live(s3)["Rule"]["DefaultRetention"]["Mode"] == "COMPLIANCE"
    assert live(s3)["Rule"]["DefaultRetention"]["Days"] == 30
    assert result["object_lock_configuration"] == {"object_lock_enabled": "Enabled", "rule": {"default_retention": {"mode": "COMPLIANCE", "days": 30}}}


def test_no_change_makes_no_mutating_call_despite_years_zero(aws, s3):
    aws.run(s3_object_lock.main, retention())
    assert live(s3)["Rule"]["DefaultRetention"].get("Years") == 0, "moto reports Years: 0 next to Days"
    with aws.recording() as calls:
        result = aws.run(s3_object_lock.main, retention())
    assert result["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_update_mode_and_period(aws, s3):
    aws.run(s3_object_lock.main, retention(mode="GOVERNANCE", days=1))
    result = aws.run(s3_object_lock.main, {"bucket": BUCKET, "default_retention": {"mode": "COMPLIANCE", "years": 6}}, diff=True)
    assert result["changed"] is True
    rule = live(s3)["Rule"]["DefaultRetention"]
    assert rule["Mode"] == "COMPLIANCE"
    assert rule["Years"] == 6
    assert not rule.get("Days")
    assert result["diff"]["before"]["rule"]["default_retention"] == {"mode": "GOVERNANCE", "days": 1}


def test_remove_default_retention_keeps_object_lock(aws, s3):
    aws.run(s3_object_lock.main, retention())
    result = aws.run(s3_object_lock.main, {"bucket": BUCKET, "remove_default_retention": True})
    assert result["changed"] is True
    assert live(s3) == {"ObjectLockEnabled": "Enabled"}
    assert aws.run(s3_object_lock.main, {"bucket": BUCKET, "remove_default_retention": True})["changed"] is False


def test_omitted_retention_is_not_compared(aws, s3):
    aws.run(s3_object_lock.main, retention())
    with aws.recording() as calls:
        result = aws.run(s3_object_lock.main, {"bucket": BUCKET})
    assert result["changed"] is False
    assert aws.mutating(calls) == []


def test_enable_on_a_versioned_bucket(aws):
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="hp-test-later")
    s3.put_bucket_versioning(Bucket="hp-test-later", VersioningConfiguration={"Status": "Enabled"})
    result = aws.run(s3_object_lock.main, {"bucket": "hp-test-later", "default_retention": {"mode": "GOVERNANCE", "days": 1}})
    assert result["changed"] is True
    assert live(s3, "hp-test-later")["ObjectLockEnabled"] == "Enabled"


def test_unversioned_bucket_fails_with_the_reason(aws):
    aws.client("s3").create_bucket(Bucket="hp-test-plain")
    result = aws.run(s3_object_lock.main, {"bucket": "hp-test-plain", "default_retention": {"mode": "GOVERNANCE", "days": 1}})
    assert result.failed
    assert "versioning" in result["msg"]


def test_check_mode_changes_nothing(aws, s3):
    with aws.recording() as calls:
        planned = aws.run(s3_object_lock.main, retention(), check_mode=True)
    assert planned["changed"] is True
    assert aws.mutating(calls) == []
    assert "Rule" not in live(s3)


@pytest.mark.parametrize(
    "default_retention, option",
    [
        ({"mode": "COMPLIANCE"}, "default_retention"),
        ({"mode": "COMPLIANCE", "days": 1, "years": 1}, "default_retention"),
        ({"mode": "COMPLIANCE", "days": 0}, "default_retention.days"),
        ({"mode": "LEGAL", "days": 1}, "mode"),
    ],
)
def test_bad_input_fails_before_any_call(aws, s3, default_retention, option):
    with aws.recording() as calls:
        result = aws.run(s3_object_lock.main, {"bucket": BUCKET, "default_retention": default_retention})
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info_reads_each_bucket(aws, s3):
    s3.create_bucket(Bucket="hp-test-plain")
    aws.run(s3_object_lock.main, retention(days=7))
    result = aws.run(s3_object_lock_info.main, {"buckets": [BUCKET, "hp-test-plain"]})
    assert result["buckets"] == [
        {"name": BUCKET, "object_lock_enabled": True, "default_retention": {"mode": "COMPLIANCE", "days": 7}},
        {"name": "hp-test-plain", "object_lock_enabled": False, "default_retention": {}},
    ]


def test_stubbed_retention_in_years_with_days_zero(stubbed):
    s3 = stubbed("s3")
    configuration = {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 6, "Days": 0}}}
    s3.add_response("get_object_lock_configuration", {"ObjectLockConfiguration": configuration}, {"Bucket": BUCKET})

    result = stubbed.run(s3_object_lock.main, {"bucket": BUCKET, "default_retention": {"mode": "COMPLIANCE", "years": 6}})

    assert result["changed"] is False
    stubbed.assert_all_used()
