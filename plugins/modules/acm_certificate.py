#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: acm_certificate
short_description: Import a certificate into ACM, or request a DNS-validated one, idempotently
version_added: 0.1.0
description:
  - Manages one AWS Certificate Manager certificate, identified by its C(Name) tag (O(name))
    among the certificates of the same kind (imported or requested).
  - B(Import) (O(certificate) and O(private_key) given) - the certificate body in ACM is compared
    with O(certificate) first (the DER content, whatever the PEM line layout) and, when
    O(certificate_chain) is given, the chain too. Only a different certificate is imported,
    into the same ARN, so listeners that use it keep working. A re-run with the same files
    makes no change (unlike M(community.aws.acm_certificate), which re-imports on some endpoints).
  - B(Request) (O(domain_name) given) - requests an ACM-issued certificate, DNS-validated by
    default, and returns the validation records to create in DNS (RV(validation_records)).
    With O(wait=true) it waits until ACM has issued it. A requested certificate cannot be
    changed; when its domains or key algorithm differ from the options the module fails,
    changing nothing - choose a new O(name) (and remove the old one when nothing uses it).
  - Tags are updated in place; the C(Name) tag is always O(name).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Value of the certificate's C(Name) tag, which identifies it.
    type: str
    required: true
  state:
    description:
      - Whether the certificate should exist. O(state=absent) deletes every certificate of that name
        (of the kind given by O(domain_name) or O(certificate), or of both kinds when neither is given);
        AWS refuses while a load balancer still uses it.
    type: str
    choices: [present, absent]
    default: present
  certificate:
    description: The certificate to import, PEM. Requires O(private_key).
    type: str
  private_key:
    description: The certificate's private key, PEM, unencrypted. Never returned or logged.
    type: str
  certificate_chain:
    description: The intermediate certificates, PEM. Compared only when given.
    type: str
  domain_name:
    description: The domain of a requested certificate, for example C(portal.example.org) or C(*.example.org).
    type: str
  subject_alternative_names:
    description: Further domains of a requested certificate.
    type: list
    elements: str
    default: []
  validation_method:
    description: How ACM validates a requested certificate.
    type: str
    choices: [DNS, EMAIL]
    default: DNS
  key_algorithm:
    description: Key algorithm of a requested certificate.
    type: str
    choices: [RSA_2048, RSA_3072, RSA_4096, EC_prime256v1, EC_secp384r1, EC_secp521r1]
    default: RSA_2048
  certificate_transparency_logging:
    description: Log a requested certificate in public certificate transparency logs (browsers expect it).
    type: bool
    default: true
  wait:
    description: For a requested certificate, wait until ACM has issued it (the DNS validation records must exist).
    type: bool
    default: false
  wait_timeout:
    description: How many seconds to wait at most.
    type: int
    default: 900
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Requests are sent with an idempotency token, so a retried request never creates two certificates.
  - Finding a certificate by name reads the tags of each certificate of the same kind (one call each).
seealso:
  - module: healthplatform.aws.acm_certificate_info
"""

EXAMPLES = r"""
- name: Import the lab's self-signed certificate (no change when it is already there)
  healthplatform.aws.acm_certificate:
    name: healthplatform-lab-portal
    certificate: "{{ lookup('ansible.builtin.file', cert_dir ~ '/portal.crt') }}"
    private_key: "{{ lookup('ansible.builtin.file', cert_dir ~ '/portal.key') }}"
  no_log: true

- name: Request a DNS-validated certificate for the portal
  healthplatform.aws.acm_certificate:
    name: healthplatform-prod-portal
    domain_name: portal.example.org
    subject_alternative_names: [www.portal.example.org]
  register: portal_cert

- name: Create the validation records
  amazon.aws.route53:
    zone: example.org
    record: "{{ item.name }}"
    type: "{{ item.type }}"
    value: "{{ item.value }}"
    ttl: 300
    overwrite: true
  loop: "{{ portal_cert.validation_records }}"

