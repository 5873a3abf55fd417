#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cloudwatch_dashboard
short_description: Manage a CloudWatch dashboard
version_added: 0.1.0
description:
  - Creates, updates or deletes one CloudWatch dashboard.
  - The body is compared as JSON (key order and whitespace do not matter), so the dashboard is
    written (C(PutDashboard)) only when its content differs.
  - A body that is not a JSON object with a C(widgets) list fails before any API call.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Name of the dashboard (letters, digits, C(-) and C(_), at most 255).
    type: str
    required: true
  state:
    description: Whether the dashboard should exist.
    type: str
    choices: [present, absent]
    default: present
  body:
    description:
      - The dashboard body (a mapping, or its JSON text), with its C(widgets); see
        U(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html).
      - Required with O(state=present).
    type: raw
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - CloudWatch dashboards have no tags API of their own in this module.
  - C(PutDashboard) may answer with validation messages (for example a metric that does not exist
    yet); the dashboard is saved and the messages are returned as warnings.
seealso:
  - module: healthplatform.aws.cloudwatch_dashboard_info
"""

EXAMPLES = r"""
- name: Platform dashboard
  healthplatform.aws.cloudwatch_dashboard:
    name: healthplatform-prod
    body:
      widgets:
        - type: metric
          x: 0
          y: 0
          width: 12
          height: 6
          properties:
            title: ALB 5xx
            region: us-east-1
            metrics:
              - [AWS/ApplicationELB, HTTPCode_ELB_5XX_Count, LoadBalancer, app/healthplatform-prod/0123456789abcdef]
            stat: Sum
            period: 300

- name: Remove it
  healthplatform.aws.cloudwatch_dashboard:
    name: healthplatform-prod
    state: absent
"""

RETURN = r"""
dashboard:
  description: The dashboard after the run (in check mode, what it would be); empty with O(state=absent).
  returned: always
  type: dict
  contains:
    dashboard_name:
      description: Name of the dashboard.
      type: str
      sample: healthplatform-prod
    dashboard_arn:
      description: ARN of the dashboard (absent in check mode before creation).
      type: str
      sample: arn:aws:cloudwatch::123456789012:dashboard/healthplatform-prod
    body:
      description: The body as a mapping.
      type: dict
      sample: {"widgets": []}
"""

import json
import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.text.converters import to_text
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client

NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")


def parsed_body(module):
    """The body option as a mapping; fail, naming the option, when it is not a dashboard body."""
    body = module.params["body"]
    if isinstance(body, (str, bytes)):
        try:
            body = json.loads(to_text(body))
        except ValueError as e:
            module.fail_json(msg=f"body is not valid JSON: {e}")
    if not isinstance(body, dict):
        module.fail_json(msg="body must be a mapping (or its JSON text) with a widgets list")
    if not isinstance(body.get("widgets"), list):
        module.fail_json(msg="body must have a widgets list")
    return body


def read_dashboard(client, name):
    try:
        response = client.get_dashboard(DashboardName=name, aws_retry=True)
    except is_boto3_error_code(("ResourceNotFound", "ResourceNotFoundException")):
        return None
    return {"DashboardName": response["DashboardName"], "DashboardArn": response.get("DashboardArn"), "Body": json.loads(response.get("DashboardBody") or "{}")}


def snake(dashboard):
    if not dashboard:
        return {}
    result = {"dashboard_name": dashboard["DashboardName"], "body": dashboard["Body"]}
    if dashboard.get("DashboardArn"):
        result["dashboard_arn"] = dashboard["DashboardArn"]
    return result


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        body=dict(type="raw"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True, required_if=[("state", "present", ["body"])])
    name = module.params["name"]
    if not NAME.match(name):
        module.fail_json(msg=f"name must be 1 to 255 letters, digits, - or _, got {name!r}")
    body = parsed_body(module) if module.params["state"] == "present" else None

    client = retrying_client(module, "cloudwatch")
    try:
        current = read_dashboard(client, name)
        if module.params["state"] == "absent":
            changed = current is not None
            if changed and not module.check_mode:
                client.delete_dashboards(DashboardNames=[name], aws_retry=True)
            module.exit_json(changed=changed, dashboard={}, diff=diff_of({"body": current["Body"]} if current else {}, {}))

        after = current
        changed = current is None or current["Body"] != body
        if changed:
            after = dict(current or {"DashboardName": name}, Body=body)
            if not module.check_mode:
                response = client.put_dashboard(DashboardName=name, DashboardBody=json.dumps(body, sort_keys=True), aws_retry=True)
                for message in response.get("DashboardValidationMessages") or []:
                    module.warn(f"dashboard {name}: {message.get('DataPath', '')} {message.get('Message', '')}".strip())
                after = read_dashboard(client, name) or after
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the CloudWatch dashboard {name}")

    module.exit_json(changed=changed, dashboard=snake(after), diff=diff_of({"body": current["Body"]} if current else {}, {"body": body}))


if __name__ == "__main__":
    main()
