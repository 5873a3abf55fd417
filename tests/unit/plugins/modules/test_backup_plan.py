# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""backup_plan and backup_plan_info.

Against the moto server: create, no-op, tags, delete, check mode, bad input and the info module
(moto 5.2.5 emulates CreateBackupPlan, GetBackupPlan, ListBackupPlans, DeleteBackupPlan, ListTags,
TagResource and UntagResource, and fills in AWS's defaults for omitted rule fields).

With botocore's Stubber, because moto cannot produce them:
- the rule update path: moto's UpdateBackupPlan answers HTTP 500;
- deleting a plan that still has selections, and check-mode deletion (which lists the selections):
  moto has no ListBackupSelections (HTTP 500) and no selections to refuse a deletion for;
- two plans of the same name: moto refuses the second CreateBackupPlan (AWS allows it);
- fields of a rule that the module does not manage (index actions, archive opt-in, scan settings),
  which moto does not keep.
The Stubber validates every request and every queued response against the real botocore model, and
fails on any call that was not queued: a test that queues only reads proves that nothing changed.
"""

from __future__ import annotations

import datetime

import pytest
from botocore.stub import ANY

from ansible_collections.healthplatform.aws.plugins.modules import backup_plan
from ansible_collections.healthplatform.aws.plugins.modules import backup_plan_info

NAME = "hp-test-plan"
VAULT = "hp-test-vault"
COPY_VAULT_ARN = "arn:aws:backup:us-west-2:123456789012:backup-vault:hp-test-vault-copy"


def daily(**extra):
    rule = {
        "name": "daily",
        "target_vault_name": VAULT,
        "schedule": "cron(0 5 ? * * *)",
        "schedule_timezone": "UTC",
        "start_window_minutes": 60,
        "completion_window_minutes": 720,
        "lifecycle": {"delete_after_days": 35},
        "recovery_point_tags": {"Tier": "daily", "DataClass": "phi"},
        "copy_actions": [{"destination_vault_arn": COPY_VAULT_ARN, "lifecycle": {"delete_after_days": 35}}],
    }
    rule.update(extra)
    return {k: v for k, v in rule.items() if v is not None}


def weekly(**extra):
    rule = {
        "name": "weekly",
        "target_vault_name": VAULT,
        "schedule": "cron(0 5 ? * SUN *)",
        "lifecycle": {"move_to_cold_storage_after_days": 30, "delete_after_days": 180},
    }
    rule.update(extra)
    return rule


def plan_args(**extra):
    args = {"name": NAME, "rules": [daily(), weekly()], "tags": {"Environment": "test", "Owner": "ops"}}
    args.update(extra)
    return {k: v for k, v in args.items() if v is not None}  # None: the option is not given


def plans(aws):
    return {p["BackupPlanName"]: p for p in aws.client("backup").list_backup_plans()["BackupPlansList"]}


def live(aws, name=NAME):
    client = aws.client("backup")
    plan = client.get_backup_plan(BackupPlanId=plans(aws)[name]["BackupPlanId"])
    plan["Tags"] = client.list_tags(ResourceArn=plan["BackupPlanArn"])["Tags"]
    plan["ByName"] = {r["RuleName"]: r for r in plan["BackupPlan"]["Rules"]}
    return plan


# --- moto: create / no-op / tags / delete ----------------------------------------------


def test_create(aws):
    result = aws.run(backup_plan.main, plan_args(), diff=True)

    assert result["changed"] is True, result
    plan = live(aws)
    assert len(plan["CreatorRequestId"]) == 36, "created with an idempotency token"
    assert plan["Tags"] == {"Environment": "test", "Owner": "ops"}
    rule = plan["ByName"]["daily"]
    assert rule["TargetBackupVaultName"] == VAULT
    assert rule["ScheduleExpression"] == "cron(0 5 ? * * *)"
    assert (rule["StartWindowMinutes"], rule["CompletionWindowMinutes"]) == (60, 720)
    assert rule["Lifecycle"] == {"DeleteAfterDays": 35}
    assert rule["RecoveryPointTags"] == {"Tier": "daily", "DataClass": "phi"}
    assert rule["CopyActions"] == [{"DestinationBackupVaultArn": COPY_VAULT_ARN, "Lifecycle": {"DeleteAfterDays": 35}}]
    assert plan["ByName"]["weekly"]["Lifecycle"] == {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 180}

    returned = result["backup_plan"]
    assert returned["backup_plan_id"] == plan["BackupPlanId"]
    assert returned["backup_plan_arn"] == plan["BackupPlanArn"]
    assert returned["version_id"] == plan["VersionId"]
    assert returned["tags"] == {"Environment": "test", "Owner": "ops"}
    by_name = {r["rule_name"]: r for r in returned["rules"]}
    assert by_name["daily"]["recovery_point_tags"] == {"Tier": "daily", "DataClass": "phi"}, "tag keys are returned verbatim"
    assert by_name["daily"]["copy_actions"][0]["destination_backup_vault_arn"] == COPY_VAULT_ARN
    assert by_name["weekly"]["lifecycle"] == {"move_to_cold_storage_after_days": 30, "delete_after_days": 180}
    assert sorted(result["changes"]) == ["rule daily added", "rule weekly added"]
    assert result["diff"]["before"] == {}
    assert [r["rule_name"] for r in result["diff"]["after"]["rules"]] == ["daily", "weekly"]


def test_no_change_makes_no_mutating_call(aws):
    aws.run(backup_plan.main, plan_args())
    version = live(aws)["VersionId"]
    # Rules in another order, and "Etc/UTC" for the "UTC" the plan was created with: the same plan.
    again = plan_args(rules=[weekly(), daily(schedule_timezone="Etc/UTC")])
    with aws.recording() as calls:
        result = aws.run(backup_plan.main, again)

    assert result["changed"] is False, result
    assert result["changes"] == []
    assert calls, "the module must read the plan"
    assert aws.mutating(calls) == []
    assert live(aws)["VersionId"] == version


def test_recovery_point_tags_with_upper_case_keys_are_a_no_op_on_the_second_run(aws):
    args = plan_args(rules=[daily(recovery_point_tags={"Tier": "gold", "BackupClass": "PHI"})])
    aws.run(backup_plan.main, args)
    version = live(aws)["VersionId"]
    with aws.recording() as calls:
        result = aws.run(backup_plan.main, args)

    assert result["changed"] is False, result
    assert aws.mutating(calls) == []
    assert live(aws)["VersionId"] == version, "no new plan version"
    assert result["backup_plan"]["rules"][0]["recovery_point_tags"] == {"Tier": "gold", "BackupClass": "PHI"}
    assert live(aws)["ByName"]["daily"]["RecoveryPointTags"] == {"Tier": "gold", "BackupClass": "PHI"}


def test_omitted_rule_fields_keep_what_aws_filled_in(aws):
    minimal = {"name": NAME, "rules": [{"name": "daily", "target_vault_name": VAULT}]}
    aws.run(backup_plan.main, minimal)
    rule = live(aws)["ByName"]["daily"]
    assert rule["StartWindowMinutes"] == 480 and rule["ScheduleExpression"] == "cron(0 5 ? * * *)", "moto fills AWS's defaults"

    with aws.recording() as calls:
        result = aws.run(backup_plan.main, minimal)

    assert result["changed"] is False, result
    assert aws.mutating(calls) == []


def test_update_tags_only_touches_tags(aws):
    aws.run(backup_plan.main, plan_args())
    version = live(aws)["VersionId"]
    with aws.recording() as calls:
        result = aws.run(backup_plan.main, plan_args(tags={"Environment": "prod"}), diff=True)

    assert result["changed"] is True
    assert result["changes"] == ["tags"]
    assert sorted(aws.mutating(calls)) == ["backup:TagResource", "backup:UntagResource"]
    plan = live(aws)
    assert plan["Tags"] == {"Environment": "prod"}
    assert plan["VersionId"] == version, "a tag change is not a new plan version"
    assert result["backup_plan"]["tags"] == {"Environment": "prod"}
    assert result["diff"]["before"]["tags"] == {"Environment": "test", "Owner": "ops"}
    assert result["diff"]["after"]["tags"] == {"Environment": "prod"}


def test_omitted_tags_are_left_alone_and_purge_tags_false_adds(aws):
    aws.run(backup_plan.main, plan_args())
    with aws.recording() as calls:
        result = aws.run(backup_plan.main, plan_args(tags=None))
    assert result["changed"] is False, result
    assert aws.mutating(calls) == []
    assert live(aws)["Tags"] == {"Environment": "test", "Owner": "ops"}

    result = aws.run(backup_plan.main, plan_args(tags={"CostCenter": "42"}, purge_tags=False))
    assert result["changed"] is True
    assert live(aws)["Tags"] == {"Environment": "test", "Owner": "ops", "CostCenter": "42"}


def test_delete_and_delete_again(aws):
    aws.run(backup_plan.main, plan_args())
    with aws.recording() as calls:
        result = aws.run(backup_plan.main, {"name": NAME, "state": "absent"}, diff=True)

    assert result["changed"] is True, result
    assert aws.mutating(calls) == ["backup:DeleteBackupPlan"]
    assert NAME not in plans(aws)
    assert result["backup_plan"] == {}
    assert result["diff"]["before"]["backup_plan_name"] == NAME
    assert result["diff"]["after"] == {}

    with aws.recording() as calls:
        again = aws.run(backup_plan.main, {"name": NAME, "state": "absent"})
    assert again["changed"] is False
    assert aws.mutating(calls) == []


# --- moto: check mode -----------------------------------------------------------------


def test_check_mode_create_makes_no_call_that_changes(aws):
    with aws.recording() as calls:
        result = aws.run(backup_plan.main, plan_args(), check_mode=True, diff=True)

    assert result["changed"] is True, result
    assert aws.mutating(calls) == []
    assert plans(aws) == {}
    returned = result["backup_plan"]
    assert returned["backup_plan_name"] == NAME
    assert {r["rule_name"] for r in returned["rules"]} == {"daily", "weekly"}
    assert returned["tags"] == {"Environment": "test", "Owner": "ops"}
    assert result["diff"]["after"]["rules"][0]["recovery_point_tags"] == {"Tier": "daily", "DataClass": "phi"}


def test_check_mode_reports_rule_and_tag_changes_without_making_them(aws):
    aws.run(backup_plan.main, plan_args())
    before = live(aws)
    changed_rules = [daily(lifecycle={"delete_after_days": 90}), {"name": "monthly", "target_vault_name": VAULT, "schedule": "cron(0 5 1 * ? *)"}]
    with aws.recording() as calls:
        result = aws.run(backup_plan.main, plan_args(rules=changed_rules, tags={"Environment": "prod"}), check_mode=True, diff=True)

    assert result["changed"] is True, result
    assert result["changes"] == ["rule weekly removed", "rule daily: Lifecycle", "rule monthly added", "tags"]
    assert aws.mutating(calls) == []
    after = live(aws)
    assert after["VersionId"] == before["VersionId"]
    assert after["Tags"] == before["Tags"]
    assert {r["rule_name"]: r.get("lifecycle") for r in result["backup_plan"]["rules"]} == {
        "daily": {"delete_after_days": 90},
        "monthly": None,
    }
    assert result["diff"]["before"]["rules"][0]["lifecycle"] == {"delete_after_days": 35}
    assert result["diff"]["after"]["rules"][0]["lifecycle"] == {"delete_after_days": 90}


def test_check_mode_no_change_with_tags_reports_no_change(aws):
    aws.run(backup_plan.main, plan_args())
    with aws.recording() as calls:
        result = aws.run(backup_plan.main, plan_args(), check_mode=True)

    assert result["changed"] is False, result
    assert aws.mutating(calls) == []


# --- bad input: fails before any API call --------------------------------------------------


@pytest.mark.parametrize(
    "change, option",
    [
        ({"name": "bad name"}, "name"),
        ({"name": "x" * 51}, "name"),
        ({"rules": []}, "rules"),
        ({"rules": None}, "rules"),
        ({"rules": [daily(name="bad/name")]}, "rules[0].name"),
        ({"rules": [daily(), weekly(name="daily")]}, "rules[1].name"),
        ({"rules": [daily(target_vault_name="v")]}, "rules[0].target_vault_name"),
        ({"rules": [daily(), weekly(schedule="cron(0 5 * * *)")]}, "rules[1].schedule"),
        ({"rules": [daily(schedule="rate(1 day)")]}, "rules[0].schedule"),
        ({"rules": [daily(schedule="cron(0 25 ? * * *)")]}, "rules[0].schedule"),
        ({"rules": [daily(schedule_timezone="Mars/Olympus")]}, "rules[0].schedule_timezone"),
        ({"rules": [daily(start_window_minutes=30)]}, "rules[0].start_window_minutes"),
        ({"rules": [daily(completion_window_minutes=0)]}, "rules[0].completion_window_minutes"),
        ({"rules": [weekly(lifecycle={"move_to_cold_storage_after_days": 30, "delete_after_days": 119})]}, "rules[0].lifecycle.delete_after_days"),
        ({"rules": [daily(lifecycle={"delete_after_days": 0})]}, "rules[0].lifecycle.delete_after_days"),
        (
            {
                "rules": [
                    daily(copy_actions=[{"destination_vault_arn": COPY_VAULT_ARN, "lifecycle": {"move_to_cold_storage_after_days": 1, "delete_after_days": 2}}])
                ]
            },
            "rules[0].copy_actions[0].lifecycle.delete_after_days",
        ),
        ({"rules": [daily(copy_actions=[{"destination_vault_arn": "hp-test-vault-copy"}])]}, "rules[0].copy_actions[0].destination_vault_arn"),
        (
            {"rules": [daily(copy_actions=[{"destination_vault_arn": COPY_VAULT_ARN}, {"destination_vault_arn": COPY_VAULT_ARN}])]},
            "rules[0].copy_actions[1].destination_vault_arn",
        ),
        ({"advanced_backup_settings": [{"resource_type": "EC2", "backup_options": {}}]}, "advanced_backup_settings[0].backup_options"),
        ({"creator_request_id": "not a token"}, "creator_request_id"),
    ],
)
def test_bad_input_fails_before_any_call(aws, change, option):
    with aws.recording() as calls:
        result = aws.run(backup_plan.main, plan_args(**change))

    assert result.failed, result
    assert option in result["msg"]
    assert calls == [], "validation must happen before any API call"


def test_lifecycle_message_names_the_90_days(aws):
    rules = [weekly(lifecycle={"move_to_cold_storage_after_days": 30, "delete_after_days": 100})]
    result = aws.run(backup_plan.main, plan_args(rules=rules))
    assert result.failed
    assert "rules[0].lifecycle.delete_after_days (100) must be at least 90 days after rules[0].lifecycle.move_to_cold_storage_after_days (30)" in result["msg"]


# --- moto: info ---------------------------------------------------------------------------


def test_info_lists_plans_with_verbatim_tags(aws):
    aws.run(backup_plan.main, plan_args())
    aws.run(backup_plan.main, {"name": "other-plan", "rules": [{"name": "hourly", "target_vault_name": VAULT, "schedule": "cron(0 * ? * * *)"}]})

    result = aws.run(backup_plan_info.main, {"names": [NAME]})
    assert result["changed"] is False
    (plan,) = result["backup_plans"]
    assert plan["backup_plan_id"] == live(aws)["BackupPlanId"]
    assert plan["tags"] == {"Environment": "test", "Owner": "ops"}
    assert {r["rule_name"]: r.get("recovery_point_tags") for r in plan["rules"]} == {"daily": {"Tier": "daily", "DataClass": "phi"}, "weekly": None}

    everything = aws.run(backup_plan_info.main, {})
    assert sorted(p["backup_plan_name"] for p in everything["backup_plans"]) == [NAME, "other-plan"]
    assert aws.run(backup_plan_info.main, {"names": ["nope"]})["backup_plans"] == []


# --- Stubber: update (moto's UpdateBackupPlan answers HTTP 500), selections, duplicates ---------

PLAN_ID = "8a1f0e54-0c3d-4c1b-9b0a-3f1f1f1f1f1f"
PLAN_ARN = f"arn:aws:backup:us-east-1:123456789012:backup-plan:{PLAN_ID}"
WHEN = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
DAILY_API = {
    "RuleName": "daily",
    "TargetBackupVaultName": VAULT,
    "ScheduleExpression": "cron(0 5 ? * * *)",
    "ScheduleExpressionTimezone": "Etc/UTC",
    "StartWindowMinutes": 60,
    "CompletionWindowMinutes": 720,
    "Lifecycle": {"DeleteAfterDays": 35},
    "RecoveryPointTags": {"Tier": "daily", "DataClass": "phi"},
    "CopyActions": [{"DestinationBackupVaultArn": COPY_VAULT_ARN, "Lifecycle": {"DeleteAfterDays": 35}}],
}
WEEKLY_API = {
    "RuleName": "weekly",
    "TargetBackupVaultName": VAULT,
    "ScheduleExpression": "cron(0 5 ? * SUN *)",
    "StartWindowMinutes": 480,
    "CompletionWindowMinutes": 10080,
    "ScheduleExpressionTimezone": "Etc/UTC",
    "Lifecycle": {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 180},
}


@pytest.fixture
def backup(stubbed):
    stubber = stubbed("backup")
    calls = []
    stubbed.clients["backup"][0].meta.events.register("before-parameter-build.backup", lambda model, **kw: calls.append(model.name))
    stubber.calls = calls
    return stubber


def got(rules, version="v1", **plan_extra):
    body = {"BackupPlanName": NAME, "Rules": [dict(r, RuleId=f"id-{r['RuleName']}") for r in rules]}
    body.update(plan_extra)
    return {"BackupPlan": body, "BackupPlanId": PLAN_ID, "BackupPlanArn": PLAN_ARN, "VersionId": version, "CreatorRequestId": "req-1", "CreationDate": WHEN}


def queue_read(stubber, rules, tags=None, version="v1", **plan_extra):
    stubber.add_response("get_backup_plan", got(rules, version, **plan_extra), {"BackupPlanId": PLAN_ID})
    stubber.add_response("list_tags", {"Tags": {"Environment": "test", "Owner": "ops"} if tags is None else tags}, {"ResourceArn": PLAN_ARN})


def queue_existing(stubber, rules, **plan_extra):
    summary = {"BackupPlanName": NAME, "BackupPlanId": PLAN_ID, "BackupPlanArn": PLAN_ARN, "VersionId": "v1"}
    stubber.add_response("list_backup_plans", {"BackupPlansList": [{"BackupPlanName": "other", "BackupPlanId": "x"}], "NextToken": "t"}, {})
    stubber.add_response("list_backup_plans", {"BackupPlansList": [summary]}, {"NextToken": "t"})
    queue_read(stubber, rules, **plan_extra)


def test_rule_update_sends_the_full_plan_and_keeps_unmanaged_fields(stubbed, backup):
    # AWS's view of the plan: fields the module does not manage (index actions, archive opt-in, scan settings,
    # advanced settings when the option is omitted) must survive the update.
    current_daily = dict(DAILY_API, IndexActions=[{"ResourceTypes": ["EBS"]}], Lifecycle={"DeleteAfterDays": 35, "OptInToArchiveForSupportedResources": False})
    scan = [{"MalwareScanner": "GUARDDUTY", "ResourceTypes": ["EBS"], "ScannerRoleArn": "arn:aws:iam::123456789012:role/scan"}]
    advanced = [{"ResourceType": "EC2", "BackupOptions": {"WindowsVSS": "enabled"}}]
    queue_existing(backup, [current_daily, WEEKLY_API], AdvancedBackupSettings=advanced, ScanSettings=scan)
    monthly = {
        "name": "monthly",
        "target_vault_name": VAULT,
        "schedule": "cron(0 5 1 * ? *)",
        "lifecycle": {"move_to_cold_storage_after_days": 30, "delete_after_days": 2555},
    }
    new_daily = daily(lifecycle={"delete_after_days": 90}, recovery_point_tags={"Tier": "gold"}, copy_actions=[])
    sent_daily = {
        "RuleName": "daily",
        "TargetBackupVaultName": VAULT,
        "ScheduleExpression": "cron(0 5 ? * * *)",
        "ScheduleExpressionTimezone": "UTC",
        "StartWindowMinutes": 60,
        "CompletionWindowMinutes": 720,
        "Lifecycle": {"DeleteAfterDays": 90, "OptInToArchiveForSupportedResources": False},
        "RecoveryPointTags": {"Tier": "gold"},
        "IndexActions": [{"ResourceTypes": ["EBS"]}],
    }
    sent_monthly = {
        "RuleName": "monthly",
        "TargetBackupVaultName": VAULT,
        "ScheduleExpression": "cron(0 5 1 * ? *)",
        "Lifecycle": {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 2555},
    }
    document = {"BackupPlanName": NAME, "Rules": [sent_monthly, sent_daily], "AdvancedBackupSettings": advanced, "ScanSettings": scan}
    backup.add_response(
        "update_backup_plan", {"BackupPlanId": PLAN_ID, "BackupPlanArn": PLAN_ARN, "VersionId": "v2"}, {"BackupPlanId": PLAN_ID, "BackupPlan": document}
    )
    queue_read(backup, [sent_daily, sent_monthly], version="v2", AdvancedBackupSettings=advanced, ScanSettings=scan)

    result = stubbed.run(backup_plan.main, plan_args(rules=[monthly, new_daily]), diff=True)

    assert not result.failed, result
    assert result["changed"] is True, result
    assert result["changes"] == ["rule weekly removed", "rule daily: Lifecycle, RecoveryPointTags, CopyActions", "rule monthly added"]
    assert backup.calls == ["ListBackupPlans", "ListBackupPlans", "GetBackupPlan", "ListTags", "UpdateBackupPlan", "GetBackupPlan", "ListTags"]
    returned = result["backup_plan"]
    assert returned["version_id"] == "v2"
    assert returned["advanced_backup_settings"] == [{"resource_type": "EC2", "backup_options": {"WindowsVSS": "enabled"}}]
    assert {r["rule_name"]: r.get("recovery_point_tags") for r in returned["rules"]} == {"daily": {"Tier": "gold"}, "monthly": None}
    assert [r["rule_name"] for r in result["diff"]["before"]["rules"]] == ["daily", "weekly"]
    assert [r["rule_name"] for r in result["diff"]["after"]["rules"]] == ["daily", "monthly"]
    stubbed.assert_all_used()


@pytest.mark.parametrize(
    "rule, field",
    [
        (daily(schedule="cron(0 6 ? * * *)"), "ScheduleExpression"),
        (daily(schedule_timezone="Europe/Paris"), "ScheduleExpressionTimezone"),
        (daily(start_window_minutes=120), "StartWindowMinutes"),
        (daily(completion_window_minutes=1440), "CompletionWindowMinutes"),
        (daily(target_vault_name="hp-other-vault"), "TargetBackupVaultName"),
        (daily(recovery_point_tags={"tier": "daily", "DataClass": "phi"}), "RecoveryPointTags"),
        (daily(copy_actions=[{"destination_vault_arn": COPY_VAULT_ARN, "lifecycle": {"delete_after_days": 90}}]), "CopyActions"),
        (daily(enable_continuous_backup=True), "EnableContinuousBackup"),
        (daily(lifecycle={}), "Lifecycle"),
    ],
)
def test_each_rule_field_difference_updates(stubbed, backup, rule, field):
    queue_existing(backup, [DAILY_API])
    backup.add_response("update_backup_plan", {"BackupPlanId": PLAN_ID, "VersionId": "v2"}, {"BackupPlanId": PLAN_ID, "BackupPlan": ANY})
    queue_read(backup, [DAILY_API], version="v2")

    result = stubbed.run(backup_plan.main, plan_args(rules=[rule]))

    assert result["changed"] is True, result
    assert result["changes"] == [f"rule daily: {field}"]
    stubbed.assert_all_used()


def test_advanced_backup_settings_update_and_removal(stubbed, backup):
    advanced = [{"ResourceType": "EC2", "BackupOptions": {"WindowsVSS": "enabled"}}]
    queue_existing(backup, [DAILY_API], AdvancedBackupSettings=advanced)
    sent = {"BackupPlanName": NAME, "Rules": [dict(DAILY_API, ScheduleExpressionTimezone="UTC")]}
    backup.add_response("update_backup_plan", {"BackupPlanId": PLAN_ID, "VersionId": "v2"}, {"BackupPlanId": PLAN_ID, "BackupPlan": sent})
    queue_read(backup, [DAILY_API], version="v2")
    result = stubbed.run(backup_plan.main, plan_args(rules=[daily()], advanced_backup_settings=[]))
    assert result["changed"] is True, result
    assert result["changes"] == ["advanced_backup_settings"]
    stubbed.assert_all_used()

    queue_existing(backup, [DAILY_API], AdvancedBackupSettings=advanced)
    same = stubbed.run(
        backup_plan.main, plan_args(rules=[daily()], advanced_backup_settings=[{"resource_type": "EC2", "backup_options": {"WindowsVSS": "enabled"}}])
    )
    assert same["changed"] is False, same
    stubbed.assert_all_used()


def test_no_change_against_what_aws_returns_queues_only_reads(stubbed, backup):
    # AWS fills in fields the options leave out (archive opt-in, continuous backup false) and reports Etc/UTC.
    aws_daily = dict(DAILY_API, EnableContinuousBackup=False, Lifecycle={"DeleteAfterDays": 35, "OptInToArchiveForSupportedResources": False})
    queue_existing(backup, [WEEKLY_API, aws_daily])

    result = stubbed.run(backup_plan.main, plan_args(rules=[daily(), weekly()]))

    assert result["changed"] is False, result
    assert backup.calls == ["ListBackupPlans", "ListBackupPlans", "GetBackupPlan", "ListTags"]
    assert result["backup_plan"]["rules"][1]["recovery_point_tags"] == {"Tier": "daily", "DataClass": "phi"}
    stubbed.assert_all_used()


def test_check_mode_update_makes_no_call_that_changes(stubbed, backup):
    queue_existing(backup, [DAILY_API])
    result = stubbed.run(backup_plan.main, plan_args(rules=[daily(schedule="cron(0 6 ? * * *)")], tags={"Environment": "test"}), check_mode=True)

    assert result["changed"] is True, result
    assert result["changes"] == ["rule daily: ScheduleExpression", "tags"]
    assert result["backup_plan"]["rules"][0]["schedule_expression"] == "cron(0 6 ? * * *)"
    assert result["backup_plan"]["tags"] == {"Environment": "test"}
    assert backup.calls == ["ListBackupPlans", "ListBackupPlans", "GetBackupPlan", "ListTags"]
    stubbed.assert_all_used()


def test_delete_refused_while_selections_exist(stubbed, backup):
    queue_existing(backup, [DAILY_API])
    backup.add_client_error(
        "delete_backup_plan",
        "InvalidRequestException",
        "Related backup plan selections must be deleted prior to backup plan deletion",
        expected_params={"BackupPlanId": PLAN_ID},
    )
    backup.add_response(
        "list_backup_selections", {"BackupSelectionsList": [{"SelectionName": "platform-rds-ebs", "BackupPlanId": PLAN_ID}]}, {"BackupPlanId": PLAN_ID}
    )

    result = stubbed.run(backup_plan.main, {"name": NAME, "state": "absent"})

    assert result.failed
    assert "AWS deletes a plan only after its resource selections (platform-rds-ebs) are deleted" in result["msg"]
    assert "backup_selection state=absent" in result["msg"]
    stubbed.assert_all_used()


def test_check_mode_delete_lists_selections(stubbed, backup):
    queue_existing(backup, [DAILY_API])
    backup.add_response("list_backup_selections", {"BackupSelectionsList": []}, {"BackupPlanId": PLAN_ID})
    result = stubbed.run(backup_plan.main, {"name": NAME, "state": "absent"}, check_mode=True)
    assert result["changed"] is True, result
    stubbed.assert_all_used()

    queue_existing(backup, [DAILY_API])
    backup.add_response("list_backup_selections", {"BackupSelectionsList": [{"SelectionName": "platform-rds-ebs"}]}, {"BackupPlanId": PLAN_ID})
    refused = stubbed.run(backup_plan.main, {"name": NAME, "state": "absent"}, check_mode=True)
    assert refused.failed
    assert "(platform-rds-ebs)" in refused["msg"]
    assert "DeleteBackupPlan" not in backup.calls
    stubbed.assert_all_used()


def test_two_plans_of_the_same_name_fail(stubbed, backup):
    backup.add_response(
        "list_backup_plans",
        {"BackupPlansList": [{"BackupPlanName": NAME, "BackupPlanId": "id-1"}, {"BackupPlanName": NAME, "BackupPlanId": "id-2"}]},
        {},
    )
    result = stubbed.run(backup_plan.main, plan_args())

    assert result.failed
    assert "2 backup plans named 'hp-test-plan' (id-1, id-2)" in result["msg"]
    assert backup.calls == ["ListBackupPlans"]
    stubbed.assert_all_used()


def test_create_sends_tags_and_token(stubbed, backup):
    backup.add_response("list_backup_plans", {"BackupPlansList": []}, {})
    document = {"BackupPlanName": NAME, "Rules": [{"RuleName": "daily", "TargetBackupVaultName": VAULT, "RecoveryPointTags": {"Tier": "gold"}}]}
    backup.add_response(
        "create_backup_plan",
        {"BackupPlanId": PLAN_ID, "BackupPlanArn": PLAN_ARN, "VersionId": "v1"},
        {"BackupPlan": document, "BackupPlanTags": {"Environment": "test"}, "CreatorRequestId": "my-token"},
    )
    queue_read(backup, document["Rules"], tags={"Environment": "test"})

    rule = {"name": "daily", "target_vault_name": VAULT, "recovery_point_tags": {"Tier": "gold"}, "lifecycle": {}, "copy_actions": []}
    result = stubbed.run(backup_plan.main, {"name": NAME, "rules": [rule], "tags": {"Environment": "test"}, "creator_request_id": "my-token"})

    assert result["changed"] is True, result
    assert result["backup_plan"]["backup_plan_id"] == PLAN_ID
    stubbed.assert_all_used()
