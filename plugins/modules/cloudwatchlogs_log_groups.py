#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cloudwatchlogs_log_groups
short_description: Manage a set of CloudWatch Logs log groups with their KMS key, retention and tags
version_added: 0.1.0
description:
  - Creates, updates or deletes the CloudWatch Logs log groups listed in O(log_groups) in one task,
    each with its customer managed KMS key, its retention and its tags.
  - O(retention_in_days), O(kms_key_id) and O(tags) apply to every group that does not give its own.
  - Only what differs is changed; a group whose KMS key differs is re-associated with the new key
    (C(AssociateKmsKey)); data already written stays encrypted with the key it was written with.
  - Retention is checked against the values CloudWatch Logs accepts, and O(min_retention_in_days)
    enforces a floor, before any API call.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description: Whether the listed log groups should exist. C(absent) deletes them with the events they hold.
    type: str
    choices: [present, absent]
    default: present
  log_groups:
    description: The log groups.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Name of the log group.
        type: str
        required: true
      retention_in_days:
        description: Retention of this group; overrides O(retention_in_days).
        type: int
      kms_key_id:
        description: KMS key ARN of this group; overrides O(kms_key_id).
        type: str
      tags:
        description: Tags of this group, added to O(tags).
        type: dict
  retention_in_days:
    description:
      - Days the events of a group are kept, one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,
        545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653; C(0) keeps them forever.
      - Not compared when omitted (and not given for the group).
    type: int
  min_retention_in_days:
    description:
      - The smallest retention any group may have; a group with a lower one (C(0), forever, is never lower)
        fails validation before any API call. Lets a playbook enforce, for example, one year in production.
    type: int
    default: 0
  kms_key_id:
    description:
      - ARN of the customer managed KMS key that encrypts the groups (CloudWatch Logs needs the key ARN, not an alias).
      - An empty string means the service's own encryption (the key is disassociated if one is set).
      - Not compared when omitted (and not given for the group).
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - The KMS key policy must let the CloudWatch Logs service of the region use the key, or creating
    or associating fails with AWS's C(AccessDeniedException).
  - Unlike M(amazon.aws.cloudwatchlogs_log_group), every retention CloudWatch Logs accepts is accepted (2192 too).
seealso:
  - module: healthplatform.aws.cloudwatchlogs_log_groups_info
"""

EXAMPLES = r"""
- name: Platform log groups, encrypted with the logs key, kept for six years
  healthplatform.aws.cloudwatchlogs_log_groups:
    retention_in_days: 2192
    min_retention_in_days: 365
    kms_key_id: "{{ kms_key_arns.logs }}"
    log_groups:
      - name: /healthplatform-prod/cloudtrail
      - name: /aws/lambda/healthplatform-prod-scheduling
        retention_in_days: 400
    tags:
      Environment: prod
  register: log_groups

- name: Remove a group
  healthplatform.aws.cloudwatchlogs_log_groups:
    state: absent
    log_groups:
      - name: /healthplatform-lab/old
"""

RETURN = r"""
log_groups:
  description: The listed log groups as C(DescribeLogGroups) describes them after the run (in check mode, what they would be); empty with O(state=absent).
  returned: always
  type: list
  elements: dict
  sample:
    - log_group_name: /healthplatform-prod/cloudtrail
      log_group_arn: arn:aws:logs:us-east-1:123456789012:log-group:/healthplatform-prod/cloudtrail
      retention_in_days: 2192
      kms_key_id: arn:aws:kms:us-east-1:123456789012:key/0123abcd-12ab-34cd-56ef-1234567890ab
      tags: {"Environment": "prod"}
