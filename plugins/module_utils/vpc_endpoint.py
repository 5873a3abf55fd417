# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""VPC endpoints: what vpc_endpoint and vpc_endpoints share.

An endpoint is brought to a *spec*, a mapping with the options of vpc_endpoint (one item of
vpc_endpoints' ``endpoints``): service, vpc_endpoint_type, subnet_ids, security_group_ids,
private_dns_enabled, route_table_ids, policy, tags, purge_tags. An endpoint is identified by its
VPC, its service and its type; what differs is changed with one ModifyVpcEndpoint call.
"""

from __future__ import annotations

import json

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications

from ansible_collections.healthplatform.aws.plugins.module_utils.common import ec2_update_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.network import normalized_policy
from ansible_collections.healthplatform.aws.plugins.module_utils.network import paginate

# The argument spec of one endpoint besides its VPC (both modules).
ENDPOINT_OPTIONS = dict(
    service=dict(type="str", required=True),
    vpc_endpoint_type=dict(type="str", choices=["Interface", "Gateway"], default="Interface"),
    subnet_ids=dict(type="list", elements="str"),
    security_group_ids=dict(type="list", elements="str"),
    private_dns_enabled=dict(type="bool"),
    route_table_ids=dict(type="list", elements="str"),
    policy=dict(type="json"),
    tags=dict(type="dict", aliases=["resource_tags"]),
    purge_tags=dict(type="bool", default=True),
)

DEFAULT_POLICY = {"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}
GONE = ("deleting", "deleted", "rejected", "failed", "expired")
# (option, API field of the describe result, Add... key, Remove... key)
LISTS = (
    ("subnet_ids", "SubnetIds", "AddSubnetIds", "RemoveSubnetIds"),
    ("security_group_ids", "Groups", "AddSecurityGroupIds", "RemoveSecurityGroupIds"),
    ("route_table_ids", "RouteTableIds", "AddRouteTableIds", "RemoveRouteTableIds"),
)


def service_name(service, region):
    """The full service name; a short one (``ssm``) is expanded with the region."""
    return service if "." in service else f"com.amazonaws.{region}.{service}"


def spec_errors(spec, region, prefix=""):
    """Problems of one endpoint spec that need no API call (``prefix`` names the option in the messages)."""
    errors = []
    if spec["vpc_endpoint_type"] == "Gateway":
        for option in ("subnet_ids", "security_group_ids", "private_dns_enabled"):
            if spec.get(option) is not None:
                errors.append(f"{prefix}{option} applies only to vpc_endpoint_type Interface")
    elif spec.get("route_table_ids") is not None:
        errors.append(f"{prefix}route_table_ids applies only to vpc_endpoint_type Gateway")
    for option, id_prefix in (("subnet_ids", "subnet-"), ("security_group_ids", "sg-"), ("route_table_ids", "rtb-")):
        for value in spec.get(option) or []:
            if not value.startswith(id_prefix):
                errors.append(f"{prefix}{option}: {value!r} is not an ID starting with {id_prefix}")
    if spec.get("policy") not in (None, ""):
        try:
            if not isinstance(json.loads(spec["policy"]), dict):
                errors.append(f"{prefix}policy must be a JSON object")
        except ValueError as e:
            errors.append(f"{prefix}policy is not valid JSON: {e}")
    if "." not in spec["service"] and not region:
        errors.append(f"{prefix}service: a short service name needs the region (region option or AWS_REGION)")
    return errors


def live_endpoints(client, filters):
    """The endpoints that match ``filters`` and are not gone (deleting, deleted, ...)."""
    return [e for e in paginate(client, "describe_vpc_endpoints", "VpcEndpoints", Filters=filters) if e.get("State", "").lower() not in GONE]


def duplicate_error(endpoints, kind, name, vpc_id):
    """The message when a VPC has more than one endpoint of a kind for a service, else None."""
    if len(endpoints) < 2:
        return None
    ids = ", ".join(e["VpcEndpointId"] for e in endpoints)
    return f"more than one {kind} endpoint for {name} in {vpc_id} ({ids}); remove the extra ones"


def describe_endpoints(client, endpoint_ids):
    """The endpoints with these IDs, in one call."""
    return paginate(client, "describe_vpc_endpoints", "VpcEndpoints", VpcEndpointIds=list(endpoint_ids))


def current_list(endpoint, field):
    values = endpoint.get(field) or []
    return sorted(v["GroupId"] if isinstance(v, dict) else v for v in values)


def is_default_policy(policy):
    document = json.loads(policy)
    statements = document.get("Statement")
    statements = statements if isinstance(statements, list) else [statements]
    return len(statements) == 1 and statements[0] == {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}


def plan_modify(spec, endpoint):
    """The ModifyVpcEndpoint arguments that bring an existing endpoint to the spec ({} = nothing)."""
    request = {}
    for option, field, add_key, remove_key in LISTS:
        if spec.get(option) is None:
            continue
        current = set(current_list(endpoint, field))
        wanted = set(spec[option])
        if wanted - current:
            request[add_key] = sorted(wanted - current)
        if current - wanted:
            request[remove_key] = sorted(current - wanted)
    dns = spec.get("private_dns_enabled")
    if spec["vpc_endpoint_type"] == "Interface" and dns is not None and bool(endpoint.get("PrivateDnsEnabled")) != dns:
        request["PrivateDnsEnabled"] = dns
    policy = spec.get("policy")
    if policy is not None:
        wanted_policy = normalized_policy(policy) if policy not in ("", "{}") else None
        current_policy = normalized_policy(endpoint.get("PolicyDocument"))
        if wanted_policy is None:
            if current_policy is not None and not is_default_policy(current_policy):
                # the AWS default, sent as a document (ResetPolicy does the same on AWS; moto ignores it)
                request["PolicyDocument"] = json.dumps(DEFAULT_POLICY)
        elif wanted_policy != current_policy:
            request["PolicyDocument"] = policy
    return request


def create_endpoint(client, vpc_id, region, spec):
    """Create the endpoint (with a client token); returns its ID."""
    request = {
        "VpcId": vpc_id,
        "ServiceName": service_name(spec["service"], region),
        "VpcEndpointType": spec["vpc_endpoint_type"],
        "ClientToken": idempotency_token(),
    }
    if spec["vpc_endpoint_type"] == "Interface":
        if spec.get("subnet_ids"):
            request["SubnetIds"] = spec["subnet_ids"]
        if spec.get("security_group_ids"):
            request["SecurityGroupIds"] = spec["security_group_ids"]
        if spec.get("private_dns_enabled") is not None:
            request["PrivateDnsEnabled"] = spec["private_dns_enabled"]
    elif spec.get("route_table_ids"):
        request["RouteTableIds"] = spec["route_table_ids"]
    if spec.get("policy") not in (None, "", "{}"):
        request["PolicyDocument"] = spec["policy"]
    if spec.get("tags"):
        request["TagSpecifications"] = boto3_tag_specifications(spec["tags"], types="vpc-endpoint")
    return client.create_vpc_endpoint(aws_retry=True, **request)["VpcEndpoint"]["VpcEndpointId"]


def planned(spec, vpc_id, region, endpoint, request, tags):
    """What the endpoint would be after the change (check mode)."""
    new = {"VpcId": vpc_id, "ServiceName": service_name(spec["service"], region), "VpcEndpointType": spec["vpc_endpoint_type"], "State": "pending"}
    after = dict(endpoint or new)
    for option, field, _add, _remove in LISTS:
        if spec.get(option) is not None:
            after[field] = [{"GroupId": g} for g in spec[option]] if field == "Groups" else list(spec[option])
    if spec.get("private_dns_enabled") is not None and spec["vpc_endpoint_type"] == "Interface":
        after["PrivateDnsEnabled"] = spec["private_dns_enabled"]
    if "PolicyDocument" in request:
        after["PolicyDocument"] = request["PolicyDocument"]
    elif endpoint is None and spec.get("policy") not in (None, "", "{}"):
        after["PolicyDocument"] = spec["policy"]
    after["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return after


def ensure_endpoint(client, check_mode, vpc_id, region, spec, endpoint):
    """Bring one endpoint to the spec.

    Returns (changed, endpoint ID, after): in check mode ``after`` is what the endpoint would be;
    otherwise it is the endpoint as read when nothing changed, and None when it must be read back.
    """
    current_tags = boto3_tag_list_to_ansible_dict((endpoint or {}).get("Tags") or [])
    tags_after = merged_tags(current_tags, spec.get("tags"), spec.get("purge_tags", True))
    request = plan_modify(spec, endpoint) if endpoint else {}
    if check_mode:
        changed = endpoint is None or bool(request) or tags_after != current_tags
        return changed, (endpoint or {}).get("VpcEndpointId", ""), planned(spec, vpc_id, region, endpoint, request, tags_after)
    if endpoint is None:
        return True, create_endpoint(client, vpc_id, region, spec), None
    endpoint_id = endpoint["VpcEndpointId"]
    changed = ec2_update_tags(client, endpoint_id, current_tags, spec.get("tags"), spec.get("purge_tags", True), False)
    if request:
        client.modify_vpc_endpoint(VpcEndpointId=endpoint_id, aws_retry=True, **request)
        changed = True
    return changed, endpoint_id, None if changed else endpoint


def view(endpoint):
    """A readable form of an endpoint for diffs."""
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
