#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vpc_security_group
short_description: Manage a VPC security group together with its ingress and egress rules
version_added: 0.1.0
description:
  - Creates, updates or deletes one security group of a VPC, identified by its O(name) and
    O(vpc_id), with all of its rules in one task.
  - Rules are compared one source at a time (protocol, ports and one CIDR, group or prefix
    list), whatever the grouping, so the same rule written differently is not a change.
    Missing rules are authorized, and with O(purge_rules) / O(purge_rules_egress) rules that
    are not listed are revoked. Rule descriptions are updated in place when given.
  - Other groups are referred to by ID or by name; names are looked up in the same VPC
    (one read for all), and the group's own name refers to itself.
  - O(name=default) manages the VPC's default security group, which exists with every VPC.
    C(rules=[]) and C(rules_egress=[]) empty it (the platform's controls want it closed).
    It cannot be deleted.
  - Unlike M(amazon.aws.ec2_security_group), the module never sleeps; it reads the group once,
    changes what differs and reads it back once.
  - Bad input (a port range, a CIDR with host bits, a rule without a source) fails before any API call.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Name of the security group, unique within the VPC.
    type: str
    required: true
  vpc_id:
    description: ID of the VPC.
    type: str
    required: true
  description:
    description:
      - Description of the group, set when the group is created; defaults to O(name).
      - AWS cannot change a group's description; when it differs, the module warns and leaves it.
    type: str
  state:
    description: Whether the group should exist.
    type: str
    choices: [present, absent]
    default: present
  rules:
    description:
      - Ingress rules. Omit to leave ingress alone; C([]) with O(purge_rules=true) removes every ingress rule.
    type: list
    elements: dict
    aliases: [ingress]
    suboptions:
      proto:
        description: Protocol; C(all) is every protocol and port.
        type: str
        choices: [tcp, udp, icmp, all]
        default: tcp
      ports:
        description: Ports or port ranges (C(443), C(1024-65535)) for C(tcp) and C(udp); required there.
        type: list
        elements: str
      icmp_type:
        description: ICMP type for C(icmp) (C(-1), the default, is every type).
        type: int
      icmp_code:
        description: ICMP code for C(icmp) (C(-1), the default, is every code).
        type: int
      cidr_ip:
        description: IPv4 CIDRs (network addresses, for example C(10.40.0.0/24) or C(0.0.0.0/0)).
        type: list
        elements: str
      cidr_ipv6:
        description: IPv6 CIDRs.
        type: list
        elements: str
      group:
        description: Security groups by ID (C(sg-...)) or by name in the same VPC; the group's own name is itself.
        type: list
        elements: str
      prefix_list_id:
        description: Managed prefix lists (C(pl-...)).
        type: list
        elements: str
      description:
        description: Description of the rule; not compared when omitted.
        type: str
  rules_egress:
    description:
      - Egress rules, same form as O(rules). Omit to leave egress alone (a new group allows all egress);
        C([]) with O(purge_rules_egress=true) removes every egress rule.
    type: list
    elements: dict
    aliases: [egress]
    suboptions:
      proto:
        description: Protocol; C(all) is every protocol and port.
        type: str
        choices: [tcp, udp, icmp, all]
        default: tcp
      ports:
        description: Ports or port ranges (C(443), C(1024-65535)) for C(tcp) and C(udp); required there.
        type: list
        elements: str
      icmp_type:
        description: ICMP type for C(icmp) (C(-1), the default, is every type).
        type: int
      icmp_code:
        description: ICMP code for C(icmp) (C(-1), the default, is every code).
        type: int
      cidr_ip:
        description: IPv4 CIDRs (network addresses, for example C(10.40.0.0/24) or C(0.0.0.0/0)).
        type: list
        elements: str
      cidr_ipv6:
        description: IPv6 CIDRs.
        type: list
        elements: str
      group:
        description: Security groups by ID (C(sg-...)) or by name in the same VPC; the group's own name is itself.
        type: list
        elements: str
      prefix_list_id:
        description: Managed prefix lists (C(pl-...)).
        type: list
        elements: str
      description:
        description: Description of the rule; not compared when omitted.
        type: str
  purge_rules:
    description: Revoke ingress rules that are not in O(rules).
    type: bool
    default: true
  purge_rules_egress:
    description: Revoke egress rules that are not in O(rules_egress).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - The EC2 API takes no client token for security groups; a group's name is unique in its VPC,
    so a retried create finds the group instead of making a second one.
  - O(state=absent) fails with AWS's error while network interfaces or other groups' rules still use the group.
seealso:
  - module: healthplatform.aws.vpc_security_group_info
"""

EXAMPLES = r"""
- name: Load balancer group, open to the world on 443 and 80 (the redirect)
  healthplatform.aws.vpc_security_group:
    name: healthplatform-prod-alb
    vpc_id: "{{ vpc_id }}"
    description: Application load balancer
    rules:
      - ports: [443, 80]
        cidr_ip: [0.0.0.0/0]
        description: HTTPS and the HTTP redirect from the internet
    rules_egress:
      - ports: [443]
        group: [healthplatform-prod-web]
        description: To the web instances
    tags:
      Tier: public

- name: Web instances, reachable from the load balancer only
  healthplatform.aws.vpc_security_group:
    name: healthplatform-prod-web
    vpc_id: "{{ vpc_id }}"
    rules:
      - ports: [443]
        group: [healthplatform-prod-alb]

- name: Close the VPC's default security group
  healthplatform.aws.vpc_security_group:
    name: default
    vpc_id: "{{ vpc_id }}"
    rules: []
    rules_egress: []
"""

RETURN = r"""
security_group:
  description: The group as EC2 describes it (empty when O(state=absent)). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    group_id:
      description: ID of the group (absent in check mode before creation).
      type: str
      sample: sg-0123456789abcdef0
    group_name:
      description: Name of the group.
      type: str
      sample: healthplatform-prod-web
    vpc_id:
      description: The VPC.
      type: str
      sample: vpc-0123456789abcdef0
    description:
      description: Description of the group.
      type: str
      sample: Web instances
    ip_permissions:
      description: Ingress rules as EC2 describes them.
      type: list
      elements: dict
    ip_permissions_egress:
      description: Egress rules as EC2 describes them.
      type: list
      elements: dict
    tags:
      description: Tags of the group.
      type: dict
      sample: {"Tier": "app"}
group_id:
  description: ID of the group (empty in check mode before creation and after deletion).
  returned: always
  type: str
  sample: sg-0123456789abcdef0
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import ec2_update_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import snake_with_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.network import SG_ID
from ansible_collections.healthplatform.aws.plugins.module_utils.network import atom_permission
from ansible_collections.healthplatform.aws.plugins.module_utils.network import atoms_view
from ansible_collections.healthplatform.aws.plugins.module_utils.network import desired_atoms
from ansible_collections.healthplatform.aws.plugins.module_utils.network import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.network import permission_atoms
from ansible_collections.healthplatform.aws.plugins.module_utils.network import rule_errors

PLANNED_ID = "(this group)"
DIRECTIONS = (("rules", "IpPermissions", "purge_rules"), ("rules_egress", "IpPermissionsEgress", "purge_rules_egress"))


class GroupNotFound(Exception):
    pass


def validate(module):
    p = module.params
    errors = rule_errors(p["rules"], "rules") + rule_errors(p["rules_egress"], "rules_egress")
    if not p["vpc_id"].startswith("vpc-"):
        errors.append(f"vpc_id must be a VPC ID (vpc-...), got {p['vpc_id']!r}")
    if p["name"] == "default" and p["state"] == "absent":
        errors.append("name=default: the default security group of a VPC cannot be deleted; empty it with rules=[] and rules_egress=[]")
    if p["name"].startswith("sg-"):
        errors.append("name must not start with sg- (AWS reserves it for group IDs)")
    if errors:
        module.fail_json(msg="; ".join(errors))


def vpc_groups(client, vpc_id):
    return paginate(client, "describe_security_groups", "SecurityGroups", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])


