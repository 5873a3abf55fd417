#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: elbv2_load_balancer_attributes
short_description: Set the attributes of an application, network or gateway load balancer
version_added: 0.1.0
description:
  - Sets the given attributes of one Elastic Load Balancing v2 load balancer (deletion protection,
    dropping invalid header fields, access logs, desync mitigation, idle timeout, ...) with one
    C(ModifyLoadBalancerAttributes) call for those that differ.
  - Only the attributes given are compared; the others are left as they are. An attribute the
    load balancer does not report yet counts as different and is set.
  - Complements M(amazon.aws.elb_application_lb), which manages the load balancer and its listeners;
    give the attributes here and leave the corresponding options of that module unset.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  load_balancer:
    description: Name or ARN of the load balancer.
    type: str
    required: true
    aliases: [load_balancer_arn, name]
  attributes:
    description:
      - Attribute key to value, with the keys of the ELB API, for example
        C(deletion_protection.enabled), C(routing.http.drop_invalid_header_fields.enabled),
        C(access_logs.s3.enabled), C(access_logs.s3.bucket), C(access_logs.s3.prefix),
        C(routing.http.desync_mitigation_mode), C(idle_timeout.timeout_seconds).
      - Booleans may be given as YAML booleans; every value is compared as the text the API uses.
      - See U(https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html).
    type: dict
    required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - AWS checks an access log bucket when access logs are switched on (it writes a test object);
    the bucket policy must let Elastic Load Balancing write to it.
seealso:
  - module: amazon.aws.elb_application_lb
"""

EXAMPLES = r"""
- name: Harden the portal load balancer
  healthplatform.aws.elbv2_load_balancer_attributes:
    load_balancer: healthplatform-prod-alb
    attributes:
      deletion_protection.enabled: true
      routing.http.drop_invalid_header_fields.enabled: true
      routing.http.desync_mitigation_mode: strictest
      access_logs.s3.enabled: true
      access_logs.s3.bucket: healthplatform-prod-alb-logs
      access_logs.s3.prefix: portal
"""

RETURN = r"""
load_balancer_arn:
  description: ARN of the load balancer.
  returned: always
  type: str
  sample: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/healthplatform-prod-alb/50dc6c495c0c9188
attributes:
  description: Every attribute of the load balancer after the task (in check mode, what they would be).
  returned: always
  type: dict
  sample: {"deletion_protection.enabled": "true", "routing.http.drop_invalid_header_fields.enabled": "true"}
changed_attributes:
  description: The attributes that were (or in check mode would be) set.
  returned: always
  type: list
  elements: str
  sample: ["routing.http.drop_invalid_header_fields.enabled"]
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.edge import attribute_value

KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")


def validate(module):
    errors = []
    attributes = module.params["attributes"]
    if not attributes:
        errors.append("attributes must name at least one attribute")
    for key, value in (attributes or {}).items():
        if not KEY.match(key):
            errors.append(f"attributes: {key!r} is not an ELB attribute key such as routing.http.drop_invalid_header_fields.enabled")
        if value is None or isinstance(value, (dict, list)):
            errors.append(f"attributes.{key} must be a string, number or boolean")
    if errors:
        module.fail_json(msg="; ".join(errors))


def find_arn(module, client):
    value = module.params["load_balancer"]
    if value.startswith("arn:"):
        return value
    try:
        return client.describe_load_balancers(Names=[value], aws_retry=True)["LoadBalancers"][0]["LoadBalancerArn"]
    except botocore.exceptions.ClientError as e:
        if e.response.get("Error", {}).get("Code") == "LoadBalancerNotFound":
            module.fail_json(msg=f"load_balancer {value!r} does not exist")
        raise


def main():
    argument_spec = dict(
        load_balancer=dict(type="str", required=True, aliases=["load_balancer_arn", "name"]),
        attributes=dict(type="dict", required=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = retrying_client(module, "elbv2")
    try:
        arn = find_arn(module, client)
        current = {a["Key"]: a["Value"] for a in client.describe_load_balancer_attributes(LoadBalancerArn=arn, aws_retry=True)["Attributes"]}
        wanted = {k: attribute_value(v) for k, v in module.params["attributes"].items()}
        changes = {k: v for k, v in wanted.items() if current.get(k) != v}
        after = dict(current, **changes)
        if changes and not module.check_mode:
            response = client.modify_load_balancer_attributes(
                LoadBalancerArn=arn, Attributes=[{"Key": k, "Value": v} for k, v in changes.items()], aws_retry=True
            )
            after = dict(current, **{a["Key"]: a["Value"] for a in response.get("Attributes", [])})
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to set the attributes of load balancer {module.params['load_balancer']}")

    before_view = {k: current.get(k) for k in wanted}
    after_view = {k: after.get(k) for k in wanted}
    module.exit_json(
        changed=bool(changes),
        load_balancer_arn=arn,
        attributes=after,
        changed_attributes=sorted(changes),
        diff=diff_of(before_view, after_view),
    )


if __name__ == "__main__":
    main()
