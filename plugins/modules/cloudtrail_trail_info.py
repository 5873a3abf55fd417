#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cloudtrail_trail_info
short_description: Describe CloudTrail trails with their logging status, event selectors and tags
version_added: 0.1.0
description:
  - Describes the trails named in O(names) (all trails of the region when omitted), each with
    whether it is logging, its event selectors and its tags.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  names:
    description: Only these trails (names or ARNs).
    type: list
    elements: str
    default: []
  include_shadow_trails:
    description: Also list multi-region trails of other home regions (their status is then read from this region).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.cloudtrail_trail
"""

EXAMPLES = r"""
- name: The platform trail
  healthplatform.aws.cloudtrail_trail_info:
    names: [healthplatform-prod]
  register: trails

- name: It is logging every region, validated and encrypted
  ansible.builtin.assert:
    that:
      - trails.trails[0].is_logging
      - trails.trails[0].is_multi_region_trail
      - trails.trails[0].log_file_validation_enabled
      - trails.trails[0].kms_key_id is defined
"""

RETURN = r"""
trails:
  description: The trails as C(DescribeTrails) describes them, with C(is_logging), C(event_selectors), C(advanced_event_selectors) and C(tags).
  returned: always
  type: list
  elements: dict
  sample:
    - name: healthplatform-prod
      trail_arn: arn:aws:cloudtrail:us-east-1:123456789012:trail/healthplatform-prod
      is_multi_region_trail: true
      log_file_validation_enabled: true
      is_logging: true
      event_selectors: [{"read_write_type": "All", "include_management_events": true, "data_resources": []}]
      tags: {"Environment": "prod"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client


def main():
    argument_spec = dict(names=dict(type="list", elements="str", default=[]), include_shadow_trails=dict(type="bool", default=False))
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = retrying_client(module, "cloudtrail")
    request = {"includeShadowTrails": module.params["include_shadow_trails"]}
    if module.params["names"]:
        request["trailNameList"] = module.params["names"]
    try:
        trails = client.describe_trails(aws_retry=True, **request).get("trailList") or []
        tags = {}
        arns = [t["TrailARN"] for t in trails]
        for start in range(0, len(arns), 20):
            for entry in client.list_tags(ResourceIdList=arns[start : start + 20], aws_retry=True).get("ResourceTagList") or []:
                tags[entry["ResourceId"]] = boto3_tag_list_to_ansible_dict(entry.get("TagsList") or [])
        result = []
        for trail in trails:
            status = client.get_trail_status(Name=trail["TrailARN"], aws_retry=True)
            selectors = client.get_event_selectors(TrailName=trail["TrailARN"], aws_retry=True)
            item = camel_dict_to_snake_dict(trail)
            item["is_logging"] = bool(status.get("IsLogging"))
            item["event_selectors"] = camel_dict_to_snake_dict({"s": selectors.get("EventSelectors") or []})["s"]
            item["advanced_event_selectors"] = camel_dict_to_snake_dict({"s": selectors.get("AdvancedEventSelectors") or []})["s"]
            item["tags"] = tags.get(trail["TrailARN"], {})
            result.append(item)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe the CloudTrail trails")
    module.exit_json(changed=False, trails=result)


if __name__ == "__main__":
    main()
