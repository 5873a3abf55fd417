# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
name: wafv2_rules
short_description: Web ACL rules from a short list of managed rule groups and a rate limit
version_added: 0.1.0
description:
  - Turns a short description of a web ACL - the managed rule groups with their priorities,
    rule exclusions and rule action overrides, and a rate-based rule per client IP - into the
    O(healthplatform.aws.wafv2_web_acl#module:rules) of M(healthplatform.aws.wafv2_web_acl) (the
    same form as M(community.aws.wafv2_web_acl) takes), each rule with CloudWatch metrics and
    sampled requests on, sorted by priority.
  - An excluded rule of a managed group is counted instead of enforced (a C(count) rule action
    override, which is what an exclusion is in WAFv2); overrides give any action.
  - Checks the input first and fails naming the variable (a priority used twice, an unknown
    action, a rule both excluded and overridden, a required group missing, a rate limit out
    of range). With O(errors_only=true) it returns the problems as a list instead, for an assert.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  _input:
    description:
      - The managed rule groups, each a dict with C(name) (for example C(AWSManagedRulesCommonRuleSet)),
        C(priority), and optionally C(vendor) (default C(AWS)), C(version), C(excluded_rules)
        (rule names), C(rule_action_overrides) (rule name to C(allow), C(block), C(count),
        C(captcha) or C(challenge)) and C(override_action) (C(none), the default, or C(count)
        to only count the whole group).
    type: list
    elements: dict
    required: true
  metric_prefix:
    description: Prefix of the CloudWatch metric names.
    type: str
    required: true
  rate_limit:
    description: Requests per client IP in 5 minutes above which the rate rule acts; 0 for no rate rule.
    type: int
    default: 0
  rate_limit_priority:
    description: Priority of the rate rule.
    type: int
    default: 100
  rate_limit_action:
    description: What the rate rule does.
    type: str
    default: block
  required:
    description: Names of managed rule groups that must be present.
    type: list
    elements: str
    default: []
  variable:
    description: Name of the variable the groups came from, used in the messages.
    type: str
    default: edge_waf_managed_rule_groups
  errors_only:
    description: Return the list of problems (empty when sound) instead of the rules.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: The platform web ACL
  healthplatform.aws.wafv2_web_acl:
    name: healthplatform-prod
    scope: REGIONAL
    default_action: Allow
    sampled_requests: true
    cloudwatch_metrics: true
    metric_name: healthplatform-prod
    rules: >-
      {{ edge_waf_managed_rule_groups | healthplatform.aws.wafv2_rules(metric_prefix='healthplatform-prod',
           rate_limit=2000, rate_limit_priority=100) }}
    purge_rules: true
"""

RETURN = r"""
_value:
  description: The rules (or, with O(errors_only=true), the problems found).
  type: list
  elements: raw
