#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: wafv2_web_acl
short_description: Manage a WAFv2 web ACL with its rules, tags, logging and protected resources in one task
version_added: 0.1.0
description:
  - Creates, updates or deletes one WAFv2 web ACL - its default action, rules, visibility
    configuration, description, custom response bodies and tags - together with its logging
    configuration (O(logging)) and the regional resources it protects (O(associations)).
    What one M(community.aws.wafv2_web_acl), one M(healthplatform.aws.wafv2_logging_configuration)
    and one M(healthplatform.aws.wafv2_web_acl_association) task per resource do, in one task.
  - Rules are given in the API's shape with snake_case keys (as M(community.aws.wafv2_web_acl) takes
    them and the P(healthplatform.aws.wafv2_rules#filter) filter makes them), and are checked
    against the WAFv2 API model before any API call - an unknown key, a missing required key,
    a value that is not one of the API's names fails, naming the rule and the key.
  - Rules are compared by name and content, not by position; lists WAF treats as sets (rule
    action overrides, excluded rules, rule labels, text transformations by priority) in any
    order; the rate-based statement's default evaluation window (300 seconds) is the same as
    none. An unchanged web ACL is not updated.
  - An update sends the C(LockToken) of the web ACL as read in the same run; when another
    writer changed the web ACL in between (C(WAFOptimisticLockException)), it is read and
    compared again, and updated with the new token (three tries). The parts of the web ACL
    this module does not manage (CAPTCHA and challenge settings, token domains, the association
    and data protection settings, ...) are sent back as they are.
  - A just-created web ACL or resource that WAF does not yet know (C(WAFUnavailableEntityException))
    is retried with backoff.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Name of the web ACL (1-128 letters, digits, C(_) or C(-)); unique in its scope.
    type: str
    required: true
  scope:
    description:
      - C(REGIONAL) for load balancers, API Gateway stages and other regional resources; C(CLOUDFRONT)
        for CloudFront distributions (in C(us-east-1)), which name their web ACL in their own configuration.
    type: str
    choices: [REGIONAL, CLOUDFRONT]
    default: REGIONAL
  state:
    description:
      - Whether the web ACL should exist.
      - C(absent) first removes the web ACL from the resources of O(associations) and deletes its
        logging configuration. WAF refuses to delete a web ACL that still protects another resource.
    type: str
    choices: [present, absent]
    default: present
  description:
    description: Description of the web ACL. Not compared when omitted; an empty string removes it.
    type: str
  default_action:
    description: What happens to a request that no rule blocks or allows. Required with O(state=present).
    type: str
    choices: [Allow, Block]
  sampled_requests:
    description: Whether WAF keeps samples of the requests the web ACL's default action applies to.
    type: bool
    default: true
  cloudwatch_metrics:
    description: Whether WAF publishes CloudWatch metrics of the web ACL.
    type: bool
    default: true
  metric_name:
    description: Name of the web ACL's CloudWatch metrics; defaults to O(name).
    type: str
  rules:
    description:
      - The rules, each in the shape of the API's C(Rule) with snake_case keys (the API's own
        CamelCase keys are accepted too) - C(name), C(priority), C(statement), C(visibility_config),
        and C(action) (rules) or C(override_action) (rule groups); see
        U(https://docs.aws.amazon.com/waf/latest/APIReference/API_Rule.html).
      - Names and priorities must be unique.
      - Not compared when omitted (a new web ACL then has no rule).
    type: list
    elements: dict
  purge_rules:
    description:
      - Remove the rules of the web ACL that are not in O(rules) (matched by name).
      - With C(false), the web ACL's other rules are kept, and a priority that one of them uses
        fails before any change.
    type: bool
    default: true
  custom_response_bodies:
    description:
      - Response bodies that the rules' custom responses name, key to C(content_type)
        (C(TEXT_PLAIN), C(TEXT_HTML) or C(APPLICATION_JSON)) and C(content).
      - Not compared when omitted; C({}) removes them.
    type: dict
  logging:
    description:
      - Where the web ACL's request logs go, and which request parts are redacted.
      - Not compared when omitted.
    type: dict
    suboptions:
      enabled:
        description: Whether the web ACL logs; C(false) deletes its logging configuration.
        type: bool
        default: true
      destination:
        description:
          - ARN of a CloudWatch Logs log group (without C(:*)), S3 bucket or Firehose stream whose name
            starts with C(aws-waf-logs-). Required when O(logging.enabled=true).
        type: str
      redacted_fields:
        description:
          - Request parts replaced by C(REDACTED) in the logs (credentials and personal data should
            never reach a log), each item naming one part. An empty list (the default) redacts nothing.
        type: list
        elements: dict
        default: []
        suboptions:
          single_header:
            description: Name of a header, for example C(authorization) or C(cookie) (case-insensitive).
            type: str
          query_string:
            description: The query string.
            type: bool
          uri_path:
            description: The URI path.
            type: bool
          method:
            description: The HTTP method.
            type: bool
      logging_filter:
        description:
          - Which requests are logged, in the API's form (C(Filters), C(DefaultBehavior), see
            U(https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingFilter.html)).
          - Not compared when omitted; C({}) removes a filter (log every request).
        type: dict
  associations:
    description:
      - ARNs of the regional resources (application load balancers, API Gateway stages, AppSync APIs,
        Cognito user pools, ...) the web ACL protects. A resource that another web ACL protects is
        moved to this one.
      - Not compared when omitted. Only with O(scope=REGIONAL).
    type: list
    elements: str
  purge_associations:
    description:
      - Also remove the web ACL from the resources it protects that are not in O(associations)
        (one C(ListResourcesForWebACL) per kind of resource). Off by default, so that a task never
        leaves a resource unprotected that it does not name.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff). In check mode a web ACL that would be created has no ARN yet
    (RV(arn) is empty) and its logging and associations are reported as changes.
  - C(CreateWebACL) takes no idempotency token; the name is unique in its scope, so a retried create
    that had gone through answers C(WAFDuplicateItemException), and the module then compares
    and updates the web ACL it finds.
  - A no-change run reads the web ACL (C(ListWebACLs), C(GetWebACL)), its tags, its logging
    configuration and each listed resource's web ACL (C(GetWebACLForResource)), and writes nothing.
