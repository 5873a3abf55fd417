#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ses_domain_identity_info
short_description: Describe SES domain identities with their verification and DKIM status
version_added: 0.1.0
description:
  - Describes the SES domain identities named in O(domains) (all domain identities of the region
    when omitted), with their verification and Easy DKIM status and the DNS records they need.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  domains:
    description: Only these domains (those that are not identities are left out).
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.ses_domain_identity
"""

EXAMPLES = r"""
- name: Is the sending domain verified?
  healthplatform.aws.ses_domain_identity_info:
    domains: [mail.example.org]
  register: ses

- name: Report it
  ansible.builtin.debug:
    msg: "{{ ses.identities[0].verification_status }}"
"""

RETURN = r"""
identities:
  description: The identities, with C(dns_records) to publish.
  returned: always
  type: list
  elements: dict
  sample:
    - domain: mail.example.org
      verification_status: Success
      verification_token: QTKknzFg2J4ygwa+XvHAxUl1hyHoY0gVfZdfjIedHZ0=
      dkim_enabled: true
      dkim_verification_status: Success
      dkim_tokens: [vvjuipp74whm76gqoni7qmwwn4w4qusj]
      dns_records: [{"name": "_amazonses.mail.example.org", "type": "TXT", "value": "QTKknzFg2J4ygwa+XvHAxUl1hyHoY0gVfZdfjIedHZ0="}]
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import identity_dns_records
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import read_domain_identity
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import token_pages


def main():
    module = AnsibleAWSModule(argument_spec=dict(domains=dict(type="list", elements="str", default=[])), supports_check_mode=True)
    client = retrying_client(module, "ses")
    try:
        domains = [d.lower().rstrip(".") for d in module.params["domains"]] or token_pages(
            client, "list_identities", "Identities", page_key="NextToken", IdentityType="Domain"
        )
        result = []
        for domain in domains:
            identity = read_domain_identity(client, domain)
            if identity is None:
                continue
            item = {
                "domain": domain,
                "verification_status": identity.get("VerificationStatus", "NotStarted"),
                "dkim_enabled": bool(identity.get("DkimEnabled")),
                "dkim_verification_status": identity.get("DkimVerificationStatus", "NotStarted"),
                "dkim_tokens": list(identity.get("DkimTokens") or []),
                "dns_records": identity_dns_records(domain, identity),
            }
            if identity.get("VerificationToken"):
                item["verification_token"] = identity["VerificationToken"]
            result.append(item)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to describe the SES identities")
    module.exit_json(changed=False, identities=result)


if __name__ == "__main__":
    main()
