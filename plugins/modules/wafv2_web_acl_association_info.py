#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: wafv2_web_acl_association_info
short_description: Read which WAFv2 web ACL protects each of some regional resources
version_added: 0.1.0
description:
  - For each resource in O(resource_arns), returns the regional WAFv2 web ACL that protects it
    (with its rules, as C(GetWebACLForResource) describes it), or none.
  - One read per resource; it never lists a web ACL's resources (C(ListResourcesForWebACL)).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  resource_arns:
    description: ARNs of the resources (load balancers, API Gateway stages, ...).
    type: list
    elements: str
    required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.wafv2_web_acl_association
"""

EXAMPLES = r"""
- name: Which web ACL protects the portal load balancer
  healthplatform.aws.wafv2_web_acl_association_info:
    resource_arns: ["{{ alb_arn }}"]
  register: waf

- name: Assert the AWS managed common rule set is in force
  ansible.builtin.assert:
    that: >-
      'AWSManagedRulesCommonRuleSet' in (waf.associations[0].web_acl.rules
      | map(attribute='statement.managed_rule_group_statement.name', default='') | list)
"""

RETURN = r"""
associations:
  description: One item per resource, in the order of O(resource_arns).
  returned: always
  type: list
  elements: dict
  contains:
    resource_arn:
      description: The resource.
      type: str
    web_acl_arn:
      description: ARN of the web ACL that protects it (empty for none).
      type: str
    web_acl:
      description: The web ACL as WAFv2 describes it, snake_case (empty for none).
      type: dict
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.edge import WAF_RETRY_CODES
from ansible_collections.healthplatform.aws.plugins.module_utils.edge import edge_client


def main():
    argument_spec = dict(resource_arns=dict(type="list", elements="str", required=True))
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = edge_client(module, "wafv2", WAF_RETRY_CODES)
    associations = []
    try:
        for arn in module.params["resource_arns"]:
            try:
                web_acl = client.get_web_acl_for_resource(ResourceArn=arn, aws_retry=True).get("WebACL") or {}
            except botocore.exceptions.ClientError as e:
                if e.response.get("Error", {}).get("Code") != "WAFNonexistentItemException":
                    raise
                web_acl = {}
            associations.append({"resource_arn": arn, "web_acl_arn": web_acl.get("ARN", ""), "web_acl": camel_dict_to_snake_dict(web_acl) if web_acl else {}})
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to read web ACL associations")
    module.exit_json(changed=False, associations=associations)


if __name__ == "__main__":
    main()
