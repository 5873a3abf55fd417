#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_association
short_description: Manage an SSM State Manager association
version_added: 0.1.0
description:
  - Creates, updates or deletes one AWS Systems Manager State Manager association, identified by its
    O(association_name). An association applies a document (for example C(AWS-ApplyAnsiblePlaybooks)) to the
    managed nodes its O(targets) select, on a schedule.
  - The options describe the whole association. C(UpdateAssociation) resets every optional setting that a
    request leaves out, so an update always sends the complete desired association; an omitted option means
    its AWS default (no schedule, no output location, no rate controls, ...).
  - Updating an association makes it run at once on its targets, unless O(apply_only_at_cron_interval=true).
  - Bad input (a schedule that is not a valid C(cron(...)) or C(rate(...)) expression for associations, a
    malformed O(max_concurrency) or O(max_errors), a O(schedule_offset) without a cron schedule) fails before
    any API call is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  association_name:
    description: Name of the association, 3 to 128 letters, digits, C(_), C(-) or C(.).
    type: str
    required: true
    aliases: [name]
  state:
    description: Whether the association should exist.
    type: str
    choices: [present, absent]
    default: present
  document_name:
    description:
      - The SSM document the association applies, such as C(AWS-ApplyAnsiblePlaybooks) or C(AWS-RunPatchBaseline).
        Required when O(state=present).
    type: str
  document_version:
    description: Version of the document, C($DEFAULT), C($LATEST) or a number. Omitted means C($DEFAULT).
    type: str
  parameters:
    description:
      - Document parameters, each a list of strings (a single string, number or boolean is taken as a
        one-element list of its text).
      - "For example C({SourceType: [S3], PlaybookFile: [playbooks/instance_local.yml], Check: ['False']}); the EXAMPLES show
        C(AWS-ApplyAnsiblePlaybooks) in full."
      - AWS treats association parameters as sensitive. Never put secrets here; instances read their secrets
        themselves (Secrets Manager, SSM parameters).
    type: dict
    default: {}
  targets:
    description:
      - Up to 5 selectors of the managed nodes. Required when O(state=present).
      - "For example C({key: tag:Role, values: [web]})."
    type: list
    elements: dict
    suboptions:
      key:
        description: Selector key, such as C(tag:<tag key>), C(InstanceIds) or C(resource-groups:Name).
        type: str
        required: true
      values:
        description: Values of the selector.
        type: list
        elements: str
        required: true
  schedule_expression:
    description:
      - When the association runs again. Omitted means only when it is created or updated.
      - C(cron(...)) with 6 fields (minutes hours day-of-month month day-of-week year, optionally preceded by
        seconds) such as C(cron(0 2 ? * SUN *)), C(rate(N unit)) from C(rate(30 minutes)) up to under 31 days,
        or a one-time C(at(yyyy-mm-ddThh:mm:ss)) in UTC.
    type: str
  schedule_offset:
    description: Days (1 to 6) to wait after the date the cron schedule gives. Needs O(apply_only_at_cron_interval=true).
    type: int
  apply_only_at_cron_interval:
    description:
      - Run only on the cron schedule, not at once when the association is created or updated. Needs a cron
        O(schedule_expression).
    type: bool
    default: false
  max_concurrency:
    description: How many targets run the association at once, a number (C(10)) or a percentage (C(25%)).
    type: str
  max_errors:
    description: How many errors stop the association on further targets, a number (C(0) stops at the first) or a percentage.
    type: str
  compliance_severity:
    description: Severity reported when the association is not compliant. Omitted means C(UNSPECIFIED).
    type: str
    choices: [CRITICAL, HIGH, MEDIUM, LOW, UNSPECIFIED]
  sync_compliance:
    description: Whether State Manager reports compliance (C(AUTO), the default) or the document does with C(PutComplianceItems) (C(MANUAL)).
    type: str
    choices: [AUTO, MANUAL]
  output_location:
    description: Where the output of each run goes.
    type: dict
    suboptions:
      s3_bucket_name:
        description: Bucket name.
        type: str
        required: true
      s3_key_prefix:
        description: Key prefix in the bucket.
        type: str
      s3_region:
        description: Region of the bucket.
        type: str
  wait_for_success_timeout_seconds:
    description:
      - After a create or an update, wait up to this many seconds for the association's status to become
        C(Success) on all its targets, and fail if it becomes C(Failed) or the time runs out.
      - Omitted or C(0) means do not wait. Not used in check mode, nor with O(apply_only_at_cron_interval=true)
        (the association does not run before its next scheduled time).
    type: int
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - C(CreateAssociation) accepts no client token. The module looks the association up by name first, and
    fails rather than guess if the account holds several associations with the same name.
seealso:
  - module: healthplatform.aws.ssm_association_info
