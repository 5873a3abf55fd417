#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: sns_topics
short_description: Manage a set of KMS-encrypted SNS topics with their subscriptions and tags
version_added: 0.1.0
description:
  - Creates, updates or deletes the SNS topics listed in O(topics) in one task, each encrypted at
    rest with a KMS key (C(KmsMasterKeyId)), with its display name, its subscriptions and its tags.
  - Every topic is encrypted, at least with the AWS managed key of SNS (C(alias/aws/sns)); a customer
    managed key (O(kms_master_key_id)) is what the platform's controls expect.
    M(community.aws.sns_topic) has no option for the key.
  - Topics are read by ARN (built from the account of the credentials), never by listing every
    topic of the account. Only what differs is changed.
  - Subscriptions are compared by protocol and endpoint. A subscription waiting for its
    confirmation (an e-mail address that has not clicked the link yet) counts as present, so a
    run never sends a second confirmation; it cannot be removed before it is confirmed.
  - Bad input (a topic name SNS refuses, an endpoint that does not fit its protocol, an empty key)
    fails before any API call, naming the option.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description: Whether the listed topics should exist. C(absent) deletes them with their subscriptions.
    type: str
    choices: [present, absent]
    default: present
  topics:
    description: The topics.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Name of the topic (a FIFO topic's name ends in C(.fifo)).
        type: str
        required: true
      display_name:
        description: Display name (the sender name of SMS and e-mail notifications). Not compared when omitted.
        type: str
      kms_master_key_id:
        description: KMS key of this topic; overrides O(kms_master_key_id).
        type: str
      subscriptions:
        description: Subscriptions of the topic. Not compared when omitted.
        type: list
        elements: dict
        suboptions:
          protocol:
            description: Protocol of the subscription.
            type: str
            required: true
            choices: [email, email-json, sms, https, http, sqs, lambda, firehose, application]
          endpoint:
            description: Where notifications go (an e-mail address, a phone number, a URL or an ARN, depending on O(topics[].subscriptions[].protocol)).
            type: str
            required: true
      tags:
        description: Tags of this topic, added to O(tags).
        type: dict
  kms_master_key_id:
    description:
      - KMS key that encrypts the messages of every topic that does not give its own, as a key ARN,
        key ID, alias name or alias ARN. Compared as given, so give it the same way every run.
      - When omitted (and not given for the topic), a topic that is not encrypted, or is created,
        gets the AWS managed key of SNS (C(alias/aws/sns)), and a topic that is encrypted keeps its
        key. So a run that does not know the customer key never takes it away.
    type: str
  purge_subscriptions:
    description: Remove confirmed subscriptions that are not listed (for topics whose O(topics[].subscriptions) is given).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - The KMS key policy must let the services that publish (CloudWatch alarms, EventBridge, ...) use
    the key, and publishers need C(kms:GenerateDataKey*) and C(kms:Decrypt) on it.
  - C(CreateTopic) takes no client token; it is idempotent for a name, so a retried create returns the same topic.
seealso:
  - module: healthplatform.aws.sns_topics_info
  - module: community.aws.sns_topic
"""

EXAMPLES = r"""
- name: Patient notifications and operations alerts, encrypted with the notifications key
  healthplatform.aws.sns_topics:
    kms_master_key_id: "{{ kms_key_arns.notifications }}"
    topics:
      - name: healthplatform-prod-patient-notifications
        display_name: Appointments
      - name: healthplatform-prod-alerts
        display_name: Platform alerts
        subscriptions:
          - protocol: email
            endpoint: oncall@example.org
    tags:
      Environment: prod
  register: topics

- name: The ARN of the alerts topic
  ansible.builtin.debug:
    msg: "{{ topics.topic_arns['healthplatform-prod-alerts'] }}"
"""

RETURN = r"""
topics:
  description: The listed topics after the run (in check mode, what they would be); empty with O(state=absent).
  returned: always
  type: list
  elements: dict
  sample:
    - name: healthplatform-prod-alerts
      topic_arn: arn:aws:sns:us-east-1:123456789012:healthplatform-prod-alerts
      attributes: {"KmsMasterKeyId": "arn:aws:kms:us-east-1:123456789012:key/0123abcd-12ab-34cd-56ef-1234567890ab", "DisplayName": "Platform alerts"}
      subscriptions: [{"protocol": "email", "endpoint": "oncall@example.org", "subscription_arn": "PendingConfirmation"}]
      tags: {"Environment": "prod"}
topic_arns:
  description: Topic name to ARN, for the listed topics.
  returned: always
  type: dict
  sample: {"healthplatform-prod-alerts": "arn:aws:sns:us-east-1:123456789012:healthplatform-prod-alerts"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import FIFO_TOPIC_NAME
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import PENDING
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import SUBSCRIPTION_CHECKS
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import TOPIC_NAME
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import read_topic
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import snake_topic
from ansible_collections.healthplatform.aws.plugins.module_utils.messaging import topic_arn


def validate(module):
    """Check names, keys and endpoints; fail, naming the option, before any API call."""
    params = module.params
    if params["kms_master_key_id"] is not None and not params["kms_master_key_id"].strip():
        module.fail_json(msg="kms_master_key_id must name a KMS key or be omitted (then alias/aws/sns, the AWS managed key): topics are always encrypted")
    seen = set()
    for index, topic in enumerate(params["topics"]):
        name = topic["name"]
        if not (TOPIC_NAME.match(name) or FIFO_TOPIC_NAME.match(name)):
            module.fail_json(msg=f"topics[{index}].name: {name!r} is not an SNS topic name (1-256 letters, digits, - and _, .fifo for FIFO topics)")
        if name in seen:
            module.fail_json(msg=f"topics[{index}].name: {name} is listed twice")
        seen.add(name)
        if topic["kms_master_key_id"] is not None and not topic["kms_master_key_id"].strip():
            module.fail_json(msg=f"topics[{index}].kms_master_key_id must name a KMS key (omit it to use kms_master_key_id)")
        for position, subscription in enumerate(topic["subscriptions"] or []):
            pattern, what = SUBSCRIPTION_CHECKS[subscription["protocol"]]
            if not pattern.match(subscription["endpoint"]):
                module.fail_json(
                    msg=f"topics[{index}].subscriptions[{position}].endpoint: {subscription['endpoint']!r} is not {what} (protocol {subscription['protocol']})"
                )


DEFAULT_KEY = "alias/aws/sns"


def wanted_attributes(params, topic, current=None):
    """The attributes to compare; without a key option, the current key (or SNS's own key when there is none)."""
    key = topic["kms_master_key_id"] or params["kms_master_key_id"]
    if key is None:
        key = ((current or {}).get("Attributes") or {}).get("KmsMasterKeyId") or DEFAULT_KEY
    attributes = {"KmsMasterKeyId": key}
    if topic["display_name"] is not None:
        attributes["DisplayName"] = topic["display_name"]
    return attributes


def wanted_tags(params, topic):
    if params["tags"] is None and topic["tags"] is None:
        return None
    return dict(params["tags"] or {}, **(topic["tags"] or {}))


def ensure_subscriptions(module, client, arn, current, wanted):
    """Subscribe what is missing and (purge) unsubscribe what is not listed. Returns (changed, subscriptions after)."""
    have = {(s["Protocol"], s["Endpoint"]): s for s in current}
    want = [(s["protocol"], s["endpoint"]) for s in wanted]
    changed = False
    after = []
    for protocol, endpoint in dict.fromkeys(want):
        if (protocol, endpoint) in have:
            after.append(have[(protocol, endpoint)])
            continue
        changed = True
        subscription = {"Protocol": protocol, "Endpoint": endpoint, "TopicArn": arn, "SubscriptionArn": PENDING}
        if not module.check_mode:
            response = client.subscribe(TopicArn=arn, Protocol=protocol, Endpoint=endpoint, ReturnSubscriptionArn=True, aws_retry=True)
            subscription["SubscriptionArn"] = response.get("SubscriptionArn") or PENDING
        after.append(subscription)
    if module.params["purge_subscriptions"]:
        for key, subscription in have.items():
            if key in want:
                continue
            if subscription.get("SubscriptionArn", PENDING) == PENDING:
                module.warn(f"{arn}: the subscription of {key[1]} ({key[0]}) is waiting for its confirmation and cannot be removed yet")
                after.append(subscription)
                continue
            changed = True
            if not module.check_mode:
                client.unsubscribe(SubscriptionArn=subscription["SubscriptionArn"], aws_retry=True)
    else:
        after.extend(s for key, s in have.items() if key not in want)
    return changed, after


def ensure_topic(module, client, arn, topic, current):
    """Bring one topic to what its options say. Returns (changed, after)."""
    params = module.params
    attributes = wanted_attributes(params, topic, current)
    tags = wanted_tags(params, topic)
    if current is None:
        after = {"TopicArn": arn, "Attributes": dict(attributes), "Subscriptions": [], "Tags": dict(tags or {})}
        if not module.check_mode:
            request = {"Name": topic["name"], "Attributes": dict(attributes)}
            if topic["name"].endswith(".fifo"):
                request["Attributes"]["FifoTopic"] = "true"
            if tags:
                request["Tags"] = ansible_dict_to_boto3_tag_list(tags)
            after["TopicArn"] = arn = client.create_topic(aws_retry=True, **request)["TopicArn"]
        if topic["subscriptions"]:
            _changed, after["Subscriptions"] = ensure_subscriptions(module, client, arn, [], topic["subscriptions"])
        return True, after

    changed = False
    after = {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v) for k, v in current.items()}
    for name, value in attributes.items():
        if current["Attributes"].get(name, "") != value:
            changed = True
            if not module.check_mode:
                client.set_topic_attributes(TopicArn=arn, AttributeName=name, AttributeValue=value, aws_retry=True)
            after["Attributes"][name] = value
    if topic["subscriptions"] is not None:
        subscriptions_changed, after["Subscriptions"] = ensure_subscriptions(module, client, arn, current["Subscriptions"], topic["subscriptions"])
        changed = changed or subscriptions_changed
    if tags is not None:
        to_set, to_unset = tag_changes(current["Tags"], tags, params["purge_tags"])
        if to_set or to_unset:
            changed = True
            if not module.check_mode:
                if to_unset:
                    client.untag_resource(ResourceArn=arn, TagKeys=list(to_unset), aws_retry=True)
                if to_set:
                    client.tag_resource(ResourceArn=arn, Tags=ansible_dict_to_boto3_tag_list(to_set), aws_retry=True)
            after["Tags"] = merged_tags(current["Tags"], tags, params["purge_tags"])
    return changed, after


def diff_view(topic):
    if not topic:
        return {}
    attributes = topic.get("Attributes") or {}
    return {
        "kms_master_key_id": attributes.get("KmsMasterKeyId", ""),
        "display_name": attributes.get("DisplayName", ""),
        "subscriptions": sorted(f"{s['Protocol']}:{s['Endpoint']}" for s in topic.get("Subscriptions") or []),
        "tags": dict(topic.get("Tags") or {}),
    }


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        topics=dict(
            type="list",
            elements="dict",
            required=True,
            options=dict(
                name=dict(type="str", required=True),
                display_name=dict(type="str"),
                kms_master_key_id=dict(type="str"),
                subscriptions=dict(
                    type="list",
                    elements="dict",
                    options=dict(
                        protocol=dict(type="str", required=True, choices=sorted(SUBSCRIPTION_CHECKS)),
                        endpoint=dict(type="str", required=True),
                    ),
                ),
                tags=dict(type="dict"),
            ),
        ),
        kms_master_key_id=dict(type="str"),
        purge_subscriptions=dict(type="bool", default=True),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    client = retrying_client(module, "sns")
    try:
        account_id, partition = get_aws_account_info(module)
        arns = {t["name"]: topic_arn(partition, module.region, account_id, t["name"]) for t in module.params["topics"]}
        current = {name: read_topic(client, arn) for name, arn in arns.items()}
        if module.params["state"] == "absent":
            gone = [name for name, topic in current.items() if topic]
            if not module.check_mode:
                for name in gone:
                    client.delete_topic(TopicArn=arns[name], aws_retry=True)
            module.exit_json(changed=bool(gone), topics=[], topic_arns={}, diff=diff_of({n: diff_view(current[n]) for n in gone}, {}))
        changed_any, before, after_views, results = False, {}, {}, []
        for topic in module.params["topics"]:
            name = topic["name"]
            changed, after = ensure_topic(module, client, arns[name], topic, current[name])
            if changed:
                changed_any = True
                before[name] = diff_view(current[name])
                after_views[name] = diff_view(after)
            results.append(snake_topic(name, after))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage the SNS topics")

    module.exit_json(changed=changed_any, topics=results, topic_arns={t["name"]: t["topic_arn"] for t in results}, diff=diff_of(before, after_views))


if __name__ == "__main__":
    main()