- name: Wait until ACM has issued it
  healthplatform.aws.acm_certificate:
    name: healthplatform-prod-portal
    domain_name: portal.example.org
    subject_alternative_names: [www.portal.example.org]
    wait: true
"""

RETURN = r"""
certificate:
  description: The certificate as ACM describes it (empty when O(state=absent)); never the private key.
  returned: always
  type: dict
  contains:
    certificate_arn:
      description: ARN of the certificate (absent in check mode before creation).
      type: str
      sample: arn:aws:acm:us-east-1:123456789012:certificate/0f49180c-4e8f-42e0-9a72-edf1f9354eeb
    domain_name:
      description: The certificate's domain.
      type: str
      sample: portal.example.org
    status:
      description: C(ISSUED), C(PENDING_VALIDATION), ...
      type: str
      sample: ISSUED
    type:
      description: C(IMPORTED) or C(AMAZON_ISSUED).
      type: str
    serial:
      description: Serial number.
      type: str
    not_after:
      description: End of validity.
      type: str
    tags:
      description: Tags of the certificate.
      type: dict
      sample: {"Name": "healthplatform-prod-portal"}
certificate_arn:
  description: ARN of the certificate (empty in check mode before creation and after deletion).
  returned: always
  type: str
  sample: arn:aws:acm:us-east-1:123456789012:certificate/0f49180c-4e8f-42e0-9a72-edf1f9354eeb
validation_records:
  description: For a DNS-validated request, the records that prove control of each domain (one per domain; often the same record).
  returned: always
  type: list
  elements: dict
  contains:
    domain_name:
      description: The domain the record validates.
      type: str
    name:
      description: Record name.
      type: str
      sample: _3639ac514e785e898d2646601fa951d5.portal.example.org.
    type:
      description: Record type.
      type: str
      sample: CNAME
    value:
      description: Record value.
      type: str
    status:
      description: Validation status of the domain.
      type: str
      sample: PENDING_VALIDATION
imported:
  description: Whether the certificate was (or in check mode would be) imported by this run.
  returned: always
  type: bool
