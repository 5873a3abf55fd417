#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ses_configuration_set_info
short_description: Describe SES configuration sets with their options and event destinations
version_added: 0.1.0
description:
  - Describes the SES configuration sets named in O(names) (all sets of the region when omitted),
    with their TLS policy, reputation and sending options and event destinations.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  names:
    description: Only these configuration sets (those that do not exist are left out).
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.ses_configuration_set
"""

EXAMPLES = r"""
- name: The outbound configuration set
  healthplatform.aws.ses_configuration_set_info:
    names: [healthplatform-prod-outbound]
  register: sets
"""

RETURN = r"""
configuration_sets:
  description: The configuration sets.
  returned: always
  type: list
  elements: dict
  sample:
    - name: healthplatform-prod-outbound
      tls_policy: Require
      event_destinations:
        - name: bounces-and-complaints
          enabled: true
          matching_event_types: [bounce]
          sns_topic_arn: arn:aws:sns:us-east-1:123456789012:alerts
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import read_configuration_set
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import token_pages


def main():
    module = AnsibleAWSModule(argument_spec=dict(names=dict(type="list", elements="str", default=[])), supports_check_mode=True)
    client = retrying_client(module, "ses")
    try:
        names = module.params["names"] or [s["Name"] for s in token_pages(client, "list_configuration_sets", "ConfigurationSets", page_key="NextToken")]
        result = []
        for name in names:
            described = read_configuration_set(client, name)
            if described is None:
                continue
            reputation = described.get("ReputationOptions") or {}
            item = {
                "name": name,
                "tls_policy": (described.get("DeliveryOptions") or {}).get("TlsPolicy", "Optional"),
                "event_destinations": [
                    {
                        "name": d["Name"],
                        "enabled": bool(d.get("Enabled")),
                        "matching_event_types": list(d.get("MatchingEventTypes") or []),
                        "sns_topic_arn": (d.get("SNSDestination") or {}).get("TopicARN"),
                    }
                    for d in described.get("EventDestinations") or []
                ],
            }
            if "ReputationMetricsEnabled" in reputation:
                item["reputation_metrics_enabled"] = reputation["ReputationMetricsEnabled"]
            if "SendingEnabled" in reputation:
                item["sending_enabled"] = reputation["SendingEnabled"]
            result.append(item)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe the SES configuration sets")
    module.exit_json(changed=False, configuration_sets=result)


if __name__ == "__main__":
    main()
