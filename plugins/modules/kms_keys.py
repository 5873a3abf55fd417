#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kms_keys
short_description: Manage a set of customer managed KMS keys, each known by its alias
version_added: 0.1.0
description:
  - Creates, updates or schedules for deletion the customer managed KMS keys listed in O(keys),
    each identified by its alias. Keys that are not listed are left alone.
  - For each key - its alias, description, key policy, automatic rotation, enabled state and tags.
    A key pending deletion is brought back (deletion cancelled, key enabled) by O(state=present).
  - One call handles the whole set and reads each key once (C(ListAliases) once, then
    C(DescribeKey), C(GetKeyPolicy), C(GetKeyRotationStatus) and C(ListResourceTags) per key),
    which is what makes it cheaper than one M(amazon.aws.kms_key) call per key.
  - Options that are not given are not compared. O(keys[].key_spec) and O(keys[].key_usage)
    are fixed when a key is created; a difference fails the task instead of changing anything.
  - Bad input (an alias outside C(alias/...) or under C(alias/aws/), the same alias twice, a policy
    that is not a JSON object, a pending window outside 7-30 days) fails before any API call.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  keys:
    description: The keys.
    type: list
    elements: dict
    required: true
    suboptions:
      alias:
        description: Alias of the key, C(alias/name) (a name without the C(alias/) prefix is accepted).
        type: str
        required: true
      description:
        description: Description of the key. Not compared when omitted.
        type: str
      policy:
        description:
          - The key policy (a JSON document, as text or mapping). Not compared when omitted; a new
            key then gets the AWS default key policy.
          - Compared as a policy (statement and list order do not matter).
        type: json
      enable_key_rotation:
        description: Automatic yearly rotation of the key material.
        type: bool
        default: true
      enabled:
        description: Whether the key can be used.
        type: bool
        default: true
      key_spec:
        description: Key spec of a new key.
        type: str
        default: SYMMETRIC_DEFAULT
      key_usage:
        description: Key usage of a new key.
        type: str
        choices: [ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC, KEY_AGREEMENT]
        default: ENCRYPT_DECRYPT
      tags:
        description: Tags of the key. Not compared when omitted.
        type: dict
      purge_tags:
        description: Remove tags of the key that are not in O(keys[].tags).
        type: bool
        default: true
  state:
    description:
      - C(present) - the keys exist and are configured as given.
      - C(absent) - the keys are scheduled for deletion after O(pending_window_days) (their aliases go with them).
    type: str
    choices: [present, absent]
    default: present
  pending_window_days:
    description: Days (7 to 30) before a key scheduled for deletion is deleted.
    type: int
    default: 30
  bypass_policy_lockout_safety_check:
    description: Skip the KMS check that the caller keeps the right to change the policy. Leave it off.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - C(CreateKey) accepts no idempotency token. Retries happen only on throttling (the request was
    refused). Should any other failure leave a new key without its alias, the next run creates
    the key again; the orphan key is unused - find it by its description and schedule its deletion.
seealso:
  - module: amazon.aws.kms_key
  - module: amazon.aws.kms_key_info
"""

EXAMPLES = r"""
- name: One key per data class, rotated yearly, with a policy each
  healthplatform.aws.kms_keys:
    keys:
      - alias: alias/healthplatform-production-database
        description: RDS storage of the platform database
        policy: "{{ lookup('ansible.builtin.template', 'key-policy-database.json.j2') }}"
        tags: {DataClass: database}
      - alias: alias/healthplatform-production-secrets
        description: Secrets Manager secrets
        policy: "{{ lookup('ansible.builtin.template', 'key-policy-secrets.json.j2') }}"
        tags: {DataClass: secrets}
  register: platform_keys

- name: Use a key ARN later
  ansible.builtin.debug:
    msg: "{{ platform_keys.key_arns['alias/healthplatform-production-database'] }}"

- name: Schedule a test key for deletion in 7 days
  healthplatform.aws.kms_keys:
    keys:
      - alias: alias/healthplatform-lab-scratch
    state: absent
    pending_window_days: 7
"""

RETURN = r"""
keys:
  description: The keys after the run (in check mode, would be), in the order of O(keys).
  returned: always
  type: list
  elements: dict
  contains:
    alias:
      description: The alias.
      type: str
      sample: alias/healthplatform-production-database
    key_id:
      description: Key ID (absent in check mode before creation).
      type: str
      sample: 1234abcd-12ab-34cd-56ef-1234567890ab
    key_arn:
      description: Key ARN (absent in check mode before creation).
      type: str
      sample: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    key_state:
      description: C(Enabled), C(Disabled), C(PendingDeletion)...
      type: str
      sample: Enabled
    description:
      description: Description.
      type: str
    enable_key_rotation:
      description: Whether automatic rotation is on.
      type: bool
      sample: true
    tags:
      description: Tags.
      type: dict
    changed:
      description: Whether this key changed.
      type: bool