def resolver(module, groups, own_id):
    by_name = {g["GroupName"]: g["GroupId"] for g in groups}
    name = module.params["name"]

    def resolve(value):
        if SG_ID.match(value):
            return value
        if value == name:
            return own_id or PLANNED_ID
        if value in by_name:
            return by_name[value]
        raise GroupNotFound(value)

    return resolve


def wanted(module, resolve):
    result = {}
    for option, _key, _purge in DIRECTIONS:
        rules = module.params[option]
        if rules is None:
            continue
        try:
            result[option] = desired_atoms(rules, resolve)
        except GroupNotFound as e:
            module.fail_json(
                msg=f"{option}: security group {e.args[0]!r} does not exist in {module.params['vpc_id']} (give an ID or the name of a group in this VPC)"
            )
    return result


def plan_rules(module, group, desired):
    """Per direction: (to_authorize {atom: desc}, to_revoke {atom: desc}, to_describe {atom: desc})."""
    plan = {}
    for option, key, purge in DIRECTIONS:
        if option not in desired:
            continue
        current = permission_atoms(group.get(key)) if group else {}
        want = desired[option]
        authorize = {a: d for a, d in want.items() if a not in current}
        revoke = {a: d for a, d in current.items() if a not in want} if module.params[purge] else {}
        describe = {a: d for a, d in want.items() if a in current and d is not None and (current[a] or "") != d}
        if group is None and option == "rules_egress":
            # a new group starts with "all traffic to 0.0.0.0/0"; revoke it unless it is wanted
            default = ("all", None, None, "cidr", "0.0.0.0/0")
            if default not in want and module.params[purge]:
                revoke[default] = None
            authorize.pop(default, None)
        plan[option] = (authorize, revoke, describe)
    return plan


