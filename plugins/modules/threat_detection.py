#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: threat_detection
short_description: Manage the GuardDuty detector, Inspector scanning and Security Hub of an account in one run
version_added: 0.1.0
description:
  - Brings the account's threat detection in the region to the wanted state in one module run
    (one Python start and one module build instead of three) - the GuardDuty detector
    (O(guardduty)), Amazon Inspector (v2) scanning (O(inspector2)) and AWS Security Hub (O(securityhub)).
  - Each option takes the options of the single-service module, which runs the same code -
    M(healthplatform.aws.guardduty_detector), M(healthplatform.aws.inspector2) and
    M(healthplatform.aws.securityhub) - and behaves as that module does.
  - A service whose option is omitted is neither read nor changed (the module makes no call to it).
    At least one of the three must be given.
  - The input of all three is validated before the first API call; a message names the option path,
    for example C(guardduty.features[1].name).
  - The services are handled in the order GuardDuty, Inspector, Security Hub. When one fails, the
    ones before it may have been changed already; the failure of an API call returns their results
    under their keys.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  guardduty:
    description:
      - The GuardDuty detector of the account in the region, as M(healthplatform.aws.guardduty_detector) manages it.
      - Omitted, GuardDuty is neither read nor changed.
    type: dict
    suboptions:
      state:
        description:
          - Whether the detector should exist.
          - C(absent) deletes the detector, and with it the findings GuardDuty keeps for the account in the region.
        type: str
        choices: [present, absent]
        default: present
      enable:
        description:
          - Whether the detector analyses data (C(true)) or is suspended (C(false)).
          - A suspended detector keeps its settings and findings but produces no new findings.
        type: bool
        default: true
      finding_publishing_frequency:
        description:
          - How often updated findings are exported to EventBridge (and S3 when configured).
          - Not compared when omitted; AWS uses C(SIX_HOURS) for a new detector.
        type: str
        choices: [FIFTEEN_MINUTES, ONE_HOUR, SIX_HOURS]
      features:
        description:
          - Protection plans to turn on or off. Only the listed features are compared and changed;
            a feature the detector does not report counts as C(DISABLED).
          - Not compared when omitted.
        type: list
        elements: dict
        suboptions:
          name:
            description:
              - Name of the feature as the GuardDuty API spells it, for example C(S3_DATA_EVENTS),
                C(EKS_AUDIT_LOGS), C(EBS_MALWARE_PROTECTION), C(RDS_LOGIN_EVENTS), C(LAMBDA_NETWORK_LOGS)
                or C(RUNTIME_MONITORING).
              - Validated against the botocore model before any API call.
            type: str
            required: true
          status:
            description: Whether the feature is on.
            type: str
            choices: [ENABLED, DISABLED]
            default: ENABLED
      tags:
        description:
          - Tags of the detector. Not compared when omitted.
          - Changing the tags of an existing detector needs C(sts:GetCallerIdentity) (to build the detector ARN).
        type: dict
        aliases: [resource_tags]
      purge_tags:
        description: Remove the tags of the detector that are not in O(guardduty.tags).
        type: bool
        default: true
  inspector2:
    description:
      - Amazon Inspector scanning of the account, as M(healthplatform.aws.inspector2) manages it.
      - Omitted, Inspector is neither read nor changed.
    type: dict
    suboptions:
      state:
        description: Whether scanning should be on (for O(inspector2.resource_types)) or off for everything.
        type: str
        choices: [present, absent]
        default: present
      resource_types:
        description:
          - Resource types to scan, as the Inspector2 API spells them
            (C(EC2), C(ECR), C(LAMBDA), C(LAMBDA_CODE); newer botocore releases may know more).
          - Validated against the botocore model before any API call.
          - Required with O(inspector2.state=present); not used with O(inspector2.state=absent).
          - A resource type whose status is C(ENABLING) counts as enabled.
        type: list
        elements: str
      purge_resource_types:
        description:
          - Also disable the resource types that are enabled but not listed in O(inspector2.resource_types).
          - With the default C(false), the module only ever enables.
        type: bool
        default: false
      account_id:
        description:
          - The account whose scanning is managed, for a delegated administrator managing a member account.
          - Defaults to the account of the credentials (found with C(sts:GetCallerIdentity)).
        type: str
  securityhub:
    description:
      - AWS Security Hub of the account in the region, as M(healthplatform.aws.securityhub) manages it.
      - Security Hub is enabled without the default standards, so that the module alone decides which standards run.
      - Omitted, Security Hub is neither read nor changed.
    type: dict
    suboptions:
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
          - Standards that must be enabled. Not compared when omitted, and then not even read.
          - An empty list with O(securityhub.purge_standards=true) disables every standard.
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
        description: Disable the enabled standards that are not listed in O(securityhub.standards).
        type: bool
        default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff). The diff is one section per service given.
  - A run that changes nothing makes no mutating call.
  - The detector is created and Inspector enabled with a client token, so a retried request is applied once.
  - Enabling Inspector scanning and Security Hub standards is asynchronous on AWS; their status may say
    C(ENABLING) or C(PENDING) for a few minutes.
seealso:
  - module: healthplatform.aws.guardduty_detector
  - module: healthplatform.aws.inspector2
  - module: healthplatform.aws.securityhub
"""

EXAMPLES = r"""
- name: GuardDuty, Inspector and Security Hub of the account (controls HP-21, HP-25)
  healthplatform.aws.threat_detection:
    guardduty:
      enable: true
      finding_publishing_frequency: FIFTEEN_MINUTES
      features:
        - name: S3_DATA_EVENTS
        - name: RDS_LOGIN_EVENTS
        - name: EBS_MALWARE_PROTECTION
      tags:
        Environment: prod
    inspector2:
      resource_types: [EC2, ECR, LAMBDA]
    securityhub:
      control_finding_generator: SECURITY_CONTROL
      standards:
        - name: aws-foundational-security-best-practices
        - name: cis-aws-foundations-benchmark
          version: 3.0.0
      purge_standards: true
  register: threat_detection

