#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cloudwatch_metric_alarms
short_description: Manage a set of CloudWatch metric alarms, each with the log metric filter that feeds it
version_added: 0.1.0
description:
  - Creates, updates or deletes the CloudWatch metric alarms listed in O(alarms) in one task.
    An alarm may carry a CloudWatch Logs metric filter (O(alarms[].metric_filter)) that turns
    matching log events into the alarm's metric, as the CIS AWS Foundations Benchmark
    monitoring controls do with the CloudTrail log group.
  - The alarms are read with one C(DescribeAlarms) call per 100 names, the filters with one
    C(DescribeMetricFilters) per log group; only alarms and filters that differ are written
    (C(PutMetricAlarm), C(PutMetricFilter)).
  - Alarms that are not listed are left alone.
  - Bad input (an alarm without a metric, a filter without a metric name, an action that is
    not an ARN, a name listed twice) fails before any API call, naming the option.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description:
      - Whether the listed alarms (and their metric filters) should exist.
      - C(absent) deletes the listed alarms and the metric filters given with them.
    type: str
    choices: [present, absent]
    default: present
  alarm_actions:
    description:
      - Actions (ARNs, for example of an SNS topic) of every alarm that does not give its own O(alarms[].alarm_actions).
      - When omitted, such an alarm is created without actions and an existing one keeps its actions,
        so a run that does not know the topic never takes it away.
    type: list
    elements: str
  alarms:
    description: The alarms.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Name of the alarm, unique in the account and region.
        type: str
        required: true
      description:
        description: Description of the alarm.
        type: str
      metric_name:
        description:
          - Name of the metric the alarm watches; with O(alarms[].metric_filter), the metric the filter publishes.
          - Required unless O(alarms[].metrics) is given.
        type: str
      namespace:
        description: Namespace of O(alarms[].metric_name).
        type: str
      statistic:
        description: Statistic of the metric (unless O(alarms[].extended_statistic) or O(alarms[].metrics) is given).
        type: str
        choices: [SampleCount, Average, Sum, Minimum, Maximum]
        default: Sum
      extended_statistic:
        description: A percentile statistic such as C(p99), instead of O(alarms[].statistic).
        type: str
      dimensions:
        description: Dimensions of the metric, name to value.
        type: dict
        default: {}
      period:
        description: Seconds over which the statistic is applied (10, 30 or a multiple of 60).
        type: int
        default: 300
      unit:
        description: Unit of the metric. Not compared when omitted.
        type: str
      evaluation_periods:
        description: Number of periods compared with the threshold.
        type: int
        default: 1
      datapoints_to_alarm:
        description: Number of breaching data points (of O(alarms[].evaluation_periods)) that make the alarm fire.
        type: int
      threshold:
        description: Value the statistic is compared with.
        type: float
        required: true
      comparison_operator:
        description: How the statistic is compared with O(alarms[].threshold).
        type: str
        required: true
        choices:
          - GreaterThanOrEqualToThreshold
          - GreaterThanThreshold
          - LessThanThreshold
          - LessThanOrEqualToThreshold
          - LessThanLowerOrGreaterThanUpperThreshold
          - LessThanLowerThreshold
          - GreaterThanUpperThreshold
      treat_missing_data:
        description: How periods without data count.
        type: str
        choices: [breaching, notBreaching, ignore, missing]
        default: missing
      actions_enabled:
        description: Whether the alarm runs its actions.
        type: bool
        default: true
      alarm_actions:
        description: Actions when the alarm fires; defaults to the module's O(alarm_actions).
        type: list
        elements: str
      ok_actions:
        description: Actions when the alarm returns to OK.
        type: list
        elements: str
      insufficient_data_actions:
        description: Actions when the alarm has too little data.
        type: list
        elements: str
      metrics:
        description:
          - A metric math alarm, instead of O(alarms[].metric_name). Each element is one query;
            exactly one should return data (O(alarms[].metrics[].return_data)).
        type: list
        elements: dict
        suboptions:
          id:
            description: ID of the query, starting with a lower-case letter.
            type: str
            required: true
          expression:
            description: A metric math expression over the other queries' IDs, for example C(m1 - m2).
            type: str
          label:
            description: Label of the query.
            type: str
          metric_name:
            description: Metric of the query (instead of O(alarms[].metrics[].expression)).
            type: str
          namespace:
            description: Namespace of O(alarms[].metrics[].metric_name).
            type: str
          dimensions:
            description: Dimensions of the metric.
            type: dict
          stat:
            description: Statistic of the metric, for example C(Minimum).
            type: str
          period:
            description: Period of the metric or expression in seconds.
            type: int
          return_data:
            description: Whether this query is the one the alarm compares with the threshold.
            type: bool
      metric_filter:
        description:
          - A CloudWatch Logs metric filter that publishes O(alarms[].metric_name) in O(alarms[].namespace)
            for every log event matching O(alarms[].metric_filter.pattern).
        type: dict
        suboptions:
          log_group_name:
            description: The log group the filter reads (it must exist).
            type: str
            required: true
          pattern:
            description: The filter pattern, for example C({ $.userIdentity.type = "Root" }).
            type: str
            required: true
          filter_name:
            description: Name of the filter; defaults to the alarm's name.
            type: str
          metric_value:
            description: Value published per matching event.
            type: str
            default: "1"
          default_value:
            description: Value published when no event matches. Not set when omitted.
            type: float
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - O(tags) apply to every alarm; they are read (C(ListTagsForResource) per alarm) only when O(tags) is given.
  - An alarm's configuration is replaced as a whole when it differs (C(PutMetricAlarm) has no partial update);
    its tags and state are kept.
