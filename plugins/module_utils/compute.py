# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers of the compute tier's modules: launch templates, Auto Scaling groups and their policies.

- secret_findings(): what in a text looks like a secret (HP-07), by pattern name, never the value;
- normalized_template_data(): a launch template's data in a canonical form, so that what AWS (or the
  emulator) describes compares equal to what the module would send;
- Auto Scaling tag conversions and the ALBRequestCountPerTarget resource label of a target group;
- the target tracking scaling policies and lifecycle hooks of a group (option specs, validation,
  PolicySet: read, plan, apply), shared by autoscaling_policy_set and autoscaling_group.
"""

from __future__ import annotations

import base64
import copy
import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

# Patterns of secret-looking content. Each names what it found; the matched text is never kept.
# A literal value is required after "password=" and friends, so that a script that fetches a
# secret at run time (PASSWORD="$(aws secretsmanager get-secret-value ...)") is not flagged.
SECRET_PATTERNS = (
    ("AWS access key ID", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b")),
    ("AWS secret access key", re.compile(r"(?i)aws_?secret_?access_?key\s*[=:]\s*['\"]?[A-Za-z0-9/+]{20,}")),
    ("private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")),
    (
        "password or secret assignment",
        re.compile(r"(?i)\b(?:[a-z0-9_]*_)?(?:password|passwd|pwd|secret|api_?key|auth_?token|access_?token)\s*[=:]\s*['\"]?(?![\s$'\"`{(<])[^\s'\"]{4,}"),
    ),
    ("credentials in a URL", re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:(?![\s$'\"`{(<])[^/\s@]{3,}@")),
    ("GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b")),
    ("Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b")),
)

# Resource types a launch template's TagSpecifications may name for the launched resources.
LAUNCH_TAG_RESOURCE_TYPES = ("instance", "volume", "network-interface")

# Instance refresh states in which a refresh still runs (a new one cannot start).
ACTIVE_REFRESH_STATES = ("Pending", "InProgress", "Cancelling", "RollbackInProgress", "Baking")

GROUP_METRICS = (
    "GroupMinSize",
    "GroupMaxSize",
    "GroupDesiredCapacity",
    "GroupInServiceInstances",
    "GroupPendingInstances",
    "GroupStandbyInstances",
    "GroupTerminatingInstances",
    "GroupTotalInstances",
    "GroupInServiceCapacity",
    "GroupPendingCapacity",
    "GroupStandbyCapacity",
    "GroupTerminatingCapacity",
    "GroupTotalCapacity",
    "WarmPoolDesiredCapacity",
    "WarmPoolWarmedCapacity",
    "WarmPoolPendingCapacity",
    "WarmPoolTerminatingCapacity",
    "WarmPoolTotalCapacity",
    "GroupAndWarmPoolDesiredCapacity",
    "GroupAndWarmPoolTotalCapacity",
)

TARGET_GROUP_ARN = re.compile(r"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:(targetgroup/[^/]+/[0-9a-f]+)$")
LOAD_BALANCER_ARN = re.compile(r"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer/(app/[^/]+/[0-9a-f]+)$")


def secret_findings(text):
    """Names of the secret patterns found in ``text`` (empty list when none). Never returns the text."""
    if not text:
        return []
    return [name for name, pattern in SECRET_PATTERNS if pattern.search(text)]


def decode_user_data(encoded):
    """User data as text, from the base64 a launch template stores (undecodable bytes replaced)."""
    if not encoded:
        return ""
    try:
        return base64.b64decode(encoded).decode("utf-8", "replace")
    except (ValueError, TypeError):
        return ""


def shown_user_data(encoded):
    """User data as text for a result or diff; withheld (never shown) when it looks like it holds a secret."""
    text = decode_user_data(encoded)
    found = secret_findings(text)
    if found:
        return f"(withheld: looks like it holds a secret: {', '.join(found)})"
    return text


def withheld_secrets(data):
    """A copy of launch template data whose UserData is replaced by a note when it looks like it holds a secret."""
    data = dict(data or {})
    if secret_findings(decode_user_data(data.get("UserData"))):
        data["UserData"] = shown_user_data(data["UserData"])
    return data


def encode_user_data(text):
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _sorted_tags(tags):
    return sorted(({"Key": t["Key"], "Value": t.get("Value", "")} for t in tags or []), key=lambda t: t["Key"])


def normalized_template_data(data):
    """A launch template's data in canonical form for comparison.

    Tag lists and security groups are sorted, and the ``launch-template`` tag
    specification that the emulator (moto) echoes into the data is dropped: on AWS
    the data never holds one (the template's own tags are not part of a version).
    """
    result = copy.deepcopy(data or {})
    specs = [
        {"ResourceType": s["ResourceType"], "Tags": _sorted_tags(s.get("Tags"))}
        for s in result.get("TagSpecifications") or []
        if s.get("ResourceType") != "launch-template"
    ]
    if specs:
        result["TagSpecifications"] = sorted(specs, key=lambda s: s["ResourceType"])
    else:
        result.pop("TagSpecifications", None)
    for interface in result.get("NetworkInterfaces") or []:
        if "Groups" in interface:
            interface["Groups"] = sorted(interface["Groups"])
    if "SecurityGroupIds" in result:
        result["SecurityGroupIds"] = sorted(result["SecurityGroupIds"])
    return result


def launch_tags_of(data):
    """The tags a launch template's data applies to launched instances, as a dict (the instance spec)."""
    for spec in (data or {}).get("TagSpecifications") or []:
        if spec.get("ResourceType") == "instance":
            return {t["Key"]: t.get("Value", "") for t in spec.get("Tags") or []}
    return {}


def asg_tags_dict(tags):
    """Auto Scaling group tags as {key: {"value": ..., "propagate_at_launch": ...}}."""
    return {t["Key"]: {"value": t.get("Value", ""), "propagate_at_launch": bool(t.get("PropagateAtLaunch"))} for t in tags or []}


def asg_tag_list(group_name, tags):
    """{key: {"value", "propagate_at_launch"}} to the Tags list of the Auto Scaling API."""
    return [
        {
            "ResourceId": group_name,
            "ResourceType": "auto-scaling-group",
            "Key": key,
            "Value": spec["value"],
            "PropagateAtLaunch": spec["propagate_at_launch"],
        }
        for key, spec in sorted(tags.items())
    ]


def target_group_resource_label(target_group_arn, load_balancer_arn):
    """The ResourceLabel of an ALBRequestCountPerTarget metric: app/<lb>/<id>/targetgroup/<tg>/<id>."""
    tg = TARGET_GROUP_ARN.match(target_group_arn or "")
    lb = LOAD_BALANCER_ARN.match(load_balancer_arn or "")
    if not (tg and lb):
        return None
    return f"{lb.group(1)}/{tg.group(1)}"


# ---- Target tracking scaling policies and lifecycle hooks of a group -------------------------
# Shared by autoscaling_policy_set (the policies and hooks of an existing group) and
# autoscaling_group (the same, as parts of the group, in the run that creates or updates it).

ALB_METRIC = "ALBRequestCountPerTarget"
PREDEFINED_METRICS = ("ASGAverageCPUUtilization", "ASGAverageNetworkIn", "ASGAverageNetworkOut", ALB_METRIC)
LIFECYCLE_TRANSITIONS = ("autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING")

# The argument spec of one target tracking policy (autoscaling_policy_set's target_tracking_policies,
# autoscaling_group's scaling_policies) and of one lifecycle hook (lifecycle_hooks of both).
TARGET_TRACKING_POLICY_OPTIONS = dict(
    name=dict(type="str", required=True),
    metric=dict(type="str", required=True, choices=list(PREDEFINED_METRICS)),
    target_value=dict(type="float", required=True),
    target_group_arn=dict(type="str"),
    resource_label=dict(type="str"),
    disable_scale_in=dict(type="bool", default=False),
    estimated_instance_warmup=dict(type="int"),
    enabled=dict(type="bool", default=True),
)
LIFECYCLE_HOOK_OPTIONS = dict(
    name=dict(type="str", required=True),
    transition=dict(type="str", required=True, choices=list(LIFECYCLE_TRANSITIONS)),
    heartbeat_timeout=dict(type="int", default=300),
    default_result=dict(type="str", choices=["CONTINUE", "ABANDON"], default="CONTINUE"),
    notification_target_arn=dict(type="str"),
    role_arn=dict(type="str"),
    notification_metadata=dict(type="str"),
)

# The stand-in resource label of a target group that check mode cannot resolve yet (never sent to AWS).
PLANNED_LABEL = "(planned: the resource label of {})"


def _duplicates(names):
    seen, dupes = set(), set()
    for name in names:
        (dupes if name in seen else seen).add(name)
    return sorted(dupes)


def policy_and_hook_errors(policies, hooks, policies_option, hooks_option):
    """What argument_spec cannot check in the policies and hooks; the first problem, naming the option and item, or None."""
    if policies:
        dupes = _duplicates(p["name"] for p in policies)
        if dupes:
            return f"{policies_option}: duplicate name(s) {dupes}"
        for index, policy in enumerate(policies):
            where = f"{policies_option}[{index}] ({policy['name']})"
            if policy["target_value"] <= 0:
                return f"{where}: target_value must be above 0, got {policy['target_value']}"
            if policy["metric"] == ALB_METRIC:
                if bool(policy["target_group_arn"]) == bool(policy["resource_label"]):
                    return f"{where}: metric {ALB_METRIC} needs exactly one of target_group_arn and resource_label"
                if policy["target_group_arn"] and not TARGET_GROUP_ARN.match(policy["target_group_arn"]):
                    return f"{where}: target_group_arn must be a target group ARN, got {policy['target_group_arn']!r}"
            elif policy["target_group_arn"] or policy["resource_label"]:
                return f"{where}: target_group_arn and resource_label apply to metric {ALB_METRIC} only"
            if policy["estimated_instance_warmup"] is not None and policy["estimated_instance_warmup"] < 0:
                return f"{where}: estimated_instance_warmup must not be negative, got {policy['estimated_instance_warmup']}"
    if hooks:
        dupes = _duplicates(h["name"] for h in hooks)
        if dupes:
            return f"{hooks_option}: duplicate name(s) {dupes}"
        for index, hook in enumerate(hooks):
            where = f"{hooks_option}[{index}] ({hook['name']})"
            if not 30 <= hook["heartbeat_timeout"] <= 7200:
                return f"{where}: heartbeat_timeout must be between 30 and 7200 seconds, got {hook['heartbeat_timeout']}"
            if bool(hook["notification_target_arn"]) != bool(hook["role_arn"]):
                return f"{where}: notification_target_arn and role_arn go together"
    return None


def resource_labels(module, elbv2, policies, check_mode=False):
    """target group ARN -> ALBRequestCountPerTarget resource label, with one elbv2 read (none without such a policy).

    A target group that is not attached to a load balancer fails the module (before any change). In
    check mode, a target group that does not exist yet or has no load balancer yet (the load balancer
    tier's own check run only planned them) gets a planned label instead, with a warning.
    ``elbv2`` is a callable that returns the client, so that no client is made when none is needed.
    """
    arns = sorted({p["target_group_arn"] for p in policies or [] if p["metric"] == ALB_METRIC and p["target_group_arn"]})
    if not arns:
        return {}
    try:
        groups = elbv2().describe_target_groups(TargetGroupArns=arns, aws_retry=True)["TargetGroups"]
    except botocore.exceptions.ClientError as e:
        if not (check_mode and e.response.get("Error", {}).get("Code") == "TargetGroupNotFound"):
            raise
        module.warn(f"check mode: target group(s) {', '.join(arns)} not found; the {ALB_METRIC} policies are planned without their resource label")
        return {arn: PLANNED_LABEL.format(arn) for arn in arns}
    labels = {}
    for group in groups:
        load_balancers = group.get("LoadBalancerArns") or []
        if load_balancers:
            labels[group["TargetGroupArn"]] = target_group_resource_label(group["TargetGroupArn"], load_balancers[0])
        elif check_mode:
            module.warn(f"check mode: target group {group['TargetGroupArn']} is not attached to a load balancer yet; {ALB_METRIC} needs one")
            labels[group["TargetGroupArn"]] = PLANNED_LABEL.format(group["TargetGroupArn"])
        else:
            module.fail_json(
                msg=f"target group {group['TargetGroupArn']} is not attached to a load balancer yet: {ALB_METRIC} needs one (create the listener first)"
            )
    return labels


def desired_policy(policy, labels):
    """PutScalingPolicy arguments (without the group name) of one policy option item."""
    spec = {"PredefinedMetricType": policy["metric"]}
    if policy["metric"] == ALB_METRIC:
        spec["ResourceLabel"] = policy["resource_label"] or labels[policy["target_group_arn"]]
    request = {
        "PolicyName": policy["name"],
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingConfiguration": {
            "PredefinedMetricSpecification": spec,
            "TargetValue": float(policy["target_value"]),
            "DisableScaleIn": policy["disable_scale_in"],
        },
        "Enabled": policy["enabled"],
    }
    if policy["estimated_instance_warmup"] is not None:
        request["EstimatedInstanceWarmup"] = policy["estimated_instance_warmup"]
    return request


