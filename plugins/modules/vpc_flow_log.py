#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vpc_flow_log
short_description: Manage a VPC flow log for a VPC, subnet or network interface
version_added: 0.1.0
description:
  - Creates, updates or deletes one VPC flow log, identified by the resource it
    captures (O(resource_id)) and where it delivers (O(log_destination_type) and
    O(log_destination) or O(log_group_name)).
  - The EC2 API cannot modify a flow log. When the traffic type, log format,
    aggregation interval, delivery role or destination options differ, the
    module replaces the flow log (delete, then create) and reports it in
    RV(replaced). Between the two calls no flow log exists for that destination
    (a gap of well under a second). Only tags are updated in place.
  - Options that are not given are not compared, so an omitted O(log_format)
    accepts whatever format the existing flow log has.
  - Bad input (a destination that is not an ARN, a missing delivery role for
    CloudWatch Logs) fails before any API call is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description: Whether the flow log should exist.
    type: str
    choices: [present, absent]
    default: present
  resource_id:
    description: ID of the VPC, subnet or network interface whose traffic is logged.
    type: str
    required: true
  resource_type:
    description: The kind of resource O(resource_id) names.
    type: str
    choices: [VPC, Subnet, NetworkInterface]
    default: VPC
  traffic_type:
    description: Which traffic to log. C(ALL) is what the platform's controls require.
    type: str
    choices: [ACCEPT, REJECT, ALL]
    default: ALL
  log_destination_type:
    description: Where flow log records are delivered.
    type: str
    choices: [cloud-watch-logs, s3]
    default: cloud-watch-logs
  log_destination:
    description:
      - ARN of the destination.
      - For C(s3), the bucket ARN with an optional folder, for example C(arn:aws:s3:::my-log-bucket/flow-logs/). Required for C(s3).
      - For C(cloud-watch-logs), the log group ARN; O(log_group_name) may be given instead.
    type: str
  log_group_name:
    description: Name of the CloudWatch Logs log group (C(cloud-watch-logs) only), instead of O(log_destination).
    type: str
  deliver_logs_permission_arn:
    description:
      - ARN of the IAM role that lets the flow logs service publish to CloudWatch Logs.
      - Required for C(cloud-watch-logs); not used for C(s3) (the bucket policy grants delivery).
    type: str
    aliases: [delivery_role_arn]
  log_format:
    description:
      - Fields of a flow log record, for example C(${version} ${vpc-id} ${srcaddr} ...).
      - Not compared when omitted (AWS uses its default format).
    type: str
  max_aggregation_interval:
    description: Seconds over which packets are aggregated into one record.
    type: int
    choices: [60, 600]
    default: 600
  destination_options:
    description:
      - Delivery options for C(s3) destinations.
      - Compared only when the API reports them for the existing flow log.
    type: dict
    suboptions:
      file_format:
        description: Record format of the delivered files.
        type: str
        choices: [plain-text, parquet]
        default: plain-text
      hive_compatible_partitions:
        description: Use Hive-compatible S3 prefixes.
        type: bool
        default: false
      per_hour_partition:
        description: Partition the files per hour instead of per day.
        type: bool
        default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Creates are sent with a client token, so a retried request never creates two flow logs.
seealso:
  - module: healthplatform.aws.vpc_flow_log_info
"""

EXAMPLES = r"""
- name: Log all traffic of the VPC to a KMS-encrypted CloudWatch Logs group
  healthplatform.aws.vpc_flow_log:
    resource_id: "{{ vpc.vpc.id }}"
    traffic_type: ALL
    log_destination_type: cloud-watch-logs
    log_group_name: /healthplatform/prod/vpc-flow-logs
    deliver_logs_permission_arn: "{{ flow_log_role.iam_role.arn }}"
    max_aggregation_interval: 60
    tags:
      Environment: prod

- name: Log all traffic of the VPC to the log bucket in Parquet
  healthplatform.aws.vpc_flow_log:
    resource_id: "{{ vpc.vpc.id }}"
    log_destination_type: s3
    log_destination: "arn:aws:s3:::healthplatform-prod-logs/vpc-flow-logs/"
    destination_options:
      file_format: parquet
      hive_compatible_partitions: true

