#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: route53resolver_firewall_domain_list
short_description: Manage a Route 53 Resolver DNS Firewall custom domain list
version_added: 0.1.0
description:
  - Creates, updates or deletes one DNS Firewall custom domain list, identified by its O(name).
  - The domains come from O(domains) or from a file (O(domains_file)). Every domain is
    checked before any API call is made; one bad entry fails the task with the option
    (and, for a file, the file and line) named.
  - The domains are compared as a set (case-insensitive, trailing dots ignored). When they
    differ, the list is updated with one C(UpdateFirewallDomains) REPLACE call; lists of more
    than 1000 domains (the API's limit per request) are updated with ADD and REMOVE calls
    of at most 1000 domains each, adding before removing.
  - AWS managed domain lists (such as C(AWSManagedDomainsMalwareDomainList)) cannot be
    changed; use them in a rule group by name, see M(healthplatform.aws.route53resolver_firewall_rule_group).
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description:
      - Name of the domain list. Names identify lists for this module, so keep them unique.
      - 1 to 64 letters, digits, spaces, hyphens or underscores.
    type: str
    required: true
  state:
    description: Whether the domain list should exist.
    type: str
    choices: [present, absent]
    default: present
  domains:
    description:
      - The domains of the list, for example C(malware.example), C(*.tracker.example).
      - Each is a domain name of RFC 1035 labels (letters, digits, hyphens), at most 253 characters,
        optionally starting with the wildcard label C(*.); C(*) alone matches every domain.
      - An empty list empties the domain list.
      - One of O(domains) or O(domains_file) is required when O(state=present).
    type: list
    elements: str
  domains_file:
    description:
      - Path of a text file with one domain a line. Blank lines and everything after C(#) are ignored.
      - The file is read where the module runs. For AWS modules that is normally the
        Ansible controller (a play on C(localhost), or a task delegated to it).
      - The same rules as for O(domains) apply; a bad line fails the task naming the file and the line number.
    type: path
  wait:
    description:
      - Wait until the list's status is C(COMPLETE) after its domains were changed.
      - An update split into several requests always waits between them.
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
  - Creates are sent with a creator request ID, so a retried request never creates two lists.
  - Tags are read (and returned) only when O(tags) is set.
  - Deleting a list that a rule group still uses fails with the error AWS returns; remove the rule first.
seealso:
  - module: healthplatform.aws.route53resolver_firewall_domain_list_info
  - module: healthplatform.aws.route53resolver_firewall_rule_group
"""

EXAMPLES = r"""
- name: A deny list kept in the repository, one domain a line
  healthplatform.aws.route53resolver_firewall_domain_list:
    name: healthplatform-prod-deny
    domains_file: "{{ playbook_dir }}/files/dns-deny-list.txt"
    tags:
      Environment: prod

- name: An allow list given inline
  healthplatform.aws.route53resolver_firewall_domain_list:
    name: healthplatform-prod-allow
    domains:
      - amazonaws.com
      - "*.amazonaws.com"
      - debian.org
      - "*.debian.org"

- name: Remove a list no rule uses any more
  healthplatform.aws.route53resolver_firewall_domain_list:
    name: healthplatform-old-deny
    state: absent
"""

RETURN = r"""
firewall_domain_list:
  description: The domain list as AWS describes it (empty when O(state=absent)). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    id:
      description: ID of the list (absent in check mode before creation).
      type: str
      sample: rslvr-fdl-0123456789abcdef
    arn:
      description: ARN of the list.
      type: str
      sample: arn:aws:route53resolver:eu-west-1:123456789012:firewall-domain-list/rslvr-fdl-0123456789abcdef
    name:
      description: Name of the list.
      type: str
      sample: healthplatform-prod-deny
    domain_count:
      description: Number of domains.
      type: int
      sample: 2
    status:
      description: Status of the list.
      type: str
      sample: COMPLETE
    domains:
      description: The domains, sorted, lower case, without trailing dots.
      type: list
      elements: str
      sample: ["*.tracker.example", "malware.example"]
    tags:
      description: Tags of the list.
      type: dict
      returned: when O(tags) is set
      sample: {"Environment": "prod"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import MAX_DOMAINS_PER_REQUEST
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import boto3_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import check_name
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import chunks
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import domains_from_file
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import domains_from_option
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import get_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import list_domain_lists
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import normalize_domain
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import paginate
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import snake
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import update_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.route53resolver import wait_for_status

PENDING = ("UPDATING", "IMPORTING")


def desired_domains(module):
    """The wanted domains (validated, normalized), or None when not managed. Fails before any API call."""
    p = module.params
    check_name(module, "name", p["name"])
    if p["wait_timeout"] < 1:
        module.fail_json(msg=f"wait_timeout must be at least 1 second, got {p['wait_timeout']}")
    if p["state"] == "absent":
        return None
    if p["domains_file"] is not None:
        return domains_from_file(module, "domains_file", p["domains_file"])
    if p["domains"] is None:
        module.fail_json(msg="domains or domains_file is required when state is present")
    return domains_from_option(module, "domains", p["domains"])


def find_list(module, client, name):
    matches = [d for d in list_domain_lists(client) if d.get("Name") == name]
    managed = [d for d in matches if d.get("ManagedOwnerName")]
    if managed:
        module.fail_json(msg=f"name {name!r} is an AWS managed domain list ({managed[0].get('ManagedOwnerName')}); it cannot be changed")
    if len(matches) > 1:
        module.fail_json(msg=f"name {name!r} matches {len(matches)} domain lists ({', '.join(d['Id'] for d in matches)}); rename all but one")
    if not matches:
        return None
    return client.get_firewall_domain_list(FirewallDomainListId=matches[0]["Id"], aws_retry=True)["FirewallDomainList"]


def current_domains(client, list_id):
    domains = paginate(client, "list_firewall_domains", "Domains", FirewallDomainListId=list_id)
    return {normalize_domain(d) for d in domains}


def describe(client, list_id):
    return client.get_firewall_domain_list(FirewallDomainListId=list_id, aws_retry=True)["FirewallDomainList"]


def wait_complete(module, client, list_id):
    return wait_for_status(
        module, lambda: describe(client, list_id), ("COMPLETE",), PENDING, module.params["wait_timeout"], f"domain list {module.params['name']}"
    )


def update_domains(module, client, list_id, current, wanted):
    """Make the list's domains ``wanted``: one REPLACE, or ADD/REMOVE batches for large lists. Returns the list's description."""
    wanted_set = set(wanted)
    if len(wanted_set) <= MAX_DOMAINS_PER_REQUEST:
        requests = [("REPLACE", sorted(wanted_set))]
    else:
        requests = [("ADD", batch) for batch in chunks(sorted(wanted_set - current))]
        requests += [("REMOVE", batch) for batch in chunks(sorted(current - wanted_set))]
    for index, (operation, domains) in enumerate(requests):
        if index:
            wait_complete(module, client, list_id)
        client.update_firewall_domains(FirewallDomainListId=list_id, Operation=operation, Domains=domains, aws_retry=True)
    if module.params["wait"]:
        return wait_complete(module, client, list_id)
    return describe(client, list_id)


def view(domain_list, domains, tags):
    if not domain_list:
        return {}
    result = snake(domain_list)
    result["domains"] = sorted(domains)
    if tags is not None:
        result["tags"] = tags
    return result


def diff_view(domain_list, domains, tags):
    if not domain_list:
        return {}
    result = {"name": domain_list.get("Name"), "domains": sorted(domains)}
    if tags is not None:
        result["tags"] = tags
    return result


def ensure_absent(module, client, existing):
    if existing is None:
        return False, {}
    before = diff_view(existing, current_domains(client, existing["Id"]), None)
    if not module.check_mode:
        client.delete_firewall_domain_list(FirewallDomainListId=existing["Id"], aws_retry=True)
    return True, before


def ensure_present(module, client, existing, wanted):
    p = module.params
    if existing is None:
        planned = {"Name": p["name"], "DomainCount": len(wanted), "Status": "COMPLETE"}
        tags = merged_tags({}, p["tags"], True) if p["tags"] is not None else None
        if module.check_mode:
            return True, {}, view(planned, wanted, tags), diff_view(planned, wanted, tags)
        request = {"Name": p["name"], "CreatorRequestId": idempotency_token()}
        if p["tags"]:
            request["Tags"] = boto3_tags(p["tags"])
        created = client.create_firewall_domain_list(aws_retry=True, **request)["FirewallDomainList"]
        after = update_domains(module, client, created["Id"], set(), wanted) if wanted else created
        return True, {}, view(after, wanted, tags), diff_view(after, wanted, tags)

    list_id = existing["Id"]
    current = current_domains(client, list_id)
    tags_before = get_tags(client, existing["Arn"]) if p["tags"] is not None else None
    domains_change = current != set(wanted)
    tags_change = False
    if p["tags"] is not None:
        tags_change = update_tags(client, existing["Arn"], tags_before, p["tags"], p["purge_tags"], module.check_mode)
    tags_after = merged_tags(tags_before, p["tags"], p["purge_tags"]) if p["tags"] is not None else None
    after = existing
    if domains_change:
        if module.check_mode:
            after = dict(existing, DomainCount=len(set(wanted)))
        else:
            after = update_domains(module, client, list_id, current, wanted)
    result_domains = set(wanted) if domains_change else current
    return (
        domains_change or tags_change,
        diff_view(existing, current, tags_before),
        view(after, result_domains, tags_after),
        diff_view(after, result_domains, tags_after),
    )


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        domains=dict(type="list", elements="str"),
        domains_file=dict(type="path"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[("domains", "domains_file")],
        required_if=[("state", "present", ("domains", "domains_file"), True)],
    )
    wanted = desired_domains(module)

    client = retrying_client(module, "route53resolver")
    try:
        existing = find_list(module, client, module.params["name"])
        if module.params["state"] == "absent":
            changed, before = ensure_absent(module, client, existing)
            module.exit_json(changed=changed, firewall_domain_list={}, diff=diff_of(before, {}))
        changed, before, after, after_diff = ensure_present(module, client, existing, wanted)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the DNS Firewall domain list {module.params['name']}")

    module.exit_json(changed=changed, firewall_domain_list=after, diff=diff_of(before, after_diff))


if __name__ == "__main__":
    main()
