# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers shared by the Route 53 Resolver modules (DNS Firewall and query logging).

- input checks that run before any API call: resource names, domain names
  (inline or from a file), so that a typo never reaches AWS;
- paginated reads with the same jittered backoff as every other call;
- resolving DNS Firewall domain lists and rule groups given by name or ID;
- tags through ListTagsForResource / TagResource / UntagResource;
- a bounded status poller for the resources that change asynchronously.
"""

from __future__ import annotations

import re
import time

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthplatform.aws.plugins.module_utils.common import RETRY_CODES
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes

# --- input checks ------------------------------------------------------------

# The pattern every Route 53 Resolver name must match (from the API model), at most 64 characters.
NAME_PATTERN = re.compile(r"^(?![0-9]+$)[a-zA-Z0-9\-_ ]{1,64}$")

DOMAIN_LIST_ID = re.compile(r"^rslvr-fdl-[0-9a-z]+$")
RULE_GROUP_ID = re.compile(r"^rslvr-frg-[0-9a-z]+$")
VPC_ID = re.compile(r"^vpc-[0-9a-f]{8,17}$")

_LABEL = re.compile(r"^[a-z0-9-]{1,63}$")
# A domain name as text is at most 253 characters (255 octets on the wire).
MAX_DOMAIN_LENGTH = 253
# UpdateFirewallDomains accepts at most this many domains per request.
MAX_DOMAINS_PER_REQUEST = 1000


def name_problem(value):
    """Why ``value`` is not a valid Route 53 Resolver name, or None."""
    if NAME_PATTERN.match(value or ""):
        return None
    return "must be 1 to 64 letters, digits, spaces, hyphens or underscores, and not only digits"


def check_name(module, option, value):
    """Fail (before any API call) when ``value`` is not a valid Route 53 Resolver name."""
    problem = name_problem(value)
    if problem:
        module.fail_json(msg=f"{option} {value!r} {problem}")


def normalize_domain(domain):
    """The form domains are compared in: lower case, no trailing dot (AWS reports FQDNs with one)."""
    return domain.strip().lower().rstrip(".")


def domain_problem(domain, wildcard=True):
    """Why ``domain`` is not a valid DNS Firewall domain specification, or None.

    RFC 1035 labels (letters, digits, hyphens; no hyphen at either end; 1-63
    characters; a leading digit is allowed as RFC 1123 does), at most 253
    characters in all, an optional trailing dot, and with ``wildcard`` an
    optional leading ``*.`` label, or ``*`` alone (every domain).
    """
    if not isinstance(domain, str) or not domain.strip():
        return "it is empty"
    name = normalize_domain(domain)
    if not name:
        return "it is empty"
    if len(name) > MAX_DOMAIN_LENGTH:
        return f"it is longer than {MAX_DOMAIN_LENGTH} characters"
    labels = name.split(".")
    if labels[0] == "*":
        if not wildcard:
            return "a wildcard is not allowed here"
        labels = labels[1:]
        if not labels:
            return None  # "*" alone matches every domain
    for label in labels:
        if not label:
            return "it has an empty label (two dots in a row, or a leading dot)"
        if "*" in label:
            return "'*' is allowed only as the whole first label, as in *.example.com"
        if len(label) > 63:
            return f"label {label[:20]!r}... is longer than 63 characters"
        if not _LABEL.match(label):
            return f"label {label!r} has characters other than letters, digits and hyphens"
        if label.startswith("-") or label.endswith("-"):
            return f"label {label!r} starts or ends with a hyphen"
    return None


def domains_from_option(module, option, domains):
    """Validate a list option of domains; return them normalized, deduplicated, in the given order."""
    result = []
    seen = set()
    for index, domain in enumerate(domains):
        problem = domain_problem(domain)
        if problem:
            module.fail_json(msg=f"{option}[{index}] {domain!r} is not a valid domain name: {problem}")
        name = normalize_domain(domain)
        if name not in seen:
            seen.add(name)
            result.append(name)
    return result


def domains_from_file(module, option, path):
    """Read a domain file (one domain a line, ``#`` starts a comment, blank lines ignored) and validate it.

    The file is read where the module runs (for AWS modules, normally the
    controller). Fails naming the option, the file and the line number.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError) as e:
        module.fail_json(msg=f"{option} {path} cannot be read: {e}")
    result = []
    seen = set()
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        problem = domain_problem(text)
        if problem:
            module.fail_json(msg=f"{option} {path} line {number}: {text!r} is not a valid domain name: {problem}")
        name = normalize_domain(text)
        if name not in seen:
            seen.add(name)
            result.append(name)
    return result


def chunks(items, size=MAX_DOMAINS_PER_REQUEST):
    items = list(items)
    return [items[i : i + size] for i in range(0, len(items), size)]


# --- reads ------------------------------------------------------------------


def _retry():
    return AWSRetry.jittered_backoff(retries=10, catch_extra_error_codes=RETRY_CODES)