"""

import re

from ansible.errors import AnsibleFilterError

ACTIONS = ("allow", "block", "count", "captcha", "challenge")
METRIC_UNSAFE = re.compile(r"[^\w#:.\-/]")


def _metric(prefix, name):
    return METRIC_UNSAFE.sub("-", f"{prefix}-{name}")[:128]


def _problems(groups, rate_limit, rate_limit_priority, rate_limit_action, required, variable):
    errors = []
    if not isinstance(groups, list):
        return [f"{variable} must be a list of managed rule groups"]
    priorities = {}
    for index, group in enumerate(groups):
        where = f"{variable}[{index}]"
        if not isinstance(group, dict) or not group.get("name"):
            errors.append(f"{where} needs a name (the managed rule group, e.g. AWSManagedRulesCommonRuleSet)")
            continue
        try:
            priority = int(group.get("priority"))
        except (TypeError, ValueError):
            errors.append(f"{where} ({group['name']}): priority {group.get('priority')!r} is not an integer")
            continue
        priorities.setdefault(priority, []).append(group["name"])
        overrides = group.get("rule_action_overrides") or {}
        if not isinstance(overrides, dict):
            errors.append(f"{where}.rule_action_overrides must map rule names to an action ({', '.join(ACTIONS)})")
            overrides = {}
        for rule, action in overrides.items():
            if str(action).lower() not in ACTIONS:
                errors.append(f"{where}.rule_action_overrides.{rule}: {action!r} is not one of {', '.join(ACTIONS)}")
        excluded = group.get("excluded_rules") or []
        if not isinstance(excluded, list):
            errors.append(f"{where}.excluded_rules must be a list of rule names")
            excluded = []
        for rule in excluded:
            if rule in overrides:
                errors.append(f"{where}: rule {rule} is both excluded and overridden; give it once")
        if group.get("override_action", "none") not in ("none", "count"):
            errors.append(f"{where}.override_action must be none or count")
    if rate_limit:
        priorities.setdefault(int(rate_limit_priority), []).append("rate limit (edge_waf_rate_limit_priority)")
        if not 10 <= int(rate_limit) <= 2000000000:
            errors.append(f"edge_waf_rate_limit {rate_limit} is outside 10-2000000000 requests per 5 minutes")
        if str(rate_limit_action).lower() not in ("block", "count", "captcha", "challenge"):
            errors.append(f"edge_waf_rate_limit_action {rate_limit_action!r} is not one of block, count, captcha, challenge")
    for priority, owners in sorted(priorities.items()):
        if len(owners) > 1:
            errors.append(f"{variable}: priority {priority} is used twice in the web ACL ({', '.join(owners)}); each rule needs its own")
    names = [g.get("name") for g in groups if isinstance(g, dict)]
    missing = [r for r in required if r not in names]
    if missing:
        errors.append(f"{variable} must include {', '.join(missing)} (control HP-16)")
    return errors


def wafv2_rules(
    groups,
    metric_prefix,
    rate_limit=0,
    rate_limit_priority=100,
    rate_limit_action="block",
    required=None,
    variable="edge_waf_managed_rule_groups",
    errors_only=False,
):
    errors = _problems(groups, rate_limit, rate_limit_priority, rate_limit_action, required or [], variable)
    if errors_only:
        return errors
    if errors:
        raise AnsibleFilterError("; ".join(errors))
    rules = []
    for group in groups:
        statement = {"vendor_name": group.get("vendor", "AWS"), "name": group["name"]}
        if group.get("version"):
            statement["version"] = group["version"]
        overrides = [{"name": rule, "action_to_use": {"count": {}}} for rule in group.get("excluded_rules") or []]
        overrides += [{"name": rule, "action_to_use": {str(action).lower(): {}}} for rule, action in (group.get("rule_action_overrides") or {}).items()]
        if overrides:
            statement["rule_action_overrides"] = sorted(overrides, key=lambda o: o["name"])
        rules.append(
            {
                "name": group["name"],
                "priority": int(group["priority"]),
                "override_action": {group.get("override_action", "none"): {}},
                "statement": {"managed_rule_group_statement": statement},
                "visibility_config": {
                    "sampled_requests_enabled": True,
                    "cloud_watch_metrics_enabled": True,
                    "metric_name": _metric(metric_prefix, group["name"]),
                },
            }
        )
    if rate_limit:
        rules.append(
            {
                "name": "rate-limit-per-client-ip",
                "priority": int(rate_limit_priority),
                "action": {str(rate_limit_action).lower(): {}},
                "statement": {"rate_based_statement": {"limit": int(rate_limit), "aggregate_key_type": "IP"}},
                "visibility_config": {
                    "sampled_requests_enabled": True,
                    "cloud_watch_metrics_enabled": True,
                    "metric_name": _metric(metric_prefix, "rate-limit"),
                },
            }
        )
    return sorted(rules, key=lambda r: r["priority"])


class FilterModule:
    def filters(self):
        return {"wafv2_rules": wafv2_rules}
