#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_patch_baseline
short_description: Manage an SSM Patch Manager patch baseline, its patch groups and OS default
version_added: 0.1.0
description:
  - Creates, updates or deletes one custom patch baseline of AWS Systems Manager Patch Manager, identified by
    its O(name) among the baselines the account owns.
  - The options describe the whole baseline. An update sends the complete desired baseline
    (C(UpdatePatchBaseline) with C(Replace=true)), so an omitted list option means an empty list and an
    omitted O(description) means no description.
  - O(patch_groups) lists the patch groups registered to this baseline; groups not in the list are
    deregistered from it. When O(patch_groups) is omitted, the registrations are left alone.
  - O(default_baseline=true) makes the baseline the default baseline of its operating system.
  - O(operating_system) cannot be changed once the baseline exists; a different value fails with a message
    naming the option.
  - Bad input (an O(approval_rules[].approve_after_days) out of range, both
    O(approval_rules[].approve_after_days) and O(approval_rules[].approve_until_date) in one rule, a bad
    date, too many filters) fails before any API call is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Name of the patch baseline, 3 to 128 letters, digits, C(_), C(-) or C(.).
    type: str
    required: true
  state:
    description:
      - Whether the baseline should exist.
      - On O(state=absent) the baseline's patch groups are deregistered first, then the baseline is deleted.
        A baseline that is its operating system's default cannot be deleted; the module fails and says so.
    type: str
    choices: [present, absent]
    default: present
  operating_system:
    description:
      - Operating system the baseline applies to. Required when O(state=present).
      - Set at creation only.
    type: str
    choices:
      - WINDOWS
      - AMAZON_LINUX
      - AMAZON_LINUX_2
      - AMAZON_LINUX_2022
      - UBUNTU
      - REDHAT_ENTERPRISE_LINUX
      - SUSE
      - CENTOS
      - ORACLE_LINUX
      - DEBIAN
      - MACOS
      - RASPBIAN
      - ROCKY_LINUX
      - ALMA_LINUX
      - AMAZON_LINUX_2023
  description:
    description: Description of the baseline (up to 1024 characters).
    type: str
  approval_rules:
    description:
      - Rules that approve patches automatically, up to 10.
      - Each rule must give exactly one of O(approval_rules[].approve_after_days) and
        O(approval_rules[].approve_until_date), except on C(UBUNTU) and C(DEBIAN), which support neither.
    type: list
    elements: dict
    default: []
    suboptions:
      patch_filters:
        description:
          - Patch properties the rule matches, up to 4 filters with 1 to 20 values each, each key at most once.
          - Which keys apply depends on the operating system, for example C(PRODUCT), C(CLASSIFICATION) and
            C(SEVERITY) on Amazon Linux, C(PRODUCT), C(SECTION) and C(PRIORITY) on Ubuntu and Debian.
        type: list
        elements: dict
        required: true
        suboptions:
          key:
            description: The patch property.
            type: str
            required: true
            choices: [ARCH, ADVISORY_ID, BUGZILLA_ID, PATCH_SET, PRODUCT, PRODUCT_FAMILY, CLASSIFICATION, CVE_ID, EPOCH,
                      MSRC_SEVERITY, NAME, PATCH_ID, SECTION, PRIORITY, REPOSITORY, RELEASE, SEVERITY, SECURITY, VERSION]
          values:
            description: Values of the property that match, or C(*) for all.
            type: list
            elements: str
            required: true
      approve_after_days:
        description: Days (0 to 360) after a patch's release that it is approved.
        type: int
      approve_until_date:
        description: Patches released on or before this date (C(YYYY-MM-DD), UTC) are approved.
        type: str
      compliance_level:
        description: Compliance severity reported for missing patches approved by the rule.
        type: str
        choices: [CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNSPECIFIED]
        default: UNSPECIFIED
      enable_non_security:
        description: Also install non-security updates from the matched repositories (Linux only).
        type: bool
        default: false
  global_filters:
    description: Filters applied to all patches before the approval rules, same form as O(approval_rules[].patch_filters).
    type: list
    elements: dict
    default: []
    suboptions:
      key:
        description: The patch property.
        type: str
        required: true
        choices: [ARCH, ADVISORY_ID, BUGZILLA_ID, PATCH_SET, PRODUCT, PRODUCT_FAMILY, CLASSIFICATION, CVE_ID, EPOCH,
                  MSRC_SEVERITY, NAME, PATCH_ID, SECTION, PRIORITY, REPOSITORY, RELEASE, SEVERITY, SECURITY, VERSION]
      values:
        description: Values of the property that match, or C(*) for all.
        type: list
        elements: str
        required: true
  approved_patches:
    description: Patches approved explicitly, whatever the rules say (up to 50).
    type: list
    elements: str
    default: []
  approved_patches_compliance_level:
    description: Compliance severity reported for missing patches of O(approved_patches).
    type: str
    choices: [CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNSPECIFIED]
    default: UNSPECIFIED
  approved_patches_enable_non_security:
    description: O(approved_patches) may include non-security updates (Linux only).
    type: bool
    default: false
  rejected_patches:
    description: Patches never approved (up to 50).
    type: list
    elements: str
    default: []
  rejected_patches_action:
    description:
      - What happens to O(rejected_patches). C(BLOCK) never installs them, not even as a dependency;
        C(ALLOW_AS_DEPENDENCY) installs them only when another package needs them.
    type: str
    choices: [ALLOW_AS_DEPENDENCY, BLOCK]
    default: ALLOW_AS_DEPENDENCY
  sources:
    description: Alternative package repositories for Linux patching (up to 20).
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name of the source, 3 to 50 letters, digits, C(_), C(-) or C(.).
        type: str
        required: true
      products:
        description: Products the source applies to, for example C(AmazonLinux2023).
        type: list
        elements: str
        required: true
      configuration:
        description:
          - The repository configuration, for example the content of a yum C(.repo) file section.
          - AWS treats it as sensitive; the module never returns it.
        type: str
        required: true
  patch_groups:
    description:
      - Patch groups registered to this baseline (instances join a patch group with the C(PatchGroup) or
        C(Patch Group) tag). Groups not listed are deregistered from this baseline.
      - A patch group can have one baseline per operating system; registering a group that another
        baseline of the same operating system holds fails.
      - Omit to leave the registrations alone.
    type: list
    elements: str
  default_baseline:
    description:
      - V(true) makes this baseline the default baseline of its operating system (C(RegisterDefaultPatchBaseline)).
      - V(false) asserts that it is not the default. AWS cannot unset a default, only make another baseline the
        default, so when this baseline is the default the module fails instead of guessing which baseline to use.
      - Omit to leave the default alone.
    type: bool
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Creates are sent with a client token, so a retried request never creates two baselines.
  - If the account holds several baselines with the same name, the module fails rather than guess.