"""

EXAMPLES = r"""
- name: Run the instance playbook on every web server every 30 minutes (pull mode)
  healthplatform.aws.ssm_association:
    association_name: healthplatform-prod-instance-local-web
    document_name: AWS-ApplyAnsiblePlaybooks
    parameters:
      SourceType: [S3]
      SourceInfo: ['{"path": "https://s3.amazonaws.com/healthplatform-prod-artifacts/ansible/bundle.zip"}']
      InstallDependencies: ["True"]
      PlaybookFile: [playbooks/instance_local.yml]
      Check: ["False"]
      Verbose: ["-v"]
    targets:
      - key: tag:Role
        values: [web]
    schedule_expression: rate(30 minutes)
    max_concurrency: "25%"
    max_errors: "10%"
    compliance_severity: HIGH
    output_location:
      s3_bucket_name: healthplatform-prod-logs
      s3_key_prefix: state-manager/instance-local/
    tags:
      Environment: prod

- name: Weekly patch scan on Sunday, only at the scheduled time
  healthplatform.aws.ssm_association:
    association_name: healthplatform-prod-patch-scan
    document_name: AWS-RunPatchBaseline
    parameters:
      Operation: Scan
    targets:
      - key: tag:PatchGroup
        values: [healthplatform-prod-web]
    schedule_expression: cron(0 3 ? * SUN *)
    apply_only_at_cron_interval: true
    max_concurrency: "10"
    max_errors: "0"

- name: Remove an association
  healthplatform.aws.ssm_association:
    association_name: healthplatform-old-association
    state: absent
"""

RETURN = r"""
association:
  description:
    - The association as C(DescribeAssociation) describes it, in snake_case (document parameter names keep their
      case), with its tags (empty when O(state=absent)). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    association_id:
      description: ID of the association (absent in check mode before creation).
      type: str
      sample: 8dfe3659-4309-493a-8755-0123456789ab
    association_name:
      description: Name of the association.
      type: str
      sample: healthplatform-prod-instance-local-web
    association_version:
      description: Version of the association, increased by every update.
      type: str
      sample: "2"
    name:
      description: The document.
      type: str
      sample: AWS-ApplyAnsiblePlaybooks
    parameters:
      description: Document parameters.
      type: dict
      sample: {"PlaybookFile": ["playbooks/instance_local.yml"]}
    targets:
      description: Target selectors.
      type: list
      elements: dict
      sample: [{"key": "tag:Role", "values": ["web"]}]
    schedule_expression:
      description: The schedule.
      type: str
      sample: rate(30 minutes)
    overview:
      description: Status of the association's last runs.
      type: dict
      sample: {"status": "Success", "detailed_status": "Success"}
    tags:
      description: Tags of the association.
      type: dict
      sample: {"Environment": "prod"}
