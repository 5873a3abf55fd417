#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: inspector2
short_description: Enable or disable Amazon Inspector (v2) scanning for an account
version_added: 0.1.0
description:
  - Turns Amazon Inspector scanning on for the resource types in O(resource_types)
    that are not scanned yet (C(inspector2:Enable)), and with
    O(purge_resource_types=true) off for the others (C(inspector2:Disable)).
  - O(state=absent) turns scanning off for every resource type, which disables
    Inspector for the account in the region.
  - The current state is read with C(inspector2:BatchGetAccountStatus). A resource
    type whose status is C(ENABLING) counts as enabled, so a run right after
    enabling does not enable again.
  - Resource type names are checked against the Inspector2 API model of the
    installed botocore before any API call.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description: Whether scanning should be on (for O(resource_types)) or off for everything.
    type: str
    choices: [present, absent]
    default: present
  resource_types:
    description:
      - Resource types to scan, as the Inspector2 API spells them
        (C(EC2), C(ECR), C(LAMBDA), C(LAMBDA_CODE); newer botocore releases may know more).
      - Validated against the botocore model before any API call.
      - Required with O(state=present); not used with O(state=absent).
    type: list
    elements: str
  purge_resource_types:
    description:
      - Also disable the resource types that are enabled but not listed in O(resource_types).
      - With the default C(false), the module only ever enables.
    type: bool
    default: false
  account_id:
    description:
      - The account whose scanning is managed, for a delegated administrator managing a member account.
      - Defaults to the account of the credentials (found with C(sts:GetCallerIdentity)).
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Enabling is asynchronous on AWS; the returned status may say C(ENABLING) for a few minutes.
  - Enable requests are sent with a client token, so a retried request is applied once.
seealso:
  - module: healthplatform.aws.inspector2_info
"""

EXAMPLES = r"""
- name: Scan EC2 instances, ECR images and Lambda functions (control HP-21)
  healthplatform.aws.inspector2:
    resource_types: [EC2, ECR, LAMBDA]

- name: Scan exactly EC2 and nothing else
  healthplatform.aws.inspector2:
    resource_types: [EC2]
    purge_resource_types: true

- name: Turn Inspector off in this region
  healthplatform.aws.inspector2:
    state: absent
"""

RETURN = r"""
account_id:
  description: The account whose scanning was managed.
  returned: always
  type: str
  sample: "123456789012"
resource_types:
  description:
    - Status of each resource type the installed botocore knows, by its API name.
    - After a change, as read back from Inspector; in check mode, what it would be.
  returned: always
  type: dict
  sample: {"EC2": "ENABLED", "ECR": "ENABLING", "LAMBDA": "DISABLED", "LAMBDA_CODE": "DISABLED"}
enabled_resource_types:
  description: The resource types whose status is C(ENABLED) or C(ENABLING), sorted.
  returned: always
  type: list
  elements: str
  sample: [EC2, ECR]
account_status:
  description:
    - The account's status as C(BatchGetAccountStatus) returns it, after any change.
    - In check mode, the status before any change (empty when Inspector reports nothing for the account).
  returned: always
  type: dict
  sample:
    account_id: "123456789012"
    state: {"status": "ENABLED"}
    resource_state:
      ec2: {"status": "ENABLED"}
      ecr: {"status": "ENABLING"}
      lambda: {"status": "DISABLED"}
      lambda_code: {"status": "DISABLED"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.inspector2 import FAILURE
from ansible_collections.healthplatform.aws.plugins.module_utils.inspector2 import REQUIRED_IF
from ansible_collections.healthplatform.aws.plugins.module_utils.inspector2 import manage
from ansible_collections.healthplatform.aws.plugins.module_utils.inspector2 import scanning_options
from ansible_collections.healthplatform.aws.plugins.module_utils.inspector2 import validate


def main():
    # validation, read, plan and apply are shared with threat_detection (module_utils/inspector2.py)
    module = AnsibleAWSModule(argument_spec=scanning_options(), supports_check_mode=True, required_if=REQUIRED_IF)
    client = retrying_client(module, "inspector2")
    problems = validate(module.params, client)
    if problems:
        module.fail_json(msg="; ".join(problems))

    try:
        changed, result, diff = manage(module, client, module.params)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=FAILURE)

    module.exit_json(changed=changed, diff=diff, **result)


if __name__ == "__main__":
    main()