seealso:
  - module: healthplatform.aws.ssm_patch_baseline_info
  - module: healthplatform.aws.ssm_maintenance_window
"""

EXAMPLES = r"""
- name: Security patches for Amazon Linux 2023, critical and important seven days after release
  healthplatform.aws.ssm_patch_baseline:
    name: healthplatform-prod-al2023
    operating_system: AMAZON_LINUX_2023
    description: Security updates, approved after 7 days
    approval_rules:
      - patch_filters:
          - key: CLASSIFICATION
            values: [Security]
          - key: SEVERITY
            values: [Critical, Important]
        approve_after_days: 7
        compliance_level: CRITICAL
      - patch_filters:
          - key: CLASSIFICATION
            values: [Bugfix]
        approve_after_days: 14
        compliance_level: MEDIUM
    rejected_patches_action: BLOCK
    patch_groups: [healthplatform-prod-web]
    default_baseline: true
    tags:
      Environment: prod

- name: Ubuntu baseline (no approval delay on Ubuntu)
  healthplatform.aws.ssm_patch_baseline:
    name: healthplatform-prod-ubuntu
    operating_system: UBUNTU
    approval_rules:
      - patch_filters:
          - key: PRIORITY
            values: [Required, Important]
          - key: SECTION
            values: ["*"]
        compliance_level: HIGH
    patch_groups: [healthplatform-prod-tools]