"""

import re

try:
    import botocore
    from botocore.waiter import WaiterModel
    from botocore.waiter import create_waiter_with_client
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import ASSOCIATION
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import TARGET_OPTIONS
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import find_association
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import is_cron
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import name_error
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import parameters_key
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import parameters_to_lists
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import rate_control_error
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import read_association
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import schedule_expression_error
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import snake_keep_parameters
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import ssm_update_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import targets_error
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import targets_key
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import targets_to_boto3

RESOURCE_TYPE = "Association"
DOCUMENT_NAME = re.compile(r"^[a-zA-Z0-9_\-.:/]{3,128}$")
DOCUMENT_VERSION = re.compile(r"^([$]LATEST|[$]DEFAULT|[1-9][0-9]*)$")
WAIT_DELAY = 15  # seconds between status reads while waiting for Success


def validate(module):
    """Check what argument_spec cannot; fail before any API call."""
    p = module.params
    problems = [name_error(p["association_name"], "association_name")]
    if p["state"] == "present":
        missing = [option for option in ("document_name", "targets") if not p[option]]
        if missing:
            module.fail_json(msg=f"{', '.join(missing)} required when state is present")
        if not DOCUMENT_NAME.match(p["document_name"]):
            problems.append(f"document_name must be a document name or ARN (3 to 128 letters, digits, '_', '-', '.', ':' or '/'), got {p['document_name']!r}")
        if p["document_version"] is not None and not DOCUMENT_VERSION.match(p["document_version"]):
            problems.append(f"document_version must be $DEFAULT, $LATEST or a version number, got {p['document_version']!r}")
        problems.append(parameters_to_lists(p["parameters"], "parameters")[1])
        problems.append(targets_error(p["targets"], "targets"))
        problems.append(schedule_expression_error(p["schedule_expression"], "schedule_expression", ASSOCIATION))
        if p["schedule_offset"] is not None:
            if not 1 <= p["schedule_offset"] <= 6:
                problems.append(f"schedule_offset must be from 1 to 6 days, got {p['schedule_offset']}")
            elif not is_cron(p["schedule_expression"]):
                problems.append("schedule_offset applies only to a cron(...) schedule_expression")
            elif not p["apply_only_at_cron_interval"]:
                problems.append("schedule_offset needs apply_only_at_cron_interval: true")
        if p["apply_only_at_cron_interval"] and not is_cron(p["schedule_expression"]):
            problems.append("apply_only_at_cron_interval needs a cron(...) schedule_expression")
        problems.append(rate_control_error(p["max_concurrency"], "max_concurrency", "max_concurrency"))
        problems.append(rate_control_error(p["max_errors"], "max_errors", "max_errors"))
        location = p["output_location"]
        if location:
            if not 3 <= len(location["s3_bucket_name"]) <= 63:
                problems.append(f"output_location.s3_bucket_name must be a bucket name (3 to 63 characters), got {location['s3_bucket_name']!r}")
            if location["s3_key_prefix"] is not None and len(location["s3_key_prefix"]) > 500:
                problems.append("output_location.s3_key_prefix must be at most 500 characters")
            if location["s3_region"] is not None and not 3 <= len(location["s3_region"]) <= 20:
                problems.append(f"output_location.s3_region must be a region name, got {location['s3_region']!r}")
        timeout = p["wait_for_success_timeout_seconds"]
        if timeout is not None and timeout < 0:
            problems.append(f"wait_for_success_timeout_seconds must be 0 or more, got {timeout}")
    problems = [m for m in problems if m]
    if problems:
        module.fail_json(msg=problems[0], errors=problems)


def association_request(params):
    """The complete desired association, as CreateAssociation and UpdateAssociation take it."""
    request = {
        "Name": params["document_name"],
        "AssociationName": params["association_name"],
        "Targets": targets_to_boto3(params["targets"]),
        "Parameters": parameters_to_lists(params["parameters"], "parameters")[0],
        "ApplyOnlyAtCronInterval": params["apply_only_at_cron_interval"],
    }
    optional = (
        ("DocumentVersion", "document_version"),
        ("ScheduleExpression", "schedule_expression"),
        ("ScheduleOffset", "schedule_offset"),
        ("MaxConcurrency", "max_concurrency"),
        ("MaxErrors", "max_errors"),
        ("ComplianceSeverity", "compliance_severity"),
        ("SyncCompliance", "sync_compliance"),
    )
    for key, option in optional:
        if params[option] is not None:
            request[key] = params[option]
    location = params["output_location"]
    if location:
        s3 = {"OutputS3BucketName": location["s3_bucket_name"]}
        if location["s3_key_prefix"] is not None:
            s3["OutputS3KeyPrefix"] = location["s3_key_prefix"]
        if location["s3_region"] is not None:
            s3["OutputS3Region"] = location["s3_region"]
        request["OutputLocation"] = {"S3Location": s3}
    return request


def comparable(association):
    """An association (request or DescribeAssociation) in an order-insensitive form, AWS defaults filled in."""
    s3 = (association.get("OutputLocation") or {}).get("S3Location") or {}
    return {
        "Name": association.get("Name"),
        "DocumentVersion": association.get("DocumentVersion") or "$DEFAULT",
        "Parameters": parameters_key(association.get("Parameters")),
        "Targets": targets_key(association.get("Targets")),
        "ScheduleExpression": association.get("ScheduleExpression") or None,
        "ScheduleOffset": association.get("ScheduleOffset") or None,
        "ApplyOnlyAtCronInterval": bool(association.get("ApplyOnlyAtCronInterval")),
        "MaxConcurrency": association.get("MaxConcurrency") or None,
        "MaxErrors": association.get("MaxErrors") or None,
        "ComplianceSeverity": association.get("ComplianceSeverity") or "UNSPECIFIED",
        "SyncCompliance": association.get("SyncCompliance") or "AUTO",
        "OutputLocation": {k: v for k, v in s3.items() if v} or None,
    }


def view(association):
    if not association:
        return {}
    result = snake_keep_parameters({k: v for k, v in association.items() if k != "Tags"})
    result["tags"] = dict(association.get("Tags") or {})
    return result


def diff_view(association):
    result = view(association)
    for key in ("overview", "date", "last_update_association_date", "last_execution_date", "last_successful_execution_date"):
        result.pop(key, None)
    return result


def wait_for_success(module, client, association_id, timeout):
    """Wait (a botocore waiter, reading DescribeAssociation) until the association's status is Success."""
    delay = max(1, min(WAIT_DELAY, timeout))
    config = {
        "version": 2,
        "waiters": {
            "AssociationSuccess": {
                "operation": "DescribeAssociation",
                "delay": delay,
                "maxAttempts": timeout // delay + 1,
                "acceptors": [
                    {"matcher": "path", "argument": "AssociationDescription.Overview.Status", "expected": "Success", "state": "success"},
                    {"matcher": "path", "argument": "AssociationDescription.Overview.Status", "expected": "Failed", "state": "failure"},
                ],
            }
        },
    }
    waiter = create_waiter_with_client("AssociationSuccess", WaiterModel(config), getattr(client, "client", client))
    try:
        waiter.wait(AssociationId=association_id)
    except botocore.exceptions.WaiterError as e:
        status = ((e.last_response or {}).get("AssociationDescription") or {}).get("Overview") or {}
        reason = "it failed" if status.get("Status") == "Failed" else f"it did not succeed within {timeout} s (wait_for_success_timeout_seconds)"
        module.fail_json(
            msg=(
                f"association {module.params['association_name']} ({association_id}) was applied but {reason}: "
                f"status {status.get('DetailedStatus') or status.get('Status')}"
            ),
            association_id=association_id,
            overview=snake_keep_parameters(status),
        )


