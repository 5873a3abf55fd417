# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""backup_vault and backup_vault_info.

Against the moto server: vaults, tags and Vault Lock (moto 5.2.5 emulates CreateBackupVault,
DescribeBackupVault, ListBackupVaults, Put/DeleteBackupVaultLockConfiguration, ListTags, TagResource,
UntagResource and DeleteBackupVault).

With botocore's Stubber, because moto cannot produce them: the vault access policy (moto has no
Get/Put/DeleteBackupVaultAccessPolicy: HTTP 404), a compliance-mode lock whose LockDate has passed
(moto's LockDate is always in the future), a vault holding recovery points, and AWS's AccessDenied
answer for a missing vault. The Stubber validates every request and response against the real
botocore model and fails on any call that was not queued.
"""

from __future__ import annotations

import datetime
import json

import pytest
from botocore.stub import ANY

from ansible_collections.healthplatform.aws.plugins.modules import backup_vault
from ansible_collections.healthplatform.aws.plugins.modules import backup_vault_info

NAME = "hp-test-vault"
KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
OTHER_KEY = "arn:aws:kms:us-east-1:123456789012:key/99999999-2222-3333-4444-555555555555"
ARN = f"arn:aws:backup:us-east-1:123456789012:backup-vault:{NAME}"
DENY_DELETE = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyDelete",
            "Effect": "Deny",
            "Principal": "*",
            "Action": ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],
            "Resource": "*",
        }
    ],
}


def vault_args(**extra):
    args = {"name": NAME, "encryption_key_arn": KEY, "tags": {"Environment": "test"}}
    args.update(extra)
    return args


def live(aws, name=NAME):
    client = aws.client("backup")
    vault = client.describe_backup_vault(BackupVaultName=name)
    vault["Tags"] = client.list_tags(ResourceArn=vault["BackupVaultArn"])["Tags"]
    return vault


def vault_names(aws):
    return [v["BackupVaultName"] for v in aws.client("backup").list_backup_vaults()["BackupVaultList"]]


# --- moto: create / no-op / update / delete ---------------------------------------------


def test_create_with_key_tags_and_governance_lock(aws):
    result = aws.run(backup_vault.main, vault_args(lock={"min_retention_days": 7, "max_retention_days": 35}), diff=True)

    assert result["changed"] is True, result
    vault = live(aws)
    assert vault["EncryptionKeyArn"] == KEY
    assert vault["Tags"] == {"Environment": "test"}
    assert vault["Locked"] is True
    assert (vault["MinRetentionDays"], vault["MaxRetentionDays"]) == (7, 35)
    assert "LockDate" not in vault, "no changeable_for_days: governance mode"
    assert len(vault["CreatorRequestId"]) == 36, "created with an idempotency token"
    assert result["backup_vault"]["backup_vault_arn"] == vault["BackupVaultArn"]
    assert result["backup_vault"]["tags"] == {"Environment": "test"}
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["min_retention_days"] == 7


def test_no_change_makes_no_mutating_call(aws):
    args = vault_args(lock={"min_retention_days": 7, "max_retention_days": 35, "changeable_for_days": 3})
    aws.run(backup_vault.main, args)
    with aws.recording() as calls:
        result = aws.run(backup_vault.main, args)

    assert result["changed"] is False, result
    assert calls, "the module must read the vault"
    assert aws.mutating(calls) == []


def test_update_tags_and_lock_in_place(aws):
    aws.run(backup_vault.main, vault_args(lock={"min_retention_days": 7, "max_retention_days": 35}))
    result = aws.run(backup_vault.main, vault_args(tags={"Owner": "ops"}, lock={"min_retention_days": 14}), diff=True)

    assert result["changed"] is True
    vault = live(aws)
    assert vault["Tags"] == {"Owner": "ops"}
    assert (vault["MinRetentionDays"], vault["MaxRetentionDays"]) == (14, 35), "an omitted maximum keeps its value"
    assert result["diff"]["before"]["min_retention_days"] == 7
    assert result["diff"]["after"]["min_retention_days"] == 14


def test_purge_tags_false_keeps_other_tags(aws):
    aws.run(backup_vault.main, vault_args())
    result = aws.run(backup_vault.main, vault_args(tags={"Owner": "ops"}, purge_tags=False))

    assert result["changed"] is True
    assert live(aws)["Tags"] == {"Environment": "test", "Owner": "ops"}


def test_options_not_given_are_not_compared(aws):
    aws.run(backup_vault.main, vault_args(lock={"min_retention_days": 7}))
    with aws.recording() as calls:
        result = aws.run(backup_vault.main, {"name": NAME})

    assert result["changed"] is False
    assert aws.mutating(calls) == []
    assert result["backup_vault"]["encryption_key_arn"] == KEY
    assert result["backup_vault"]["min_retention_days"] == 7


def test_governance_lock_becomes_compliance(aws):
    aws.run(backup_vault.main, vault_args(lock={"min_retention_days": 7}))
    result = aws.run(backup_vault.main, vault_args(lock={"min_retention_days": 7, "changeable_for_days": 3}))

    assert result["changed"] is True
    lock_date = live(aws)["LockDate"]
    now = datetime.datetime.now(datetime.timezone.utc)
    assert datetime.timedelta(days=2, hours=23) < lock_date - now <= datetime.timedelta(days=3)


def test_compliance_grace_change_needs_changeable_for_days(aws):
    aws.run(backup_vault.main, vault_args(lock={"min_retention_days": 7, "changeable_for_days": 3}))
    with aws.recording() as calls:
        result = aws.run(backup_vault.main, vault_args(lock={"min_retention_days": 30}))

    assert result.failed
    assert "lock.changeable_for_days" in result["msg"]
    assert "min_retention_days 7 -> 30" in result["msg"]
    assert aws.mutating(calls) == []
    assert live(aws)["MinRetentionDays"] == 7

    again = aws.run(backup_vault.main, vault_args(lock={"min_retention_days": 30, "changeable_for_days": 3}))
    assert again["changed"] is True
    assert live(aws)["MinRetentionDays"] == 30


def test_remove_governance_lock(aws):
    aws.run(backup_vault.main, vault_args(lock={"min_retention_days": 7, "max_retention_days": 35}))
    result = aws.run(backup_vault.main, vault_args(lock={"state": "absent"}))

    assert result["changed"] is True
    vault = live(aws)
    assert vault["Locked"] is False
    assert "MinRetentionDays" not in vault
    assert aws.run(backup_vault.main, vault_args(lock={"state": "absent"}))["changed"] is False


def test_delete_and_delete_again(aws):
    aws.run(backup_vault.main, vault_args())
    result = aws.run(backup_vault.main, {"name": NAME, "state": "absent"}, diff=True)

    assert result["changed"] is True
    assert result["diff"]["before"]["encryption_key_arn"] == KEY
    assert NAME not in vault_names(aws)
    assert aws.run(backup_vault.main, {"name": NAME, "state": "absent"})["changed"] is False


def test_delete_refused_when_locked(aws):
    aws.run(backup_vault.main, vault_args(lock={"min_retention_days": 7, "changeable_for_days": 3}))
    with aws.recording() as calls:
        result = aws.run(backup_vault.main, {"name": NAME, "state": "absent"})

    assert result.failed
    assert "refusing to delete backup vault" in result["msg"]
    assert "compliance-grace Vault Lock" in result["msg"] and "lock.state=absent" in result["msg"]
    assert aws.mutating(calls) == []
    assert NAME in vault_names(aws)


def test_different_key_fails_clearly(aws):
    aws.run(backup_vault.main, vault_args())
    with aws.recording() as calls:
        result = aws.run(backup_vault.main, vault_args(encryption_key_arn=OTHER_KEY, tags={"Changed": "yes"}))

    assert result.failed
    assert result["msg"].startswith("encryption_key_arn:")
    assert "cannot change the key" in result["msg"]
    assert aws.mutating(calls) == [], "nothing is changed, not even the tags"
    assert live(aws)["Tags"] == {"Environment": "test"}


# --- moto: check mode ------------------------------------------------------------------


def test_check_mode_create_changes_nothing(aws):
    with aws.recording() as calls:
        result = aws.run(backup_vault.main, vault_args(lock={"min_retention_days": 7, "changeable_for_days": 3}), check_mode=True)

    assert result["changed"] is True
    assert result["backup_vault"]["locked"] is True
    assert result["backup_vault"]["min_retention_days"] == 7
    assert result["backup_vault"]["tags"] == {"Environment": "test"}
    assert aws.mutating(calls) == []
    assert vault_names(aws) == []


def test_check_mode_update_and_delete_change_nothing(aws):
    aws.run(backup_vault.main, vault_args(lock={"min_retention_days": 7}))
    before = live(aws)

    with aws.recording() as calls:
        update = aws.run(backup_vault.main, vault_args(tags={"New": "tag"}, lock={"min_retention_days": 9}), check_mode=True)
        unlock = aws.run(backup_vault.main, vault_args(lock={"state": "absent"}), check_mode=True)
        aws.run(backup_vault.main, vault_args(lock={"state": "absent"}))
        delete = aws.run(backup_vault.main, {"name": NAME, "state": "absent"}, check_mode=True)

    assert update["changed"] is True
    assert update["backup_vault"]["tags"] == {"New": "tag"}
    assert update["backup_vault"]["min_retention_days"] == 9
    assert unlock["changed"] is True and unlock["backup_vault"]["locked"] is False
    assert delete["changed"] is True
    assert aws.mutating(calls) == ["backup:DeleteBackupVaultLockConfiguration"], "only the real (non-check) run changed anything"
    after = live(aws)
    assert after["Tags"] == before["Tags"]
    assert NAME in vault_names(aws)


def test_check_mode_no_change(aws):
    aws.run(backup_vault.main, vault_args(lock={"min_retention_days": 7}))
    assert aws.run(backup_vault.main, vault_args(lock={"min_retention_days": 7}), check_mode=True)["changed"] is False


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, option",
    [
        ({"name": "x"}, "name"),
        ({"name": "bad name!"}, "name"),
        ({"encryption_key_arn": "alias/aws/backup"}, "encryption_key_arn"),
        ({"encryption_key_arn": "1234abcd-12ab-34cd-56ef-1234567890ab"}, "encryption_key_arn"),
        ({"lock": {"min_retention_days": 40, "max_retention_days": 30}}, "lock.min_retention_days"),
        ({"lock": {"min_retention_days": 0}}, "lock.min_retention_days"),
        ({"lock": {"max_retention_days": 36501}}, "lock.max_retention_days"),
        ({"lock": {"min_retention_days": 7, "changeable_for_days": 2}}, "lock.changeable_for_days"),
        ({"lock": {"changeable_for_days": 3}}, "lock.min_retention_days"),
        ({"lock": {"state": "absent", "min_retention_days": 7}}, "lock.min_retention_days"),
        ({"access_policy": "not json"}, "access_policy"),
        ({"access_policy": "[1, 2]"}, "access_policy"),
        ({"access_policy": '{"Version": "2012-10-17"}'}, "access_policy"),
        ({"lock": {"min_retention_days": "seven"}}, "min_retention_days"),
    ],
)
def test_bad_input_fails_before_any_call(aws, args, option):
    with aws.recording() as calls:
        result = aws.run(backup_vault.main, vault_args(**args))

    assert result.failed
    assert option in result["msg"]
    assert calls == [], "validation must happen before any API call"


# --- info (moto) -------------------------------------------------------------------------


def test_info_lists_vaults_with_lock_and_tags(aws):
    aws.run(backup_vault.main, vault_args(lock={"min_retention_days": 7, "max_retention_days": 35}))
    aws.run(backup_vault.main, {"name": "hp-other-vault"})

    result = aws.run(backup_vault_info.main, {"names": [NAME, "hp-missing"]})

    assert result["changed"] is False
    (vault,) = result["backup_vaults"]
    assert vault["backup_vault_name"] == NAME
    assert vault["locked"] is True and vault["min_retention_days"] == 7 and vault["max_retention_days"] == 35
    assert vault["encryption_key_arn"] == KEY
    assert vault["tags"] == {"Environment": "test"}
    everything = aws.run(backup_vault_info.main, {})
    assert sorted(v["backup_vault_name"] for v in everything["backup_vaults"]) == ["hp-other-vault", NAME]


# --- Stubber: what moto cannot emulate ------------------------------------------------------


def described(**extra):
    vault = {
        "BackupVaultName": NAME,
        "BackupVaultArn": ARN,
        "EncryptionKeyArn": KEY,
        "CreationDate": datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),
        "CreatorRequestId": "req-1",
        "NumberOfRecoveryPoints": 0,
        "Locked": False,
    }
    vault.update(extra)
    return vault


PAST = datetime.datetime(2024, 1, 4, tzinfo=datetime.timezone.utc)
LOCKED = {"Locked": True, "MinRetentionDays": 35, "MaxRetentionDays": 3650, "LockDate": PAST}


def queue_read(stubber, vault, tags=None, policy=None):
    stubber.add_response("describe_backup_vault", vault, {"BackupVaultName": NAME})
    stubber.add_response("list_tags", {"Tags": tags or {"Environment": "test"}}, {"ResourceArn": ARN})
    if policy is not None:
        if policy:
            stubber.add_response("get_backup_vault_access_policy", {"BackupVaultName": NAME, "Policy": json.dumps(policy)}, {"BackupVaultName": NAME})
        else:
            stubber.add_client_error("get_backup_vault_access_policy", "ResourceNotFoundException", http_status_code=404)


def test_access_policy_create_noop_update_remove(stubbed):
    backup = stubbed("backup")
    # set on an existing vault without a policy
    queue_read(backup, described(), policy={})
    backup.add_response("put_backup_vault_access_policy", {}, {"BackupVaultName": NAME, "Policy": json.dumps(DENY_DELETE)})
    queue_read(backup, described(), policy=DENY_DELETE)
    result = stubbed.run(backup_vault.main, vault_args(access_policy=json.dumps(DENY_DELETE)), diff=True)
    assert result["changed"] is True, result
    assert result["backup_vault"]["access_policy"] == DENY_DELETE
    assert result["diff"]["before"]["access_policy"] == {}
    stubbed.assert_all_used()

    # the same policy, with statement actions reordered: no change (only reads are queued)
    reordered = json.loads(json.dumps(DENY_DELETE))
    reordered["Statement"][0]["Action"].reverse()
    queue_read(backup, described(), policy=DENY_DELETE)
    result = stubbed.run(backup_vault.main, vault_args(access_policy=json.dumps(reordered)))
    assert result["changed"] is False, result
    stubbed.assert_all_used()

    # {} removes it
    queue_read(backup, described(), policy=DENY_DELETE)
    backup.add_response("delete_backup_vault_access_policy", {}, {"BackupVaultName": NAME})
    queue_read(backup, described(), policy={})
    result = stubbed.run(backup_vault.main, vault_args(access_policy="{}"))
    assert result["changed"] is True
    assert result["backup_vault"]["access_policy"] == {}
    stubbed.assert_all_used()


def test_create_with_access_policy(stubbed):
    backup = stubbed("backup")
    backup.add_client_error("describe_backup_vault", "ResourceNotFoundException", http_status_code=404)
    backup.add_response(
        "create_backup_vault",
        {"BackupVaultName": NAME, "BackupVaultArn": ARN},
        {"BackupVaultName": NAME, "CreatorRequestId": ANY, "BackupVaultTags": {"Environment": "test"}, "EncryptionKeyArn": KEY},
    )
    backup.add_response(
        "put_backup_vault_lock_configuration", {}, {"BackupVaultName": NAME, "MinRetentionDays": 35, "MaxRetentionDays": 3650, "ChangeableForDays": 3}
    )
    backup.add_response("put_backup_vault_access_policy", {}, {"BackupVaultName": NAME, "Policy": json.dumps(DENY_DELETE)})
    in_grace = dict(LOCKED)
    in_grace["LockDate"] = datetime.datetime(2099, 1, 1, tzinfo=datetime.timezone.utc)
    queue_read(backup, described(**in_grace), policy=DENY_DELETE)

    lock = {"min_retention_days": 35, "max_retention_days": 3650, "changeable_for_days": 3}
    result = stubbed.run(backup_vault.main, vault_args(lock=lock, access_policy=json.dumps(DENY_DELETE)))

    assert result["changed"] is True, result
    assert result["backup_vault"]["locked"] is True
    assert result["backup_vault"]["access_policy"] == DENY_DELETE
    stubbed.assert_all_used()


def test_immutable_compliance_lock_is_never_changed(stubbed):
    backup = stubbed("backup")
    lock = {"min_retention_days": 35, "max_retention_days": 3650, "changeable_for_days": 3}

    # the same lock: a no-op (only reads queued)
    queue_read(backup, described(**LOCKED))
    assert stubbed.run(backup_vault.main, vault_args(lock=lock))["changed"] is False
    stubbed.assert_all_used()

    # a different minimum: fails without attempting the change
    queue_read(backup, described(**LOCKED))
    result = stubbed.run(backup_vault.main, vault_args(lock=dict(lock, min_retention_days=30)))
    assert result.failed
    assert "locked in compliance mode since 2024-01-04" in result["msg"]
    assert "min_retention_days 35 -> 30" in result["msg"]
    stubbed.assert_all_used()

    # removing the lock, or the vault: refused, no call attempted
    queue_read(backup, described(**LOCKED))
    result = stubbed.run(backup_vault.main, vault_args(lock={"state": "absent"}))
    assert result.failed and "refuses to remove its Vault Lock" in result["msg"]
    queue_read(backup, described(**LOCKED))
    result = stubbed.run(backup_vault.main, {"name": NAME, "state": "absent"})
    assert result.failed and "AWS will never delete it" in result["msg"]
    stubbed.assert_all_used()


def test_tags_still_change_on_an_immutable_vault(stubbed):
    backup = stubbed("backup")
    queue_read(backup, described(**LOCKED))
    backup.add_response("tag_resource", {}, {"ResourceArn": ARN, "Tags": {"Owner": "ops"}})
    queue_read(backup, described(**LOCKED), tags={"Environment": "test", "Owner": "ops"})

    result = stubbed.run(backup_vault.main, vault_args(tags={"Environment": "test", "Owner": "ops"}, lock={"min_retention_days": 35}))

    assert result["changed"] is True, result
    assert result["backup_vault"]["tags"] == {"Environment": "test", "Owner": "ops"}
    stubbed.assert_all_used()


def test_delete_refused_when_recovery_points_remain(stubbed):
    backup = stubbed("backup")
    queue_read(backup, described(NumberOfRecoveryPoints=12))

    result = stubbed.run(backup_vault.main, {"name": NAME, "state": "absent"})

    assert result.failed
    assert "holds 12 recovery points" in result["msg"]
    stubbed.assert_all_used()


def test_access_denied_for_a_missing_vault_means_missing(stubbed):
    backup = stubbed("backup")
    backup.add_client_error("describe_backup_vault", "AccessDeniedException", "Insufficient privileges to perform this action.", http_status_code=403)
    backup.add_response("list_backup_vaults", {"BackupVaultList": [{"BackupVaultName": "someone-else"}], "NextToken": "p2"}, {})
    backup.add_response("list_backup_vaults", {"BackupVaultList": []}, {"NextToken": "p2"})

    result = stubbed.run(backup_vault.main, vault_args(), check_mode=True)

    assert result["changed"] is True, result
    stubbed.assert_all_used()


def test_access_denied_for_an_existing_vault_is_reported(stubbed):
    backup = stubbed("backup")
    backup.add_client_error("describe_backup_vault", "AccessDeniedException", "Insufficient privileges to perform this action.", http_status_code=403)
    backup.add_response("list_backup_vaults", {"BackupVaultList": [{"BackupVaultName": NAME}]}, {})

    result = stubbed.run(backup_vault.main, vault_args())

    assert result.failed
    assert "Failed to manage the backup vault" in result["msg"]
    assert "Insufficient privileges" in result["msg"]
    stubbed.assert_all_used()


def test_info_with_access_policy(stubbed):
    backup = stubbed("backup")
    backup.add_response("list_backup_vaults", {"BackupVaultList": [described(**LOCKED)]}, {})
    backup.add_response("list_tags", {"Tags": {"Environment": "prod"}}, {"ResourceArn": ARN})
    backup.add_response("get_backup_vault_access_policy", {"Policy": json.dumps(DENY_DELETE)}, {"BackupVaultName": NAME})

    result = stubbed.run(backup_vault_info.main, {"include_access_policy": True})

    (vault,) = result["backup_vaults"]
    assert vault["access_policy"] == DENY_DELETE
    assert vault["tags"] == {"Environment": "prod"}
    assert vault["lock_date"].startswith("2024-01-04")
    stubbed.assert_all_used()
