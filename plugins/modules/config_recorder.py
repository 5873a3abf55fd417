#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: config_recorder
short_description: Manage the AWS Config recorder with its delivery channel and recording state
version_added: 0.1.0
description:
  - Creates, updates or deletes the AWS Config configuration recorder of the region together with
    its delivery channel (where configuration snapshots and history go) and whether it is
    recording, in one task. A recorder cannot record without a delivery channel, so the three
    are managed as one.
  - Only what differs is changed (C(PutConfigurationRecorder), C(PutDeliveryChannel),
    C(StartConfigurationRecorder) / C(StopConfigurationRecorder)); deleting stops the recorder,
    then deletes the channel and the recorder, in the order AWS Config requires.
  - Unlike M(community.aws.config_recorder), an unchanged recorder is not written again (AWS
    reports fields that module does not send), the recorder is started, and check mode is supported.
  - Bad input (a role that is not a role ARN, resource types together with C(all_supported)) fails before any API call.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Name of the recorder (AWS Config allows one per region).
    type: str
    default: default
  state:
    description: Whether the recorder (and its delivery channel) should exist.
    type: str
    choices: [present, absent]
    default: present
  role_arn:
    description: ARN of the IAM role AWS Config assumes to read the resources. Required with O(state=present).
    type: str
  all_supported:
    description: Record every resource type AWS Config supports in the region, including types it adds later.
    type: bool
    default: true
  include_global_resource_types:
    description: Also record global resources (IAM users, roles, policies); with O(all_supported) only.
    type: bool
    default: true
  resource_types:
    description: The resource types to record when O(all_supported=false), for example C(AWS::EC2::Instance).
    type: list
    elements: str
    default: []
  recording:
    description: Whether the recorder records.
    type: bool
    default: true
  delivery_channel:
    description:
      - The delivery channel. Required to create the recorder with O(recording=true); not compared when omitted.
    type: dict
    suboptions:
      name:
        description: Name of the channel.
        type: str
        default: default
      s3_bucket_name:
        description: Bucket the snapshots and history files go to; its policy must let AWS Config write.
        type: str
        required: true
      s3_key_prefix:
        description:
          - Key prefix in the bucket.
          - Not compared when omitted (an existing channel keeps its value); an empty string removes it.
        type: str
      s3_kms_key_arn:
        description:
          - KMS key that encrypts the delivered objects.
          - Not compared when omitted (an existing channel keeps its value); an empty string removes it.
        type: str
      sns_topic_arn:
        description:
          - SNS topic that is notified of configuration changes.
          - Not compared when omitted (an existing channel keeps its value); an empty string removes it.
        type: str
      delivery_frequency:
        description: How often a configuration snapshot is delivered.
        type: str
        choices: [One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours]
        default: TwentyFour_Hours
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - AWS Config's recorder and channel calls take no client token; both are named and put idempotently.
  - For some seconds after the role or the bucket policy was written, AWS Config refuses them; the
    module retries those answers a bounded number of times with backoff.
seealso:
  - module: healthplatform.aws.config_recorder_info
"""

EXAMPLES = r"""
- name: Record every resource, deliver to the log bucket (control HP-25)
  healthplatform.aws.config_recorder:
    role_arn: "{{ config_role.role.arn }}"
    all_supported: true
    include_global_resource_types: true
    delivery_channel:
      s3_bucket_name: healthplatform-prod-logs
      s3_key_prefix: config
      s3_kms_key_arn: "{{ kms_key_arns.logs }}"
      delivery_frequency: Six_Hours

- name: Stop recording (keeps the recorder and channel)
  healthplatform.aws.config_recorder:
    role_arn: "{{ config_role.role.arn }}"
    recording: false
"""

RETURN = r"""
recorder:
  description: The recorder as C(DescribeConfigurationRecorders) describes it (in check mode, what it would be); empty with O(state=absent).
  returned: always
  type: dict
  sample:
    name: default
    role_arn: arn:aws:iam::123456789012:role/healthplatform-prod-config
    recording_group: {"all_supported": true, "include_global_resource_types": true, "resource_types": []}
recording:
  description: Whether the recorder records after the run.
  returned: always
  type: bool
  sample: true