- name: Stop logging a subnet
  healthplatform.aws.vpc_flow_log:
    resource_id: subnet-0123456789abcdef0
    resource_type: Subnet
    log_destination_type: s3
    log_destination: "arn:aws:s3:::healthplatform-prod-logs"
    state: absent
"""

RETURN = r"""
flow_log:
  description: The flow log as EC2 describes it (empty when O(state=absent)). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    flow_log_id:
      description: ID of the flow log (absent in check mode before creation).
      type: str
      sample: fl-0123456789abcdef0
    resource_id:
      description: The logged resource.
      type: str
      sample: vpc-0123456789abcdef0
    traffic_type:
      description: The logged traffic.
      type: str
      sample: ALL
    log_destination_type:
      description: Destination kind.
      type: str
      sample: cloud-watch-logs
    log_destination:
      description: Destination ARN.
      type: str
      sample: arn:aws:s3:::healthplatform-prod-logs
    log_group_name:
      description: Log group name (CloudWatch Logs destinations).
      type: str
      sample: /healthplatform/prod/vpc-flow-logs
    flow_log_status:
      description: Status of the flow log.
      type: str
      sample: ACTIVE
    max_aggregation_interval:
      description: Aggregation interval in seconds.
      type: int
      sample: 600
    tags:
      description: Tags of the flow log.
      type: dict
      sample: {"Environment": "prod"}
replaced:
  description: Whether the flow log was (or in check mode would be) deleted and created again to change a setting the API cannot modify.
  returned: always
  type: bool
  sample: false
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import ec2_update_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags

S3_ARN = re.compile(r"^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$")
LOGS_ARN = re.compile(r"^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:([^:*]+)(:\*)?$")
IAM_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")

# Settings the API cannot modify: a difference in any of them means replace.
REPLACE_KEYS = ("traffic_type", "log_format", "max_aggregation_interval", "deliver_logs_permission_arn", "destination_options")


def validate(module):
    """Check the options that argument_spec cannot; fail before any API call."""
    p = module.params
    dest_type = p["log_destination_type"]
    if dest_type == "s3":
        if not p["log_destination"]:
            module.fail_json(msg="log_destination is required when log_destination_type is s3 (the bucket ARN, e.g. arn:aws:s3:::my-bucket)")
        if not S3_ARN.match(p["log_destination"]):
            module.fail_json(
                msg=(
                    "log_destination must be an S3 bucket ARN such as arn:aws:s3:::my-bucket/prefix/ "
                    f"when log_destination_type is s3, got {p['log_destination']!r}"
                )
            )
        if p["log_group_name"]:
            module.fail_json(msg="log_group_name applies only to log_destination_type cloud-watch-logs")
        if p["deliver_logs_permission_arn"] and p["state"] == "present":
            module.fail_json(msg="deliver_logs_permission_arn is not used for log_destination_type s3 (the bucket policy grants delivery); remove it")
    else:
        if p["log_destination"] and p["log_group_name"]:
            module.fail_json(msg="give either log_destination (the log group ARN) or log_group_name, not both")
        if not (p["log_destination"] or p["log_group_name"]):
            module.fail_json(msg="log_group_name or log_destination (log group ARN) is required when log_destination_type is cloud-watch-logs")
        if p["log_destination"] and not LOGS_ARN.match(p["log_destination"]):
            module.fail_json(
                msg=f"log_destination must be a CloudWatch Logs log group ARN when log_destination_type is cloud-watch-logs, got {p['log_destination']!r}"
            )
        if p["destination_options"]:
            module.fail_json(msg="destination_options apply only to log_destination_type s3")
        if p["state"] == "present":
            if not p["deliver_logs_permission_arn"]:
                module.fail_json(msg="deliver_logs_permission_arn (the delivery role ARN) is required when log_destination_type is cloud-watch-logs")
            if not IAM_ROLE_ARN.match(p["deliver_logs_permission_arn"]):
                module.fail_json(msg=f"deliver_logs_permission_arn must be an IAM role ARN, got {p['deliver_logs_permission_arn']!r}")


