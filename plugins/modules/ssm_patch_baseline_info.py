#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_patch_baseline_info
short_description: List the account's SSM patch baselines with their rules and patch groups
version_added: 0.1.0
description:
  - Lists the patch baselines the account owns (C(DescribePatchBaselines) with owner C(Self)), or only the
    one called O(name).
  - Describes each one fully with C(GetPatchBaseline), that is its approval rules, filters, patches and patch
    groups, with its tags and whether it is its operating system's default.
  - AWS-provided baselines are not listed.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Only the baseline with this exact name.
    type: str
  operating_system:
    description: Only baselines of this operating system.
    type: str
    choices:
      - WINDOWS
      - AMAZON_LINUX
      - AMAZON_LINUX_2
      - AMAZON_LINUX_2022
      - UBUNTU
      - REDHAT_ENTERPRISE_LINUX
      - SUSE
      - CENTOS
      - ORACLE_LINUX
      - DEBIAN
      - MACOS
      - RASPBIAN
      - ROCKY_LINUX
      - ALMA_LINUX
      - AMAZON_LINUX_2023
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.ssm_patch_baseline
"""

EXAMPLES = r"""
- name: All of the account's patch baselines
  healthplatform.aws.ssm_patch_baseline_info:
  register: baselines

- name: The web tier's patch group has an Amazon Linux 2023 baseline that approves security patches
  ansible.builtin.assert:
    that:
      - baselines.patch_baselines
        | selectattr('operating_system', '==', 'AMAZON_LINUX_2023')
        | selectattr('patch_groups', 'contains', 'healthplatform-prod-web')
        | list | length == 1

- name: One baseline
  healthplatform.aws.ssm_patch_baseline_info:
    name: healthplatform-prod-al2023
  register: al2023
"""

RETURN = r"""
patch_baselines:
  description:
    - The baselines as C(GetPatchBaseline) describes them, in snake_case, with tags (a dict) and
      C(default_baseline). The C(configuration) of sources is never returned.
  returned: always
  type: list
  elements: dict
  sample:
    - baseline_id: pb-0123456789abcdef0
      name: healthplatform-prod-al2023
      operating_system: AMAZON_LINUX_2023
      approval_rules:
        patch_rules:
          - patch_filter_group:
              patch_filters:
                - key: CLASSIFICATION
                  values: [Security]
            approve_after_days: 7
            compliance_level: CRITICAL
            enable_non_security: false
      global_filters: {patch_filters: []}
      approved_patches: []
      rejected_patches: []
      rejected_patches_action: BLOCK
      sources: []
      patch_groups: [healthplatform-prod-web]
      default_baseline: true
      tags: {Environment: prod}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import OPERATING_SYSTEMS
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import ssm_tags


def describe(client, identity):
    baseline = client.get_patch_baseline(BaselineId=identity["BaselineId"], aws_retry=True)
    baseline.pop("ResponseMetadata", None)
    sources = baseline.pop("Sources", None) or []
    result = camel_dict_to_snake_dict(baseline)
    result["sources"] = [{"name": s["Name"], "products": s.get("Products", [])} for s in sources]
    result["patch_groups"] = sorted(baseline.get("PatchGroups") or [])
    result["default_baseline"] = bool(identity.get("DefaultBaseline"))
    result["tags"] = ssm_tags(client, "PatchBaseline", identity["BaselineId"])
    return result


def main():
    argument_spec = dict(
        name=dict(type="str"),
        operating_system=dict(type="str", choices=OPERATING_SYSTEMS),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = retrying_client(module, "ssm")
    filters = [{"Key": "OWNER", "Values": ["Self"]}]
    if module.params["name"]:
        filters.append({"Key": "NAME_PREFIX", "Values": [module.params["name"]]})
    if module.params["operating_system"]:
        filters.append({"Key": "OPERATING_SYSTEM", "Values": [module.params["operating_system"]]})
    try:
        paginator = client.get_paginator("describe_patch_baselines")
        identities = paginator.paginate(Filters=filters).build_full_result()["BaselineIdentities"]
        if module.params["name"]:
            identities = [i for i in identities if i.get("BaselineName") == module.params["name"]]
        if module.params["operating_system"]:
            identities = [i for i in identities if i.get("OperatingSystem") == module.params["operating_system"]]
        baselines = [describe(client, i) for i in identities]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe the patch baselines")
    module.exit_json(changed=False, patch_baselines=baselines)


if __name__ == "__main__":
    main()
