#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ses_configuration_set
short_description: Manage an SES configuration set with its delivery options and SNS event destinations
version_added: 0.1.0
description:
  - Creates, updates or deletes one Amazon SES configuration set in one task - whether mail sent
    through it must be delivered over TLS, whether SES keeps reputation metrics and may send, and
    its event destinations (bounces, complaints, ... published to SNS topics).
  - Options that are not given are not compared. Only what differs is changed.
  - Bad input (a name SES refuses, a destination topic that is not an SNS topic ARN) fails before any API call.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Name of the configuration set (letters, digits, C(-) and C(_), at most 64).
    type: str
    required: true
  state:
    description: Whether the configuration set should exist.
    type: str
    choices: [present, absent]
    default: present
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
    description: Delete event destinations that are not in O(event_destinations).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Uses the SES v1 API (the one C(ses:GetIdentityVerificationAttributes) belongs to); v1 configuration sets have no tags.
  - C(CreateConfigurationSet) takes no client token; a set's name is unique in the region, so a retried create finds the set.
seealso:
  - module: healthplatform.aws.ses_configuration_set_info
  - module: healthplatform.aws.ses_domain_identity
"""

EXAMPLES = r"""
- name: Outbound mail over TLS only, bounces and complaints to the alerts topic
  healthplatform.aws.ses_configuration_set:
    name: healthplatform-prod-outbound
    tls_policy: Require
    reputation_metrics_enabled: true
    sending_enabled: true
    event_destinations:
      - name: bounces-and-complaints
        matching_event_types: [bounce, complaint, reject]
        sns_topic_arn: "{{ topics.topic_arns['healthplatform-prod-alerts'] }}"
"""

RETURN = r"""
configuration_set:
  description: The set after the run (in check mode, what it would be); empty with O(state=absent).
  returned: always
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
        - name: bounces-and-complaints
          enabled: true
          matching_event_types: [bounce, complaint]
          sns_topic_arn: arn:aws:sns:us-east-1:123456789012:healthplatform-prod-alerts
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import read_configuration_set
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import SNS_TOPIC_ARN

NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def validate(module):
    p = module.params
    if not NAME.match(p["name"]):
        module.fail_json(msg=f"name: {p['name']!r} is not a configuration set name (1-64 letters, digits, - and _)")
    seen = set()
    for index, destination in enumerate(p["event_destinations"] or []):
        if not NAME.match(destination["name"]):
            module.fail_json(msg=f"event_destinations[{index}].name: {destination['name']!r} is not a destination name (1-64 letters, digits, - and _)")
        if destination["name"] in seen:
            module.fail_json(msg=f"event_destinations[{index}].name: {destination['name']} is listed twice")
        seen.add(destination["name"])
        if not destination["matching_event_types"]:
            module.fail_json(msg=f"event_destinations[{index}].matching_event_types must name at least one event type")
        if not SNS_TOPIC_ARN.match(destination["sns_topic_arn"]):
            module.fail_json(msg=f"event_destinations[{index}].sns_topic_arn: {destination['sns_topic_arn']!r} is not an SNS topic ARN")


def wanted_destination(destination):
    return {
        "Name": destination["name"],
        "Enabled": destination["enabled"],
        "MatchingEventTypes": sorted(set(destination["matching_event_types"])),
        "SNSDestination": {"TopicARN": destination["sns_topic_arn"]},
    }


def comparable(destination):
    return {
        "Enabled": bool(destination.get("Enabled")),
        "MatchingEventTypes": sorted(destination.get("MatchingEventTypes") or []),
        "SNSDestination": (destination.get("SNSDestination") or {}).get("TopicARN"),
        "Other": {k: v for k, v in destination.items() if k in ("CloudWatchDestination", "KinesisFirehoseDestination")},
    }


def ensure_options(module, client, name, current):
    """TLS policy, reputation metrics and sending. Returns (changed, after view)."""
    p = module.params
    after = dict(current)
    changed = False
    if p["tls_policy"] is not None and current["tls_policy"] != p["tls_policy"]:
        changed = True
        if not module.check_mode:
            client.put_configuration_set_delivery_options(ConfigurationSetName=name, DeliveryOptions={"TlsPolicy": p["tls_policy"]}, aws_retry=True)
        after["tls_policy"] = p["tls_policy"]
    if p["reputation_metrics_enabled"] is not None and current.get("reputation_metrics_enabled", False) != p["reputation_metrics_enabled"]:
        changed = True
        if not module.check_mode:
            client.update_configuration_set_reputation_metrics_enabled(ConfigurationSetName=name, Enabled=p["reputation_metrics_enabled"], aws_retry=True)
        after["reputation_metrics_enabled"] = p["reputation_metrics_enabled"]
    if p["sending_enabled"] is not None and current.get("sending_enabled", True) != p["sending_enabled"]:
        changed = True
        if not module.check_mode:
            client.update_configuration_set_sending_enabled(ConfigurationSetName=name, Enabled=p["sending_enabled"], aws_retry=True)
        after["sending_enabled"] = p["sending_enabled"]
    return changed, after