seealso:
  - module: community.aws.wafv2_web_acl
  - module: healthplatform.aws.wafv2_logging_configuration
  - module: healthplatform.aws.wafv2_web_acl_association
  - plugin: healthplatform.aws.wafv2_rules
    plugin_type: filter
"""

EXAMPLES = r"""
- name: The platform web ACL on the load balancer, logged without credentials
  healthplatform.aws.wafv2_web_acl:
    name: healthplatform-prod
    description: Protects the healthcare platform's load balancer
    default_action: Allow
    rules: >-
      {{ managed_rule_groups | healthplatform.aws.wafv2_rules(metric_prefix='healthplatform-prod',
           rate_limit=2000, rate_limit_priority=100) }}
    logging:
      destination: arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-healthplatform-prod
      redacted_fields:
        - single_header: authorization
        - single_header: cookie
    associations:
      - "{{ alb.load_balancer_arn }}"
    tags:
      Environment: prod
  register: web_acl

- name: A hand-written rule that blocks an IP set, with a custom response
  healthplatform.aws.wafv2_web_acl:
    name: healthplatform-admin
    default_action: Block
    rules:
      - name: office
        priority: 0
        action:
          allow: {}
        statement:
          ip_set_reference_statement:
            arn: arn:aws:wafv2:us-east-1:123456789012:regional/ipset/office/1c4bdfc4-0f77-3b23-5222-123123123123
        visibility_config:
          sampled_requests_enabled: true
          cloud_watch_metrics_enabled: true
          metric_name: healthplatform-admin-office
    custom_response_bodies:
      denied:
        content_type: TEXT_PLAIN
        content: Access denied

- name: Remove a web ACL from its load balancer, then delete it
  healthplatform.aws.wafv2_web_acl:
    name: healthplatform-old
    associations:
      - "{{ old_alb_arn }}"
    state: absent
"""

RETURN = r"""
arn:
  description: ARN of the web ACL (empty when it does not exist, or in check mode before it is created).
  returned: always
  type: str
  sample: arn:aws:wafv2:us-east-1:123456789012:regional/webacl/healthplatform-prod/0123abcd-0123-abcd-0123-0123456789ab
id:
  description: ID of the web ACL (empty when it does not exist, or in check mode before it is created).
  returned: always
  type: str
name:
  description: Name of the web ACL.
  returned: always
  type: str
