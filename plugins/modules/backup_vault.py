#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: backup_vault
short_description: Manage an AWS Backup vault with its KMS key, Vault Lock and access policy
version_added: 0.1.0
description:
  - Creates, updates or deletes one AWS Backup vault, identified by its name (O(name)).
  - The vault is encrypted with the customer KMS key O(encryption_key_arn). AWS cannot change the key of an
    existing vault, so a different key on an existing vault fails with a clear message instead of an API error.
  - B(Vault Lock) (O(lock)) sets the minimum and maximum retention every recovery point in the vault must have.
    Without O(lock.changeable_for_days) the lock is in I(governance) mode and can be changed or removed at any
    time. With it, the lock enters I(compliance) mode after that many days of grace (the C(LockDate) AWS
    reports), and from then on AWS refuses every change to the lock and the vault can never be deleted. The module
    reads C(Locked) and C(LockDate) first and fails with a clear message instead of attempting a change AWS
    would refuse.
  - The vault access policy (O(access_policy)) is a resource policy, typically denying
    C(backup:DeleteRecoveryPoint) to everyone but a break-glass role.
  - Options that are not given are not compared (an omitted O(tags) keeps the vault's tags, an omitted O(lock)
    or O(access_policy) leaves them as they are).
  - Bad input (an invalid name, a key or role that is not an ARN, a minimum retention above the maximum, an
    access policy that is not a JSON object) fails before any API call is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description:
      - Whether the vault should exist.
      - V(absent) deletes the vault. The module refuses to delete a vault that has a Vault Lock (remove the
        lock first with O(lock.state=absent), possible only before its C(LockDate)) or that still holds
        recovery points (AWS refuses it as well).
    type: str
    choices: [present, absent]
    default: present
  name:
    description: Name of the vault, 2 to 50 letters, digits, C(-) or C(_).
    type: str
    required: true
    aliases: [backup_vault_name]
  encryption_key_arn:
    description:
      - ARN of the customer KMS key that encrypts the vault's recovery points (a key ARN, not an alias).
      - Used at creation; compared on an existing vault, where a different key fails (AWS cannot change it).
      - When omitted at creation, AWS uses its managed C(aws/backup) key.
    type: str
  lock:
    description:
      - Vault Lock configuration (PutBackupVaultLockConfiguration). Not managed when omitted.
      - Retention values that are not given keep the vault's current values when the lock is updated.
    type: dict
    suboptions:
      state:
        description:
          - Whether the vault should have a Vault Lock.
          - V(absent) removes the lock (DeleteBackupVaultLockConfiguration); AWS allows it only before the lock's C(LockDate).
        type: str
        choices: [present, absent]
        default: present
      min_retention_days:
        description: The shortest retention, in days, a backup or copy job into the vault may set (1 to 36500).
        type: int
      max_retention_days:
        description: The longest retention, in days, a backup or copy job into the vault may set (1 to 36500, not below O(lock.min_retention_days)).
        type: int
      changeable_for_days:
        description:
          - Days of grace (3 to 36500) before the lock enters compliance mode and can no longer be changed or removed, by anyone.
          - Omit it for a governance-mode lock, which can be changed at any time.
          - AWS does not report this value, only the resulting C(LockDate). A vault that already has a
            C(LockDate) is taken to satisfy it (re-applying it would restart the countdown). To change the
            retention of a vault in its grace time, give O(lock.changeable_for_days) again; the countdown then
            restarts from the day of the change.
        type: int
  access_policy:
    description:
      - The vault access policy, a JSON policy document (a dict or a JSON string).
      - Compared semantically (statement and list order do not matter). V({}) removes the policy.
      - Not managed when omitted.
    type: json
  creator_request_id:
    description:
      - The idempotency token sent with the create request.
      - A fresh one is generated for every create when omitted, so a retried request never creates two vaults.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - AWS answers C(AccessDenied) instead of C(ResourceNotFound) when a vault does not exist; the module then
    confirms with ListBackupVaults, so a real permission problem is still reported as one.
