#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: securityhub_info
short_description: Describe AWS Security Hub and its enabled standards for an account
version_added: 0.1.0
description:
  - Returns whether Security Hub is enabled for the account in the region, the hub's
    attributes (C(DescribeHub)) and its standards subscriptions (C(GetEnabledStandards)).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.securityhub
"""

EXAMPLES = r"""
- name: Read Security Hub
  healthplatform.aws.securityhub_info:
  register: securityhub

- name: Assert Security Hub runs the AWS Foundational Security Best Practices standard (control HP-25)
  ansible.builtin.assert:
    that:
      - securityhub.enabled
      - securityhub.standards | selectattr('name', '==', 'aws-foundational-security-best-practices')
        | selectattr('standards_status', 'in', ['PENDING', 'READY']) | list | length == 1
"""

RETURN = r"""
enabled:
  description: Whether the account is subscribed to Security Hub in the region.
  returned: always
  type: bool
  sample: true
hub:
  description: The hub as C(DescribeHub) describes it; empty when Security Hub is not enabled.
  returned: always
  type: dict
  sample:
    hub_arn: arn:aws:securityhub:eu-west-1:123456789012:hub/default
    subscribed_at: "2024-05-01T10:00:00.000Z"
    auto_enable_controls: true
    control_finding_generator: SECURITY_CONTROL
standards:
  description:
    - The standards subscriptions as C(GetEnabledStandards) returns them, each with the standard's
      C(name) and C(version) taken from its ARN; empty when Security Hub is not enabled.
  returned: always
  type: list
  elements: dict
  sample:
    - name: aws-foundational-security-best-practices
      version: 1.0.0
      standards_arn: arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0
      standards_subscription_arn: arn:aws:securityhub:eu-west-1:123456789012:subscription/aws-foundational-security-best-practices/v/1.0.0
      standards_status: READY
      standards_input: {}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import securityhub_enabled_standards
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import securityhub_read_hub
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import securityhub_subscription
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import snake


def main():
    module = AnsibleAWSModule(argument_spec={}, supports_check_mode=True)
    client = retrying_client(module, "securityhub")
    try:
        hub = securityhub_read_hub(client)
        subscriptions = securityhub_enabled_standards(client) if hub is not None else []
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe AWS Security Hub")
    module.exit_json(
        changed=False,
        enabled=hub is not None,
        hub=snake(hub),
        standards=[securityhub_subscription(s) for s in subscriptions],
    )


if __name__ == "__main__":
    main()