web_acl:
  description:
    - The web ACL after the task (in check mode, what it would be), snake_case, without empty parts;
      empty with O(state=absent).
  returned: always
  type: dict
  contains:
    default_action:
      description: "The default action, for example C({\"allow\": {}})."
      type: dict
    description:
      description: The description.
      type: str
    rules:
      description: The rules, lowest priority first.
      type: list
      elements: dict
    visibility_config:
      description: Sampled requests, CloudWatch metrics and metric name of the web ACL.
      type: dict
    capacity:
      description: The web ACL capacity units the rules use (when read from WAF).
      type: int
    custom_response_bodies:
      description: The custom response bodies, key to C(content_type) and C(content).
      type: dict
tags:
  description: Tags of the web ACL after the task, when O(tags) is given.
  returned: when O(tags) is given and O(state=present)
  type: dict
logging_configuration:
  description: The logging configuration after the task, snake_case (empty when the web ACL does not log).
  returned: when O(logging) is given and O(state=present)
  type: dict
  contains:
    resource_arn:
      description: The web ACL.
      type: str
    log_destination_configs:
      description: The destination ARNs.
      type: list
      elements: str
    redacted_fields:
      description: The redacted request parts.
      type: list
      elements: dict
associations:
  description:
    - The resources the web ACL protects after the task, of those in O(associations) (all of them
      with O(purge_associations=true)).
  returned: when O(associations) is given and O(state=present)
  type: list
  elements: str
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.edge import WAF_RETRY_CODES
from ansible_collections.healthplatform.aws.plugins.module_utils.edge import edge_client
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import METRIC_NAME
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import WEB_ACL_NAME
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import canonical
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import carried_parts
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import comparable_logging
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import desired_logging
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import log_destination_error
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import protected_resources
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import protecting_web_acl
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import read_logging
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import redacted_field_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import resource_arn_error
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import switch_association
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import to_api
from ansible_collections.healthplatform.aws.plugins.module_utils.wafv2 import without_none

UPDATE_TRIES = 3


def error_code(e):
    return e.response.get("Error", {}).get("Code", "")


def validate(module, model):
    """Check the input (rules against the API model) before any API call; return the rules and response bodies in the API's form."""
    p = module.params
    errors = []
    if not WEB_ACL_NAME.match(p["name"]):
        errors.append(f"name must be 1-128 letters, digits, _ or -, got {p['name']!r}")
    metric_name = p["metric_name"] or p["name"]
    if not METRIC_NAME.match(metric_name):
        errors.append(f"metric_name must be 1-255 letters, digits or _#:.-/, got {metric_name!r}")
    if p["associations"] and p["scope"] != "REGIONAL":
        errors.append("associations: a CLOUDFRONT web ACL is named in the distribution's configuration; associations are for scope REGIONAL")
    for index, resource in enumerate(p["associations"] or []):
        problem = resource_arn_error(resource, f"associations[{index}]")
        if problem:
            errors.append(problem)
        elif resource in (p["associations"] or [])[:index]:
            errors.append(f"associations[{index}]: {resource} is listed twice")
    logging = p["logging"]
    if p["state"] == "present":
        if not p["default_action"]:
            errors.append("default_action is required when state is present")
        if logging and logging["enabled"]:
            if not logging["destination"]:
                errors.append("logging.destination is required when logging.enabled is true")
            elif log_destination_error(logging["destination"], "logging.destination"):
                errors.append(log_destination_error(logging["destination"], "logging.destination"))
            errors += redacted_field_errors(logging["redacted_fields"], "logging.redacted_fields")

    rules = None
    if p["rules"] is not None and p["state"] == "present":
        rules = [to_api(rule, model.shape_for("Rule"), f"rules[{index}]", errors) for index, rule in enumerate(p["rules"])]
        names, priorities = {}, {}
        for index, rule in enumerate(rules):
            if not isinstance(rule, dict) or "Name" not in rule or "Priority" not in rule:
                continue
            if rule["Name"] in names:
                errors.append(f"rules[{index}]: name {rule['Name']} is also the name of rules[{names[rule['Name']]}]")
            if rule["Priority"] in priorities:
                errors.append(f"rules[{index}] ({rule['Name']}): priority {rule['Priority']} is also the priority of rules[{priorities[rule['Priority']]}]")
            names.setdefault(rule["Name"], index)
            priorities.setdefault(rule["Priority"], index)
    bodies = None
    if p["custom_response_bodies"] is not None and p["state"] == "present":
        bodies = to_api(p["custom_response_bodies"], model.shape_for("CustomResponseBodies"), "custom_response_bodies", errors)
    if errors:
        module.fail_json(msg="; ".join(errors))
    return rules, bodies


