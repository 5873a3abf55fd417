#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: route53resolver_query_log_config
short_description: Manage a Route 53 Resolver query logging configuration and the VPCs it logs
version_added: 0.1.0
description:
  - Creates or deletes one Resolver query logging configuration, identified by its O(name),
    which delivers the DNS queries of its VPCs to an S3 bucket, a CloudWatch Logs log group or
    a Kinesis Data Firehose delivery stream (O(destination_arn)).
  - Associates the configuration with the VPCs in O(vpc_ids) and, with O(purge_vpc_ids=true),
    removes it from the VPCs that are not listed.
  - AWS cannot change the destination of a configuration. When O(destination_arn) differs from
    the existing configuration's, the module fails without changing anything; remove the
    configuration (O(state=absent)) or choose a new O(name).
  - O(state=absent) removes the configuration from all its VPCs, waits until they are gone
    (AWS deletes only configurations without VPCs, so this wait happens whatever O(wait) says),
    then deletes it.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description:
      - Name of the configuration. Names identify configurations for this module, so keep them unique.
      - 1 to 64 letters, digits, spaces, hyphens or underscores.
    type: str
    required: true
  state:
    description: Whether the configuration should exist.
    type: str
    choices: [present, absent]
    default: present
  destination_arn:
    description:
      - Where query logs go, one of
      - an S3 bucket ARN, optionally with a prefix, C(arn:aws:s3:::my-bucket/resolver-logs);
      - a CloudWatch Logs log group ARN, C(arn:aws:logs:eu-west-1:123456789012:log-group:/resolver/queries);
      - a Firehose delivery stream ARN, C(arn:aws:firehose:eu-west-1:123456789012:deliverystream/resolver-queries).
      - Required when O(state=present).
    type: str
  vpc_ids:
    description:
      - The VPCs whose queries are logged. Omit to leave the associations alone.
    type: list
    elements: str
  purge_vpc_ids:
    description: Remove the configuration from VPCs that are not in O(vpc_ids).
    type: bool
    default: true
  wait:
    description: Wait until the configuration is C(CREATED) and every new association C(ACTIVE) (or gone, when removed).
    type: bool
    default: true
  wait_timeout:
    description: How many seconds to wait at most.
    type: int
    default: 300
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - Creates are sent with a creator request ID, so a retried request never creates two configurations.
  - Tags are read (and returned) only when O(tags) is set.
  - The destination must allow Route 53 Resolver to write (bucket policy, log group resource
    policy); otherwise an association ends in C(ACTION_NEEDED) or C(FAILED) and the module fails with AWS's reason.
seealso:
  - module: healthplatform.aws.route53resolver_query_log_config_info
"""

EXAMPLES = r"""
- name: Log the DNS queries of the platform VPCs to CloudWatch Logs
  healthplatform.aws.route53resolver_query_log_config:
    name: healthplatform-prod-dns-queries
    destination_arn: "arn:aws:logs:eu-west-1:123456789012:log-group:/healthplatform/prod/resolver-queries"
    vpc_ids:
      - "{{ vpc.vpc.id }}"
    tags:
      Environment: prod

- name: Stop logging and delete the configuration
  healthplatform.aws.route53resolver_query_log_config:
    name: healthplatform-test-dns-queries
    state: absent
"""

RETURN = r"""
query_log_config:
  description: The configuration as AWS describes it, with its associations (empty when O(state=absent)). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    id:
      description: ID of the configuration (absent in check mode before creation).
      type: str
      sample: rslvr-qlc-0123456789abcdef
    arn:
      description: ARN of the configuration.
      type: str
      sample: arn:aws:route53resolver:eu-west-1:123456789012:resolver-query-log-config/rslvr-qlc-0123456789abcdef
    name:
      description: Name of the configuration.
      type: str
      sample: healthplatform-prod-dns-queries
    destination_arn:
      description: Where the logs go.
      type: str
      sample: arn:aws:logs:eu-west-1:123456789012:log-group:/healthplatform/prod/resolver-queries
    status:
      description: Status of the configuration.
      type: str
      sample: CREATED
    vpc_ids:
      description: The VPCs the configuration is associated with, sorted.
      type: list
      elements: str
      sample: ["vpc-0123456789abcdef0"]
    associations:
      description: The associations with VPCs, as AWS describes them.
      type: list
      elements: dict
      sample:
        - id: rslvr-qlcassoc-0123456789abcdef
          resource_id: vpc-0123456789abcdef0
          status: ACTIVE
          error: NONE
    tags:
      description: Tags of the configuration.
      type: dict
      returned: when O(tags) is set
      sample: {"Environment": "prod"}
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import VPC_ID
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import boto3_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import check_name
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import get_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import snake
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import update_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import wait_for_status

DESTINATION_ARNS = (
    re.compile(r"^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$"),
    re.compile(r"^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[^:*]+(:\*)?$"),
    re.compile(r"^arn:aws[a-z-]*:firehose:[a-z0-9-]+:\d{12}:deliverystream/[a-zA-Z0-9_.-]{1,64}$"),
)


