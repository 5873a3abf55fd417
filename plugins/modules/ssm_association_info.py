#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_association_info
short_description: List SSM State Manager associations
version_added: 0.1.0
description:
  - Lists the account's State Manager associations (C(ListAssociations)), optionally only the one called
    O(association_name) or those applying O(document_name).
  - Describes each one fully with C(DescribeAssociation) and its tags, that is its document and version,
    parameters, targets, schedule, rate controls, output location and status.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  association_name:
    description: Only the association with this exact name.
    type: str
    aliases: [name]
  document_name:
    description: Only associations that apply this document, for example C(AWS-ApplyAnsiblePlaybooks).
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.ssm_association
"""

EXAMPLES = r"""
- name: Associations that run Ansible playbooks
  healthplatform.aws.ssm_association_info:
    document_name: AWS-ApplyAnsiblePlaybooks
  register: pull_mode

- name: Every one of them succeeded on its last run
  ansible.builtin.assert:
    that: pull_mode.associations | map(attribute='overview.status') | unique == ['Success']
"""

RETURN = r"""
associations:
  description:
    - The associations as C(DescribeAssociation) describes them, in snake_case (document parameter names keep
      their case), with tags as a dict.
  returned: always
  type: list
  elements: dict
  sample:
    - association_id: 8dfe3659-4309-493a-8755-0123456789ab
      association_name: healthplatform-prod-instance-local-web
      association_version: "1"
      name: AWS-ApplyAnsiblePlaybooks
      document_version: $DEFAULT
      parameters: {PlaybookFile: [playbooks/instance_local.yml]}
      targets: [{key: "tag:Role", values: [web]}]
      schedule_expression: rate(30 minutes)
      max_concurrency: 25%
      max_errors: 10%
      overview: {status: Success, detailed_status: Success}
      tags: {Environment: prod}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import read_association
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import snake_keep_parameters


def describe(client, association_id):
    association = read_association(client, association_id)
    tags = association.pop("Tags")
    result = snake_keep_parameters(association)
    result["tags"] = tags
    return result


def main():
    argument_spec = dict(
        association_name=dict(type="str", aliases=["name"]),
        document_name=dict(type="str"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = retrying_client(module, "ssm")
    filters = []
    if module.params["association_name"]:
        filters.append({"key": "AssociationName", "value": module.params["association_name"]})
    if module.params["document_name"]:
        filters.append({"key": "Name", "value": module.params["document_name"]})
    request = {"AssociationFilterList": filters} if filters else {}
    try:
        paginator = client.get_paginator("list_associations")
        found = paginator.paginate(**request).build_full_result()["Associations"]
        if module.params["association_name"]:
            found = [a for a in found if a.get("AssociationName") == module.params["association_name"]]
        associations = [describe(client, a["AssociationId"]) for a in found]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to list the associations")
    module.exit_json(changed=False, associations=associations)


if __name__ == "__main__":
    main()