- name: Remove a baseline (its patch groups are deregistered first)
  healthplatform.aws.ssm_patch_baseline:
    name: healthplatform-old-al2
    state: absent
"""

RETURN = r"""
patch_baseline:
  description:
    - The baseline as C(GetPatchBaseline) describes it, in snake_case, with its tags and whether it is its
      operating system's default (empty when O(state=absent)). In check mode, what it would be.
    - The C(configuration) of O(sources) is never returned.
  returned: always
  type: dict
  contains:
    baseline_id:
      description: ID of the baseline (absent in check mode before creation).
      type: str
      sample: pb-0123456789abcdef0
    name:
      description: Name of the baseline.
      type: str
      sample: healthplatform-prod-al2023
    operating_system:
      description: Operating system of the baseline.
      type: str
      sample: AMAZON_LINUX_2023
    description:
      description: Description of the baseline.
      type: str
      sample: Security updates, approved after 7 days
    approval_rules:
      description: The approval rules.
      type: dict
      sample: {"patch_rules": [{"patch_filter_group": {"patch_filters": [{"key": "CLASSIFICATION", "values": ["Security"]}]},
               "approve_after_days": 7, "compliance_level": "CRITICAL", "enable_non_security": false}]}
    global_filters:
      description: The global filters.
      type: dict
      sample: {"patch_filters": []}
    approved_patches:
      description: Explicitly approved patches.
      type: list
      elements: str
      sample: []
    rejected_patches:
      description: Explicitly rejected patches.
      type: list
      elements: str
      sample: []
    rejected_patches_action:
      description: What happens to rejected patches.
      type: str
      sample: BLOCK
    sources:
      description: Alternative package repositories (name and products only).
      type: list
      elements: dict
      sample: []
    patch_groups:
      description: Patch groups registered to the baseline.
      type: list
      elements: str
      sample: [healthplatform-prod-web]
    default_baseline:
      description: Whether the baseline is its operating system's default.
      type: bool
      sample: true
    tags:
      description: Tags of the baseline.
      type: dict
      sample: {"Environment": "prod"}