delivery_channel:
  description: The delivery channel as C(DescribeDeliveryChannels) describes it; empty when there is none.
  returned: always
  type: dict
  sample:
    name: default
    s3_bucket_name: healthplatform-prod-logs
    s3_key_prefix: config
    config_snapshot_delivery_properties: {"delivery_frequency": "Six_Hours"}
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.config_service import read_delivery_channel
from ansible_collections.healthplatform.aws.plugins.module_utils.config_service import read_recorder
from ansible_collections.healthplatform.aws.plugins.module_utils.config_service import read_recording
from ansible_collections.healthplatform.aws.plugins.module_utils.propagation import propagating_client

ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")
KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/.+$")
TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:.+$")
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
RESOURCE_TYPE = re.compile(r"^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$")
NAME = re.compile(r"^\S{1,256}$")
PROPAGATION_CODES = ["InvalidRoleException", "InsufficientDeliveryPolicyException"]


def validate(module):
    p = module.params
    if not NAME.match(p["name"]):
        module.fail_json(msg=f"name: {p['name']!r} is not a recorder name")
    if p["state"] == "absent":
        return
    if not p["role_arn"]:
        module.fail_json(msg="role_arn is required with state=present")
    if not ROLE_ARN.match(p["role_arn"]):
        module.fail_json(msg=f"role_arn must be an IAM role ARN, got {p['role_arn']!r}")
    if p["all_supported"] and p["resource_types"]:
        module.fail_json(msg="resource_types goes with all_supported=false (all_supported records every type)")
    if not p["all_supported"]:
        if not p["resource_types"]:
            module.fail_json(msg="resource_types must name at least one type when all_supported=false")
        if p["include_global_resource_types"]:
            module.fail_json(msg="include_global_resource_types needs all_supported=true")
    for index, resource_type in enumerate(p["resource_types"]):
        if not RESOURCE_TYPE.match(resource_type):
            module.fail_json(msg=f"resource_types[{index}]: {resource_type!r} is not a resource type such as AWS::EC2::Instance")
    channel = p["delivery_channel"]
    if channel:
        if not BUCKET.match(channel["s3_bucket_name"]):
            module.fail_json(msg=f"delivery_channel.s3_bucket_name: {channel['s3_bucket_name']!r} is not an S3 bucket name")
        if channel["s3_kms_key_arn"] and not KEY_ARN.match(channel["s3_kms_key_arn"]):
            module.fail_json(msg=f"delivery_channel.s3_kms_key_arn must be a KMS key or alias ARN, got {channel['s3_kms_key_arn']!r}")
        if channel["sns_topic_arn"] and not TOPIC_ARN.match(channel["sns_topic_arn"]):
            module.fail_json(msg=f"delivery_channel.sns_topic_arn must be an SNS topic ARN, got {channel['sns_topic_arn']!r}")


def wanted_recorder(params):
    return {
        "name": params["name"],
        "roleARN": params["role_arn"],
        "recordingGroup": {
            "allSupported": params["all_supported"],
            "includeGlobalResourceTypes": params["include_global_resource_types"] if params["all_supported"] else False,
            "resourceTypes": [] if params["all_supported"] else sorted(set(params["resource_types"])),
        },
    }


def comparable_recorder(recorder):
    group = recorder.get("recordingGroup") or {}
    return {
        "roleARN": recorder.get("roleARN"),
        "allSupported": bool(group.get("allSupported")),
        "includeGlobalResourceTypes": bool(group.get("includeGlobalResourceTypes")),
        "resourceTypes": sorted(group.get("resourceTypes") or []),
    }


def wanted_channel(channel, current):
    """The PutDeliveryChannel request; options that are not given keep the current channel's value."""
    if not channel:
        return None
    result = {
        "name": channel["name"],
        "s3BucketName": channel["s3_bucket_name"],
        "configSnapshotDeliveryProperties": {"deliveryFrequency": channel["delivery_frequency"]},
    }
    for option, field in (("s3_key_prefix", "s3KeyPrefix"), ("s3_kms_key_arn", "s3KmsKeyArn"), ("sns_topic_arn", "snsTopicARN")):
        value = channel[option] if channel[option] is not None else (current or {}).get(field)
        if value:
            result[field] = value
    return result


