# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""iam_managed_policies and iam_groups against the moto server (IAM is emulated).

One path with botocore's Stubber (it validates every request against the real IAM model
and fails on any call not queued): moving a group to another path, because moto's
UpdateGroup ignores NewPath.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import iam_groups
from ansible_collections.healthplatform.aws.plugins.modules import iam_managed_policies

PATH = "/healthplatform/test/"


def document(action="s3:GetObject", resource="arn:aws:s3:::hp-test/*"):
    return {"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": action, "Resource": resource}]}


def policy(name, **extra):
    spec = {"name": name, "path": PATH, "description": f"policy {name}", "document": json.dumps(document()), "tags": {"Platform": "hp"}}
    spec.update(extra)
    return spec


def two_policies():
    return {"policies": [policy("hp-test-a"), policy("hp-test-b")]}


def live_policy(aws, name):
    iam = aws.client("iam")
    found = [p for p in iam.list_policies(Scope="Local")["Policies"] if p["PolicyName"] == name]
    if not found:
        return None
    arn = found[0]["Arn"]
    meta = iam.get_policy(PolicyArn=arn)["Policy"]
    meta["Document"] = iam.get_policy_version(PolicyArn=arn, VersionId=meta["DefaultVersionId"])["PolicyVersion"]["Document"]
    meta["Versions"] = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    meta["TagsDict"] = {t["Key"]: t["Value"] for t in iam.list_policy_tags(PolicyArn=arn)["Tags"]}
    return meta


# ---- iam_managed_policies ---------------------------------------------------------------


def test_create_policies(aws):
    result = aws.run(iam_managed_policies.main, two_policies())

    assert result["changed"] is True
    live = live_policy(aws, "hp-test-a")
    assert live["Path"] == PATH
    assert live["Document"] == document()
    assert live["TagsDict"] == {"Platform": "hp"}
    assert result["policy_arns"]["hp-test-a"] == live["Arn"]
    assert live["Arn"].endswith(":policy/healthplatform/test/hp-test-a")


