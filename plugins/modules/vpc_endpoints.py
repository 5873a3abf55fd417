#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vpc_endpoints
short_description: Manage the interface and gateway endpoints of one VPC in one call
version_added: 0.1.0
description:
  - Creates, updates or deletes the VPC endpoints listed in O(endpoints), all in the VPC O(vpc_id),
    in one task. An endpoint is identified by its service and its type.
  - The VPC's endpoints are read with one C(DescribeVpcEndpoints) call; missing endpoints are created
    (with a client token), and each existing one whose subnets, security groups, route tables,
    private DNS or policy differ is changed with one C(ModifyVpcEndpoint) call. Options that are not
    given are not compared. Changed endpoints are read back in one call.
  - Interface endpoints put a network interface into each of their subnets, guarded by their security
    groups, and with private DNS answer the service's public name inside the VPC, so that instances
    reach AWS APIs without an internet path. Gateway endpoints (S3, DynamoDB) add a route to each of their route tables.
  - Bad input (an ID of the wrong kind, a gateway option on an interface endpoint, a policy that is not
    a JSON object, an endpoint listed twice) fails before any API call, naming the option.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  vpc_id:
    description: ID of the VPC of every listed endpoint.
    type: str
    required: true
  state:
    description: Whether the listed endpoints should exist.
    type: str
    choices: [present, absent]
    default: present
  endpoints:
    description: The endpoints.
    type: list
    elements: dict
    required: true
    suboptions:
      service:
        description:
          - The endpoint service, either its full name (C(com.amazonaws.us-east-1.ssm)) or the
            short name of an AWS service (C(ssm), C(s3)), which is expanded with the module's region.
        type: str
        required: true
      vpc_endpoint_type:
        description: Kind of endpoint.
        type: str
        choices: [Interface, Gateway]
        default: Interface
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
      tags:
        description: Tags of the endpoint. Not compared when omitted.
        type: dict
        aliases: [resource_tags]
      purge_tags:
        description: Remove tags of the endpoint that are not in O(endpoints[].tags) (when it is given).
        type: bool
        default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - The module does not wait for a new interface endpoint to become C(available) (a minute or two on AWS);
    the endpoint works from then on.
seealso:
  - module: healthplatform.aws.vpc_endpoint
  - module: healthplatform.aws.vpc_endpoint_info
"""

EXAMPLES = r"""
- name: Systems Manager and Secrets Manager reachable without an internet path, S3 through the app route tables
  healthplatform.aws.vpc_endpoints:
    vpc_id: "{{ vpc_id }}"
    endpoints:
      - service: ssm
        subnet_ids: "{{ app_subnet_ids }}"
        security_group_ids: ["{{ ssm_endpoint_sg }}"]
        private_dns_enabled: true
        tags:
          Name: healthplatform-prod-ssm
      - service: secretsmanager
        subnet_ids: "{{ app_subnet_ids }}"
        security_group_ids: ["{{ secretsmanager_endpoint_sg }}"]
        private_dns_enabled: true
      - service: s3
        vpc_endpoint_type: Gateway
        route_table_ids: "{{ app_route_table_ids }}"
  register: endpoints

- name: Remove an endpoint
  healthplatform.aws.vpc_endpoints:
    vpc_id: "{{ vpc_id }}"
    state: absent
    endpoints:
      - service: secretsmanager