# ---- reads ------------------------------------------------------------------------------------


def find_web_acl(client, name, scope):
    """The ListWebACLs summary of the web ACL named ``name``, or None."""
    request = {"Scope": scope, "Limit": 100}
    while True:
        response = client.list_web_acls(aws_retry=True, **request)
        page = response.get("WebACLs") or []
        for summary in page:
            if summary["Name"] == name:
                return summary
        if not page or not response.get("NextMarker"):
            return None
        request["NextMarker"] = response["NextMarker"]


def get_web_acl(client, summary, scope):
    """(the web ACL, its lock token)."""
    response = client.get_web_acl(Name=summary["Name"], Scope=scope, Id=summary["Id"], aws_retry=True)
    return response["WebACL"], response["LockToken"]


def read_tags(client, arn):
    tags, request = [], {"ResourceARN": arn}
    while True:
        response = client.list_tags_for_resource(aws_retry=True, **request)
        page = (response.get("TagInfoForResource") or {}).get("TagList") or []
        tags += page
        if not page or not response.get("NextMarker"):
            return boto3_tag_list_to_ansible_dict(tags)
        request["NextMarker"] = response["NextMarker"]


# ---- the web ACL ------------------------------------------------------------------------------


class WebACL:
    """The web ACL's managed parts: what is wanted, compared with what WAF has."""

    def __init__(self, module, model, rules, bodies):
        self.module, self.model = module, model
        self.params = module.params
        self.rules, self.bodies = rules, bodies

    def desired(self, current):
        """The managed parts as the API takes them; what is not given is taken from ``current`` (a web ACL or None)."""
        p = self.params
        current = current or {}
        rules = self.rules
        if rules is None:
            rules = without_none(current.get("Rules") or [])
        elif not p["purge_rules"]:
            named = {r["Name"] for r in rules}
            kept = [without_none(r) for r in current.get("Rules") or [] if r["Name"] not in named]
            taken = {r["Priority"]: r["Name"] for r in rules}
            clashes = [f"{r['Name']} (priority {r['Priority']}, also in rules: {taken[r['Priority']]})" for r in kept if r["Priority"] in taken]
            if clashes:
                self.module.fail_json(msg=f"rules: the web ACL's rules {', '.join(clashes)} keep their priority with purge_rules=false; give other priorities")
            rules = kept + rules
        desired = {
            "DefaultAction": {p["default_action"]: {}},
            "VisibilityConfig": {
                "SampledRequestsEnabled": p["sampled_requests"],
                "CloudWatchMetricsEnabled": p["cloudwatch_metrics"],
                "MetricName": p["metric_name"] or p["name"],
            },
            "Rules": sorted(rules, key=lambda r: r["Priority"]),
        }
        description = current.get("Description") if p["description"] is None else p["description"]
        if description:
            desired["Description"] = description
        bodies = without_none(current.get("CustomResponseBodies")) if self.bodies is None else self.bodies
        if bodies:
            desired["CustomResponseBodies"] = bodies
        return desired

    def comparable(self, acl):
        """The managed parts of a web ACL (the API's form) as compared and shown in the diff."""
        if not acl:
            return {}
        shape = self.model.shape_for("WebACL")
        result = {"description": acl.get("Description") or ""}
        for key, name in (("DefaultAction", "default_action"), ("VisibilityConfig", "visibility_config"), ("CustomResponseBodies", "custom_response_bodies")):
            result[name] = canonical(acl.get(key), shape.members[key]) or {}
        rules = canonical(acl.get("Rules") or [], shape.members["Rules"])
        result["rules"] = sorted(rules, key=lambda r: (r.get("Priority", 0), r.get("Name", "")))
        return result

    def view(self, acl):
        if not acl:
            return {}
        result = canonical(acl, self.model.shape_for("WebACL"))
        result.pop("LockToken", None)
        return camel_dict_to_snake_dict(result, ignore_list=["CustomResponseBodies"])


def create_web_acl(module, client, scope, desired):
    """Create the web ACL. Returns (its summary, whether it existed: a retried create that had gone through finds it)."""
    p = module.params
    request = dict(Name=p["name"], Scope=scope, **desired)
    if p["tags"]:
        request["Tags"] = ansible_dict_to_boto3_tag_list(p["tags"])
    try:
        return client.create_web_acl(aws_retry=True, **request)["Summary"], False
    except botocore.exceptions.ClientError as e:
        if error_code(e) != "WAFDuplicateItemException":
            raise
    summary = find_web_acl(client, p["name"], scope)
    if summary is None:
        module.fail_json(msg=f"WAF answered that web ACL {p['name']} exists, but it is not listed in scope {scope}")
    return summary, True


