#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: inspector2_info
short_description: Report which resource types Amazon Inspector (v2) scans for an account
version_added: 0.1.0
description:
  - Reads the account's Amazon Inspector status with C(inspector2:BatchGetAccountStatus)
    and reports it per resource type.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  account_id:
    description:
      - The account to report on (a delegated administrator can read its member accounts).
      - Defaults to the account of the credentials (found with C(sts:GetCallerIdentity)).
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.inspector2
"""

EXAMPLES = r"""
- name: Read the Inspector status
  healthplatform.aws.inspector2_info:
  register: inspector

- name: Assert EC2 scanning is on (control HP-21)
  ansible.builtin.assert:
    that: inspector.resource_types.EC2 == 'ENABLED'
"""

RETURN = r"""
account_id:
  description: The account reported on.
  returned: always
  type: str
  sample: "123456789012"
resource_types:
  description:
    - Status of each resource type the installed botocore knows, by its API name
      (C(ENABLING), C(ENABLED), C(DISABLING), C(DISABLED), C(SUSPENDING) or C(SUSPENDED)).
    - A resource type Inspector does not report is C(DISABLED).
  returned: always
  type: dict
  sample: {"EC2": "ENABLED", "ECR": "ENABLED", "LAMBDA": "DISABLED", "LAMBDA_CODE": "DISABLED"}
enabled_resource_types:
  description: The resource types whose status is C(ENABLED) or C(ENABLING), sorted.
  returned: always
  type: list
  elements: str
  sample: [EC2, ECR]
account_status:
  description: The account's status as C(BatchGetAccountStatus) returns it (empty when Inspector reports nothing for the account).
  returned: always
  type: dict
  sample:
    account_id: "123456789012"
    state: {"status": "ENABLED"}
    resource_state:
      ec2: {"status": "ENABLED"}
      ecr: {"status": "ENABLED"}
      lambda: {"status": "DISABLED"}
      lambda_code: {"status": "DISABLED"}
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import inspector2_account
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import inspector2_read_status
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import inspector2_resource_types
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import inspector2_statuses
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import snake


def main():
    module = AnsibleAWSModule(argument_spec=dict(account_id=dict(type="str")), supports_check_mode=True)
    if module.params["account_id"] is not None and not re.match(r"^\d{12}$", module.params["account_id"]):
        module.fail_json(msg=f"account_id must be a 12-digit AWS account ID, got {module.params['account_id']!r}")
    client = retrying_client(module, "inspector2")
    try:
        account_id = inspector2_account(module)
        status = inspector2_read_status(module, client, account_id)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to read the Amazon Inspector status")
    statuses = inspector2_statuses(status, inspector2_resource_types(client))
    module.exit_json(
        changed=False,
        account_id=account_id,
        resource_types=statuses,
        enabled_resource_types=sorted(name for name, value in statuses.items() if value in ("ENABLED", "ENABLING")),
        account_status=snake(status),
    )


if __name__ == "__main__":
    main()
