#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: sns_topics_info
short_description: Describe SNS topics with their encryption, subscriptions and tags
version_added: 0.1.0
description:
  - Describes the SNS topics named in O(names) (read by ARN, built from the account of the
    credentials), each with its attributes (C(KmsMasterKeyId) among them), subscriptions and tags.
    Topics that do not exist are left out.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  names:
    description: Names of the topics.
    type: list
    elements: str
    required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.sns_topics
"""

EXAMPLES = r"""
- name: The platform's topics
  healthplatform.aws.sns_topics_info:
    names: [healthplatform-prod-alerts, healthplatform-prod-patient-notifications]
  register: topics

- name: Every topic is encrypted with a KMS key
  ansible.builtin.assert:
    that: topics.topics | map(attribute='attributes') | selectattr('KmsMasterKeyId', 'undefined') | list | length == 0
"""

RETURN = r"""
topics:
  description: The topics, with their attributes as C(GetTopicAttributes) returns them, subscriptions and tags.
  returned: always
  type: list
  elements: dict
  sample:
    - name: healthplatform-prod-alerts
      topic_arn: arn:aws:sns:us-east-1:123456789012:healthplatform-prod-alerts
      attributes: {"KmsMasterKeyId": "arn:aws:kms:us-east-1:123456789012:key/0123abcd-12ab-34cd-56ef-1234567890ab"}
      subscriptions: [{"protocol": "email", "endpoint": "oncall@example.org", "subscription_arn": "PendingConfirmation"}]
      tags: {"Environment": "prod"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import read_topic
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import snake_topic
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import topic_arn


def main():
    module = AnsibleAWSModule(argument_spec=dict(names=dict(type="list", elements="str", required=True)), supports_check_mode=True)
    client = retrying_client(module, "sns")
    try:
        account_id, partition = get_aws_account_info(module)
        topics = [(name, read_topic(client, topic_arn(partition, module.region, account_id, name))) for name in module.params["names"]]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe the SNS topics")
    module.exit_json(changed=False, topics=[snake_topic(name, topic) for name, topic in topics if topic])


if __name__ == "__main__":
    main()