"""

import datetime
import json

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import OPERATING_SYSTEMS
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import name_error
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import ssm_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.ssm import ssm_update_tags

# The PatchFilterKey and PatchComplianceLevel enums of the SSM API model (OperatingSystem is in module_utils/ssm.py)
# (a unit test keeps them equal to botocore's model).
PATCH_FILTER_KEYS = [
    "ARCH",
    "ADVISORY_ID",
    "BUGZILLA_ID",
    "PATCH_SET",
    "PRODUCT",
    "PRODUCT_FAMILY",
    "CLASSIFICATION",
    "CVE_ID",
    "EPOCH",
    "MSRC_SEVERITY",
    "NAME",
    "PATCH_ID",
    "SECTION",
    "PRIORITY",
    "REPOSITORY",
    "RELEASE",
    "SEVERITY",
    "SECURITY",
    "VERSION",
]
COMPLIANCE_LEVELS = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNSPECIFIED"]
# Auto-approval delays are not supported for these (API documentation of PatchRule).
NO_APPROVAL_DELAY = ("UBUNTU", "DEBIAN")
RESOURCE_TYPE = "PatchBaseline"


def filters_error(filters, option):
    if len(filters) > 4:
        return f"{option} takes at most 4 filters, got {len(filters)}"
    keys = [f["key"] for f in filters]
    for key in keys:
        if keys.count(key) > 1:
            return f"{option} uses the key {key} twice; give all its values in one filter"
    for index, patch_filter in enumerate(filters):
        if not 1 <= len(patch_filter["values"]) <= 20:
            return f"{option}[{index}].values takes 1 to 20 values"
    return None


def rule_error(rule, index, operating_system):
    option = f"approval_rules[{index}]"
    problem = filters_error(rule["patch_filters"], f"{option}.patch_filters")
    if problem:
        return problem
    if not rule["patch_filters"]:
        return f"{option}.patch_filters needs at least one filter"
    after, until = rule["approve_after_days"], rule["approve_until_date"]
    if after is not None and until is not None:
        return f"{option}: give approve_after_days or approve_until_date, not both"
    if after is not None and not 0 <= after <= 360:
        return f"{option}.approve_after_days must be from 0 to 360, got {after}"
    if until is not None:
        try:
            if len(until) != 10:
                raise ValueError(until)
            datetime.datetime.strptime(until, "%Y-%m-%d")
        except ValueError:
            return f"{option}.approve_until_date must be a date YYYY-MM-DD, got {until!r}"
    if operating_system in NO_APPROVAL_DELAY:
        if after is not None or until is not None:
            which = "approve_after_days" if after is not None else "approve_until_date"
            return f"{option}.{which} is not supported for {operating_system} (Patch Manager approves its patches without delay); remove it"
    elif operating_system and after is None and until is None:
        return f"{option} needs approve_after_days or approve_until_date"
    return None


def validate(module):
    """Check what argument_spec cannot; fail before any API call."""
    p = module.params
    problems = [name_error(p["name"], "name")]
    if p["state"] == "present":
        if len(p["approval_rules"]) > 10:
            problems.append(f"approval_rules takes at most 10 rules, got {len(p['approval_rules'])}")
        problems.extend(rule_error(rule, i, p["operating_system"]) for i, rule in enumerate(p["approval_rules"]))
        problems.append(filters_error(p["global_filters"], "global_filters"))
        for option in ("approved_patches", "rejected_patches"):
            if len(p[option]) > 50:
                problems.append(f"{option} takes at most 50 patches, got {len(p[option])}")
        if p["description"] is not None and not 1 <= len(p["description"]) <= 1024:
            problems.append("description must be 1 to 1024 characters")
        names = [s["name"] for s in p["sources"]]
        for index, source in enumerate(p["sources"]):
            if name_error(source["name"], "x") or len(source["name"]) > 50:
                problems.append(f"sources[{index}].name must be 3 to 50 letters, digits, '_', '-' or '.', got {source['name']!r}")
            if names.count(source["name"]) > 1:
                problems.append(f"sources[{index}].name {source['name']!r} is given twice")
            if not source["products"]:
                problems.append(f"sources[{index}].products needs at least one product")
        for group in p["patch_groups"] or []:
            if not 1 <= len(group) <= 256:
                problems.append(f"patch_groups: {group!r} must be 1 to 256 characters")
    problems = [m for m in problems if m]
    if problems:
        module.fail_json(msg=problems[0], errors=problems)


def filters_to_boto3(filters):
    return [{"Key": f["key"], "Values": list(f["values"])} for f in filters]


def baseline_request(params):
    """The complete desired baseline, in the shape CreatePatchBaseline / UpdatePatchBaseline take."""
    rules = []
    for rule in params["approval_rules"]:
        api_rule = {"PatchFilterGroup": {"PatchFilters": filters_to_boto3(rule["patch_filters"])}, "ComplianceLevel": rule["compliance_level"]}
        if rule["approve_after_days"] is not None:
            api_rule["ApproveAfterDays"] = rule["approve_after_days"]
        if rule["approve_until_date"] is not None:
            api_rule["ApproveUntilDate"] = rule["approve_until_date"]
        if rule["enable_non_security"]:
            api_rule["EnableNonSecurity"] = True
        rules.append(api_rule)
    request = {
        "Name": params["name"],
        "GlobalFilters": {"PatchFilters": filters_to_boto3(params["global_filters"])},
        "ApprovalRules": {"PatchRules": rules},
        "ApprovedPatches": list(params["approved_patches"]),
        "ApprovedPatchesComplianceLevel": params["approved_patches_compliance_level"],
        "RejectedPatches": list(params["rejected_patches"]),
        "RejectedPatchesAction": params["rejected_patches_action"],
        "Sources": [{"Name": s["name"], "Products": list(s["products"]), "Configuration": s["configuration"]} for s in params["sources"]],
    }
    if params["approved_patches_enable_non_security"]:
        request["ApprovedPatchesEnableNonSecurity"] = True
    if params["description"] is not None:
        request["Description"] = params["description"]
    return request


def _filters_key(filters):
    return sorted((f["Key"], tuple(sorted(f.get("Values") or []))) for f in filters or [])


def comparable(baseline):
    """The settings of an API-shaped baseline in an order-insensitive form, API defaults filled in."""
    rules = []
    for rule in (baseline.get("ApprovalRules") or {}).get("PatchRules") or []:
        rules.append(
            json.dumps(
                [
                    _filters_key((rule.get("PatchFilterGroup") or {}).get("PatchFilters")),
                    rule.get("ApproveAfterDays"),
                    rule.get("ApproveUntilDate"),
                    rule.get("ComplianceLevel") or "UNSPECIFIED",
                    bool(rule.get("EnableNonSecurity")),
                ]
            )
        )
    return {
        "description": baseline.get("Description"),
        "global_filters": _filters_key((baseline.get("GlobalFilters") or {}).get("PatchFilters")),
        "approval_rules": sorted(rules),
        "approved_patches": sorted(baseline.get("ApprovedPatches") or []),
        "approved_patches_compliance_level": baseline.get("ApprovedPatchesComplianceLevel") or "UNSPECIFIED",
        "approved_patches_enable_non_security": bool(baseline.get("ApprovedPatchesEnableNonSecurity")),
        "rejected_patches": sorted(baseline.get("RejectedPatches") or []),
        "rejected_patches_action": baseline.get("RejectedPatchesAction") or "ALLOW_AS_DEPENDENCY",
        "sources": sorted((s["Name"], tuple(sorted(s.get("Products") or [])), s.get("Configuration")) for s in baseline.get("Sources") or []),
    }


def find_baseline(module, client, name):
    """The identity of the account's baseline called ``name`` (DescribePatchBaselines), or None."""
    paginator = client.get_paginator("describe_patch_baselines")
    filters = [{"Key": "OWNER", "Values": ["Self"]}, {"Key": "NAME_PREFIX", "Values": [name]}]
    identities = paginator.paginate(Filters=filters).build_full_result()["BaselineIdentities"]
    matches = [i for i in identities if i.get("BaselineName") == name]
    if len(matches) > 1:
        module.fail_json(
            msg=f"the account has {len(matches)} patch baselines named {name!r} ({', '.join(i['BaselineId'] for i in matches)}); remove the extra ones"
        )
    return matches[0] if matches else None


