#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: wafv2_logging_configuration
short_description: Send a WAFv2 web ACL's request logs to CloudWatch Logs, S3 or Firehose
version_added: 0.1.0
description:
  - Manages the logging configuration of one WAFv2 web ACL - where its logs go
    (O(log_destination)) and which request fields are redacted (O(redacted_fields)) - or removes it.
  - Reads the configuration once and replaces it (C(PutLoggingConfiguration)) only when
    the destination, the redacted fields or the logging filter differ.
  - The destination's name must start with C(aws-waf-logs-) (a CloudWatch Logs log group,
    an S3 bucket or a Firehose stream); that is checked before any API call.
  - For a CloudWatch Logs destination, WAF adds the log group resource policy it needs
    when the caller may (C(logs:PutResourcePolicy), C(logs:CreateLogDelivery)).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  web_acl_arn:
    description: ARN of the web ACL.
    type: str
    required: true
  state:
    description: Whether the web ACL logs.
    type: str
    choices: [present, absent]
    default: present
  log_destination:
    description:
      - ARN of the destination, for example C(arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-portal)
        (without C(:*)). Required when O(state=present).
    type: str
  redacted_fields:
    description:
      - Request parts that are replaced by C(REDACTED) in the logs (credentials and personal data
        should never reach a log). Each item names one part.
      - An empty list (the default) redacts nothing.
    type: list
    elements: dict
    default: []
    suboptions:
      single_header:
        description: Name of a header, for example C(authorization) or C(cookie) (case-insensitive).
        type: str
      query_string:
        description: The query string.
        type: bool
      uri_path:
        description: The URI path.
        type: bool
      method:
        description: The HTTP method.
        type: bool
  logging_filter:
    description:
      - Which requests are logged, in the API's form (C(Filters), C(DefaultBehavior), see
        U(https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingFilter.html)).
      - Not compared when omitted; C({}) removes a filter (log every request).
    type: dict
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
seealso:
  - module: healthplatform.aws.wafv2_logging_configuration_info
  - module: community.aws.wafv2_web_acl
"""

EXAMPLES = r"""
- name: Log the portal web ACL to CloudWatch Logs, without credentials
  healthplatform.aws.wafv2_logging_configuration:
    web_acl_arn: "{{ web_acl.arn }}"
    log_destination: "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-healthplatform-prod"
    redacted_fields:
      - single_header: authorization
      - single_header: cookie

- name: Log only blocked requests
  healthplatform.aws.wafv2_logging_configuration:
    web_acl_arn: "{{ web_acl.arn }}"
    log_destination: "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-healthplatform-prod"
    logging_filter:
      DefaultBehavior: DROP
      Filters:
        - Behavior: KEEP
          Requirement: MEETS_ANY
          Conditions:
            - ActionCondition:
                Action: BLOCK
"""

RETURN = r"""
logging_configuration:
  description: The logging configuration as WAFv2 describes it, snake_case (empty when O(state=absent)). In check mode, what it would be.
  returned: always
  type: dict
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

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.edge import WAF_RETRY_CODES
from ansible_collections.healthplatform.aws.plugins.module_utils.edge import edge_client
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import WEB_ACL_ARN
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import comparable_logging
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import desired_logging
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import log_destination_error
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import read_logging
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import redacted_field_errors


def validate(module):
    p = module.params
    errors = []
    if not WEB_ACL_ARN.match(p["web_acl_arn"]):
        errors.append(f"web_acl_arn must be a web ACL ARN, got {p['web_acl_arn']!r}")
    if p["state"] == "present":
        if not p["log_destination"]:
            errors.append("log_destination is required when state is present")
        elif log_destination_error(p["log_destination"]):
            errors.append(log_destination_error(p["log_destination"]))
    errors += redacted_field_errors(p["redacted_fields"])
    if errors:
        module.fail_json(msg="; ".join(errors))


def main():
    argument_spec = dict(
        web_acl_arn=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        log_destination=dict(type="str"),
        redacted_fields=dict(
            type="list",
            elements="dict",
            default=[],
            options=dict(
                single_header=dict(type="str"),
                query_string=dict(type="bool"),
                uri_path=dict(type="bool"),
                method=dict(type="bool"),
            ),
        ),
        logging_filter=dict(type="dict"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    p = module.params

    client = edge_client(module, "wafv2", WAF_RETRY_CODES)
    try:
        current = read_logging(client, p["web_acl_arn"])
        if p["state"] == "absent":
            if current and not module.check_mode:
                client.delete_logging_configuration(ResourceArn=p["web_acl_arn"], aws_retry=True)
            module.exit_json(changed=current is not None, logging_configuration={}, diff=diff_of(comparable_logging(current), {}))
        desired = desired_logging(p["web_acl_arn"], p["log_destination"], p["redacted_fields"], p["logging_filter"], current)
        changed = comparable_logging(current) != comparable_logging(desired)
        after = current
        if changed:
            after = desired
            if not module.check_mode:
                after = client.put_logging_configuration(LoggingConfiguration=desired, aws_retry=True)["LoggingConfiguration"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the logging of web ACL {p['web_acl_arn']}")

    module.exit_json(
        changed=changed,
        logging_configuration=camel_dict_to_snake_dict(after or {}, ignore_list=["LoggingFilter"]),
        diff=diff_of(comparable_logging(current), comparable_logging(after)),
    )


if __name__ == "__main__":
    main()