def policy_matches(current, wanted):
    if not current or current.get("PolicyType") != "TargetTrackingScaling":
        return False
    config = current.get("TargetTrackingConfiguration") or {}
    want = wanted["TargetTrackingConfiguration"]
    spec = config.get("PredefinedMetricSpecification") or {}
    if config.get("CustomizedMetricSpecification") or spec.get("PredefinedMetricType") != want["PredefinedMetricSpecification"]["PredefinedMetricType"]:
        return False
    if spec.get("ResourceLabel") != want["PredefinedMetricSpecification"].get("ResourceLabel"):
        return False
    if float(config.get("TargetValue", 0)) != want["TargetValue"] or bool(config.get("DisableScaleIn", False)) != want["DisableScaleIn"]:
        return False
    if current.get("Enabled", True) != wanted["Enabled"]:
        return False
    return "EstimatedInstanceWarmup" not in wanted or current.get("EstimatedInstanceWarmup") == wanted["EstimatedInstanceWarmup"]


def desired_hook(hook):
    """PutLifecycleHook arguments (without the group name) of one hook option item."""
    request = {
        "LifecycleHookName": hook["name"],
        "LifecycleTransition": hook["transition"],
        "HeartbeatTimeout": hook["heartbeat_timeout"],
        "DefaultResult": hook["default_result"],
    }
    for key, option in (("NotificationTargetARN", "notification_target_arn"), ("RoleARN", "role_arn"), ("NotificationMetadata", "notification_metadata")):
        if hook[option] is not None:
            request[key] = hook[option]
    return request


