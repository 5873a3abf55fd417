# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/backup.yml (roles/backup) through the lab inventory against a throwaway moto server."""

from __future__ import annotations

import json

import boto3
import pytest

from playbooks import run_playbook


def client(server, service, region="us-east-1"):
    return boto3.client(service, region_name=region, endpoint_url=server.endpoint, aws_access_key_id="testing", aws_secret_access_key="testing")


def test_vaults_plan_and_visible_skip(moto_lab):
    first = run_playbook(moto_lab.endpoint, "backup.yml")
    assert first.rc == 0, first
    second = run_playbook(moto_lab.endpoint, "backup.yml")
    assert second.rc == 0 and second.changed == 0, second

    backup = client(moto_lab, "backup")
    vault = backup.describe_backup_vault(BackupVaultName="healthplatform-lab-vault")
    assert vault["Locked"] is True
    assert vault["MinRetentionDays"] == 1
    copy = client(moto_lab, "backup", "us-west-2").describe_backup_vault(BackupVaultName="healthplatform-lab-vault-copy")
    assert copy["Locked"] is True
    (plan,) = [p for p in backup.list_backup_plans()["BackupPlansList"] if p["BackupPlanName"] == "healthplatform-lab-plan"]
    rules = backup.get_backup_plan(BackupPlanId=plan["BackupPlanId"])["BackupPlan"]["Rules"]
    assert [r["RuleName"] for r in rules] == ["daily"]
    assert rules[0]["TargetBackupVaultName"] == "healthplatform-lab-vault"
    assert rules[0]["CopyActions"][0]["DestinationBackupVaultArn"] == copy["BackupVaultArn"]
    assert "SKIPPED (not done): the backup selection" in first.output


def test_hp23_vault_with_the_backups_key_and_the_full_plan(moto_lab):
    """Production's plan (daily, weekly, monthly with cold storage) and a customer key, read back from moto."""
    key_arn = client(moto_lab, "kms").create_key(Description="backups")["KeyMetadata"]["Arn"]
    extra = json.dumps(
        {
            "backup_name": "hp-keyed",
            "backup_kms_key_arn": key_arn,
            "backup_vault_lock": {"min_retention_days": 35, "max_retention_days": 3650},
            "backup_rules": [
                {"name": "daily", "schedule": "cron(0 5 ? * * *)", "delete_after_days": 35},
                {"name": "weekly", "schedule": "cron(0 5 ? * SUN *)", "move_to_cold_storage_after_days": 30, "delete_after_days": 180},
                {"name": "monthly", "schedule": "cron(0 5 1 * ? *)", "move_to_cold_storage_after_days": 30, "delete_after_days": 2555},
            ],
        }
    )
    first = run_playbook(moto_lab.endpoint, "backup.yml", "-e", extra)
    assert first.rc == 0, first
    second = run_playbook(moto_lab.endpoint, "backup.yml", "-e", extra)
    assert second.rc == 0 and second.changed == 0, second

    backup = client(moto_lab, "backup")
    vault = backup.describe_backup_vault(BackupVaultName="hp-keyed-vault")
    assert vault["EncryptionKeyArn"] == key_arn
    assert (vault["Locked"], vault["MinRetentionDays"], vault["MaxRetentionDays"]) == (True, 35, 3650)
    copy = client(moto_lab, "backup", "us-west-2").describe_backup_vault(BackupVaultName="hp-keyed-vault-copy")
    (plan,) = [p for p in backup.list_backup_plans()["BackupPlansList"] if p["BackupPlanName"] == "hp-keyed-plan"]
    rules = {r["RuleName"]: r for r in backup.get_backup_plan(BackupPlanId=plan["BackupPlanId"])["BackupPlan"]["Rules"]}
    assert {name: r["ScheduleExpression"] for name, r in rules.items()} == {
        "daily": "cron(0 5 ? * * *)",
        "weekly": "cron(0 5 ? * SUN *)",
        "monthly": "cron(0 5 1 * ? *)",
    }
    assert rules["daily"]["Lifecycle"] == {"DeleteAfterDays": 35}
    assert rules["weekly"]["Lifecycle"] == {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 180}
    assert rules["monthly"]["Lifecycle"] == {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 2555}
    for rule in rules.values():
        assert rule["TargetBackupVaultName"] == "hp-keyed-vault"
        assert [c["DestinationBackupVaultArn"] for c in rule["CopyActions"]] == [copy["BackupVaultArn"]]
    assert "SKIPPED (not done): the backup selection" in first.output


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"backup_vault_lock": {"min_retention_days": 30}}, "backup_vault_lock.min_retention_days=30"),
        (
            {"backup_rules": [{"name": "weekly", "schedule": "cron(0 5 ? * SUN *)", "move_to_cold_storage_after_days": 30, "delete_after_days": 60}]},
            "backup_rules: rule weekly deletes after 60 days",
        ),
        ({"backup_environment": "production", "backup_kms_key_arn": ""}, "backup_kms_key_arn must name a customer KMS key in production"),
    ],
)
def test_bad_input_fails_before_any_change(moto_lab, extra, message):
    moto_lab.start_recording()
    result = run_playbook(moto_lab.endpoint, "backup.yml", "-e", json.dumps(extra))
    calls = moto_lab.stop_recording()

    assert result.rc != 0
    assert message in result.output
    assert [c for c in calls if c["mutating"]] == []
