#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ses_domain_identity
short_description: Manage an SES domain identity, its Easy DKIM signing and optionally its configuration set
version_added: 0.1.0
description:
  - Creates or deletes the Amazon SES identity of a sending domain (C(VerifyDomainIdentity)) and
    turns Easy DKIM signing on or off for it, in one task.
  - With O(configuration_set), also ensures the configuration set the domain's mail is sent through
    (TLS policy, reputation metrics, SNS event destinations), as M(healthplatform.aws.ses_configuration_set)
    does, in the same run - the domain's outbound mail setup as one resource with its parts.
  - Returns the DNS records that prove the domain and publish its DKIM keys (RV(dns_records)), so a
    playbook can publish them in the domain's zone. SES verifies the domain once they resolve.
  - Unlike M(community.aws.ses_identity), the module never sleeps; it reads the identity once and
    reports its verification status as SES has it.
  - A domain name that is not valid, or bad O(configuration_set) options, fail before any API call.
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
  configuration_set:
    description:
      - The configuration set for the domain's outbound mail, ensured in the same run with the options
        and semantics of M(healthplatform.aws.ses_configuration_set) (options that are not given are not
        compared; only what differs is changed).
      - When omitted, configuration sets are left alone.
      - Only with O(state=present); deleting the identity never deletes a configuration set (delete it
        with M(healthplatform.aws.ses_configuration_set)).
    type: dict
    suboptions:
      name:
        description: Name of the configuration set (letters, digits, C(-) and C(_), at most 64).
        type: str
        required: true
      tls_policy:
        description:
          - C(Require) refuses to deliver a message when the receiving server cannot take it over TLS;
            C(Optional) (the SES default) falls back to plain text. Not compared when omitted.
        type: str
        choices: [Require, Optional]
      reputation_metrics_enabled:
        description: Whether SES publishes the bounce and complaint rates of the set to CloudWatch. Not compared when omitted.
        type: bool
      sending_enabled:
        description: Whether mail may be sent through the set. Not compared when omitted.
        type: bool
      event_destinations:
        description: Event destinations of the set. Not compared when omitted.
        type: list
        elements: dict
        suboptions:
          name:
            description: Name of the destination.
            type: str
            required: true
          enabled:
            description: Whether events are published.
            type: bool
            default: true
          matching_event_types:
            description: Which events are published.
            type: list
            elements: str
            required: true
            choices: [send, reject, bounce, complaint, delivery, open, click, renderingFailure, deliveryDelay, subscription]
          sns_topic_arn:
            description: The SNS topic the events are published to.
            type: str
            required: true
      purge_event_destinations:
        description: Delete event destinations that are not in O(configuration_set.event_destinations).
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
  - C(CreateConfigurationSet) takes no client token either; a set's name is unique in the region, so a
    retried create finds the set.
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

- name: Outbound mail domain with its configuration set (TLS only, bounces and complaints to the alerts topic)
  healthplatform.aws.ses_domain_identity:
    domain: mail.example.org
    dkim: true
    configuration_set:
      name: healthplatform-prod-outbound
      tls_policy: Require
      reputation_metrics_enabled: true
      event_destinations:
        - name: alerts
          matching_event_types: [bounce, complaint, reject]
          sns_topic_arn: "{{ topics.topic_arns['healthplatform-prod-alerts'] }}"
  register: ses_domain
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
configuration_set:
  description: The configuration set after the run (in check mode, what it would be).
  returned: when O(configuration_set) is given
  type: dict
  contains:
    name:
      description: Name of the set.
      type: str
      sample: healthplatform-prod-outbound
    tls_policy:
      description: The TLS policy (C(Optional) when SES reports none).
      type: str
      sample: Require
    reputation_metrics_enabled:
      description: Whether reputation metrics are published (absent when SES does not report it).
      type: bool
      sample: true
    sending_enabled:
      description: Whether sending is enabled (absent when SES does not report it).
      type: bool
      sample: true
    event_destinations:
      description: The event destinations.
      type: list
      elements: dict
      sample:
        - name: alerts
          enabled: true
          matching_event_types: [bounce, complaint]
          sns_topic_arn: arn:aws:sns:us-east-1:123456789012:healthplatform-prod-alerts
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import CONFIGURATION_SET_OPTIONS
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import DOMAIN
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import configuration_set_error
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import configuration_set_view
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import ensure_configuration_set
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import identity_dns_records
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import read_configuration_set
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import read_domain_identity
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import snake_configuration_set


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


def validate(module):
    """The domain (lower case, without a final dot) after checking every option, before any API call."""
    p = module.params
    domain = p["domain"].lower().rstrip(".")
    if not DOMAIN.match(domain):
        module.fail_json(msg=f"domain: {p['domain']!r} is not a domain name (for example mail.example.org)")
    if p["configuration_set"] is not None:
        if p["state"] == "absent":
            module.fail_json(
                msg="configuration_set: only with state=present (deleting the identity leaves configuration sets alone;"
                " delete a set with healthplatform.aws.ses_configuration_set state=absent)"
            )
        error = configuration_set_error(p["configuration_set"], where="configuration_set.")
        if error:
            module.fail_json(msg=error)
    return domain


def main():
    argument_spec = dict(
        domain=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        dkim=dict(type="bool", default=True),
        configuration_set=dict(type="dict", options=CONFIGURATION_SET_OPTIONS),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    domain = validate(module)
    wanted_set = module.params["configuration_set"]

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

    result = dict(identity=snake(domain, after), dns_records=identity_dns_records(domain, after))
    before_view, after_view = diff_view(identity), diff_view(after)
    if wanted_set is not None:
        try:
            set_before = configuration_set_view(read_configuration_set(client, wanted_set["name"]))
            set_changed, set_after = ensure_configuration_set(client, wanted_set, set_before, module.check_mode)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            module.fail_json_aws(e, msg=f"Failed to manage the SES configuration set {wanted_set['name']} of {domain}", changed=changed, **result)
        changed = changed or set_changed
        result["configuration_set"] = snake_configuration_set(set_after)
        if set_before is not None:
            before_view["configuration_set"] = snake_configuration_set(set_before)
        after_view["configuration_set"] = result["configuration_set"]

    module.exit_json(changed=changed, diff=diff_of(before_view, after_view), **result)


if __name__ == "__main__":
    main()
