#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ses_configuration_set
short_description: Manage an SES configuration set with its delivery options and SNS event destinations
version_added: 0.1.0
description:
  - Creates, updates or deletes one Amazon SES configuration set in one task - whether mail sent
    through it must be delivered over TLS, whether SES keeps reputation metrics and may send, and
    its event destinations (bounces, complaints, ... published to SNS topics).
  - Options that are not given are not compared. Only what differs is changed.
  - Bad input (a name SES refuses, a destination topic that is not an SNS topic ARN) fails before any API call.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Name of the configuration set (letters, digits, C(-) and C(_), at most 64).
    type: str
    required: true
  state:
    description: Whether the configuration set should exist.
    type: str
    choices: [present, absent]
    default: present
  tls_policy:
    description:
      - C(Require) refuses to deliver a message when the receiving server cannot take it over TLS;
        C(Optional) (the SES default) falls back to plain text. Not compared when omitted.
    type: str
    choices: [Require, Optional]
  reputation_metrics_enabled:
    description: Whether SES publishes the bounce and complaint rates of the set to CloudWatch. Not compared when omitted.
    type: bool
  sending_enabled:
    description: Whether mail may be sent through the set. Not compared when omitted.
    type: bool
  event_destinations:
    description: Event destinations of the set. Not compared when omitted.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the destination.
        type: str
        required: true
      enabled:
        description: Whether events are published.
        type: bool
        default: true
      matching_event_types:
        description: Which events are published.
        type: list
        elements: str
        required: true
        choices: [send, reject, bounce, complaint, delivery, open, click, renderingFailure, deliveryDelay, subscription]
      sns_topic_arn:
        description: The SNS topic the events are published to.
        type: str
        required: true
  purge_event_destinations:
    description: Delete event destinations that are not in O(event_destinations).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Uses the SES v1 API (the one C(ses:GetIdentityVerificationAttributes) belongs to); v1 configuration sets have no tags.
  - C(CreateConfigurationSet) takes no client token; a set's name is unique in the region, so a retried create finds the set.
seealso:
  - module: healthplatform.aws.ses_configuration_set_info
  - module: healthplatform.aws.ses_domain_identity
"""

EXAMPLES = r"""
- name: Outbound mail over TLS only, bounces and complaints to the alerts topic
  healthplatform.aws.ses_configuration_set:
    name: healthplatform-prod-outbound
    tls_policy: Require
    reputation_metrics_enabled: true
    sending_enabled: true
    event_destinations:
      - name: bounces-and-complaints
        matching_event_types: [bounce, complaint, reject]
        sns_topic_arn: "{{ topics.topic_arns['healthplatform-prod-alerts'] }}"
"""

RETURN = r"""
configuration_set:
  description: The set after the run (in check mode, what it would be); empty with O(state=absent).
  returned: always
  type: dict
  contains:
    name:
      description: Name of the set.
      type: str
      sample: healthplatform-prod-outbound
    tls_policy:
      description: The TLS policy (C(Optional) when SES reports none).
      type: str
      sample: Require
    reputation_metrics_enabled:
      description: Whether reputation metrics are published (absent when SES does not report it).
      type: bool
      sample: true
    sending_enabled:
      description: Whether sending is enabled (absent when SES does not report it).
      type: bool
      sample: true
    event_destinations:
      description: The event destinations.
      type: list
      elements: dict
      sample:
        - name: bounces-and-complaints
          enabled: true
          matching_event_types: [bounce, complaint]
          sns_topic_arn: arn:aws:sns:us-east-1:123456789012:healthplatform-prod-alerts
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import CONFIGURATION_SET_OPTIONS
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import configuration_set_error
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import configuration_set_view
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import ensure_configuration_set
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import read_configuration_set
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import snake_configuration_set


def main():
    argument_spec = dict(CONFIGURATION_SET_OPTIONS, state=dict(type="str", choices=["present", "absent"], default="present"))
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    error = configuration_set_error(module.params)
    if error:
        module.fail_json(msg=error)
    name = module.params["name"]

    client = retrying_client(module, "ses")
    try:
        before = configuration_set_view(read_configuration_set(client, name))
        if module.params["state"] == "absent":
            if before and not module.check_mode:
                client.delete_configuration_set(ConfigurationSetName=name, aws_retry=True)
            module.exit_json(changed=before is not None, configuration_set={}, diff=diff_of(snake_configuration_set(before), {}))
        changed, after = ensure_configuration_set(client, module.params, before, module.check_mode)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the SES configuration set {name}")

    result = snake_configuration_set(after)
    module.exit_json(changed=changed, configuration_set=result, diff=diff_of(snake_configuration_set(before), result))


if __name__ == "__main__":
    main()