seealso:
  - module: healthplatform.aws.backup_vault_info
  - module: healthplatform.aws.backup_selection
  - module: amazon.aws.backup_plan
"""

EXAMPLES = r"""
- name: Vault for PHI backups, encrypted with the backup key, compliance-mode Vault Lock after 3 days
  healthplatform.aws.backup_vault:
    name: healthplatform-prod
    encryption_key_arn: "{{ backup_kms_key_arn }}"
    lock:
      min_retention_days: 35
      max_retention_days: 3650
      changeable_for_days: 3
    access_policy:
      Version: "2012-10-17"
      Statement:
        - Sid: DenyRecoveryPointDeletion
          Effect: Deny
          Principal: "*"
          Action:
            - backup:DeleteRecoveryPoint
            - backup:UpdateRecoveryPointLifecycle
          Resource: "*"
    tags:
      Environment: prod
      DataClass: phi

- name: Lab vault with a governance-mode lock (can be removed at any time)
  healthplatform.aws.backup_vault:
    name: healthplatform-lab
    lock:
      min_retention_days: 1

- name: Remove the governance-mode lock, then the vault
  healthplatform.aws.backup_vault:
    name: healthplatform-lab
    lock:
      state: absent

- name: Delete the lab vault
  healthplatform.aws.backup_vault:
    name: healthplatform-lab
    state: absent
"""

RETURN = r"""
backup_vault:
  description: The vault as DescribeBackupVault describes it, with its tags (empty when O(state=absent)). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    backup_vault_name:
      description: Name of the vault.
      type: str
      sample: healthplatform-prod
    backup_vault_arn:
      description: ARN of the vault (absent in check mode before creation).
      type: str
      sample: arn:aws:backup:us-east-1:123456789012:backup-vault:healthplatform-prod
    encryption_key_arn:
      description: The KMS key that encrypts the recovery points.
      type: str
      sample: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    creator_request_id:
      description: The idempotency token of the create request.
      type: str
    locked:
      description: Whether Vault Lock protects the vault.
      type: bool
      sample: true
    min_retention_days:
      description: Vault Lock minimum retention in days.
      type: int
      sample: 35
    max_retention_days:
      description: Vault Lock maximum retention in days.
      type: int
      sample: 3650
    lock_date:
      description: When the lock enters compliance mode and becomes immutable (compliance mode only).
      type: str
      sample: "2025-01-04T10:00:00+00:00"
    number_of_recovery_points:
      description: Recovery points in the vault.
      type: int
      sample: 0
    tags:
      description: Tags of the vault.
      type: dict
      sample: {"Environment": "prod"}
    access_policy:
      description: The vault access policy document (only when O(access_policy) is managed; V({}) when there is none).
      type: dict
      returned: when O(access_policy) is given
