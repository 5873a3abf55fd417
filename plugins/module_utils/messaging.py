# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers shared by the messaging modules (SNS topics, SES identities and configuration sets).

- topic_arn() / read_topic(): an SNS topic by name, read directly by its ARN (no listing of the
  account's topics), with its attributes, subscriptions and tags.
- SUBSCRIPTION_CHECKS: what an endpoint of each protocol must look like.
- read_domain_identity(): an SES domain identity with its verification and DKIM attributes.
- identity_dns_records(): the DNS records that verify a domain and sign its mail with DKIM.
- read_configuration_set(): an SES configuration set with its event destinations.
- CONFIGURATION_SET_OPTIONS, configuration_set_error(), ensure_configuration_set(): one
  configuration set brought to a *spec* (the options of ses_configuration_set, or the
  configuration_set option of ses_domain_identity): its TLS policy, reputation and sending
  options and SNS event destinations; configuration_set_view() and snake_configuration_set() are
  how the modules compare and return it.
"""

from __future__ import annotations

import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import SNS_TOPIC_ARN

TOPIC_NAME = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
FIFO_TOPIC_NAME = re.compile(r"^[A-Za-z0-9_-]{1,251}\.fifo$")
SUBSCRIPTION_CHECKS = {
    "email": (re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), "an e-mail address"),
    "email-json": (re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), "an e-mail address"),
    "sms": (re.compile(r"^\+[1-9]\d{6,14}$"), "a phone number in E.164 form (+15555550123)"),
    "https": (re.compile(r"^https://\S+$"), "an https:// URL"),
    "http": (re.compile(r"^http://\S+$"), "an http:// URL"),
    "sqs": (re.compile(r"^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:.+$"), "an SQS queue ARN"),
    "lambda": (re.compile(r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:.+$"), "a Lambda function ARN"),
    "firehose": (re.compile(r"^arn:aws[a-z-]*:firehose:[a-z0-9-]+:\d{12}:deliverystream/.+$"), "a Firehose delivery stream ARN"),
    "application": (re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:endpoint/.+$"), "an SNS platform endpoint ARN"),
}
PENDING = "PendingConfirmation"


def topic_arn(partition, region, account_id, name):
    return f"arn:{partition}:sns:{region}:{account_id}:{name}"


def read_topic(client, arn):
    """{Attributes, Subscriptions, Tags} of the topic, or None when it does not exist."""
    try:
        attributes = client.get_topic_attributes(TopicArn=arn, aws_retry=True)["Attributes"]
    except is_boto3_error_code(("NotFound", "NotFoundException")):
        return None
    subscriptions = []
    request = {"TopicArn": arn}
    while True:
        page = client.list_subscriptions_by_topic(aws_retry=True, **request)
        subscriptions.extend(page.get("Subscriptions") or [])
        if not page.get("NextToken"):
            break
        request["NextToken"] = page["NextToken"]
    tags = boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(ResourceArn=arn, aws_retry=True).get("Tags") or [])
    return {"TopicArn": arn, "Attributes": attributes, "Subscriptions": subscriptions, "Tags": tags}


def snake_topic(name, topic):
    """A topic (as read_topic() returns it) as the modules return it."""
    return {
        "name": name,
        "topic_arn": topic["TopicArn"],
        "attributes": dict(topic.get("Attributes") or {}),
        "subscriptions": [
            {"protocol": s["Protocol"], "endpoint": s["Endpoint"], "subscription_arn": s.get("SubscriptionArn", PENDING)}
            for s in topic.get("Subscriptions") or []
        ],
        "tags": dict(topic.get("Tags") or {}),
    }


# --- SES (API v1: the one the platform's controls read) -----------------------------------------

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def read_domain_identity(client, domain):
    """The SES identity of ``domain``: {VerificationStatus, VerificationToken, DkimEnabled, DkimVerificationStatus, DkimTokens}, or None."""
    verification = client.get_identity_verification_attributes(Identities=[domain], aws_retry=True).get("VerificationAttributes") or {}
    if domain not in verification:
        return None
    identity = dict(verification[domain])
    dkim = (client.get_identity_dkim_attributes(Identities=[domain], aws_retry=True).get("DkimAttributes") or {}).get(domain) or {}
    identity.update({k: dkim[k] for k in ("DkimEnabled", "DkimVerificationStatus", "DkimTokens") if k in dkim})
    return identity


def identity_dns_records(domain, identity):
    """The records to publish: the TXT record that proves the domain, and one CNAME per Easy DKIM token."""
    records = []
    if identity.get("VerificationToken"):
        records.append({"name": f"_amazonses.{domain}", "type": "TXT", "value": identity["VerificationToken"]})
    for token in identity.get("DkimTokens") or []:
        records.append({"name": f"{token}._domainkey.{domain}", "type": "CNAME", "value": f"{token}.dkim.amazonses.com"})
    return records


def read_configuration_set(client, name):
    """The configuration set (DescribeConfigurationSet with every attribute), or None when it does not exist."""
    try:
        response = client.describe_configuration_set(
            ConfigurationSetName=name,
            ConfigurationSetAttributeNames=["eventDestinations", "trackingOptions", "deliveryOptions", "reputationOptions"],
            aws_retry=True,
        )
    except is_boto3_error_code("ConfigurationSetDoesNotExist"):
        return None
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


CONFIGURATION_SET_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
EVENT_TYPES = ["send", "reject", "bounce", "complaint", "delivery", "open", "click", "renderingFailure", "deliveryDelay", "subscription"]

# The argument spec of one configuration set (ses_configuration_set's options but state;
# ses_domain_identity's configuration_set suboptions).
CONFIGURATION_SET_OPTIONS = dict(
    name=dict(type="str", required=True),
    tls_policy=dict(type="str", choices=["Require", "Optional"]),
    reputation_metrics_enabled=dict(type="bool"),
    sending_enabled=dict(type="bool"),
    event_destinations=dict(
        type="list",
        elements="dict",
        options=dict(
            name=dict(type="str", required=True),
            enabled=dict(type="bool", default=True),
            matching_event_types=dict(type="list", elements="str", required=True, choices=EVENT_TYPES),
            sns_topic_arn=dict(type="str", required=True),
        ),
    ),
    purge_event_destinations=dict(type="bool", default=True),
)


def configuration_set_error(spec, where=""):
    """Why ``spec`` (see CONFIGURATION_SET_OPTIONS) is not a configuration set, naming the option
    prefixed by ``where`` (for example ``configuration_set.``); None when it is one."""
    if not CONFIGURATION_SET_NAME.match(spec["name"]):
        return f"{where}name: {spec['name']!r} is not a configuration set name (1-64 letters, digits, - and _)"
    seen = set()
    for index, destination in enumerate(spec.get("event_destinations") or []):
        prefix = f"{where}event_destinations[{index}]"
        if not CONFIGURATION_SET_NAME.match(destination["name"]):
            return f"{prefix}.name: {destination['name']!r} is not a destination name (1-64 letters, digits, - and _)"
        if destination["name"] in seen:
            return f"{prefix}.name: {destination['name']} is listed twice"
        seen.add(destination["name"])
        if not destination["matching_event_types"]:
            return f"{prefix}.matching_event_types must name at least one event type"
        if not SNS_TOPIC_ARN.match(destination["sns_topic_arn"]):
            return f"{prefix}.sns_topic_arn: {destination['sns_topic_arn']!r} is not an SNS topic ARN"
    return None


def configuration_set_view(described):
    """A set as read_configuration_set() describes it, as the modules compare it; None for None."""
    if described is None:
        return None
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


def snake_configuration_set(current):
    """A view (configuration_set_view()) as the modules return it; {} for None."""
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


def _wanted_destination(destination):
    return {
        "Name": destination["name"],
        "Enabled": destination["enabled"],
        "MatchingEventTypes": sorted(set(destination["matching_event_types"])),
        "SNSDestination": {"TopicARN": destination["sns_topic_arn"]},
    }


def _comparable(destination):
    return {
        "Enabled": bool(destination.get("Enabled")),
        "MatchingEventTypes": sorted(destination.get("MatchingEventTypes") or []),
        "SNSDestination": (destination.get("SNSDestination") or {}).get("TopicARN"),
        "Other": {k: v for k, v in destination.items() if k in ("CloudWatchDestination", "KinesisFirehoseDestination")},
    }


def _ensure_options(client, spec, current, check):
    """TLS policy, reputation metrics and sending. Returns (changed, after view)."""
    name = current["name"]
    after = dict(current)
    changed = False
    if spec.get("tls_policy") is not None and current["tls_policy"] != spec["tls_policy"]:
        changed = True
        if not check:
            client.put_configuration_set_delivery_options(ConfigurationSetName=name, DeliveryOptions={"TlsPolicy": spec["tls_policy"]}, aws_retry=True)
        after["tls_policy"] = spec["tls_policy"]
    wanted = spec.get("reputation_metrics_enabled")
    if wanted is not None and current.get("reputation_metrics_enabled", False) != wanted:
        changed = True
        if not check:
            client.update_configuration_set_reputation_metrics_enabled(ConfigurationSetName=name, Enabled=wanted, aws_retry=True)
        after["reputation_metrics_enabled"] = wanted
    wanted = spec.get("sending_enabled")
    if wanted is not None and current.get("sending_enabled", True) != wanted:
        changed = True
        if not check:
            client.update_configuration_set_sending_enabled(ConfigurationSetName=name, Enabled=wanted, aws_retry=True)
        after["sending_enabled"] = wanted
    return changed, after


def _ensure_destinations(client, spec, name, current, check):
    """Create, update and (purge) delete event destinations. Returns (changed, destinations after)."""
    if spec.get("event_destinations") is None:
        return False, current
    have = {d["Name"]: d for d in current}
    changed = False
    after = []
    for destination in spec["event_destinations"]:
        wanted = _wanted_destination(destination)
        existing = have.get(wanted["Name"])
        if existing is None:
            changed = True
            if not check:
                client.create_configuration_set_event_destination(ConfigurationSetName=name, EventDestination=wanted, aws_retry=True)
        elif _comparable(existing) != _comparable(wanted):
            changed = True
            if not check:
                client.update_configuration_set_event_destination(ConfigurationSetName=name, EventDestination=wanted, aws_retry=True)
        after.append(wanted)
    listed = {d["name"] for d in spec["event_destinations"]}
    for destination_name, destination in have.items():
        if destination_name in listed:
            continue
        if spec.get("purge_event_destinations", True):
            changed = True
            if not check:
                client.delete_configuration_set_event_destination(ConfigurationSetName=name, EventDestinationName=destination_name, aws_retry=True)
        else:
            after.append(destination)
    return changed, after


def ensure_configuration_set(client, spec, before, check):
    """Create or update the set ``spec`` (validated with configuration_set_error()) so it matches;
    returns (changed, after view).

    ``before`` is configuration_set_view() of what read_configuration_set() found (None: create
    the set). Options that are None are not compared. No mutating call when ``check``; ``after``
    is then what the set would be. CreateConfigurationSet takes no client token: a set's name is
    unique in the region, so a retried create finds the set.
    """
    name = spec["name"]
    changed = False
    current = before
    if current is None:
        changed = True
        if not check:
            client.create_configuration_set(ConfigurationSet={"Name": name}, aws_retry=True)
        current = {"name": name, "tls_policy": "Optional", "event_destinations": []}
    options_changed, after = _ensure_options(client, spec, current, check)
    destinations_changed, after["event_destinations"] = _ensure_destinations(client, spec, name, current["event_destinations"], check)
    return changed or options_changed or destinations_changed, after
