#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ses_domain_identity
short_description: Manage an SES domain identity and its Easy DKIM signing
version_added: 0.1.0
description:
  - Creates or deletes the Amazon SES identity of a sending domain (C(VerifyDomainIdentity)) and
    turns Easy DKIM signing on or off for it, in one task.
  - Returns the DNS records that prove the domain and publish its DKIM keys (RV(dns_records)), so a
    playbook can publish them in the domain's zone. SES verifies the domain once they resolve.
  - Unlike M(community.aws.ses_identity), the module never sleeps; it reads the identity once and
    reports its verification status as SES has it.
  - A domain name that is not valid fails before any API call.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  domain:
    description: The sending domain, for example C(mail.example.org).
    type: str
    required: true
  state:
    description: Whether the identity should exist.
    type: str
    choices: [present, absent]
    default: present
  dkim:
    description: Whether mail from the domain is signed with Easy DKIM.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - SES identities have no tags and no client token; verifying a domain that is already an identity
    only returns its token again, so a retried request changes nothing.
  - A new identity stays C(Pending) until its TXT record resolves (up to 72 hours on AWS).
seealso:
  - module: healthplatform.aws.ses_domain_identity_info
  - module: healthplatform.aws.ses_configuration_set
"""

EXAMPLES = r"""
- name: Outbound mail domain, signed with DKIM
  healthplatform.aws.ses_domain_identity:
    domain: mail.example.org
  register: ses_domain

- name: Publish the records in the domain's zone
  amazon.aws.route53:
    zone: example.org
    record: "{{ item.name }}"
    type: "{{ item.type }}"
    value: "{{ ('\"' ~ item.value ~ '\"') if item.type == 'TXT' else item.value }}"
    ttl: 1800
    overwrite: true
  loop: "{{ ses_domain.dns_records }}"
"""

RETURN = r"""
identity:
  description: The identity after the run (in check mode, what it would be); empty with O(state=absent).
  returned: always
  type: dict
  contains:
    domain:
      description: The domain.
      type: str
      sample: mail.example.org
    verification_status:
      description: C(Pending), C(Success), C(Failed), C(TemporaryFailure) or C(NotStarted).
      type: str
      sample: Pending
    verification_token:
      description: Value of the C(_amazonses) TXT record (absent in check mode before creation).
      type: str
      sample: QTKknzFg2J4ygwa+XvHAxUl1hyHoY0gVfZdfjIedHZ0=
    dkim_enabled:
      description: Whether Easy DKIM signs the domain's mail.
      type: bool
      sample: true
    dkim_verification_status:
      description: Status of the DKIM records.
      type: str
      sample: Pending
    dkim_tokens:
      description: The Easy DKIM tokens (one CNAME record each).
      type: list
      elements: str
      sample: [vvjuipp74whm76gqoni7qmwwn4w4qusj]
dns_records:
  description: The DNS records to publish for the domain (TXT for verification, CNAME per DKIM token).
  returned: when O(state=present)
  type: list
  elements: dict
  sample:
    - name: _amazonses.mail.example.org
      type: TXT
      value: QTKknzFg2J4ygwa+XvHAxUl1hyHoY0gVfZdfjIedHZ0=
    - name: vvjuipp74whm76gqoni7qmwwn4w4qusj._domainkey.mail.example.org
      type: CNAME
      value: vvjuipp74whm76gqoni7qmwwn4w4qusj.dkim.amazonses.com
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import DOMAIN
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import identity_dns_records
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import read_domain_identity


def snake(domain, identity):
    if identity is None:
        return {}
    result = {
        "domain": domain,
        "verification_status": identity.get("VerificationStatus", "NotStarted"),
        "dkim_enabled": bool(identity.get("DkimEnabled")),
        "dkim_verification_status": identity.get("DkimVerificationStatus", "NotStarted"),
        "dkim_tokens": list(identity.get("DkimTokens") or []),
    }
    if identity.get("VerificationToken"):
        result["verification_token"] = identity["VerificationToken"]
    return result


def diff_view(identity):
    if identity is None:
        return {}
    return {"dkim_enabled": bool(identity.get("DkimEnabled"))}


def ensure_present(module, client, domain, identity):
    """Returns (changed, after)."""
    want_dkim = module.params["dkim"]
    changed = False
    if identity is None:
        changed = True
        identity = {"VerificationStatus": "Pending", "DkimEnabled": False}
        if not module.check_mode:
            identity["VerificationToken"] = client.verify_domain_identity(Domain=domain, aws_retry=True)["VerificationToken"]
    after = dict(identity)
    if want_dkim and not identity.get("DkimEnabled"):
        changed = True
        if not module.check_mode:
            if identity.get("DkimTokens"):
                client.set_identity_dkim_enabled(Identity=domain, DkimEnabled=True, aws_retry=True)
            else:
                after["DkimTokens"] = client.verify_domain_dkim(Domain=domain, aws_retry=True)["DkimTokens"]
        after["DkimEnabled"] = True
    elif not want_dkim and identity.get("DkimEnabled"):
        changed = True
        if not module.check_mode:
            client.set_identity_dkim_enabled(Identity=domain, DkimEnabled=False, aws_retry=True)
        after["DkimEnabled"] = False
    if changed and not module.check_mode:
        after = read_domain_identity(client, domain) or after
    return changed, after


def main():
    argument_spec = dict(
        domain=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        dkim=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    domain = module.params["domain"].lower().rstrip(".")
    if not DOMAIN.match(domain):
        module.fail_json(msg=f"domain: {module.params['domain']!r} is not a domain name (for example mail.example.org)")

    client = retrying_client(module, "ses")
    try:
        identity = read_domain_identity(client, domain)
        if module.params["state"] == "absent":
            changed = identity is not None
            if changed and not module.check_mode:
                client.delete_identity(Identity=domain, aws_retry=True)
            module.exit_json(changed=changed, identity={}, diff=diff_of(diff_view(identity), {}))
        changed, after = ensure_present(module, client, domain, identity)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the SES identity of {domain}")

    module.exit_json(
        changed=changed, identity=snake(domain, after), dns_records=identity_dns_records(domain, after), diff=diff_of(diff_view(identity), diff_view(after))
    )


if __name__ == "__main__":
    main()
