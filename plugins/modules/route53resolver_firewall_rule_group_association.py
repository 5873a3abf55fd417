#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: route53resolver_firewall_rule_group_association
short_description: Associate a Route 53 Resolver DNS Firewall rule group with a VPC
version_added: 0.1.0
description:
  - Associates one DNS Firewall rule group with one VPC, so that the VPC's DNS queries are
    filtered by the group's rules; or removes that association.
  - The association is identified by the VPC (O(vpc_id)) and the rule group (O(firewall_rule_group), by name or ID).
  - Priority, mutation protection and name are updated in place.
  - Associations change asynchronously. With O(wait=true) (the default) the module polls the
    association until AWS reports it C(COMPLETE) (or gone, after a removal), for at most O(wait_timeout) seconds.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  vpc_id:
    description: ID of the VPC.
    type: str
    required: true
  firewall_rule_group:
    description: The rule group, by ID (C(rslvr-frg-...)) or by name.
    type: str
    required: true
    aliases: [rule_group]
  state:
    description: Whether the association should exist.
    type: str
    choices: [present, absent]
    default: present
  priority:
    description:
      - Order of this rule group among the rule groups associated with the VPC, lowest first.
      - From 101 to 9900 (AWS reserves 100); unique per VPC. Leave gaps (101, 200, 300, ...).
      - Required when O(state=present).
    type: int
  name:
    description:
      - Name of the association (same rules as rule group names).
      - Defaults to the rule group's name when the association is created; not compared when omitted.
    type: str
  mutation_protection:
    description:
      - C(ENABLED) stops the association from being changed or removed until it is set to C(DISABLED) again.
      - Not compared when omitted (AWS creates associations with C(DISABLED)).
      - To remove a protected association, give O(state=absent) with O(mutation_protection=DISABLED);
        the module then disables the protection and removes the association. Without it, the
        module refuses to remove a protected association.
    type: str
    choices: [ENABLED, DISABLED]
  wait:
    description: Wait until the association is C(COMPLETE) (or gone, when removed).
    type: bool
    default: true
  wait_timeout:
    description: How many seconds to wait at most.
    type: int
    default: 300
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Associations are created with a creator request ID, so a retried request never creates two.
  - Tags are read (and returned) only when O(tags) is set.
  - AWS may refuse changes to other settings of an association while its mutation protection is
    C(ENABLED); set O(mutation_protection=DISABLED) in the same task to change them.
seealso:
  - module: healthplatform.aws.route53resolver_firewall_rule_group_association_info
  - module: healthplatform.aws.route53resolver_firewall_rule_group
"""

EXAMPLES = r"""
- name: Filter the VPC's DNS queries with the platform rule group
  healthplatform.aws.route53resolver_firewall_rule_group_association:
    vpc_id: "{{ vpc.vpc.id }}"
    firewall_rule_group: healthplatform-prod-dns-firewall
    priority: 101
    mutation_protection: ENABLED
    tags:
      Environment: prod

- name: Remove a protected association
  healthplatform.aws.route53resolver_firewall_rule_group_association:
    vpc_id: vpc-0123456789abcdef0
    firewall_rule_group: healthplatform-test-dns-firewall
    mutation_protection: DISABLED
    state: absent