"""

import datetime
import json
import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import all_pages
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import backup_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import backup_update_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import backup_vault_access_policy
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import changeable_days_error
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import kms_key_arn_error
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import retention_range_error
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import snake_resource

VAULT_NAME = re.compile(r"^[a-zA-Z0-9\-_]{2,50}$")


def validate(module):
    """Check the options that argument_spec cannot; fail before any API call. Returns the parsed access policy."""
    p = module.params
    if not VAULT_NAME.match(p["name"]):
        module.fail_json(msg=f"name must be 2 to 50 letters, digits, '-' or '_', got {p['name']!r}")
    problem = kms_key_arn_error(p["encryption_key_arn"], "encryption_key_arn")
    lock = p["lock"]
    if not problem and lock and lock["state"] == "present":
        problem = retention_range_error(lock["min_retention_days"], lock["max_retention_days"], "lock.min_retention_days", "lock.max_retention_days")
        problem = problem or changeable_days_error(lock["changeable_for_days"], "lock.changeable_for_days")
        if not problem and lock["min_retention_days"] is None and lock["max_retention_days"] is None:
            problem = "lock needs lock.min_retention_days or lock.max_retention_days (a lock without either protects nothing)"
    if not problem and lock and lock["state"] == "absent":
        given = [k for k in ("min_retention_days", "max_retention_days", "changeable_for_days") if lock[k] is not None]
        if given:
            problem = f"lock.{given[0]} cannot be set with lock.state=absent"
    if problem:
        module.fail_json(msg=problem)
    if p["access_policy"] is None:
        return None
    try:
        policy = json.loads(p["access_policy"])
    except ValueError as e:
        module.fail_json(msg=f"access_policy is not valid JSON: {e}")
    if not isinstance(policy, dict):
        module.fail_json(msg="access_policy must be a JSON object (a policy document with Version and Statement), or {} to remove the policy")
    if policy and not policy.get("Statement"):
        module.fail_json(msg="access_policy must have a Statement (or be {} to remove the policy)")
    return policy


# --- reading ------------------------------------------------------------------------


def describe_vault(client, name):
    """DescribeBackupVault's description of the vault, or None when it does not exist."""
    try:
        vault = client.describe_backup_vault(BackupVaultName=name, aws_retry=True)
    except is_boto3_error_code("ResourceNotFoundException"):
        return None
    except is_boto3_error_code("AccessDeniedException"):
        # AWS answers AccessDenied for a vault that does not exist: tell that apart from a real denial.
        if name in [v.get("BackupVaultName") for v in all_pages(client.list_backup_vaults, "BackupVaultList")]:
            raise
        return None
    vault.pop("ResponseMetadata", None)
    return vault


def read_vault(client, name, with_policy):
    vault = describe_vault(client, name)
    if vault is None:
        return None
    vault["Tags"] = backup_tags(client, vault["BackupVaultArn"])
    if with_policy:
        vault["AccessPolicy"] = backup_vault_access_policy(client, name)
    return vault


# --- Vault Lock ------------------------------------------------------------------------


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def has_lock(vault):
    return bool(vault.get("Locked")) or any(vault.get(k) is not None for k in ("MinRetentionDays", "MaxRetentionDays", "LockDate"))


def lock_mode(vault):
    """unlocked, governance, compliance-grace (LockDate ahead) or compliance (LockDate passed: immutable)."""
    if not has_lock(vault):
        return "unlocked"
    lock_date = vault.get("LockDate")
    if lock_date is None:
        return "governance"
    if lock_date.tzinfo is None:
        lock_date = lock_date.replace(tzinfo=datetime.timezone.utc)
    return "compliance" if lock_date <= now() else "compliance-grace"


def lock_date_text(vault):
    lock_date = vault.get("LockDate")
    return lock_date.isoformat() if hasattr(lock_date, "isoformat") else str(lock_date)


def lock_request(module, vault):
    """The PutBackupVaultLockConfiguration request the options ask for, or None when the lock already matches.

    Fails (without any call) when the vault's lock cannot be changed as asked.
    """
    name = module.params["name"]
    lock = module.params["lock"]
    mode = lock_mode(vault) if vault else "unlocked"
    want_min = lock["min_retention_days"]
    want_max = lock["max_retention_days"]
    changes = []
    if mode == "unlocked":
        changes.append("no lock yet")
    if want_min is not None and vault and want_min != vault.get("MinRetentionDays"):
        changes.append(f"min_retention_days {vault.get('MinRetentionDays')} -> {want_min}")
    if want_max is not None and vault and want_max != vault.get("MaxRetentionDays"):
        changes.append(f"max_retention_days {vault.get('MaxRetentionDays')} -> {want_max}")
    if lock["changeable_for_days"] is not None and mode in ("unlocked", "governance"):
        changes.append("compliance mode (changeable_for_days)")
    if not changes:
        return None
    if mode == "compliance":
        module.fail_json(
            msg=(
                f"backup vault {name} has been locked in compliance mode since {lock_date_text(vault)}: AWS refuses any change to its "
                f"Vault Lock ({'; '.join(changes)}). Keep lock as it is, or back up to a new vault."
            )
        )
    if mode == "compliance-grace" and lock["changeable_for_days"] is None:
        module.fail_json(
            msg=(
                f"backup vault {name} has a compliance-mode Vault Lock that becomes immutable on {lock_date_text(vault)}; "
                f"changing it ({'; '.join(changes)}) needs lock.changeable_for_days as well (the countdown then restarts)"
            )
        )
    request = {"BackupVaultName": name}
    minimum = want_min if want_min is not None else (vault or {}).get("MinRetentionDays")
    maximum = want_max if want_max is not None else (vault or {}).get("MaxRetentionDays")
    if minimum is not None:
        request["MinRetentionDays"] = minimum
    if maximum is not None:
        request["MaxRetentionDays"] = maximum
    if minimum is not None and maximum is not None and minimum > maximum:
        module.fail_json(
            msg=f"lock.min_retention_days ({minimum}) must not be greater than the vault's max_retention_days ({maximum}); set lock.max_retention_days"
        )
    if lock["changeable_for_days"] is not None:
        request["ChangeableForDays"] = lock["changeable_for_days"]
    return request


