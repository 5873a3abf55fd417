#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: backup_plan_info
short_description: Describe AWS Backup plans with their rules and tags
version_added: 0.1.0
description:
  - Lists the backup plans of the account and region (ListBackupPlans, current versions, deleted plans left out),
    each with its rules (GetBackupPlan) and tags, optionally only those named in O(names).
  - Tag keys, recovery point tag keys and backup option names are returned exactly as AWS returns them.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  names:
    description: Only the plans with these names. A name that no plan has is not an error.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.backup_plan
"""

EXAMPLES = r"""
- name: Read the platform's plan
  healthplatform.aws.backup_plan_info:
    names: [healthplatform-prod-plan]
  register: plans

- name: Assert every rule deletes its recovery points and copies them to a second region
  ansible.builtin.assert:
    that:
      - plans.backup_plans | length == 1
      - plans.backup_plans[0].rules | rejectattr('lifecycle.delete_after_days', 'defined') | list | length == 0
      - plans.backup_plans[0].rules | rejectattr('copy_actions', 'defined') | list | length == 0
"""

RETURN = r"""
backup_plans:
  description:
    - The plans, as GetBackupPlan describes them, with the fields of the plan document at the top level and the
      plan's tags. Same keys as the C(backup_plan) that M(healthplatform.aws.backup_plan) returns.
  returned: always
  type: list
  elements: dict
  sample:
    - backup_plan_id: 8a1f0e54-0c3d-4c1b-9b0a-3f1f1f1f1f1f
      backup_plan_arn: arn:aws:backup:us-east-1:123456789012:backup-plan:8a1f0e54-0c3d-4c1b-9b0a-3f1f1f1f1f1f
      backup_plan_name: healthplatform-prod-plan
      version_id: ZjQ2ZTI5YWQtZDg5Yi00MzYzLWJmZTAtMDI1MzhlMDhjYjEz
      rules:
        - rule_name: daily
          target_backup_vault_name: healthplatform-prod-vault
          schedule_expression: cron(0 5 ? * * *)
          lifecycle: {delete_after_days: 35}
          recovery_point_tags: {Tier: daily}
      tags: {Environment: prod}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.backup_plan import plan_view
from ansible_collections.healthplatform.aws.plugins.module_utils.backup_plan import read_plan
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import all_pages


def main():
    argument_spec = dict(names=dict(type="list", elements="str", default=[]))
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = retrying_client(module, "backup")
    wanted = set(module.params["names"])
    result = []
    try:
        for summary in all_pages(client.list_backup_plans, "BackupPlansList"):
            if wanted and summary.get("BackupPlanName") not in wanted:
                continue
            result.append(plan_view(read_plan(client, summary["BackupPlanId"])))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe backup plans")
    module.exit_json(changed=False, backup_plans=result)


if __name__ == "__main__":
    main()