seealso:
  - module: healthplatform.aws.cloudwatch_metric_alarms_info
  - module: amazon.aws.cloudwatch_metric_alarm
"""

EXAMPLES = r"""
- name: CIS alarms on the CloudTrail log group and an operational alarm, notifying the alerts topic
  healthplatform.aws.cloudwatch_metric_alarms:
    alarm_actions: ["{{ alerts_topic_arn }}"]
    alarms:
      - name: healthplatform-prod-cis-root-usage
        description: CIS 4.3 - the root user was used
        metric_name: RootAccountUsage
        namespace: healthplatform-prod/CIS
        statistic: Sum
        period: 300
        threshold: 1
        comparison_operator: GreaterThanOrEqualToThreshold
        treat_missing_data: notBreaching
        metric_filter:
          log_group_name: /healthplatform-prod/cloudtrail
          pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'
      - name: healthplatform-prod-alb-5xx
        metric_name: HTTPCode_ELB_5XX_Count
        namespace: AWS/ApplicationELB
        dimensions:
          LoadBalancer: app/healthplatform-prod/0123456789abcdef
        threshold: 10
        comparison_operator: GreaterThanOrEqualToThreshold
        treat_missing_data: notBreaching
    tags:
      Environment: prod

- name: Fewer instances in service than the group's minimum (metric math)
  healthplatform.aws.cloudwatch_metric_alarms:
    alarms:
      - name: healthplatform-prod-asg-below-minimum
        threshold: 0
        comparison_operator: LessThanThreshold
        metrics:
          - id: shortfall
            expression: in_service - minimum
            return_data: true
          - id: in_service
            metric_name: GroupInServiceInstances
            namespace: AWS/AutoScaling
            dimensions: {AutoScalingGroupName: healthplatform-prod-web}
            stat: Minimum
            period: 60
            return_data: false
          - id: minimum
            metric_name: GroupMinSize
            namespace: AWS/AutoScaling
            dimensions: {AutoScalingGroupName: healthplatform-prod-web}
            stat: Minimum
            period: 60
            return_data: false

- name: Remove an alarm and its filter
  healthplatform.aws.cloudwatch_metric_alarms:
    state: absent
    alarms:
      - name: healthplatform-prod-cis-root-usage
        metric_name: RootAccountUsage
        namespace: healthplatform-prod/CIS
        threshold: 1
        comparison_operator: GreaterThanOrEqualToThreshold
        metric_filter:
          log_group_name: /healthplatform-prod/cloudtrail
          pattern: '{ $.userIdentity.type = "Root" }'
"""

RETURN = r"""
alarms:
  description:
    - The listed alarms as C(DescribeAlarms) describes them after the run (in check mode, what they
      would be); empty with O(state=absent).
  returned: always
  type: list
  elements: dict
  sample:
    - alarm_name: healthplatform-prod-cis-root-usage
      alarm_arn: arn:aws:cloudwatch:us-east-1:123456789012:alarm:healthplatform-prod-cis-root-usage
      metric_name: RootAccountUsage
      namespace: healthplatform-prod/CIS
      threshold: 1.0
      alarm_actions: ["arn:aws:sns:us-east-1:123456789012:healthplatform-prod-alerts"]
      tags: {"Environment": "prod"}
