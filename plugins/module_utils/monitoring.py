# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers shared by the monitoring modules (CloudWatch Logs groups, metric alarms and filters, dashboards, CloudTrail).

- token_pages(): a pagination loop whose every page is fetched with aws_retry=True,
  for the APIs whose token is ``nextToken`` (CloudWatch Logs) or ``NextToken``.
- RETENTION_DAYS / KMS_KEY_ARN / LOG_GROUP_NAME: what CloudWatch Logs accepts, to
  validate before any API call.
- read_log_groups(): the named log groups, one DescribeLogGroups per name.
- log_group_arn(): the ARN of a log group without the trailing ``:*``.
- read_alarms() / read_metric_filters(): the alarms and metric filters of a list of names.
- alarm_request() / alarm_differs(): the PutMetricAlarm request of an alarm option, and
  whether an existing alarm differs from it (with the API's defaults filled in).
- filter_request() / filter_differs(): the same for PutMetricFilter.
"""

from __future__ import annotations

import json
import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

# The values PutRetentionPolicy accepts (the API model has no enum for them).
RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
# CloudWatch Logs needs the key ARN (not an alias) for a log group.
KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$")
LOG_GROUP_NAME = re.compile(r"^[\.\-_/#A-Za-z0-9]{1,512}$")
METRIC_FILTER_NAME = re.compile(r"^[^:*]{1,512}$")
SNS_TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$")
# Alarm actions: SNS topics, Auto Scaling policies, EC2 actions, SSM OpsItems/incidents, Lambda.
ALARM_ACTION = re.compile(r"^arn:aws[a-z-]*:(sns|autoscaling|automate|ssm|ssm-incidents|swf|lambda):")


def token_pages(client, method, result_key, page_key="nextToken", **request):
    """Every item of a paginated call (its token named ``page_key`` in request and response), each page with retries."""
    items = []
    while True:
        page = getattr(client, method)(aws_retry=True, **request)
        items.extend(page.get(result_key) or [])
        next_page = page.get(page_key)
        if not next_page:
            return items
        request[page_key] = next_page


def log_group_arn(group):
    """The ARN of a described log group, without the ``:*`` that DescribeLogGroups appends to ``arn``."""
    arn = group.get("logGroupArn") or group.get("arn") or ""
    return arn[:-2] if arn.endswith(":*") else arn


def read_log_groups(client, names):
    """{name: described log group} for the named groups that exist (one DescribeLogGroups per name)."""
    found = {}
    for name in dict.fromkeys(names):
        for group in token_pages(client, "describe_log_groups", "logGroups", logGroupNamePrefix=name):
            if group["logGroupName"] == name:
                found[name] = group
    return found


def snake_log_group(group, tags):
    """A described log group in snake_case with its ARN (no ``:*``) and, when they were read, its tags."""
    result = camel_dict_to_snake_dict(group)
    result["log_group_arn"] = log_group_arn(group)
    if tags is not None:
        result["tags"] = dict(tags)
    return result


# --- Metric alarms and metric filters -------------------------------------------------------------

# Alarm fields as DescribeAlarms returns them, with the value AWS assumes when a request omits them.
ALARM_DEFAULTS = {
    "AlarmDescription": None,
    "ActionsEnabled": True,
    "OKActions": [],
    "AlarmActions": [],
    "InsufficientDataActions": [],
    "MetricName": None,
    "Namespace": None,
    "Statistic": None,
    "ExtendedStatistic": None,
    "Dimensions": [],
    "Period": None,
    "Unit": None,
    "EvaluationPeriods": None,
    "DatapointsToAlarm": None,
    "Threshold": None,
    "ComparisonOperator": None,
    "TreatMissingData": "missing",
    "EvaluateLowSampleCountPercentile": None,
    "Metrics": [],
    "ThresholdMetricId": None,
}


def _dimensions(dimensions):
    return [{"Name": k, "Value": str(v)} for k, v in sorted((dimensions or {}).items())]


def metric_query(query):
    """One element of an alarm's ``metrics`` option (snake_case) as the API's MetricDataQuery."""
    result = {"Id": query["id"], "ReturnData": True if query.get("return_data") is None else query["return_data"]}
    if query.get("expression"):
        result["Expression"] = query["expression"]
    if query.get("label"):
        result["Label"] = query["label"]
    if query.get("period"):
        result["Period"] = query["period"]
    if query.get("metric_name"):
        stat = {
            "Metric": {"Namespace": query["namespace"], "MetricName": query["metric_name"], "Dimensions": _dimensions(query.get("dimensions"))},
            "Period": query.get("period") or 300,
            "Stat": query.get("stat") or "Average",
        }
        result.pop("Period", None)
        result["MetricStat"] = stat
    return result


def alarm_request(alarm, default_actions):
    """The PutMetricAlarm request (without Tags) of one element of the ``alarms`` option."""
    request = {
        "AlarmName": alarm["name"],
        "ActionsEnabled": alarm["actions_enabled"],
        "AlarmActions": sorted(alarm["alarm_actions"] if alarm["alarm_actions"] is not None else default_actions),
        "OKActions": sorted(alarm["ok_actions"] if alarm["ok_actions"] is not None else []),
        "InsufficientDataActions": sorted(alarm["insufficient_data_actions"] or []),
        "EvaluationPeriods": alarm["evaluation_periods"],
        "Threshold": float(alarm["threshold"]),
        "ComparisonOperator": alarm["comparison_operator"],
        "TreatMissingData": alarm["treat_missing_data"],
    }
    if alarm["description"]:
        request["AlarmDescription"] = alarm["description"]
    if alarm["datapoints_to_alarm"]:
        request["DatapointsToAlarm"] = alarm["datapoints_to_alarm"]
    if alarm["metrics"]:
        request["Metrics"] = [metric_query(q) for q in alarm["metrics"]]
    else:
        request.update(
            {
                "MetricName": alarm["metric_name"],
                "Namespace": alarm["namespace"],
                "Dimensions": _dimensions(alarm["dimensions"]),
                "Period": alarm["period"],
            }
        )
        if alarm["extended_statistic"]:
            request["ExtendedStatistic"] = alarm["extended_statistic"]
        else:
            request["Statistic"] = alarm["statistic"]
        if alarm["unit"]:
            request["Unit"] = alarm["unit"]
    return request


def _comparable_alarm(alarm):
    """An alarm (as described or as requested) reduced to the fields PutMetricAlarm sets, defaults filled in."""
    result = {}
    for key, default in ALARM_DEFAULTS.items():
        value = alarm.get(key, default)
        if value is None:
            value = default
        if key in ("OKActions", "AlarmActions", "InsufficientDataActions"):
            value = sorted(value or [])
        elif key == "Dimensions":
            value = sorted(({"Name": d["Name"], "Value": d["Value"]} for d in value or []), key=lambda d: d["Name"])
        elif key == "Threshold" and value is not None:
            value = float(value)
        elif key == "Metrics":
            value = json.loads(json.dumps(value or [], sort_keys=True))
        result[key] = value
    return result


def alarm_differs(current, request):
    """Whether an existing alarm differs from a PutMetricAlarm request."""
    return _comparable_alarm(current) != _comparable_alarm(request)


def filter_request(alarm):
    """The PutMetricFilter request of an alarm's ``metric_filter`` (None when it has none)."""
    spec = alarm.get("metric_filter")
    if not spec:
        return None
    transformation = {"metricName": alarm["metric_name"], "metricNamespace": alarm["namespace"], "metricValue": spec["metric_value"]}
    if spec.get("default_value") is not None:
        transformation["defaultValue"] = float(spec["default_value"])
    return {
        "logGroupName": spec["log_group_name"],
        "filterName": spec.get("filter_name") or alarm["name"],
        "filterPattern": spec["pattern"],
        "metricTransformations": [transformation],
    }


def _comparable_filter(metric_filter):
    transformations = []
    for t in metric_filter.get("metricTransformations") or []:
        item = {"metricName": t.get("metricName"), "metricNamespace": t.get("metricNamespace"), "metricValue": str(t.get("metricValue"))}
        if t.get("defaultValue") is not None:
            item["defaultValue"] = float(t["defaultValue"])
        transformations.append(item)
    return {"filterPattern": metric_filter.get("filterPattern") or "", "metricTransformations": transformations}


def filter_differs(current, request):
    return _comparable_filter(current) != _comparable_filter(request)


def read_alarms(client, names):
    """{name: described metric alarm} for the named alarms that exist (DescribeAlarms takes 100 names at a time)."""
    names = list(dict.fromkeys(names))
    found = {}
    for start in range(0, len(names), 100):
        chunk = names[start : start + 100]
        for alarm in token_pages(client, "describe_alarms", "MetricAlarms", page_key="NextToken", AlarmNames=chunk, AlarmTypes=["MetricAlarm"]):
            found[alarm["AlarmName"]] = alarm
    return found


def read_metric_filters(client, log_group_names):
    """{(log group, filter name): described metric filter} of every filter of the named log groups that exist."""
    found = {}
    for group in dict.fromkeys(log_group_names):
        try:
            filters = token_pages(client, "describe_metric_filters", "metricFilters", logGroupName=group)
        except client.exceptions.ResourceNotFoundException:
            continue
        for metric_filter in filters:
            found[(group, metric_filter["filterName"])] = metric_filter
    return found