def comparable_channel(channel):
    return {
        "s3BucketName": channel.get("s3BucketName"),
        "s3KeyPrefix": channel.get("s3KeyPrefix") or "",
        "s3KmsKeyArn": channel.get("s3KmsKeyArn") or "",
        "snsTopicARN": channel.get("snsTopicARN") or "",
        "deliveryFrequency": (channel.get("configSnapshotDeliveryProperties") or {}).get("deliveryFrequency", "TwentyFour_Hours"),
    }


def ensure_present(module, client, recorder, recording, channel):
    """Returns (changed, recorder after, recording after, channel after)."""
    p = module.params
    check = module.check_mode
    changed = False

    wanted = wanted_recorder(p)
    recorder_after = recorder
    if recorder is None or comparable_recorder(recorder) != comparable_recorder(wanted):
        changed = True
        if not check:
            client.put_configuration_recorder(ConfigurationRecorder=wanted, aws_retry=True)
        recorder_after = wanted

    channel_wanted = wanted_channel(p["delivery_channel"], channel)
    channel_after = channel
    if channel_wanted is not None and (channel is None or comparable_channel(channel) != comparable_channel(channel_wanted)):
        changed = True
        if not check:
            client.put_delivery_channel(DeliveryChannel=channel_wanted, aws_retry=True)
        channel_after = channel_wanted

    if recording != p["recording"]:
        if p["recording"] and channel_after is None:
            module.fail_json(msg="delivery_channel is required: AWS Config cannot record without a delivery channel")
        changed = True
        if not check:
            if p["recording"]:
                client.start_configuration_recorder(ConfigurationRecorderName=p["name"], aws_retry=True)
            else:
                client.stop_configuration_recorder(ConfigurationRecorderName=p["name"], aws_retry=True)
    return changed, recorder_after, p["recording"], channel_after


def view(recorder, recording, channel):
    if recorder is None:
        return {}
    result = {"recorder": comparable_recorder(recorder), "recording": recording}
    if channel:
        result["delivery_channel"] = comparable_channel(channel)
    return result


def main():
    argument_spec = dict(
        name=dict(type="str", default="default"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        role_arn=dict(type="str"),
        all_supported=dict(type="bool", default=True),
        include_global_resource_types=dict(type="bool", default=True),
        resource_types=dict(type="list", elements="str", default=[]),
        recording=dict(type="bool", default=True),
        delivery_channel=dict(
            type="dict",
            options=dict(
                name=dict(type="str", default="default"),
                s3_bucket_name=dict(type="str", required=True),
                s3_key_prefix=dict(type="str", no_log=False),
                s3_kms_key_arn=dict(type="str", no_log=False),
                sns_topic_arn=dict(type="str"),
                delivery_frequency=dict(
                    type="str", choices=["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"], default="TwentyFour_Hours"
                ),
            ),
        ),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    p = module.params

    client = propagating_client(module, "config", PROPAGATION_CODES)
    try:
        recorder = read_recorder(client, p["name"])
        recording = read_recording(client, p["name"]) if recorder else False
        channel_name = (p["delivery_channel"] or {}).get("name")
        channel = read_delivery_channel(client, channel_name)
        before = view(recorder, recording, channel)
        if p["state"] == "absent":
            changed = recorder is not None or channel is not None
            if not module.check_mode:
                if recording:
                    client.stop_configuration_recorder(ConfigurationRecorderName=p["name"], aws_retry=True)
                if channel:
                    client.delete_delivery_channel(DeliveryChannelName=channel["name"], aws_retry=True)
                if recorder:
                    client.delete_configuration_recorder(ConfigurationRecorderName=p["name"], aws_retry=True)
            module.exit_json(changed=changed, recorder={}, recording=False, delivery_channel={}, diff=diff_of(before, {}))
        changed, recorder, recording, channel = ensure_present(module, client, recorder, recording, channel)
        if changed and not module.check_mode:
            recorder = read_recorder(client, p["name"]) or recorder
            recording = read_recording(client, p["name"])
            channel = read_delivery_channel(client, channel_name) or channel
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage the AWS Config recorder")

    module.exit_json(
        changed=changed,
        recorder=camel_dict_to_snake_dict(recorder or {}),
        recording=recording,
        delivery_channel=camel_dict_to_snake_dict(channel or {}),
        diff=diff_of(before, view(recorder, recording, channel)),
    )


if __name__ == "__main__":
    main()