def paginate(client, operation, result_key, **params):
    """All items of a paginated list call, the whole pagination retried with jittered backoff."""

    def _all():
        paginator = client.get_paginator(operation)
        return paginator.paginate(**params).build_full_result().get(result_key, [])

    return _retry()(_all)()


def is_not_found(error):
    return is_boto3_error_code("ResourceNotFoundException", e=error)


def snake(resource):
    """An AWS description in snake_case (without ResponseMetadata)."""
    if not resource:
        return {}
    return camel_dict_to_snake_dict({k: v for k, v in resource.items() if k != "ResponseMetadata"})


# --- tags -------------------------------------------------------------------


def get_tags(client, arn):
    return boto3_tag_list_to_ansible_dict(paginate(client, "list_tags_for_resource", "Tags", ResourceArn=arn))


def boto3_tags(tags):
    """Tags for a create request (empty list when there are none)."""
    return ansible_dict_to_boto3_tag_list(tags or {})


def update_tags(client, arn, current, desired, purge_tags, check_mode):
    """Apply tag changes with TagResource/UntagResource. Returns True if anything changed."""
    to_set, to_unset = tag_changes(current, desired, purge_tags)
    if not (to_set or to_unset):
        return False
    if check_mode:
        return True
    if to_unset:
        client.untag_resource(ResourceArn=arn, TagKeys=list(to_unset), aws_retry=True)
    if to_set:
        client.tag_resource(ResourceArn=arn, Tags=ansible_dict_to_boto3_tag_list(to_set), aws_retry=True)
    return True


# --- DNS Firewall look-ups ----------------------------------------------------


def list_domain_lists(client):
    """Every domain list the account sees: its own and the AWS managed ones."""
    return paginate(client, "list_firewall_domain_lists", "FirewallDomainLists")


def resolve_domain_lists(client, refs):
    """Map each reference (a domain list ID, or a name, custom or AWS managed) to its list summary.

    Returns (resolved, unknown, ambiguous): ``resolved`` maps ref -> summary;
    ``unknown`` and ``ambiguous`` list the refs that matched no list, or more than one.
    Reads the lists once, whatever the number of references.
    """
    lists = list_domain_lists(client) if refs else []
    by_id = {d["Id"]: d for d in lists}
    by_name = {}
    for d in lists:
        by_name.setdefault(d.get("Name"), []).append(d)
    resolved, unknown, ambiguous = {}, [], []
    for ref in refs:
        if ref in by_id:
            resolved[ref] = by_id[ref]
        elif len(by_name.get(ref, [])) == 1:
            resolved[ref] = by_name[ref][0]
        elif len(by_name.get(ref, [])) > 1:
            ambiguous.append(ref)
        else:
            unknown.append(ref)
    return resolved, unknown, ambiguous


def find_rule_group(client, ref):
    """The rule group (GetFirewallRuleGroup description) with this ID or name; None if there is none.

    Raises ValueError when a name matches more than one rule group.
    """
    if RULE_GROUP_ID.match(ref):
        try:
            return client.get_firewall_rule_group(FirewallRuleGroupId=ref, aws_retry=True)["FirewallRuleGroup"]
        except is_boto3_error_code("ResourceNotFoundException"):
            return None
    matches = [g for g in paginate(client, "list_firewall_rule_groups", "FirewallRuleGroups") if g.get("Name") == ref]
    if len(matches) > 1:
        raise ValueError(f"{len(matches)} firewall rule groups are named {ref!r} ({', '.join(g['Id'] for g in matches)}); give the ID instead")
    if not matches:
        return None
    return client.get_firewall_rule_group(FirewallRuleGroupId=matches[0]["Id"], aws_retry=True)["FirewallRuleGroup"]


# --- waiting ------------------------------------------------------------------

# Seconds between polls: short at first (most changes finish in seconds), then every 15 s.
POLL_DELAYS = (1, 2, 4, 8, 15)


def _pause(seconds):
    """Wait between two polls (tests replace this)."""
    time.sleep(seconds)


def _now():
    return time.monotonic()


def wait_for_status(module, describe, done, pending, timeout, what):
    """Poll ``describe()`` until the resource's Status is one of ``done``; return the last description.

    ``describe`` returns the resource description, or None when the resource
    no longer exists (include None in ``done`` to wait for a deletion).
    A status in neither ``done`` nor ``pending`` fails at once with AWS's
    status message; so does running past ``timeout`` seconds.
    """
    deadline = _now() + timeout
    attempt = 0
    while True:
        current = describe()
        status = None if current is None else current.get("Status")
        if status in done:
            return current
        if status not in pending:
            detail = (current or {}).get("StatusMessage") or (current or {}).get("ErrorMessage") or ""
            module.fail_json(msg=f"{what} is in status {status}{': ' + detail if detail else ''}", status=status)
        delay = POLL_DELAYS[min(attempt, len(POLL_DELAYS) - 1)]
        if _now() + delay > deadline:
            module.fail_json(msg=f"timed out after {timeout} s waiting for {what} (last status {status}); raise wait_timeout or set wait: false", status=status)
        _pause(delay)
        attempt += 1
