# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""kms_keys against the moto server (KMS keys, aliases, policies, rotation and tags are emulated)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import kms_keys

ROOT = "arn:aws:iam::123456789012:root"


def policy(sid="Admin", actions=("kms:Describe*", "kms:Get*", "kms:Put*", "kms:List*", "kms:Enable*", "kms:Create*", "kms:TagResource")):
    return {"Version": "2012-10-17", "Statement": [{"Sid": sid, "Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": list(actions), "Resource": "*"}]}


def key(alias, **extra):
    spec = {"alias": alias, "description": f"key {alias}", "policy": json.dumps(policy()), "tags": {"DataClass": alias.rsplit("-", 1)[-1]}}
    spec.update(extra)
    return spec


def two_keys(**extra):
    return {"keys": [key("alias/hp-test-database", **extra), key("alias/hp-test-secrets", **extra)]}


def read(aws, alias):
    kms = aws.client("kms")
    target = next(a["TargetKeyId"] for a in kms.list_aliases()["Aliases"] if a["AliasName"] == alias)
    return {
        "metadata": kms.describe_key(KeyId=target)["KeyMetadata"],
        "policy": json.loads(kms.get_key_policy(KeyId=target, PolicyName="default")["Policy"]),
        "rotation": kms.get_key_rotation_status(KeyId=target)["KeyRotationEnabled"],
        "tags": {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=target)["Tags"]},
    }


def test_create_keys_with_alias_policy_rotation_and_tags(aws):
    result = aws.run(kms_keys.main, two_keys())

    assert result["changed"] is True
    assert set(result["key_arns"]) == {"alias/hp-test-database", "alias/hp-test-secrets"}
    live = read(aws, "alias/hp-test-database")
    assert live["metadata"]["Arn"] == result["key_arns"]["alias/hp-test-database"]
    assert live["metadata"]["KeyState"] == "Enabled"
    assert live["metadata"]["Description"] == "key alias/hp-test-database"
    assert live["policy"] == policy()
    assert live["rotation"] is True
    assert live["tags"] == {"DataClass": "database"}
    assert [k["alias"] for k in result["keys"]] == ["alias/hp-test-database", "alias/hp-test-secrets"]


def test_no_change_makes_no_mutating_call(aws):
    aws.run(kms_keys.main, two_keys())
    with aws.recording() as calls:
        result = aws.run(kms_keys.main, two_keys())

    assert result["changed"] is False
    assert calls, "the module must read the keys"
    assert aws.mutating(calls) == []
    assert all(k["changed"] is False for k in result["keys"])


def test_alias_without_prefix_is_the_same_key(aws):
    first = aws.run(kms_keys.main, {"keys": [key("alias/hp-test-database")]})
    again = aws.run(kms_keys.main, {"keys": [key("hp-test-database", description="key alias/hp-test-database")]})

    assert again["changed"] is False
    assert again["key_arns"] == first["key_arns"]


def test_update_policy_description_rotation_and_tags_in_place(aws):
    first = aws.run(kms_keys.main, two_keys())
    changed_policy = policy(sid="Changed")
    result = aws.run(
        kms_keys.main,
        {
            "keys": [
                key("alias/hp-test-database", description="new text", policy=json.dumps(changed_policy), enable_key_rotation=False, tags={"Owner": "dba"}),
                key("alias/hp-test-secrets"),
            ]
        },
        diff=True,
    )

    assert result["changed"] is True
    assert result["key_arns"] == first["key_arns"], "updates never replace a key"
    assert [k["changed"] for k in result["keys"]] == [True, False]
    live = read(aws, "alias/hp-test-database")
    assert live["metadata"]["Description"] == "new text"
    assert live["policy"] == changed_policy
    assert live["rotation"] is False
    assert live["tags"] == {"Owner": "dba"}
    assert result["diff"]["before"]["alias/hp-test-database"]["enable_key_rotation"] is True
    assert result["diff"]["after"]["alias/hp-test-database"]["enable_key_rotation"] is False
    assert "alias/hp-test-secrets" not in result["diff"]["after"]


def test_policy_compared_as_a_policy_not_as_text(aws):
    aws.run(kms_keys.main, {"keys": [key("alias/hp-test-database")]})
    reordered = policy()
    reordered["Statement"][0]["Action"] = list(reversed(reordered["Statement"][0]["Action"]))
    with aws.recording() as calls:
        result = aws.run(kms_keys.main, {"keys": [key("alias/hp-test-database", policy=json.dumps(reordered, indent=4))]})

    assert result["changed"] is False
    assert aws.mutating(calls) == []