"""

import re

try:
    import botocore
    from botocore.waiter import WaiterModel
    from botocore.waiter import create_waiter_with_client
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.edge import ACM_RETRY_CODES
from ansible_collections.healthplatform.aws.plugins.module_utils.edge import edge_client
from ansible_collections.healthplatform.aws.plugins.module_utils.edge import is_private_key_pem
from ansible_collections.healthplatform.aws.plugins.module_utils.edge import pem_blocks
from ansible_collections.healthplatform.aws.plugins.module_utils.network import paginate

KEY_TYPES = ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"]
DOMAIN = re.compile(r"^(\*\.)?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}\.?$")
DEAD = ("FAILED", "VALIDATION_TIMED_OUT", "REVOKED", "EXPIRED")

# A waiter for "ACM has worked out the DNS validation records" (seconds after a request).
RECORDS_WAITER = {
    "version": 2,
    "waiters": {
        "ValidationRecords": {
            "operation": "DescribeCertificate",
            "delay": 2,
            "maxAttempts": 30,
            "acceptors": [
                {
                    "matcher": "path",
                    "argument": "length(Certificate.DomainValidationOptions[?ResourceRecord]) == length(Certificate.DomainValidationOptions)",
                    "expected": True,
                    "state": "success",
                },
                {"matcher": "path", "argument": "Certificate.Status", "expected": "FAILED", "state": "failure"},
            ],
        }
    },
}


def validate(module):
    p = module.params
    errors = []
    if p["state"] == "present":
        if bool(p["certificate"]) == bool(p["domain_name"]):
            errors.append("give either certificate (with private_key) to import, or domain_name to request a certificate")
    if p["certificate"]:
        if not pem_blocks(p["certificate"]):
            errors.append("certificate must be a PEM certificate (-----BEGIN CERTIFICATE-----)")
        elif len(pem_blocks(p["certificate"])) > 1:
            errors.append("certificate must hold one certificate; put the intermediates in certificate_chain")
        if p["state"] == "present" and not p["private_key"]:
            errors.append("private_key is required to import a certificate")
        if p["private_key"] and not is_private_key_pem(p["private_key"]):
            errors.append("private_key must be an unencrypted PEM private key (-----BEGIN ... PRIVATE KEY-----)")
        if p["certificate_chain"] and not pem_blocks(p["certificate_chain"]):
            errors.append("certificate_chain must be PEM certificates")
        if p["wait"]:
            errors.append("wait applies only to requested certificates (domain_name)")
    for option, values in (("domain_name", [p["domain_name"]] if p["domain_name"] else []), ("subject_alternative_names", p["subject_alternative_names"])):
        for value in values:
            if len(value) > 253 or not DOMAIN.match(value):
                errors.append(f"{option}: {value!r} is not a domain name (labels of letters, digits and hyphens, optionally starting with *.)")
    if p["subject_alternative_names"] and not p["domain_name"]:
        errors.append("subject_alternative_names applies only to requested certificates (domain_name)")
    if errors:
        module.fail_json(msg="; ".join(errors))


def kind_of(params):
    if params["certificate"]:
        return ["IMPORTED"]
    if params["domain_name"]:
        return ["AMAZON_ISSUED"]
    return ["IMPORTED", "AMAZON_ISSUED"]


def find_certificates(client, params):
    """The certificates of the right kind whose Name tag is the module's name, as (summary, tags)."""
    summaries = paginate(client, "list_certificates", "CertificateSummaryList", Includes={"keyTypes": KEY_TYPES})
    found = []
    for summary in summaries:
        if summary.get("Type") not in kind_of(params):
            continue
        try:
            tags = boto3_tag_list_to_ansible_dict(client.list_tags_for_certificate(CertificateArn=summary["CertificateArn"], aws_retry=True).get("Tags") or [])
        except botocore.exceptions.ClientError as e:
            if e.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                continue  # deleted meanwhile
            raise
        if tags.get("Name") == params["name"]:
            found.append((summary, tags))
    return found


def describe(client, arn):
    certificate = client.describe_certificate(CertificateArn=arn, aws_retry=True)["Certificate"]
    tags = client.list_tags_for_certificate(CertificateArn=arn, aws_retry=True).get("Tags") or []
    certificate["Tags"] = tags
    return certificate


def validation_records(certificate):
    records = []
    for option in (certificate or {}).get("DomainValidationOptions") or []:
        record = option.get("ResourceRecord")
        if option.get("ValidationMethod", "DNS") == "DNS" and record:
            records.append(
                {
                    "domain_name": option.get("DomainName"),
                    "name": record.get("Name"),
                    "type": record.get("Type"),
                    "value": record.get("Value"),
                    "status": option.get("ValidationStatus"),
                }
            )
    return records


def view(certificate):
    if not certificate:
        return {}
    return {
        "domain_name": certificate.get("DomainName"),
        "subject_alternative_names": sorted(certificate.get("SubjectAlternativeNames") or []),
        "type": certificate.get("Type"),
        "status": certificate.get("Status"),
        "serial": certificate.get("Serial"),
        "not_after": str(certificate.get("NotAfter")) if certificate.get("NotAfter") else None,
        "key_algorithm": certificate.get("KeyAlgorithm"),
        "tags": boto3_tag_list_to_ansible_dict(certificate.get("Tags") or []),
    }