def same_baseline(default_id, baseline_id):
    """GetDefaultPatchBaseline gives an ARN for AWS baselines and an ID for custom ones."""
    return bool(default_id) and default_id.split("/")[-1] == baseline_id


def is_default(client, baseline_id, operating_system):
    response = client.get_default_patch_baseline(OperatingSystem=operating_system, aws_retry=True)
    return same_baseline(response.get("BaselineId"), baseline_id)


def read_baseline(client, baseline_id):
    """GetPatchBaseline plus tags and default status: everything the module compares and returns."""
    baseline = client.get_patch_baseline(BaselineId=baseline_id, aws_retry=True)
    baseline.pop("ResponseMetadata", None)
    baseline["Tags"] = ssm_tags(client, RESOURCE_TYPE, baseline_id)
    baseline["DefaultBaseline"] = is_default(client, baseline_id, baseline["OperatingSystem"])
    return baseline


def view(baseline):
    """The baseline as returned and shown in the diff: snake_case, tags as a dict, no source configuration."""
    if not baseline:
        return {}
    plain = {k: v for k, v in baseline.items() if k not in ("Tags", "Sources")}
    result = camel_dict_to_snake_dict(plain)
    result["sources"] = [{"name": s["Name"], "products": s.get("Products", [])} for s in baseline.get("Sources") or []]
    result["tags"] = dict(baseline.get("Tags") or {})
    result["patch_groups"] = sorted(baseline.get("PatchGroups") or [])
    return result


