#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: macie2
short_description: Enable, pause or disable Amazon Macie for the account in a region
version_added: 0.1.0
description:
  - Enables Amazon Macie (C(EnableMacie)) for the account in the region, sets whether it is running
    or paused and how often it publishes updated findings, or disables it with O(state=absent).
  - Options that are not given are not compared.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description:
      - Whether Macie should be enabled.
      - C(absent) disables Macie, which deletes its configuration, jobs and findings in the region.
    type: str
    choices: [present, absent]
    default: present
  status:
    description: C(ENABLED) runs Macie; C(PAUSED) suspends it (jobs are paused, configuration is kept).
    type: str
    choices: [ENABLED, PAUSED]
    default: ENABLED
  finding_publishing_frequency:
    description: How often updated findings are published to EventBridge and Security Hub. Not compared when omitted.
    type: str
    choices: [FIFTEEN_MINUTES, ONE_HOUR, SIX_HOURS]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Macie is enabled with a client token, so a retried request enables it once.
seealso:
  - module: healthplatform.aws.macie2_info
  - module: healthplatform.aws.macie2_classification_job
"""

EXAMPLES = r"""
- name: Macie on, findings every hour
  healthplatform.aws.macie2:
    finding_publishing_frequency: ONE_HOUR

- name: Macie off in the lab region
  healthplatform.aws.macie2:
    state: absent
"""

RETURN = r"""
session:
  description: The Macie session as C(GetMacieSession) describes it (in check mode, what it would be); empty with O(state=absent).
  returned: always
  type: dict
  sample:
    status: ENABLED
    finding_publishing_frequency: ONE_HOUR
    service_role: arn:aws:iam::123456789012:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.macie import read_session


def view(session):
    if not session:
        return {}
    return {"status": session.get("status"), "finding_publishing_frequency": session.get("findingPublishingFrequency")}


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        status=dict(type="str", choices=["ENABLED", "PAUSED"], default="ENABLED"),
        finding_publishing_frequency=dict(type="str", choices=["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    client = retrying_client(module, "macie2")
    try:
        session = read_session(client)
        if p["state"] == "absent":
            if session and not module.check_mode:
                client.disable_macie(aws_retry=True)
            module.exit_json(changed=session is not None, session={}, diff=diff_of(view(session), {}))
        after = session
        if session is None:
            changed = True
            after = {"status": p["status"], "findingPublishingFrequency": p["finding_publishing_frequency"] or "SIX_HOURS"}
            if not module.check_mode:
                request = {"status": p["status"], "clientToken": idempotency_token()}
                if p["finding_publishing_frequency"]:
                    request["findingPublishingFrequency"] = p["finding_publishing_frequency"]
                client.enable_macie(aws_retry=True, **request)
                after = read_session(client) or after
        else:
            update = {}
            if session.get("status") != p["status"]:
                update["status"] = p["status"]
            if p["finding_publishing_frequency"] and session.get("findingPublishingFrequency") != p["finding_publishing_frequency"]:
                update["findingPublishingFrequency"] = p["finding_publishing_frequency"]
            changed = bool(update)
            if changed:
                if not module.check_mode:
                    client.update_macie_session(aws_retry=True, **update)
                after = dict(session, **update)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage Amazon Macie")
    module.exit_json(changed=changed, session=camel_dict_to_snake_dict(after), diff=diff_of(view(session), view(after)))


if __name__ == "__main__":
    main()
