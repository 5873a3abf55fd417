# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""platform_audit, data controls: HP-06 (database credentials), HP-10 (database encryption and
access), HP-23 (AWS Backup), HP-24 (Multi-AZ and backups).

Against the moto server for RDS, Secrets Manager, KMS and the Backup vaults and plans. HP-23's
pass path uses botocore's Stubber: moto 5.2.5 does not implement ListBackupSelections (HTTP 500),
so on the emulator HP-23 can fail or be unknown, never pass. The Stubber validates every request
against the real API model.
"""

from __future__ import annotations

from auditlab import ACCOUNT
from auditlab import PREFIX
from auditlab import TAG_DICT
from auditlab import audit
from auditlab import database
from auditlab import key

from ansible_collections.healthplatform.aws.plugins.modules import platform_audit

# ---------------------------------------------------------------- HP-06


def test_rds_managed_rotated_secrets_pass_hp06(aws):
    secrets = key(aws, "secrets")
    database(aws, ManageMasterUserPassword=True, MasterUserSecretKmsKeyId=secrets)
    manager = aws.client("secretsmanager")
    # AWS starts an RDS-managed secret on a 7-day schedule; the emulator leaves it unscheduled (rds_master_user_secret sets it)
    master = aws.client("rds").describe_db_instances()["DBInstances"][0]["MasterUserSecret"]["SecretArn"]
    manager.rotate_secret(SecretId=master, RotationRules={"AutomaticallyAfterDays": 7}, RotateImmediately=False)
    manager.create_secret(Name=f"{PREFIX}/app/database", SecretString="{}", KmsKeyId=secrets)
    manager.rotate_secret(SecretId=f"{PREFIX}/app/database", RotationRules={"AutomaticallyAfterDays": 30}, RotateImmediately=False)

    found = audit(aws, platform_audit.main, ["HP-06"])["HP-06"]

    assert found["status"] == "pass", found["reason"]
    assert found["evidence"]["Secrets"][f"{PREFIX}/app/database"] == {"RotationEnabled": True, "RotationDays": 30, "KmsKey": f"alias/{PREFIX}-secrets"}


def test_unmanaged_master_password_and_unrotated_secret_fail_hp06(aws):
    key(aws, "secrets")
    database(aws)
    aws.client("secretsmanager").create_secret(Name=f"{PREFIX}/app/database", SecretString="{}")

    found = audit(aws, platform_audit.main, ["HP-06"])["HP-06"]

    assert found["status"] == "fail"
    assert f"{PREFIX}-db: the master password is not managed by RDS in Secrets Manager" in found["reason"]
    assert f"{PREFIX}/app/database: rotation is off" in found["reason"]
    assert f"{PREFIX}/app/database is not encrypted with a customer managed KMS key" in found["reason"], "Secrets Manager's AWS managed key is not enough"


def test_no_database_fails_hp06(aws):
    found = audit(aws, platform_audit.main, ["HP-06"])["HP-06"]

    assert found["status"] == "fail" and "no platform database" in found["reason"]


# ---------------------------------------------------------------- HP-10


def tls_parameter_group(aws, name=f"{PREFIX}-db-postgres16", value="1"):
    rds = aws.client("rds")
    rds.create_db_parameter_group(
        DBParameterGroupName=name, DBParameterGroupFamily="postgres16", Description="TLS required", Tags=[{"Key": k, "Value": v} for k, v in TAG_DICT.items()]
    )
    rds.modify_db_parameter_group(
        DBParameterGroupName=name, Parameters=[{"ParameterName": "rds.force_ssl", "ParameterValue": value, "ApplyMethod": "immediate"}]
    )
    return name


def test_encrypted_private_protected_database_with_tls_passes_hp10(aws):
    database(aws, KmsKeyId=key(aws, "database"), DBParameterGroupName=tls_parameter_group(aws))

    found = audit(aws, platform_audit.main, ["HP-10"])["HP-10"]

    assert found["status"] == "pass", found
    assert found["evidence"][f"{PREFIX}-db"]["KmsKey"] == f"alias/{PREFIX}-database"
    assert found["evidence"][f"{PREFIX}-db"]["TlsParameters"] == {"rds.force_ssl": "1"}


def test_public_unprotected_database_without_tls_fails_hp10(aws):
    database(
        aws,
        KmsKeyId=key(aws, "database"),
        DBParameterGroupName=tls_parameter_group(aws, value="0"),
        PubliclyAccessible=True,
        DeletionProtection=False,
        EnableIAMDatabaseAuthentication=False,
    )

    found = audit(aws, platform_audit.main, ["HP-10"], relaxations={"HP-10": "data_db_deletion_protection is false"})["HP-10"]

    assert found["status"] == "fail"
    reason = found["reason"]
    assert f"{PREFIX}-db is publicly accessible" in reason
    assert f"{PREFIX}-db: deletion protection is off" in reason
    assert f"{PREFIX}-db: IAM database authentication is off" in reason
    assert f"{PREFIX}-db: TLS is not forced" in reason
    assert found["relaxation"] == "data_db_deletion_protection is false"


def test_unencrypted_database_fails_hp10(aws):
    database(aws, StorageEncrypted=False, DBParameterGroupName=tls_parameter_group(aws))

    found = audit(aws, platform_audit.main, ["HP-10"])["HP-10"]

    assert found["status"] == "fail" and f"{PREFIX}-db: storage is not encrypted" in found["reason"]


# ---------------------------------------------------------------- HP-24


def test_multi_az_database_with_two_weeks_of_backups_passes_hp24(aws):
    database(aws)

    found = audit(aws, platform_audit.main, ["HP-24"])["HP-24"]

    assert found["status"] == "pass", found
    assert found["evidence"][f"{PREFIX}-db"] == {"MultiAZ": True, "BackupRetentionPeriod": 14}


def test_single_az_database_with_one_day_of_backups_fails_hp24(aws):
    database(aws, MultiAZ=False, BackupRetentionPeriod=1)

    found = audit(aws, platform_audit.main, ["HP-24"])["HP-24"]

    assert found["status"] == "fail"
    assert f"{PREFIX}-db is not Multi-AZ" in found["reason"]
    assert f"{PREFIX}-db: automated backups kept 1 days (< 7)" in found["reason"]


def test_aurora_with_a_replica_in_a_second_zone_passes_hp24(aws):
    rds = aws.client("rds")
    rds.create_db_cluster(
        DBClusterIdentifier=f"{PREFIX}-db",
        Engine="aurora-postgresql",
        MasterUsername="hpadmin",
        MasterUserPassword="not-a-real-password-1",
        BackupRetentionPeriod=14,
        Tags=[{"Key": k, "Value": v} for k, v in TAG_DICT.items()],
    )
    for index, zone in enumerate(("us-east-1a", "us-east-1b")):
        rds.create_db_instance(
            DBInstanceIdentifier=f"{PREFIX}-db-{index}",
            DBClusterIdentifier=f"{PREFIX}-db",
            Engine="aurora-postgresql",
            DBInstanceClass="db.r6g.large",
            AvailabilityZone=zone,
        )

    found = audit(aws, platform_audit.main, ["HP-24"])["HP-24"]

    assert found["status"] == "pass", found
    assert found["evidence"][f"{PREFIX}-db"]["InstanceZones"] == ["us-east-1a", "us-east-1b"]


# ---------------------------------------------------------------- HP-23


def vault_and_plan(aws, rules, lock=True):
    backup = aws.client("backup")
    backups = key(aws, "backups")
    backup.create_backup_vault(BackupVaultName=f"{PREFIX}-vault", EncryptionKeyArn=backups, BackupVaultTags=TAG_DICT)
    if lock:
        backup.put_backup_vault_lock_configuration(BackupVaultName=f"{PREFIX}-vault", MinRetentionDays=35, MaxRetentionDays=3650)
    plan = {
        "BackupPlanName": f"{PREFIX}-plan",
        "Rules": [
            {"RuleName": name, "TargetBackupVaultName": f"{PREFIX}-vault", "ScheduleExpression": schedule, "Lifecycle": {"DeleteAfterDays": keep}}
            for name, schedule, keep in rules
        ],
    }
    return backup.create_backup_plan(BackupPlan=plan)["BackupPlanId"]


RULES = [("daily", "cron(0 5 ? * * *)", 35), ("weekly", "cron(0 5 ? * SUN *)", 180), ("monthly", "cron(0 5 1 * ? *)", 2555)]


def test_backup_selections_are_unknown_on_the_emulator_hp23(aws):
    """moto lacks ListBackupSelections: with the vault and plan in place, HP-23 is unknown, not pass."""
    vault_and_plan(aws, RULES)

    found = audit(aws, platform_audit.main, ["HP-23"])["HP-23"]

    assert found["status"] == "unknown", found
    assert "ListBackupSelections answered 500" in found["reason"]
    assert found["evidence"][f"{PREFIX}-plan"]["Rules"] == {"daily": ["daily"], "weekly": ["weekly"], "monthly": ["monthly"]}


def test_unlocked_vault_daily_only_plan_fails_hp23(aws):
    """A fail from what was read, even though the selections (moto lacks the API) could not be read."""
    vault_and_plan(aws, [("daily", "cron(0 5 ? * * *)", 7)], lock=False)

    found = audit(aws, platform_audit.main, ["HP-23"])["HP-23"]

    assert found["status"] == "fail"
    assert f"vault {PREFIX}-vault has no Vault Lock" in found["reason"]
    assert f"{PREFIX}-plan: no weekly, monthly rule" in found["reason"]
    assert "also not read" in found["reason"]


KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/11111111-2222-3333-4444-555555555555"


def stub_hp23(stubbed, resources, prefix=PREFIX):
    backup = stubbed("backup")
    vault_arn = f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:{prefix}-vault"
    backup.add_response(
        "list_backup_vaults",
        {
            "BackupVaultList": [
                {"BackupVaultName": f"{prefix}-vault", "BackupVaultArn": vault_arn, "EncryptionKeyArn": KEY_ARN, "Locked": True, "MinRetentionDays": 35}
            ]
        },
    )
    stubbed("kms").add_response("list_aliases", {"Aliases": [{"AliasName": f"alias/{prefix}-backups", "TargetKeyId": "11111111-2222-3333-4444-555555555555"}]})
    backup.add_response("list_backup_plans", {"BackupPlansList": [{"BackupPlanId": "plan-1", "BackupPlanName": f"{prefix}-plan"}]})
    backup.add_response(
        "get_backup_plan",
        {
            "BackupPlan": {
                "BackupPlanName": f"{prefix}-plan",
                "Rules": [
                    {"RuleName": name, "TargetBackupVaultName": f"{prefix}-vault", "ScheduleExpression": schedule, "Lifecycle": {"DeleteAfterDays": keep}}
                    for name, schedule, keep in RULES
                ],
            },
            "BackupPlanId": "plan-1",
        },
        {"BackupPlanId": "plan-1"},
    )
    backup.add_response(
        "list_backup_selections", {"BackupSelectionsList": [{"SelectionId": "sel-1", "SelectionName": f"{prefix}-rds-ebs"}]}, {"BackupPlanId": "plan-1"}
    )
    backup.add_response(
        "get_backup_selection",
        {
            "BackupSelection": {
                "SelectionName": f"{prefix}-rds-ebs",
                "IamRoleArn": f"arn:aws:iam::{ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole",
                "Resources": resources,
            },
            "SelectionId": "sel-1",
            "BackupPlanId": "plan-1",
        },
        {"BackupPlanId": "plan-1", "SelectionId": "sel-1"},
    )


def test_locked_vault_full_plan_and_selection_pass_hp23(stubbed):
    """Stubber: moto 5.2.5 lacks ListBackupSelections (and GetBackupSelection)."""
    stub_hp23(stubbed, ["arn:aws:rds:*:*:db:*", "arn:aws:rds:*:*:cluster:*", "arn:aws:ec2:*:*:volume/*"])

    found = {c["id"]: c for c in stubbed.run(platform_audit.main, {"environment": "lab", "controls": ["HP-23"]})["controls"]}["HP-23"]

    assert found["status"] == "pass", found
    assert found["evidence"][f"{PREFIX}-plan"]["Selections"] == {"Count": 1, "Covers": ["EBS", "RDS"]}
    stubbed.assert_all_used()


def test_selection_without_volumes_and_governance_lock_in_production_fail_hp23(stubbed):
    """Stubber: moto 5.2.5 lacks ListBackupSelections (and GetBackupSelection)."""
    stub_hp23(stubbed, ["arn:aws:rds:*:*:db:*"], prefix="healthplatform-production")

    found = {c["id"]: c for c in stubbed.run(platform_audit.main, {"environment": "production", "controls": ["HP-23"]})["controls"]}["HP-23"]

    assert found["status"] == "fail"
    assert "no selection covers EBS" in found["reason"]
    assert "governance mode" in found["reason"], "production wants a compliance-mode lock (a lock date)"
    stubbed.assert_all_used()