def diff_view(baseline):
    result = view(baseline)
    for key in ("created_date", "modified_date"):
        result.pop(key, None)
    return result


def ensure_absent(module, client, identity):
    if identity is None:
        return False, {}
    baseline = read_baseline(client, identity["BaselineId"])
    if baseline["DefaultBaseline"]:
        module.fail_json(
            msg=(
                f"patch baseline {module.params['name']} is the default baseline for {baseline['OperatingSystem']} and cannot be deleted; "
                "make another baseline the default first (default_baseline: true on that one)"
            )
        )
    if not module.check_mode:
        for group in baseline.get("PatchGroups") or []:
            client.deregister_patch_baseline_for_patch_group(BaselineId=baseline["BaselineId"], PatchGroup=group, aws_retry=True)
        client.delete_patch_baseline(BaselineId=baseline["BaselineId"], aws_retry=True)
    return True, baseline


def register_groups(module, client, baseline_id, to_add, to_remove):
    for group in to_remove:
        client.deregister_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup=group, aws_retry=True)
    for group in to_add:
        try:
            client.register_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup=group, aws_retry=True)
        except is_boto3_error_code("AlreadyExistsException") as e:
            module.fail_json_aws(
                e,
                msg=(
                    f"patch_groups: {group!r} is already registered to another {module.params['operating_system']} baseline "
                    "(a patch group has one baseline per operating system); deregister it there first"
                ),
            )


def ensure_present(module, client, identity):
    p = module.params
    request = baseline_request(p)
    wanted_groups = p["patch_groups"]

    if identity is None:
        after = dict(request, OperatingSystem=p["operating_system"], PatchGroups=wanted_groups or [], DefaultBaseline=bool(p["default_baseline"]))
        after["Tags"] = dict(p["tags"] or {})
        if module.check_mode:
            return True, {}, after
        create = dict(request, OperatingSystem=p["operating_system"], ClientToken=idempotency_token())
        if p["tags"]:
            create["Tags"] = ansible_dict_to_boto3_tag_list(p["tags"])
        baseline_id = client.create_patch_baseline(aws_retry=True, **create)["BaselineId"]
        register_groups(module, client, baseline_id, sorted(set(wanted_groups or [])), [])
        if p["default_baseline"]:
            client.register_default_patch_baseline(BaselineId=baseline_id, aws_retry=True)
        return True, {}, read_baseline(client, baseline_id)

    before = read_baseline(client, identity["BaselineId"])
    baseline_id = before["BaselineId"]
    if before["OperatingSystem"] != p["operating_system"]:
        module.fail_json(
            msg=(
                f"operating_system cannot be changed: patch baseline {p['name']} ({baseline_id}) is {before['OperatingSystem']}, "
                f"not {p['operating_system']}; delete it (state: absent) and create it again, or use another name"
            )
        )
    if p["default_baseline"] is False and before["DefaultBaseline"]:
        module.fail_json(
            msg=(
                f"default_baseline is false but {p['name']} is the default baseline for {before['OperatingSystem']}; AWS cannot unset a default, "
                "make another baseline the default instead (default_baseline: true on that one)"
            )
        )

    update_settings = comparable(before) != comparable(request)
    current_groups = set(before.get("PatchGroups") or [])
    to_add = sorted(set(wanted_groups) - current_groups) if wanted_groups is not None else []
    to_remove = sorted(current_groups - set(wanted_groups)) if wanted_groups is not None else []
    make_default = bool(p["default_baseline"]) and not before["DefaultBaseline"]
    tags_changed = any(tag_changes(before["Tags"], p["tags"], p["purge_tags"]))

    changed = update_settings or bool(to_add or to_remove) or make_default or tags_changed
    if not changed:
        return False, before, before
    if module.check_mode:
        after = dict(before)
        if update_settings:
            after.update(request)
            if "Description" not in request:
                after.pop("Description", None)
        after["PatchGroups"] = sorted((current_groups | set(to_add)) - set(to_remove))
        after["DefaultBaseline"] = before["DefaultBaseline"] or make_default
        after["Tags"] = merged_tags(before["Tags"], p["tags"], p["purge_tags"])
        return True, before, after

    if update_settings:
        client.update_patch_baseline(BaselineId=baseline_id, Replace=True, aws_retry=True, **request)
    ssm_update_tags(client, RESOURCE_TYPE, baseline_id, before["Tags"], p["tags"], p["purge_tags"], check_mode=False)
    register_groups(module, client, baseline_id, to_add, to_remove)
    if make_default:
        client.register_default_patch_baseline(BaselineId=baseline_id, aws_retry=True)
    return True, before, read_baseline(client, baseline_id)