key_arns:
  description: Alias to key ARN, for the keys that exist.
  returned: always
  type: dict
  sample: {"alias/healthplatform-production-database": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
"""

import json
import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.healthplatform.aws.plugins.module_utils.common import RETRY_CODES
from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes

ALIAS = re.compile(r"^alias/[a-zA-Z0-9/_-]{1,250}$")


def alias_of(name):
    return name if name.startswith("alias/") else "alias/" + name


def validate(module):
    """Check what argument_spec cannot; fail before any API call."""
    p = module.params
    if not 7 <= p["pending_window_days"] <= 30:
        module.fail_json(msg=f"pending_window_days must be between 7 and 30, got {p['pending_window_days']}")
    seen = set()
    for index, key in enumerate(p["keys"]):
        where = f"keys[{index}]"
        alias = alias_of(key["alias"])
        if not ALIAS.match(alias):
            module.fail_json(msg=f"{where}.alias must be alias/ followed by letters, digits, / _ or -, got {key['alias']!r}")
        if alias.startswith("alias/aws/"):
            module.fail_json(msg=f"{where}.alias {alias} is reserved for AWS managed keys")
        if alias in seen:
            module.fail_json(msg=f"{where}.alias {alias} is listed twice")
        seen.add(alias)
        key["alias"] = alias
        if key["policy"] is not None:
            try:
                policy = json.loads(key["policy"])
            except ValueError as e:
                module.fail_json(msg=f"{where}.policy is not valid JSON: {e}")
            if not isinstance(policy, dict) or "Statement" not in policy:
                module.fail_json(msg=f"{where}.policy must be a policy document (a JSON object with Statement)")
            key["policy"] = policy
        if key["description"] is not None and len(key["description"]) > 8192:
            module.fail_json(msg=f"{where}.description is longer than 8192 characters")


@AWSRetry.jittered_backoff(retries=10, catch_extra_error_codes=RETRY_CODES)
def list_aliases(client):
    return client.get_paginator("list_aliases").paginate().build_full_result()["Aliases"]


def read_key(client, key_id):
    metadata = client.describe_key(KeyId=key_id, aws_retry=True)["KeyMetadata"]
    state = {"metadata": metadata}
    if metadata["KeyState"] == "PendingDeletion":
        return state
    state["policy"] = json.loads(client.get_key_policy(KeyId=key_id, PolicyName="default", aws_retry=True)["Policy"])
    state["rotation"] = client.get_key_rotation_status(KeyId=key_id, aws_retry=True).get("KeyRotationEnabled", False)
    tags = client.list_resource_tags(KeyId=key_id, aws_retry=True).get("Tags", [])
    state["tags"] = {t["TagKey"]: t["TagValue"] for t in tags}
    return state


def view(alias, state):
    if not state:
        return {"alias": alias}
    metadata = state["metadata"]
    result = {
        "alias": alias,
        "key_id": metadata.get("KeyId"),
        "key_arn": metadata.get("Arn"),
        "key_state": metadata.get("KeyState"),
        "description": metadata.get("Description"),
        "key_spec": metadata.get("KeySpec"),
        "key_usage": metadata.get("KeyUsage"),
    }
    if "rotation" in state:
        result.update(enable_key_rotation=state["rotation"], tags=state["tags"], policy=state["policy"])
    return result


def create_key(module, client, key):
    request = {"KeySpec": key["key_spec"], "KeyUsage": key["key_usage"], "BypassPolicyLockoutSafetyCheck": module.params["bypass_policy_lockout_safety_check"]}
    if key["description"] is not None:
        request["Description"] = key["description"]
    if key["policy"] is not None:
        request["Policy"] = json.dumps(key["policy"])
    if key["tags"]:
        request["Tags"] = [{"TagKey": k, "TagValue": v} for k, v in key["tags"].items()]
    metadata = client.create_key(aws_retry=True, **request)["KeyMetadata"]
    client.create_alias(AliasName=key["alias"], TargetKeyId=metadata["KeyId"], aws_retry=True)
    if key["enable_key_rotation"] and key["key_spec"] == "SYMMETRIC_DEFAULT":
        client.enable_key_rotation(KeyId=metadata["KeyId"], aws_retry=True)
    if not key["enabled"]:
        client.disable_key(KeyId=metadata["KeyId"], aws_retry=True)
    return metadata["KeyId"]


def planned(key):
    """What a new key would look like (check mode)."""
    return {
        "metadata": {
            "KeyState": "Enabled" if key["enabled"] else "Disabled",
            "Description": key["description"],
            "KeySpec": key["key_spec"],
            "KeyUsage": key["key_usage"],
        },
        "policy": key["policy"],
        "rotation": key["enable_key_rotation"],
        "tags": key["tags"] or {},
    }


def update_key(module, client, key, state):
    """Bring an existing key to the wanted settings. Returns (changed, expected state after)."""
    metadata = state["metadata"]
    key_id = metadata["KeyId"]
    after = {k: (dict(v) if isinstance(v, dict) else v) for k, v in state.items()}
    after["metadata"] = dict(metadata)
    changed = False
    check = module.check_mode

    if metadata["KeyState"] == "PendingDeletion":
        changed = True
        if not check:
            client.cancel_key_deletion(KeyId=key_id, aws_retry=True)
            return True, None  # re-read everything after the key is back
        return True, planned(key)

    for field, option in (("KeySpec", "key_spec"), ("KeyUsage", "key_usage")):
        if metadata.get(field) and metadata[field] != key[option]:
            module.fail_json(msg=f"{key['alias']}: {option} is {metadata[field]} and cannot change (wanted {key[option]}); create a new key instead")

    if key["description"] is not None and metadata.get("Description", "") != key["description"]:
        changed = True
        after["metadata"]["Description"] = key["description"]
        if not check:
            client.update_key_description(KeyId=key_id, Description=key["description"], aws_retry=True)
    if key["policy"] is not None and compare_policies(state["policy"], key["policy"]):
        changed = True
        after["policy"] = key["policy"]
        if not check:
            client.put_key_policy(
                KeyId=key_id,
                PolicyName="default",
                Policy=json.dumps(key["policy"]),
                BypassPolicyLockoutSafetyCheck=module.params["bypass_policy_lockout_safety_check"],
                aws_retry=True,
            )
    enabled_now = metadata["KeyState"] == "Enabled"
    if key["enabled"] != enabled_now and metadata["KeyState"] in ("Enabled", "Disabled"):
        changed = True
        after["metadata"]["KeyState"] = "Enabled" if key["enabled"] else "Disabled"
        if not check:
            (client.enable_key if key["enabled"] else client.disable_key)(KeyId=key_id, aws_retry=True)
    if metadata.get("KeySpec", "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT" and state["rotation"] != key["enable_key_rotation"]:
        changed = True
        after["rotation"] = key["enable_key_rotation"]
        if not check:
            (client.enable_key_rotation if key["enable_key_rotation"] else client.disable_key_rotation)(KeyId=key_id, aws_retry=True)
    to_set, to_unset = tag_changes(state["tags"], key["tags"], key["purge_tags"])
    if to_set or to_unset:
        changed = True
        after["tags"] = merged_tags(state["tags"], key["tags"], key["purge_tags"])
        if not check:
            if to_unset:
                client.untag_resource(KeyId=key_id, TagKeys=to_unset, aws_retry=True)
            if to_set:
                client.tag_resource(KeyId=key_id, Tags=[{"TagKey": k, "TagValue": v} for k, v in to_set.items()], aws_retry=True)
    return changed, after


def ensure_present(module, client, key, key_id):
    """Returns (changed, before_view, after_view)."""
    if key_id is None:
        if module.check_mode:
            return True, {}, view(key["alias"], planned(key))
        new_id = create_key(module, client, key)
        return True, {}, view(key["alias"], read_key(client, new_id))
    state = read_key(client, key_id)
    changed, after = update_key(module, client, key, state)
    if changed and not module.check_mode:
        if after is None:  # deletion was cancelled: the key is Disabled, bring the rest in line
            state_back = read_key(client, key_id)
            update_key(module, client, key, state_back)
        after = read_key(client, key_id)
    return changed, view(key["alias"], state), view(key["alias"], after)


def ensure_absent(module, client, key, key_id):
    if key_id is None:
        return False, {}, {}
    state = read_key(client, key_id)
    if state["metadata"]["KeyState"] in ("PendingDeletion", "PendingReplicaDeletion"):
        return False, view(key["alias"], state), view(key["alias"], state)
    if not module.check_mode:
        client.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=module.params["pending_window_days"], aws_retry=True)
    after = {"metadata": dict(state["metadata"], KeyState="PendingDeletion")}
    return True, view(key["alias"], state), view(key["alias"], after)


def main():
    key_options = dict(
        alias=dict(type="str", required=True),
        description=dict(type="str"),
        policy=dict(type="json"),
        enable_key_rotation=dict(type="bool", default=True),
        enabled=dict(type="bool", default=True),
        key_spec=dict(type="str", default="SYMMETRIC_DEFAULT", no_log=False),
        key_usage=dict(type="str", choices=["ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"], default="ENCRYPT_DECRYPT"),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
    )
    argument_spec = dict(
        keys=dict(type="list", elements="dict", required=True, options=key_options, no_log=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        pending_window_days=dict(type="int", default=30),
        bypass_policy_lockout_safety_check=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = retrying_client(module, "kms")
    results, before_all, after_all = [], {}, {}
    changed_any = False
    try:
        targets = {a["AliasName"]: a.get("TargetKeyId") for a in list_aliases(client)}
        for key in module.params["keys"]:
            key_id = targets.get(key["alias"])
            if module.params["state"] == "present":
                changed, before, after = ensure_present(module, client, key, key_id)
            else:
                changed, before, after = ensure_absent(module, client, key, key_id)
            changed_any |= changed
            results.append(dict(after, changed=changed))
            if changed:
                before_all[key["alias"]], after_all[key["alias"]] = before, after
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage the KMS keys")

    key_arns = {r["alias"]: r["key_arn"] for r in results if r.get("key_arn") and r.get("key_state") != "PendingDeletion"}
    module.exit_json(changed=changed_any, keys=results, key_arns=key_arns, diff=diff_of(before_all, after_all))


if __name__ == "__main__":
    main()