- name: Only Inspector (GuardDuty and Security Hub are not read)
  healthplatform.aws.threat_detection:
    inspector2:
      resource_types: [EC2]
      purge_resource_types: true

- name: Everything off in the lab region
  healthplatform.aws.threat_detection:
    guardduty:
      state: absent
    inspector2:
      state: absent
    securityhub:
      state: absent
"""

RETURN = r"""
guardduty:
  description: What M(healthplatform.aws.guardduty_detector) returns, without its diff.
  returned: when O(guardduty) is given
  type: dict
  contains:
    changed:
      description: Whether the detector changed (would change in check mode).
      type: bool
      sample: false
    detector:
      description:
        - The detector as GuardDuty describes it (GetDetector), with its ID; empty when O(guardduty.state=absent).
        - In check mode, what it would be.
      type: dict
      sample:
        detector_id: 12abc34d567e8fa901bc2d34e56789f0
        status: ENABLED
        finding_publishing_frequency: FIFTEEN_MINUTES
        features: [{"name": "S3_DATA_EVENTS", "status": "ENABLED"}]
        service_role: arn:aws:iam::123456789012:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty
        created_at: "2024-05-01T10:00:00.000Z"
        tags: {"Environment": "prod"}
inspector2:
  description: What M(healthplatform.aws.inspector2) returns, without its diff.
  returned: when O(inspector2) is given
  type: dict
  contains:
    changed:
      description: Whether scanning changed (would change in check mode).
      type: bool
      sample: false
    account_id:
      description: The account whose scanning was managed.
      type: str
      sample: "123456789012"
    resource_types:
      description:
        - Status of each resource type the installed botocore knows, by its API name.
        - After a change, as read back from Inspector; in check mode, what it would be.
      type: dict
      sample: {"EC2": "ENABLED", "ECR": "ENABLING", "LAMBDA": "DISABLED", "LAMBDA_CODE": "DISABLED"}
    enabled_resource_types:
      description: The resource types whose status is C(ENABLED) or C(ENABLING), sorted.
      type: list
      elements: str
      sample: [EC2, ECR]
    account_status:
      description:
        - The account's status as C(BatchGetAccountStatus) returns it, after any change.
        - In check mode, the status before any change (empty when Inspector reports nothing for the account).
      type: dict
      sample:
        account_id: "123456789012"
        state: {"status": "ENABLED"}
        resource_state: {"ec2": {"status": "ENABLED"}, "ecr": {"status": "ENABLING"}}
securityhub:
  description: What M(healthplatform.aws.securityhub) returns, without its diff.
  returned: when O(securityhub) is given
  type: dict
  contains:
    changed:
      description: Whether Security Hub changed (would change in check mode).
      type: bool
      sample: false
    hub:
      description: The hub as C(DescribeHub) describes it; empty when O(securityhub.state=absent). In check mode, what it would be.
      type: dict
      sample:
        hub_arn: arn:aws:securityhub:eu-west-1:123456789012:hub/default
        subscribed_at: "2024-05-01T10:00:00.000Z"
        auto_enable_controls: true
        control_finding_generator: SECURITY_CONTROL
    standards:
      description:
        - The standards subscriptions after the run, with the standard's name and version.
        - Only when O(securityhub.standards) is given and O(securityhub.state=present); in check mode, what they would be.
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

from ansible_collections.healthplatform.aws.plugins.module_utils import guardduty
from ansible_collections.healthplatform.aws.plugins.module_utils import inspector2
from ansible_collections.healthplatform.aws.plugins.module_utils import securityhub
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client

# option (= boto3 service name), in the order the services are handled
SERVICES = ("guardduty", "inspector2", "securityhub")


def problems_of(module, clients):
    """Every problem of every given part, each naming its option path; reads only the API models."""
    params = module.params
    problems = []
    if params["guardduty"] is not None:
        problems += guardduty.validate(params["guardduty"], clients["guardduty"], "guardduty.")
    if params["inspector2"] is not None:
        problems += inspector2.validate(params["inspector2"], clients["inspector2"], "inspector2.")
    if params["securityhub"] is not None:
        problems += securityhub.validate(params["securityhub"], "securityhub.")
    return problems


def main():
    argument_spec = dict(
        guardduty=dict(type="dict", options=guardduty.detector_options()),
        inspector2=dict(type="dict", options=inspector2.scanning_options(), required_if=inspector2.REQUIRED_IF),
        securityhub=dict(type="dict", options=securityhub.hub_options()),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True, required_one_of=[SERVICES])

    # clients only for the services given (creating one makes no API call)
    clients = {name: retrying_client(module, name) for name in SERVICES if module.params[name] is not None}
    problems = problems_of(module, clients)
    if problems:
        module.fail_json(msg="; ".join(problems))

    parts = {"guardduty": guardduty, "inspector2": inspector2, "securityhub": securityhub}
    changed, results, diffs = False, {}, []
    for name, client in clients.items():
        part = parts[name]
        try:
            part_changed, result, diff = part.manage(module, client, module.params[name])
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            module.fail_json_aws(e, msg=f"{name}: {part.FAILURE}", changed=changed, **results)
        changed = changed or part_changed
        results[name] = dict(result, changed=part_changed)
        diffs.append(dict(diff, before_header=name, after_header=name))

    module.exit_json(changed=changed, diff=diffs, **results)


if __name__ == "__main__":
    main()
