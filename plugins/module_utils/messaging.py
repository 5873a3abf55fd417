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
"""

from __future__ import annotations

import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

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
