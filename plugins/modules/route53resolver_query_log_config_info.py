#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: route53resolver_query_log_config_info
short_description: List Route 53 Resolver query logging configurations and the VPCs they log
version_added: 0.1.0
description:
  - Lists Resolver query logging configurations, optionally only those with given names or
    associated with a given VPC, with their VPC associations and tags.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  names:
    description: Only the configurations with these names (exact match).
    type: list
    elements: str
    default: []
  vpc_id:
    description: Only the configurations associated with this VPC.
    type: str
  include_associations:
    description: Also return each configuration's VPC associations (needed for O(vpc_id)).
    type: bool
    default: true
  include_tags:
    description: Also return the tags of each configuration (one call per configuration).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.route53resolver_query_log_config
"""

EXAMPLES = r"""
- name: Query logging of the platform VPC
  healthplatform.aws.route53resolver_query_log_config_info:
    vpc_id: "{{ vpc_id }}"
  register: query_logging

- name: Assert the VPC's DNS queries are logged
  ansible.builtin.assert:
    that: query_logging.query_log_configs | length > 0
"""

RETURN = r"""
query_log_configs:
  description: The configurations, as AWS describes them, sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the configuration.
      type: str
      sample: rslvr-qlc-0123456789abcdef
    name:
      description: Name of the configuration.
      type: str
      sample: healthplatform-prod-dns-queries
    destination_arn:
      description: Where the logs go.
      type: str
      sample: arn:aws:s3:::healthplatform-prod-logs
    status:
      description: Status of the configuration.
      type: str
      sample: CREATED
    vpc_ids:
      description: The VPCs of the associations that are not being deleted, sorted.
      type: list
      elements: str
      returned: when O(include_associations=true)
      sample: ["vpc-0123456789abcdef0"]
    associations:
      description: The associations with VPCs, as AWS describes them.
      type: list
      elements: dict
      returned: when O(include_associations=true)
      sample:
        - id: rslvr-qlcassoc-0123456789abcdef
          resource_id: vpc-0123456789abcdef0
          status: ACTIVE
    tags:
      description: Tags of the configuration.
      type: dict
      returned: when O(include_tags=true)
      sample: {"Environment": "prod"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import get_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import snake


def main():
    argument_spec = dict(
        names=dict(type="list", elements="str", default=[]),
        vpc_id=dict(type="str"),
        include_associations=dict(type="bool", default=True),
        include_tags=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    if params["vpc_id"] and not params["include_associations"]:
        module.fail_json(msg="vpc_id needs include_associations: true (the VPC is found through the associations)")
    client = retrying_client(module, "route53resolver")
    result = []
    try:
        request = {"Filters": [{"Name": "Name", "Values": params["names"]}]} if params["names"] else {}
        configs = paginate(client, "list_resolver_query_log_configs", "ResolverQueryLogConfigs", **request)
        associations = {}
        if params["include_associations"] and configs:
            assoc_request = {"Filters": [{"Name": "ResourceId", "Values": [params["vpc_id"]]}]} if params["vpc_id"] else {}
            for association in paginate(client, "list_resolver_query_log_config_associations", "ResolverQueryLogConfigAssociations", **assoc_request):
                associations.setdefault(association["ResolverQueryLogConfigId"], []).append(association)
        for config in sorted(configs, key=lambda c: (c.get("Name") or "", c["Id"])):
            if params["names"] and config.get("Name") not in params["names"]:
                continue
            mine = associations.get(config["Id"], [])
            if params["vpc_id"] and not mine:
                continue
            item = snake(config)
            if params["include_associations"]:
                item["vpc_ids"] = sorted({a["ResourceId"] for a in mine if a.get("Status") != "DELETING"})
                item["associations"] = [snake(a) for a in sorted(mine, key=lambda a: a["ResourceId"])]
            if params["include_tags"]:
                item["tags"] = get_tags(client, config["Arn"])
            result.append(item)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to list Resolver query log configs")
    module.exit_json(changed=False, query_log_configs=result)


if __name__ == "__main__":
    main()
