#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: elbv2_application_load_balancer
short_description: Manage an application load balancer with its target groups, listeners and attributes in one call
version_added: 0.1.0
description:
  - Creates, updates or deletes one application load balancer (scheme, subnets, security groups,
    IP address type, tags), the target groups listed in O(target_groups) (health check, matcher,
    attributes, tags), its listeners (protocol, TLS policy, certificates, default action) and its
    load balancer attributes, in one task.
  - Listeners forward to a target group of the same call by its name (or to any target group by ARN),
    so one task builds the whole chain; missing target groups are created before the load balancer
    and its listeners.
  - Everything is read first (the load balancer, the listed target groups with their attributes,
    the listeners with their certificates, the load balancer attributes, the tags of all of them in
    one call) and compared semantically - actions, certificates, attributes and tags whatever their
    order or form - and only what differs is changed. A run with nothing to change makes no mutating call.
  - Only the given settings are compared; an omitted option leaves that setting as it is.
  - Registered targets are never read or changed (an Auto Scaling group or another task registers them).
  - Listener rules other than the default action are left alone.
  - A load balancer's scheme and a target group's protocol, port, VPC, target type and protocol version
    cannot change; a difference fails the task before any change.
  - Bad input (a name AWS would refuse, a listener port used twice, a forward to a target group that
    is neither listed nor an ARN, an HTTPS listener without a certificate, ...) fails before any API call.
  - Load balancer attributes are compared as in M(healthplatform.aws.elbv2_load_balancer_attributes)
    (only the given keys; one that the load balancer does not report counts as different), so that
    attributes the emulator does not report at once can still be set.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Name of the load balancer (at most 32 letters, digits and hyphens; not starting with C(internal-)).
    type: str
    required: true
  state:
    description:
      - Whether the load balancer and the listed target groups should exist.
      - C(absent) deletes the load balancer's listeners, then the load balancer, then the target groups
        listed in O(target_groups) (only their O(target_groups[].name) is needed). It fails before any
        change when the load balancer has deletion protection on, or when a listed target group is used
        by another load balancer.
    type: str
    choices: [present, absent]
    default: present
  scheme:
    description: C(internet-facing) or C(internal). Set at creation (default C(internet-facing)); not compared when omitted.
    type: str
    choices: [internet-facing, internal]
  subnets:
    description:
      - Subnet IDs of the load balancer, at least two in different zones. Required to create it.
      - Not compared when omitted; otherwise the subnets are set to exactly these.
    type: list
    elements: str
  security_groups:
    description: Security group IDs (C(sg-...)) of the load balancer. Not compared when omitted.
    type: list
    elements: str
  ip_address_type:
    description: IP address type. Not compared when omitted (a new load balancer is C(ipv4)).
    type: str
    choices: [ipv4, dualstack, dualstack-without-public-ipv4]
  tags:
    description: Tags of the load balancer. Not compared when omitted.
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description: Remove tags of the load balancer that are not in O(tags) (when it is given).
    type: bool
    default: true
  attributes:
    description:
      - Load balancer attributes, key to value, with the keys of the ELB API, for example
        C(deletion_protection.enabled), C(routing.http.drop_invalid_header_fields.enabled),
        C(routing.http.desync_mitigation_mode), C(idle_timeout.timeout_seconds),
        C(access_logs.s3.enabled), C(access_logs.s3.bucket), C(access_logs.s3.prefix).
      - Booleans may be given as YAML booleans; every value is compared as the text the API uses.
        Only the given keys are compared.
    type: dict
  target_groups:
    description:
      - Target groups managed with the load balancer, identified by name. Target groups that are not
        listed are left alone.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name of the target group (at most 32 letters, digits and hyphens).
        type: str
        required: true
      protocol:
        description: Protocol to the targets. Required with O(state=present) unless O(target_groups[].target_type=lambda).
        type: str
        choices: [HTTP, HTTPS]
      protocol_version:
        description: Protocol version (fixed at creation; AWS default C(HTTP1)). Not compared when omitted.
        type: str
        choices: [HTTP1, HTTP2, GRPC]
      port:
        description: Port of the targets. Required with O(state=present) unless O(target_groups[].target_type=lambda).
        type: int
      vpc_id:
        description: VPC of the targets. Required with O(state=present) unless O(target_groups[].target_type=lambda).
        type: str
      target_type:
        description: Type of the targets.
        type: str
        choices: [instance, ip, lambda]
        default: instance
      health_check:
        description: Health check settings; the omitted ones are not compared (at creation, AWS's defaults).
        type: dict
        suboptions:
          enabled:
            description: Whether health checks are on.
            type: bool
          protocol:
            description: Protocol of the health check.
            type: str
            choices: [HTTP, HTTPS]
          port:
            description: Port of the health check, C(traffic-port) for the targets' port.
            type: str
          path:
            description: Path of the health check (starts with C(/)).
            type: str
          interval_seconds:
            description: Seconds between health checks (5 to 300).
            type: int
          timeout_seconds:
            description: Seconds before a health check fails (2 to 120, less than the interval).
            type: int
          healthy_threshold_count:
            description: Consecutive successes before a target is healthy (2 to 10).
            type: int
          unhealthy_threshold_count:
            description: Consecutive failures before a target is unhealthy (2 to 10).
            type: int
      matcher:
        description: Responses that count as healthy. Not compared when omitted.
        type: dict
        suboptions:
          http_code:
            description: HTTP codes, for example C(200), C(200,202) or C(200-299).
            type: str
          grpc_code:
            description: gRPC codes (protocol version C(GRPC)), for example C(12) or C(0-99).
            type: str
      deregistration_delay:
        description: Seconds a deregistered target keeps its connections (attribute C(deregistration_delay.timeout_seconds)).
        type: int
      attributes:
        description:
          - Other target group attributes, key to value (for example C(stickiness.enabled), C(slow_start.duration_seconds),
            C(load_balancing.algorithm.type)); only the given keys are compared.
        type: dict
      tags:
        description: Tags of the target group. Not compared when omitted.
        type: dict
      purge_tags:
        description: Remove tags of the target group that are not in O(target_groups[].tags) (when it is given).
        type: bool
        default: true
  listeners:
    description:
      - The listeners, identified by port. Not read or compared when omitted.
    type: list
    elements: dict
    suboptions:
      port:
        description: Port of the listener.
        type: int
        required: true
      protocol:
        description: Protocol of the listener.
        type: str
        required: true
        choices: [HTTP, HTTPS]
      ssl_policy:
        description: TLS policy of an HTTPS listener. Not compared when omitted (at creation, AWS's default).
        type: str
      certificates:
        description:
          - Certificate ARNs of an HTTPS listener (required there). The first is the default certificate;
            the others are added to the listener's certificate list, and certificates of that list that
            are not given are removed.
        type: list
        elements: str
      default_actions:
        description: The default action (exactly one).
        type: list
        elements: dict
        required: true
        suboptions:
          type:
            description: What the listener does.
            type: str
            required: true
            choices: [forward, redirect, fixed-response]
          target_group:
            description: For C(forward), the name of a target group in O(target_groups), or a target group ARN.
            type: str
          redirect:
            description: For C(redirect), where to.
            type: dict
            suboptions:
              protocol:
                description: C(HTTP), C(HTTPS) or C(#{protocol}).
                type: str
                default: "#{protocol}"
              port:
                description: Port, or C(#{port}).
                type: str
                default: "#{port}"
              host:
                description: Host name.
                type: str
                default: "#{host}"
              path:
                description: Path, starts with C(/).
                type: str
                default: "/#{path}"
              query:
                description: Query (without the C(?)).
                type: str
                default: "#{query}"
              status_code:
                description: C(HTTP_301) (permanent) or C(HTTP_302) (temporary).
                type: str
                required: true
                choices: [HTTP_301, HTTP_302]
          fixed_response:
            description: For C(fixed-response), the response.
            type: dict
            suboptions:
              status_code:
                description: HTTP status code (2XX, 4XX or 5XX).
                type: str
                required: true
              content_type:
                description: Content type.
                type: str
                choices: [text/plain, text/css, text/html, application/javascript, application/json]
              message_body:
                description: Body of the response.
                type: str
  purge_listeners:
    description: Delete the load balancer's listeners whose port is not in O(listeners) (when it is given).
    type: bool
    default: true
  wait:
    description: After creating the load balancer or changing its subnets, wait until it is active.
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait with O(wait).
    type: int
    default: 600
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff). In check mode, resources that would be created have no ARN yet;
    their ARNs (and a listener's forward to such a target group) are returned empty. In check mode, an empty
    certificate ARN (a certificate that an earlier task only planned) is accepted with a warning.
  - The ELBv2 API takes no client token; load balancer and target group names are unique in a region and
    a retried create with the same settings returns the existing resource instead of a second one.
  - AWS checks an access log bucket when access logs are switched on (it writes a test object); the bucket
    and its policy must exist before this task.
  - The module never sleeps unless O(wait) is set.
seealso:
  - module: healthplatform.aws.elbv2_load_balancer_attributes
  - module: amazon.aws.elb_application_lb
  - module: community.aws.elb_target_group
"""

EXAMPLES = r"""
- name: Load balancer, its target group, HTTPS listener and HTTP redirect, hardened, in one task
  healthplatform.aws.elbv2_application_load_balancer:
    name: healthplatform-prod-alb
    scheme: internet-facing
    subnets: "{{ public_subnet_ids }}"
    security_groups: ["{{ alb_security_group_id }}"]
    tags:
      Environment: production
    attributes:
      deletion_protection.enabled: true
      routing.http.drop_invalid_header_fields.enabled: true
      routing.http.desync_mitigation_mode: strictest
      access_logs.s3.enabled: true
      access_logs.s3.bucket: healthplatform-prod-alb-logs
      access_logs.s3.prefix: alb
    target_groups:
      - name: healthplatform-prod-web
        protocol: HTTPS
        port: 443
        vpc_id: "{{ vpc_id }}"
        health_check:
          protocol: HTTPS
          port: traffic-port
          path: /healthz
          interval_seconds: 15
          timeout_seconds: 5
          healthy_threshold_count: 3
          unhealthy_threshold_count: 3
        matcher:
          http_code: "200"
        deregistration_delay: 30
        tags:
          Environment: production
    listeners:
      - port: 443
        protocol: HTTPS
        ssl_policy: ELBSecurityPolicy-TLS13-1-2-2021-06
        certificates: ["{{ certificate_arn }}"]
        default_actions:
          - type: forward
            target_group: healthplatform-prod-web
      - port: 80
        protocol: HTTP
        default_actions:
          - type: redirect
            redirect:
              protocol: HTTPS
              port: "443"
              status_code: HTTP_301
    purge_listeners: true
  register: alb

- name: Use what it returns
  ansible.builtin.debug:
    msg: "{{ alb.dns_name }} forwards to {{ alb.target_groups['healthplatform-prod-web'].target_group_arn }}"

- name: Remove the load balancer, its listeners and its target group
  healthplatform.aws.elbv2_application_load_balancer:
    name: healthplatform-prod-alb
    state: absent
    target_groups:
      - name: healthplatform-prod-web
"""

RETURN = r"""
changes:
  description: What the run changed (in check mode, would change), one line per change; empty when nothing differs.
  returned: always
  type: list
  elements: str
  sample: ["create target group healthplatform-prod-web", "modify listener HTTPS:443: SslPolicy"]
load_balancer_arn:
  description: ARN of the load balancer (empty in check mode before creation and with O(state=absent)).
  returned: always
  type: str
  sample: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/healthplatform-prod-alb/50dc6c495c0c9188
dns_name:
  description: DNS name of the load balancer (empty in check mode before creation and with O(state=absent)).
  returned: always
  type: str
  sample: healthplatform-prod-alb-1234567890.us-east-1.elb.amazonaws.com
load_balancer:
  description:
    - The load balancer after the run (in check mode, what it would be), as C(DescribeLoadBalancers) describes it
      in snake case, with its tags and attributes; empty with O(state=absent).
  returned: always
  type: dict
  contains:
    load_balancer_arn:
      description: ARN (empty in check mode before creation).
      type: str
    load_balancer_name:
      description: Name.
      type: str
    dns_name:
      description: DNS name (empty in check mode before creation).
      type: str
    canonical_hosted_zone_id:
      description: Route 53 hosted zone of the DNS name, for alias records (empty in check mode before creation).
      type: str
    scheme:
      description: C(internet-facing) or C(internal).
      type: str
    vpc_id:
      description: VPC of the load balancer.
      type: str
    availability_zones:
      description: Zones and subnets.
      type: list
      elements: dict
    security_groups:
      description: Security group IDs.
      type: list
      elements: str
    ip_address_type:
      description: IP address type.
      type: str
    state:
      description: State (C(code)).
      type: dict
    tags:
      description: Tags.
      type: dict
    attributes:
      description: The attributes known after the run (those read or set), key to value.
      type: dict
  sample:
    load_balancer_arn: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/healthplatform-prod-alb/50dc6c495c0c9188
    load_balancer_name: healthplatform-prod-alb
    dns_name: healthplatform-prod-alb-1234567890.us-east-1.elb.amazonaws.com
    canonical_hosted_zone_id: Z35SXDOTRQ7X7K
    scheme: internet-facing
    type: application
    tags: {"Environment": "production"}
    attributes: {"deletion_protection.enabled": "true"}
target_groups:
  description:
    - The listed target groups by name after the run (in check mode, what they would be), as
      C(DescribeTargetGroups) describes them in snake case, with their tags and attributes (when compared);
      empty with O(state=absent).
  returned: always
  type: dict
  sample:
    healthplatform-prod-web:
      target_group_arn: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/healthplatform-prod-web/73e2d6bc24d8a067
      target_group_name: healthplatform-prod-web
      protocol: HTTPS
      port: 443
      health_check_path: /healthz
      matcher: {"http_code": "200"}
      tags: {"Environment": "production"}
      attributes: {"deregistration_delay.timeout_seconds": "30"}
listeners:
  description:
    - The load balancer's listeners after the run (in check mode, what they would be), by port, as
      C(DescribeListeners) describes them in snake case; C(certificates) lists every certificate (the default first);
      a forward action also names its C(target_group_name) when it is one of O(target_groups). Empty when
      O(listeners) is omitted and with O(state=absent).
  returned: always
  type: list
  elements: dict
  sample:
    - listener_arn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/healthplatform-prod-alb/50dc6c495c0c9188/f2f7dc8efc522ab2
      port: 443
      protocol: HTTPS
      ssl_policy: ELBSecurityPolicy-TLS13-1-2-2021-06
      certificates: [{"certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/0f0e8ad0-4a8b-4d3c-9d25-2f1b8a3e2a11"}]
      default_actions: [{"type": "forward", "target_group_arn": "arn:aws:elasticloadbalancing:...", "target_group_name": "healthplatform-prod-web"}]
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.elbv2 import attribute_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.elbv2 import attribute_errors
from ansible_collections.healthplatform.aws.plugins.module_utils.elbv2 import error_code
from ansible_collections.healthplatform.aws.plugins.module_utils.elbv2 import find_load_balancer
from ansible_collections.healthplatform.aws.plugins.module_utils.elbv2 import load_balancer_attributes
from ansible_collections.healthplatform.aws.plugins.module_utils.elbv2 import resource_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.elbv2 import set_load_balancer_attributes
from ansible_collections.healthplatform.aws.plugins.module_utils.elbv2 import wanted_attributes

NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$")
HTTP_CODES = re.compile(r"^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$")
GRPC_CODES = re.compile(r"^\d{1,2}(-\d{1,2})?(,\d{1,2}(-\d{1,2})?)*$")
FIXED_STATUS = re.compile(r"^[245]\d\d$")

# target group option -> API field; fixed when the group is created
FIXED_FIELDS = {"protocol": "Protocol", "port": "Port", "vpc_id": "VpcId", "target_type": "TargetType", "protocol_version": "ProtocolVersion"}
HEALTH_CHECK_FIELDS = {
    "enabled": "HealthCheckEnabled",
    "protocol": "HealthCheckProtocol",
    "port": "HealthCheckPort",
    "path": "HealthCheckPath",
    "interval_seconds": "HealthCheckIntervalSeconds",
    "timeout_seconds": "HealthCheckTimeoutSeconds",
    "healthy_threshold_count": "HealthyThresholdCount",
    "unhealthy_threshold_count": "UnhealthyThresholdCount",
}
MATCHER_FIELDS = {"http_code": "HttpCode", "grpc_code": "GrpcCode"}
REDIRECT_FIELDS = {"protocol": "Protocol", "port": "Port", "host": "Host", "path": "Path", "query": "Query", "status_code": "StatusCode"}
REDIRECT_DEFAULTS = {"Protocol": "#{protocol}", "Port": "#{port}", "Host": "#{host}", "Path": "/#{path}", "Query": "#{query}"}
DEREGISTRATION_DELAY = "deregistration_delay.timeout_seconds"

# After the load balancer is deleted, AWS may report its target groups in use for a few seconds.
IN_USE_RETRY = AWSRetry.jittered_backoff(retries=8, delay=2, max_delay=10, catch_extra_error_codes=["ResourceInUse"])


# ---------------------------------------------------------------- input


def range_error(value, low, high, option):
    if value is not None and not low <= value <= high:
        return [f"{option} must be between {low} and {high}, got {value}"]
    return []


def group_errors(spec, prefix, state):
    errors = []
    name = spec["name"]
    if not NAME.match(name or ""):
        errors.append(f"{prefix}name {name!r} must be 1 to 32 letters, digits and hyphens, not starting or ending with a hyphen")
    if state == "absent":
        return errors
    lambda_target = spec["target_type"] == "lambda"
    for option in ("protocol", "port", "vpc_id"):
        if lambda_target and spec[option] is not None:
            errors.append(f"{prefix}{option} must be omitted for target_type lambda")
        if not lambda_target and spec[option] is None:
            errors.append(f"{prefix}{option} is required (target_type {spec['target_type']})")
    if spec["vpc_id"] is not None and not spec["vpc_id"].startswith("vpc-"):
        errors.append(f"{prefix}vpc_id must be a VPC ID (vpc-...), got {spec['vpc_id']!r}")
    errors += range_error(spec["port"], 1, 65535, f"{prefix}port")
    check = spec["health_check"] or {}
    if check.get("path") is not None and not check["path"].startswith("/"):
        errors.append(f"{prefix}health_check.path must start with /, got {check['path']!r}")
    port = check.get("port")
    if port is not None and port != "traffic-port" and not (port.isdigit() and 1 <= int(port) <= 65535):
        errors.append(f"{prefix}health_check.port must be traffic-port or a port number, got {port!r}")
    errors += range_error(check.get("interval_seconds"), 5, 300, f"{prefix}health_check.interval_seconds")
    errors += range_error(check.get("timeout_seconds"), 2, 120, f"{prefix}health_check.timeout_seconds")
    errors += range_error(check.get("healthy_threshold_count"), 2, 10, f"{prefix}health_check.healthy_threshold_count")
    errors += range_error(check.get("unhealthy_threshold_count"), 2, 10, f"{prefix}health_check.unhealthy_threshold_count")
    if check.get("interval_seconds") is not None and check.get("timeout_seconds") is not None and check["timeout_seconds"] >= check["interval_seconds"]:
        timeout, interval = check["timeout_seconds"], check["interval_seconds"]
        errors.append(f"{prefix}health_check.timeout_seconds ({timeout}) must be less than health_check.interval_seconds ({interval})")
    matcher = spec["matcher"] or {}
    if matcher.get("http_code") is not None and not HTTP_CODES.match(matcher["http_code"]):
        errors.append(f"{prefix}matcher.http_code must be like 200, 200,202 or 200-299, got {matcher['http_code']!r}")
    if matcher.get("grpc_code") is not None:
        if spec["protocol_version"] != "GRPC":
            errors.append(f"{prefix}matcher.grpc_code needs protocol_version GRPC")
        if not GRPC_CODES.match(matcher["grpc_code"]):
            errors.append(f"{prefix}matcher.grpc_code must be like 12 or 0-99, got {matcher['grpc_code']!r}")
    errors += range_error(spec["deregistration_delay"], 0, 3600, f"{prefix}deregistration_delay")
    errors += attribute_errors(spec["attributes"], f"{prefix}attributes", required=False)
    given = (spec["attributes"] or {}).get(DEREGISTRATION_DELAY)
    if spec["deregistration_delay"] is not None and given is not None and str(given) != str(spec["deregistration_delay"]):
        errors.append(f"{prefix}deregistration_delay and {prefix}attributes.{DEREGISTRATION_DELAY} differ; give one")
    return errors


def action_errors(action, prefix, group_names):
    errors = []
    kind = action["type"]
    parts = {"forward": "target_group", "redirect": "redirect", "fixed-response": "fixed_response"}
    for other_kind, option in parts.items():
        if other_kind == kind and action[option] is None:
            errors.append(f"{prefix}{option} is required for type {kind}")
        if other_kind != kind and action[option] is not None:
            errors.append(f"{prefix}{option} does not go with type {kind}")
    target = action["target_group"]
    if kind == "forward" and target and not target.startswith("arn:") and target not in group_names:
        errors.append(f"{prefix}target_group {target!r} is neither in target_groups nor a target group ARN")
    redirect = action["redirect"] or {}
    if redirect.get("protocol") not in (None, "HTTP", "HTTPS", "#{protocol}"):
        errors.append(f"{prefix}redirect.protocol must be HTTP, HTTPS or #{{protocol}}, got {redirect['protocol']!r}")
    if redirect.get("path") is not None and not redirect["path"].startswith("/"):
        errors.append(f"{prefix}redirect.path must start with /, got {redirect['path']!r}")
    fixed = action["fixed_response"] or {}
    if fixed.get("status_code") is not None and not FIXED_STATUS.match(fixed["status_code"]):
        errors.append(f"{prefix}fixed_response.status_code must be a 2XX, 4XX or 5XX code, got {fixed['status_code']!r}")
    return errors


def listener_errors(spec, prefix, group_names, check_mode=False):
    errors = range_error(spec["port"], 1, 65535, f"{prefix}port")
    https = spec["protocol"] == "HTTPS"
    if https and not spec["certificates"]:
        errors.append(f"{prefix}certificates must name at least one certificate ARN for an HTTPS listener")
    if not https and spec["certificates"]:
        errors.append(f"{prefix}certificates are only for HTTPS listeners")
    if not https and spec["ssl_policy"]:
        errors.append(f"{prefix}ssl_policy is only for HTTPS listeners")
    for certificate in spec["certificates"] or []:
        # in check mode, an empty ARN is a certificate an earlier task only planned (it has no ARN yet)
        if not certificate.startswith("arn:") and not (check_mode and certificate == ""):
            errors.append(f"{prefix}certificates: {certificate!r} is not a certificate ARN")
    if len(spec["default_actions"]) != 1:
        errors.append(f"{prefix}default_actions must hold exactly one action (forward, redirect or fixed-response), got {len(spec['default_actions'])}")
    for index, action in enumerate(spec["default_actions"]):
        errors += action_errors(action, f"{prefix}default_actions[{index}].", group_names)
    return errors


def validate(module):
    """Every check that needs no API call; fails naming the option."""
    p = module.params
    errors = []
    if not NAME.match(p["name"]) or p["name"].startswith("internal-"):
        errors.append(f"name {p['name']!r} must be 1 to 32 letters, digits and hyphens, not starting or ending with a hyphen nor with internal-")
    names = [spec["name"] for spec in p["target_groups"]]
    for index, spec in enumerate(p["target_groups"]):
        prefix = f"target_groups[{index}]."
        if spec["name"] in names[:index]:
            errors.append(f"{prefix}name: {spec['name']} is listed twice")
        errors += group_errors(spec, prefix, p["state"])
    if p["state"] == "present":
        if p["subnets"] is not None:
            errors += [f"subnets: {s!r} is not a subnet ID (subnet-...)" for s in p["subnets"] if not s.startswith("subnet-")]
            if len(set(p["subnets"])) < 2:
                errors.append("subnets must name at least two subnets, in different zones")
        errors += [f"security_groups: {g!r} is not a security group ID (sg-...)" for g in p["security_groups"] or [] if not g.startswith("sg-")]
        errors += attribute_errors(p["attributes"], "attributes", required=False)
        ports = []
        for index, spec in enumerate(p["listeners"] or []):
            prefix = f"listeners[{index}]."
            if spec["port"] in ports:
                errors.append(f"{prefix}port: {spec['port']} is listed twice")
            ports.append(spec["port"])
            errors += listener_errors(spec, prefix, names, module.check_mode)
            if module.check_mode and "" in (spec["certificates"] or []):
                module.warn(f"check mode: {prefix}certificates has an empty ARN (a certificate not created yet); the listener is planned without it")
    if p["wait_timeout"] < 1:
        errors.append("wait_timeout must be at least 1")
    if errors:
        module.fail_json(msg="; ".join(errors))


# ---------------------------------------------------------------- reading


def pages(call, key, **request):
    """Every item of a Marker/NextMarker paginated ELBv2 call."""
    items = []
    while True:
        response = call(aws_retry=True, **request)
        items += response.get(key, [])
        if not response.get("NextMarker"):
            return items
        request["Marker"] = response["NextMarker"]


def target_groups_by_name(client, names):
    """The existing target groups among ``names``, name -> description (one call unless some are missing)."""
    if not names:
        return {}
    try:
        groups = client.describe_target_groups(Names=names, aws_retry=True)["TargetGroups"]
    except botocore.exceptions.ClientError as e:
        if error_code(e) != "TargetGroupNotFound":
            raise
        groups = []
        if len(names) > 1:
            for name in names:
                groups += target_groups_by_name(client, [name]).values()
    return {g["TargetGroupName"]: g for g in groups}


def target_group_attributes(client, arn):
    return {a["Key"]: a["Value"] for a in client.describe_target_group_attributes(TargetGroupArn=arn, aws_retry=True)["Attributes"]}


def extra_certificates(client, listener):
    """The certificates of an HTTPS listener besides its default one."""
    default = default_certificate(listener)
    certificates = pages(client.describe_listener_certificates, "Certificates", ListenerArn=listener["ListenerArn"])
    return sorted({c["CertificateArn"] for c in certificates if not c.get("IsDefault")} - {default})


def default_certificate(listener):
    return ((listener.get("Certificates") or [{}])[0]).get("CertificateArn")


def all_certificates(listener, extras):
    """The default certificate first, then the others."""
    default = default_certificate(listener)
    return ([default] if default else []) + [c for c in extras if c != default]


# ---------------------------------------------------------------- comparison


def same(current, wanted):
    if isinstance(wanted, bool) or isinstance(current, bool):
        return str(current).lower() == str(wanted).lower()
    return current is not None and str(current) == str(wanted)


def wanted_health_check(spec):
    check = spec["health_check"] or {}
    return {key: check[option] for option, key in HEALTH_CHECK_FIELDS.items() if check.get(option) is not None}


def wanted_matcher(spec):
    matcher = spec["matcher"] or {}
    return {key: matcher[option] for option, key in MATCHER_FIELDS.items() if matcher.get(option) is not None}


def wanted_group_attributes(spec):
    attributes = dict(spec["attributes"] or {})
    if spec["deregistration_delay"] is not None:
        attributes[DEREGISTRATION_DELAY] = spec["deregistration_delay"]
    return wanted_attributes(attributes)


def request_action(action, group_arns):
    """The API form of an action of the module's form (a forward names its group's ARN, empty when only planned)."""
    if action["type"] == "forward":
        target = action["target_group"]
        return {"Type": "forward", "TargetGroupArn": target if target.startswith("arn:") else group_arns.get(target, "")}
    if action["type"] == "redirect":
        config = {key: str(action["redirect"][option]) for option, key in REDIRECT_FIELDS.items() if action["redirect"].get(option) is not None}
        return {"Type": "redirect", "RedirectConfig": config}
    fixed = action["fixed_response"]
    config = {"StatusCode": fixed["status_code"]}
    if fixed.get("content_type"):
        config["ContentType"] = fixed["content_type"]
    if fixed.get("message_body") is not None:
        config["MessageBody"] = fixed["message_body"]
    return {"Type": "fixed-response", "FixedResponseConfig": config}


def action_key(action):
    """A comparable form of an API action: the same for every way AWS may describe the same action."""
    kind = action.get("Type")
    if kind == "forward":
        config = action.get("ForwardConfig") or {}
        groups = config.get("TargetGroups") or ([{"TargetGroupArn": action["TargetGroupArn"]}] if "TargetGroupArn" in action else [])
        if len(groups) == 1:
            targets = ((groups[0].get("TargetGroupArn"), 1),)
        else:
            targets = tuple(sorted((g.get("TargetGroupArn"), g.get("Weight", 1)) for g in groups))
        sticky = bool((config.get("TargetGroupStickinessConfig") or {}).get("Enabled"))
        return ("forward", targets, sticky)
    if kind == "redirect":
        config = dict(REDIRECT_DEFAULTS, **{k: v for k, v in (action.get("RedirectConfig") or {}).items() if v is not None})
        return ("redirect",) + tuple(str(config.get(key, "")) for key in REDIRECT_FIELDS.values())
    if kind == "fixed-response":
        config = action.get("FixedResponseConfig") or {}
        return ("fixed-response", str(config.get("StatusCode", "")), config.get("ContentType") or "", config.get("MessageBody") or "")
    return (kind, repr(sorted(action.items())))


def actions_key(actions):
    ordered = sorted(actions or [], key=lambda a: a.get("Order", 0))
    return [action_key(a) for a in ordered]


# ---------------------------------------------------------------- planning and applying


class Run:
    """The state read once, the planned changes, and what the resources look like after them."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.p = module.params
        self.check_mode = module.check_mode
        self.changes = []
        self.errors = []

    def changed(self, what):
        self.changes.append(what)

    # ---- target groups

    def plan_group(self, index, spec, group, attributes, tags):
        prefix = f"target_groups[{index}]."
        plan = {"spec": spec, "before": group, "attributes_before": attributes, "tags_before": tags}
        if group is None:
            request = {"Name": spec["name"], "TargetType": spec["target_type"]}
            request.update({key: spec[option] for option, key in FIXED_FIELDS.items() if spec[option] is not None})
            request.update(wanted_health_check(spec))
            if wanted_matcher(spec):
                request["Matcher"] = wanted_matcher(spec)
            if spec["tags"]:
                request["Tags"] = ansible_dict_to_boto3_tag_list(spec["tags"])
            plan["create"] = request
            plan["attributes"] = wanted_group_attributes(spec)
            return plan
        for option, key in FIXED_FIELDS.items():
            if spec[option] is not None and not same(group.get(key), spec[option]):
                self.errors.append(
                    f"{prefix}{option}: target group {spec['name']} has {group.get(key)}, not {spec[option]}; a target group's protocol, port,"
                    " VPC, target type and protocol version cannot change (use another name)"
                )
        modify = {key: value for key, value in wanted_health_check(spec).items() if not same(group.get(key), value)}
        matcher = wanted_matcher(spec)
        if any(not same((group.get("Matcher") or {}).get(key), value) for key, value in matcher.items()):
            modify["Matcher"] = matcher
        plan["modify"] = modify
        plan["attributes"] = attribute_changes(attributes, wanted_group_attributes(spec))
        plan["tags"] = tag_changes(tags, spec["tags"], spec["purge_tags"])
        return plan

    def apply_group(self, plan):
        """Create or update one target group; returns (description after, attributes after, tags after)."""
        spec, group = plan["spec"], plan["before"]
        name = spec["name"]
        if plan.get("create"):
            request = plan["create"]
            self.changed(f"create target group {name}")
            if self.check_mode:
                group = dict({k: v for k, v in request.items() if k not in ("Name", "Tags")}, TargetGroupArn="", TargetGroupName=name, LoadBalancerArns=[])
            else:
                group = self.client.create_target_group(aws_retry=True, **request)["TargetGroups"][0]
            attributes = dict(plan["attributes"])
            if attributes and not self.check_mode:
                attributes = self.set_group_attributes(group["TargetGroupArn"], {}, attributes)
            return group, attributes, dict(spec["tags"] or {})
        arn = group["TargetGroupArn"]
        if plan["modify"]:
            self.changed(f"modify target group {name}: {', '.join(sorted(plan['modify']))}")
            if self.check_mode:
                group = dict(group, **plan["modify"])
            else:
                group = self.client.modify_target_group(TargetGroupArn=arn, aws_retry=True, **plan["modify"])["TargetGroups"][0]
        attributes = dict(plan["attributes_before"] or {}, **plan["attributes"])
        if plan["attributes"]:
            self.changed(f"set attributes of target group {name}: {', '.join(sorted(plan['attributes']))}")
            if not self.check_mode:
                attributes = self.set_group_attributes(arn, plan["attributes_before"], plan["attributes"])
        tags = self.apply_tags(arn, f"target group {name}", plan["tags_before"], spec["tags"], spec["purge_tags"], plan["tags"])
        return group, attributes, tags

    def set_group_attributes(self, arn, current, changes):
        response = self.client.modify_target_group_attributes(
            TargetGroupArn=arn, Attributes=[{"Key": k, "Value": v} for k, v in changes.items()], aws_retry=True
        )
        after = dict(current or {}, **changes)
        after.update({a["Key"]: a["Value"] for a in response.get("Attributes", [])})
        return after

    def apply_tags(self, arn, what, current, desired, purge, changes):
        to_set, to_unset = changes
        if to_set or to_unset:
            self.changed(f"tag {what}")
            if not self.check_mode:
                if to_unset:
                    self.client.remove_tags(ResourceArns=[arn], TagKeys=list(to_unset), aws_retry=True)
                if to_set:
                    self.client.add_tags(ResourceArns=[arn], Tags=ansible_dict_to_boto3_tag_list(to_set), aws_retry=True)
        return merged_tags(current, desired, purge) if desired is not None else current

    # ---- load balancer

    def plan_load_balancer(self, balancer, attributes, tags):
        p = self.p
        plan = {"before": balancer, "attributes_before": attributes, "tags_before": tags}
        wanted = wanted_attributes(p["attributes"])
        if balancer is None:
            if not p["subnets"]:
                self.errors.append(f"subnets is required to create load balancer {p['name']} (at least two, in different zones)")
            request = {"Name": p["name"], "Type": "application", "Subnets": p["subnets"] or []}
            if p["security_groups"] is not None:
                request["SecurityGroups"] = p["security_groups"]
            if p["scheme"]:
                request["Scheme"] = p["scheme"]
            if p["ip_address_type"]:
                request["IpAddressType"] = p["ip_address_type"]
            if p["tags"]:
                request["Tags"] = ansible_dict_to_boto3_tag_list(p["tags"])
            plan["create"] = request
            plan["attributes"] = wanted
            return plan
        if balancer.get("Type") != "application":
            self.errors.append(f"name: {p['name']} is a {balancer.get('Type')} load balancer, not an application load balancer")
        if p["scheme"] and balancer.get("Scheme") != p["scheme"]:
            self.errors.append(f"scheme: load balancer {p['name']} is {balancer.get('Scheme')}, not {p['scheme']}; the scheme cannot change (use another name)")
        subnets = {z["SubnetId"] for z in balancer.get("AvailabilityZones", [])}
        plan["subnets"] = p["subnets"] is not None and subnets != set(p["subnets"])
        plan["security_groups"] = p["security_groups"] is not None and set(balancer.get("SecurityGroups") or []) != set(p["security_groups"])
        plan["ip_address_type"] = bool(p["ip_address_type"]) and balancer.get("IpAddressType") != p["ip_address_type"]
        plan["attributes"] = attribute_changes(attributes, wanted)
        plan["tags"] = tag_changes(tags, p["tags"], p["purge_tags"])
        return plan

    def apply_load_balancer(self, plan):
        """Create or update the load balancer; returns (description after, attributes after, tags after)."""
        p, client = self.p, self.client
        balancer = plan["before"]
        if plan.get("create"):
            request = plan["create"]
            self.changed(f"create load balancer {p['name']}")
            if self.check_mode:
                balancer = {
                    "LoadBalancerArn": "",
                    "DNSName": "",
                    "CanonicalHostedZoneId": "",
                    "LoadBalancerName": p["name"],
                    "Scheme": p["scheme"] or "internet-facing",
                    "State": {"Code": "provisioning"},
                    "Type": "application",
                    "AvailabilityZones": [{"SubnetId": s} for s in request["Subnets"]],
                    "SecurityGroups": request.get("SecurityGroups", []),
                    "IpAddressType": p["ip_address_type"] or "ipv4",
                }
            else:
                balancer = client.create_load_balancer(aws_retry=True, **request)["LoadBalancers"][0]
            attributes = dict(plan["attributes"])
            if attributes:
                self.changed(f"set attributes of load balancer {p['name']}: {', '.join(sorted(attributes))}")
                if not self.check_mode:
                    attributes = set_load_balancer_attributes(client, balancer["LoadBalancerArn"], {}, attributes)
            self.wait(balancer)
            return balancer, attributes, dict(p["tags"] or {})
        arn = balancer["LoadBalancerArn"]
        balancer = dict(balancer)
        if plan["subnets"]:
            self.changed(f"set the subnets of load balancer {p['name']}")
            balancer["AvailabilityZones"] = [{"SubnetId": s} for s in p["subnets"]]
            if not self.check_mode:
                balancer["AvailabilityZones"] = client.set_subnets(LoadBalancerArn=arn, Subnets=p["subnets"], aws_retry=True)["AvailabilityZones"]
        if plan["security_groups"]:
            self.changed(f"set the security groups of load balancer {p['name']}")
            balancer["SecurityGroups"] = list(p["security_groups"])
            if not self.check_mode:
                client.set_security_groups(LoadBalancerArn=arn, SecurityGroups=p["security_groups"], aws_retry=True)
        if plan["ip_address_type"]:
            self.changed(f"set the IP address type of load balancer {p['name']}")
            balancer["IpAddressType"] = p["ip_address_type"]
            if not self.check_mode:
                client.set_ip_address_type(LoadBalancerArn=arn, IpAddressType=p["ip_address_type"], aws_retry=True)
        attributes = dict(plan["attributes_before"] or {}, **plan["attributes"])
        if plan["attributes"]:
            self.changed(f"set attributes of load balancer {p['name']}: {', '.join(sorted(plan['attributes']))}")
            if not self.check_mode:
                attributes = set_load_balancer_attributes(client, arn, plan["attributes_before"], plan["attributes"])
        tags = self.apply_tags(arn, f"load balancer {p['name']}", plan["tags_before"], p["tags"], p["purge_tags"], plan["tags"])
        if plan["subnets"]:
            self.wait(balancer)
        return balancer, attributes, tags

    def wait(self, balancer):
        if not self.p["wait"] or self.check_mode:
            return
        delay = 5
        waiter = self.client.get_waiter("load_balancer_available")
        try:
            waiter.wait(LoadBalancerArns=[balancer["LoadBalancerArn"]], WaiterConfig={"Delay": delay, "MaxAttempts": max(1, self.p["wait_timeout"] // delay)})
        except botocore.exceptions.WaiterError as e:
            self.module.fail_json(msg=f"load balancer {self.p['name']} did not become active within {self.p['wait_timeout']} s: {e}")

    # ---- listeners

    def plan_listeners(self, balancer_arn, listeners, extras, group_arns):
        p = self.p
        current = {listener["Port"]: listener for listener in listeners}
        plans = []
        for spec in p["listeners"] or []:
            actions = [request_action(a, group_arns) for a in spec["default_actions"]]
            https = spec["protocol"] == "HTTPS"
            certificates = list(dict.fromkeys(spec["certificates"] or []))
            wanted_extras = sorted(set(certificates[1:]) - set(certificates[:1]))
            listener = current.get(spec["port"])
            if listener is None:
                request = {"LoadBalancerArn": balancer_arn, "Protocol": spec["protocol"], "Port": spec["port"], "DefaultActions": actions}
                if https:
                    request["Certificates"] = [{"CertificateArn": certificates[0]}]
                    if spec["ssl_policy"]:
                        request["SslPolicy"] = spec["ssl_policy"]
                plans.append({"spec": spec, "create": request, "add": wanted_extras, "remove": [], "extras_before": []})
                continue
            modify = {}
            protocol_changes = listener.get("Protocol") != spec["protocol"]
            if protocol_changes:
                modify["Protocol"] = spec["protocol"]
            if https:
                if spec["ssl_policy"] and (protocol_changes or listener.get("SslPolicy") != spec["ssl_policy"]):
                    modify["SslPolicy"] = spec["ssl_policy"]
                if protocol_changes or default_certificate(listener) != certificates[0]:
                    modify["Certificates"] = [{"CertificateArn": certificates[0]}]
            if actions_key(listener.get("DefaultActions")) != actions_key(actions):
                modify["DefaultActions"] = actions
            before_extras = extras.get(listener["ListenerArn"], [])
            add = sorted(set(wanted_extras) - set(before_extras)) if https else []
            remove = sorted(set(before_extras) - set(wanted_extras)) if https else []
            plans.append({"spec": spec, "before": listener, "modify": modify, "add": add, "remove": remove, "extras_before": before_extras})
        wanted_ports = {spec["port"] for spec in p["listeners"] or []}
        purge = [listener for port, listener in sorted(current.items()) if port not in wanted_ports] if p["purge_listeners"] else []
        kept = [listener for port, listener in sorted(current.items()) if port not in wanted_ports] if not p["purge_listeners"] else []
        return plans, purge, kept

    def apply_listeners(self, plans, purge, kept, extras):
        client = self.client
        after = [dict(listener, AllCertificates=all_certificates(listener, extras.get(listener["ListenerArn"], []))) for listener in kept]
        for listener in purge:
            self.changed(f"delete listener {listener['Protocol']}:{listener['Port']}")
            if not self.check_mode:
                client.delete_listener(ListenerArn=listener["ListenerArn"], aws_retry=True)
        for plan in plans:
            spec = plan["spec"]
            what = f"listener {spec['protocol']}:{spec['port']}"
            if plan.get("create"):
                self.changed(f"create {what}")
                if self.check_mode:
                    listener = dict(plan["create"], ListenerArn="")
                else:
                    listener = client.create_listener(aws_retry=True, **plan["create"])["Listeners"][0]
            else:
                listener = plan["before"]
                if plan["modify"]:
                    self.changed(f"modify {what}: {', '.join(sorted(plan['modify']))}")
                    if self.check_mode:
                        listener = dict(listener, **plan["modify"])
                    else:
                        listener = client.modify_listener(ListenerArn=listener["ListenerArn"], aws_retry=True, **plan["modify"])["Listeners"][0]
            if plan["remove"]:
                self.changed(f"remove certificates from {what}")
                if not self.check_mode:
                    client.remove_listener_certificates(
                        ListenerArn=listener["ListenerArn"], Certificates=[{"CertificateArn": c} for c in plan["remove"]], aws_retry=True
                    )
            if plan["add"]:
                self.changed(f"add certificates to {what}")
                if not self.check_mode:
                    client.add_listener_certificates(
                        ListenerArn=listener["ListenerArn"], Certificates=[{"CertificateArn": c} for c in plan["add"]], aws_retry=True
                    )
            listener_extras = sorted((set(plan["extras_before"]) - set(plan["remove"])) | set(plan["add"]))
            listener["AllCertificates"] = all_certificates(listener, listener_extras)
            after.append(listener)
        return sorted(after, key=lambda listener: listener["Port"])


# ---------------------------------------------------------------- results


def snake(resource, tags=None, attributes=None):
    result = camel_dict_to_snake_dict({k: v for k, v in resource.items() if k not in ("Tags", "AllCertificates")})
    if tags is not None:
        result["tags"] = tags
    if attributes is not None:
        result["attributes"] = attributes
    return result


def listener_result(listener, names):
    result = snake(listener)
    if "AllCertificates" in listener:
        result["certificates"] = [{"certificate_arn": arn} for arn in listener["AllCertificates"]]
    for action in result.get("default_actions", []):
        if action.get("target_group_arn") in names:
            action["target_group_name"] = names[action["target_group_arn"]]
    return result


def balancer_view(balancer, attributes, tags, keys):
    if not balancer:
        return {}
    return {
        "scheme": balancer.get("Scheme"),
        "subnets": sorted(z["SubnetId"] for z in balancer.get("AvailabilityZones", [])),
        "security_groups": sorted(balancer.get("SecurityGroups") or []),
        "ip_address_type": balancer.get("IpAddressType"),
        "tags": tags,
        "attributes": {k: (attributes or {}).get(k) for k in keys},
    }


def group_view(group, attributes, tags, keys):
    if not group:
        return {}
    view = {option: group.get(key) for option, key in FIXED_FIELDS.items()}
    view["health_check"] = {option: group.get(key) for option, key in HEALTH_CHECK_FIELDS.items()}
    view["matcher"] = group.get("Matcher")
    view["attributes"] = {k: (attributes or {}).get(k) for k in keys}
    view["tags"] = tags
    return view


def listener_view(listener, extras, names):
    actions = []
    for key in actions_key(listener.get("DefaultActions")):
        if key[0] == "forward":
            actions.append("forward to " + ", ".join(names.get(arn) or arn or "(planned)" for arn, _weight in key[1]))
        elif key[0] == "redirect":
            actions.append("redirect {}://{}:{}{}?{} {}".format(*key[1:]))
        else:
            actions.append(" ".join(str(part) for part in key if part))
    return {
        "protocol": listener.get("Protocol"),
        "ssl_policy": listener.get("SslPolicy") if listener.get("Protocol") == "HTTPS" else None,
        "certificates": all_certificates(listener, extras),
        "default_actions": actions,
    }


# ---------------------------------------------------------------- main paths


def ensure_present(run):
    p, client = run.p, run.client
    names = [spec["name"] for spec in p["target_groups"]]

    # 1. read everything once
    balancer = find_load_balancer(client, p["name"])
    groups = target_groups_by_name(client, names)
    group_attributes = {
        spec["name"]: target_group_attributes(client, groups[spec["name"]]["TargetGroupArn"])
        for spec in p["target_groups"]
        if spec["name"] in groups and wanted_group_attributes(spec)
    }
    tagged = [groups[spec["name"]]["TargetGroupArn"] for spec in p["target_groups"] if spec["name"] in groups and spec["tags"] is not None]
    if balancer and p["tags"] is not None:
        tagged.insert(0, balancer["LoadBalancerArn"])
    tags = resource_tags(client, tagged)
    listeners, extras = [], {}
    if balancer and p["listeners"] is not None:
        listeners = pages(client.describe_listeners, "Listeners", LoadBalancerArn=balancer["LoadBalancerArn"])
        https_ports = {spec["port"] for spec in p["listeners"] if spec["protocol"] == "HTTPS"}
        wanted_ports = {spec["port"] for spec in p["listeners"]}
        for listener in listeners:
            if listener.get("Protocol") == "HTTPS" and (listener["Port"] in https_ports or (listener["Port"] not in wanted_ports and not p["purge_listeners"])):
                extras[listener["ListenerArn"]] = extra_certificates(client, listener)
    balancer_attributes = load_balancer_attributes(client, balancer["LoadBalancerArn"]) if balancer and p["attributes"] else {}

    # 2. plan the load balancer and the target groups; fail before any change on what cannot be done
    group_plans, before_group_tags = [], {}
    for index, spec in enumerate(p["target_groups"]):
        group = groups.get(spec["name"])
        arn = group["TargetGroupArn"] if group else None
        group_tags = before_group_tags[spec["name"]] = tags.get(arn, {}) if arn and spec["tags"] is not None else None
        group_plans.append(run.plan_group(index, spec, group, group_attributes.get(spec["name"]), group_tags))
    balancer_tags = tags.get(balancer["LoadBalancerArn"], {}) if balancer and p["tags"] is not None else None
    balancer_plan = run.plan_load_balancer(balancer, balancer_attributes, balancer_tags)
    if run.errors:
        run.module.fail_json(msg="; ".join(run.errors))

    # 3. target groups first (listeners forward to them), then the load balancer, then its listeners
    groups_after = {}
    for plan in group_plans:
        groups_after[plan["spec"]["name"]] = run.apply_group(plan)
    group_arns = {name: group["TargetGroupArn"] for name, (group, _attrs, _tags) in groups_after.items()}
    names_by_arn = {arn: name for name, arn in group_arns.items() if arn}
    balancer_after, attributes_after, tags_after = run.apply_load_balancer(balancer_plan)
    listeners_after = []
    listener_plans, purge, kept = [], [], []
    if p["listeners"] is not None:
        listener_plans, purge, kept = run.plan_listeners(balancer_after["LoadBalancerArn"], listeners, extras, group_arns)
        listeners_after = run.apply_listeners(listener_plans, purge, kept, extras)

    # 4. results and diff (before and after of what was compared)
    group_keys = {spec["name"]: sorted(wanted_group_attributes(spec)) for spec in p["target_groups"]}
    balancer_keys = sorted(wanted_attributes(p["attributes"]))
    diff = diff_of(
        {
            "load_balancer": balancer_view(balancer, balancer_attributes, balancer_tags, balancer_keys),
            "target_groups": {name: group_view(groups.get(name), group_attributes.get(name), before_group_tags.get(name), group_keys[name]) for name in names},
            "listeners": {str(listener["Port"]): listener_view(listener, extras.get(listener["ListenerArn"], []), names_by_arn) for listener in listeners},
        },
        {
            "load_balancer": balancer_view(balancer_after, attributes_after, tags_after, balancer_keys),
            "target_groups": {name: group_view(*groups_after[name], group_keys[name]) for name in names},
            "listeners": {str(listener["Port"]): listener_view(listener, listener["AllCertificates"][1:], names_by_arn) for listener in listeners_after},
        },
    )
    run.module.exit_json(
        changed=bool(run.changes),
        changes=run.changes,
        load_balancer_arn=balancer_after["LoadBalancerArn"],
        dns_name=balancer_after.get("DNSName", ""),
        load_balancer=snake(balancer_after, tags_after, attributes_after),
        target_groups={name: snake(group, group_tags, group_attrs) for name, (group, group_attrs, group_tags) in groups_after.items()},
        listeners=[listener_result(listener, names_by_arn) for listener in listeners_after],
        diff=diff,
    )


def ensure_absent(run):
    p, client = run.p, run.client
    balancer = find_load_balancer(client, p["name"])
    groups = target_groups_by_name(client, [spec["name"] for spec in p["target_groups"]])
    listeners = []
    if balancer:
        arn = balancer["LoadBalancerArn"]
        if balancer.get("Type") != "application":
            run.errors.append(f"name: {p['name']} is a {balancer.get('Type')} load balancer, not an application load balancer")
        elif load_balancer_attributes(client, arn).get("deletion_protection.enabled") == "true":
            run.errors.append(
                f"load balancer {p['name']} has deletion protection on: turn it off first (state=present, attributes deletion_protection.enabled=false)"
            )
        listeners = pages(client.describe_listeners, "Listeners", LoadBalancerArn=arn)
    for index, spec in enumerate(p["target_groups"]):
        group = groups.get(spec["name"])
        others = [a for a in (group or {}).get("LoadBalancerArns", []) if not balancer or a != balancer["LoadBalancerArn"]]
        if others:
            run.errors.append(f"target_groups[{index}].name: target group {spec['name']} is still used by load balancer(s) {', '.join(others)}")
    if run.errors:
        run.module.fail_json(msg="; ".join(run.errors))

    for listener in listeners:
        run.changed(f"delete listener {listener['Protocol']}:{listener['Port']}")
        if not run.check_mode:
            client.delete_listener(ListenerArn=listener["ListenerArn"], aws_retry=True)
    if balancer:
        run.changed(f"delete load balancer {p['name']}")
        if not run.check_mode:
            client.delete_load_balancer(LoadBalancerArn=balancer["LoadBalancerArn"], aws_retry=True)
    for spec in p["target_groups"]:
        if spec["name"] in groups:
            run.changed(f"delete target group {spec['name']}")
            if not run.check_mode:
                delete_group = IN_USE_RETRY(client.delete_target_group)
                delete_group(TargetGroupArn=groups[spec["name"]]["TargetGroupArn"], aws_retry=True)

    before = {
        "load_balancer": {"load_balancer_arn": balancer["LoadBalancerArn"]} if balancer else {},
        "target_groups": {name: {"target_group_arn": group["TargetGroupArn"]} for name, group in groups.items()},
        "listeners": {str(listener["Port"]): {"protocol": listener.get("Protocol")} for listener in listeners},
    }
    run.module.exit_json(
        changed=bool(run.changes),
        changes=run.changes,
        load_balancer_arn="",
        dns_name="",
        load_balancer={},
        target_groups={},
        listeners=[],
        diff=diff_of(before, {"load_balancer": {}, "target_groups": {}, "listeners": {}}),
    )


def main():
    redirect_options = dict(
        protocol=dict(type="str", default="#{protocol}"),
        port=dict(type="str", default="#{port}"),
        host=dict(type="str", default="#{host}"),
        path=dict(type="str", default="/#{path}"),
        query=dict(type="str", default="#{query}"),
        status_code=dict(type="str", required=True, choices=["HTTP_301", "HTTP_302"]),
    )
    fixed_response_options = dict(
        status_code=dict(type="str", required=True),
        content_type=dict(type="str", choices=["text/plain", "text/css", "text/html", "application/javascript", "application/json"]),
        message_body=dict(type="str"),
    )
    action_options = dict(
        type=dict(type="str", required=True, choices=["forward", "redirect", "fixed-response"]),
        target_group=dict(type="str"),
        redirect=dict(type="dict", options=redirect_options),
        fixed_response=dict(type="dict", options=fixed_response_options),
    )
    health_check_options = dict(
        enabled=dict(type="bool"),
        protocol=dict(type="str", choices=["HTTP", "HTTPS"]),
        port=dict(type="str"),
        path=dict(type="str"),
        interval_seconds=dict(type="int"),
        timeout_seconds=dict(type="int"),
        healthy_threshold_count=dict(type="int"),
        unhealthy_threshold_count=dict(type="int"),
    )
    group_options = dict(
        name=dict(type="str", required=True),
        protocol=dict(type="str", choices=["HTTP", "HTTPS"]),
        protocol_version=dict(type="str", choices=["HTTP1", "HTTP2", "GRPC"]),
        port=dict(type="int"),
        vpc_id=dict(type="str"),
        target_type=dict(type="str", choices=["instance", "ip", "lambda"], default="instance"),
        health_check=dict(type="dict", options=health_check_options),
        matcher=dict(type="dict", options=dict(http_code=dict(type="str"), grpc_code=dict(type="str"))),
        deregistration_delay=dict(type="int"),
        attributes=dict(type="dict"),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
    )
    listener_options = dict(
        port=dict(type="int", required=True),
        protocol=dict(type="str", required=True, choices=["HTTP", "HTTPS"]),
        ssl_policy=dict(type="str"),
        certificates=dict(type="list", elements="str"),
        default_actions=dict(type="list", elements="dict", required=True, options=action_options),
    )
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        scheme=dict(type="str", choices=["internet-facing", "internal"]),
        subnets=dict(type="list", elements="str"),
        security_groups=dict(type="list", elements="str"),
        ip_address_type=dict(type="str", choices=["ipv4", "dualstack", "dualstack-without-public-ipv4"]),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        attributes=dict(type="dict"),
        target_groups=dict(type="list", elements="dict", default=[], options=group_options),
        listeners=dict(type="list", elements="dict", options=listener_options),
        purge_listeners=dict(type="bool", default=True),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=600),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    run = Run(module, retrying_client(module, "elbv2"))
    try:
        if module.params["state"] == "absent":
            ensure_absent(run)
        else:
            ensure_present(run)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage load balancer {module.params['name']}")


if __name__ == "__main__":
    main()
