#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: securityhub
short_description: Enable AWS Security Hub for an account and manage its standards
version_added: 0.1.0
description:
  - Enables AWS Security Hub for the account in the region, or disables it with O(state=absent).
  - Security Hub is enabled without the default standards, so that the module
    alone decides which standards run. Those listed in O(standards) are enabled
    (C(BatchEnableStandards)) and, with O(purge_standards=true), the others are
    disabled (C(BatchDisableStandards)).
  - Standards are named by the name and version in their ARN; the module builds
    the ARN for the region and partition. Names and versions are checked before
    any API call.
  - Options that are not given are not compared. When O(standards) is omitted
    the enabled standards are not read at all.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description:
      - Whether Security Hub should be enabled.
      - C(absent) disables Security Hub, which also disables its standards and deletes its findings after 90 days.
    type: str
    choices: [present, absent]
    default: present
  control_finding_generator:
    description:
      - C(SECURITY_CONTROL) produces one finding per control check across all enabled standards
        (consolidated control findings); C(STANDARD_CONTROL) one finding per standard.
      - Not compared when omitted; AWS uses C(SECURITY_CONTROL) when it enables Security Hub.
    type: str
    choices: [SECURITY_CONTROL, STANDARD_CONTROL]
  auto_enable_controls:
    description:
      - Whether controls that AWS adds to an enabled standard are enabled automatically.
      - Not compared when omitted; AWS uses C(true) when it enables Security Hub.
    type: bool
  standards:
    description:
      - Standards that must be enabled. Not compared when omitted.
      - An empty list with O(purge_standards=true) disables every standard.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - Name of the standard as in its ARN, one of C(aws-foundational-security-best-practices),
            C(aws-resource-tagging-standard), C(cis-aws-foundations-benchmark), C(nist-800-53),
            C(nist-800-171), C(pci-dss).
        type: str
        required: true
      version:
        description:
          - Version of the standard. C(aws-foundational-security-best-practices) C(1.0.0);
            C(aws-resource-tagging-standard) C(1.0.0); C(cis-aws-foundations-benchmark) C(1.2.0),
            C(1.4.0) or C(3.0.0); C(nist-800-53) C(5.0.0); C(nist-800-171) C(2.0.0); C(pci-dss)
            C(3.2.1) or C(4.0.1).
          - May be omitted for a standard with a single version; required otherwise.
        type: str
  purge_standards:
    description: Disable the enabled standards that are not listed in O(standards).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Enabling a standard is asynchronous; its status is C(PENDING) until Security Hub has set up its controls.
  - When one run enables one standard and disables another (for example a CIS version upgrade),
    the new one is enabled first, so that the account is never without it.
seealso:
  - module: healthplatform.aws.securityhub_info
"""

EXAMPLES = r"""
- name: Security Hub with the AWS Foundational Security Best Practices standard only (control HP-25)
  healthplatform.aws.securityhub:
    control_finding_generator: SECURITY_CONTROL
    auto_enable_controls: true
    standards:
      - name: aws-foundational-security-best-practices
    purge_standards: true

- name: Add the CIS benchmark v3.0.0 and PCI DSS v3.2.1, keep whatever else is enabled
  healthplatform.aws.securityhub:
    standards:
      - name: cis-aws-foundations-benchmark
        version: 3.0.0
      - name: pci-dss
        version: 3.2.1

- name: Disable Security Hub in the lab region
  healthplatform.aws.securityhub:
    state: absent
"""

RETURN = r"""
hub:
  description: The hub as C(DescribeHub) describes it; empty when O(state=absent). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    hub_arn:
      description: ARN of the hub (absent in check mode before Security Hub is enabled).
      type: str
      sample: arn:aws:securityhub:eu-west-1:123456789012:hub/default
    subscribed_at:
      description: When Security Hub was enabled.
      type: str
      sample: "2024-05-01T10:00:00.000Z"
    auto_enable_controls:
      description: Whether new controls are enabled automatically.
      type: bool
      sample: true
    control_finding_generator:
      description: How control findings are generated.
      type: str
      sample: SECURITY_CONTROL
standards:
  description:
    - The standards subscriptions after the run (from C(GetEnabledStandards) and the responses of the
      enable and disable calls), with the standard's O(standards[].name) and O(standards[].version).
    - In check mode, what they would be.
  returned: when O(standards) is given and O(state=present)
  type: list
  elements: dict
  sample:
    - name: aws-foundational-security-best-practices
      version: 1.0.0
      standards_arn: arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0
      standards_subscription_arn: arn:aws:securityhub:eu-west-1:123456789012:subscription/aws-foundational-security-best-practices/v/1.0.0
      standards_status: READY
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.securityhub import FAILURE
from ansible_collections.healthplatform.aws.plugins.module_utils.securityhub import hub_options
from ansible_collections.healthplatform.aws.plugins.module_utils.securityhub import manage
from ansible_collections.healthplatform.aws.plugins.module_utils.securityhub import validate


def main():
    # validation, read, plan and apply are shared with threat_detection (module_utils/securityhub.py)
    module = AnsibleAWSModule(argument_spec=hub_options(), supports_check_mode=True)
    problems = validate(module.params)
    if problems:
        module.fail_json(msg="; ".join(problems))

    client = retrying_client(module, "securityhub")
    try:
        changed, result, diff = manage(module, client, module.params)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=FAILURE)

    module.exit_json(changed=changed, diff=diff, **result)


if __name__ == "__main__":
    main()
