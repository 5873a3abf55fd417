#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cloudwatch_metric_alarms_info
short_description: List CloudWatch metric alarms and the metric filters of log groups
version_added: 0.1.0
description:
  - Lists CloudWatch metric alarms by name or name prefix, and the CloudWatch Logs metric
    filters of the given log groups.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  names:
    description: Only these alarms.
    type: list
    elements: str
    default: []
  name_prefix:
    description: Only alarms whose name starts with this (ignored when O(names) is given).
    type: str
  log_group_names:
    description: Also list the metric filters of these log groups (groups that do not exist are skipped).
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.cloudwatch_metric_alarms
"""

EXAMPLES = r"""
- name: The platform's CIS alarms and the filters on the CloudTrail log group
  healthplatform.aws.cloudwatch_metric_alarms_info:
    name_prefix: healthplatform-prod-cis-
    log_group_names: [/healthplatform-prod/cloudtrail]
  register: cis

- name: Every CIS alarm notifies someone
  ansible.builtin.assert:
    that: cis.alarms | rejectattr('alarm_actions') | list | length == 0
"""

RETURN = r"""
alarms:
  description: The metric alarms as C(DescribeAlarms) describes them.
  returned: always
  type: list
  elements: dict
  sample:
    - alarm_name: healthplatform-prod-cis-root-usage
      metric_name: RootAccountUsage
      namespace: healthplatform-prod/CIS
      alarm_actions: ["arn:aws:sns:us-east-1:123456789012:healthplatform-prod-alerts"]
      state_value: OK
metric_filters:
  description: The metric filters of O(log_group_names).
  returned: always
  type: list
  elements: dict
  sample:
    - filter_name: healthplatform-prod-cis-root-usage
      log_group_name: /healthplatform-prod/cloudtrail
      filter_pattern: '{ $.userIdentity.type = "Root" }'
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import read_alarms
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import read_metric_filters
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import token_pages


def main():
    argument_spec = dict(
        names=dict(type="list", elements="str", default=[]),
        name_prefix=dict(type="str"),
        log_group_names=dict(type="list", elements="str", default=[]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = retrying_client(module, "cloudwatch")
    params = module.params
    try:
        if params["names"]:
            found = read_alarms(client, params["names"])
            alarms = [found[n] for n in params["names"] if n in found]
        else:
            request = {"AlarmTypes": ["MetricAlarm"]}
            if params["name_prefix"]:
                request["AlarmNamePrefix"] = params["name_prefix"]
            alarms = token_pages(client, "describe_alarms", "MetricAlarms", page_key="NextToken", **request)
        filters = []
        if params["log_group_names"]:
            filters = list(read_metric_filters(retrying_client(module, "logs"), params["log_group_names"]).values())
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe the CloudWatch alarms")
    module.exit_json(changed=False, alarms=[camel_dict_to_snake_dict(a) for a in alarms], metric_filters=[camel_dict_to_snake_dict(f) for f in filters])


if __name__ == "__main__":
    main()
