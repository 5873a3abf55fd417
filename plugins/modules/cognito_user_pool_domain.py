#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cognito_user_pool_domain
short_description: Manage the hosted UI domain of an Amazon Cognito user pool
version_added: 0.1.0
description:
  - Creates, updates or deletes the domain that serves a user pool's hosted UI (managed login) and
    OAuth endpoints. The pool is named by O(user_pool_id) or O(user_pool_name).
  - A O(domain) without a dot is a B(prefix domain), served as
    C(https://PREFIX.auth.REGION.amazoncognito.com). A O(domain) with dots is a B(custom domain),
    for example C(auth.example.org), and needs O(certificate_arn).
  - A pool has at most one prefix domain and one custom domain. Cognito cannot rename a domain;
    when the pool already has another domain of the same kind the module fails instead of replacing
    it (the old sign-in URLs would stop working), so remove the old one first with O(state=absent).
  - Only the certificate of a custom domain can be updated in place.
  - The module does not wait for a new custom domain to become C(ACTIVE) (up to an hour while the
    certificate is distributed); RV(user_pool_domain.status) tells where it is.
  - There is no C(cognito_user_pool_domain_info) module; M(healthplatform.aws.cognito_user_pool_info)
    returns each pool's domains.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description: Whether the domain should exist.
    type: str
    choices: [present, absent]
    default: present
  user_pool_id:
    description: ID of the user pool.
    type: str
  user_pool_name:
    description: Name of the user pool (it must be unique in the region).
    type: str
  domain:
    description:
      - A prefix (lowercase letters, digits and hyphens, 1 to 63 characters, without C(aws),
        C(amazon) or C(cognito)) or a fully qualified custom domain name.
    type: str
    required: true
  certificate_arn:
    description:
      - ARN of the AWS Certificate Manager certificate of a custom domain. The certificate must be
        in C(us-east-1), whatever the pool's region. Required for custom domains, not allowed for prefixes.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - A custom domain's parent domain must resolve (have an A record) before Cognito accepts it.
seealso:
  - module: healthplatform.aws.cognito_user_pool
  - module: healthplatform.aws.cognito_user_pool_info
"""

EXAMPLES = r"""
- name: Hosted UI prefix domain of the patient pool
  healthplatform.aws.cognito_user_pool_domain:
    user_pool_id: "{{ patients_pool.user_pool.id }}"
    domain: healthplatform-prod-patients

- name: Custom sign-in domain of the provider pool
  healthplatform.aws.cognito_user_pool_domain:
    user_pool_name: healthplatform-prod-providers
    domain: auth.providers.example.org
    certificate_arn: arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789
  register: provider_domain

- name: Point the auth.providers.example.org alias at the CloudFront distribution
  ansible.builtin.debug:
    msg: "CNAME/alias target: {{ provider_domain.user_pool_domain.cloud_front_distribution }}"

- name: Remove the prefix domain
  healthplatform.aws.cognito_user_pool_domain:
    user_pool_name: healthplatform-dev-patients
    domain: healthplatform-dev-patients
    state: absent
"""

RETURN = r"""
user_pool_domain:
  description:
    - The domain as C(DescribeUserPoolDomain) describes it, in snake_case.
    - Empty when O(state=absent). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    domain:
      description: The prefix or custom domain name.
      type: str
      sample: healthplatform-prod-patients
    user_pool_id:
      description: ID of the user pool.
      type: str
      sample: us-east-1_AbCdEfGhI
    cloud_front_distribution:
      description: The CloudFront distribution serving the domain (the alias target of a custom domain).
      type: str
      sample: d111111abcdef8.cloudfront.net
    status:
      description: C(CREATING), C(ACTIVE), C(UPDATING), C(DELETING) or C(FAILED).
      type: str
      sample: ACTIVE
    custom_domain_config:
      description: Certificate of a custom domain.
      type: dict
      sample: {"certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"}
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import find_parent_pool
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import pool_label
from ansible_collections.healthplatform.aws.plugins.module_utils.cognito import snake_resource
from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client

PREFIX = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
FQDN = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
ACM_ARN_US_EAST_1 = re.compile(r"^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate/[0-9a-f-]+$")
RESERVED = ("aws", "amazon", "cognito")


def is_custom(domain):
    return "." in domain


def validate(module):
    """Check the options that argument_spec cannot; fail before any API call."""
    p = module.params
    domain = p["domain"]
    if is_custom(domain):
        if not FQDN.match(domain):
            module.fail_json(msg=f"domain {domain!r} is neither a valid prefix nor a valid fully qualified domain name (lowercase)")
        if p["state"] == "present":
            if not p["certificate_arn"]:
                module.fail_json(msg=f"certificate_arn (an ACM certificate in us-east-1) is required for the custom domain {domain!r}")
            if not ACM_ARN_US_EAST_1.match(p["certificate_arn"]):
                module.fail_json(
                    msg=f"certificate_arn must be the ARN of an ACM certificate in us-east-1 (Cognito requires that region), got {p['certificate_arn']!r}"
                )
    else:
        if not PREFIX.match(domain):
            module.fail_json(msg=f"domain prefix {domain!r} must be 1 to 63 lowercase letters, digits or hyphens, not starting or ending with a hyphen")
        reserved = [word for word in RESERVED if word in domain]
        if reserved:
            module.fail_json(msg=f"domain prefix {domain!r} contains the reserved word {reserved[0]!r}, which Cognito refuses")
        if p["certificate_arn"]:
            module.fail_json(msg="certificate_arn applies only to a custom domain (a domain name with dots), not to a prefix domain")


def describe_domain(client, domain):
    description = client.describe_user_pool_domain(Domain=domain, aws_retry=True).get("DomainDescription") or {}
    return description if description.get("UserPoolId") else None


def pool_domain_of_kind(pool, custom):
    """The pool's current domain of the same kind (prefix or custom), if any."""
    for name in (pool.get("Domain"), pool.get("CustomDomain")):
        if name and is_custom(name) == custom:
            return name
    return None


def diff_view(description):
    if not description:
        return {}
    view = {"domain": description.get("Domain"), "user_pool_id": description.get("UserPoolId")}
    certificate = (description.get("CustomDomainConfig") or {}).get("CertificateArn")
    if certificate:
        view["certificate_arn"] = certificate
    return view


def ensure_present(module, client, pool, current):
    params = module.params
    domain = params["domain"]
    custom_config = {"CertificateArn": params["certificate_arn"]} if params["certificate_arn"] else None
    if current is None:
        other = pool_domain_of_kind(pool, is_custom(domain))
        if other and other != domain:
            kind = "custom" if is_custom(domain) else "prefix"
            module.fail_json(
                msg=(
                    f"user pool {pool['Id']} already has the {kind} domain {other!r}; a pool has one {kind} domain and Cognito cannot rename it. "
                    f"Remove {other!r} first (state: absent) if the sign-in URLs may change."
                )
            )
        request = {"Domain": domain, "UserPoolId": pool["Id"]}
        if custom_config:
            request["CustomDomainConfig"] = custom_config
        if module.check_mode:
            return True, {}, dict(request, Status="CREATING")
        response = client.create_user_pool_domain(aws_retry=True, **request)
        after = describe_domain(client, domain) or dict(request)
        if response.get("CloudFrontDomain") and not after.get("CloudFrontDistribution"):
            after["CloudFrontDistribution"] = response["CloudFrontDomain"]
        return True, {}, after

    have = (current.get("CustomDomainConfig") or {}).get("CertificateArn")
    if not custom_config or have == custom_config["CertificateArn"]:
        return False, current, current
    if module.check_mode:
        return True, current, dict(current, CustomDomainConfig=dict(current.get("CustomDomainConfig") or {}, **custom_config))
    request = {"Domain": domain, "UserPoolId": pool["Id"], "CustomDomainConfig": dict(current.get("CustomDomainConfig") or {}, **custom_config)}
    if current.get("ManagedLoginVersion") is not None:
        # Like the other Cognito updates, send what the module does not manage as it is.
        request["ManagedLoginVersion"] = current["ManagedLoginVersion"]
    client.update_user_pool_domain(aws_retry=True, **request)
    return True, current, describe_domain(client, domain) or current


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        user_pool_id=dict(type="str"),
        user_pool_name=dict(type="str"),
        domain=dict(type="str", required=True),
        certificate_arn=dict(type="str"),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_one_of=[["user_pool_id", "user_pool_name"]],
        mutually_exclusive=[["user_pool_id", "user_pool_name"]],
    )
    validate(module)

    client = retrying_client(module, "cognito-idp")
    params = module.params
    domain = params["domain"]
    try:
        pool = find_parent_pool(module, client)
        if pool is None:
            if params["state"] == "absent":
                module.exit_json(changed=False, user_pool_domain={}, diff=diff_of({}, {}))
            module.fail_json(msg=f"user pool {pool_label(params)} does not exist; create it first (healthplatform.aws.cognito_user_pool)")
        current = describe_domain(client, domain)
        if current and current["UserPoolId"] != pool["Id"]:
            if params["state"] == "absent":
                module.warn(f"domain {domain!r} belongs to user pool {current['UserPoolId']}, not to {pool['Id']}; left alone")
                module.exit_json(changed=False, user_pool_domain={}, diff=diff_of({}, {}))
            module.fail_json(msg=f"domain {domain!r} is already used by user pool {current['UserPoolId']}, not by {pool['Id']}; domains are unique")
        if params["state"] == "absent":
            if current and not module.check_mode:
                client.delete_user_pool_domain(Domain=domain, UserPoolId=pool["Id"], aws_retry=True)
            module.exit_json(changed=current is not None, user_pool_domain={}, diff=diff_of(diff_view(current), {}))
        changed, before, after = ensure_present(module, client, pool, current)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the domain {domain!r} of user pool {pool_label(params)}")

    module.exit_json(changed=changed, user_pool_domain=snake_resource(after), diff=diff_of(diff_view(before), diff_view(after)))


if __name__ == "__main__":
    main()