def main():
    patch_filter = dict(
        key=dict(type="str", required=True, choices=PATCH_FILTER_KEYS, no_log=False),
        values=dict(type="list", elements="str", required=True),
    )
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        operating_system=dict(type="str", choices=OPERATING_SYSTEMS),
        description=dict(type="str"),
        approval_rules=dict(
            type="list",
            elements="dict",
            default=[],
            options=dict(
                patch_filters=dict(type="list", elements="dict", required=True, options=patch_filter),
                approve_after_days=dict(type="int"),
                approve_until_date=dict(type="str"),
                compliance_level=dict(type="str", choices=COMPLIANCE_LEVELS, default="UNSPECIFIED"),
                enable_non_security=dict(type="bool", default=False),
            ),
        ),
        global_filters=dict(type="list", elements="dict", default=[], options=patch_filter),
        approved_patches=dict(type="list", elements="str", default=[]),
        approved_patches_compliance_level=dict(type="str", choices=COMPLIANCE_LEVELS, default="UNSPECIFIED"),
        approved_patches_enable_non_security=dict(type="bool", default=False),
        rejected_patches=dict(type="list", elements="str", default=[]),
        rejected_patches_action=dict(type="str", choices=["ALLOW_AS_DEPENDENCY", "BLOCK"], default="ALLOW_AS_DEPENDENCY"),
        sources=dict(
            type="list",
            elements="dict",
            default=[],
            options=dict(
                name=dict(type="str", required=True),
                products=dict(type="list", elements="str", required=True),
                configuration=dict(type="str", required=True, no_log=True),
            ),
        ),
        patch_groups=dict(type="list", elements="str"),
        default_baseline=dict(type="bool"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["operating_system"])],
        supports_check_mode=True,
    )
    validate(module)

    client = retrying_client(module, "ssm")
    try:
        identity = find_baseline(module, client, module.params["name"])
        if module.params["state"] == "absent":
            changed, before = ensure_absent(module, client, identity)
            module.exit_json(changed=changed, patch_baseline={}, diff=diff_of(diff_view(before), {}))
        changed, before, after = ensure_present(module, client, identity)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the patch baseline {module.params['name']}")

    module.exit_json(changed=changed, patch_baseline=view(after), diff=diff_of(diff_view(before), diff_view(after)))


if __name__ == "__main__":
    main()
