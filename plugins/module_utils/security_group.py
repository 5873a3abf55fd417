# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Security groups with their rules: what vpc_security_group and vpc_security_groups share.

A group is brought to a *spec*, a mapping with the options of vpc_security_group (one item of
vpc_security_groups' ``security_groups``): name, description, rules, rules_egress, purge_rules,
purge_rules_egress, tags, purge_tags. The work is split in two steps, so that the groups of one
call can refer to each other by name whatever their order:

1. ensure_exists(): create a missing group (in check mode, stand in a planned ID for it);
2. ensure_rules(): authorize / revoke / describe the rules that differ and update the tags,
   resolving group names to the IDs that step 1 made known.

The rule comparison itself (atoms) lives in module_utils/network.py.
"""

from __future__ import annotations

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications

from ansible_collections.healthplatform.aws.plugins.module_utils.common import ec2_update_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.network import SG_ID
from ansible_collections.healthplatform.aws.plugins.module_utils.network import atom_permission
from ansible_collections.healthplatform.aws.plugins.module_utils.network import atoms_view
from ansible_collections.healthplatform.aws.plugins.module_utils.network import desired_atoms
from ansible_collections.healthplatform.aws.plugins.module_utils.network import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.network import permission_atoms
from ansible_collections.healthplatform.aws.plugins.module_utils.network import rule_errors

# The argument spec of one rule (rules and rules_egress of both modules).
RULE_OPTIONS = dict(
    proto=dict(type="str", choices=["tcp", "udp", "icmp", "all"], default="tcp"),
    ports=dict(type="list", elements="str"),
    icmp_type=dict(type="int"),
    icmp_code=dict(type="int"),
    cidr_ip=dict(type="list", elements="str"),
    cidr_ipv6=dict(type="list", elements="str"),
    group=dict(type="list", elements="str"),
    prefix_list_id=dict(type="list", elements="str"),
    description=dict(type="str"),
)

# The options of one group besides its name and description (both modules).
GROUP_OPTIONS = dict(
    rules=dict(type="list", elements="dict", options=RULE_OPTIONS, aliases=["ingress"]),
    rules_egress=dict(type="list", elements="dict", options=RULE_OPTIONS, aliases=["egress"]),
    purge_rules=dict(type="bool", default=True),
    purge_rules_egress=dict(type="bool", default=True),
    tags=dict(type="dict", aliases=["resource_tags"]),
    purge_tags=dict(type="bool", default=True),
)

# (option, key of the EC2 description, purge option)
DIRECTIONS = (("rules", "IpPermissions", "purge_rules"), ("rules_egress", "IpPermissionsEgress", "purge_rules_egress"))
# What a new group allows: all traffic out.
ALL_EGRESS = ("all", None, None, "cidr", "0.0.0.0/0")
PLANNED = "(planned {})"


def planned_id(name):
    """The stand-in ID of a group that check mode would create (never sent to AWS)."""
    return PLANNED.format(name)


def real_id(group):
    """The group's ID, or '' for a planned group."""
    group_id = (group or {}).get("GroupId") or ""
    return "" if group_id.startswith("(planned ") else group_id


def spec_errors(spec, prefix=""):
    """Problems of one group spec that need no API call (``prefix`` names the option in the messages)."""
    errors = rule_errors(spec.get("rules"), f"{prefix}rules") + rule_errors(spec.get("rules_egress"), f"{prefix}rules_egress")
    if spec["name"].startswith("sg-"):
        errors.append(f"{prefix}name must not start with sg- (AWS reserves it for group IDs)")
    return errors


def reference_errors(spec, known_names, vpc_id, prefix=""):
    """Groups named in the rules that are neither an ID nor in ``known_names`` (checked before any change)."""
    errors = []
    for option, _key, _purge in DIRECTIONS:
        missing = []
        for rule in spec.get(option) or []:
            missing += [g for g in rule.get("group") or [] if not SG_ID.match(g) and g not in known_names and g not in missing]
        errors += [f"{prefix}{option}: security group {name!r} does not exist in {vpc_id} (give an ID or the name of a group in this VPC)" for name in missing]
    return errors


def vpc_groups(client, vpc_id):
    return paginate(client, "describe_security_groups", "SecurityGroups", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])


def describe_groups(client, group_ids):
    """The groups with these IDs, in one call."""
    return paginate(client, "describe_security_groups", "SecurityGroups", GroupIds=list(group_ids))


def names_by_id(groups):
    return {g["GroupId"]: g["GroupName"] for g in groups if real_id(g)}


def description_warning(spec, group):
    """The warning when an existing group's description differs (AWS cannot change it), else None."""
    if group and spec.get("description") is not None and group.get("Description") != spec["description"]:
        return f"security group {spec['name']} keeps its description {group.get('Description')!r}: AWS cannot change a group's description"
    return None


def created_group(spec, vpc_id, group_id):
    """A group as EC2 describes it right after CreateSecurityGroup: no ingress, all traffic out."""
    return {
        "GroupId": group_id,
        "GroupName": spec["name"],
        "VpcId": vpc_id,
        "Description": spec.get("description") or spec["name"],
        "IpPermissions": [],
        "IpPermissionsEgress": [atom_permission(ALL_EGRESS)],
        "Tags": ansible_dict_to_boto3_tag_list(spec.get("tags") or {}),
    }


