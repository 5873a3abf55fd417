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
  - M(healthplatform.aws.elbv2_application_load_balancer) sets the same attributes the same way
    together with the load balancer, its target groups and listeners.
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
  - module: healthplatform.aws.elbv2_application_load_balancer
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

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.elbv2 import attribute_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.elbv2 import ensure_load_balancer_attributes
from ansible_collections.healthplatform.aws.plugins.module_utils.elbv2 import find_load_balancer_arn


def main():
    argument_spec = dict(
        load_balancer=dict(type="str", required=True, aliases=["load_balancer_arn", "name"]),
        attributes=dict(type="dict", required=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    errors = attribute_errors(module.params["attributes"])
    if errors:
        module.fail_json(msg="; ".join(errors))

    client = retrying_client(module, "elbv2")
    value = module.params["load_balancer"]
    try:
        arn = find_load_balancer_arn(client, value)
        if arn is None:
            module.fail_json(msg=f"load_balancer {value!r} does not exist")
        changes, current, after = ensure_load_balancer_attributes(client, arn, None, module.params["attributes"], module.check_mode)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to set the attributes of load balancer {value}")

    keys = [str(k) for k in module.params["attributes"]]
    module.exit_json(
        changed=bool(changes),
        load_balancer_arn=arn,
        attributes=after,
        changed_attributes=changes,
        diff=diff_of({k: current.get(k) for k in keys}, {k: after.get(k) for k in keys}),
    )


if __name__ == "__main__":
    main()
