# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""backup_selection and backup_selection_info, with botocore's Stubber.

moto 5.2.5 implements none of the backup selection APIs (ListBackupSelections, CreateBackupSelection,
GetBackupSelection and DeleteBackupSelection all answer HTTP 500), so these tests queue the AWS
responses on a Stubber. The Stubber validates every request and every queued response against the
real botocore model, and fails on any call that was not queued: a test that queues only reads proves
that the module made no change.
"""

from __future__ import annotations

import datetime

import pytest
from botocore.stub import ANY

from ansible_collections.healthplatform.aws.plugins.modules import backup_selection
from ansible_collections.healthplatform.aws.plugins.modules import backup_selection_info

PLAN_ID = "8a1f0e54-0c3d-4c1b-9b0a-3f1f1f1f1f1f"
PLAN_NAME = "hp-plan"
SELECTION_ID = "2b5fe0f4-9f80-4dfa-8b2c-1a1f1a1f1a1f"
NEW_ID = "3c6fe0f4-9f80-4dfa-8b2c-1a1f1a1f1a1f"
NAME = "platform-rds-ebs"
ROLE = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
OTHER_ROLE = "arn:aws:iam::123456789012:role/hp-backup"
RESOURCES = ["arn:aws:rds:*:*:db:*", "arn:aws:rds:*:*:cluster:*", "arn:aws:ec2:*:*:volume/*"]
CONDITION = {"ConditionKey": "aws:ResourceTag/Backup", "ConditionValue": "platform"}
WHEN = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)


@pytest.fixture
def backup(stubbed):
    stubber = stubbed("backup")
    calls = []
    stubbed.clients["backup"][0].meta.events.register("before-parameter-build.backup", lambda model, **kw: calls.append(model.name))
    stubber.calls = calls
    return stubber


def args(**extra):
    result = {
        "name": NAME,
        "backup_plan_id": PLAN_ID,
        "iam_role_arn": ROLE,
        "resources": list(RESOURCES),
        "conditions": {"string_equals": [{"condition_key": "aws:ResourceTag/Backup", "condition_value": "platform"}]},
    }
    result.update(extra)
    return {k: v for k, v in result.items() if v is not None}  # None: the option is not given


def api_selection(**extra):
    selection = {"SelectionName": NAME, "IamRoleArn": ROLE, "Resources": list(RESOURCES), "Conditions": {"StringEquals": [CONDITION]}}
    selection.update(extra)
    return selection


def got(selection_id=SELECTION_ID, **extra):
    return {
        "BackupSelection": api_selection(**extra),
        "SelectionId": selection_id,
        "BackupPlanId": PLAN_ID,
        "CreationDate": WHEN,
        "CreatorRequestId": "req-1",
    }


def summary(name=NAME, selection_id=SELECTION_ID):
    return {"SelectionId": selection_id, "SelectionName": name, "BackupPlanId": PLAN_ID, "CreationDate": WHEN, "IamRoleArn": ROLE}


def queue_existing(stubber, **extra):
    stubber.add_response("list_backup_selections", {"BackupSelectionsList": [summary("other", NEW_ID), summary()]}, {"BackupPlanId": PLAN_ID})
    stubber.add_response("get_backup_selection", got(**extra), {"BackupPlanId": PLAN_ID, "SelectionId": SELECTION_ID})


def queue_create(stubber, selection):
    stubber.add_response(
        "create_backup_selection",
        {"SelectionId": NEW_ID, "BackupPlanId": PLAN_ID, "CreationDate": WHEN},
        {"BackupPlanId": PLAN_ID, "BackupSelection": selection, "CreatorRequestId": ANY},
    )
    stubber.add_response("get_backup_selection", dict(got(NEW_ID), BackupSelection=selection), {"BackupPlanId": PLAN_ID, "SelectionId": NEW_ID})


def test_create_in_a_plan_found_by_name(stubbed, backup):
    backup.add_response("list_backup_plans", {"BackupPlansList": [{"BackupPlanName": "other", "BackupPlanId": "x"}], "NextToken": "t"}, {})
    backup.add_response("list_backup_plans", {"BackupPlansList": [{"BackupPlanName": PLAN_NAME, "BackupPlanId": PLAN_ID}]}, {"NextToken": "t"})
    backup.add_response("list_backup_selections", {"BackupSelectionsList": [summary("other", NEW_ID)]}, {"BackupPlanId": PLAN_ID})
    queue_create(backup, api_selection())

    result = stubbed.run(backup_selection.main, args(backup_plan_id=None, backup_plan_name=PLAN_NAME), diff=True)

    assert result["changed"] is True, result
    assert result["replaced"] is False
    assert result["backup_selection"]["selection_id"] == NEW_ID
    body = result["backup_selection"]["backup_selection"]
    assert body["resources"] == RESOURCES
    assert body["conditions"] == {"string_equals": [{"condition_key": "aws:ResourceTag/Backup", "condition_value": "platform"}]}
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["resources"] == sorted(RESOURCES)
    stubbed.assert_all_used()


def test_create_by_list_of_tags(stubbed, backup):
    backup.add_response("list_backup_selections", {"BackupSelectionsList": []}, {"BackupPlanId": PLAN_ID})
    selection = {
        "SelectionName": NAME,
        "IamRoleArn": ROLE,
        "ListOfTags": [
            {"ConditionType": "STRINGEQUALS", "ConditionKey": "Backup", "ConditionValue": "daily"},
            {"ConditionType": "STRINGEQUALS", "ConditionKey": "Backup", "ConditionValue": "phi"},
        ],
        "NotResources": ["arn:aws:ec2:*:*:volume/vol-0scratch"],
    }
    queue_create(backup, selection)
    tags = [{"condition_key": "Backup", "condition_value": "daily"}, {"condition_key": "Backup", "condition_value": "phi"}]

    result = stubbed.run(backup_selection.main, args(resources=[], conditions=None, list_of_tags=tags, not_resources=["arn:aws:ec2:*:*:volume/vol-0scratch"]))

    assert result["changed"] is True, result
    assert [t["condition_value"] for t in result["backup_selection"]["backup_selection"]["list_of_tags"]] == ["daily", "phi"]
    stubbed.assert_all_used()


def test_no_change_queues_only_reads(stubbed, backup):
    # AWS may return the lists in another order and empty groups: not a difference
    queue_existing(backup, Resources=list(reversed(RESOURCES)), NotResources=[], ListOfTags=[], Conditions={"StringEquals": [CONDITION], "StringLike": []})

    result = stubbed.run(backup_selection.main, args())

    assert result["changed"] is False, result
    assert result["replaced"] is False
    assert result["backup_selection"]["selection_id"] == SELECTION_ID
    assert backup.calls == ["ListBackupSelections", "GetBackupSelection"]
    stubbed.assert_all_used()


@pytest.mark.parametrize(
    "change, sent",
    [
        ({"iam_role_arn": OTHER_ROLE}, api_selection(IamRoleArn=OTHER_ROLE)),
        ({"resources": RESOURCES[:2]}, api_selection(Resources=RESOURCES[:2])),
        ({"conditions": None, "resources": ["*"]}, {"SelectionName": NAME, "IamRoleArn": ROLE, "Resources": ["*"]}),
        ({"not_resources": ["arn:aws:ec2:*:*:volume/vol-0scratch"]}, api_selection(NotResources=["arn:aws:ec2:*:*:volume/vol-0scratch"])),
        (
            {"conditions": {"string_equals": [{"condition_key": "aws:ResourceTag/Backup", "condition_value": "phi"}]}},
            api_selection(Conditions={"StringEquals": [dict(CONDITION, ConditionValue="phi")]}),
        ),
    ],
)
def test_difference_replaces(stubbed, backup, change, sent):
    queue_existing(backup)
    backup.add_response("delete_backup_selection", {}, {"BackupPlanId": PLAN_ID, "SelectionId": SELECTION_ID})
    queue_create(backup, sent)

    result = stubbed.run(backup_selection.main, args(**change), diff=True)

    assert result["changed"] is True, result
    assert result["replaced"] is True
    assert result["backup_selection"]["selection_id"] == NEW_ID
    assert result["diff"]["before"] != result["diff"]["after"]
    assert backup.calls == ["ListBackupSelections", "GetBackupSelection", "DeleteBackupSelection", "CreateBackupSelection", "GetBackupSelection"]
    stubbed.assert_all_used()


def test_delete_and_delete_again(stubbed, backup):
    queue_existing(backup)
    backup.add_response("delete_backup_selection", {}, {"BackupPlanId": PLAN_ID, "SelectionId": SELECTION_ID})
    result = stubbed.run(backup_selection.main, {"name": NAME, "backup_plan_id": PLAN_ID, "state": "absent"}, diff=True)
    assert result["changed"] is True, result
    assert result["diff"]["before"]["role"] == ROLE
    stubbed.assert_all_used()

    backup.add_response("list_backup_selections", {"BackupSelectionsList": [summary("other", NEW_ID)]}, {"BackupPlanId": PLAN_ID})
    again = stubbed.run(backup_selection.main, {"name": NAME, "backup_plan_id": PLAN_ID, "state": "absent"})
    assert again["changed"] is False
    stubbed.assert_all_used()


def test_delete_from_a_missing_plan_is_a_no_op(stubbed, backup):
    backup.add_response("list_backup_plans", {"BackupPlansList": []}, {})
    result = stubbed.run(backup_selection.main, {"name": NAME, "backup_plan_name": PLAN_NAME, "state": "absent"})
    assert result["changed"] is False, result

    backup.add_client_error("list_backup_selections", "ResourceNotFoundException", http_status_code=404)
    result = stubbed.run(backup_selection.main, {"name": NAME, "backup_plan_id": PLAN_ID, "state": "absent"})
    assert result["changed"] is False, result
    stubbed.assert_all_used()


def test_missing_plan_fails_but_check_mode_warns(stubbed, backup):
    backup.add_response("list_backup_plans", {"BackupPlansList": []}, {})
    result = stubbed.run(backup_selection.main, args(backup_plan_id=None, backup_plan_name=PLAN_NAME))
    assert result.failed
    assert "backup plan hp-plan does not exist" in result["msg"]

    backup.add_response("list_backup_plans", {"BackupPlansList": []}, {})
    result = stubbed.run(backup_selection.main, args(backup_plan_id=None, backup_plan_name=PLAN_NAME), check_mode=True)
    assert result["changed"] is True, result
    assert "does not exist (yet)" in str(result["warnings"])
    assert backup.calls == ["ListBackupPlans", "ListBackupPlans"]
    stubbed.assert_all_used()


def test_check_mode_makes_no_change(stubbed, backup):
    backup.add_response("list_backup_selections", {"BackupSelectionsList": []}, {"BackupPlanId": PLAN_ID})
    create = stubbed.run(backup_selection.main, args(), check_mode=True)
    queue_existing(backup)
    replace = stubbed.run(backup_selection.main, args(iam_role_arn=OTHER_ROLE), check_mode=True)
    queue_existing(backup)
    delete = stubbed.run(backup_selection.main, {"name": NAME, "backup_plan_id": PLAN_ID, "state": "absent"}, check_mode=True)

    assert create["changed"] is True and create["replaced"] is False
    assert create["backup_selection"]["backup_selection"]["resources"] == RESOURCES
    assert replace["changed"] is True and replace["replaced"] is True
    assert replace["backup_selection"]["backup_selection"]["iam_role_arn"] == OTHER_ROLE
    assert delete["changed"] is True
    assert all(c.startswith(("List", "Get")) for c in backup.calls), backup.calls
    stubbed.assert_all_used()


def test_duplicate_names_fail(stubbed, backup):
    backup.add_response("list_backup_selections", {"BackupSelectionsList": [summary(), summary(selection_id=NEW_ID)]}, {"BackupPlanId": PLAN_ID})
    result = stubbed.run(backup_selection.main, args())
    assert result.failed
    assert "2 selections named 'platform-rds-ebs'" in result["msg"]
    stubbed.assert_all_used()


@pytest.mark.parametrize(
    "change, option",
    [
        ({"name": "bad name"}, "name"),
        ({"name": "x" * 51}, "name"),
        ({"iam_role_arn": None}, "iam_role_arn"),
        ({"iam_role_arn": "AWSBackupDefaultServiceRole"}, "iam_role_arn"),
        ({"resources": ["rds:db:*"]}, "resources[0]"),
        ({"not_resources": ["vol-0123"]}, "not_resources[0]"),
        ({"resources": [], "conditions": None}, "resources"),
        ({"resources": []}, "resources"),
        ({"conditions": {"string_like": [{"condition_key": "Backup", "condition_value": "*"}]}}, "conditions.string_like[0].condition_key"),
        ({"list_of_tags": [{"condition_key": "Backup", "condition_value": "x", "condition_type": "STRINGLIKE"}]}, "condition_type"),
        ({"backup_plan_name": PLAN_NAME}, "backup_plan_id|backup_plan_name"),
        ({"backup_plan_id": None}, "backup_plan_id, backup_plan_name"),
        ({"backup_plan_id": ""}, "backup_plan_id or backup_plan_name"),
    ],
)
def test_bad_input_fails_before_any_call(stubbed, backup, change, option):
    result = stubbed.run(backup_selection.main, args(**change))

    assert result.failed
    assert option in result["msg"]
    assert backup.calls == [], "validation must happen before any API call"


def test_info_lists_selections(stubbed, backup):
    backup.add_response("list_backup_plans", {"BackupPlansList": [{"BackupPlanName": PLAN_NAME, "BackupPlanId": PLAN_ID}]}, {})
    queue_existing(backup)
    result = stubbed.run(backup_selection_info.main, {"backup_plan_name": PLAN_NAME, "names": [NAME]})

    assert result["changed"] is False
    assert result["backup_plan_id"] == PLAN_ID
    (selection,) = result["backup_selections"]
    assert selection["backup_selection"]["selection_name"] == NAME
    assert selection["backup_selection"]["resources"] == RESOURCES
    stubbed.assert_all_used()

    backup.add_response("list_backup_plans", {"BackupPlansList": []}, {})
    missing = stubbed.run(backup_selection_info.main, {"backup_plan_name": "nope"})
    assert missing["backup_selections"] == [] and missing["backup_plan_id"] is None
    stubbed.assert_all_used()