metric_filters:
  description: The metric filters of the listed alarms after the run; empty with O(state=absent).
  returned: always
  type: list
  elements: dict
  sample:
    - filter_name: healthplatform-prod-cis-root-usage
      log_group_name: /healthplatform-prod/cloudtrail
      filter_pattern: '{ $.userIdentity.type = "Root" }'
      metric_transformations: [{"metric_name": "RootAccountUsage", "metric_namespace": "healthplatform-prod/CIS", "metric_value": "1"}]
changed_alarms:
  description: Names of the alarms that were (or in check mode would be) created, updated, retagged or deleted, including for their filter.
  returned: always
  type: list
  elements: str
  sample: [healthplatform-prod-cis-root-usage]
"""

import re

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
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import ALARM_ACTION
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import LOG_GROUP_NAME
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import METRIC_FILTER_NAME
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import alarm_differs
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import alarm_request
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import filter_differs
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import filter_request
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import read_alarms
from ansible_collections.healthplatform.aws.plugins.module_utils.monitoring import read_metric_filters

QUERY_ID = re.compile(r"^[a-z][a-zA-Z0-9_]*$")


def validate(module):
    """Check what argument_spec cannot; fail, naming the option, before any API call."""
    params = module.params
    for index, action in enumerate(params["alarm_actions"] or []):
        if not ALARM_ACTION.match(action):
            module.fail_json(msg=f"alarm_actions[{index}]: {action!r} is not an alarm action ARN (for example an SNS topic ARN)")
    seen = set()
    for index, alarm in enumerate(params["alarms"]):
        where = f"alarms[{index}] ({alarm['name']})"
        if alarm["name"] in seen:
            module.fail_json(msg=f"alarms[{index}].name: {alarm['name']} is listed twice")
        seen.add(alarm["name"])
        if not 1 <= len(alarm["name"]) <= 255:
            module.fail_json(msg=f"alarms[{index}].name must be 1 to 255 characters")
        for key in ("alarm_actions", "ok_actions", "insufficient_data_actions"):
            for position, action in enumerate(alarm[key] or []):
                if not ALARM_ACTION.match(action):
                    module.fail_json(msg=f"{where}.{key}[{position}]: {action!r} is not an alarm action ARN")
        if alarm["metrics"]:
            if alarm["metric_name"] or alarm["metric_filter"] or alarm["extended_statistic"]:
                module.fail_json(msg=f"{where}: metrics (metric math) excludes metric_name, extended_statistic and metric_filter")
            validate_queries(module, where, alarm["metrics"])
        else:
            if not (alarm["metric_name"] and alarm["namespace"]):
                module.fail_json(msg=f"{where}: metric_name and namespace are required unless metrics is given")
            if alarm["period"] not in (10, 30) and alarm["period"] % 60:
                module.fail_json(msg=f"{where}.period must be 10, 30 or a multiple of 60, got {alarm['period']}")
        if alarm["evaluation_periods"] < 1:
            module.fail_json(msg=f"{where}.evaluation_periods must be at least 1")
        if alarm["datapoints_to_alarm"] is not None and not 1 <= alarm["datapoints_to_alarm"] <= alarm["evaluation_periods"]:
            module.fail_json(msg=f"{where}.datapoints_to_alarm must be between 1 and evaluation_periods ({alarm['evaluation_periods']})")
        spec = alarm["metric_filter"]
        if spec:
            if not LOG_GROUP_NAME.match(spec["log_group_name"]):
                module.fail_json(msg=f"{where}.metric_filter.log_group_name: {spec['log_group_name']!r} is not a log group name")
            if not METRIC_FILTER_NAME.match(spec["filter_name"] or alarm["name"]):
                module.fail_json(msg=f"{where}.metric_filter.filter_name may not contain ':' or '*'")
            if not spec["pattern"].strip():
                module.fail_json(msg=f"{where}.metric_filter.pattern must not be empty")


def validate_queries(module, where, queries):
    ids = set()
    returning = 0
    for position, query in enumerate(queries):
        if not QUERY_ID.match(query["id"]):
            module.fail_json(msg=f"{where}.metrics[{position}].id must start with a lower-case letter and hold only letters, digits and _")
        if query["id"] in ids:
            module.fail_json(msg=f"{where}.metrics[{position}].id {query['id']} is used twice")
        ids.add(query["id"])
        if bool(query["expression"]) == bool(query["metric_name"]):
            module.fail_json(msg=f"{where}.metrics[{position}]: give either expression or metric_name (with namespace)")
        if query["metric_name"] and not query["namespace"]:
            module.fail_json(msg=f"{where}.metrics[{position}].namespace is required with metric_name")
        if query["return_data"] is None or query["return_data"]:
            returning += 1
    if returning != 1:
        module.fail_json(msg=f"{where}.metrics: exactly one query must have return_data true (the others false), found {returning}")


def alarm_tags(client, alarm):
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(ResourceARN=alarm["AlarmArn"], aws_retry=True).get("Tags") or [])


def ensure_present(module, client, logs):
    params = module.params
    alarms = params["alarms"]
    current = read_alarms(client, [a["name"] for a in alarms])
    wanted_filters = {a["name"]: filter_request(a) for a in alarms}
    groups = [f["logGroupName"] for f in wanted_filters.values() if f]
    current_filters = read_metric_filters(logs, groups) if groups else {}

    changed_names, before, after, filters_after = [], {}, {}, []
    for alarm in alarms:
        name = alarm["name"]
        existing = current.get(name)
        default_actions = params["alarm_actions"]
        if default_actions is None:
            default_actions = (existing or {}).get("AlarmActions") or []
        request = alarm_request(alarm, default_actions)
        changed = False

        wanted_filter = wanted_filters[name]
        if wanted_filter:
            key = (wanted_filter["logGroupName"], wanted_filter["filterName"])
            existing_filter = current_filters.get(key)
            if existing_filter is None or filter_differs(existing_filter, wanted_filter):
                changed = True
                if not module.check_mode:
                    logs.put_metric_filter(aws_retry=True, **wanted_filter)
            filters_after.append(wanted_filter)

        if existing is None:
            changed = True
            tags = dict(params["tags"] or {})
            if not module.check_mode:
                create = dict(request)
                if tags:
                    create["Tags"] = ansible_dict_to_boto3_tag_list(tags)
                client.put_metric_alarm(aws_retry=True, **create)
            after[name] = dict(request, Tags=tags)
        else:
            before[name] = existing
            result = dict(existing)
            if alarm_differs(existing, request):
                changed = True
                if not module.check_mode:
                    client.put_metric_alarm(aws_retry=True, **request)
                result.update(request)
            if params["tags"] is not None:
                tags = alarm_tags(client, existing)
                to_set, to_unset = tag_changes(tags, params["tags"], params["purge_tags"])
                if to_set or to_unset:
                    changed = True
                    if not module.check_mode:
                        if to_unset:
                            client.untag_resource(ResourceARN=existing["AlarmArn"], TagKeys=list(to_unset), aws_retry=True)
                        if to_set:
                            client.tag_resource(ResourceARN=existing["AlarmArn"], Tags=ansible_dict_to_boto3_tag_list(to_set), aws_retry=True)
                result["Tags"] = merged_tags(tags, params["tags"], params["purge_tags"])
            after[name] = result
        if changed:
            changed_names.append(name)

    if changed_names and not module.check_mode:
        # read back what AWS made of the changed alarms (ARNs, state), keeping the tags we know
        fresh = read_alarms(client, changed_names)
        for name in changed_names:
            if name in fresh:
                tags = after[name].get("Tags")
                after[name] = dict(fresh[name], **({"Tags": tags} if tags is not None else {}))
    return changed_names, before, [after[a["name"]] for a in alarms], filters_after


def ensure_absent(module, client, logs):
    alarms = module.params["alarms"]
    current = read_alarms(client, [a["name"] for a in alarms])
    wanted_filters = [f for f in (filter_request(a) for a in alarms) if f]
    current_filters = read_metric_filters(logs, [f["logGroupName"] for f in wanted_filters]) if wanted_filters else {}
    changed_names = [a["name"] for a in alarms if a["name"] in current]
    filters_to_delete = [f for f in wanted_filters if (f["logGroupName"], f["filterName"]) in current_filters]
    for metric_filter in filters_to_delete:
        owner = next(a["name"] for a in alarms if filter_request(a) == metric_filter)
        if owner not in changed_names:
            changed_names.append(owner)
    if not module.check_mode:
        for start in range(0, len(current), 100):
            names = list(current)[start : start + 100]
            client.delete_alarms(AlarmNames=names, aws_retry=True)
        for metric_filter in filters_to_delete:
            logs.delete_metric_filter(logGroupName=metric_filter["logGroupName"], filterName=metric_filter["filterName"], aws_retry=True)
    return changed_names, current


def snake_alarm(alarm):
    result = camel_dict_to_snake_dict({k: v for k, v in alarm.items() if k != "Tags"})
    if "Tags" in alarm:
        result["tags"] = dict(alarm["Tags"] or {})
    return result


def diff_view(alarms):
    return {
        name: {k: v for k, v in snake_alarm(a).items() if not k.startswith("state") and k != "alarm_configuration_updated_timestamp"}
        for name, a in alarms.items()
    }


def main():
    query_options = dict(
        id=dict(type="str", required=True),
        expression=dict(type="str"),
        label=dict(type="str"),
        metric_name=dict(type="str"),
        namespace=dict(type="str"),
        dimensions=dict(type="dict"),
        stat=dict(type="str"),
        period=dict(type="int"),
        return_data=dict(type="bool"),
    )
    alarm_options = dict(
        name=dict(type="str", required=True),
        description=dict(type="str"),
        metric_name=dict(type="str"),
        namespace=dict(type="str"),
        statistic=dict(type="str", choices=["SampleCount", "Average", "Sum", "Minimum", "Maximum"], default="Sum"),
        extended_statistic=dict(type="str"),
        dimensions=dict(type="dict", default={}),
        period=dict(type="int", default=300),
        unit=dict(type="str"),
        evaluation_periods=dict(type="int", default=1),
        datapoints_to_alarm=dict(type="int"),
        threshold=dict(type="float", required=True),
        comparison_operator=dict(
            type="str",
            required=True,
            choices=[
                "GreaterThanOrEqualToThreshold",
                "GreaterThanThreshold",
                "LessThanThreshold",
                "LessThanOrEqualToThreshold",
                "LessThanLowerOrGreaterThanUpperThreshold",
                "LessThanLowerThreshold",
                "GreaterThanUpperThreshold",
            ],
        ),
        treat_missing_data=dict(type="str", choices=["breaching", "notBreaching", "ignore", "missing"], default="missing"),
        actions_enabled=dict(type="bool", default=True),
        alarm_actions=dict(type="list", elements="str"),
        ok_actions=dict(type="list", elements="str"),
        insufficient_data_actions=dict(type="list", elements="str"),
        metrics=dict(type="list", elements="dict", options=query_options),
        metric_filter=dict(
            type="dict",
            options=dict(
                log_group_name=dict(type="str", required=True),
                pattern=dict(type="str", required=True),
                filter_name=dict(type="str"),
                metric_value=dict(type="str", default="1"),
                default_value=dict(type="float"),
            ),
        ),
    )
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        alarm_actions=dict(type="list", elements="str"),
        alarms=dict(type="list", elements="dict", required=True, options=alarm_options),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = retrying_client(module, "cloudwatch")
    logs = retrying_client(module, "logs")
    try:
        if module.params["state"] == "absent":
            changed_names, before = ensure_absent(module, client, logs)
            module.exit_json(changed=bool(changed_names), changed_alarms=changed_names, alarms=[], metric_filters=[], diff=diff_of(diff_view(before), {}))
        changed_names, before, after, filters = ensure_present(module, client, logs)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage the CloudWatch metric alarms")

    module.exit_json(
        changed=bool(changed_names),
        changed_alarms=changed_names,
        alarms=[snake_alarm(a) for a in after],
        metric_filters=[camel_dict_to_snake_dict(f) for f in filters],
        diff=diff_of(
            diff_view({name: a for name, a in before.items() if name in changed_names}),
            diff_view({a["AlarmName"]: a for a in after if a["AlarmName"] in changed_names}),
        ),
    )


if __name__ == "__main__":
    main()
