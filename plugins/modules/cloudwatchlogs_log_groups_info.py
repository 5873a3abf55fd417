#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cloudwatchlogs_log_groups_info
short_description: Describe CloudWatch Logs log groups with their KMS key, retention and tags
version_added: 0.1.0
description:
  - Describes the log groups named in O(names), or all whose name starts with O(prefix), with their tags.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  names:
    description: Only these log groups (those that do not exist are left out).
    type: list
    elements: str
    default: []
  prefix:
    description: Only log groups whose name starts with this (ignored when O(names) is given).
    type: str
  tags:
    description: Also read each group's tags (one call per group).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.cloudwatchlogs_log_groups
"""

EXAMPLES = r"""
- name: The platform's log groups
  healthplatform.aws.cloudwatchlogs_log_groups_info:
    prefix: /healthplatform-prod/
  register: groups

- name: Every group is encrypted with a customer key and has a retention
  ansible.builtin.assert:
    that:
      - groups.log_groups | rejectattr('kms_key_id', 'defined') | list | length == 0
      - groups.log_groups | rejectattr('retention_in_days', 'defined') | list | length == 0
"""

RETURN = r"""
log_groups:
  description: The log groups as C(DescribeLogGroups) describes them, with C(log_group_arn) (no C(:*)) and C(tags).
  returned: always
  type: list
  elements: dict
  sample:
    - log_group_name: /healthplatform-prod/cloudtrail
      log_group_arn: arn:aws:logs:us-east-1:123456789012:log-group:/healthplatform-prod/cloudtrail
      retention_in_days: 2192
      kms_key_id: arn:aws:kms:us-east-1:123456789012:key/0123abcd-12ab-34cd-56ef-1234567890ab
      tags: {"Environment": "prod"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import log_group_arn
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import read_log_groups
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import snake_log_group
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import token_pages


def main():
    argument_spec = dict(
        names=dict(type="list", elements="str", default=[]),
        prefix=dict(type="str"),
        tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = retrying_client(module, "logs")
    params = module.params
    try:
        if params["names"]:
            found = read_log_groups(client, params["names"])
            groups = [found[n] for n in params["names"] if n in found]
        else:
            request = {"logGroupNamePrefix": params["prefix"]} if params["prefix"] else {}
            groups = token_pages(client, "describe_log_groups", "logGroups", **request)
        result = []
        for group in groups:
            tags = (client.list_tags_for_resource(resourceArn=log_group_arn(group), aws_retry=True).get("tags") or {}) if params["tags"] else None
            result.append(snake_log_group(group, tags))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe the CloudWatch Logs log groups")
    module.exit_json(changed=False, log_groups=result)


if __name__ == "__main__":
    main()
