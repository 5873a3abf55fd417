#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: elbv2_load_balancer_attributes_info
short_description: Read the attributes of application, network or gateway load balancers
version_added: 0.1.0
description:
  - Returns the attributes of each load balancer in O(load_balancers) (by name or ARN) as the
    ELB API reports them, key to value, one read each.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  load_balancers:
    description: Names or ARNs of the load balancers.
    type: list
    elements: str
    required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.elbv2_load_balancer_attributes
"""

EXAMPLES = r"""
- name: Attributes of the portal load balancer
  healthplatform.aws.elbv2_load_balancer_attributes_info:
    load_balancers: [healthplatform-prod-alb]
  register: alb_attributes

- name: Assert it drops invalid header fields and is protected from deletion
  ansible.builtin.assert:
    that:
      - alb_attributes.load_balancers[0].attributes['routing.http.drop_invalid_header_fields.enabled'] == 'true'
      - alb_attributes.load_balancers[0].attributes['deletion_protection.enabled'] == 'true'
"""

RETURN = r"""
load_balancers:
  description: One item per load balancer, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    load_balancer_arn:
      description: ARN of the load balancer.
      type: str
    load_balancer_name:
      description: Name of the load balancer.
      type: str
    attributes:
      description: Attribute key to value, as the API reports them.
      type: dict
      sample: {"deletion_protection.enabled": "true", "access_logs.s3.enabled": "true"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client


def main():
    argument_spec = dict(load_balancers=dict(type="list", elements="str", required=True))
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = retrying_client(module, "elbv2")
    result = []
    try:
        for value in module.params["load_balancers"]:
            request = {"LoadBalancerArns": [value]} if value.startswith("arn:") else {"Names": [value]}
            try:
                (balancer,) = client.describe_load_balancers(aws_retry=True, **request)["LoadBalancers"]
            except botocore.exceptions.ClientError as e:
                if e.response.get("Error", {}).get("Code") == "LoadBalancerNotFound":
                    module.fail_json(msg=f"load_balancers: {value!r} does not exist")
                raise
            attributes = client.describe_load_balancer_attributes(LoadBalancerArn=balancer["LoadBalancerArn"], aws_retry=True)["Attributes"]
            result.append(
                {
                    "load_balancer_arn": balancer["LoadBalancerArn"],
                    "load_balancer_name": balancer["LoadBalancerName"],
                    "attributes": {a["Key"]: a["Value"] for a in attributes},
                }
            )
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to read load balancer attributes")
    module.exit_json(changed=False, load_balancers=result)


if __name__ == "__main__":
    main()
