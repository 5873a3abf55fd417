#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: backup_selection_info
short_description: List the resource selections of an AWS Backup plan
version_added: 0.1.0
description:
  - Lists the selections of one backup plan (ListBackupSelections), each with its resources and tag conditions
    (GetBackupSelection), optionally only those named in O(names).
  - A plan that does not exist has no selections (an empty list, not an error).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  backup_plan_id:
    description: ID of the backup plan. Exactly one of O(backup_plan_id) and O(backup_plan_name) is required.
    type: str
  backup_plan_name:
    description: Name of the backup plan, looked up with ListBackupPlans.
    type: str
  names:
    description: Only the selections with these names.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.backup_selection
"""

EXAMPLES = r"""
- name: Selections of the platform plan
  healthplatform.aws.backup_selection_info:
    backup_plan_name: healthplatform-prod
  register: selections

- name: Assert RDS and EBS are covered
  ansible.builtin.assert:
    that:
      - selections.backup_selections | map(attribute='backup_selection.resources') | flatten | select('search', ':rds:') | list | length > 0
      - selections.backup_selections | map(attribute='backup_selection.resources') | flatten | select('search', ':volume/') | list | length > 0
"""

RETURN = r"""
backup_plan_id:
  description: ID of the plan (null when the plan does not exist).
  returned: always
  type: str
  sample: 8a1f0e54-0c3d-4c1b-9b0a-3f1f1f1f1f1f
backup_selections:
  description: The selections, as GetBackupSelection describes them.
  returned: always
  type: list
  elements: dict
  sample:
    - selection_id: 2b5fe0f4-9f80-4dfa-8b2c-1a1f1a1f1a1f
      backup_plan_id: 8a1f0e54-0c3d-4c1b-9b0a-3f1f1f1f1f1f
      creator_request_id: 7c1e0a5e-4d65-4b8c-9a57-0d1c1c1c1c1c
      backup_selection:
        selection_name: platform-rds-ebs
        iam_role_arn: arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole
        resources: ["arn:aws:rds:*:*:db:*", "arn:aws:ec2:*:*:volume/*"]
        conditions:
          string_equals:
            - condition_key: aws:ResourceTag/Backup
              condition_value: platform
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.lifecycle import all_pages


def plan_id_of(module, client):
    if module.params["backup_plan_id"]:
        return module.params["backup_plan_id"]
    name = module.params["backup_plan_name"]
    plans = [p for p in all_pages(client.list_backup_plans, "BackupPlansList") if p.get("BackupPlanName") == name]
    if len(plans) > 1:
        module.fail_json(msg=f"the account has {len(plans)} backup plans named {name!r}; give backup_plan_id")
    return plans[0]["BackupPlanId"] if plans else None


def main():
    argument_spec = dict(
        backup_plan_id=dict(type="str"),
        backup_plan_name=dict(type="str"),
        names=dict(type="list", elements="str", default=[]),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_one_of=[("backup_plan_id", "backup_plan_name")],
        mutually_exclusive=[("backup_plan_id", "backup_plan_name")],
        supports_check_mode=True,
    )
    client = retrying_client(module, "backup")
    wanted = set(module.params["names"])
    selections = []
    plan_id = None
    try:
        plan_id = plan_id_of(module, client)
        summaries = []
        if plan_id:
            try:
                summaries = all_pages(client.list_backup_selections, "BackupSelectionsList", BackupPlanId=plan_id)
            except is_boto3_error_code("ResourceNotFoundException"):
                plan_id = None
        for summary in summaries:
            if wanted and summary.get("SelectionName") not in wanted:
                continue
            selection = client.get_backup_selection(BackupPlanId=summary["BackupPlanId"], SelectionId=summary["SelectionId"], aws_retry=True)
            selection.pop("ResponseMetadata", None)
            selections.append(camel_dict_to_snake_dict(selection))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to list backup selections")
    module.exit_json(changed=False, backup_plan_id=plan_id, backup_selections=selections)


if __name__ == "__main__":
    main()