def test_no_change_makes_no_mutating_call(aws):
    aws.run(iam_managed_policies.main, two_policies())
    with aws.recording() as calls:
        result = aws.run(iam_managed_policies.main, two_policies())
    assert result["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_changed_document_becomes_the_new_default_version(aws):
    aws.run(iam_managed_policies.main, two_policies())
    new = document(action=["s3:GetObject", "s3:ListBucket"], resource=["arn:aws:s3:::hp-test", "arn:aws:s3:::hp-test/*"])
    result = aws.run(iam_managed_policies.main, {"policies": [policy("hp-test-a", document=json.dumps(new))]}, diff=True)

    assert result["changed"] is True
    live = live_policy(aws, "hp-test-a")
    assert live["Document"] == new
    assert live["DefaultVersionId"] == "v2"
    assert result["diff"]["before"]["hp-test-a"]["document"] == document()
    assert result["diff"]["after"]["hp-test-a"]["document"] == new


def test_oldest_version_is_dropped_at_five(aws):
    aws.run(iam_managed_policies.main, {"policies": [policy("hp-test-a")]})
    for index in range(6):
        aws.run(iam_managed_policies.main, {"policies": [policy("hp-test-a", document=json.dumps(document(resource=f"arn:aws:s3:::hp-{index}/*")))]})
    live = live_policy(aws, "hp-test-a")
    assert len(live["Versions"]) == 5
    assert live["Document"] == document(resource="arn:aws:s3:::hp-5/*")


def test_tags_update_and_purge(aws):
    aws.run(iam_managed_policies.main, two_policies())
    result = aws.run(iam_managed_policies.main, {"policies": [policy("hp-test-a", tags={"Owner": "security"})]})
    assert result["changed"] is True
    assert live_policy(aws, "hp-test-a")["TagsDict"] == {"Owner": "security"}


def test_path_cannot_change(aws):
    aws.run(iam_managed_policies.main, two_policies())
    result = aws.run(iam_managed_policies.main, {"policies": [policy("hp-test-a", path="/other/")]})
    assert result.failed
    assert "path" in result["msg"]


def test_delete_refuses_an_attached_policy_then_deletes(aws):
    created = aws.run(iam_managed_policies.main, two_policies())
    aws.run(iam_managed_policies.main, {"policies": [policy("hp-test-a", document=json.dumps(document(resource="arn:aws:s3:::x/*")))]})
    iam = aws.client("iam")
    iam.create_group(GroupName="hp-test-group")
    iam.attach_group_policy(GroupName="hp-test-group", PolicyArn=created["policy_arns"]["hp-test-a"])

    refused = aws.run(iam_managed_policies.main, {"policies": [policy("hp-test-a")], "state": "absent"})
    assert refused.failed
    assert "group hp-test-group" in refused["msg"]

    iam.detach_group_policy(GroupName="hp-test-group", PolicyArn=created["policy_arns"]["hp-test-a"])
    deleted = aws.run(iam_managed_policies.main, {"policies": [policy("hp-test-a")], "state": "absent"})
    assert deleted["changed"] is True
    assert live_policy(aws, "hp-test-a") is None
    assert live_policy(aws, "hp-test-b") is not None, "policies not listed are left alone"
    assert aws.run(iam_managed_policies.main, {"policies": [policy("hp-test-a")], "state": "absent"})["changed"] is False


def test_check_mode_changes_nothing(aws):
    with aws.recording() as calls:
        planned = aws.run(iam_managed_policies.main, two_policies(), check_mode=True)
    assert planned["changed"] is True
    assert aws.mutating(calls) == []
    assert live_policy(aws, "hp-test-a") is None

    aws.run(iam_managed_policies.main, two_policies())
    with aws.recording() as calls:
        update = aws.run(iam_managed_policies.main, {"policies": [policy("hp-test-a", document=json.dumps(document(action="s3:PutObject")))]}, check_mode=True)
        delete = aws.run(iam_managed_policies.main, {"policies": [policy("hp-test-b")], "state": "absent"}, check_mode=True)
    assert update["changed"] is True and delete["changed"] is True
    assert aws.mutating(calls) == []
    assert live_policy(aws, "hp-test-a")["Document"] == document()


@pytest.mark.parametrize(
    "policies, option",
    [
        ([policy("bad name!")], "policies[0].name"),
        ([policy("hp-a"), policy("hp-a")], "policies[1].name"),
        ([policy("hp-a", path="no-slashes")], "policies[0].path"),
        ([policy("hp-a", document="{not json")], "policies[0].document"),
        ([policy("hp-a", document=json.dumps({"Version": "2012-10-17"}))], "policies[0].document"),
        ([policy("hp-a", document=None)], "policies[0].document"),
    ],
)
def test_bad_input_fails_before_any_call(aws, policies, option):
    with aws.recording() as calls:
        result = aws.run(iam_managed_policies.main, {"policies": policies})
    assert result.failed
    assert option in result["msg"]
    assert calls == []


# ---- iam_groups --------------------------------------------------------------------------


@pytest.fixture
def arns(aws):
    return aws.run(iam_managed_policies.main, two_policies())["policy_arns"]


def group(name, policies, **extra):
    spec = {"name": name, "path": PATH, "managed_policies": policies}
    spec.update(extra)
    return spec


def live_group(aws, name):
    iam = aws.client("iam")
    try:
        found = iam.get_group(GroupName=name)
    except iam.exceptions.NoSuchEntityException:
        return None
    attached = sorted(p["PolicyArn"] for p in iam.list_attached_group_policies(GroupName=name)["AttachedPolicies"])
    return {"path": found["Group"]["Path"], "attached": attached, "users": [u["UserName"] for u in found["Users"]]}


def test_groups_created_with_their_policies(aws, arns):
    result = aws.run(
        iam_groups.main, {"groups": [group("hp-test-security", [arns["hp-test-a"], arns["hp-test-b"]]), group("hp-test-dba", [arns["hp-test-a"]])]}
    )

    assert result["changed"] is True
    assert live_group(aws, "hp-test-security") == {"path": PATH, "attached": sorted([arns["hp-test-a"], arns["hp-test-b"]]), "users": []}
    assert live_group(aws, "hp-test-dba")["attached"] == [arns["hp-test-a"]]
    assert result["groups"][0]["arn"].endswith(":group/healthplatform/test/hp-test-security")


def test_groups_no_change_makes_no_mutating_call(aws, arns):
    args = {"groups": [group("hp-test-security", [arns["hp-test-a"]])]}
    aws.run(iam_groups.main, args)
    with aws.recording() as calls:
        result = aws.run(iam_groups.main, args)
    assert result["changed"] is False
    assert aws.mutating(calls) == []


def test_groups_attach_detach_and_keep(aws, arns):
    aws.run(iam_groups.main, {"groups": [group("hp-test-security", [arns["hp-test-a"]])]})
    swapped = aws.run(iam_groups.main, {"groups": [group("hp-test-security", [arns["hp-test-b"]])]}, diff=True)
    assert swapped["changed"] is True
    assert live_group(aws, "hp-test-security")["attached"] == [arns["hp-test-b"]]
    assert swapped["diff"]["before"]["hp-test-security"]["attached_policies"] == [arns["hp-test-a"]]

    kept = aws.run(iam_groups.main, {"groups": [group("hp-test-security", [arns["hp-test-a"]], purge_policies=False)]})
    assert kept["changed"] is True
    assert live_group(aws, "hp-test-security")["attached"] == sorted([arns["hp-test-a"], arns["hp-test-b"]])


def test_stubbed_group_path_is_updated(stubbed):
    iam = stubbed("iam")
    old = {"Path": PATH, "GroupName": "hp-test-security", "GroupId": "AGPA0000000000EXAMPLE", "Arn": f"arn:aws:iam::123456789012:group{PATH}hp-test-security"}
    old["CreateDate"] = "2024-01-01T00:00:00Z"
    new = dict(old, Path="/other/", Arn="arn:aws:iam::123456789012:group/other/hp-test-security")
    iam.add_response("get_group", {"Group": old, "Users": []}, {"GroupName": "hp-test-security", "MaxItems": 1})
    iam.add_response("list_attached_group_policies", {"AttachedPolicies": []}, {"GroupName": "hp-test-security"})
    iam.add_response("update_group", {}, {"GroupName": "hp-test-security", "NewPath": "/other/"})
    iam.add_response("get_group", {"Group": new, "Users": []}, {"GroupName": "hp-test-security", "MaxItems": 1})

    result = stubbed.run(iam_groups.main, {"groups": [group("hp-test-security", [], path="/other/")]})

    assert result["changed"] is True
    assert result["groups"][0]["path"] == "/other/"
    stubbed.assert_all_used()


def test_group_delete_detaches_and_removes_members(aws, arns):
    aws.run(iam_groups.main, {"groups": [group("hp-test-security", [arns["hp-test-a"]])]})
    iam = aws.client("iam")
    iam.create_user(UserName="alice")
    iam.add_user_to_group(GroupName="hp-test-security", UserName="alice")
    iam.put_group_policy(GroupName="hp-test-security", PolicyName="inline", PolicyDocument=json.dumps(document()))

    result = aws.run(iam_groups.main, {"groups": [group("hp-test-security", [])], "state": "absent"})
    assert result["changed"] is True
    assert live_group(aws, "hp-test-security") is None
    assert iam.get_user(UserName="alice")["User"]["UserName"] == "alice", "the members themselves stay"
    assert aws.run(iam_groups.main, {"groups": [group("hp-test-security", [])], "state": "absent"})["changed"] is False


def test_groups_check_mode_changes_nothing(aws, arns):
    with aws.recording() as calls:
        planned = aws.run(iam_groups.main, {"groups": [group("hp-test-security", [arns["hp-test-a"]])]}, check_mode=True)
    assert planned["changed"] is True
    assert planned["groups"][0]["attached_policies"] == [arns["hp-test-a"]]
    assert aws.mutating(calls) == []
    assert live_group(aws, "hp-test-security") is None

    aws.run(iam_groups.main, {"groups": [group("hp-test-security", [arns["hp-test-a"]])]})
    with aws.recording() as calls:
        swap = aws.run(iam_groups.main, {"groups": [group("hp-test-security", [arns["hp-test-b"]])]}, check_mode=True)
        delete = aws.run(iam_groups.main, {"groups": [group("hp-test-security", [])], "state": "absent"}, check_mode=True)
    assert swap["changed"] is True and delete["changed"] is True
    assert aws.mutating(calls) == []
    assert live_group(aws, "hp-test-security")["attached"] == [arns["hp-test-a"]]


@pytest.mark.parametrize(
    "groups, option",
    [
        ([group("bad name!", [])], "groups[0].name"),
        ([group("hp-g", []), group("hp-g", [])], "groups[1].name"),
        ([group("hp-g", [], path="x")], "groups[0].path"),
        ([group("hp-g", ["not-an-arn"])], "groups[0].managed_policies"),
    ],
)
def test_groups_bad_input_fails_before_any_call(aws, groups, option):
    with aws.recording() as calls:
        result = aws.run(iam_groups.main, {"groups": groups})
    assert result.failed
    assert option in result["msg"]
    assert calls == []
