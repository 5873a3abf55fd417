#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cloudwatch_dashboard_info
short_description: List CloudWatch dashboards, with their bodies
version_added: 0.1.0
description:
  - Lists the CloudWatch dashboards whose name starts with O(name_prefix) (all when omitted), with their bodies.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name_prefix:
    description: Only dashboards whose name starts with this.
    type: str
  body:
    description: Also read each dashboard's body (one call per dashboard).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.cloudwatch_dashboard
"""

EXAMPLES = r"""
- name: The platform's dashboards
  healthplatform.aws.cloudwatch_dashboard_info:
    name_prefix: healthplatform-prod
  register: dashboards
"""

RETURN = r"""
dashboards:
  description: The dashboards, with C(body) as a mapping when O(body=true).
  returned: always
  type: list
  elements: dict
  sample:
    - dashboard_name: healthplatform-prod
      dashboard_arn: arn:aws:cloudwatch::123456789012:dashboard/healthplatform-prod
      size: 1024
      body: {"widgets": []}
"""

import json

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import token_pages


def main():
    argument_spec = dict(name_prefix=dict(type="str"), body=dict(type="bool", default=True))
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = retrying_client(module, "cloudwatch")
    request = {"DashboardNamePrefix": module.params["name_prefix"]} if module.params["name_prefix"] else {}
    try:
        result = []
        for entry in token_pages(client, "list_dashboards", "DashboardEntries", page_key="NextToken", **request):
            dashboard = camel_dict_to_snake_dict(entry)
            if module.params["body"]:
                dashboard["body"] = json.loads(client.get_dashboard(DashboardName=entry["DashboardName"], aws_retry=True).get("DashboardBody") or "{}")
            result.append(dashboard)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to list the CloudWatch dashboards")
    module.exit_json(changed=False, dashboards=result)


if __name__ == "__main__":
    main()
