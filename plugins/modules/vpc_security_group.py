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
    p = module.params
    errors = spec_errors(p)
    if not p["vpc_id"].startswith("vpc-"):
        errors.append(f"vpc_id must be a VPC ID (vpc-...), got {p['vpc_id']!r}")
    if p["name"] == "default" and p["state"] == "absent":
        errors.append("name=default: the default security group of a VPC cannot be deleted; empty it with rules=[] and rules_egress=[]")
    if errors:
        module.fail_json(msg="; ".join(errors))


def ensure_present(module, client, groups, group):
    """Returns (changed, after)."""
    p = module.params
    errors = reference_errors(p, {g["GroupName"] for g in groups} | {p["name"]}, p["vpc_id"])
    if errors:
        module.fail_json(msg="; ".join(errors))
    warning = description_warning(p, group)
    if warning:
        module.warn(warning)
    created, current = ensure_exists(client, module.check_mode, p, p["vpc_id"], group)
    group_ids = dict({g["GroupName"]: g["GroupId"] for g in groups}, **{p["name"]: current["GroupId"]})
    changed, after = ensure_rules(client, module.check_mode, p, current, group_ids)
    changed = changed or created
    if changed and not module.check_mode:
        after = describe_groups(client, [current["GroupId"]])[0]
    return changed, after


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        vpc_id=dict(type="str", required=True),
        description=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        **GROUP_OPTIONS,
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = retrying_client(module, "ec2")
    try:
        groups = vpc_groups(client, module.params["vpc_id"])
        names = names_by_id(groups)
        group = next((g for g in groups if g["GroupName"] == module.params["name"]), None)
        if module.params["state"] == "absent":
            if group and not module.check_mode:
                delete_groups(client, [group])
            module.exit_json(changed=group is not None, security_group={}, group_id="", diff=diff_of(view(group, names), {}))
        changed, after = ensure_present(module, client, groups, group)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage security group {module.params['name']} in {module.params['vpc_id']}")

    names.update(names_by_id([after]))
    module.exit_json(
        changed=changed,
        security_group=snake_group(after),
        group_id=real_id(after),
        diff=diff_of(view(group, names), view(after, names)),
    )


if __name__ == "__main__":
    main()
