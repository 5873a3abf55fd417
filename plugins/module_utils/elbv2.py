# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers of the Elastic Load Balancing v2 modules.

Load balancer attributes (elbv2_load_balancer_attributes, elbv2_application_load_balancer):

- the keys are validated before any call (``attribute_errors``);
- only the given attributes are compared, as the strings the API uses; an attribute the
  load balancer does not report yet counts as different (the emulator reports only four
  attributes of a new load balancer until others are set);
- one ``ModifyLoadBalancerAttributes`` call for those that differ.

Also: finding a load balancer by name or ARN, and reading the tags of many resources at once.
"""

from __future__ import annotations

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthplatform.aws.plugins.module_utils.edge import attribute_value

ATTRIBUTE_KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
# DescribeTags takes at most 20 resource ARNs per call.
TAGS_PER_CALL = 20


def error_code(e):
    return e.response.get("Error", {}).get("Code") if isinstance(e, botocore.exceptions.ClientError) else None


def attribute_errors(attributes, option="attributes", required=True):
    """The problems of an attribute dict (key -> value), each naming ``option``; [] when it is fine."""
    errors = []
    if required and not attributes:
        errors.append(f"{option} must name at least one attribute")
    for key, value in (attributes or {}).items():
        if not ATTRIBUTE_KEY.match(str(key)):
            errors.append(f"{option}: {key!r} is not an ELB attribute key such as routing.http.drop_invalid_header_fields.enabled")
        if value is None or isinstance(value, (dict, list)):
            errors.append(f"{option}.{key} must be a string, number or boolean")
    return errors


def wanted_attributes(attributes):
    """The given attributes as the API reports them (booleans lower case, numbers as text)."""
    return {str(k): attribute_value(v) for k, v in (attributes or {}).items()}


def attribute_changes(current, wanted):
    """The wanted attributes whose value differs from ``current`` (an unreported one differs)."""
    return {k: v for k, v in wanted.items() if (current or {}).get(k) != v}


def find_load_balancer(client, value):
    """The description of the load balancer named (or with the ARN) ``value``; None when there is none."""
    request = {"LoadBalancerArns": [value]} if value.startswith("arn:") else {"Names": [value]}
    try:
        balancers = client.describe_load_balancers(aws_retry=True, **request)["LoadBalancers"]
    except botocore.exceptions.ClientError as e:
        if error_code(e) == "LoadBalancerNotFound":
            return None
        raise
    return balancers[0] if balancers else None


def find_load_balancer_arn(client, value):
    """The ARN of the load balancer named ``value`` (an ARN is returned as it is); None when there is none."""
    if value.startswith("arn:"):
        return value
    balancer = find_load_balancer(client, value)
    return balancer["LoadBalancerArn"] if balancer else None


def load_balancer_attributes(client, arn):
    """Every attribute the load balancer reports, key -> value (text)."""
    return {a["Key"]: a["Value"] for a in client.describe_load_balancer_attributes(LoadBalancerArn=arn, aws_retry=True)["Attributes"]}


def set_load_balancer_attributes(client, arn, current, changes):
    """Set ``changes`` with one ModifyLoadBalancerAttributes call; returns every attribute after it."""
    response = client.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[{"Key": k, "Value": v} for k, v in changes.items()], aws_retry=True)
    after = dict(current or {}, **changes)
    after.update({a["Key"]: a["Value"] for a in response.get("Attributes", [])})
    return after


def ensure_load_balancer_attributes(client, arn, current, attributes, check_mode):
    """Bring the given ``attributes`` of load balancer ``arn`` to their values.

    ``current`` is what the load balancer reports (None: read it). Returns (changed keys, before, after),
    where before/after are every attribute before and after (in check mode, what they would be).
    """
    if current is None:
        current = load_balancer_attributes(client, arn)
    changes = attribute_changes(current, wanted_attributes(attributes))
    after = dict(current, **changes)
    if changes and not check_mode:
        after = set_load_balancer_attributes(client, arn, current, changes)
    return sorted(changes), current, after


def resource_tags(client, arns):
    """The tags of ELBv2 resources (load balancers, target groups, listeners), ARN -> {key: value}; DescribeTags per 20 ARNs."""
    result = {}
    arns = [a for a in arns if a]
    for start in range(0, len(arns), TAGS_PER_CALL):
        response = client.describe_tags(ResourceArns=arns[start : start + TAGS_PER_CALL], aws_retry=True)
        for description in response.get("TagDescriptions", []):
            result[description["ResourceArn"]] = boto3_tag_list_to_ansible_dict(description.get("Tags") or [])
    return result
