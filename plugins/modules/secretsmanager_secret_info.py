#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: secretsmanager_secret_info
short_description: Describe AWS Secrets Manager secrets (metadata, rotation, key; never values)
version_added: 0.1.0
description:
  - Returns the metadata of secrets (C(DescribeSecret)) - KMS key, rotation configuration,
    owning service, tags, dates - named by O(secret_ids) or whose name starts with O(name_prefix).
  - Never reads a secret value.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  secret_ids:
    description: Names or ARNs of secrets. A secret that does not exist is left out of the result.
    type: list
    elements: str
    default: []
  name_prefix:
    description: All secrets whose name starts with this (C(ListSecrets) with a C(name) filter).
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.secretsmanager_generated_secret
  - module: healthplatform.aws.secretsmanager_rotation
"""

EXAMPLES = r"""
- name: The platform's application secrets
  healthplatform.aws.secretsmanager_secret_info:
    name_prefix: healthplatform-production/app/
  register: app_secrets

- name: Assert every one rotates at least every 30 days (HP-06)
  ansible.builtin.assert:
    that:
      - item.rotation_enabled | default(false)
      - item.rotation_rules.automatically_after_days <= 30
  loop: "{{ app_secrets.secrets }}"
  loop_control:
    label: "{{ item.name }}"
"""

RETURN = r"""
secrets:
  description: The secrets' metadata in snake_case, tags as a dict (C(rotation_rules) keeps AWS's keys in snake_case).
  returned: always
  type: list
  elements: dict
  sample:
    - arn: arn:aws:secretsmanager:us-east-1:123456789012:secret:healthplatform-production/app/database-AbCdEf
      name: healthplatform-production/app/database
      kms_key_id: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
      rotation_enabled: true
      rotation_lambda_arn: arn:aws:lambda:us-east-1:123456789012:function:healthplatform-production-postgres-rotation
      rotation_rules: {"automatically_after_days": 30}
      tags: {"Environment": "production"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.healthplatform.aws.plugins.module_utils.common import RETRY_CODES
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.secretsmanager import describe_secret
from ansible_collections.healthplatform.aws.plugins.module_utils.secretsmanager import secret_view


@AWSRetry.jittered_backoff(retries=10, catch_extra_error_codes=RETRY_CODES)
def list_by_prefix(client, prefix):
    paginator = client.get_paginator("list_secrets")
    return paginator.paginate(Filters=[{"Key": "name", "Values": [prefix]}]).build_full_result()["SecretList"]


def main():
    argument_spec = dict(
        secret_ids=dict(type="list", elements="str", default=[], no_log=False),
        name_prefix=dict(type="str"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    if not module.params["secret_ids"] and not module.params["name_prefix"]:
        module.fail_json(msg="give secret_ids or name_prefix")
    client = retrying_client(module, "secretsmanager")
    secrets = []
    try:
        for secret_id in module.params["secret_ids"]:
            described = describe_secret(client, secret_id)
            if described:
                secrets.append(secret_view(described))
        if module.params["name_prefix"]:
            listed = list_by_prefix(client, module.params["name_prefix"])
            secrets.extend(secret_view(s) for s in listed if s["Name"].startswith(module.params["name_prefix"]))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe secrets")
    module.exit_json(changed=False, secrets=secrets)


if __name__ == "__main__":
    main()