def planned_lock(vault, request):
    """The vault's lock fields after ``request`` (check mode)."""
    after = dict(vault)
    after["Locked"] = True
    after["MinRetentionDays"] = request.get("MinRetentionDays")
    after["MaxRetentionDays"] = request.get("MaxRetentionDays")
    if "ChangeableForDays" in request:
        after["LockDate"] = now() + datetime.timedelta(days=request["ChangeableForDays"])
    return {k: v for k, v in after.items() if v is not None}


def without_lock(vault):
    after = {k: v for k, v in vault.items() if k not in ("MinRetentionDays", "MaxRetentionDays", "LockDate")}
    after["Locked"] = False
    return after


def refuse_unlock(module, vault):
    mode = lock_mode(vault)
    if mode == "compliance":
        module.fail_json(
            msg=f"backup vault {module.params['name']} has been locked in compliance mode since {lock_date_text(vault)}: AWS refuses to remove its Vault Lock"
        )


# --- present / absent ----------------------------------------------------------------


def policy_differs(current, desired):
    if not desired or not current:
        return bool(desired) != bool(current)
    return compare_policies(current, desired, default_version=None)


def planned_vault(params, policy):
    vault = {"BackupVaultName": params["name"], "Locked": False, "Tags": dict(params["tags"] or {})}
    if params["encryption_key_arn"]:
        vault["EncryptionKeyArn"] = params["encryption_key_arn"]
    if policy is not None:
        vault["AccessPolicy"] = policy
    return vault


def ensure_present(module, client, existing, policy):
    params = module.params
    name = params["name"]
    lock = params["lock"]

    if existing is None:
        request = lock_request(module, None) if lock and lock["state"] == "present" else None
        after = planned_vault(params, policy)
        if request:
            after = planned_lock(after, request)
        if module.check_mode:
            return True, {}, after
        create = {"BackupVaultName": name, "CreatorRequestId": params["creator_request_id"] or idempotency_token()}
        if params["tags"]:
            create["BackupVaultTags"] = params["tags"]
        if params["encryption_key_arn"]:
            create["EncryptionKeyArn"] = params["encryption_key_arn"]
        client.create_backup_vault(aws_retry=True, **create)
        if request:
            client.put_backup_vault_lock_configuration(aws_retry=True, **request)
        if policy:
            client.put_backup_vault_access_policy(BackupVaultName=name, Policy=json.dumps(policy), aws_retry=True)
        return True, {}, read_vault(client, name, policy is not None)

    # Everything that AWS would refuse fails here, before any change is made.
    current_key = existing.get("EncryptionKeyArn")
    if params["encryption_key_arn"] and current_key and params["encryption_key_arn"] != current_key:
        module.fail_json(
            msg=(
                f"encryption_key_arn: backup vault {name} is encrypted with {current_key} and AWS cannot change the key of a vault; "
                "create a new vault to use another key"
            )
        )
    lock_put = None
    unlock = False
    if lock and lock["state"] == "present":
        lock_put = lock_request(module, existing)
    elif lock and has_lock(existing):
        refuse_unlock(module, existing)
        unlock = True
    policy_change = policy is not None and policy_differs(existing.get("AccessPolicy"), policy)

    after = dict(existing)
    changed = False
    if lock_put:
        changed = True
        after = planned_lock(after, lock_put)
        if not module.check_mode:
            client.put_backup_vault_lock_configuration(aws_retry=True, **lock_put)
    if unlock:
        changed = True
        after = without_lock(after)
        if not module.check_mode:
            client.delete_backup_vault_lock_configuration(BackupVaultName=name, aws_retry=True)
    if policy_change:
        changed = True
        after["AccessPolicy"] = policy
        if not module.check_mode:
            if policy:
                client.put_backup_vault_access_policy(BackupVaultName=name, Policy=json.dumps(policy), aws_retry=True)
            else:
                client.delete_backup_vault_access_policy(BackupVaultName=name, aws_retry=True)
    if backup_update_tags(client, existing["BackupVaultArn"], existing["Tags"], params["tags"], params["purge_tags"], module.check_mode):
        changed = True
        after["Tags"] = merged_tags(existing["Tags"], params["tags"], params["purge_tags"])
    if changed and not module.check_mode:
        after = read_vault(client, name, policy is not None)
    return changed, existing, after