def wanted_log_group(params):
    if params["log_group_name"]:
        return params["log_group_name"]
    if params["log_destination"]:
        return LOGS_ARN.match(params["log_destination"]).group(1)
    return None


def is_match(flow_log, params):
    """Whether an existing flow log is the one these options describe (same resource and destination)."""
    if flow_log.get("LogDestinationType") != params["log_destination_type"]:
        return False
    if params["log_destination_type"] == "s3":
        return flow_log.get("LogDestination", "").rstrip("/") == params["log_destination"].rstrip("/")
    return flow_log.get("LogGroupName") == wanted_log_group(params)


def desired_settings(params):
    """The comparable settings the user asked for (None = not compared)."""
    opts = params["destination_options"]
    return {
        "traffic_type": params["traffic_type"],
        "log_format": params["log_format"],
        "max_aggregation_interval": params["max_aggregation_interval"],
        "deliver_logs_permission_arn": params["deliver_logs_permission_arn"],
        "destination_options": (
            {
                "FileFormat": opts["file_format"],
                "HiveCompatiblePartitions": opts["hive_compatible_partitions"],
                "PerHourPartition": opts["per_hour_partition"],
            }
            if opts
            else None
        ),
    }


def current_settings(flow_log):
    return {
        "traffic_type": flow_log.get("TrafficType"),
        "log_format": flow_log.get("LogFormat"),
        "max_aggregation_interval": flow_log.get("MaxAggregationInterval", 600),
        "deliver_logs_permission_arn": flow_log.get("DeliverLogsPermissionArn"),
        "destination_options": flow_log.get("DestinationOptions"),
    }


def settings_differ(current, desired):
    for key in REPLACE_KEYS:
        want = desired[key]
        if want is None:
            continue
        if key == "destination_options" and current[key] is None:
            continue  # the API does not report them: nothing to compare
        if current[key] != want:
            return True
    return False


def find_flow_log(client, params):
    filters = [
        {"Name": "resource-id", "Values": [params["resource_id"]]},
        {"Name": "log-destination-type", "Values": [params["log_destination_type"]]},
    ]
    flow_logs = client.describe_flow_logs(Filters=filters, aws_retry=True)["FlowLogs"]
    matches = [f for f in flow_logs if is_match(f, params)]
    return matches[0] if matches else None


def create_flow_log(module, client, params):
    request = {
        "ResourceIds": [params["resource_id"]],
        "ResourceType": params["resource_type"],
        "TrafficType": params["traffic_type"],
        "LogDestinationType": params["log_destination_type"],
        "MaxAggregationInterval": params["max_aggregation_interval"],
        "ClientToken": idempotency_token(),
    }
    if params["log_destination_type"] == "s3":
        request["LogDestination"] = params["log_destination"]
        if params["destination_options"]:
            request["DestinationOptions"] = desired_settings(params)["destination_options"]
    else:
        if params["log_group_name"]:
            request["LogGroupName"] = params["log_group_name"]
        else:
            request["LogDestination"] = params["log_destination"]
        request["DeliverLogsPermissionArn"] = params["deliver_logs_permission_arn"]
    if params["log_format"]:
        request["LogFormat"] = params["log_format"]
    if params["tags"]:
        request["TagSpecifications"] = boto3_tag_specifications(params["tags"], types="vpc-flow-log")
    response = client.create_flow_logs(aws_retry=True, **request)
    if response.get("Unsuccessful"):
        error = response["Unsuccessful"][0].get("Error", {})
        module.fail_json(msg=f"could not create the flow log for {params['resource_id']}: {error.get('Message', error)}")
    return response["FlowLogIds"][0]


def describe_by_id(client, flow_log_id):
    flow_logs = client.describe_flow_logs(FlowLogIds=[flow_log_id], aws_retry=True)["FlowLogs"]
    return flow_logs[0] if flow_logs else {}


