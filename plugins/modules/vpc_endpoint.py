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

import json

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import ec2_update_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.network import normalized_policy
from ansible_collections.healthplatform.aws.plugins.module_utils.network import paginate

DEFAULT_POLICY = {"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}
GONE = ("deleting", "deleted", "rejected", "failed", "expired")
# (option, API field of the describe result, Add... key, Remove... key)
LISTS = (
    ("subnet_ids", "SubnetIds", "AddSubnetIds", "RemoveSubnetIds"),
    ("security_group_ids", "Groups", "AddSecurityGroupIds", "RemoveSecurityGroupIds"),
    ("route_table_ids", "RouteTableIds", "AddRouteTableIds", "RemoveRouteTableIds"),
)


def service_name(module):
    service = module.params["service"]
    if "." in service:
        return service
    return f"com.amazonaws.{module.region}.{service}"


def validate(module):
    p = module.params
    errors = []
    if not p["vpc_id"].startswith("vpc-"):
        errors.append(f"vpc_id must be a VPC ID (vpc-...), got {p['vpc_id']!r}")
    if p["vpc_endpoint_type"] == "Gateway":
        for option in ("subnet_ids", "security_group_ids", "private_dns_enabled"):
            if p[option] is not None:
                errors.append(f"{option} applies only to vpc_endpoint_type Interface")
    elif p["route_table_ids"] is not None:
        errors.append("route_table_ids applies only to vpc_endpoint_type Gateway")
    for option, prefix in (("subnet_ids", "subnet-"), ("security_group_ids", "sg-"), ("route_table_ids", "rtb-")):
        for value in p[option] or []:
            if not value.startswith(prefix):
                errors.append(f"{option}: {value!r} is not an ID starting with {prefix}")
    if p["policy"] not in (None, ""):
        try:
            if not isinstance(json.loads(p["policy"]), dict):
                errors.append("policy must be a JSON object")
        except ValueError as e:
            errors.append(f"policy is not valid JSON: {e}")
    if "." not in p["service"] and not module.region:
        errors.append("service: a short service name needs the region (region option or AWS_REGION)")
    if errors:
        module.fail_json(msg="; ".join(errors))


def find_endpoint(client, module):
    filters = [
        {"Name": "vpc-id", "Values": [module.params["vpc_id"]]},
        {"Name": "service-name", "Values": [service_name(module)]},
        {"Name": "vpc-endpoint-type", "Values": [module.params["vpc_endpoint_type"]]},
    ]
    endpoints = [e for e in paginate(client, "describe_vpc_endpoints", "VpcEndpoints", Filters=filters) if e.get("State", "").lower() not in GONE]
    if len(endpoints) > 1:
        ids = ", ".join(e["VpcEndpointId"] for e in endpoints)
        module.fail_json(
            msg=(
                f"more than one {module.params['vpc_endpoint_type']} endpoint for {service_name(module)} "
                f"in {module.params['vpc_id']} ({ids}); remove the extra ones"
            )
        )
    return endpoints[0] if endpoints else None


def current_list(endpoint, field):
    values = endpoint.get(field) or []
    return sorted(v["GroupId"] if isinstance(v, dict) else v for v in values)


def plan_modify(module, endpoint):
    """The ModifyVpcEndpoint arguments that bring an existing endpoint to the given settings ({} = nothing)."""
    p = module.params
    request = {}
    for option, field, add_key, remove_key in LISTS:
        if p[option] is None:
            continue
        current = set(current_list(endpoint, field))
        wanted = set(p[option])
        if wanted - current:
            request[add_key] = sorted(wanted - current)
        if current - wanted:
            request[remove_key] = sorted(current - wanted)
    if p["vpc_endpoint_type"] == "Interface" and p["private_dns_enabled"] is not None and bool(endpoint.get("PrivateDnsEnabled")) != p["private_dns_enabled"]:
        request["PrivateDnsEnabled"] = p["private_dns_enabled"]
    if p["policy"] is not None:
        wanted_policy = normalized_policy(p["policy"]) if p["policy"] not in ("", "{}") else None
        current_policy = normalized_policy(endpoint.get("PolicyDocument"))
        if wanted_policy is None:
            if current_policy is not None and not is_default_policy(current_policy):
                # the AWS default, sent as a document (ResetPolicy does the same on AWS; moto ignores it)
                request["PolicyDocument"] = json.dumps(DEFAULT_POLICY)
        elif wanted_policy != current_policy:
            request["PolicyDocument"] = p["policy"]
    return request


def is_default_policy(policy):
    document = json.loads(policy)
    statements = document.get("Statement")
    statements = statements if isinstance(statements, list) else [statements]
    return len(statements) == 1 and statements[0] == {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}


def create(module, client):
    p = module.params
    request = {
        "VpcId": p["vpc_id"],
        "ServiceName": service_name(module),
        "VpcEndpointType": p["vpc_endpoint_type"],
        "ClientToken": idempotency_token(),
    }
    if p["vpc_endpoint_type"] == "Interface":
        if p["subnet_ids"]:
            request["SubnetIds"] = p["subnet_ids"]
        if p["security_group_ids"]:
            request["SecurityGroupIds"] = p["security_group_ids"]
        if p["private_dns_enabled"] is not None:
            request["PrivateDnsEnabled"] = p["private_dns_enabled"]
    elif p["route_table_ids"]:
        request["RouteTableIds"] = p["route_table_ids"]
    if p["policy"] not in (None, "", "{}"):
        request["PolicyDocument"] = p["policy"]
    if p["tags"]:
        request["TagSpecifications"] = boto3_tag_specifications(p["tags"], types="vpc-endpoint")
    return client.create_vpc_endpoint(aws_retry=True, **request)["VpcEndpoint"]["VpcEndpointId"]


def describe(client, endpoint_id):
    return client.describe_vpc_endpoints(VpcEndpointIds=[endpoint_id], aws_retry=True)["VpcEndpoints"][0]


def planned(module, endpoint, request, tags):
    p = module.params
    after = dict(endpoint or {"VpcId": p["vpc_id"], "ServiceName": service_name(module), "VpcEndpointType": p["vpc_endpoint_type"], "State": "pending"})
    for option, field, _add, _remove in LISTS:
        if p[option] is not None:
            after[field] = [{"GroupId": g} for g in p[option]] if field == "Groups" else list(p[option])
    if p["private_dns_enabled"] is not None and p["vpc_endpoint_type"] == "Interface":
        after["PrivateDnsEnabled"] = p["private_dns_enabled"]
    if "PolicyDocument" in request:
        after["PolicyDocument"] = request["PolicyDocument"]
    elif endpoint is None and p["policy"] not in (None, "", "{}"):
        after["PolicyDocument"] = p["policy"]
    after["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
    return after


def view(endpoint):
    if not endpoint:
        return {}
    result = {
        "service_name": endpoint.get("ServiceName"),
        "vpc_endpoint_type": endpoint.get("VpcEndpointType"),
        "tags": boto3_tag_list_to_ansible_dict(endpoint.get("Tags") or []),
        "policy": json.loads(endpoint["PolicyDocument"]) if endpoint.get("PolicyDocument") else None,
    }
    if endpoint.get("VpcEndpointType") == "Gateway":
        result["route_table_ids"] = current_list(endpoint, "RouteTableIds")
    else:
        result["subnet_ids"] = current_list(endpoint, "SubnetIds")
        result["security_group_ids"] = current_list(endpoint, "Groups")
        result["private_dns_enabled"] = endpoint.get("PrivateDnsEnabled")
    return result


def ensure_present(module, client, endpoint):
    p = module.params
    current_tags = boto3_tag_list_to_ansible_dict((endpoint or {}).get("Tags") or [])
    tags_after = merged_tags(current_tags, p["tags"], p["purge_tags"])
    request = plan_modify(module, endpoint) if endpoint else {}
    if module.check_mode:
        changed = endpoint is None or bool(request) or tags_after != current_tags
        return changed, planned(module, endpoint, request, tags_after)
    if endpoint is None:
        return True, describe(client, create(module, client))
    changed = ec2_update_tags(client, endpoint["VpcEndpointId"], current_tags, p["tags"], p["purge_tags"], False)
    if request:
        client.modify_vpc_endpoint(VpcEndpointId=endpoint["VpcEndpointId"], aws_retry=True, **request)
        changed = True
    return changed, describe(client, endpoint["VpcEndpointId"]) if changed else endpoint


def main():
    argument_spec = dict(
        vpc_id=dict(type="str", required=True),
        service=dict(type="str", required=True),
        vpc_endpoint_type=dict(type="str", choices=["Interface", "Gateway"], default="Interface"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        subnet_ids=dict(type="list", elements="str"),
        security_group_ids=dict(type="list", elements="str"),
        private_dns_enabled=dict(type="bool"),
        route_table_ids=dict(type="list", elements="str"),
        policy=dict(type="json"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = retrying_client(module, "ec2")
    try:
        endpoint = find_endpoint(client, module)
        if module.params["state"] == "absent":
            if endpoint and not module.check_mode:
                client.delete_vpc_endpoints(VpcEndpointIds=[endpoint["VpcEndpointId"]], aws_retry=True)
            module.exit_json(changed=endpoint is not None, vpc_endpoint={}, vpc_endpoint_id="", diff=diff_of(view(endpoint), {}))
        changed, after = ensure_present(module, client, endpoint)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the {module.params['service']} endpoint of {module.params['vpc_id']}")

    module.exit_json(
        changed=changed, vpc_endpoint=snake_with_tags(after), vpc_endpoint_id=after.get("VpcEndpointId", ""), diff=diff_of(view(endpoint), view(after))
    )


if __name__ == "__main__":
    main()
