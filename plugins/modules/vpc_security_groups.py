#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vpc_security_groups
short_description: Manage a set of security groups of one VPC, with their rules, in one call
version_added: 0.1.0
description:
  - Creates, updates or deletes the security groups listed in O(security_groups), all in the VPC
    O(vpc_id), each with its ingress and egress rules and its tags, in one task.
  - The VPC's groups are read once. Missing groups are created first, so that rules may name any
    group of the same call (a load balancer group, the web group that admits it, the database
    group that admits the web group), whatever the order of the list; then each group's rule
    differences are authorized or revoked; the changed groups are read back in one call.
  - Rules are compared as in M(healthplatform.aws.vpc_security_group) - one source at a time,
    whatever the grouping - and other groups are named by ID or by name in the same VPC.
  - A group named C(default) is the VPC's default security group, which exists with every VPC;
    C(rules=[]) and C(rules_egress=[]) empty it. It cannot be deleted.
  - Bad input (a port range, a CIDR with host bits, a rule without a source, a name listed twice,
    a group name that is neither in the VPC nor in the list) fails before any change, naming the option.
  - The module never sleeps.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  vpc_id:
    description: ID of the VPC of every listed group.
    type: str
    required: true
  state:
    description:
      - Whether the listed groups should exist. C(absent) first revokes the rules by which the listed groups
        refer to each other, then deletes them.
    type: str
    choices: [present, absent]
    default: present
  security_groups:
    description: The groups.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Name of the group, unique within the VPC (C(default) is the VPC's default group).
        type: str
        required: true
      description:
        description:
          - Description of the group, set when the group is created; defaults to its name.
          - AWS cannot change a group's description; when it differs, the module warns and leaves it.
        type: str
      rules:
        description:
          - Ingress rules. Omit to leave ingress alone; C([]) with O(security_groups[].purge_rules=true) removes every ingress rule.
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
            description: Security groups by ID (C(sg-...)), or by name - of a group in the VPC or of a group of this call (itself too).
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
          - Egress rules, same form as O(security_groups[].rules). Omit to leave egress alone (a new group allows all egress);
            C([]) with O(security_groups[].purge_rules_egress=true) removes every egress rule.
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
            description: IPv4 CIDRs (network addresses).
            type: list
            elements: str
          cidr_ipv6:
            description: IPv6 CIDRs.
            type: list
            elements: str
          group:
            description: Security groups by ID (C(sg-...)), or by name - of a group in the VPC or of a group of this call (itself too).
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
        description: Revoke ingress rules of the group that are not in O(security_groups[].rules).
        type: bool
        default: true
      purge_rules_egress:
        description: Revoke egress rules of the group that are not in O(security_groups[].rules_egress).
        type: bool
        default: true
      tags:
        description: Tags of the group. Not compared when omitted.
        type: dict
        aliases: [resource_tags]
      purge_tags:
        description: Remove tags of the group that are not in O(security_groups[].tags) (when it is given).
        type: bool
        default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff). In check mode, groups that would be created have no ID yet; rules that
    name them show C((planned NAME)) in their place.
  - The EC2 API takes no client token for security groups; a group's name is unique in its VPC,
    so a retried create finds the group instead of making a second one.
  - O(state=absent) fails with AWS's error while network interfaces or groups outside the list still use a group.
seealso:
  - module: healthplatform.aws.vpc_security_group
  - module: healthplatform.aws.vpc_security_group_info
"""

EXAMPLES = r"""
- name: Load balancer, web and database groups, chained by name, and the default group closed
  healthplatform.aws.vpc_security_groups:
    vpc_id: "{{ vpc_id }}"
    security_groups:
      - name: default
        rules: []
        rules_egress: []
      - name: healthplatform-prod-alb
        description: Application load balancer
        rules:
          - ports: [443, 80]
            cidr_ip: [0.0.0.0/0]
            description: HTTPS and the HTTP redirect from the internet
        rules_egress:
          - ports: [443]
            group: [healthplatform-prod-web]
        tags:
          Tier: public
      - name: healthplatform-prod-web
        description: Web instances
        rules:
          - ports: [443]
            group: [healthplatform-prod-alb]
        rules_egress:
          - ports: [5432]
            group: [healthplatform-prod-db]
        tags:
          Tier: app
      - name: healthplatform-prod-db
        description: Database
        rules:
          - ports: [5432]
            group: [healthplatform-prod-web]
        rules_egress: []
        tags:
          Tier: data
  register: groups

- name: Use an ID
  ansible.builtin.debug:
    msg: "{{ groups.group_ids['healthplatform-prod-web'] }}"

- name: Remove two groups that refer to each other
  healthplatform.aws.vpc_security_groups:
    vpc_id: "{{ vpc_id }}"
    state: absent
    security_groups:
      - name: healthplatform-prod-web
      - name: healthplatform-prod-db