def update_web_acl(module, client, acl, scope, summary):
    """Compare the web ACL with what is wanted and update it when it differs, with its lock token.

    Returns (changed, the web ACL before, the web ACL after), both as the API describes them.
    """
    update_shape = client.meta.service_model.operation_model("UpdateWebACL").input_shape
    for attempt in range(1, UPDATE_TRIES + 1):
        current, lock_token = get_web_acl(client, summary, scope)
        desired = acl.desired(current)
        if acl.comparable(current) == acl.comparable(desired):
            return False, current, current
        after = dict(current, **desired)
        if "Description" not in desired:
            after.pop("Description", None)
        if "CustomResponseBodies" not in desired:
            after.pop("CustomResponseBodies", None)
        if module.check_mode:
            return True, current, after
        request = dict(Name=summary["Name"], Scope=scope, Id=summary["Id"], LockToken=lock_token, **carried_parts(current, update_shape), **desired)
        try:
            client.update_web_acl(aws_retry=True, **request)
            return True, current, after
        except botocore.exceptions.ClientError as e:
            # another writer changed the web ACL since it was read: read it and compare again
            if error_code(e) != "WAFOptimisticLockException" or attempt == UPDATE_TRIES:
                raise
    return False, None, None  # not reached


def delete_web_acl(client, summary, scope, lock_token):
    """Delete the web ACL with the lock token read last; when another writer changed it since, read the new one."""
    for attempt in range(1, UPDATE_TRIES + 1):
        try:
            client.delete_web_acl(Name=summary["Name"], Scope=scope, Id=summary["Id"], LockToken=lock_token, aws_retry=True)
            return
        except botocore.exceptions.ClientError as e:
            if error_code(e) != "WAFOptimisticLockException" or attempt == UPDATE_TRIES:
                raise
        lock_token = get_web_acl(client, summary, scope)[1]


# ---- tags, logging, associations --------------------------------------------------------------


def ensure_tags(module, client, arn):
    """Returns (changed, before, after)."""
    p = module.params
    before = read_tags(client, arn)
    to_set, to_unset = tag_changes(before, p["tags"], p["purge_tags"])
    if not (to_set or to_unset):
        return False, before, before
    if not module.check_mode:
        if to_unset:
            client.untag_resource(ResourceARN=arn, TagKeys=to_unset, aws_retry=True)
        if to_set:
            client.tag_resource(ResourceARN=arn, Tags=ansible_dict_to_boto3_tag_list(to_set), aws_retry=True)
    return True, before, merged_tags(before, p["tags"], p["purge_tags"])


def ensure_logging(module, client, arn, exists):
    """Returns (changed, before, after) as the API describes the configuration (None for none)."""
    logging = module.params["logging"]
    current = read_logging(client, arn) if exists else None
    if not logging["enabled"]:
        if current and not module.check_mode:
            client.delete_logging_configuration(ResourceArn=arn, aws_retry=True)
        return current is not None, current, None
    desired = desired_logging(arn, logging["destination"], logging["redacted_fields"], logging["logging_filter"], current)
    if comparable_logging(current) == comparable_logging(desired):
        return False, current, current
    if not module.check_mode:
        client.put_logging_configuration(LoggingConfiguration=desired, aws_retry=True)
    return True, current, desired


def ensure_associations(module, client, arn, exists):
    """Returns (changed, resources protected before, resources protected after), of the listed (and, with purge, all)."""
    p = module.params
    listed = p["associations"]
    before = [r for r in listed if arn and protecting_web_acl(client, r) == arn]
    other = {}
    for resource in listed:
        if resource not in before:
            other[resource] = protecting_web_acl(client, resource) if arn else ""
    extra = []
    if p["purge_associations"] and exists:
        extra = [r for r in protected_resources(client, arn) if r not in listed]
    before_all = sorted(before + extra)
    after = sorted(listed)
    changed = before_all != after
    if changed and not module.check_mode:
        for resource in extra:
            client.disassociate_web_acl(ResourceArn=resource, aws_retry=True)
        for resource, previous in other.items():
            switch_association(client, resource, previous, arn)
    return changed, before_all, after