def test_disable_and_enable(aws):
    aws.run(kms_keys.main, {"keys": [key("alias/hp-test-database")]})
    disabled = aws.run(kms_keys.main, {"keys": [key("alias/hp-test-database", enabled=False)]})
    assert disabled["changed"] is True
    assert read(aws, "alias/hp-test-database")["metadata"]["KeyState"] == "Disabled"

    enabled = aws.run(kms_keys.main, {"keys": [key("alias/hp-test-database")]})
    assert enabled["changed"] is True
    assert read(aws, "alias/hp-test-database")["metadata"]["KeyState"] == "Enabled"


def test_schedule_deletion_and_bring_back(aws):
    aws.run(kms_keys.main, two_keys())
    deleted = aws.run(kms_keys.main, {"keys": [key("alias/hp-test-database")], "state": "absent", "pending_window_days": 7})
    assert deleted["changed"] is True
    assert read(aws, "alias/hp-test-database")["metadata"]["KeyState"] == "PendingDeletion"
    assert read(aws, "alias/hp-test-secrets")["metadata"]["KeyState"] == "Enabled", "keys not listed are left alone"
    assert deleted["key_arns"] == {}

    again = aws.run(kms_keys.main, {"keys": [key("alias/hp-test-database")], "state": "absent"})
    assert again["changed"] is False

    back = aws.run(kms_keys.main, {"keys": [key("alias/hp-test-database")]})
    assert back["changed"] is True
    live = read(aws, "alias/hp-test-database")
    assert live["metadata"]["KeyState"] == "Enabled"
    assert live["rotation"] is True
    assert aws.run(kms_keys.main, {"keys": [key("alias/hp-test-database")]})["changed"] is False


def test_absent_of_an_unknown_alias_is_a_no_op(aws):
    with aws.recording() as calls:
        result = aws.run(kms_keys.main, {"keys": [key("alias/hp-test-nothing")], "state": "absent"})
    assert result["changed"] is False
    assert aws.mutating(calls) == []


def test_check_mode_create_update_and_delete_change_nothing(aws):
    with aws.recording() as calls:
        planned = aws.run(kms_keys.main, two_keys(), check_mode=True)
    assert planned["changed"] is True
    assert planned["keys"][0]["enable_key_rotation"] is True
    assert aws.mutating(calls) == []
    assert not [a for a in aws.client("kms").list_aliases()["Aliases"] if a["AliasName"].startswith("alias/hp-test")]

    aws.run(kms_keys.main, two_keys())
    before = read(aws, "alias/hp-test-database")
    with aws.recording() as calls:
        update = aws.run(kms_keys.main, {"keys": [key("alias/hp-test-database", description="other", tags={"X": "y"})]}, check_mode=True)
        delete = aws.run(kms_keys.main, {"keys": [key("alias/hp-test-database")], "state": "absent"}, check_mode=True)
    assert update["changed"] is True
    assert update["keys"][0]["description"] == "other"
    assert delete["changed"] is True
    assert aws.mutating(calls) == []
    assert read(aws, "alias/hp-test-database") == before


def test_key_spec_cannot_change(aws):
    aws.run(kms_keys.main, {"keys": [key("alias/hp-test-database")]})
    result = aws.run(kms_keys.main, {"keys": [key("alias/hp-test-database", key_usage="SIGN_VERIFY")]})
    assert result.failed
    assert "key_usage" in result["msg"]


@pytest.mark.parametrize(
    "keys, extra, option",
    [
        ([key("alias/aws/ebs")], {}, "keys[0].alias"),
        ([key("alias/bad alias")], {}, "keys[0].alias"),
        ([key("alias/hp-twice"), key("hp-twice")], {}, "keys[1].alias"),
        ([key("alias/hp-test", policy="not json")], {}, "keys[0].policy"),
        ([key("alias/hp-test", policy=json.dumps({"Version": "2012-10-17"}))], {}, "keys[0].policy"),
        ([key("alias/hp-test")], {"pending_window_days": 3}, "pending_window_days"),
    ],
)
def test_bad_input_fails_before_any_call(aws, keys, extra, option):
    with aws.recording() as calls:
        result = aws.run(kms_keys.main, {"keys": keys, **extra})
    assert result.failed
    assert option in result["msg"]
    assert calls == [], "validation must happen before any API call"
