#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: rds_parameter_group
short_description: Manage an RDS DB parameter group or DB cluster parameter group and its parameters
version_added: 0.1.0
description:
  - Creates, updates or deletes one RDS parameter group - a DB parameter group (O(scope=instance),
    for DB instances) or a DB cluster parameter group (O(scope=cluster), for Aurora and Multi-AZ
    DB clusters) - with the parameters it sets and its tags.
  - Parameters are compared with the values the group itself sets (C(Source=user)); a parameter
    listed in O(parameters) with a different or no value is modified. Parameters the group sets
    that are not listed are reset to the engine default only with O(purge_parameters=true).
  - The family is fixed when the group is created; a difference fails the task.
  - Compared with M(amazon.aws.rds_instance_param_group) it never reads the engine's whole default
    parameter list (hundreds of entries), handles both scopes, and treats an empty answer to
    C(DescribeDBParameterGroups) as "no such group" (as some implementations answer).
  - Bad input (a name RDS would refuse, an empty family) fails before any API call is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Name of the parameter group (letters, digits, hyphens; starts with a letter).
    type: str
    required: true
  scope:
    description: C(instance) for a DB parameter group, C(cluster) for a DB cluster parameter group.
    type: str
    choices: [instance, cluster]
    default: instance
  state:
    description: Whether the group should exist.
    type: str
    choices: [present, absent]
    default: present
  family:
    description: Parameter group family, for example C(postgres16) or C(aurora-postgresql16). Required to create a group.
    type: str
  description:
    description: Description, set at creation. Defaults to the name.
    type: str
  parameters:
    description: Parameter name to value (values are compared as strings).
    type: dict
    default: {}
  apply_method:
    description:
      - When modified parameters take effect. C(immediate) works for dynamic parameters only;
        use C(pending-reboot) for static ones.
    type: str
    choices: [immediate, pending-reboot]
    default: immediate
  purge_parameters:
    description: Reset parameters the group sets that are not in O(parameters) to the engine default.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
seealso:
  - module: amazon.aws.rds_instance
  - module: amazon.aws.rds_cluster
  - module: amazon.aws.rds_instance_param_group_info
"""

EXAMPLES = r"""
- name: PostgreSQL that refuses connections without TLS (HP-10)
  healthplatform.aws.rds_parameter_group:
    name: healthplatform-production-db-postgres16
    family: postgres16
    description: PostgreSQL with TLS required
    parameters:
      rds.force_ssl: 1
    tags:
      Environment: production

- name: The same for an Aurora PostgreSQL cluster
  healthplatform.aws.rds_parameter_group:
    name: healthplatform-production-aurora-postgres16
    scope: cluster
    family: aurora-postgresql16
    parameters:
      rds.force_ssl: 1
"""

RETURN = r"""
parameter_group:
  description: The group as RDS describes it, in snake_case (empty when O(state=absent); in check mode, what it would be).
  returned: always
  type: dict
  contains:
    name:
      description: Name.
      type: str
      sample: healthplatform-production-db-postgres16
    arn:
      description: ARN (absent in check mode before creation).
      type: str
      sample: arn:aws:rds:us-east-1:123456789012:pg:healthplatform-production-db-postgres16
    family:
      description: Family.
      type: str
      sample: postgres16
    parameters:
      description: The parameters the group sets, name to value.
      type: dict
      sample: {"rds.force_ssl": "1"}
    tags:
      description: Tags.
      type: dict
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthplatform.aws.plugins.module_utils.common import RETRY_CODES
from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes

NAME = re.compile(r"^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-)$")
BATCH = 20  # ModifyDB*ParameterGroup takes at most 20 parameters


