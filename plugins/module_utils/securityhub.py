# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Security Hub, shared by securityhub and threat_detection (its ``securityhub`` option).

- hub_options(): the options (a new dict on each call), without the connection ones.
- validate(): the standards' names and versions against the table in security_services.py;
  the problems, each naming the option and item, before any API call.
- manage(): read the hub (and the enabled standards only when ``standards`` is given), plan,
  apply (check mode aware); returns (changed, result, diff), the result being what securityhub
  returns besides ``changed`` and ``diff``. botocore errors are left to the caller
  (fail_json_aws with FAILURE).
"""

from __future__ import annotations

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import SECURITYHUB_STANDARDS
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import partition_of
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import securityhub_arn_key
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import securityhub_enabled_standards
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import securityhub_read_hub
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import securityhub_standard_arn
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import securityhub_standard_key
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import securityhub_subscription
from ansible_collections.healthplatform.aws.plugins.module_utils.security_services import snake

FAILURE = "Failed to manage AWS Security Hub"
# A subscription being deleted no longer counts as enabled.
GONE = ("DELETING",)


def hub_options():
    """securityhub's options; the suboptions of threat_detection's ``securityhub``."""
    return dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        control_finding_generator=dict(type="str", choices=["SECURITY_CONTROL", "STANDARD_CONTROL"]),
        auto_enable_controls=dict(type="bool"),
        standards=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                version=dict(type="str"),
            ),
        ),
        purge_standards=dict(type="bool", default=False),
    )


def standard_key(item, index, where=""):
    """(the ARN key of one ``standards`` item, None) or (None, the problem naming the item)."""
    option = f"{where}standards[{index}]"
    name, version = item["name"], item["version"]
    versions = SECURITYHUB_STANDARDS.get(name)
    if versions is None:
        return None, f"{option}.name: unknown standard name {name!r}; known: {', '.join(sorted(SECURITYHUB_STANDARDS))}"
    if version is None:
        if len(versions) > 1:
            return None, f"{option}.version: {name} has several versions ({', '.join(versions)}); give the version"
        version = versions[0]
    if version not in versions:
        return None, f"{option}.version: {name} has no version {version!r}; known: {', '.join(versions)}"
    return securityhub_standard_key(name, version), None


def validate(params, where=""):
    """The problems argument_spec cannot see, each naming the option and item (prefixed by
    ``where``, for example ``securityhub.``); [] when there are none. No API call."""
    problems = []
    for index, item in enumerate(params["standards"] or []):
        problem = standard_key(item, index, where)[1]
        if problem:
            problems.append(problem)
    return problems


def wanted_keys(params):
    """The ARN keys of the wanted standards (validated), in order and once each; None when standards are not managed."""
    if params["standards"] is None:
        return None
    keys = []
    for index, item in enumerate(params["standards"]):
        key = standard_key(item, index)[0]
        if key not in keys:
            keys.append(key)
    return keys


def config_update(hub, params):
    """The UpdateSecurityHubConfiguration fields that differ."""
    update = {}
    if params["auto_enable_controls"] is not None and hub.get("AutoEnableControls") != params["auto_enable_controls"]:
        update["AutoEnableControls"] = params["auto_enable_controls"]
    generator = params["control_finding_generator"]
    if generator and hub.get("ControlFindingGenerator") != generator:
        update["ControlFindingGenerator"] = generator
    return update


def enable_hub(module, client, params):
    """Enable Security Hub without default standards; return the hub as it then is (planned in check mode)."""
    generator = params["control_finding_generator"]
    if module.check_mode:
        return {"AutoEnableControls": True, "ControlFindingGenerator": generator or "SECURITY_CONTROL"}
    request = {"EnableDefaultStandards": False}
    if generator:
        request["ControlFindingGenerator"] = generator
    client.enable_security_hub(aws_retry=True, **request)
    return securityhub_read_hub(client) or {}


def ensure_standards(module, client, params, subscriptions, keys):
    """Enable the missing standards, then (purge) disable the others. Returns (changed, subscriptions after)."""
    active = {securityhub_arn_key(s["StandardsArn"]): s for s in subscriptions if s.get("StandardsStatus") not in GONE}
    partition = partition_of(module.region)
    to_enable = [securityhub_standard_arn(partition, module.region, key) for key in keys if key not in active]
    to_disable = [s for key, s in active.items() if key not in keys] if params["purge_standards"] else []
    if not (to_enable or to_disable):
        return False, list(active.values())

    after = [s for s in active.values() if s not in to_disable]
    if module.check_mode:
        return True, after + [{"StandardsArn": arn, "StandardsStatus": "PENDING"} for arn in to_enable]
    if to_enable:
        response = client.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": arn} for arn in to_enable], aws_retry=True)
        after.extend(response.get("StandardsSubscriptions") or [])
    if to_disable:
        client.batch_disable_standards(StandardsSubscriptionArns=[s["StandardsSubscriptionArn"] for s in to_disable], aws_retry=True)
    return True, after


def diff_view(hub, subscriptions):
    if hub is None:
        return {"enabled": False}
    view = {
        "enabled": True,
        "auto_enable_controls": hub.get("AutoEnableControls"),
        "control_finding_generator": hub.get("ControlFindingGenerator"),
    }
    if subscriptions is not None:
        view["standards"] = sorted(securityhub_arn_key(s["StandardsArn"]) for s in subscriptions if s.get("StandardsStatus") not in GONE)
    return view


def manage(module, client, params):
    """Bring Security Hub to ``params`` (validated). Returns (changed, result, diff) with result
    {hub} and, when ``standards`` is given and state=present, {standards}."""
    keys = wanted_keys(params)
    hub = securityhub_read_hub(client)
    if params["state"] == "absent":
        changed = hub is not None
        if changed and not module.check_mode:
            client.disable_security_hub(aws_retry=True)
        return changed, {"hub": {}}, diff_of(diff_view(hub, None), diff_view(None, None))

    if hub is None:
        # a hub enabled without default standards has none: nothing to read
        before_view = diff_view(None, None)
        hub = enable_hub(module, client, params)
        subscriptions = [] if keys is not None else None
        changed = True
    else:
        subscriptions = securityhub_enabled_standards(client) if keys is not None else None
        before_view = diff_view(hub, subscriptions)
        changed = False

    update = config_update(hub, params)
    if update:
        changed = True
        if not module.check_mode:
            client.update_security_hub_configuration(aws_retry=True, **update)
        hub = dict(hub, **update)

    if keys is not None:
        standards_changed, subscriptions = ensure_standards(module, client, params, subscriptions, keys)
        changed = changed or standards_changed

    result = {"hub": snake(hub)}
    if subscriptions is not None:
        result["standards"] = [securityhub_subscription(s) for s in subscriptions]
    return changed, result, diff_of(before_view, diff_view(hub, subscriptions))
