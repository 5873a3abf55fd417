#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: backup_vault_info
short_description: Describe AWS Backup vaults with their Vault Lock, tags and access policy
version_added: 0.1.0
description:
  - Lists the account's AWS Backup vaults in the region, or only those named, with their KMS key, Vault Lock
    state (C(locked), C(min_retention_days), C(max_retention_days), C(lock_date)) and tags.
  - A vault named in O(names) that does not exist is left out of the result.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  names:
    description: Only these vaults.
    type: list
    elements: str
    default: []
  include_access_policy:
    description: Also read each vault's access policy (one GetBackupVaultAccessPolicy call per vault).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.backup_vault
"""

EXAMPLES = r"""
- name: The PHI backup vault
  healthplatform.aws.backup_vault_info:
    names: [healthplatform-prod]
    include_access_policy: true
  register: vaults

- name: Assert it is locked with at least 35 days of retention and a customer key
  ansible.builtin.assert:
    that:
      - vaults.backup_vaults | length == 1
      - vaults.backup_vaults[0].locked
      - vaults.backup_vaults[0].min_retention_days >= 35
      - vaults.backup_vaults[0].encryption_key_arn is search(':key/')
"""

RETURN = r"""
backup_vaults:
  description: The vaults, as ListBackupVaults describes them, with their tags as a dict.
  returned: always
  type: list
  elements: dict
  sample:
    - backup_vault_name: healthplatform-prod
      backup_vault_arn: arn:aws:backup:us-east-1:123456789012:backup-vault:healthplatform-prod
      encryption_key_arn: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
      locked: true
      min_retention_days: 35
      max_retention_days: 3650
      lock_date: "2025-01-04T10:00:00+00:00"
      number_of_recovery_points: 12
      tags: {"Environment": "prod"}
      access_policy: {"Version": "2012-10-17", "Statement": []}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import all_pages
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import backup_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import backup_vault_access_policy
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import snake_resource


def main():
    argument_spec = dict(
        names=dict(type="list", elements="str", default=[]),
        include_access_policy=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = retrying_client(module, "backup")
    wanted = set(module.params["names"])
    result = []
    try:
        for vault in all_pages(client.list_backup_vaults, "BackupVaultList"):
            if wanted and vault.get("BackupVaultName") not in wanted:
                continue
            entry = snake_resource(vault, backup_tags(client, vault["BackupVaultArn"]))
            if module.params["include_access_policy"]:
                entry["access_policy"] = backup_vault_access_policy(client, vault["BackupVaultName"])
            result.append(entry)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe backup vaults")
    module.exit_json(changed=False, backup_vaults=result)


if __name__ == "__main__":
    main()
