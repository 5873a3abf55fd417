# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers of the compute tier's modules: launch templates, Auto Scaling groups and their policies.

- secret_findings(): what in a text looks like a secret (HP-07), by pattern name, never the value;
- normalized_template_data(): a launch template's data in a canonical form, so that what AWS (or the
  emulator) describes compares equal to what the module would send;
- Auto Scaling tag conversions and the ALBRequestCountPerTarget resource label of a target group.
"""

from __future__ import annotations

import base64
import copy
import re

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
