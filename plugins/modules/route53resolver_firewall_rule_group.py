#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: route53resolver_firewall_rule_group
short_description: Manage a Route 53 Resolver DNS Firewall rule group and its rules
version_added: 0.1.0
description:
  - Creates, updates or deletes one DNS Firewall rule group, identified by its O(name),
    together with its ordered rules, in one task.
  - Each rule applies an action (C(BLOCK), C(ALLOW) or C(ALERT)) to the domains of one domain
    list, given by name or ID. Names of AWS managed lists (for example
    C(AWSManagedDomainsMalwareDomainList)) resolve too.
  - AWS identifies a rule within its group by its domain list (and query type, O(rules[].qtype)).
    A rule whose other settings differ is updated in place; a rule whose domain list or query
    type changes is deleted and created again. Rules that are not in O(rules) are deleted
    unless O(purge_rules=false).
  - Changes are made in an order that never puts two rules on one priority. First deletions,
    then updates (moving a rule to a free priority first where rules swap priorities), then creations.
  - Input is checked before any API call (names, duplicate priorities, block responses);
    domain list names are resolved before any change is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description:
      - Name of the rule group. Names identify rule groups for this module, so keep them unique.
      - 1 to 64 letters, digits, spaces, hyphens or underscores.
    type: str
    required: true
  state:
    description:
      - Whether the rule group should exist.
      - C(absent) deletes the rules and then the group. It fails, changing nothing, while the
        group is still associated with a VPC.
    type: str
    choices: [present, absent]
    default: present
  rules:
    description:
      - The rules of the group. Omit to leave the rules alone; C([]) with O(purge_rules=true) removes them all.
      - Priorities must be unique within the group; DNS Firewall evaluates the lowest first.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the rule (same rules as the group's name).
        type: str
        required: true
      priority:
        description: Processing order within the group, lowest first. Unique within the group.
        type: int
        required: true
      action:
        description: What to do with a query for a domain of the list.
        type: str
        required: true
        choices: [ALLOW, BLOCK, ALERT]
      firewall_domain_list:
        description:
          - The domain list the rule applies to, by ID (C(rslvr-fdl-...)) or by name.
          - Names of custom lists and of AWS managed lists are both looked up.
        type: str
        required: true
        aliases: [domain_list]
      block_response:
        description:
          - How to answer a blocked query; only for O(rules[].action=BLOCK), where it defaults to C(NODATA).
          - C(OVERRIDE) answers with O(rules[].block_override_domain) and needs O(rules[].block_override_ttl).
        type: str
        choices: [NODATA, NXDOMAIN, OVERRIDE]
      block_override_domain:
        description: The domain to answer with (a CNAME target), only with O(rules[].block_response=OVERRIDE).
        type: str
      block_override_ttl:
        description: TTL in seconds (0 to 604800) of the override answer, only with O(rules[].block_response=OVERRIDE).
        type: int
      block_override_dns_type:
        description: Record type of the override answer, only with O(rules[].block_response=OVERRIDE). Defaults to C(CNAME) there.
        type: str
        choices: [CNAME]
      firewall_domain_redirection_action:
        description:
          - Whether the rule inspects every domain of a CNAME/DNAME redirection chain
            (C(INSPECT_REDIRECTION_DOMAIN), the AWS default) or trusts the redirection targets
            (C(TRUST_REDIRECTION_DOMAIN)).
          - Not compared when omitted.
        type: str
        choices: [INSPECT_REDIRECTION_DOMAIN, TRUST_REDIRECTION_DOMAIN]
      qtype:
        description:
          - Apply the rule only to queries of this DNS type, for example C(A), C(AAAA), C(MX), C(TXT),
            or C(TYPE<number>) with a number from 1 to 65534. Omit for all query types.
          - Together with the domain list it identifies the rule.
        type: str
  purge_rules:
    description: Delete the rules of the group that are not in O(rules).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Creates (the group and each rule) are sent with a creator request ID, so a retried request never creates two.
  - Tags are read (and returned) only when O(tags) is set.
  - A rule that is deleted and created again (its domain list or query type changed) is
    absent for the moment between the two calls.
  - Domain lists named in O(rules) must exist when the task runs, also in check mode.
seealso:
  - module: healthplatform.aws.route53resolver_firewall_rule_group_info
  - module: healthplatform.aws.route53resolver_firewall_domain_list
  - module: healthplatform.aws.route53resolver_firewall_rule_group_association
"""

EXAMPLES = r"""
- name: Block known-bad domains, answer an own sinkhole for the custom deny list
  healthplatform.aws.route53resolver_firewall_rule_group:
    name: healthplatform-prod-dns-firewall
    rules:
      - name: allow-platform-dependencies
        priority: 100
        action: ALLOW
        firewall_domain_list: healthplatform-prod-allow
      - name: block-malware
        priority: 200
        action: BLOCK
        block_response: NXDOMAIN
        firewall_domain_list: AWSManagedDomainsMalwareDomainList
      - name: block-botnet-c2
        priority: 300
        action: BLOCK
        firewall_domain_list: AWSManagedDomainsBotnetCommandandControl
      - name: block-custom-deny
        priority: 400
        action: BLOCK
        block_response: OVERRIDE
        block_override_domain: sinkhole.healthplatform.example
        block_override_ttl: 300
        firewall_domain_list: healthplatform-prod-deny
      - name: alert-aggregate-threats
        priority: 500
        action: ALERT
        firewall_domain_list: AWSManagedDomainsAggregateThreatList
    tags:
      Environment: prod

- name: Remove the rule group (after its VPC associations are gone)
  healthplatform.aws.route53resolver_firewall_rule_group:
    name: healthplatform-test-dns-firewall
    state: absent
"""

RETURN = r"""
firewall_rule_group:
  description: The rule group as AWS describes it, with its rules (empty when O(state=absent)). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    id:
      description: ID of the rule group (absent in check mode before creation).
      type: str
      sample: rslvr-frg-0123456789abcdef
    arn:
      description: ARN of the rule group.
      type: str
      sample: arn:aws:route53resolver:eu-west-1:123456789012:firewall-rule-group/rslvr-frg-0123456789abcdef
    name:
      description: Name of the rule group.
      type: str
      sample: healthplatform-prod-dns-firewall
    rule_count:
      description: Number of rules.
      type: int
      sample: 5
    status:
      description: Status of the rule group.
      type: str
      sample: COMPLETE
    rules:
      description: The rules, sorted by priority, as ListFirewallRules describes them.
      type: list
      elements: dict
      sample:
        - name: block-malware
          priority: 200
          action: BLOCK
          block_response: NXDOMAIN
          firewall_domain_list_id: rslvr-fdl-0123456789abcdef
          firewall_domain_list_name: AWSManagedDomainsMalwareDomainList
    tags:
      description: Tags of the rule group.
      type: dict
      returned: when O(tags) is set
      sample: {"Environment": "prod"}
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import boto3_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import check_name
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import domain_problem
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import get_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import normalize_domain
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import resolve_domain_lists
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import snake
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import update_tags

QTYPE = re.compile(r"^(A|AAAA|CAA|CNAME|DS|MX|NAPTR|NS|PTR|SOA|SPF|SRV|TXT|TYPE([1-9][0-9]{0,4}))$")
MAX_OVERRIDE_TTL = 604800
OVERRIDE_FIELDS = ("block_override_domain", "block_override_ttl", "block_override_dns_type")


# --- input ----------------------------------------------------------------------


def validate(module):
    """Check what argument_spec cannot, before any API call."""
    p = module.params
    check_name(module, "name", p["name"])
    if p["state"] == "absent" or p["rules"] is None:
        return
    by_priority = {}
    by_target = {}
    for index, rule in enumerate(p["rules"]):
        where = f"rules[{index}] ({rule['name']!r})"
        check_name(module, f"rules[{index}].name", rule["name"])
        by_priority.setdefault(rule["priority"], []).append(rule["name"])
        if rule["qtype"] is not None:
            rule["qtype"] = rule["qtype"].strip().upper()
            match = QTYPE.match(rule["qtype"])
            if not match or (match.group(2) and not 1 <= int(match.group(2)) <= 65534):
                module.fail_json(msg=f"{where}: qtype {rule['qtype']!r} is not a DNS query type such as A, AAAA, MX, TXT or TYPE28 (TYPE1 to TYPE65534)")
        by_target.setdefault((rule["firewall_domain_list"], rule["qtype"]), []).append(rule["name"])
        if rule["action"] != "BLOCK":
            if rule["block_response"] is not None:
                module.fail_json(msg=f"{where}: block_response applies only to action BLOCK, this rule's action is {rule['action']}")
        elif rule["block_response"] is None:
            rule["block_response"] = "NODATA"
        given_override = [f for f in OVERRIDE_FIELDS if rule[f] is not None]
        if rule["block_response"] == "OVERRIDE":
            missing = [f for f in ("block_override_domain", "block_override_ttl") if rule[f] is None]
            if missing:
                module.fail_json(msg=f"{where}: block_response OVERRIDE requires {' and '.join(missing)}")
            problem = domain_problem(rule["block_override_domain"], wildcard=False)
            if problem:
                module.fail_json(msg=f"{where}: block_override_domain {rule['block_override_domain']!r} is not a valid domain name: {problem}")
            if not 0 <= rule["block_override_ttl"] <= MAX_OVERRIDE_TTL:
                module.fail_json(msg=f"{where}: block_override_ttl must be between 0 and {MAX_OVERRIDE_TTL} seconds, got {rule['block_override_ttl']}")
            if rule["block_override_dns_type"] is None:
                rule["block_override_dns_type"] = "CNAME"
        elif given_override:
            module.fail_json(msg=f"{where}: {', '.join(given_override)} apply only to block_response OVERRIDE")
    for priority, names in sorted(by_priority.items()):
        if len(names) > 1:
            module.fail_json(msg=f"rules: priority {priority} is used by more than one rule ({', '.join(names)}); priorities must be unique")
    for (domain_list, qtype), names in by_target.items():
        if len(names) > 1:
            what = f"domain list {domain_list!r}" + (f" and qtype {qtype}" if qtype else "")
            module.fail_json(msg=f"rules: {what} is used by more than one rule ({', '.join(names)}); AWS allows one rule per domain list and query type")


def resolve(module, client):
    """Map each rule's firewall_domain_list to a domain list ID; fail (before any change) on unknown names."""
    rules = module.params["rules"]
    refs = sorted({r["firewall_domain_list"] for r in rules})
    if not refs:
        return {}, {}
    resolved, unknown, ambiguous = resolve_domain_lists(client, refs)
    for index, rule in enumerate(rules):
        ref = rule["firewall_domain_list"]
        if ref in unknown:
            module.fail_json(msg=f"rules[{index}].firewall_domain_list {ref!r} (rule {rule['name']!r}) matches no domain list, custom or AWS managed")
        if ref in ambiguous:
            module.fail_json(msg=f"rules[{index}].firewall_domain_list {ref!r} (rule {rule['name']!r}) matches more than one domain list; give the ID")
    seen = {}
    for rule in rules:
        target = (resolved[rule["firewall_domain_list"]]["Id"], rule["qtype"])
        if target in seen:
            module.fail_json(msg=f"rules: rules {seen[target]!r} and {rule['name']!r} use the same domain list and query type; AWS allows one rule per pair")
        seen[target] = rule["name"]
    names = {d["Id"]: d.get("Name") for d in resolved.values()}
    return {ref: d["Id"] for ref, d in resolved.items()}, names


def desired_rules(module, list_ids):
    """The rules as API fields, keyed like existing rules."""
    wanted = {}
    for rule in module.params["rules"]:
        fields = {
            "Name": rule["name"],
            "Priority": rule["priority"],
            "Action": rule["action"],
            "FirewallDomainListId": list_ids[rule["firewall_domain_list"]],
        }
        if rule["block_response"] is not None:
            fields["BlockResponse"] = rule["block_response"]
        if rule["block_response"] == "OVERRIDE":
            fields["BlockOverrideDomain"] = rule["block_override_domain"]
            fields["BlockOverrideTtl"] = rule["block_override_ttl"]
            fields["BlockOverrideDnsType"] = rule["block_override_dns_type"]
        if rule["firewall_domain_redirection_action"] is not None:
            fields["FirewallDomainRedirectionAction"] = rule["firewall_domain_redirection_action"]
        if rule["qtype"] is not None:
            fields["Qtype"] = rule["qtype"]
        wanted[rule_key(fields)] = fields
    return wanted


# --- comparing ---------------------------------------------------------------------


def rule_key(rule):
    """How AWS identifies a rule within its group: domain list (or threat protection) and query type."""
    qtype = (rule.get("Qtype") or "").upper() or None
    if rule.get("FirewallDomainListId"):
        return ("list", rule["FirewallDomainListId"], qtype)
    return ("threat", rule.get("FirewallThreatProtectionId"), qtype)


def rule_differs(current, wanted):
    for key in ("Name", "Priority", "Action"):
        if current.get(key) != wanted[key]:
            return True
    if wanted["Action"] == "BLOCK":
        if current.get("BlockResponse") != wanted["BlockResponse"]:
            return True
        if wanted["BlockResponse"] == "OVERRIDE":
            if normalize_domain(current.get("BlockOverrideDomain") or "") != normalize_domain(wanted["BlockOverrideDomain"]):
                return True
            if current.get("BlockOverrideTtl") != wanted["BlockOverrideTtl"] or current.get("BlockOverrideDnsType") != wanted["BlockOverrideDnsType"]:
                return True
    redirection = wanted.get("FirewallDomainRedirectionAction")
    return redirection is not None and (current.get("FirewallDomainRedirectionAction") or "INSPECT_REDIRECTION_DOMAIN") != redirection


def rule_identity(rule):
    """The request fields that name an existing rule."""
    identity = {}
    if rule.get("FirewallDomainListId"):
        identity["FirewallDomainListId"] = rule["FirewallDomainListId"]
    else:
        identity["FirewallThreatProtectionId"] = rule["FirewallThreatProtectionId"]
    if rule.get("Qtype"):
        identity["Qtype"] = rule["Qtype"]
    return identity


def plan(module, existing_rules, wanted):
    """Return (deletes, update steps, creates) that turn existing_rules into wanted."""
    purge = module.params["purge_rules"]
    current = {rule_key(r): r for r in existing_rules}
    deletes = [r for k, r in current.items() if k not in wanted] if purge else []
    kept = {k: r for k, r in current.items() if k not in wanted and not purge}
    for fields in wanted.values():
        for other in kept.values():
            if other.get("Priority") == fields["Priority"]:
                module.fail_json(
                    msg=(
                        f"rules: priority {fields['Priority']} of rule {fields['Name']!r} is held by rule {other.get('Name')!r}, "
                        "which is not in rules and stays because purge_rules is false"
                    )
                )
    updates = [(current[k], w) for k, w in wanted.items() if k in current and rule_differs(current[k], w)]
    creates = [w for k, w in wanted.items() if k not in current]
    remaining = [r for k, r in current.items() if k in wanted or k in kept]
    all_priorities = [r.get("Priority", 0) for r in existing_rules] + [w["Priority"] for w in wanted.values()]
    return deletes, order_updates(updates, remaining, max(all_priorities, default=0) + 1), creates


def order_updates(updates, remaining, free_priority):
    """Order updates so that no rule is moved onto a priority another rule still holds.

    Returns a list of (existing rule, fields to send). Where rules swap priorities,
    one of them first moves to a free priority (a step with only ``Priority``).
    """
    position = {rule_key(r): r.get("Priority") for r in remaining}
    occupied = {p: k for k, p in position.items()}
    pending = list(updates)
    steps = []
    while pending:
        progressed = False
        for item in list(pending):
            rule, fields = item
            key = rule_key(rule)
            if occupied.get(fields["Priority"]) in (None, key):
                occupied.pop(position[key], None)
                occupied[fields["Priority"]] = key
                position[key] = fields["Priority"]
                steps.append(item)
                pending.remove(item)
                progressed = True
        if not progressed:
            rule, _fields = pending[0]
            key = rule_key(rule)
            occupied.pop(position[key], None)
            occupied[free_priority] = key
            position[key] = free_priority
            steps.append((rule, {"Priority": free_priority}))
            free_priority += 1
    return steps


# --- AWS ------------------------------------------------------------------------------


def find_group(module, client, name):
    groups = [
        g for g in paginate(client, "list_firewall_rule_groups", "FirewallRuleGroups") if g.get("Name") == name and g.get("ShareStatus") != "SHARED_WITH_ME"
    ]
    if len(groups) > 1:
        module.fail_json(msg=f"name {name!r} matches {len(groups)} rule groups ({', '.join(g['Id'] for g in groups)}); rename all but one")
    if not groups:
        return None
    return client.get_firewall_rule_group(FirewallRuleGroupId=groups[0]["Id"], aws_retry=True)["FirewallRuleGroup"]


def list_rules(client, group_id):
    return paginate(client, "list_firewall_rules", "FirewallRules", FirewallRuleGroupId=group_id)


def apply(client, group_id, deletes, steps, creates):
    for rule in deletes:
        client.delete_firewall_rule(FirewallRuleGroupId=group_id, aws_retry=True, **rule_identity(rule))
    for rule, fields in steps:
        request = dict(fields)
        request.update(rule_identity(rule))
        client.update_firewall_rule(FirewallRuleGroupId=group_id, aws_retry=True, **request)
    for fields in creates:
        client.create_firewall_rule(FirewallRuleGroupId=group_id, CreatorRequestId=idempotency_token(), aws_retry=True, **fields)


def predicted_rules(existing_rules, deletes, steps, creates):
    """The rules after the plan (check mode)."""
    gone = {rule_key(r) for r in deletes}
    after = {rule_key(r): dict(r) for r in existing_rules if rule_key(r) not in gone}
    for rule, fields in steps:
        after[rule_key(rule)].update(fields)
    for fields in creates:
        after[rule_key(fields)] = dict(fields)
    return list(after.values())


# --- views ------------------------------------------------------------------------------


def rules_view(rules, list_names):
    result = []
    for rule in sorted(rules, key=lambda r: (r.get("Priority", 0), r.get("Name", ""))):
        item = snake(rule)
        if rule.get("FirewallDomainListId") in list_names:
            item["firewall_domain_list_name"] = list_names[rule["FirewallDomainListId"]]
        result.append(item)
    return result


def group_view(group, rules, list_names, tags):
    if not group:
        return {}
    result = snake(group)
    result["rules"] = rules_view(rules, list_names)
    if tags is not None:
        result["tags"] = tags
    return result


def diff_view(group, rules, list_names, tags):
    if not group:
        return {}
    result = {"name": group.get("Name"), "rules": []}
    for rule in rules_view(rules, list_names):
        item = {k: v for k, v in rule.items() if k not in ("creation_time", "modification_time", "creator_request_id", "firewall_rule_group_id")}
        result["rules"].append(item)
    if tags is not None:
        result["tags"] = tags
    return result


# --- states ------------------------------------------------------------------------------


def ensure_absent(module, client, existing):
    if existing is None:
        return False, {}
    group_id = existing["Id"]
    associations = paginate(client, "list_firewall_rule_group_associations", "FirewallRuleGroupAssociations", FirewallRuleGroupId=group_id)
    if associations:
        vpcs = ", ".join(f"{a.get('VpcId')} ({a.get('Status')})" for a in associations)
        module.fail_json(
            msg=(
                f"rule group {module.params['name']!r} is still associated with {vpcs}; remove the associations first "
                "(healthplatform.aws.route53resolver_firewall_rule_group_association with state: absent)"
            )
        )
    rules = list_rules(client, group_id)
    before = diff_view(existing, rules, {}, None)
    if not module.check_mode:
        for rule in rules:
            client.delete_firewall_rule(FirewallRuleGroupId=group_id, aws_retry=True, **rule_identity(rule))
        client.delete_firewall_rule_group(FirewallRuleGroupId=group_id, aws_retry=True)
    return True, before


def ensure_present(module, client, existing, wanted, list_names):
    p = module.params
    if existing is None:
        tags = dict(p["tags"]) if p["tags"] is not None else None
        creates = list((wanted or {}).values())
        planned = {"Name": p["name"], "RuleCount": len(creates), "Status": "COMPLETE"}
        if module.check_mode:
            return True, {}, group_view(planned, creates, list_names, tags), diff_view(planned, creates, list_names, tags)
        request = {"Name": p["name"], "CreatorRequestId": idempotency_token()}
        if p["tags"]:
            request["Tags"] = boto3_tags(p["tags"])
        group = client.create_firewall_rule_group(aws_retry=True, **request)["FirewallRuleGroup"]
        apply(client, group["Id"], [], [], creates)
        after = client.get_firewall_rule_group(FirewallRuleGroupId=group["Id"], aws_retry=True)["FirewallRuleGroup"]
        rules = list_rules(client, group["Id"]) if creates else []
        return True, {}, group_view(after, rules, list_names, tags), diff_view(after, rules, list_names, tags)

    group_id = existing["Id"]
    existing_rules = list_rules(client, group_id)
    tags_before = get_tags(client, existing["Arn"]) if p["tags"] is not None else None
    deletes, steps, creates = plan(module, existing_rules, wanted) if wanted is not None else ([], [], [])
    rules_change = bool(deletes or steps or creates)
    tags_change = False
    if p["tags"] is not None:
        tags_change = update_tags(client, existing["Arn"], tags_before, p["tags"], p["purge_tags"], module.check_mode)
    tags_after = merged_tags(tags_before, p["tags"], p["purge_tags"]) if p["tags"] is not None else None
    after, rules_after = existing, existing_rules
    if rules_change:
        if module.check_mode:
            rules_after = predicted_rules(existing_rules, deletes, steps, creates)
            after = dict(existing, RuleCount=len(rules_after))
        else:
            apply(client, group_id, deletes, steps, creates)
            after = client.get_firewall_rule_group(FirewallRuleGroupId=group_id, aws_retry=True)["FirewallRuleGroup"]
            rules_after = list_rules(client, group_id)
    return (
        rules_change or tags_change,
        diff_view(existing, existing_rules, list_names, tags_before),
        group_view(after, rules_after, list_names, tags_after),
        diff_view(after, rules_after, list_names, tags_after),
    )


def main():
    rule_options = dict(
        name=dict(type="str", required=True),
        priority=dict(type="int", required=True),
        action=dict(type="str", required=True, choices=["ALLOW", "BLOCK", "ALERT"]),
        firewall_domain_list=dict(type="str", required=True, aliases=["domain_list"]),
        block_response=dict(type="str", choices=["NODATA", "NXDOMAIN", "OVERRIDE"]),
        block_override_domain=dict(type="str"),
        block_override_ttl=dict(type="int"),
        block_override_dns_type=dict(type="str", choices=["CNAME"]),
        firewall_domain_redirection_action=dict(type="str", choices=["INSPECT_REDIRECTION_DOMAIN", "TRUST_REDIRECTION_DOMAIN"]),
        qtype=dict(type="str"),
    )
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        rules=dict(type="list", elements="dict", options=rule_options),
        purge_rules=dict(type="bool", default=True),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = retrying_client(module, "route53resolver")
    try:
        wanted, list_names = None, {}
        if module.params["state"] == "present" and module.params["rules"] is not None:
            list_ids, list_names = resolve(module, client)
            wanted = desired_rules(module, list_ids)
        existing = find_group(module, client, module.params["name"])
        if module.params["state"] == "absent":
            changed, before = ensure_absent(module, client, existing)
            module.exit_json(changed=changed, firewall_rule_group={}, diff=diff_of(before, {}))
        changed, before, after, after_diff = ensure_present(module, client, existing, wanted, list_names)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the DNS Firewall rule group {module.params['name']}")

    module.exit_json(changed=changed, firewall_rule_group=after, diff=diff_of(before, after_diff))


if __name__ == "__main__":
    main()
