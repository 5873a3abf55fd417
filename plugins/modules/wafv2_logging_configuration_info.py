#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: wafv2_logging_configuration_info
short_description: Read the logging configuration of WAFv2 web ACLs
version_added: 0.1.0
description:
  - Returns the logging configuration of each web ACL in O(web_acl_arns) (one read each),
    or of every web ACL of a O(scope) that logs.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  web_acl_arns:
    description: The web ACLs. When empty, every logging configuration of O(scope).
    type: list
    elements: str
    default: []
  scope:
    description: C(REGIONAL) or C(CLOUDFRONT) (CloudFront's are read in us-east-1), used when O(web_acl_arns) is empty.
    type: str
    choices: [REGIONAL, CLOUDFRONT]
    default: REGIONAL
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.wafv2_logging_configuration
"""

EXAMPLES = r"""
- name: Logging of the portal web ACL
  healthplatform.aws.wafv2_logging_configuration_info:
    web_acl_arns: ["{{ web_acl_arn }}"]
  register: waf_logging

- name: Assert it logs
  ansible.builtin.assert:
    that: waf_logging.logging_configurations[0].log_destination_configs | length > 0
"""

RETURN = r"""
logging_configurations:
  description: One item per web ACL that logs (a web ACL without logging is left out).
  returned: always
  type: list
  elements: dict
  contains:
    resource_arn:
      description: The web ACL.
      type: str
    log_destination_configs:
      description: The destination ARNs.
      type: list
      elements: str
    redacted_fields:
      description: The redacted request parts.
      type: list
      elements: dict
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
    argument_spec = dict(
        web_acl_arns=dict(type="list", elements="str", default=[]),
        scope=dict(type="str", choices=["REGIONAL", "CLOUDFRONT"], default="REGIONAL"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = edge_client(module, "wafv2", WAF_RETRY_CODES)
    configurations = []
    try:
        if module.params["web_acl_arns"]:
            for arn in module.params["web_acl_arns"]:
                try:
                    configurations.append(client.get_logging_configuration(ResourceArn=arn, aws_retry=True)["LoggingConfiguration"])
                except botocore.exceptions.ClientError as e:
                    if e.response.get("Error", {}).get("Code") != "WAFNonexistentItemException":
                        raise
        else:
            request = {"Scope": module.params["scope"]}
            while True:
                page = client.list_logging_configurations(aws_retry=True, **request)
                configurations.extend(page.get("LoggingConfigurations") or [])
                if not page.get("NextMarker"):
                    break
                request["NextMarker"] = page["NextMarker"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to read WAF logging configurations")
    module.exit_json(changed=False, logging_configurations=[camel_dict_to_snake_dict(c, ignore_list=["LoggingFilter"]) for c in configurations])


if __name__ == "__main__":
    main()