class Api:
    """The calls of one scope: DB parameter groups or DB cluster parameter groups."""

    def __init__(self, client, scope):
        self.client = client
        self.cluster = scope == "cluster"
        self.kind = "DBClusterParameterGroup" if self.cluster else "DBParameterGroup"
        self.not_found = "DBParameterGroupNotFound"

    def describe(self, name):
        try:
            if self.cluster:
                groups = self.client.describe_db_cluster_parameter_groups(DBClusterParameterGroupName=name, aws_retry=True)["DBClusterParameterGroups"]
            else:
                groups = self.client.describe_db_parameter_groups(DBParameterGroupName=name, aws_retry=True)["DBParameterGroups"]
        except is_boto3_error_code(self.not_found):
            return None
        return groups[0] if groups else None

    def user_parameters(self, name):
        @AWSRetry.jittered_backoff(retries=10, catch_extra_error_codes=RETRY_CODES)
        def read():
            if self.cluster:
                paginator = self.client.get_paginator("describe_db_cluster_parameters")
                pages = paginator.paginate(DBClusterParameterGroupName=name, Source="user")
            else:
                paginator = self.client.get_paginator("describe_db_parameters")
                pages = paginator.paginate(DBParameterGroupName=name, Source="user")
            return pages.build_full_result().get("Parameters", [])

        return {p["ParameterName"]: p.get("ParameterValue") for p in read() if p.get("ParameterValue") is not None and p.get("Source", "user") == "user"}

    def create(self, name, family, description, tags):
        request = {f"{self.kind}Name": name, "DBParameterGroupFamily": family, "Description": description}
        if tags:
            request["Tags"] = ansible_dict_to_boto3_tag_list(tags)
        create = self.client.create_db_cluster_parameter_group if self.cluster else self.client.create_db_parameter_group
        return create(aws_retry=True, **request)[self.kind]

    def modify(self, name, parameters):
        modify = self.client.modify_db_cluster_parameter_group if self.cluster else self.client.modify_db_parameter_group
        for start in range(0, len(parameters), BATCH):
            modify(aws_retry=True, **{f"{self.kind}Name": name, "Parameters": parameters[start : start + BATCH]})

    def reset(self, name, names):
        reset = self.client.reset_db_cluster_parameter_group if self.cluster else self.client.reset_db_parameter_group
        for start in range(0, len(names), BATCH):
            batch = [{"ParameterName": n, "ApplyMethod": "pending-reboot"} for n in names[start : start + BATCH]]
            reset(aws_retry=True, **{f"{self.kind}Name": name, "Parameters": batch})

    def delete(self, name):
        if self.cluster:
            self.client.delete_db_cluster_parameter_group(DBClusterParameterGroupName=name, aws_retry=True)
        else:
            self.client.delete_db_parameter_group(DBParameterGroupName=name, aws_retry=True)

    def arn_of(self, group):
        return group.get(f"{self.kind}Arn")

    def tags(self, arn):
        return boto3_tag_list_to_ansible_dict(self.client.list_tags_for_resource(ResourceName=arn, aws_retry=True).get("TagList", []))


def validate(module):
    p = module.params
    if not NAME.match(p["name"]):
        module.fail_json(msg=f"name must start with a letter and hold only letters, digits and single hyphens (at most 255), got {p['name']!r}")
    if p["family"] is not None and not p["family"].strip():
        module.fail_json(msg="family must not be empty")
    for key in p["parameters"]:
        if not key:
            module.fail_json(msg="parameters: a parameter name is empty")


def as_text(value):
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def view(name, group, family, parameters, tags, arn=None):
    result = {"name": name, "family": family, "description": (group or {}).get("Description"), "parameters": parameters, "tags": tags}
    if arn:
        result["arn"] = arn
    return result


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        scope=dict(type="str", choices=["instance", "cluster"], default="instance"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        family=dict(type="str"),
        description=dict(type="str"),
        parameters=dict(type="dict", default={}),
        apply_method=dict(type="str", choices=["immediate", "pending-reboot"], default="immediate"),
        purge_parameters=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    p = module.params
    name = p["name"]
    api = Api(retrying_client(module, "rds"), p["scope"])
    check = module.check_mode
    wanted = {k: as_text(v) for k, v in p["parameters"].items()}

    try:
        group = api.describe(name)
        if p["state"] == "absent":
            changed = group is not None
            if changed and not check:
                api.delete(name)
            module.exit_json(changed=changed, parameter_group={}, diff=diff_of({"name": name} if group else {}, {}))

        changed = False
        if group is None:
            if not p["family"]:
                module.fail_json(msg=f"family is required to create parameter group {name}")
            changed = True
            before = {}
            current, tags = {}, {}
            if not check:
                group = api.create(name, p["family"], p["description"] or name, p["tags"])
                tags = dict(p["tags"] or {})
            family = p["family"]
        else:
            family = group["DBParameterGroupFamily"]
            if p["family"] and p["family"] != family:
                module.fail_json(msg=f"family of parameter group {name} is {family} and cannot change (wanted {p['family']}); create a new group")
            current = api.user_parameters(name)
            tags = api.tags(api.arn_of(group))
            before = view(name, group, family, current, tags, api.arn_of(group))

        to_modify = [{"ParameterName": k, "ParameterValue": v, "ApplyMethod": p["apply_method"]} for k, v in sorted(wanted.items()) if current.get(k) != v]
        to_reset = sorted(set(current) - set(wanted)) if p["purge_parameters"] else []
        after_parameters = {k: v for k, v in current.items() if k not in to_reset}
        after_parameters.update(wanted)
        if to_modify or to_reset:
            changed = True
            if not check:
                if to_modify:
                    api.modify(name, to_modify)
                if to_reset:
                    api.reset(name, to_reset)

        after_tags = tags
        if before:
            to_set, to_unset = tag_changes(tags, p["tags"], p["purge_tags"])
            if to_set or to_unset:
                changed = True
                after_tags = merged_tags(tags, p["tags"], p["purge_tags"])
                if not check:
                    arn = api.arn_of(group)
                    if to_unset:
                        api.client.remove_tags_from_resource(ResourceName=arn, TagKeys=to_unset, aws_retry=True)
                    if to_set:
                        api.client.add_tags_to_resource(ResourceName=arn, Tags=ansible_dict_to_boto3_tag_list(to_set), aws_retry=True)
        if changed and not check:
            after_parameters = api.user_parameters(name)
        after = view(name, group, family, after_parameters, after_tags, api.arn_of(group) if group else None)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage RDS parameter group {name}")

    module.exit_json(changed=changed, parameter_group=after, diff=diff_of(before, after))


if __name__ == "__main__":
    main()
