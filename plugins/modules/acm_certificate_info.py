#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: acm_certificate_info
short_description: Read ACM certificates by name, ARN or domain
version_added: 0.1.0
description:
  - Returns ACM certificates as ACM describes them, with their tags and, for DNS-validated
    requests, the validation records. Never a private key.
  - Certificates of every key type are considered (ACM lists only RSA_2048 unless asked).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  names:
    description: Only the certificates whose C(Name) tag is one of these.
    type: list
    elements: str
    default: []
  certificate_arns:
    description: Only these certificates (no listing).
    type: list
    elements: str
    default: []
  domain_name:
    description: Only the certificates for this domain.
    type: str
  statuses:
    description: Only the certificates in these states.
    type: list
    elements: str
    default: []
    choices: [PENDING_VALIDATION, ISSUED, INACTIVE, EXPIRED, VALIDATION_TIMED_OUT, REVOKED, FAILED]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.acm_certificate
"""

EXAMPLES = r"""
- name: The portal's certificate
  healthplatform.aws.acm_certificate_info:
    names: [healthplatform-prod-portal]
  register: portal_cert

- name: Assert it is issued and valid for another 30 days
  ansible.builtin.assert:
    that:
      - portal_cert.certificates[0].status == 'ISSUED'
      - (portal_cert.certificates[0].not_after | ansible.builtin.to_datetime('%Y-%m-%dT%H:%M:%S%z') - now(utc=true)).days > 30
"""

RETURN = r"""
certificates:
  description: The certificates, sorted by name tag and ARN.
  returned: always
  type: list
  elements: dict
  contains:
    certificate_arn:
      description: ARN of the certificate.
      type: str
    domain_name:
      description: The certificate's domain.
      type: str
    status:
      description: Status of the certificate.
      type: str
    type:
      description: C(IMPORTED) or C(AMAZON_ISSUED).
      type: str
    in_use_by:
      description: ARNs of the resources (load balancers) that use it.
      type: list
      elements: str
    tags:
      description: Tags of the certificate.
      type: dict
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.edge import ACM_RETRY_CODES
from ansible_collections.healthplatform.aws.plugins.module_utils.edge import edge_client
from ansible_collections.healthplatform.aws.plugins.module_utils.network import paginate

KEY_TYPES = ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"]


def main():
    argument_spec = dict(
        names=dict(type="list", elements="str", default=[]),
        certificate_arns=dict(type="list", elements="str", default=[]),
        domain_name=dict(type="str"),
        statuses=dict(
            type="list",
            elements="str",
            default=[],
            choices=["PENDING_VALIDATION", "ISSUED", "INACTIVE", "EXPIRED", "VALIDATION_TIMED_OUT", "REVOKED", "FAILED"],
        ),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    client = edge_client(module, "acm", ACM_RETRY_CODES)
    try:
        if p["certificate_arns"]:
            arns = list(p["certificate_arns"])
        else:
            request = {"Includes": {"keyTypes": KEY_TYPES}}
            if p["statuses"]:
                request["CertificateStatuses"] = p["statuses"]
            arns = [s["CertificateArn"] for s in paginate(client, "list_certificates", "CertificateSummaryList", **request)]
        result = []
        for arn in arns:
            certificate = client.describe_certificate(CertificateArn=arn, aws_retry=True)["Certificate"]
            if p["domain_name"] and certificate.get("DomainName") != p["domain_name"]:
                continue
            if p["statuses"] and certificate.get("Status") not in p["statuses"]:
                continue
            certificate["Tags"] = client.list_tags_for_certificate(CertificateArn=arn, aws_retry=True).get("Tags") or []
            if p["names"] and boto3_tag_list_to_ansible_dict(certificate["Tags"]).get("Name") not in p["names"]:
                continue
            result.append(snake_with_tags(certificate))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to read ACM certificates")
    result.sort(key=lambda c: (c["tags"].get("Name", ""), c["certificate_arn"]))
    module.exit_json(changed=False, certificates=result)


if __name__ == "__main__":
    main()
