#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cloudtrail_trail
short_description: Manage a CloudTrail trail with its event selectors, logging state and tags
version_added: 0.1.0
description:
  - Creates, updates or deletes one CloudTrail trail, together with its event selectors
    (management events and S3 or Lambda data events), whether it is logging, and its tags, in one task.
  - Delivery goes to an S3 bucket and, optionally, to a CloudWatch Logs group through a role that
    CloudTrail assumes; log files can be encrypted with a KMS key and signed (log file validation).
  - Options that are not given are not compared. Only what differs is changed
    (C(UpdateTrail), C(PutEventSelectors), C(StartLogging)/C(StopLogging), C(AddTags)/C(RemoveTags)).
  - Bad input (a trail name CloudTrail refuses, a log group ARN without its role, a data resource
    type CloudTrail does not know) fails before any API call, naming the option.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Name of the trail (3 to 128 letters, digits, C(.), C(_) and C(-), starting and ending with a letter or digit).
    type: str
    required: true
  state:
    description: Whether the trail should exist. C(absent) deletes it (the log files already delivered stay in the bucket).
    type: str
    choices: [present, absent]
    default: present
  s3_bucket_name:
    description: Bucket the log files are delivered to; its bucket policy must let CloudTrail write. Required with O(state=present).
    type: str
  s3_key_prefix:
    description: Key prefix of the log files in the bucket. Not compared when omitted.
    type: str
  is_multi_region_trail:
    description: Whether the trail logs every region (CIS 3.1).
    type: bool
    default: true
  include_global_service_events:
    description: Whether the trail logs global services such as IAM.
    type: bool
    default: true
  enable_log_file_validation:
    description: Whether CloudTrail writes signed digest files, so tampering with log files can be detected (CIS 3.2).
    type: bool
    default: true
  kms_key_id:
    description:
      - KMS key that encrypts the log files (CIS 3.5), as a key ARN, key ID, alias name or alias ARN;
        anything but a key ARN is resolved to the key ARN (C(kms:DescribeKey)) to compare.
      - An empty string means S3-managed encryption. Not compared when omitted.
    type: str
  cloud_watch_logs_log_group_arn:
    description:
      - ARN of the CloudWatch Logs group CloudTrail also delivers to (CIS 3.4), with or without the trailing C(:*).
      - An empty string stops the delivery. Not compared when omitted. Needs O(cloud_watch_logs_role_arn).
    type: str
  cloud_watch_logs_role_arn:
    description: ARN of the IAM role CloudTrail assumes to write to O(cloud_watch_logs_log_group_arn).
    type: str
  enable_logging:
    description: Whether the trail is logging.
    type: bool
    default: true
  event_selectors:
    description:
      - The trail's (basic) event selectors, which replace all selectors of the trail when they differ.
      - Not compared when omitted; a new trail then logs all management events.
    type: list
    elements: dict
    suboptions:
      read_write_type:
        description: Which events to log.
        type: str
        choices: [All, ReadOnly, WriteOnly]
        default: All
      include_management_events:
        description: Whether management events are logged by this selector.
        type: bool
        default: true
      exclude_management_event_sources:
        description: Event sources whose management events are not logged, for example C(kms.amazonaws.com).
        type: list
        elements: str
        default: []
      data_resources:
        description: Data events to log.
        type: list
        elements: dict
        default: []
        suboptions:
          type:
            description: Resource type, C(AWS::S3::Object) or C(AWS::Lambda::Function).
            type: str
            required: true
            choices: ["AWS::S3::Object", "AWS::Lambda::Function"]
          values:
            description:
              - ARNs (or ARN prefixes) of the resources; for S3 objects a bucket ARN with a trailing slash,
                for example C(arn:aws:s3:::healthplatform-prod-records/), logs every object of the bucket.
            type: list
            elements: str
            required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - A multi-region trail is managed from its home region.
  - C(CreateTrail) takes no client token; a trail's name is unique in the region, so a retried create finds the trail.
  - For some seconds after the CloudWatch Logs role, the KMS key policy or the bucket policy was written,
    CloudTrail refuses them; the module retries those answers a bounded number of times with backoff.
seealso:
  - module: healthplatform.aws.cloudtrail_trail_info
  - module: amazon.aws.cloudtrail
