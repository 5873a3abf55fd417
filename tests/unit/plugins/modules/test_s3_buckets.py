# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""s3_buckets against the moto server (bucket versioning, encryption, Block Public Access,
ownership controls, policies, Object Lock, lifecycle and tags are emulated; moto reports an
Object Lock retention with Years: 0 next to Days, the quirk the module compares around)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import s3_buckets

RECORDS = "hp-test-records"
CONTENT = "hp-test-content"


@pytest.fixture
def key(aws):
    return aws.client("kms").create_key()["KeyMetadata"]


def tls_only(name):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }


RULES = [
    {
        "id": "to-cheaper-classes",
        "status": "Enabled",
        "filter": {"prefix": ""},
        "transitions": [{"days": 90, "storage_class": "STANDARD_IA"}, {"days": 365, "storage_class": "GLACIER"}],
        "noncurrent_version_transitions": [{"noncurrent_days": 30, "storage_class": "GLACIER"}],
        "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
    }
]


def records(key, **extra):
    spec = {
        "name": RECORDS,
        "encryption": {"kms_key_id": key["Arn"]},
        "policy": json.dumps(tls_only(RECORDS)),
        "object_lock": {"mode": "GOVERNANCE", "days": 1},
        "lifecycle_rules": RULES,
        "tags": {"DataClass": "records"},
    }
    spec.update(extra)
    return spec


def content(key, **extra):
    spec = {"name": CONTENT, "encryption": {"kms_key_id": key["Arn"]}, "tags": {"DataClass": "content"}}
    spec.update(extra)
    return spec


def live(aws, name):
    s3 = aws.client("s3")
    result = {
        "versioning": s3.get_bucket_versioning(Bucket=name).get("Status"),
        "encryption": s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][0],
        "block": s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"],
        "ownership": s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"][0]["ObjectOwnership"],
    }
    try:
        result["tags"] = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=name)["TagSet"]}
    except s3.exceptions.ClientError:
        result["tags"] = None
    try:
        result["policy"] = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
    except s3.exceptions.ClientError:
        result["policy"] = None
    try:
        result["lock"] = s3.get_object_lock_configuration(Bucket=name)["ObjectLockConfiguration"]
    except s3.exceptions.ClientError:
        result["lock"] = None
    try:
        result["lifecycle"] = s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
    except s3.exceptions.ClientError:
        result["lifecycle"] = None
    return result