def ensure_destinations(module, client, name, current):
    """Create, update and (purge) delete event destinations. Returns (changed, destinations after)."""
    p = module.params
    if p["event_destinations"] is None:
        return False, current
    have = {d["Name"]: d for d in current}
    changed = False
    after = []
    for destination in p["event_destinations"]:
        wanted = wanted_destination(destination)
        existing = have.get(wanted["Name"])
        if existing is None:
            changed = True
            if not module.check_mode:
                client.create_configuration_set_event_destination(ConfigurationSetName=name, EventDestination=wanted, aws_retry=True)
        elif comparable(existing) != comparable(wanted):
            changed = True
            if not module.check_mode:
                client.update_configuration_set_event_destination(ConfigurationSetName=name, EventDestination=wanted, aws_retry=True)
        after.append(wanted)
    listed = {d["name"] for d in p["event_destinations"]}
    for destination_name, destination in have.items():
        if destination_name in listed:
            continue
        if p["purge_event_destinations"]:
            changed = True
            if not module.check_mode:
                client.delete_configuration_set_event_destination(ConfigurationSetName=name, EventDestinationName=destination_name, aws_retry=True)
        else:
            after.append(destination)
    return changed, after


def view(described):
    """A described set as the module compares and returns it."""
    reputation = described.get("ReputationOptions") or {}
    result = {
        "name": described["ConfigurationSet"]["Name"],
        "tls_policy": (described.get("DeliveryOptions") or {}).get("TlsPolicy", "Optional"),
        "event_destinations": list(described.get("EventDestinations") or []),
    }
    if "ReputationMetricsEnabled" in reputation:
        result["reputation_metrics_enabled"] = reputation["ReputationMetricsEnabled"]
    if "SendingEnabled" in reputation:
        result["sending_enabled"] = reputation["SendingEnabled"]
    return result


def snake(current):
    if not current:
        return {}
    result = {k: v for k, v in current.items() if k != "event_destinations"}
    result["event_destinations"] = [
        {
            "name": d["Name"],
            "enabled": bool(d.get("Enabled")),
            "matching_event_types": list(d.get("MatchingEventTypes") or []),
            "sns_topic_arn": (d.get("SNSDestination") or {}).get("TopicARN"),
        }
        for d in current["event_destinations"]
    ]
    return result


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        tls_policy=dict(type="str", choices=["Require", "Optional"]),
        reputation_metrics_enabled=dict(type="bool"),
        sending_enabled=dict(type="bool"),
        event_destinations=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                enabled=dict(type="bool", default=True),
                matching_event_types=dict(
                    type="list",
                    elements="str",
                    required=True,
                    choices=["send", "reject", "bounce", "complaint", "delivery", "open", "click", "renderingFailure", "deliveryDelay", "subscription"],
                ),
                sns_topic_arn=dict(type="str", required=True),
            ),
        ),
        purge_event_destinations=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    name = module.params["name"]

    client = retrying_client(module, "ses")
    try:
        described = read_configuration_set(client, name)
        before = view(described) if described else None
        if module.params["state"] == "absent":
            if before and not module.check_mode:
                client.delete_configuration_set(ConfigurationSetName=name, aws_retry=True)
            module.exit_json(changed=before is not None, configuration_set={}, diff=diff_of(snake(before), {}))
        changed = False
        current = before
        if current is None:
            changed = True
            if not module.check_mode:
                client.create_configuration_set(ConfigurationSet={"Name": name}, aws_retry=True)
            current = {"name": name, "tls_policy": "Optional", "event_destinations": []}
        options_changed, after = ensure_options(module, client, name, current)
        destinations_changed, after["event_destinations"] = ensure_destinations(module, client, name, current["event_destinations"])
        changed = changed or options_changed or destinations_changed
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the SES configuration set {name}")

    module.exit_json(changed=changed, configuration_set=snake(after), diff=diff_of(snake(before), snake(after)))


if __name__ == "__main__":
    main()