"""

EXAMPLES = r"""
- name: Multi-region, validated, KMS-encrypted trail to S3 and CloudWatch Logs, with data events of the records bucket
  healthplatform.aws.cloudtrail_trail:
    name: healthplatform-prod
    s3_bucket_name: healthplatform-prod-logs
    s3_key_prefix: cloudtrail
    kms_key_id: "{{ kms_key_arns.logs }}"
    cloud_watch_logs_log_group_arn: "{{ log_groups.arns['/healthplatform-prod/cloudtrail'] }}"
    cloud_watch_logs_role_arn: "{{ trail_role.role.arn }}"
    event_selectors:
      - read_write_type: All
        include_management_events: true
        data_resources:
          - type: AWS::S3::Object
            values: ["arn:aws:s3:::healthplatform-prod-records/"]
    tags:
      Environment: prod

- name: Pause logging of the lab trail
  healthplatform.aws.cloudtrail_trail:
    name: healthplatform-lab
    s3_bucket_name: healthplatform-lab-logs
    enable_logging: false
"""

RETURN = r"""
trail:
  description:
    - The trail as C(GetTrail) describes it, with C(is_logging), C(event_selectors) (when O(event_selectors)
      is given) and C(tags) (when O(tags) is given). Empty with O(state=absent).
    - In check mode, what it would be.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the trail.
      type: str
      sample: healthplatform-prod
    trail_arn:
      description: ARN of the trail (absent in check mode before creation).
      type: str
      sample: arn:aws:cloudtrail:us-east-1:123456789012:trail/healthplatform-prod
    s3_bucket_name:
      description: Delivery bucket.
      type: str
      sample: healthplatform-prod-logs
    is_multi_region_trail:
      description: Whether the trail logs every region.
      type: bool
      sample: true
    log_file_validation_enabled:
      description: Whether digest files are written.
      type: bool
      sample: true
    kms_key_id:
      description: ARN of the key that encrypts the log files.
      type: str
      sample: arn:aws:kms:us-east-1:123456789012:key/0123abcd-12ab-34cd-56ef-1234567890ab
    cloud_watch_logs_log_group_arn:
      description: The CloudWatch Logs group of the trail.
      type: str
      sample: "arn:aws:logs:us-east-1:123456789012:log-group:/healthplatform-prod/cloudtrail:*"
    is_logging:
      description: Whether the trail is logging.
      type: bool
      sample: true
    event_selectors:
      description: The event selectors.
      type: list
      elements: dict
      sample: [{"read_write_type": "All", "include_management_events": true, "data_resources": []}]
    tags:
      description: Tags of the trail.
      type: dict
      sample: {"Environment": "prod"}
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.propagation import propagating_client

TRAIL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$")
LOGS_ARN = re.compile(r"^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[^:*]+(:\*)?$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")
KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$")
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
# CloudTrail refuses these for seconds after the role, key policy or bucket policy was written.
PROPAGATION_CODES = ["InvalidCloudWatchLogsRoleArnException", "InsufficientEncryptionPolicyException", "InsufficientS3BucketPolicyException"]
# Settings compared with GetTrail: option -> (GetTrail field, UpdateTrail/CreateTrail field).
SETTINGS = {
    "s3_bucket_name": ("S3BucketName", "S3BucketName"),
    "s3_key_prefix": ("S3KeyPrefix", "S3KeyPrefix"),
    "is_multi_region_trail": ("IsMultiRegionTrail", "IsMultiRegionTrail"),
    "include_global_service_events": ("IncludeGlobalServiceEvents", "IncludeGlobalServiceEvents"),
    "enable_log_file_validation": ("LogFileValidationEnabled", "EnableLogFileValidation"),
    "kms_key_id": ("KmsKeyId", "KmsKeyId"),
    "cloud_watch_logs_log_group_arn": ("CloudWatchLogsLogGroupArn", "CloudWatchLogsLogGroupArn"),
    "cloud_watch_logs_role_arn": ("CloudWatchLogsRoleArn", "CloudWatchLogsRoleArn"),
}


def validate(module):
    """Check what argument_spec cannot; fail, naming the option, before any API call."""
    p = module.params
    if not TRAIL_NAME.match(p["name"]) or ".." in p["name"] or re.search(r"[._-]{2}", p["name"]):
        module.fail_json(
            msg=f"name: {p['name']!r} is not a trail name CloudTrail accepts (3-128 letters, digits, . _ -, starting and ending with a letter or digit)"
        )
    if p["state"] == "absent":
        return
    if not p["s3_bucket_name"]:
        module.fail_json(msg="s3_bucket_name is required with state=present")
    if not BUCKET.match(p["s3_bucket_name"]):
        module.fail_json(msg=f"s3_bucket_name: {p['s3_bucket_name']!r} is not an S3 bucket name")
    group, role = p["cloud_watch_logs_log_group_arn"], p["cloud_watch_logs_role_arn"]
    if group and not LOGS_ARN.match(group):
        module.fail_json(msg=f"cloud_watch_logs_log_group_arn must be a CloudWatch Logs log group ARN, got {group!r}")
    if role and not ROLE_ARN.match(role):
        module.fail_json(msg=f"cloud_watch_logs_role_arn must be an IAM role ARN, got {role!r}")
    if group and not role:
        module.fail_json(msg="cloud_watch_logs_role_arn is required with cloud_watch_logs_log_group_arn")
    if role and not group:
        module.fail_json(msg="cloud_watch_logs_log_group_arn is required with cloud_watch_logs_role_arn")
    for index, selector in enumerate(p["event_selectors"] or []):
        for position, resource in enumerate(selector["data_resources"]):
            if not resource["values"]:
                module.fail_json(msg=f"event_selectors[{index}].data_resources[{position}].values must name at least one ARN")
            for value in resource["values"]:
                if not value.startswith("arn:"):
                    module.fail_json(msg=f"event_selectors[{index}].data_resources[{position}].values: {value!r} is not an ARN")