"""

RETURN = r"""
firewall_rule_group_association:
  description: The association as AWS describes it (empty when O(state=absent)). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    id:
      description: ID of the association (absent in check mode before creation).
      type: str
      sample: rslvr-frgassoc-0123456789abcdef
    arn:
      description: ARN of the association.
      type: str
      sample: arn:aws:route53resolver:eu-west-1:123456789012:firewall-rule-group-association/rslvr-frgassoc-0123456789abcdef
    firewall_rule_group_id:
      description: ID of the rule group.
      type: str
      sample: rslvr-frg-0123456789abcdef
    vpc_id:
      description: ID of the VPC.
      type: str
      sample: vpc-0123456789abcdef0
    name:
      description: Name of the association.
      type: str
      sample: healthplatform-prod-dns-firewall
    priority:
      description: Priority of the association.
      type: int
      sample: 101
    mutation_protection:
      description: Whether the association is protected.
      type: str
      sample: ENABLED
    status:
      description: Status of the association (C(COMPLETE) once done, C(UPDATING) while it changes).
      type: str
      sample: COMPLETE
    tags:
      description: Tags of the association.
      type: dict
      returned: when O(tags) is set
      sample: {"Environment": "prod"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import VPC_ID
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import boto3_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import check_name
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import find_rule_group
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import get_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import snake
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import update_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import wait_for_status

MIN_PRIORITY = 101
MAX_PRIORITY = 9900
# Statuses an association passes through while it changes (the model lists UPDATING and DELETING; CREATING is accepted too).
CHANGING = ("CREATING", "UPDATING", "DELETING")


def validate(module):
    p = module.params
    if not VPC_ID.match(p["vpc_id"]):
        module.fail_json(msg=f"vpc_id must be a VPC ID such as vpc-0123456789abcdef0, got {p['vpc_id']!r}")
    if p["state"] == "present" and p["priority"] is None:
        module.fail_json(msg="priority is required when state is present")
    if p["priority"] is not None and not MIN_PRIORITY <= p["priority"] <= MAX_PRIORITY:
        module.fail_json(msg=f"priority must be between {MIN_PRIORITY} and {MAX_PRIORITY} (AWS reserves 100), got {p['priority']}")
    if p["name"] is not None:
        check_name(module, "name", p["name"])
    if p["wait_timeout"] < 1:
        module.fail_json(msg=f"wait_timeout must be at least 1 second, got {p['wait_timeout']}")


def describe(client, association_id):
    try:
        return client.get_firewall_rule_group_association(FirewallRuleGroupAssociationId=association_id, aws_retry=True)["FirewallRuleGroupAssociation"]
    except is_boto3_error_code("ResourceNotFoundException"):
        return None


def wait_complete(module, client, association_id):
    return wait_for_status(module, lambda: describe(client, association_id), ("COMPLETE",), CHANGING, module.params["wait_timeout"], what(module))


def wait_gone(module, client, association_id):
    # Right after a disassociation AWS may still report the old status for a moment.
    return wait_for_status(module, lambda: describe(client, association_id), (None,), CHANGING + ("COMPLETE",), module.params["wait_timeout"], what(module))


def what(module):
    return f"the association of {module.params['firewall_rule_group']} with {module.params['vpc_id']}"


def diff_view(association, tags):
    if not association:
        return {}
    keys = ("VpcId", "FirewallRuleGroupId", "Name", "Priority", "MutationProtection")
    result = snake({k: association.get(k) for k in keys if association.get(k) is not None})
    if tags is not None:
        result["tags"] = tags
    return result


def view(association, tags):
    if not association:
        return {}
    result = snake(association)
    if tags is not None:
        result["tags"] = tags
    return result


def ensure_absent(module, client, existing):
    if existing is None:
        return False, {}
    before = diff_view(existing, None)
    if existing.get("Status") == "DELETING":
        if module.params["wait"] and not module.check_mode:
            wait_gone(module, client, existing["Id"])
        return False, before
    if existing.get("MutationProtection") == "ENABLED":
        if module.params["mutation_protection"] != "DISABLED":
            module.fail_json(
                msg=(
                    f"{what(module)} has mutation protection ENABLED and is not removed; "
                    "give mutation_protection: DISABLED with state: absent to disable the protection and remove it"
                )
            )
        if not module.check_mode:
            client.update_firewall_rule_group_association(FirewallRuleGroupAssociationId=existing["Id"], MutationProtection="DISABLED", aws_retry=True)
            wait_complete(module, client, existing["Id"])
    if not module.check_mode:
        client.disassociate_firewall_rule_group(FirewallRuleGroupAssociationId=existing["Id"], aws_retry=True)
        if module.params["wait"]:
            wait_gone(module, client, existing["Id"])
    return True, before


def ensure_present(module, client, group, existing, others):
    p = module.params
    for other in others:
        if other.get("Priority") == p["priority"] and other.get("Status") != "DELETING":
            holder = f"association {other.get('Name')!r} (rule group {other.get('FirewallRuleGroupId')})"
            module.fail_json(msg=f"priority {p['priority']} is already used on {p['vpc_id']} by {holder}")
    if existing is not None and existing.get("Status") == "DELETING":
        if module.check_mode:
            existing = None
        elif not p["wait"]:
            module.fail_json(msg=f"{what(module)} is being removed; run again when it is gone, or set wait: true")
        else:
            existing = wait_gone(module, client, existing["Id"])

    if existing is None:
        request = {
            "FirewallRuleGroupId": group["Id"],
            "VpcId": p["vpc_id"],
            "Priority": p["priority"],
            "Name": p["name"] or group["Name"],
        }
        if p["mutation_protection"]:
            request["MutationProtection"] = p["mutation_protection"]
        tags = dict(p["tags"]) if p["tags"] is not None else None
        if module.check_mode:
            planned = dict(request, Status="COMPLETE", MutationProtection=p["mutation_protection"] or "DISABLED")
            return True, {}, planned, tags
        if p["tags"]:
            request["Tags"] = boto3_tags(p["tags"])
        created = client.associate_firewall_rule_group(CreatorRequestId=idempotency_token(), aws_retry=True, **request)["FirewallRuleGroupAssociation"]
        after = wait_complete(module, client, created["Id"]) if p["wait"] else created
        return True, {}, after, tags

    changes = {}
    if existing.get("Priority") != p["priority"]:
        changes["Priority"] = p["priority"]
    if p["name"] is not None and existing.get("Name") != p["name"]:
        changes["Name"] = p["name"]
    if p["mutation_protection"] is not None and existing.get("MutationProtection") != p["mutation_protection"]:
        changes["MutationProtection"] = p["mutation_protection"]
    tags_before = get_tags(client, existing["Arn"]) if p["tags"] is not None else None
    tags_change = False
    if p["tags"] is not None:
        tags_change = update_tags(client, existing["Arn"], tags_before, p["tags"], p["purge_tags"], module.check_mode)
    tags_after = merged_tags(tags_before, p["tags"], p["purge_tags"]) if p["tags"] is not None else None
    after = existing
    if changes:
        if module.check_mode:
            after = dict(existing, **changes)
        else:
            if existing.get("Status") in CHANGING and p["wait"]:
                wait_complete(module, client, existing["Id"])
            after = client.update_firewall_rule_group_association(FirewallRuleGroupAssociationId=existing["Id"], aws_retry=True, **changes)[
                "FirewallRuleGroupAssociation"
            ]
            if p["wait"]:
                after = wait_complete(module, client, existing["Id"])
    elif existing.get("Status") in CHANGING and p["wait"] and not module.check_mode:
        # nothing to change, but an earlier change (wait: false) may still be in progress
        after = wait_complete(module, client, existing["Id"])
    return bool(changes) or tags_change, diff_view(existing, tags_before), after, tags_after


def main():
    argument_spec = dict(
        vpc_id=dict(type="str", required=True),
        firewall_rule_group=dict(type="str", required=True, aliases=["rule_group"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        priority=dict(type="int"),
        name=dict(type="str"),
        mutation_protection=dict(type="str", choices=["ENABLED", "DISABLED"]),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True, required_if=[("state", "present", ["priority"])])
    validate(module)
    p = module.params

    client = retrying_client(module, "route53resolver")
    try:
        try:
            group = find_rule_group(client, p["firewall_rule_group"])
        except ValueError as e:
            module.fail_json(msg=f"firewall_rule_group: {e}")
        if group is None:
            if p["state"] == "absent":
                module.exit_json(changed=False, firewall_rule_group_association={}, diff=diff_of({}, {}))
            module.fail_json(msg=f"firewall_rule_group {p['firewall_rule_group']!r} matches no rule group")
        on_vpc = paginate(client, "list_firewall_rule_group_associations", "FirewallRuleGroupAssociations", VpcId=p["vpc_id"])
        mine = [a for a in on_vpc if a.get("FirewallRuleGroupId") == group["Id"]]
        existing = mine[0] if mine else None
        if p["state"] == "absent":
            changed, before = ensure_absent(module, client, existing)
            module.exit_json(changed=changed, firewall_rule_group_association={}, diff=diff_of(before, {}))
        others = [a for a in on_vpc if a.get("FirewallRuleGroupId") != group["Id"]]
        changed, before, after, tags = ensure_present(module, client, group, existing, others)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage {what(module)}")

    module.exit_json(changed=changed, firewall_rule_group_association=view(after, tags), diff=diff_of(before, diff_view(after, tags)))


if __name__ == "__main__":
    main()