def update_tags(module, client, arn, current):
    p = module.params
    desired = dict(p["tags"], Name=p["name"]) if p["tags"] is not None else None
    to_set, to_unset = tag_changes(current, desired, p["purge_tags"])
    if not (to_set or to_unset):
        return False
    if not module.check_mode:
        if to_unset:
            client.remove_tags_from_certificate(CertificateArn=arn, Tags=[{"Key": k, "Value": current[k]} for k in to_unset], aws_retry=True)
        if to_set:
            client.add_tags_to_certificate(CertificateArn=arn, Tags=ansible_dict_to_boto3_tag_list(to_set), aws_retry=True)
    return True


def tags_after(module, current):
    p = module.params
    desired = dict(p["tags"], Name=p["name"]) if p["tags"] is not None else None
    return merged_tags(current, desired, p["purge_tags"]) if current else dict(p["tags"] or {}, Name=p["name"])


def same_body(client, arn, params):
    current = client.get_certificate(CertificateArn=arn, aws_retry=True)
    if pem_blocks(current.get("Certificate")) != pem_blocks(params["certificate"]):
        return False
    if params["certificate_chain"]:
        return pem_blocks(current.get("CertificateChain")) == pem_blocks(params["certificate_chain"])
    return True


def ensure_imported(module, client, existing):
    """Returns (changed, imported, before, after)."""
    p = module.params
    request = {"Certificate": p["certificate"], "PrivateKey": p["private_key"]}
    if p["certificate_chain"]:
        request["CertificateChain"] = p["certificate_chain"]
    if existing is None:
        if module.check_mode:
            return True, True, {}, {"Type": "IMPORTED", "Tags": ansible_dict_to_boto3_tag_list(tags_after(module, {}))}
        request["Tags"] = ansible_dict_to_boto3_tag_list(tags_after(module, {}))
        arn = client.import_certificate(aws_retry=True, **request)["CertificateArn"]
        return True, True, {}, describe(client, arn)

    summary, current_tags = existing
    arn = summary["CertificateArn"]
    before = describe(client, arn)
    reimport = not same_body(client, arn, p)
    tags_changed = update_tags(module, client, arn, current_tags)
    if module.check_mode:
        after = dict(before, Tags=ansible_dict_to_boto3_tag_list(tags_after(module, current_tags)))
        return reimport or tags_changed, reimport, before, after
    if reimport:
        client.import_certificate(CertificateArn=arn, aws_retry=True, **request)
    changed = reimport or tags_changed
    return changed, reimport, before, describe(client, arn) if changed else before


