#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: launch_template_info
short_description: List EC2 launch templates with their default version and a secret scan of its user data
version_added: 0.1.0
description:
  - Lists EC2 launch templates, optionally only those with given names or IDs, or matching EC2 filters,
    each with the versions asked for in O(versions) (the default version unless told otherwise).
  - For each version it reports RV(launch_templates[].versions[].user_data_secret_findings), the kinds of
    secret-looking content found in the decoded user data (an AWS key, a private key, a literal
    C(password=...), ...), never the content itself. An empty list is what control HP-07 expects.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  names:
    description: Only these templates (by name).
    type: list
    elements: str
    default: []
  launch_template_ids:
    description: Only these templates (by ID).
    type: list
    elements: str
    default: []
  filters:
    description:
      - EC2 filters, see U(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplates.html).
      - 'For example C({"tag:Environment": "production"}).'
    type: dict
    default: {}
  versions:
    description: Which versions of each template to describe (C($Default), C($Latest) or numbers); empty for none.
    type: list
    elements: str
    default: ["$Default"]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.launch_template
"""

EXAMPLES = r"""
- name: The platform's launch templates
  healthplatform.aws.launch_template_info:
    filters:
      "tag:Platform": healthplatform
  register: templates

- name: Assert IMDSv2 only and no secret in user data
  ansible.builtin.assert:
    that:
      - item.versions[0].launch_template_data.metadata_options.http_tokens == 'required'
      - item.versions[0].user_data_secret_findings == []
  loop: "{{ templates.launch_templates }}"
  loop_control:
    label: "{{ item.launch_template_name }}"
"""

RETURN = r"""
launch_templates:
  description: The launch templates, as EC2 describes them, tags as a dict.
  returned: always
  type: list
  elements: dict
  contains:
    launch_template_id:
      description: ID of the template.
      type: str
      sample: lt-0123456789abcdef0
    launch_template_name:
      description: Name of the template.
      type: str
      sample: healthplatform-production-web
    default_version_number:
      description: The default version.
      type: int
      sample: 3
    latest_version_number:
      description: The newest version.
      type: int
      sample: 3
    tags:
      description: Tags of the template.
      type: dict
      sample: {"Environment": "production"}
    versions:
      description: The versions asked for, data in snake_case.
      type: list
      elements: dict
      contains:
        version_number:
          description: The version number.
          type: int
          sample: 3
        default_version:
          description: Whether this is the default version.
          type: bool
          sample: true
        launch_template_data:
          description:
            - The version's data (user data base64-encoded, as AWS stores it).
            - User data that looks like it holds a secret is never returned; a note naming what was found replaces it.
          type: dict
          sample: {"image_id": "ami-0123456789abcdef0", "metadata_options": {"http_tokens": "required"}}
        user_data_secret_findings:
          description: Kinds of secret-looking content in the decoded user data; empty when none.
          type: list
          elements: str
          sample: []
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.transformation import ansible_dict_to_boto3_filter_list

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import decode_user_data
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import secret_findings
from ansible_collections.healthplatform.aws.plugins.module_utils.compute import withheld_secrets


def version_view(version):
    result = camel_dict_to_snake_dict({k: v for k, v in version.items() if k != "LaunchTemplateData"})
    data = version.get("LaunchTemplateData") or {}
    result["launch_template_data"] = camel_dict_to_snake_dict(withheld_secrets(data))
    result["user_data_secret_findings"] = secret_findings(decode_user_data(data.get("UserData")))
    return result


def main():
    argument_spec = dict(
        names=dict(type="list", elements="str", default=[]),
        launch_template_ids=dict(type="list", elements="str", default=[]),
        filters=dict(type="dict", default={}),
        versions=dict(type="list", elements="str", default=["$Default"]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = retrying_client(module, "ec2")
    filters = dict(module.params["filters"])
    if module.params["names"]:
        filters["launch-template-name"] = module.params["names"]
    request = {"Filters": ansible_dict_to_boto3_filter_list(filters)}
    if module.params["launch_template_ids"]:
        request["LaunchTemplateIds"] = module.params["launch_template_ids"]
    try:
        paginator = client.get_paginator("describe_launch_templates")
        templates = paginator.paginate(**request).build_full_result()["LaunchTemplates"]
        result = []
        for template in templates:
            entry = snake_with_tags(template)
            entry["versions"] = []
            if module.params["versions"]:
                versions = client.describe_launch_template_versions(
                    LaunchTemplateId=template["LaunchTemplateId"], Versions=module.params["versions"], aws_retry=True
                )["LaunchTemplateVersions"]
                entry["versions"] = [version_view(v) for v in versions]
            result.append(entry)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe launch templates")
    module.exit_json(changed=False, launch_templates=result)


if __name__ == "__main__":
    main()