def wanted_group_arn(arn):
    return arn if not arn or arn.endswith(":*") else arn + ":*"


def resolve_key(module, key):
    """The key ARN of ``key`` (already one, or an ID or alias resolved with DescribeKey)."""
    if not key or KEY_ARN.match(key):
        return key
    client = retrying_client(module, "kms")
    return client.describe_key(KeyId=key, aws_retry=True)["KeyMetadata"]["Arn"]


def desired_settings(module):
    """{UpdateTrail field: value} of the options that are given."""
    p = module.params
    wanted = {}
    for option, (_field, request_field) in SETTINGS.items():
        value = p[option]
        if value is None:
            continue
        if option == "kms_key_id":
            value = resolve_key(module, value)
        if option == "cloud_watch_logs_log_group_arn":
            value = wanted_group_arn(value)
        wanted[request_field] = value
    return wanted


def current_settings(trail):
    return {
        request_field: trail.get(field, "" if field in ("KmsKeyId", "S3KeyPrefix", "CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn") else None)
        for field, request_field in SETTINGS.values()
    }


def desired_selectors(params):
    if params["event_selectors"] is None:
        return None
    return [
        {
            "ReadWriteType": s["read_write_type"],
            "IncludeManagementEvents": s["include_management_events"],
            "DataResources": [{"Type": r["type"], "Values": list(r["values"])} for r in s["data_resources"]],
            "ExcludeManagementEventSources": list(s["exclude_management_event_sources"]),
        }
        for s in params["event_selectors"]
    ]


def comparable_selectors(selectors):
    return [
        {
            "ReadWriteType": s.get("ReadWriteType", "All"),
            "IncludeManagementEvents": s.get("IncludeManagementEvents", True),
            "DataResources": sorted(
                ({"Type": r["Type"], "Values": sorted(r.get("Values") or [])} for r in s.get("DataResources") or []), key=lambda r: r["Type"]
            ),
            "ExcludeManagementEventSources": sorted(s.get("ExcludeManagementEventSources") or []),
        }
        for s in selectors or []
    ]


def read_trail(client, name):
    try:
        return client.get_trail(Name=name, aws_retry=True)["Trail"]
    except is_boto3_error_code("TrailNotFoundException"):
        return None


def read_tags(client, arn):
    tag_lists = client.list_tags(ResourceIdList=[arn], aws_retry=True).get("ResourceTagList") or []
    for entry in tag_lists:
        if entry.get("ResourceId") == arn:
            return boto3_tag_list_to_ansible_dict(entry.get("TagsList") or [])
    return {}


def create(module, client, settings, selectors):
    p = module.params
    request = {"Name": p["name"], **{k: v for k, v in settings.items() if v not in ("", None)}}
    if p["tags"]:
        request["TagsList"] = ansible_dict_to_boto3_tag_list(p["tags"])
    trail = client.create_trail(aws_retry=True, **request)
    if selectors is not None:
        client.put_event_selectors(TrailName=p["name"], EventSelectors=selectors, aws_retry=True)
    if p["enable_logging"]:
        client.start_logging(Name=p["name"], aws_retry=True)
    return trail