def wait_for(module, client, arn, waiter_name):
    timeout = module.params["wait_timeout"]
    if waiter_name == "certificate_validated":
        waiter = client.get_waiter("certificate_validated")
        delay = 15
    else:
        waiter = create_waiter_with_client("ValidationRecords", WaiterModel(RECORDS_WAITER), client)
        delay = 2
    try:
        waiter.wait(CertificateArn=arn, WaiterConfig={"Delay": delay, "MaxAttempts": max(1, timeout // delay)})
    except botocore.exceptions.WaiterError as e:
        module.fail_json(msg=f"certificate {arn} did not get there within {timeout} s ({waiter_name}): {e}")


def ensure_requested(module, client, existing):
    p = module.params
    if existing is None:
        if module.check_mode:
            planned = {
                "DomainName": p["domain_name"],
                "SubjectAlternativeNames": sorted(set([p["domain_name"]] + p["subject_alternative_names"])),
                "Type": "AMAZON_ISSUED",
                "Status": "PENDING_VALIDATION",
                "KeyAlgorithm": p["key_algorithm"],
                "Tags": ansible_dict_to_boto3_tag_list(tags_after(module, {})),
            }
            return True, {}, planned
        request = {
            "DomainName": p["domain_name"],
            "ValidationMethod": p["validation_method"],
            "IdempotencyToken": idempotency_token().replace("-", "")[:32],
            "KeyAlgorithm": p["key_algorithm"],
            "Options": {"CertificateTransparencyLoggingPreference": "ENABLED" if p["certificate_transparency_logging"] else "DISABLED"},
            "Tags": ansible_dict_to_boto3_tag_list(tags_after(module, {})),
        }
        if p["subject_alternative_names"]:
            request["SubjectAlternativeNames"] = p["subject_alternative_names"]
        arn = client.request_certificate(aws_retry=True, **request)["CertificateArn"]
        if p["validation_method"] == "DNS":
            wait_for(module, client, arn, "validation_records")
        if p["wait"]:
            wait_for(module, client, arn, "certificate_validated")
        return True, {}, describe(client, arn)

    summary, current_tags = existing
    arn = summary["CertificateArn"]
    before = describe(client, arn)
    problems = []
    if before.get("DomainName") != p["domain_name"]:
        problems.append(f"domain_name is {before.get('DomainName')}")
    wanted_names = set([p["domain_name"]] + p["subject_alternative_names"])
    if set(before.get("SubjectAlternativeNames") or []) != wanted_names:
        problems.append(f"subject_alternative_names are {sorted(set(before.get('SubjectAlternativeNames') or []) - {p['domain_name']})}")
    if before.get("KeyAlgorithm") and before["KeyAlgorithm"].replace("-", "_") != p["key_algorithm"]:
        problems.append(f"key_algorithm is {before['KeyAlgorithm']}")
    if before.get("Status") in DEAD:
        problems.append(f"status is {before['Status']}")
    if problems:
        module.fail_json(
            msg=(
                f"certificate {p['name']} ({arn}) cannot be changed: its {'; '.join(problems)}. "
                "Request a new one under a new name, move the listeners to it, then remove this one (state=absent)."
            )
        )
    changed = update_tags(module, client, arn, current_tags)
    if not module.check_mode and p["wait"] and before.get("Status") != "ISSUED":
        wait_for(module, client, arn, "certificate_validated")
        return changed, before, describe(client, arn)
    if changed:
        after = dict(before, Tags=ansible_dict_to_boto3_tag_list(tags_after(module, current_tags)))
        return True, before, after if module.check_mode else describe(client, arn)
    return False, before, before


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        certificate=dict(type="str"),
        private_key=dict(type="str", no_log=True),
        certificate_chain=dict(type="str"),
        domain_name=dict(type="str"),
        subject_alternative_names=dict(type="list", elements="str", default=[]),
        validation_method=dict(type="str", choices=["DNS", "EMAIL"], default="DNS"),
        key_algorithm=dict(type="str", choices=["RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"], default="RSA_2048"),
        certificate_transparency_logging=dict(type="bool", default=True),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=900),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True, mutually_exclusive=[("certificate", "domain_name")])
    validate(module)

    client = edge_client(module, "acm", ACM_RETRY_CODES)
    p = module.params
    try:
        found = find_certificates(client, p)
        if p["state"] == "absent":
            before = [describe(client, summary["CertificateArn"]) for summary, _tags in found]
            if found and not module.check_mode:
                for summary, _tags in found:
                    client.delete_certificate(CertificateArn=summary["CertificateArn"], aws_retry=True)
            module.exit_json(
                changed=bool(found),
                certificate={},
                certificate_arn="",
                validation_records=[],
                imported=False,
                diff=diff_of(view(before[0]) if before else {}, {}),
            )
        if len(found) > 1:
            arns = ", ".join(summary["CertificateArn"] for summary, _tags in found)
            module.fail_json(msg=f"more than one certificate is named {p['name']} ({arns}); remove the extra ones")
        existing = found[0] if found else None
        if p["certificate"]:
            changed, imported, before, after = ensure_imported(module, client, existing)
        else:
            imported = False
            changed, before, after = ensure_requested(module, client, existing)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage certificate {p['name']}")

    module.exit_json(
        changed=changed,
        imported=imported,
        certificate=snake_with_tags(after),
        certificate_arn=after.get("CertificateArn", ""),
        validation_records=validation_records(after),
        diff=diff_of(view(before), view(after)),
    )


if __name__ == "__main__":
    main()
