#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vpc_endpoint
short_description: Manage a VPC endpoint (interface or gateway) with its subnets, security groups, routes and policy
version_added: 0.1.0
description:
  - Creates, updates or deletes one VPC endpoint, identified by its VPC (O(vpc_id)), its
    service (O(service)) and its type (O(vpc_endpoint_type)).
  - Interface endpoints put a network interface into each of O(subnet_ids), guarded by
    O(security_group_ids), and with O(private_dns_enabled) answer the service's public name
    inside the VPC, so that instances reach AWS APIs (SSM, Secrets Manager, CloudWatch, KMS)
    without an internet path. Gateway endpoints (S3, DynamoDB) add a route to each of O(route_table_ids).
  - Subnets, security groups, route tables, private DNS and the policy are changed in place
    with one C(ModifyVpcEndpoint) call. Options that are not given are not compared.
  - Unlike M(amazon.aws.ec2_vpc_endpoint), an existing endpoint is found without its ID and brought to the given settings.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  vpc_id:
    description: ID of the VPC.
    type: str
    required: true
  service:
    description:
      - The endpoint service, either its full name (C(com.amazonaws.us-east-1.ssm)) or the
        short name of an AWS service (C(ssm), C(ssmmessages), C(s3)), which is expanded with the module's region.
    type: str
    required: true
  vpc_endpoint_type:
    description: Kind of endpoint.
    type: str
    choices: [Interface, Gateway]
    default: Interface
  state:
    description: Whether the endpoint should exist.
    type: str
    choices: [present, absent]
    default: present
  subnet_ids:
    description: Subnets of the endpoint's network interfaces (C(Interface) only), at most one per availability zone.
    type: list
    elements: str
  security_group_ids:
    description: Security groups of the endpoint's network interfaces (C(Interface) only).
    type: list
    elements: str
  private_dns_enabled:
    description:
      - Answer the service's public DNS name with the endpoint's private addresses (C(Interface) only).
      - Needs DNS support and DNS host names on the VPC. Not compared when omitted.
    type: bool
  route_table_ids:
    description: Route tables that get a route to the service (C(Gateway) only).
    type: list
    elements: str
  policy:
    description:
      - The endpoint policy, a JSON document (string or dict). Not compared when omitted;
        C({}) resets it to the AWS default (full access).
    type: json
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Creates are sent with a client token, so a retried request never creates two endpoints.
  - The module does not wait for a new interface endpoint to become C(available) (a minute or two on AWS);
    the endpoint works from then on.
seealso:
  - module: healthplatform.aws.vpc_endpoint_info
"""

EXAMPLES = r"""
- name: Systems Manager reachable without an internet path
  healthplatform.aws.vpc_endpoint:
    vpc_id: "{{ vpc_id }}"
    service: ssm
    subnet_ids: "{{ app_subnet_ids }}"
    security_group_ids: ["{{ ssm_endpoint_sg }}"]
    private_dns_enabled: true
    tags:
      Name: healthplatform-prod-ssm

- name: S3 through the route tables of the app tier
  healthplatform.aws.vpc_endpoint:
    vpc_id: "{{ vpc_id }}"
    service: s3
    vpc_endpoint_type: Gateway
    route_table_ids: "{{ app_route_table_ids }}"
"""

RETURN = r"""
vpc_endpoint:
  description: The endpoint as EC2 describes it (empty when O(state=absent)). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    vpc_endpoint_id:
      description: ID of the endpoint (absent in check mode before creation).
      type: str
      sample: vpce-0123456789abcdef0
    service_name:
      description: The service.
      type: str
      sample: com.amazonaws.us-east-1.ssm
    vpc_endpoint_type:
      description: Interface or Gateway.
      type: str
      sample: Interface
    state:
      description: State of the endpoint.
      type: str
      sample: available
    subnet_ids:
      description: Subnets of an interface endpoint.
      type: list
      elements: str
    groups:
      description: Security groups of an interface endpoint.
      type: list
      elements: dict
    route_table_ids:
      description: Route tables of a gateway endpoint.
      type: list
      elements: str
    private_dns_enabled:
      description: Whether private DNS is on.
      type: bool
    policy_document:
      description: The endpoint policy (JSON string).
      type: str
    tags:
      description: Tags of the endpoint.
      type: dict
vpc_endpoint_id:
  description: ID of the endpoint (empty in check mode before creation and after deletion).
  returned: always
  type: str
  sample: vpce-0123456789abcdef0
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_endpoint import ENDPOINT_OPTIONS
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_endpoint import describe_endpoints
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_endpoint import duplicate_error
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_endpoint import ensure_endpoint
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_endpoint import live_endpoints
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_endpoint import service_name
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_endpoint import spec_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.vpc_endpoint import view


def validate(module):
    p = module.params
    errors = spec_errors(p, module.region)
    if not p["vpc_id"].startswith("vpc-"):
        errors.insert(0, f"vpc_id must be a VPC ID (vpc-...), got {p['vpc_id']!r}")
    if errors:
        module.fail_json(msg="; ".join(errors))


def find_endpoint(client, module):
    p = module.params
    name = service_name(p["service"], module.region)
    filters = [
        {"Name": "vpc-id", "Values": [p["vpc_id"]]},
        {"Name": "service-name", "Values": [name]},
        {"Name": "vpc-endpoint-type", "Values": [p["vpc_endpoint_type"]]},
    ]
    endpoints = live_endpoints(client, filters)
    error = duplicate_error(endpoints, p["vpc_endpoint_type"], name, p["vpc_id"])
    if error:
        module.fail_json(msg=error)
    return endpoints[0] if endpoints else None


def main():
    argument_spec = dict(
        vpc_id=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        **ENDPOINT_OPTIONS,
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    p = module.params

    client = retrying_client(module, "ec2")
    try:
        endpoint = find_endpoint(client, module)
        if p["state"] == "absent":
            if endpoint and not module.check_mode:
                client.delete_vpc_endpoints(VpcEndpointIds=[endpoint["VpcEndpointId"]], aws_retry=True)
            module.exit_json(changed=endpoint is not None, vpc_endpoint={}, vpc_endpoint_id="", diff=diff_of(view(endpoint), {}))
        changed, endpoint_id, after = ensure_endpoint(client, module.check_mode, p["vpc_id"], module.region, p, endpoint)
        if after is None:
            after = describe_endpoints(client, [endpoint_id])[0]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the {p['service']} endpoint of {p['vpc_id']}")

    module.exit_json(changed=changed, vpc_endpoint=snake_with_tags(after), vpc_endpoint_id=endpoint_id, diff=diff_of(view(endpoint), view(after)))


if __name__ == "__main__":
    main()
