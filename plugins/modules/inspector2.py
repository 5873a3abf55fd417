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

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import check_enum
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import inspector2_account
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import inspector2_read_status
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import inspector2_resource_types
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import inspector2_statuses
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import snake

ON = ("ENABLED", "ENABLING")
ACCOUNT_ID = re.compile(r"^\d{12}$")


def validate(module, client):
    """Check what argument_spec cannot; fail before any API call."""
    params = module.params
    if params["account_id"] is not None and not ACCOUNT_ID.match(params["account_id"]):
        module.fail_json(msg=f"account_id must be a 12-digit AWS account ID, got {params['account_id']!r}")
    if params["state"] == "absent":
        if params["resource_types"]:
            module.fail_json(
                msg=(
                    "resource_types is not used with state=absent, which disables every resource type; "
                    "to disable only some, use state=present with purge_resource_types=true"
                )
            )
        return
    check_enum(module, "resource_types", params["resource_types"], inspector2_resource_types(client), "resource type")


def fail_on_failed_accounts(module, response, action):
    failed = response.get("failedAccounts") or []
    if failed:
        first = failed[0]
        module.fail_json(msg=f"Inspector could not {action} for account {first.get('accountId')}: {first.get('errorCode')} {first.get('errorMessage')}")


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        resource_types=dict(type="list", elements="str"),
        purge_resource_types=dict(type="bool", default=False),
        account_id=dict(type="str"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True, required_if=[("state", "present", ["resource_types"])])
    client = retrying_client(module, "inspector2")
    validate(module, client)
    params = module.params
    known = inspector2_resource_types(client)

    try:
        account_id = inspector2_account(module)
        status = inspector2_read_status(module, client, account_id)
        before = inspector2_statuses(status, known)
        enabled = {name for name, value in before.items() if value in ON}
        if params["state"] == "absent":
            to_enable, to_disable = set(), enabled
        else:
            wanted = set(params["resource_types"])
            to_enable = wanted - enabled
            to_disable = enabled - wanted if params["purge_resource_types"] else set()

        changed = bool(to_enable or to_disable)
        after = dict(before)
        if changed and module.check_mode:
            after.update({name: "ENABLED" for name in to_enable})
            after.update({name: "DISABLED" for name in to_disable})
        elif changed:
            if to_enable:
                response = client.enable(accountIds=[account_id], resourceTypes=sorted(to_enable), clientToken=idempotency_token(), aws_retry=True)
                fail_on_failed_accounts(module, response, "enable " + ", ".join(sorted(to_enable)))
            if to_disable:
                response = client.disable(accountIds=[account_id], resourceTypes=sorted(to_disable), aws_retry=True)
                fail_on_failed_accounts(module, response, "disable " + ", ".join(sorted(to_disable)))
            status = inspector2_read_status(module, client, account_id)
            after = inspector2_statuses(status, known)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage Amazon Inspector scanning")

    module.exit_json(
        changed=changed,
        account_id=account_id,
        resource_types=after,
        enabled_resource_types=sorted(name for name, value in after.items() if value in ON),
        account_status=snake(status),
        diff=diff_of({"resource_types": before}, {"resource_types": after}),
    )


if __name__ == "__main__":
    main()