def hook_matches(current, wanted):
    return bool(current) and all(current.get(k) == v for k, v in wanted.items())


def policy_view(policy):
    """What a reader compares of one policy in a diff."""
    config = policy.get("TargetTrackingConfiguration") or {}
    spec = config.get("PredefinedMetricSpecification") or {}
    view = {
        "policy_type": policy.get("PolicyType"),
        "metric": spec.get("PredefinedMetricType"),
        "resource_label": spec.get("ResourceLabel"),
        "target_value": config.get("TargetValue"),
        "disable_scale_in": config.get("DisableScaleIn"),
        "estimated_instance_warmup": policy.get("EstimatedInstanceWarmup"),
        "enabled": policy.get("Enabled", True),
    }
    return {k: v for k, v in view.items() if v is not None}


def hook_view(hook):
    """What a reader compares of one hook in a diff."""
    return camel_dict_to_snake_dict({k: v for k, v in hook.items() if k not in ("LifecycleHookName", "AutoScalingGroupName")})


class PolicySet:
    """The target tracking policies and lifecycle hooks of one group: read, plan, apply.

    ``policies`` and ``hooks`` are the option lists (items as TARGET_TRACKING_POLICY_OPTIONS and
    LIFECYCLE_HOOK_OPTIONS); None leaves that kind alone (not read, not compared, not changed).
    With ``purge_policies`` (``purge_hooks``), the group's policies of any type (hooks) that the
    list does not name are deleted.
    """

    def __init__(self, group_name, policies=None, purge_policies=True, hooks=None, purge_hooks=True):
        self.group_name = group_name
        self.policies = policies
        self.purge_policies = purge_policies
        self.hooks = hooks
        self.purge_hooks = purge_hooks
        self.current_policies = []
        self.current_hooks = []
        self.put_policies, self.delete_policies, self.put_hooks, self.delete_hooks = [], [], [], []
        self.hooks_applied = self.policies_applied = False

    @property
    def manages_policies(self):
        return self.policies is not None

    @property
    def manages_hooks(self):
        return self.hooks is not None

    @property
    def changed(self):
        return bool(self.put_policies or self.delete_policies or self.put_hooks or self.delete_hooks)

    def read(self, client, policies=None, hooks=None):
        """Read the group's policies and hooks (by default those managed): one call each. Returns (policies, hooks)."""
        if policies if policies is not None else self.manages_policies:
            paginator = client.get_paginator("describe_policies")
            self.current_policies = paginator.paginate(AutoScalingGroupName=self.group_name).build_full_result()["ScalingPolicies"]
        if hooks if hooks is not None else self.manages_hooks:
            self.current_hooks = client.describe_lifecycle_hooks(AutoScalingGroupName=self.group_name, aws_retry=True)["LifecycleHooks"]
        return self.current_policies, self.current_hooks

    def plan(self, labels):
        """Compare with what was read (nothing, for a group still to be created): what to put and delete."""
        self.put_policies, self.delete_policies, self.put_hooks, self.delete_hooks = [], [], [], []
        if self.manages_policies:
            by_name = {p["PolicyName"]: p for p in self.current_policies}
            wanted = [desired_policy(p, labels) for p in self.policies]
            self.put_policies = [w for w in wanted if not policy_matches(by_name.get(w["PolicyName"]), w)]
            if self.purge_policies:
                self.delete_policies = sorted(set(by_name) - {w["PolicyName"] for w in wanted})
        if self.manages_hooks:
            by_name = {h["LifecycleHookName"]: h for h in self.current_hooks}
            wanted = [desired_hook(h) for h in self.hooks]
            self.put_hooks = [w for w in wanted if not hook_matches(by_name.get(w["LifecycleHookName"]), w)]
            if self.purge_hooks:
                self.delete_hooks = sorted(set(by_name) - {w["LifecycleHookName"] for w in wanted})
        return self.changed

    def apply_hooks(self, client):
        """Delete and put the hooks that differ; only once (a second call does nothing)."""
        if self.hooks_applied:
            return
        self.hooks_applied = True
        for name in self.delete_hooks:
            client.delete_lifecycle_hook(AutoScalingGroupName=self.group_name, LifecycleHookName=name, aws_retry=True)
        for hook in self.put_hooks:
            client.put_lifecycle_hook(AutoScalingGroupName=self.group_name, aws_retry=True, **hook)

    def apply_policies(self, client):
        """Delete and put the policies that differ; only once (a second call does nothing)."""
        if self.policies_applied:
            return
        self.policies_applied = True
        for name in self.delete_policies:
            client.delete_policy(AutoScalingGroupName=self.group_name, PolicyName=name, aws_retry=True)
        for policy in self.put_policies:
            client.put_scaling_policy(AutoScalingGroupName=self.group_name, aws_retry=True, **policy)

    def planned(self):
        """(policies, hooks) as they will be described after the planned changes (check mode)."""
        group = self.group_name
        policies = {p["PolicyName"]: p for p in self.current_policies if p["PolicyName"] not in self.delete_policies}
        for p in self.put_policies:
            policies[p["PolicyName"]] = dict(p, AutoScalingGroupName=group)
        hooks = {h["LifecycleHookName"]: h for h in self.current_hooks if h["LifecycleHookName"] not in self.delete_hooks}
        for h in self.put_hooks:
            hooks[h["LifecycleHookName"]] = dict(hooks.get(h["LifecycleHookName"], {}), **h, AutoScalingGroupName=group)
        return [policies[k] for k in sorted(policies)], [hooks[k] for k in sorted(hooks)]


def policies_view(policies):
    return {p["PolicyName"]: policy_view(p) for p in policies}


def hooks_view(hooks):
    return {h["LifecycleHookName"]: hook_view(h) for h in hooks}