def validate(module):
    """Check what argument_spec cannot, before any API call; return the wanted VPC IDs (or None)."""
    p = module.params
    check_name(module, "name", p["name"])
    if p["wait_timeout"] < 1:
        module.fail_json(msg=f"wait_timeout must be at least 1 second, got {p['wait_timeout']}")
    if p["state"] == "absent":
        return None
    if not p["destination_arn"]:
        module.fail_json(msg="destination_arn is required when state is present")
    if not any(pattern.match(p["destination_arn"]) for pattern in DESTINATION_ARNS):
        module.fail_json(
            msg=(
                "destination_arn must be the ARN of an S3 bucket (arn:aws:s3:::bucket[/prefix]), a CloudWatch Logs log group "
                f"(arn:aws:logs:REGION:ACCOUNT:log-group:NAME) or a Firehose delivery stream, got {p['destination_arn']!r}"
            )
        )
    if p["vpc_ids"] is None:
        return None
    for index, vpc_id in enumerate(p["vpc_ids"]):
        if not VPC_ID.match(vpc_id):
            module.fail_json(msg=f"vpc_ids[{index}] must be a VPC ID such as vpc-0123456789abcdef0, got {vpc_id!r}")
    return sorted(set(p["vpc_ids"]))


def same_destination(current, wanted):
    def normal(arn):
        arn = (arn or "").rstrip("/")
        return arn[:-2] if arn.endswith(":*") else arn

    return normal(current) == normal(wanted)


def find_config(module, client, name):
    configs = paginate(client, "list_resolver_query_log_configs", "ResolverQueryLogConfigs", Filters=[{"Name": "Name", "Values": [name]}])
    configs = [c for c in configs if c.get("Name") == name and c.get("ShareStatus") != "SHARED_WITH_ME"]
    if len(configs) > 1:
        module.fail_json(msg=f"name {name!r} matches {len(configs)} query log configs ({', '.join(c['Id'] for c in configs)}); rename all but one")
    return configs[0] if configs else None


def list_associations(client, config_id):
    associations = paginate(
        client,
        "list_resolver_query_log_config_associations",
        "ResolverQueryLogConfigAssociations",
        Filters=[{"Name": "ResolverQueryLogConfigId", "Values": [config_id]}],
    )
    return [a for a in associations if a.get("Status") != "DELETING"]


def describe_config(client, config_id):
    return client.get_resolver_query_log_config(ResolverQueryLogConfigId=config_id, aws_retry=True)["ResolverQueryLogConfig"]


def describe_association(client, association_id):
    try:
        return client.get_resolver_query_log_config_association(ResolverQueryLogConfigAssociationId=association_id, aws_retry=True)[
            "ResolverQueryLogConfigAssociation"
        ]
    except is_boto3_error_code("ResourceNotFoundException"):
        return None


def wait_created(module, client, config_id):
    return wait_for_status(
        module,
        lambda: describe_config(client, config_id),
        ("CREATED",),
        ("CREATING",),
        module.params["wait_timeout"],
        f"query log config {module.params['name']}",
    )


def wait_associated(module, client, association):
    return wait_for_status(
        module,
        lambda: describe_association(client, association["Id"]),
        ("ACTIVE",),
        ("CREATING",),
        module.params["wait_timeout"],
        f"the association of query log config {module.params['name']} with {association['ResourceId']}",
    )


def wait_disassociated(module, client, association):
    return wait_for_status(
        module,
        lambda: describe_association(client, association["Id"]),
        (None,),
        ("DELETING", "ACTIVE", "CREATING"),
        module.params["wait_timeout"],
        f"the removal of query log config {module.params['name']} from {association['ResourceId']}",
    )


def view(config, associations, tags):
    if not config:
        return {}
    result = snake(config)
    result["vpc_ids"] = sorted(a["ResourceId"] for a in associations)
    result["associations"] = [snake(a) for a in sorted(associations, key=lambda a: a["ResourceId"])]
    if tags is not None:
        result["tags"] = tags
    return result


def diff_view(config, vpc_ids, tags):
    if not config:
        return {}
    result = {"name": config.get("Name"), "destination_arn": config.get("DestinationArn"), "vpc_ids": sorted(vpc_ids)}
    if tags is not None:
        result["tags"] = tags
    return result


def ensure_absent(module, client, existing):
    if existing is None:
        return False, {}
    associations = list_associations(client, existing["Id"])
    before = diff_view(existing, [a["ResourceId"] for a in associations], None)
    if not module.check_mode:
        for association in associations:
            client.disassociate_resolver_query_log_config(ResolverQueryLogConfigId=existing["Id"], ResourceId=association["ResourceId"], aws_retry=True)
        for association in associations:
            wait_disassociated(module, client, association)
        client.delete_resolver_query_log_config(ResolverQueryLogConfigId=existing["Id"], aws_retry=True)
    return True, before