def ensure_present(module, client, trail):
    """Returns (changed, before view, after trail)."""
    p = module.params
    settings = desired_settings(module)
    selectors = desired_selectors(p)
    if trail is None:
        after = {"Name": p["name"], **settings}
        if not module.check_mode:
            created = create(module, client, settings, selectors)
            after = read_trail(client, p["name"]) or created
        after.update(IsLogging=p["enable_logging"])
        if selectors is not None:
            after["EventSelectors"] = selectors
        after["Tags"] = dict(p["tags"] or {})
        return True, {}, after

    changed = False
    before = dict(trail)
    after = dict(trail)
    current = current_settings(trail)
    update = {k: v for k, v in settings.items() if current.get(k) != v}
    if "CloudWatchLogsLogGroupArn" in update or "CloudWatchLogsRoleArn" in update:
        # UpdateTrail takes the log group and its role together
        for key in ("CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn"):
            update[key] = settings.get(key, current.get(key) or "")
    if update:
        changed = True
        if not module.check_mode:
            after = client.update_trail(Name=p["name"], aws_retry=True, **update)
            after = {k: v for k, v in after.items() if k != "ResponseMetadata"}
        else:
            after.update({field: update[request_field] for field, request_field in SETTINGS.values() if request_field in update})

    status = client.get_trail_status(Name=p["name"], aws_retry=True)
    before["IsLogging"] = after["IsLogging"] = bool(status.get("IsLogging"))
    if before["IsLogging"] != p["enable_logging"]:
        changed = True
        if not module.check_mode:
            (client.start_logging if p["enable_logging"] else client.stop_logging)(Name=p["name"], aws_retry=True)
        after["IsLogging"] = p["enable_logging"]

    if selectors is not None:
        current_selectors = client.get_event_selectors(TrailName=p["name"], aws_retry=True).get("EventSelectors") or []
        before["EventSelectors"] = after["EventSelectors"] = current_selectors
        if comparable_selectors(current_selectors) != comparable_selectors(selectors):
            changed = True
            if not module.check_mode:
                client.put_event_selectors(TrailName=p["name"], EventSelectors=selectors, aws_retry=True)
            after["EventSelectors"] = selectors

    if p["tags"] is not None:
        tags = read_tags(client, trail["TrailARN"])
        before["Tags"] = tags
        to_set, to_unset = tag_changes(tags, p["tags"], p["purge_tags"])
        if to_set or to_unset:
            changed = True
            if not module.check_mode:
                if to_unset:
                    client.remove_tags(ResourceId=trail["TrailARN"], TagsList=[{"Key": k} for k in to_unset], aws_retry=True)
                if to_set:
                    client.add_tags(ResourceId=trail["TrailARN"], TagsList=ansible_dict_to_boto3_tag_list(to_set), aws_retry=True)
        after["Tags"] = merged_tags(tags, p["tags"], p["purge_tags"])
    return changed, before, after


def snake(trail):
    if not trail:
        return {}
    result = camel_dict_to_snake_dict({k: v for k, v in trail.items() if k not in ("Tags", "ResponseMetadata")})
    if "Tags" in trail:
        result["tags"] = dict(trail["Tags"])
    return result


def diff_view(trail):
    view = snake(trail)
    for key in ("home_region", "has_custom_event_selectors", "has_insight_selectors", "is_organization_trail", "trail_arn"):
        view.pop(key, None)
    return view


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        s3_bucket_name=dict(type="str"),
        s3_key_prefix=dict(type="str", no_log=False),
        is_multi_region_trail=dict(type="bool", default=True),
        include_global_service_events=dict(type="bool", default=True),
        enable_log_file_validation=dict(type="bool", default=True),
        kms_key_id=dict(type="str"),
        cloud_watch_logs_log_group_arn=dict(type="str"),
        cloud_watch_logs_role_arn=dict(type="str"),
        enable_logging=dict(type="bool", default=True),
        event_selectors=dict(
            type="list",
            elements="dict",
            options=dict(
                read_write_type=dict(type="str", choices=["All", "ReadOnly", "WriteOnly"], default="All"),
                include_management_events=dict(type="bool", default=True),
                exclude_management_event_sources=dict(type="list", elements="str", default=[]),
                data_resources=dict(
                    type="list",
                    elements="dict",
                    default=[],
                    options=dict(
                        type=dict(type="str", required=True, choices=["AWS::S3::Object", "AWS::Lambda::Function"]),
                        values=dict(type="list", elements="str", required=True),
                    ),
                ),
            ),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = propagating_client(module, "cloudtrail", PROPAGATION_CODES)
    try:
        trail = read_trail(client, module.params["name"])
        if module.params["state"] == "absent":
            changed = trail is not None
            if changed and not module.check_mode:
                client.delete_trail(Name=module.params["name"], aws_retry=True)
            module.exit_json(changed=changed, trail={}, diff=diff_of(diff_view(trail), {}))
        changed, before, after = ensure_present(module, client, trail)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the CloudTrail trail {module.params['name']}")

    module.exit_json(changed=changed, trail=snake(after), diff=diff_of(diff_view(before), diff_view(after)))


if __name__ == "__main__":
    main()
