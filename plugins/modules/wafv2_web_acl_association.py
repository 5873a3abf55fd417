#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: wafv2_web_acl_association
short_description: Associate a regional WAFv2 web ACL with a load balancer or another regional resource
version_added: 0.1.0
description:
  - Makes sure one regional resource (an application load balancer, an API Gateway stage, an
    AppSync API, a Cognito user pool, ...) is protected by a given WAFv2 web ACL, or by none.
  - Reads the resource's association with C(GetWebACLForResource) and changes it only when it
    differs - C(AssociateWebACL), or C(DisassociateWebACL) first when another web ACL protects it.
    Unlike M(community.aws.wafv2_resources) it never lists a web ACL's resources
    (C(ListResourcesForWebACL)), so it needs one read per run.
  - A web ACL or resource that was just created may not be associable for a few seconds
    (C(WAFUnavailableEntityException)); those calls are retried with backoff.
  - CloudFront distributions are associated in the distribution's own configuration, not here.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  resource_arn:
    description: ARN of the resource to protect.
    type: str
    required: true
  web_acl_arn:
    description:
      - ARN of the regional web ACL. Required when O(state=present).
      - With O(state=absent), remove the association only if it is this web ACL's; without it, remove any.
    type: str
  state:
    description: Whether the resource should be protected by the web ACL.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
seealso:
  - module: healthplatform.aws.wafv2_web_acl_association_info
  - module: community.aws.wafv2_web_acl
"""

EXAMPLES = r"""
- name: Protect the portal load balancer with the platform web ACL
  healthplatform.aws.wafv2_web_acl_association:
    resource_arn: "{{ alb.load_balancer_arn }}"
    web_acl_arn: "{{ web_acl.arn }}"

- name: Remove whatever web ACL protects a retired load balancer
  healthplatform.aws.wafv2_web_acl_association:
    resource_arn: "{{ old_alb_arn }}"
    state: absent
"""

RETURN = r"""
resource_arn:
  description: The resource.
  returned: always
  type: str
web_acl_arn:
  description: ARN of the web ACL that protects the resource after the task (empty for none). In check mode, what it would be.
  returned: always
  type: str
  sample: arn:aws:wafv2:us-east-1:123456789012:regional/webacl/healthplatform-prod/0123abcd-0123-abcd-0123-0123456789ab
previous_web_acl_arn:
  description: ARN of the web ACL that protected the resource before the task (empty for none).
  returned: always
  type: str
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.edge import WAF_RETRY_CODES
from ansible_collections.healthplatform.aws.plugins.module_utils.edge import edge_client
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import REGIONAL_WEB_ACL_ARN
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import protecting_web_acl
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import resource_arn_error
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import switch_association


def validate(module):
    p = module.params
    errors = []
    if resource_arn_error(p["resource_arn"]):
        errors.append(resource_arn_error(p["resource_arn"]))
    if p["state"] == "present" and not p["web_acl_arn"]:
        errors.append("web_acl_arn is required when state is present")
    if p["web_acl_arn"] and not REGIONAL_WEB_ACL_ARN.match(p["web_acl_arn"]):
        errors.append(f"web_acl_arn must be the ARN of a regional web ACL (arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID), got {p['web_acl_arn']!r}")
    if errors:
        module.fail_json(msg="; ".join(errors))


def main():
    argument_spec = dict(
        resource_arn=dict(type="str", required=True),
        web_acl_arn=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    p = module.params

    client = edge_client(module, "wafv2", WAF_RETRY_CODES)
    try:
        before = protecting_web_acl(client, p["resource_arn"])
        if p["state"] == "present":
            after = p["web_acl_arn"]
        elif before and (not p["web_acl_arn"] or before == p["web_acl_arn"]):
            after = ""
        else:
            after = before
        changed = before != after
        if changed and not module.check_mode:
            switch_association(client, p["resource_arn"], before, after)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the web ACL association of {p['resource_arn']}")

    module.exit_json(
        changed=changed,
        resource_arn=p["resource_arn"],
        web_acl_arn=after,
        previous_web_acl_arn=before,
        diff=diff_of({"web_acl_arn": before}, {"web_acl_arn": after}),
    )


if __name__ == "__main__":
    main()
