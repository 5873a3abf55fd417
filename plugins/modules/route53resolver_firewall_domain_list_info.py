#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: route53resolver_firewall_domain_list_info
short_description: List Route 53 Resolver DNS Firewall domain lists, custom and AWS managed
version_added: 0.1.0
description:
  - Lists the DNS Firewall domain lists the account sees, its own custom lists and the
    AWS managed ones (for example C(AWSManagedDomainsMalwareDomainList),
    C(AWSManagedDomainsBotnetCommandandControl), C(AWSManagedDomainsAggregateThreatList)).
  - Optionally only the lists with given names, only custom or only managed lists, and with
    the domains and tags of the custom lists.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  names:
    description: Only the lists with these names (exact match).
    type: list
    elements: str
    default: []
  list_type:
    description: Which lists to return.
    type: str
    choices: [all, custom, managed]
    default: all
  include_domains:
    description:
      - Also return the domains of each custom list (one or more calls per list).
      - AWS does not disclose the domains of its managed lists.
    type: bool
    default: false
  include_tags:
    description: Also return the tags of each custom list (one call per list).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
seealso:
  - module: healthplatform.aws.route53resolver_firewall_domain_list
"""

EXAMPLES = r"""
- name: The AWS managed threat lists available in this region
  healthplatform.aws.route53resolver_firewall_domain_list_info:
    list_type: managed
  register: managed_lists

- name: One custom list with its domains
  healthplatform.aws.route53resolver_firewall_domain_list_info:
    names: [healthplatform-prod-deny]
    include_domains: true
  register: deny_list
"""

RETURN = r"""
firewall_domain_lists:
  description: The domain lists, as ListFirewallDomainLists describes them, sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the list.
      type: str
      sample: rslvr-fdl-0123456789abcdef
    arn:
      description: ARN of the list.
      type: str
      sample: arn:aws:route53resolver:eu-west-1:123456789012:firewall-domain-list/rslvr-fdl-0123456789abcdef
    name:
      description: Name of the list.
      type: str
      sample: AWSManagedDomainsMalwareDomainList
    managed_owner_name:
      description: Owner of an AWS managed list (absent for custom lists).
      type: str
      sample: Route 53 Resolver DNS Firewall
    managed:
      description: Whether AWS manages the list.
      type: bool
      sample: true
    domains:
      description: The domains of a custom list, sorted, lower case, without trailing dots.
      type: list
      elements: str
      returned: when O(include_domains=true), for custom lists
      sample: ["malware.example"]
    tags:
      description: Tags of a custom list.
      type: dict
      returned: when O(include_tags=true), for custom lists
      sample: {"Environment": "prod"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import get_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import list_domain_lists
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import normalize_domain
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import snake


def selected(domain_list, params):
    managed = bool(domain_list.get("ManagedOwnerName"))
    if params["list_type"] == "custom" and managed:
        return False
    if params["list_type"] == "managed" and not managed:
        return False
    return not params["names"] or domain_list.get("Name") in params["names"]


def main():
    argument_spec = dict(
        names=dict(type="list", elements="str", default=[]),
        list_type=dict(type="str", choices=["all", "custom", "managed"], default="all"),
        include_domains=dict(type="bool", default=False),
        include_tags=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    client = retrying_client(module, "route53resolver")
    result = []
    try:
        for domain_list in sorted(list_domain_lists(client), key=lambda d: (d.get("Name") or "", d["Id"])):
            if not selected(domain_list, params):
                continue
            item = snake(domain_list)
            item["managed"] = bool(domain_list.get("ManagedOwnerName"))
            if not item["managed"]:
                if params["include_domains"]:
                    domains = paginate(client, "list_firewall_domains", "Domains", FirewallDomainListId=domain_list["Id"])
                    item["domains"] = sorted({normalize_domain(d) for d in domains})
                if params["include_tags"]:
                    item["tags"] = get_tags(client, domain_list["Arn"])
            result.append(item)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to list DNS Firewall domain lists")
    module.exit_json(changed=False, firewall_domain_lists=result)


if __name__ == "__main__":
    main()