"""

RETURN = r"""
vpc_endpoints:
  description:
    - The listed endpoints, in the order of O(endpoints), each as
      RV(healthplatform.aws.vpc_endpoint#module:vpc_endpoint) describes it, after the run
      (in check mode, what they would be, without C(vpc_endpoint_id) before creation); empty with O(state=absent).
  returned: always
  type: list
  elements: dict
  sample:
    - vpc_endpoint_id: vpce-0123456789abcdef0
      service_name: com.amazonaws.us-east-1.ssm
      vpc_endpoint_type: Interface
      state: available
      subnet_ids: [subnet-0123456789abcdef0]
      groups: [{"group_id": "sg-0123456789abcdef0", "group_name": "healthplatform-prod-vpce-ssm"}]
      private_dns_enabled: true
      tags: {"Name": "healthplatform-prod-ssm"}
vpc_endpoint_ids:
  description:
    - Endpoint type to the listed services (as given in O(endpoints[].service)) and their endpoint IDs
      (empty in check mode before creation); empty with O(state=absent).
  returned: always
  type: dict
  sample: {"Interface": {"ssm": "vpce-0123456789abcdef0"}, "Gateway": {"s3": "vpce-0fedcba9876543210"}}
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


def key_of(spec, region):
    """How an endpoint is identified in its VPC: (full service name, type)."""
    return service_name(spec["service"], region), spec["vpc_endpoint_type"]


def label(spec):
    return f"{spec['service']} ({spec['vpc_endpoint_type']})"


def validate(module):
    """Every check that needs no API call; fails naming the option."""
    p = module.params
    errors = []
    if not p["vpc_id"].startswith("vpc-"):
        errors.append(f"vpc_id must be a VPC ID (vpc-...), got {p['vpc_id']!r}")
    seen = set()
    for index, spec in enumerate(p["endpoints"]):
        prefix = f"endpoints[{index}]."
        errors += spec_errors(spec, module.region, prefix)
        key = key_of(spec, module.region or "")
        if key in seen:
            errors.append(f"{prefix}service: the {spec['vpc_endpoint_type']} endpoint of {spec['service']} is listed twice")
        seen.add(key)
    if errors:
        module.fail_json(msg="; ".join(errors))


def current_endpoints(module, client):
    """{(service name, type): endpoint} of the listed endpoints that exist; fails when a VPC has two of one."""
    p = module.params
    found = {}
    for endpoint in live_endpoints(client, [{"Name": "vpc-id", "Values": [p["vpc_id"]]}]):
        found.setdefault((endpoint["ServiceName"], endpoint["VpcEndpointType"]), []).append(endpoint)
    current = {}
    for spec in p["endpoints"]:
        key = key_of(spec, module.region)
        matches = found.get(key, [])
        error = duplicate_error(matches, key[1], key[0], p["vpc_id"])
        if error:
            module.fail_json(msg=error)
        if matches:
            current[key] = matches[0]
    return current


def ensure_present(module, client, current):
    """Returns ([(spec, endpoint ID, after)], changed labels)."""
    p = module.params
    results, changed, read_back = [], [], []
    for spec in p["endpoints"]:
        endpoint = current.get(key_of(spec, module.region))
        spec_changed, endpoint_id, after = ensure_endpoint(client, module.check_mode, p["vpc_id"], module.region, spec, endpoint)
        if spec_changed:
            changed.append(label(spec))
        if after is None:
            read_back.append(endpoint_id)
        results.append((spec, endpoint_id, after))
    if read_back:
        fresh = {e["VpcEndpointId"]: e for e in describe_endpoints(client, read_back)}
        results = [(spec, endpoint_id, after if after is not None else fresh[endpoint_id]) for spec, endpoint_id, after in results]
    return results, changed


def main():
    argument_spec = dict(
        vpc_id=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        endpoints=dict(type="list", elements="dict", required=True, options=ENDPOINT_OPTIONS),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    p = module.params

    client = retrying_client(module, "ec2")
    try:
        current = current_endpoints(module, client)
        before = {label(s): view(current.get(key_of(s, module.region))) for s in p["endpoints"]}
        if p["state"] == "absent":
            gone = [s for s in p["endpoints"] if key_of(s, module.region) in current]
            if gone and not module.check_mode:
                ids = [current[key_of(s, module.region)]["VpcEndpointId"] for s in gone]
                client.delete_vpc_endpoints(VpcEndpointIds=ids, aws_retry=True)
            module.exit_json(changed=bool(gone), vpc_endpoints=[], vpc_endpoint_ids={}, diff=diff_of({label(s): before[label(s)] for s in gone}, {}))
        results, changed = ensure_present(module, client, current)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the endpoints of {p['vpc_id']}")

    ids = {}
    for spec, endpoint_id, _after in results:
        ids.setdefault(spec["vpc_endpoint_type"], {})[spec["service"]] = endpoint_id
    after_views = {label(spec): view(after) for spec, _id, after in results}
    module.exit_json(
        changed=bool(changed),
        vpc_endpoints=[snake_with_tags(after) for _spec, _id, after in results],
        vpc_endpoint_ids=ids,
        diff=diff_of({n: before[n] for n in changed}, {n: after_views[n] for n in changed}),
    )


if __name__ == "__main__":
    main()