def ensure_exists(client, check_mode, spec, vpc_id, group):
    """(created, group): ``group`` when it exists, else the new group (a planned one in check mode)."""
    if group is not None:
        return False, group
    if check_mode:
        return True, created_group(spec, vpc_id, planned_id(spec["name"]))
    request = {"GroupName": spec["name"], "Description": spec.get("description") or spec["name"], "VpcId": vpc_id}
    if spec.get("tags"):
        request["TagSpecifications"] = boto3_tag_specifications(spec["tags"], types="security-group")
    try:
        group_id = client.create_security_group(aws_retry=True, **request)["GroupId"]
    except botocore.exceptions.ClientError as e:
        if e.response.get("Error", {}).get("Code") != "InvalidGroup.Duplicate":
            raise
        # a retried create: the group exists now, read it as it is
        return True, next(g for g in vpc_groups(client, vpc_id) if g["GroupName"] == spec["name"])
    return True, created_group(spec, vpc_id, group_id)


def desired_rules(spec, group_ids):
    """{option: {atom: description}} for the directions the spec gives; ``group_ids`` maps names to IDs."""

    def resolve(value):
        return value if SG_ID.match(value) else group_ids[value]

    return {option: desired_atoms(spec[option], resolve) for option, _key, _purge in DIRECTIONS if spec.get(option) is not None}


def plan_rules(spec, group, desired):
    """Per direction: (to_authorize {atom: desc}, to_revoke {atom: desc}, to_describe {atom: desc})."""
    plan = {}
    for option, key, purge in DIRECTIONS:
        if option not in desired:
            continue
        current = permission_atoms(group.get(key))
        want = desired[option]
        authorize = {a: d for a, d in want.items() if a not in current}
        revoke = {a: d for a, d in current.items() if a not in want} if spec.get(purge, True) else {}
        describe = {a: d for a, d in want.items() if a in current and d is not None and (current[a] or "") != d}
        plan[option] = (authorize, revoke, describe)
    return plan


def apply_rules(client, group_id, plan):
    calls = {
        "rules": (client.authorize_security_group_ingress, client.revoke_security_group_ingress, client.update_security_group_rule_descriptions_ingress),
        "rules_egress": (client.authorize_security_group_egress, client.revoke_security_group_egress, client.update_security_group_rule_descriptions_egress),
    }
    for option, (authorize, revoke, describe) in plan.items():
        do_authorize, do_revoke, do_describe = calls[option]
        if revoke:
            # with the rule's current description: EC2 ignores it, moto matches group pairs with it
            do_revoke(GroupId=group_id, IpPermissions=[atom_permission(a, d) for a, d in revoke.items()], aws_retry=True)
        if authorize:
            do_authorize(GroupId=group_id, IpPermissions=[atom_permission(a, d) for a, d in authorize.items()], aws_retry=True)
        if describe:
            do_describe(GroupId=group_id, IpPermissions=[atom_permission(a, d) for a, d in describe.items()], aws_retry=True)


def planned_group(group, plan, tags):
    """What the group would look like after the plan (check mode)."""
    after = dict(group)
    for option, key, _purge in DIRECTIONS:
        if option not in plan:
            continue
        authorize, revoke, describe = plan[option]
        atoms = permission_atoms(group.get(key))
        for atom in revoke:
            atoms.pop(atom, None)
        atoms.update(authorize)
        atoms.update(describe)
        after[key] = [atom_permission(a, d) for a, d in atoms.items()]
    after["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return after


def ensure_rules(client, check_mode, spec, group, group_ids):
    """Bring an existing (or just created) group's rules and tags to the spec.

    Returns (changed, after): in check mode ``after`` is what the group would be; otherwise it is
    the group as it was read (the caller reads changed groups back, all in one call).
    """
    plan = plan_rules(spec, group, desired_rules(spec, group_ids))
    current_tags = boto3_tag_list_to_ansible_dict(group.get("Tags") or [])
    tags_after = merged_tags(current_tags, spec.get("tags"), spec.get("purge_tags", True))
    rules_change = any(any(parts) for parts in plan.values())
    if check_mode:
        return rules_change or tags_after != current_tags, planned_group(group, plan, tags_after)
    changed = ec2_update_tags(client, group["GroupId"], current_tags, spec.get("tags"), spec.get("purge_tags", True), False)
    if rules_change:
        apply_rules(client, group["GroupId"], plan)
    return changed or rules_change, group


def delete_groups(client, groups):
    """Delete groups; first revoke the rules by which they refer to each other (or AWS refuses)."""
    ids = {g["GroupId"] for g in groups}
    for group in groups:
        plan = {}
        for option, key, _purge in DIRECTIONS:
            refs = {a: d for a, d in permission_atoms(group.get(key)).items() if a[3] == "group" and a[4] in ids and a[4] != group["GroupId"]}
            if refs:
                plan[option] = ({}, refs, {})
        apply_rules(client, group["GroupId"], plan)
    for group in groups:
        client.delete_security_group(GroupId=group["GroupId"], aws_retry=True)


def view(group, names):
    """A readable form of a group for diffs: rules as text with group names."""
    if not group:
        return {}
    return {
        "group_name": group.get("GroupName"),
        "description": group.get("Description"),
        "rules": atoms_view(permission_atoms(group.get("IpPermissions")), names),
        "rules_egress": atoms_view(permission_atoms(group.get("IpPermissionsEgress")), names),
        "tags": boto3_tag_list_to_ansible_dict(group.get("Tags") or []),
    }


def snake_group(group):
    """The group in snake_case for the module result, without the stand-in ID of a planned group."""
    if not group:
        return {}
    return snake_with_tags({k: v for k, v in group.items() if k != "GroupId" or real_id(group)})