def planned(params):
    """What a new flow log would look like (check mode)."""
    flow_log = {
        "ResourceId": params["resource_id"],
        "TrafficType": params["traffic_type"],
        "LogDestinationType": params["log_destination_type"],
        "MaxAggregationInterval": params["max_aggregation_interval"],
        "Tags": [{"Key": k, "Value": v} for k, v in (params["tags"] or {}).items()],
    }
    if params["log_destination"]:
        flow_log["LogDestination"] = params["log_destination"]
    if params["log_group_name"]:
        flow_log["LogGroupName"] = params["log_group_name"]
    if params["deliver_logs_permission_arn"]:
        flow_log["DeliverLogsPermissionArn"] = params["deliver_logs_permission_arn"]
    if params["log_format"]:
        flow_log["LogFormat"] = params["log_format"]
    return flow_log


def diff_view(flow_log):
    if not flow_log:
        return {}
    view = current_settings(flow_log)
    view.update(
        {
            "resource_id": flow_log.get("ResourceId"),
            "log_destination_type": flow_log.get("LogDestinationType"),
            "log_destination": flow_log.get("LogDestination"),
            "log_group_name": flow_log.get("LogGroupName"),
            "tags": boto3_tag_list_to_ansible_dict(flow_log.get("Tags", [])),
        }
    )
    return {k: v for k, v in view.items() if v is not None}


def ensure_present(module, client, existing):
    params = module.params
    if existing is None:
        after = planned(params)
        if not module.check_mode:
            after = describe_by_id(client, create_flow_log(module, client, params))
        return True, False, {}, after

    current_tags = boto3_tag_list_to_ansible_dict(existing.get("Tags", []))
    if settings_differ(current_settings(existing), desired_settings(params)):
        after = planned(params)
        after["Tags"] = [{"Key": k, "Value": v} for k, v in merged_tags(current_tags, params["tags"], params["purge_tags"]).items()]
        if not module.check_mode:
            client.delete_flow_logs(FlowLogIds=[existing["FlowLogId"]], aws_retry=True)
            keep = dict(params, tags=merged_tags(current_tags, params["tags"], params["purge_tags"]))
            after = describe_by_id(client, create_flow_log(module, client, keep))
        return True, True, existing, after

    changed = ec2_update_tags(client, existing["FlowLogId"], current_tags, params["tags"], params["purge_tags"], module.check_mode)
    after = dict(existing)
    if changed:
        if module.check_mode:
            after["Tags"] = [{"Key": k, "Value": v} for k, v in merged_tags(current_tags, params["tags"], params["purge_tags"]).items()]
        else:
            after = describe_by_id(client, existing["FlowLogId"])
    return changed, False, existing, after


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        resource_id=dict(type="str", required=True),
        resource_type=dict(type="str", choices=["VPC", "Subnet", "NetworkInterface"], default="VPC"),
        traffic_type=dict(type="str", choices=["ACCEPT", "REJECT", "ALL"], default="ALL"),
        log_destination_type=dict(type="str", choices=["cloud-watch-logs", "s3"], default="cloud-watch-logs"),
        log_destination=dict(type="str"),
        log_group_name=dict(type="str"),
        deliver_logs_permission_arn=dict(type="str", aliases=["delivery_role_arn"]),
        log_format=dict(type="str"),
        max_aggregation_interval=dict(type="int", choices=[60, 600], default=600),
        destination_options=dict(
            type="dict",
            options=dict(
                file_format=dict(type="str", choices=["plain-text", "parquet"], default="plain-text"),
                hive_compatible_partitions=dict(type="bool", default=False),
                per_hour_partition=dict(type="bool", default=False),
            ),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = retrying_client(module, "ec2")
    try:
        existing = find_flow_log(client, module.params)
        if module.params["state"] == "absent":
            changed = existing is not None
            if changed and not module.check_mode:
                client.delete_flow_logs(FlowLogIds=[existing["FlowLogId"]], aws_retry=True)
            module.exit_json(changed=changed, replaced=False, flow_log={}, diff=diff_of(diff_view(existing), {}))
        changed, replaced, before, after = ensure_present(module, client, existing)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the flow log of {module.params['resource_id']}")

    module.exit_json(changed=changed, replaced=replaced, flow_log=snake_with_tags(after), diff=diff_of(diff_view(before), diff_view(after)))


if __name__ == "__main__":
    main()