def ensure_absent(module, client, existing):
    name = module.params["name"]
    if existing is None:
        return False
    if has_lock(existing):
        mode = lock_mode(existing)
        if mode == "compliance":
            reason = f"it has been locked in compliance mode since {lock_date_text(existing)} and AWS will never delete it"
        else:
            reason = f"it has a {mode} Vault Lock; remove the lock first with lock.state=absent"
            if mode == "compliance-grace":
                reason += f" (possible until {lock_date_text(existing)})"
        module.fail_json(msg=f"refusing to delete backup vault {name}: {reason}")
    if existing.get("NumberOfRecoveryPoints"):
        count = existing["NumberOfRecoveryPoints"]
        module.fail_json(msg=f"refusing to delete backup vault {name}: it holds {count} recovery points (AWS deletes only empty vaults)")
    if not module.check_mode:
        client.delete_backup_vault(BackupVaultName=name, aws_retry=True)
    return True


def diff_view(vault):
    if not vault:
        return {}
    view = {
        "backup_vault_name": vault.get("BackupVaultName"),
        "encryption_key_arn": vault.get("EncryptionKeyArn"),
        "locked": vault.get("Locked"),
        "min_retention_days": vault.get("MinRetentionDays"),
        "max_retention_days": vault.get("MaxRetentionDays"),
        "lock_date": lock_date_text(vault) if vault.get("LockDate") else None,
        "tags": vault.get("Tags"),
        "access_policy": vault.get("AccessPolicy"),
    }
    return {k: v for k, v in view.items() if v is not None}


def result_view(vault):
    if not vault:
        return {}
    result = snake_resource(vault, vault.get("Tags"), drop=("ResponseMetadata", "Tags", "AccessPolicy"))
    if "AccessPolicy" in vault:
        result["access_policy"] = vault["AccessPolicy"]
    return result


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        name=dict(type="str", required=True, aliases=["backup_vault_name"]),
        encryption_key_arn=dict(type="str", no_log=False),
        lock=dict(
            type="dict",
            options=dict(
                state=dict(type="str", choices=["present", "absent"], default="present"),
                min_retention_days=dict(type="int"),
                max_retention_days=dict(type="int"),
                changeable_for_days=dict(type="int"),
            ),
        ),
        access_policy=dict(type="json"),
        creator_request_id=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    policy = validate(module)

    client = retrying_client(module, "backup")
    name = module.params["name"]
    try:
        existing = read_vault(client, name, policy is not None)
        if module.params["state"] == "absent":
            changed = ensure_absent(module, client, existing)
            module.exit_json(changed=changed, backup_vault={}, diff=diff_of(diff_view(existing), {}))
        changed, before, after = ensure_present(module, client, existing, policy)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the backup vault {name}")

    module.exit_json(changed=changed, backup_vault=result_view(after), diff=diff_of(diff_view(before), diff_view(after)))


if __name__ == "__main__":
    main()
