#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: iam_service_role
short_description: Manage an IAM role that AWS services assume, with its inline and managed policies
version_added: 0.1.0
description:
  - Creates, updates or deletes one IAM role whose trust policy lets only the AWS services in
    O(trusted_services) assume it (optionally only on behalf of this account), together with its
    inline policies and attached managed policies, in one task.
  - Made for the roles a platform hands to services (the CloudTrail delivery role, the AWS Config
    recorder role, a Lambda execution role), so that a role and what it may do are one change.
  - Policies are compared as documents (statement order and single-item lists do not matter);
    only what differs is written.
  - Policy documents that are not valid, or that allow every action on every resource or use
    C(NotAction) in an Allow, fail before any API call, naming the option.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Name of the role.
    type: str
    required: true
  state:
    description:
      - Whether the role should exist. C(absent) detaches its managed policies, deletes its inline
        policies, removes it from instance profiles and deletes it.
    type: str
    choices: [present, absent]
    default: present
  path:
    description: Path of the role, set when it is created (IAM cannot change it).
    type: str
    default: /
  description:
    description: Description of the role. Not compared when omitted.
    type: str
  trusted_services:
    description:
      - Service principals that may assume the role, for example C(lambda.amazonaws.com). Required with O(state=present).
    type: list
    elements: str
  source_account_condition:
    description:
      - Allow the services to assume the role only on behalf of this account (a C(aws:SourceAccount)
        condition with the account of the credentials, found with C(sts:GetCallerIdentity)),
        which protects against the confused deputy problem. Use it for services that send
        C(aws:SourceAccount) when they assume a role (CloudTrail, AWS Config, ...).
    type: bool
    default: false
  inline_policies:
    description:
      - Inline policies, policy name to policy document (a mapping or its JSON text). Not compared when omitted.
    type: dict
  purge_inline_policies:
    description: Delete inline policies that are not in O(inline_policies).
    type: bool
    default: true
  managed_policy_arns:
    description: ARNs of managed policies to attach. Not compared when omitted.
    type: list
    elements: str
  purge_managed_policies:
    description: Detach managed policies that are not in O(managed_policy_arns).
    type: bool
    default: true
  max_session_duration:
    description: Longest session, in seconds (3600 to 43200). Not compared when omitted.
    type: int
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - IAM takes no client token; a role's name is unique in the account, so a retried create finds the role.
  - A service may refuse a role for some seconds after it was created or changed (IAM is eventually
    consistent); the modules of this collection that are handed a role retry that answer.
seealso:
  - module: healthplatform.aws.iam_service_role_info
  - module: amazon.aws.iam_role
"""

EXAMPLES = r"""
- name: Role CloudTrail assumes to deliver to its log group, and nothing else
  healthplatform.aws.iam_service_role:
    name: healthplatform-prod-cloudtrail
    description: Lets CloudTrail deliver events to its CloudWatch Logs group
    trusted_services: [cloudtrail.amazonaws.com]
    source_account_condition: true
    inline_policies:
      deliver-to-log-group:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [logs:CreateLogStream, logs:PutLogEvents]
            Resource: "arn:aws:logs:us-east-1:123456789012:log-group:/healthplatform-prod/cloudtrail:log-stream:*"
    tags:
      Environment: prod
  register: trail_role

- name: AWS Config recorder role with the AWS managed policy
  healthplatform.aws.iam_service_role:
    name: healthplatform-prod-config
    trusted_services: [config.amazonaws.com]
    source_account_condition: true
    managed_policy_arns: [arn:aws:iam::aws:policy/service-role/AWS_ConfigRole]
"""

RETURN = r"""
role:
  description:
    - The role as C(GetRole) describes it, with C(inline_policies) (when O(inline_policies) is given)
      and C(managed_policy_arns) (when O(managed_policy_arns) is given); empty with O(state=absent).
    - In check mode, what it would be.
  returned: always
  type: dict
  contains:
    role_name:
      description: Name of the role.
      type: str
      sample: healthplatform-prod-cloudtrail
    arn:
      description: ARN of the role (in check mode before creation, built from the account and path).
      type: str
      sample: arn:aws:iam::123456789012:role/healthplatform-prod-cloudtrail
    assume_role_policy_document:
      description: The trust policy.
      type: dict
      sample: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    inline_policies:
      description: Inline policy name to document.
      type: dict
      sample: {"deliver-to-log-group": {"Version": "2012-10-17", "Statement": []}}
    managed_policy_arns:
      description: ARNs of the attached managed policies.
      type: list
      elements: str
      sample: [arn:aws:iam::aws:policy/service-role/AWS_ConfigRole]
    tags:
      description: Tags of the role.
      type: dict
      sample: {"Environment": "prod"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import account_of
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import delete_role
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import diff_view
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import ensure_role
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import read_role
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import role_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import snake_role
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import trust_policy
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import validate_role


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        path=dict(type="str", default="/"),
        description=dict(type="str"),
        trusted_services=dict(type="list", elements="str"),
        source_account_condition=dict(type="bool", default=False),
        inline_policies=dict(type="dict"),
        purge_inline_policies=dict(type="bool", default=True),
        managed_policy_arns=dict(type="list", elements="str"),
        purge_managed_policies=dict(type="bool", default=True),
        max_session_duration=dict(type="int"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    inline, error = validate_role(p, present=p["state"] == "present")
    if error:
        module.fail_json(msg=error)

    client = retrying_client(module, "iam")
    try:
        if p["state"] == "absent":
            role = read_role(client, p["name"])
            if role and not module.check_mode:
                delete_role(client, role)
            module.exit_json(changed=role is not None, role={}, diff=diff_of(diff_view(role), {}))
        role = read_role(client, p["name"], inline=inline is not None, managed=p["managed_policy_arns"] is not None)

        # The account of an existing role is the account of the credentials: no STS call then.
        def account_info():
            return account_of(role) or get_aws_account_info(module)

        source_account = account_info()[0] if p["source_account_condition"] else None
        trust = trust_policy(p["trusted_services"], source_account)
        changed, after = ensure_role(client, p, role, inline, trust, module.check_mode, account_info)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the IAM role {p['name']}")

    before = role_tags(role) if role else None
    module.exit_json(changed=changed, role=snake_role(after), diff=diff_of(diff_view(before), diff_view(after)))


if __name__ == "__main__":
    main()