def converge_associations(module, client, config_id, current, wanted):
    """Associate the missing VPCs, remove the extra ones. Returns True if anything changed."""
    p = module.params
    current_vpcs = {a["ResourceId"]: a for a in current}
    to_add = [v for v in wanted if v not in current_vpcs] if wanted is not None else []
    to_remove = [a for v, a in sorted(current_vpcs.items()) if wanted is not None and p["purge_vpc_ids"] and v not in wanted]
    if module.check_mode or not (to_add or to_remove):
        return bool(to_add or to_remove)
    added = []
    for vpc_id in to_add:
        response = client.associate_resolver_query_log_config(ResolverQueryLogConfigId=config_id, ResourceId=vpc_id, aws_retry=True)
        added.append(response["ResolverQueryLogConfigAssociation"])
    for association in to_remove:
        client.disassociate_resolver_query_log_config(ResolverQueryLogConfigId=config_id, ResourceId=association["ResourceId"], aws_retry=True)
    if p["wait"]:
        for association in added:
            wait_associated(module, client, association)
        for association in to_remove:
            wait_disassociated(module, client, association)
    return True


def planned_vpcs(module, current, wanted):
    current_vpcs = {a["ResourceId"] for a in current}
    if wanted is None:
        return current_vpcs
    return set(wanted) | (set() if module.params["purge_vpc_ids"] else current_vpcs)


def ensure_present(module, client, existing, wanted):
    p = module.params
    if existing is None:
        tags = dict(p["tags"]) if p["tags"] is not None else None
        planned = {"Name": p["name"], "DestinationArn": p["destination_arn"], "Status": "CREATED"}
        vpcs = wanted or []
        if module.check_mode:
            associations = [{"ResourceId": v, "Status": "ACTIVE"} for v in vpcs]
            return True, {}, view(planned, associations, tags), diff_view(planned, vpcs, tags)
        request = {"Name": p["name"], "DestinationArn": p["destination_arn"], "CreatorRequestId": idempotency_token()}
        if p["tags"]:
            request["Tags"] = boto3_tags(p["tags"])
        config = client.create_resolver_query_log_config(aws_retry=True, **request)["ResolverQueryLogConfig"]
        if vpcs or p["wait"]:
            config = wait_created(module, client, config["Id"])
        converge_associations(module, client, config["Id"], [], vpcs)
        associations = list_associations(client, config["Id"]) if vpcs else []
        return True, {}, view(config, associations, tags), diff_view(config, [a["ResourceId"] for a in associations], tags)

    if not same_destination(existing.get("DestinationArn"), p["destination_arn"]):
        module.fail_json(
            msg=(
                f"destination_arn: query log config {p['name']!r} delivers to {existing.get('DestinationArn')} and AWS cannot change that; "
                "remove it first (state: absent) or choose a new name"
            )
        )
    config_id = existing["Id"]
    if existing.get("Status") == "CREATING" and wanted and not module.check_mode:
        existing = wait_created(module, client, config_id)
    current = list_associations(client, config_id)
    tags_before = get_tags(client, existing["Arn"]) if p["tags"] is not None else None
    tags_change = False
    if p["tags"] is not None:
        tags_change = update_tags(client, existing["Arn"], tags_before, p["tags"], p["purge_tags"], module.check_mode)
    tags_after = merged_tags(tags_before, p["tags"], p["purge_tags"]) if p["tags"] is not None else None
    vpcs_change = converge_associations(module, client, config_id, current, wanted)
    before = diff_view(existing, [a["ResourceId"] for a in current], tags_before)
    if not vpcs_change:
        return tags_change, before, view(existing, current, tags_after), diff_view(existing, [a["ResourceId"] for a in current], tags_after)
    if module.check_mode:
        vpcs = sorted(planned_vpcs(module, current, wanted))
        by_vpc = {a["ResourceId"]: a for a in current}
        associations = [by_vpc.get(v, {"ResourceId": v, "Status": "ACTIVE"}) for v in vpcs]
        return True, before, view(existing, associations, tags_after), diff_view(existing, vpcs, tags_after)
    after = describe_config(client, config_id)
    associations = list_associations(client, config_id)
    return True, before, view(after, associations, tags_after), diff_view(after, [a["ResourceId"] for a in associations], tags_after)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        destination_arn=dict(type="str"),
        vpc_ids=dict(type="list", elements="str"),
        purge_vpc_ids=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True, required_if=[("state", "present", ["destination_arn"])])
    wanted = validate(module)

    client = retrying_client(module, "route53resolver")
    try:
        existing = find_config(module, client, module.params["name"])
        if module.params["state"] == "absent":
            changed, before = ensure_absent(module, client, existing)
            module.exit_json(changed=changed, query_log_config={}, diff=diff_of(before, {}))
        changed, before, after, after_diff = ensure_present(module, client, existing, wanted)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the Resolver query log config {module.params['name']}")

    module.exit_json(changed=changed, query_log_config=after, diff=diff_of(before, after_diff))


if __name__ == "__main__":
    main()