arns:
  description: Log group name to its ARN (without the trailing C(:*)), for policies; in check mode only for groups that exist.
  returned: always
  type: dict
  sample: {"/healthplatform-prod/cloudtrail": "arn:aws:logs:us-east-1:123456789012:log-group:/healthplatform-prod/cloudtrail"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import KMS_KEY_ARN
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import LOG_GROUP_NAME
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import RETENTION_DAYS
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import log_group_arn
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import read_log_groups
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import snake_log_group


def wanted(params):
    """The desired settings of each group: (name, retention or None, kms key or None, tags or None)."""
    result = []
    for group in params["log_groups"]:
        retention = group["retention_in_days"] if group["retention_in_days"] is not None else params["retention_in_days"]
        kms = group["kms_key_id"] if group["kms_key_id"] is not None else params["kms_key_id"]
        tags = None
        if params["tags"] is not None or group["tags"] is not None:
            tags = dict(params["tags"] or {}, **(group["tags"] or {}))
        result.append({"name": group["name"], "retention": retention, "kms": kms, "tags": tags})
    return result


def validate(module):
    """Check names, retention values and the floor, and key ARNs; fail, naming the option, before any API call."""
    params = module.params
    if params["retention_in_days"] is not None and params["retention_in_days"] not in (0, *RETENTION_DAYS):
        module.fail_json(msg=f"retention_in_days must be 0 (forever) or one of {', '.join(map(str, RETENTION_DAYS))}, got {params['retention_in_days']}")
    if params["kms_key_id"] and not KMS_KEY_ARN.match(params["kms_key_id"]):
        module.fail_json(msg=f"kms_key_id must be a KMS key ARN (CloudWatch Logs does not take aliases), got {params['kms_key_id']!r}")
    seen = set()
    for index, group in enumerate(params["log_groups"]):
        if not LOG_GROUP_NAME.match(group["name"]):
            module.fail_json(msg=f"log_groups[{index}].name: {group['name']!r} is not a valid log group name (letters, digits and . - _ / #, at most 512)")
        if group["name"] in seen:
            module.fail_json(msg=f"log_groups[{index}].name: {group['name']} is listed twice")
        seen.add(group["name"])
        if group["retention_in_days"] is not None and group["retention_in_days"] not in (0, *RETENTION_DAYS):
            module.fail_json(
                msg=f"log_groups[{index}].retention_in_days must be 0 or one of {', '.join(map(str, RETENTION_DAYS))}, got {group['retention_in_days']}"
            )
        if group["kms_key_id"] and not KMS_KEY_ARN.match(group["kms_key_id"]):
            module.fail_json(msg=f"log_groups[{index}].kms_key_id must be a KMS key ARN, got {group['kms_key_id']!r}")
    if params["state"] == "present" and params["min_retention_in_days"]:
        for index, group in enumerate(wanted(params)):
            retention = group["retention"]
            if retention is not None and retention != 0 and retention < params["min_retention_in_days"]:
                option = f"log_groups[{index}].retention_in_days" if params["log_groups"][index]["retention_in_days"] is not None else "retention_in_days"
                module.fail_json(
                    msg=f"{option}: {group['name']} would keep events {retention} days, below min_retention_in_days ({params['min_retention_in_days']})"
                )


def read_tags(client, group):
    return client.list_tags_for_resource(resourceArn=log_group_arn(group), aws_retry=True).get("tags") or {}


def ensure_group(module, client, desired, existing):
    """Bring one group to ``desired``. Returns (changed, before view, after description, tags after)."""
    check = module.check_mode
    name = desired["name"]
    if existing is None:
        if not check:
            request = {"logGroupName": name}
            if desired["kms"]:
                request["kmsKeyId"] = desired["kms"]
            if desired["tags"]:
                request["tags"] = desired["tags"]
            client.create_log_group(aws_retry=True, **request)
            if desired["retention"]:
                client.put_retention_policy(logGroupName=name, retentionInDays=desired["retention"], aws_retry=True)
        after = {"logGroupName": name}
        if desired["retention"]:
            after["retentionInDays"] = desired["retention"]
        if desired["kms"]:
            after["kmsKeyId"] = desired["kms"]
        return True, None, after, dict(desired["tags"] or {})

    changed = False
    after = dict(existing)
    retention = desired["retention"]
    if retention is not None and existing.get("retentionInDays", 0) != retention:
        changed = True
        if not check:
            if retention:
                client.put_retention_policy(logGroupName=name, retentionInDays=retention, aws_retry=True)
            else:
                client.delete_retention_policy(logGroupName=name, aws_retry=True)
        after["retentionInDays"] = retention
        if not retention:
            after.pop("retentionInDays", None)
    kms = desired["kms"]
    if kms is not None and (existing.get("kmsKeyId") or "") != kms:
        changed = True
        if not check:
            if kms:
                client.associate_kms_key(logGroupName=name, kmsKeyId=kms, aws_retry=True)
            else:
                client.disassociate_kms_key(logGroupName=name, aws_retry=True)
        after["kmsKeyId"] = kms
        if not kms:
            after.pop("kmsKeyId", None)
    tags = None
    before_tags = None
    if desired["tags"] is not None:
        before_tags = read_tags(client, existing)
        to_set, to_unset = tag_changes(before_tags, desired["tags"], module.params["purge_tags"])
        if to_set or to_unset:
            changed = True
            if not check:
                arn = log_group_arn(existing)
                if to_unset:
                    client.untag_resource(resourceArn=arn, tagKeys=list(to_unset), aws_retry=True)
                if to_set:
                    client.tag_resource(resourceArn=arn, tags=to_set, aws_retry=True)
        tags = merged_tags(before_tags, desired["tags"], module.params["purge_tags"])
    return changed, view(existing, before_tags), after, tags


def view(group, tags):
    if not group:
        return {}
    result = {"retention_in_days": group.get("retentionInDays", 0), "kms_key_id": group.get("kmsKeyId", "")}
    if tags is not None:
        result["tags"] = tags
    return result


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        log_groups=dict(
            type="list",
            elements="dict",
            required=True,
            options=dict(
                name=dict(type="str", required=True),
                retention_in_days=dict(type="int"),
                kms_key_id=dict(type="str"),
                tags=dict(type="dict"),
            ),
        ),
        retention_in_days=dict(type="int"),
        min_retention_in_days=dict(type="int", default=0),
        kms_key_id=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    client = retrying_client(module, "logs")
    desired = wanted(module.params)
    try:
        current = read_log_groups(client, [d["name"] for d in desired])
        if module.params["state"] == "absent":
            gone = [d["name"] for d in desired if d["name"] in current]
            if not module.check_mode:
                for name in gone:
                    client.delete_log_group(logGroupName=name, aws_retry=True)
            module.exit_json(changed=bool(gone), log_groups=[], arns={}, diff=diff_of({n: view(current[n], None) for n in gone}, {}))

        changed_any, before, after_views, results = False, {}, {}, []
        created = []
        for item in desired:
            changed, before_view, after, tags = ensure_group(module, client, item, current.get(item["name"]))
            if changed:
                changed_any = True
                before[item["name"]] = before_view or {}
                after_views[item["name"]] = view(after, tags)
                if item["name"] not in current:
                    created.append(item["name"])
            results.append((item["name"], after, tags))
        if created and not module.check_mode:
            fresh = read_log_groups(client, created)
            results = [(name, fresh.get(name, after), tags) for name, after, tags in results]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage the CloudWatch Logs log groups")

    groups = [snake_log_group(after, tags) for _name, after, tags in results]
    module.exit_json(
        changed=changed_any,
        log_groups=groups,
        arns={g["log_group_name"]: g["log_group_arn"] for g in groups if g["log_group_arn"]},
        diff=diff_of(before, after_views),
    )


if __name__ == "__main__":
    main()