def apply_rules(client, group_id, plan):
    calls = {
        "rules": (client.authorize_security_group_ingress, client.revoke_security_group_ingress, client.update_security_group_rule_descriptions_ingress),
        "rules_egress": (client.authorize_security_group_egress, client.revoke_security_group_egress, client.update_security_group_rule_descriptions_egress),
    }
    for option, (authorize, revoke, describe) in plan.items():
        do_authorize, do_revoke, do_describe = calls[option]
        fix = {PLANNED_ID: group_id}
        if revoke:
            do_revoke(GroupId=group_id, IpPermissions=[atom_permission(a) for a in revoke], aws_retry=True)
        if authorize:
            perms = [atom_permission(a[:4] + (fix.get(a[4], a[4]),), d) for a, d in authorize.items()]
            do_authorize(GroupId=group_id, IpPermissions=perms, aws_retry=True)
        if describe:
            do_describe(GroupId=group_id, IpPermissions=[atom_permission(a, d) for a, d in describe.items()], aws_retry=True)


def view(group, names):
    if not group:
        return {}
    return {
        "group_name": group.get("GroupName"),
        "description": group.get("Description"),
        "rules": atoms_view(permission_atoms(group.get("IpPermissions")), names),
        "rules_egress": atoms_view(permission_atoms(group.get("IpPermissionsEgress")), names),
        "tags": boto3_tag_list_to_ansible_dict(group.get("Tags") or []),
    }


def planned_group(module, group, plan, tags):
    """What the group would look like after the plan (check mode)."""
    after = dict(group or {"GroupName": module.params["name"], "VpcId": module.params["vpc_id"], "Description": module.params["description"]})
    for option, key, _purge in DIRECTIONS:
        if option not in plan:
            continue
        authorize, revoke, describe = plan[option]
        atoms = permission_atoms((group or {}).get(key))
        if group is None and option == "rules_egress":
            atoms[("all", None, None, "cidr", "0.0.0.0/0")] = None
        for atom in revoke:
            atoms.pop(atom, None)
        atoms.update(authorize)
        atoms.update(describe)
        after[key] = [atom_permission(a, d) for a, d in atoms.items()]
    after["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
    return after


def describe_group(client, group_id):
    return client.describe_security_groups(GroupIds=[group_id], aws_retry=True)["SecurityGroups"][0]


def ensure_present(module, client, groups, group):
    p = module.params
    if group and p["description"] is not None and group.get("Description") != p["description"]:
        module.warn(f"security group {p['name']} keeps its description {group.get('Description')!r}: AWS cannot change a group's description")
    resolve = resolver(module, groups, group["GroupId"] if group else None)
    desired = wanted(module, resolve)
    plan = plan_rules(module, group, desired)
    current_tags = boto3_tag_list_to_ansible_dict((group or {}).get("Tags") or [])
    tags_after = merged_tags(current_tags, p["tags"], p["purge_tags"])
    rules_change = any(any(parts) for parts in plan.values())

    if module.check_mode:
        tags_change = group is not None and tags_after != current_tags and p["tags"] is not None
        changed = group is None or rules_change or tags_change
        return changed, planned_group(module, group, plan, tags_after)

    changed = False
    if group is None:
        request = {"GroupName": p["name"], "Description": p["description"] or p["name"], "VpcId": p["vpc_id"]}
        if p["tags"]:
            request["TagSpecifications"] = boto3_tag_specifications(p["tags"], types="security-group")
        try:
            group_id = client.create_security_group(aws_retry=True, **request)["GroupId"]
        except botocore.exceptions.ClientError as e:
            if e.response.get("Error", {}).get("Code") != "InvalidGroup.Duplicate":
                raise
            # a retried create: the group exists now
            group_id = next(g for g in vpc_groups(client, p["vpc_id"]) if g["GroupName"] == p["name"])["GroupId"]
        changed = True
    else:
        group_id = group["GroupId"]
        changed = ec2_update_tags(client, group_id, current_tags, p["tags"], p["purge_tags"], False)
    if rules_change:
        apply_rules(client, group_id, plan)
        changed = True
    return changed, describe_group(client, group_id) if changed else group


def main():
    rule_options = dict(
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
    argument_spec = dict(
        name=dict(type="str", required=True),
        vpc_id=dict(type="str", required=True),
        description=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        rules=dict(type="list", elements="dict", options=rule_options, aliases=["ingress"]),
        rules_egress=dict(type="list", elements="dict", options=rule_options, aliases=["egress"]),
        purge_rules=dict(type="bool", default=True),
        purge_rules_egress=dict(type="bool", default=True),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = retrying_client(module, "ec2")
    try:
        groups = vpc_groups(client, module.params["vpc_id"])
        names = {g["GroupId"]: g["GroupName"] for g in groups}
        matches = [g for g in groups if g["GroupName"] == module.params["name"]]
        group = matches[0] if matches else None
        if module.params["state"] == "absent":
            if group and not module.check_mode:
                client.delete_security_group(GroupId=group["GroupId"], aws_retry=True)
            module.exit_json(changed=group is not None, security_group={}, group_id="", diff=diff_of(view(group, names), {}))
        changed, after = ensure_present(module, client, groups, group)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage security group {module.params['name']} in {module.params['vpc_id']}")

    if after.get("GroupId"):
        names[after["GroupId"]] = after["GroupName"]
    module.exit_json(
        changed=changed,
        security_group=snake_with_tags(after),
        group_id=after.get("GroupId", ""),
        diff=diff_of(view(group, names), view(after, names)),
    )


if __name__ == "__main__":
    main()