def ensure_present(module, client, existing):
    """Returns (changed, before, after, association_id, applied); ``after`` None means: read it back.

    ``applied`` says whether the association was created or updated, which makes it run.
    """
    p = module.params
    request = association_request(p)
    if existing is None:
        if module.check_mode:
            return True, {}, dict(request, Tags=dict(p["tags"] or {})), None, False
        create = dict(request)
        if p["tags"]:
            create["Tags"] = ansible_dict_to_boto3_tag_list(p["tags"])
        association_id = client.create_association(aws_retry=True, **create)["AssociationDescription"]["AssociationId"]
        return True, {}, None, association_id, True

    association_id = existing["AssociationId"]
    update = comparable(existing) != comparable(request)
    tags_differ = any(tag_changes(existing["Tags"], p["tags"], p["purge_tags"]))
    if not (update or tags_differ):
        return False, existing, existing, association_id, False
    if module.check_mode:
        after = dict(existing)
        if update:
            for key in (
                "DocumentVersion",
                "ScheduleExpression",
                "ScheduleOffset",
                "MaxConcurrency",
                "MaxErrors",
                "ComplianceSeverity",
                "SyncCompliance",
                "OutputLocation",
            ):
                after.pop(key, None)
            after.update(request)
        after["Tags"] = merged_tags(existing["Tags"], p["tags"], p["purge_tags"])
        return True, existing, after, association_id, False
    if update:
        # the complete association: UpdateAssociation resets what a request leaves out
        client.update_association(AssociationId=association_id, AssociationVersion=existing["AssociationVersion"], aws_retry=True, **request)
    ssm_update_tags(client, RESOURCE_TYPE, association_id, existing["Tags"], p["tags"], p["purge_tags"], check_mode=False)
    return True, existing, None, association_id, update


def main():
    argument_spec = dict(
        association_name=dict(type="str", required=True, aliases=["name"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        document_name=dict(type="str"),
        document_version=dict(type="str"),
        parameters=dict(type="dict", default={}),
        targets=dict(type="list", elements="dict", options=TARGET_OPTIONS),
        schedule_expression=dict(type="str"),
        schedule_offset=dict(type="int"),
        apply_only_at_cron_interval=dict(type="bool", default=False),
        max_concurrency=dict(type="str"),
        max_errors=dict(type="str"),
        compliance_severity=dict(type="str", choices=["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNSPECIFIED"]),
        sync_compliance=dict(type="str", choices=["AUTO", "MANUAL"]),
        output_location=dict(
            type="dict",
            options=dict(
                s3_bucket_name=dict(type="str", required=True),
                s3_key_prefix=dict(type="str", no_log=False),
                s3_region=dict(type="str"),
            ),
        ),
        wait_for_success_timeout_seconds=dict(type="int"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = retrying_client(module, "ssm")
    name = module.params["association_name"]
    try:
        summary = find_association(module, client, name)
        existing = read_association(client, summary["AssociationId"]) if summary else None
        if module.params["state"] == "absent":
            if existing and not module.check_mode:
                client.delete_association(AssociationId=existing["AssociationId"], aws_retry=True)
            module.exit_json(changed=existing is not None, association={}, diff=diff_of(diff_view(existing), {}))
        changed, before, after, association_id, applied = ensure_present(module, client, existing)
        timeout = module.params["wait_for_success_timeout_seconds"]
        if applied and timeout and not module.params["apply_only_at_cron_interval"]:
            wait_for_success(module, client, association_id, timeout)
        if after is None:
            after = read_association(client, association_id)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the association {name}")

    module.exit_json(changed=changed, association=view(after), diff=diff_of(diff_view(before), diff_view(after)))


if __name__ == "__main__":
    main()