def ensure_absent(module, client, acl, summary, scope):
    """Remove the web ACL from the listed resources, delete its logging, delete it. Returns the diff's before."""
    arn = summary["ARN"]
    current, lock_token = get_web_acl(client, summary, scope)
    protected = [r for r in module.params["associations"] or [] if protecting_web_acl(client, r) == arn]
    logging = read_logging(client, arn)
    if not module.check_mode:
        for resource in protected:
            client.disassociate_web_acl(ResourceArn=resource, aws_retry=True)
        if logging:
            client.delete_logging_configuration(ResourceArn=arn, aws_retry=True)
        delete_web_acl(client, summary, scope, lock_token)
    return {"web_acl": acl.comparable(current), "logging": comparable_logging(logging), "associations": protected}


def main():
    redacted_field = dict(single_header=dict(type="str"), query_string=dict(type="bool"), uri_path=dict(type="bool"), method=dict(type="bool"))
    argument_spec = dict(
        name=dict(type="str", required=True),
        scope=dict(type="str", choices=["REGIONAL", "CLOUDFRONT"], default="REGIONAL"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        description=dict(type="str"),
        default_action=dict(type="str", choices=["Allow", "Block"]),
        sampled_requests=dict(type="bool", default=True),
        cloudwatch_metrics=dict(type="bool", default=True),
        metric_name=dict(type="str"),
        rules=dict(type="list", elements="dict"),
        purge_rules=dict(type="bool", default=True),
        custom_response_bodies=dict(type="dict"),
        logging=dict(
            type="dict",
            options=dict(
                enabled=dict(type="bool", default=True),
                destination=dict(type="str"),
                redacted_fields=dict(type="list", elements="dict", default=[], options=redacted_field),
                logging_filter=dict(type="dict"),
            ),
        ),
        associations=dict(type="list", elements="str"),
        purge_associations=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    scope = p["scope"]
    # no API call: the client only lends its model of the API to the validation
    client = edge_client(module, "wafv2", WAF_RETRY_CODES)
    rules, bodies = validate(module, client.meta.service_model)
    acl = WebACL(module, client.meta.service_model, rules, bodies)

    result = {"name": p["name"], "arn": "", "id": "", "web_acl": {}}
    before, after = {}, {}
    changed = False
    try:
        summary = find_web_acl(client, p["name"], scope)
        if p["state"] == "absent":
            if summary:
                before = ensure_absent(module, client, acl, summary, scope)
                changed = True
            module.exit_json(changed=changed, **result, diff=diff_of(before, after))

        exists = summary is not None
        if not exists:
            desired = acl.desired(None)
            before["web_acl"], after["web_acl"] = {}, acl.comparable(desired)
            changed = True
            if not module.check_mode:
                summary, exists = create_web_acl(module, client, scope, desired)
            web_acl_after = dict(desired, Name=p["name"], **({"ARN": summary["ARN"], "Id": summary["Id"]} if summary else {}))
        if exists:
            acl_changed, web_acl_before, web_acl_after = update_web_acl(module, client, acl, scope, summary)
            before["web_acl"], after["web_acl"] = acl.comparable(web_acl_before), acl.comparable(web_acl_after)
            changed |= acl_changed
        arn = summary["ARN"] if summary else ""
        result.update(arn=arn, id=summary["Id"] if summary else "", web_acl=acl.view(web_acl_after))

        if p["tags"] is not None:
            if exists:
                tags_changed, before["tags"], after["tags"] = ensure_tags(module, client, arn)
                changed |= tags_changed
            else:
                before["tags"], after["tags"] = {}, dict(p["tags"])
            result["tags"] = after["tags"]

        if p["logging"] is not None:
            logging_changed, logging_before, logging_after = ensure_logging(module, client, arn, exists)
            changed |= logging_changed
            before["logging"], after["logging"] = comparable_logging(logging_before), comparable_logging(logging_after)
            result["logging_configuration"] = camel_dict_to_snake_dict(logging_after or {}, ignore_list=["LoggingFilter"])

        if p["associations"] is not None:
            associations_changed, before["associations"], after["associations"] = ensure_associations(module, client, arn, exists)
            changed |= associations_changed
            result["associations"] = after["associations"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage web ACL {p['name']} ({scope})")

    module.exit_json(changed=changed, **result, diff=diff_of(before, after))


if __name__ == "__main__":
    main()