"""

RETURN = r"""
security_groups:
  description:
    - The listed groups, in the order of O(security_groups), each as
      RV(healthplatform.aws.vpc_security_group#module:security_group) describes it, after the run
      (in check mode, what they would be, without C(group_id) before creation); empty with O(state=absent).
  returned: always
  type: list
  elements: dict
  sample:
    - group_id: sg-0123456789abcdef0
      group_name: healthplatform-prod-web
      vpc_id: vpc-0123456789abcdef0
      description: Web instances
      ip_permissions: []
      ip_permissions_egress: []
      tags: {"Tier": "app"}
group_ids:
  description: Name of each listed group to its ID (empty in check mode before creation); empty with O(state=absent).
  returned: always
  type: dict
  sample: {"default": "sg-0aaaaaaaaaaaaaaa0", "healthplatform-prod-web": "sg-0123456789abcdef0"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.security_group import GROUP_OPTIONS
from ansible_collections.healthplatform.aws.plugins.module_utils.security_group import delete_groups
from ansible_collections.healthplatform.aws.plugins.module_utils.security_group import describe_groups
from ansible_collections.healthplatform.aws.plugins.module_utils.security_group import description_warning
from ansible_collections.healthplatform.aws.plugins.module_utils.security_group import ensure_exists
from ansible_collections.healthplatform.aws.plugins.module_utils.security_group import ensure_rules
from ansible_collections.healthplatform.aws.plugins.module_utils.security_group import names_by_id
from ansible_collections.healthplatform.aws.plugins.module_utils.security_group import real_id
from ansible_collections.healthplatform.aws.plugins.module_utils.security_group import reference_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.security_group import snake_group
from ansible_collections.healthplatform.aws.plugins.module_utils.security_group import spec_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.security_group import view
from ansible_collections.healthplatform.aws.plugins.module_utils.security_group import vpc_groups


def validate(module):
    """Every check that needs no API call; fails naming the option."""
    p = module.params
    errors = []
    if not p["vpc_id"].startswith("vpc-"):
        errors.append(f"vpc_id must be a VPC ID (vpc-...), got {p['vpc_id']!r}")
    seen = set()
    for index, spec in enumerate(p["security_groups"]):
        prefix = f"security_groups[{index}]."
        if spec["name"] in seen:
            errors.append(f"{prefix}name: {spec['name']} is listed twice")
        seen.add(spec["name"])
        if spec["name"] == "default" and p["state"] == "absent":
            errors.append(f"{prefix}name=default: the default security group of a VPC cannot be deleted; empty it with rules=[] and rules_egress=[]")
        errors += spec_errors(spec, prefix)
    if errors:
        module.fail_json(msg="; ".join(errors))


def ensure_absent(module, client, existing):
    """Delete the listed groups that exist. Returns the deleted ones."""
    gone = [existing[s["name"]] for s in module.params["security_groups"] if s["name"] in existing]
    if gone and not module.check_mode:
        delete_groups(client, gone)
    return gone


def ensure_present(module, client, groups):
    """Returns (changed names, {name: before}, {name: after})."""
    p = module.params
    specs = p["security_groups"]
    existing = {g["GroupName"]: g for g in groups}
    known = set(existing) | {s["name"] for s in specs}
    errors = [e for index, spec in enumerate(specs) for e in reference_errors(spec, known, p["vpc_id"], f"security_groups[{index}].")]
    if errors:
        module.fail_json(msg="; ".join(errors))
    for spec in specs:
        warning = description_warning(spec, existing.get(spec["name"]))
        if warning:
            module.warn(warning)

    # 1. every group exists (or, in check mode, has a planned ID), so that any rule can name it
    current, changed = {}, []
    for spec in specs:
        created, current[spec["name"]] = ensure_exists(client, module.check_mode, spec, p["vpc_id"], existing.get(spec["name"]))
        if created:
            changed.append(spec["name"])
    group_ids = {name: group["GroupId"] for name, group in {**existing, **current}.items()}

    # 2. each group's rules and tags
    after = {}
    for spec in specs:
        rules_changed, after[spec["name"]] = ensure_rules(client, module.check_mode, spec, current[spec["name"]], group_ids)
        if rules_changed and spec["name"] not in changed:
            changed.append(spec["name"])

    # 3. one read-back of what changed
    if changed and not module.check_mode:
        after.update({g["GroupName"]: g for g in describe_groups(client, [current[name]["GroupId"] for name in changed])})
    return changed, {s["name"]: existing.get(s["name"]) for s in specs}, after


def main():
    argument_spec = dict(
        vpc_id=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        security_groups=dict(
            type="list",
            elements="dict",
            required=True,
            options=dict(name=dict(type="str", required=True), description=dict(type="str"), **GROUP_OPTIONS),
        ),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    p = module.params

    client = retrying_client(module, "ec2")
    try:
        groups = vpc_groups(client, p["vpc_id"])
        names = names_by_id(groups)
        if p["state"] == "absent":
            gone = ensure_absent(module, client, {g["GroupName"]: g for g in groups})
            before = {g["GroupName"]: view(g, names) for g in gone}
            module.exit_json(changed=bool(gone), security_groups=[], group_ids={}, diff=diff_of(before, {}))
        changed, before, after = ensure_present(module, client, groups)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the security groups of {p['vpc_id']}")

    names.update(names_by_id(after.values()))
    ordered = [after[s["name"]] for s in p["security_groups"]]
    module.exit_json(
        changed=bool(changed),
        security_groups=[snake_group(g) for g in ordered],
        group_ids={g["GroupName"]: real_id(g) for g in ordered},
        diff=diff_of({n: view(before[n], names) for n in changed}, {n: view(after[n], names) for n in changed}),
    )


if __name__ == "__main__":
    main()
