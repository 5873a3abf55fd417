#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vpc_flow_log_info
short_description: List VPC flow logs
version_added: 0.1.0
description:
  - Lists VPC flow logs, optionally only those of given resources or IDs, or matching EC2 filters.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  flow_log_ids:
    description: Only these flow logs.
    type: list
    elements: str
    default: []
  resource_ids:
    description: Only flow logs of these VPCs, subnets or network interfaces.
    type: list
    elements: str
    default: []
  filters:
    description:
      - EC2 filters, see U(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeFlowLogs.html).
      - 'For example C({"log-destination-type": "s3", "traffic-type": "ALL"}).'
    type: dict
    default: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.vpc_flow_log
"""

EXAMPLES = r"""
- name: Flow logs of the platform VPC
  healthplatform.aws.vpc_flow_log_info:
    resource_ids: ["{{ vpc_id }}"]
  register: flow_logs

- name: Assert every flow log captures all traffic
  ansible.builtin.assert:
    that: flow_logs.flow_logs | map(attribute='traffic_type') | unique == ['ALL']
"""

RETURN = r"""
flow_logs:
  description: The flow logs, as EC2 describes them, tags as a dict.
  returned: always
  type: list
  elements: dict
  sample:
    - flow_log_id: fl-0123456789abcdef0
      resource_id: vpc-0123456789abcdef0
      traffic_type: ALL
      log_destination_type: s3
      log_destination: arn:aws:s3:::healthplatform-prod-logs
      flow_log_status: ACTIVE
      max_aggregation_interval: 600
      tags: {}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.transformation import ansible_dict_to_boto3_filter_list

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags


def main():
    argument_spec = dict(
        flow_log_ids=dict(type="list", elements="str", default=[]),
        resource_ids=dict(type="list", elements="str", default=[]),
        filters=dict(type="dict", default={}),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = retrying_client(module, "ec2")
    filters = dict(module.params["filters"])
    if module.params["resource_ids"]:
        filters["resource-id"] = module.params["resource_ids"]
    request = {"Filters": ansible_dict_to_boto3_filter_list(filters)}
    if module.params["flow_log_ids"]:
        request["FlowLogIds"] = module.params["flow_log_ids"]
    try:
        paginator = client.get_paginator("describe_flow_logs")
        flow_logs = paginator.paginate(**request).build_full_result()["FlowLogs"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe flow logs")
    module.exit_json(changed=False, flow_logs=[snake_with_tags(f) for f in flow_logs])


if __name__ == "__main__":
    main()
