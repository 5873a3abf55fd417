#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_maintenance_window_info
short_description: List SSM maintenance windows with their targets and tasks
version_added: 0.1.0
description:
  - Lists the account's Systems Manager maintenance windows, or only the one called O(name), each with its
    settings (C(GetMaintenanceWindow)), tags, registered targets and tasks (C(GetMaintenanceWindowTask), which
    includes the task's invocation parameters such as the C(Operation) of C(AWS-RunPatchBaseline)).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Only the window with this exact name.
    type: str
  enabled:
    description: Only enabled (V(true)) or disabled (V(false)) windows.
    type: bool
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.ssm_maintenance_window
"""

EXAMPLES = r"""
- name: The web tier's patch window
  healthplatform.aws.ssm_maintenance_window_info:
    name: healthplatform-prod-patch-web
  register: patch_window

- name: The window installs patches on the web patch group
  ansible.builtin.assert:
    that:
      - patch_window.maintenance_windows | length == 1
      - (patch_window.maintenance_windows[0].tasks | selectattr('task_arn', '==', 'AWS-RunPatchBaseline')
         | map(attribute='task_invocation_parameters.run_command.parameters.Operation') | list) == [['Install']]
"""

RETURN = r"""
maintenance_windows:
  description:
    - The windows, in snake_case, each with C(tags) (a dict), C(targets) and C(tasks). Each task has
      C(target_names), the names of the window targets it runs on. Document parameter names keep their case.
  returned: always
  type: list
  elements: dict
  sample:
    - window_id: mw-0123456789abcdef0
      name: healthplatform-prod-patch-web
      schedule: cron(0 2 ? * SUN *)
      schedule_timezone: Europe/Paris
      duration: 3
      cutoff: 1
      enabled: true
      tags: {Environment: prod}
      targets:
        - window_target_id: 0f5bbf1e-8a6c-4d4e-9d5e-0123456789ab
          name: web
          resource_type: INSTANCE
          targets: [{key: "tag:PatchGroup", values: [healthplatform-prod-web]}]
      tasks:
        - window_task_id: 5a6e3e2d-1b2c-4d5e-8f90-0123456789ab
          name: install-patches
          task_arn: AWS-RunPatchBaseline
          task_type: RUN_COMMAND
          target_names: [web]
          task_invocation_parameters:
            run_command:
              parameters: {Operation: [Install], RebootOption: [RebootIfNeeded]}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import maintenance_window_view
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import read_maintenance_window


def main():
    argument_spec = dict(
        name=dict(type="str"),
        enabled=dict(type="bool"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = retrying_client(module, "ssm")
    filters = []
    if module.params["name"]:
        filters.append({"Key": "Name", "Values": [module.params["name"]]})
    if module.params["enabled"] is not None:
        filters.append({"Key": "Enabled", "Values": ["true" if module.params["enabled"] else "false"]})
    request = {"Filters": filters} if filters else {}
    try:
        paginator = client.get_paginator("describe_maintenance_windows")
        identities = paginator.paginate(**request).build_full_result()["WindowIdentities"]
        if module.params["name"]:
            identities = [w for w in identities if w.get("Name") == module.params["name"]]
        windows = [maintenance_window_view(read_maintenance_window(client, w["WindowId"])) for w in identities]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe the maintenance windows")
    module.exit_json(changed=False, maintenance_windows=windows)


if __name__ == "__main__":
    main()