def test_create_buckets_with_every_setting(aws, key):
    result = aws.run(s3_buckets.main, {"buckets": [records(key), content(key)]})

    assert result["changed"] is True
    state = live(aws, RECORDS)
    assert state["versioning"] == "Enabled"
    assert state["encryption"]["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key["Arn"]}
    assert state["encryption"]["BucketKeyEnabled"] is True
    assert all(state["block"].values()) and len(state["block"]) == 4
    assert state["ownership"] == "BucketOwnerEnforced"
    assert state["policy"] == tls_only(RECORDS)
    assert state["lock"]["ObjectLockEnabled"] == "Enabled"
    assert state["lock"]["Rule"]["DefaultRetention"]["Mode"] == "GOVERNANCE"
    assert state["lock"]["Rule"]["DefaultRetention"]["Days"] == 1
    assert [r["ID"] for r in state["lifecycle"]] == ["to-cheaper-classes"]
    assert state["tags"] == {"DataClass": "records"}
    other = live(aws, CONTENT)
    assert other["lock"] is None and other["policy"] is None and other["lifecycle"] is None
    assert [b["name"] for b in result["buckets"]] == [RECORDS, CONTENT]


def test_no_change_makes_no_mutating_call(aws, key):
    aws.run(s3_buckets.main, {"buckets": [records(key), content(key)]})
    with aws.recording() as calls:
        result = aws.run(s3_buckets.main, {"buckets": [records(key), content(key)]})
    assert result["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_updates_in_place(aws, key):
    aws.run(s3_buckets.main, {"buckets": [records(key)]})
    other = aws.client("kms").create_key()["KeyMetadata"]
    rules = [dict(RULES[0], transitions=[{"days": 30, "storage_class": "STANDARD_IA"}])]
    result = aws.run(
        s3_buckets.main,
        {
            "buckets": [
                records(
                    key, encryption={"kms_key_id": other["Arn"]}, object_lock={"mode": "COMPLIANCE", "years": 6}, lifecycle_rules=rules, tags={"Owner": "dba"}
                )
            ]
        },
        diff=True,
    )
    assert result["changed"] is True
    state = live(aws, RECORDS)
    assert state["encryption"]["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] == other["Arn"]
    assert state["lock"]["Rule"]["DefaultRetention"]["Mode"] == "COMPLIANCE"
    assert state["lock"]["Rule"]["DefaultRetention"]["Years"] == 6
    assert state["lifecycle"][0]["Transitions"] == [{"Days": 30, "StorageClass": "STANDARD_IA"}]
    assert state["tags"] == {"Owner": "dba"}
    assert result["diff"]["before"][RECORDS]["object_lock"]["default_retention"] == {"mode": "GOVERNANCE", "days": 1}


def test_object_lock_on_an_existing_bucket_turns_versioning_on(aws, key):
    aws.client("s3").create_bucket(Bucket=CONTENT)
    result = aws.run(s3_buckets.main, {"buckets": [content(key, versioning=False, object_lock={"mode": "GOVERNANCE", "days": 3})]})
    assert result["changed"] is True
    state = live(aws, CONTENT)
    assert state["versioning"] == "Enabled"
    assert state["lock"]["Rule"]["DefaultRetention"]["Days"] == 3


def test_public_access_block_off_and_versioning_suspended(aws, key):
    aws.run(s3_buckets.main, {"buckets": [content(key)]})
    result = aws.run(s3_buckets.main, {"buckets": [content(key, versioning=False, public_access_block=False)]})
    assert result["changed"] is True
    s3 = aws.client("s3")
    assert s3.get_bucket_versioning(Bucket=CONTENT)["Status"] == "Suspended"
    with pytest.raises(s3.exceptions.ClientError):
        s3.get_public_access_block(Bucket=CONTENT)


def test_empty_lifecycle_removes_it(aws, key):
    aws.run(s3_buckets.main, {"buckets": [records(key)]})
    result = aws.run(s3_buckets.main, {"buckets": [records(key, lifecycle_rules=[])]})
    assert result["changed"] is True
    assert live(aws, RECORDS)["lifecycle"] is None


def test_settings_not_given_are_not_compared(aws, key):
    aws.run(s3_buckets.main, {"buckets": [records(key)]})
    with aws.recording() as calls:
        result = aws.run(s3_buckets.main, {"buckets": [{"name": RECORDS, "encryption": {"kms_key_id": key["Arn"]}}]})
    assert result["changed"] is False
    assert aws.mutating(calls) == []


def test_sse_s3(aws):
    result = aws.run(s3_buckets.main, {"buckets": [{"name": CONTENT, "encryption": {"sse_algorithm": "AES256"}}]})
    assert result["changed"] is True
    assert live(aws, CONTENT)["encryption"]["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert aws.run(s3_buckets.main, {"buckets": [{"name": CONTENT, "encryption": {"sse_algorithm": "AES256"}}]})["changed"] is False


def test_delete_and_delete_again(aws, key):
    aws.run(s3_buckets.main, {"buckets": [content(key)]})
    result = aws.run(s3_buckets.main, {"buckets": [{"name": CONTENT}], "state": "absent"})
    assert result["changed"] is True
    assert CONTENT not in [b["Name"] for b in aws.client("s3").list_buckets()["Buckets"]]
    assert aws.run(s3_buckets.main, {"buckets": [{"name": CONTENT}], "state": "absent"})["changed"] is False


def test_check_mode_changes_nothing(aws, key):
    with aws.recording() as calls:
        create = aws.run(s3_buckets.main, {"buckets": [records(key)]}, check_mode=True)
    assert create["changed"] is True
    assert create["buckets"][0]["object_lock"]["default_retention"] == {"mode": "GOVERNANCE", "days": 1}
    assert aws.mutating(calls) == []
    assert aws.client("s3").list_buckets()["Buckets"] == []

    aws.run(s3_buckets.main, {"buckets": [records(key)]})
    before = live(aws, RECORDS)
    with aws.recording() as calls:
        update = aws.run(s3_buckets.main, {"buckets": [records(key, tags={"X": "y"}, object_lock={"mode": "COMPLIANCE", "days": 9})]}, check_mode=True)
        delete = aws.run(s3_buckets.main, {"buckets": [{"name": RECORDS}], "state": "absent"}, check_mode=True)
    assert update["changed"] is True and delete["changed"] is True
    assert aws.mutating(calls) == []
    assert live(aws, RECORDS) == before


@pytest.mark.parametrize(
    "bucket, option",
    [
        ({"name": "Not_A_Bucket"}, "buckets[0].name"),
        ({"name": "hp-x", "encryption": {"sse_algorithm": "aws:kms"}}, "buckets[0].encryption.kms_key_id"),
        ({"name": "hp-x", "encryption": {"sse_algorithm": "aws:kms", "kms_key_id": "my key"}}, "buckets[0].encryption.kms_key_id"),
        ({"name": "hp-x", "policy": "{not json"}, "buckets[0].policy"),
        ({"name": "hp-x", "object_lock": {"mode": "COMPLIANCE", "days": 1, "years": 1}}, "buckets[0].object_lock"),
        ({"name": "hp-x", "object_lock": {"days": 1}}, "buckets[0].object_lock.mode"),
        ({"name": "hp-x", "object_lock": {"mode": "COMPLIANCE", "days": 0}}, "buckets[0].object_lock.days"),
        ({"name": "hp-x", "lifecycle_rules": [{"status": "Enabled"}]}, "buckets[0].lifecycle_rules[0]"),
    ],
)
def test_bad_input_fails_before_any_call(aws, bucket, option):
    with aws.recording() as calls:
        result = aws.run(s3_buckets.main, {"buckets": [bucket]})
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_the_same_bucket_twice_fails(aws, key):
    result = aws.run(s3_buckets.main, {"buckets": [content(key), content(key)]})
    assert result.failed
    assert "buckets[1].name" in result["msg"]
