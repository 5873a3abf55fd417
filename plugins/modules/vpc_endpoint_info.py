#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vpc_endpoint_info
short_description: Read the VPC endpoints of a VPC
version_added: 0.1.0
description:
  - Returns the VPC endpoints of a VPC (or those matching EC2 filters) as EC2 describes
    them, with the short service name (C(ssm) for C(com.amazonaws.us-east-1.ssm)) for easy selection.
  - Endpoints that are deleted, rejected, failed or expired are left out unless O(include_gone=true).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  vpc_id:
    description: Only the endpoints of this VPC.
    type: str
  services:
    description: Only the endpoints of these services, by full or short name (C(ssm), C(s3)).
    type: list
    elements: str
    default: []
  filters:
    description: Further EC2 filters (U(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpoints.html)).
    type: dict
    default: {}
  include_gone:
    description: Also return endpoints that are deleting, deleted, rejected, failed or expired.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.vpc_endpoint
"""

EXAMPLES = r"""
- name: Endpoints of the platform VPC
  healthplatform.aws.vpc_endpoint_info:
    vpc_id: "{{ vpc_id }}"
  register: endpoints

- name: Assert instances reach SSM without the internet
  ansible.builtin.assert:
    that: "['ssm', 'ssmmessages', 'ec2messages'] is subset(endpoints.vpc_endpoints | map(attribute='service'))"
"""

RETURN = r"""
vpc_endpoints:
  description: The endpoints, sorted by service.
  returned: always
  type: list
  elements: dict
  contains:
    vpc_endpoint_id:
      description: ID of the endpoint.
      type: str
      sample: vpce-0123456789abcdef0
    service_name:
      description: Full service name.
      type: str
      sample: com.amazonaws.us-east-1.ssm
    service:
      description: Short service name (the part after the region).
      type: str
      sample: ssm
    vpc_endpoint_type:
      description: Interface or Gateway.
      type: str
    state:
      description: State of the endpoint.
      type: str
    tags:
      description: Tags of the endpoint.
      type: dict
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.transformation import ansible_dict_to_boto3_filter_list

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.network import paginate

GONE = ("deleting", "deleted", "rejected", "failed", "expired")


def main():
    argument_spec = dict(
        vpc_id=dict(type="str"),
        services=dict(type="list", elements="str", default=[]),
        filters=dict(type="dict", default={}),
        include_gone=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    filters = dict(p["filters"])
    if p["vpc_id"]:
        filters["vpc-id"] = p["vpc_id"]
    if p["services"]:
        filters["service-name"] = [s if "." in s else f"com.amazonaws.{module.region}.{s}" for s in p["services"]]

    client = retrying_client(module, "ec2")
    try:
        endpoints = paginate(client, "describe_vpc_endpoints", "VpcEndpoints", Filters=ansible_dict_to_boto3_filter_list(filters))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe VPC endpoints")

    result = []
    for endpoint in endpoints:
        if not p["include_gone"] and endpoint.get("State", "").lower() in GONE:
            continue
        item = snake_with_tags(endpoint)
        name = endpoint.get("ServiceName", "")
        item["service"] = name.split(".", 3)[3] if name.startswith("com.amazonaws.") and name.count(".") >= 3 else name
        result.append(item)
    result.sort(key=lambda e: (e["service"], e["vpc_endpoint_id"]))
    module.exit_json(changed=False, vpc_endpoints=result)


if __name__ == "__main__":
    main()
