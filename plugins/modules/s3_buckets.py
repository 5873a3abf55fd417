#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: s3_buckets
short_description: Manage a set of S3 buckets with their protection settings, Object Lock and lifecycle
version_added: 0.1.0
description:
  - Creates, updates or deletes the S3 buckets listed in O(buckets), each with its versioning,
    default encryption (SSE-KMS with S3 Bucket Keys by default), bucket-level Block Public Access,
    object ownership, bucket policy, Object Lock with its default retention, lifecycle rules and
    tags. Buckets that are not listed are left alone.
  - One call handles the whole set and reads each setting once, which is what makes it cheaper
    than one M(amazon.aws.s3_bucket) call plus one M(community.aws.s3_lifecycle) call per rule.
  - An Object Lock default retention is compared with a zero C(Days) or C(Years) counted as no
    setting (some implementations report C(Years=0) next to C(Days)), so an unchanged retention is
    never applied again. Object Lock can be enabled on an existing bucket (its versioning is turned
    on first); S3 cannot disable it.
  - Settings that are not given are not compared (O(buckets[].policy), O(buckets[].object_lock),
    O(buckets[].lifecycle_rules), O(buckets[].tags)); the others have safe defaults.
  - O(state=absent) deletes the buckets, which S3 refuses for a bucket that is not empty.
  - Bad input (a bucket name S3 would refuse, the same bucket twice, SSE-KMS without a key, a
    policy that is not a policy document, a retention of both days and years) fails before any
    API call is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  buckets:
    description: The buckets.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Name of the bucket.
        type: str
        required: true
      versioning:
        description: Whether versioning is enabled (C(false) suspends it on a versioned bucket).
        type: bool
        default: true
      encryption:
        description: Default encryption. Not compared when omitted.
        type: dict
        suboptions:
          sse_algorithm:
            description: C(aws:kms) (SSE-KMS), C(aws:kms:dsse) or C(AES256) (SSE-S3).
            type: str
            choices: ['aws:kms', 'aws:kms:dsse', AES256]
            default: 'aws:kms'
          kms_key_id:
            description: KMS key (ARN, ID or alias) for C(aws:kms) and C(aws:kms:dsse). Required with them.
            type: str
          bucket_key_enabled:
            description: S3 Bucket Keys (fewer KMS requests). Only for SSE-KMS.
            type: bool
            default: true
      public_access_block:
        description: Turn on all four Block Public Access settings of the bucket (C(false) removes them).
        type: bool
        default: true
      object_ownership:
        description: Object ownership. C(BucketOwnerEnforced) disables ACLs.
        type: str
        choices: [BucketOwnerEnforced, BucketOwnerPreferred, ObjectWriter]
        default: BucketOwnerEnforced
      policy:
        description: The bucket policy (JSON text or mapping). Not compared when omitted.
        type: json
      object_lock:
        description: Object Lock. Not compared when omitted.
        type: dict
        suboptions:
          mode:
            description: Mode of the default retention. Without it, Object Lock is on without a default retention rule.
            type: str
            choices: [GOVERNANCE, COMPLIANCE]
          days:
            description: Default retention in days (with O(buckets[].object_lock.mode), exactly one of days and years).
            type: int
          years:
            description: Default retention in years.
            type: int
      lifecycle_rules:
        description:
          - The bucket's lifecycle rules, in the S3 API's shape with snake_case keys (C(id),
            C(status), C(filter), C(transitions), C(noncurrent_version_transitions), C(expiration),
            C(noncurrent_version_expiration), C(abort_incomplete_multipart_upload)).
          - The whole lifecycle configuration; rules not listed are removed. An empty list removes it.
            Not compared when omitted.
        type: list
        elements: dict
      tags:
        description: Tags of the bucket. Not compared when omitted.
        type: dict
      purge_tags:
        description: Remove tags that are not in O(buckets[].tags).
        type: bool
        default: true
  state:
    description: Whether the buckets should exist.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - C(CreateBucket) accepts no idempotency token; a bucket name is unique, so a retried create
    answers C(BucketAlreadyOwnedByYou) instead of making two.
seealso:
  - module: amazon.aws.s3_bucket
  - module: healthplatform.aws.s3_object_lock
  - module: healthplatform.aws.s3_account_public_access_block
"""

EXAMPLES = r"""
- name: Records bucket locked for six years, and a content bucket
  healthplatform.aws.s3_buckets:
    buckets:
      - name: healthplatform-production-records-123456789012-us-east-1
        encryption:
          kms_key_id: "{{ kms_key_arns.objects }}"
        object_lock:
          mode: COMPLIANCE
          days: 2190
        policy: "{{ lookup('ansible.builtin.template', 'records-policy.json.j2') }}"
        lifecycle_rules:
          - id: to-cheaper-classes
            status: Enabled
            filter: {prefix: ""}
            transitions:
              - {days: 90, storage_class: STANDARD_IA}
              - {days: 365, storage_class: GLACIER}
        tags: {DataClass: records}
      - name: healthplatform-production-content-123456789012-us-east-1
        encryption:
          kms_key_id: "{{ kms_key_arns.objects }}"
        tags: {DataClass: content}
"""

RETURN = r"""
buckets:
  description: The buckets after the run (in check mode, would be), in the order of O(buckets).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name.
      type: str
    arn:
      description: ARN.
      type: str
      sample: arn:aws:s3:::healthplatform-production-records-123456789012-us-east-1
    versioning:
      description: C(Enabled), C(Suspended) or null (never enabled).
      type: str
    encryption:
      description: The default encryption rule.
      type: dict
      sample: {"sse_algorithm": "aws:kms", "kms_key_id": "arn:aws:kms:...", "bucket_key_enabled": true}
    public_access_block:
      description: The four Block Public Access settings.
      type: dict
    object_ownership:
      description: Object ownership.
      type: str
    object_lock:
      description: Object Lock (C(enabled) and the default retention), when O(buckets[].object_lock) is given.
      type: dict
    lifecycle_rules:
      description: The lifecycle rules as S3 reports them, when O(buckets[].lifecycle_rules) is given.
      type: list
    tags:
      description: Tags, when O(buckets[].tags) is given.
      type: dict
    changed:
      description: Whether this bucket changed.
      type: bool
"""

import json
import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible.module_utils.common.dict_transformations import snake_dict_to_camel_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.kms_ref import KeyResolver
from ansible_collections.healthplatform.aws.plugins.module_utils.kms_ref import is_key_reference
from ansible_collections.healthplatform.aws.plugins.module_utils.s3_control import normalized_retention

BUCKET_NAME = re.compile(r"^(?!xn--)(?!sthree-)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
PAB_FIELDS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


def validate(module):
    """Check what argument_spec cannot; fail before any API call."""
    seen = set()
    for index, bucket in enumerate(module.params["buckets"]):
        where = f"buckets[{index}]"
        if not BUCKET_NAME.match(bucket["name"]) or ".." in bucket["name"]:
            module.fail_json(msg=f"{where}.name {bucket['name']!r} is not a valid bucket name (3-63 lower case letters, digits, dots, dashes)")
        if bucket["name"] in seen:
            module.fail_json(msg=f"{where}.name {bucket['name']} is listed twice")
        seen.add(bucket["name"])
        if module.params["state"] == "absent":
            continue
        encryption = bucket["encryption"]
        if encryption and encryption["sse_algorithm"].startswith("aws:kms"):
            if not encryption["kms_key_id"]:
                module.fail_json(msg=f"{where}.encryption.kms_key_id is required with sse_algorithm {encryption['sse_algorithm']}")
            if not is_key_reference(encryption["kms_key_id"]):
                module.fail_json(msg=f"{where}.encryption.kms_key_id must be a KMS key ID, key ARN, alias name or alias ARN, got {encryption['kms_key_id']!r}")
        if encryption and encryption["sse_algorithm"] == "AES256" and encryption["kms_key_id"]:
            module.fail_json(msg=f"{where}.encryption.kms_key_id applies only to SSE-KMS")
        if bucket["policy"] is not None:
            try:
                policy = json.loads(bucket["policy"])
            except ValueError as e:
                module.fail_json(msg=f"{where}.policy is not valid JSON: {e}")
            if not isinstance(policy, dict) or "Statement" not in policy:
                module.fail_json(msg=f"{where}.policy must be a policy document (a JSON object with Statement)")
            bucket["policy"] = policy
        lock = bucket["object_lock"]
        if lock:
            periods = [u for u in ("days", "years") if lock[u] is not None]
            if lock["mode"] and len(periods) != 1:
                module.fail_json(msg=f"{where}.object_lock needs exactly one of days and years with a mode")
            if not lock["mode"] and periods:
                module.fail_json(msg=f"{where}.object_lock.mode is required with a retention period")
            for unit in periods:
                if lock[unit] < 1:
                    module.fail_json(msg=f"{where}.object_lock.{unit} must be at least 1, got {lock[unit]}")
        for rule_index, rule in enumerate(bucket["lifecycle_rules"] or []):
            if not isinstance(rule, dict) or not rule.get("id"):
                module.fail_json(msg=f"{where}.lifecycle_rules[{rule_index}] needs an id")


# ---- shapes ---------------------------------------------------------------------------------


def wanted_encryption(encryption):
    if encryption is None:
        return None
    default = {"SSEAlgorithm": encryption["sse_algorithm"]}
    if encryption["kms_key_id"]:
        default["KMSMasterKeyID"] = encryption["kms_key_id"]
    rule = {"ApplyServerSideEncryptionByDefault": default}
    if encryption["sse_algorithm"].startswith("aws:kms"):
        rule["BucketKeyEnabled"] = encryption["bucket_key_enabled"]
    return rule


def api_rule(rule):
    """A lifecycle rule from snake_case options to the S3 API's shape."""
    result = snake_dict_to_camel_dict(rule, capitalize_first=True)
    if "Id" in result:
        result["ID"] = result.pop("Id")
    result.setdefault("Status", "Enabled")
    if "Filter" not in result and "Prefix" not in result:
        result["Filter"] = {"Prefix": ""}
    return normalized_rule(result)


def normalized_rule(rule):
    """A lifecycle rule in a comparable form: no empty parts, a top-level Prefix as a Filter, upper-case storage classes."""
    rule = {k: v for k, v in rule.items() if v not in (None, [], {})}
    if "Prefix" in rule and "Filter" not in rule:
        rule["Filter"] = {"Prefix": rule.pop("Prefix")}
    rule.setdefault("Filter", {"Prefix": ""})
    if not rule["Filter"]:
        rule["Filter"] = {"Prefix": ""}
    for key in ("Transitions", "NoncurrentVersionTransitions"):
        if key in rule:
            items = [{k: (v.upper() if k == "StorageClass" else v) for k, v in t.items() if v is not None} for t in rule[key]]
            rule[key] = sorted(items, key=lambda t: json.dumps(t, sort_keys=True))
    for key in ("Expiration", "NoncurrentVersionExpiration"):
        if key in rule:
            rule[key] = {k: v for k, v in rule[key].items() if v not in (None, False, 0)}
            if not rule[key]:
                del rule[key]
    return rule


def rules_key(rules):
    return json.dumps(sorted(rules, key=lambda r: r.get("ID", "")), sort_keys=True)


# ---- reads ----------------------------------------------------------------------------------


def read(client, name, wanted):
    """The bucket's current settings, reading only what ``wanted`` compares."""
    state = {}
    state["Versioning"] = client.get_bucket_versioning(Bucket=name, aws_retry=True).get("Status")
    try:
        rules = client.get_bucket_encryption(Bucket=name, aws_retry=True)["ServerSideEncryptionConfiguration"]["Rules"]
        state["Encryption"] = rules[0] if rules else None
    except is_boto3_error_code("ServerSideEncryptionConfigurationNotFoundError"):
        state["Encryption"] = None
    try:
        block = client.get_public_access_block(Bucket=name, aws_retry=True)["PublicAccessBlockConfiguration"]
        state["PublicAccessBlock"] = {f: bool(block.get(f)) for f in PAB_FIELDS}
    except is_boto3_error_code("NoSuchPublicAccessBlockConfiguration"):
        state["PublicAccessBlock"] = None
    try:
        ownership = client.get_bucket_ownership_controls(Bucket=name, aws_retry=True)["OwnershipControls"]["Rules"]
        state["ObjectOwnership"] = ownership[0]["ObjectOwnership"] if ownership else None
    except is_boto3_error_code("OwnershipControlsNotFoundError"):
        state["ObjectOwnership"] = None
    if wanted["policy"] is not None:
        try:
            state["Policy"] = json.loads(client.get_bucket_policy(Bucket=name, aws_retry=True)["Policy"])
        except is_boto3_error_code("NoSuchBucketPolicy"):
            state["Policy"] = None
    if wanted["object_lock"] is not None:
        try:
            lock = client.get_object_lock_configuration(Bucket=name, aws_retry=True)["ObjectLockConfiguration"]
            state["ObjectLock"] = {"Enabled": lock.get("ObjectLockEnabled") == "Enabled", "Retention": normalized_retention(lock.get("Rule"))}
        except is_boto3_error_code("ObjectLockConfigurationNotFoundError"):
            state["ObjectLock"] = {"Enabled": False, "Retention": None}
    if wanted["lifecycle_rules"] is not None:
        try:
            rules = client.get_bucket_lifecycle_configuration(Bucket=name, aws_retry=True)["Rules"]
        except is_boto3_error_code("NoSuchLifecycleConfiguration"):
            rules = []
        state["LifecycleRules"] = [normalized_rule(r) for r in rules]
    if wanted["tags"] is not None:
        try:
            state["Tags"] = boto3_tag_list_to_ansible_dict(client.get_bucket_tagging(Bucket=name, aws_retry=True)["TagSet"])
        except is_boto3_error_code(["NoSuchTagSet", "NoSuchTagSetError"]):
            state["Tags"] = {}
    return state


def view(name, state):
    if not state:
        return {"name": name}
    result = {"name": name, "arn": f"arn:aws:s3:::{name}", "versioning": state.get("Versioning")}
    encryption = state.get("Encryption")
    if encryption:
        default = encryption.get("ApplyServerSideEncryptionByDefault", {})
        result["encryption"] = {
            "sse_algorithm": default.get("SSEAlgorithm"),
            "kms_key_id": default.get("KMSMasterKeyID"),
            "bucket_key_enabled": encryption.get("BucketKeyEnabled"),
        }
    else:
        result["encryption"] = None
    result["public_access_block"] = camel_dict_to_snake_dict(state["PublicAccessBlock"]) if state.get("PublicAccessBlock") else None
    result["object_ownership"] = state.get("ObjectOwnership")
    if "Policy" in state:
        result["policy"] = state["Policy"]
    if "ObjectLock" in state:
        lock = state["ObjectLock"]
        result["object_lock"] = {"enabled": lock["Enabled"], "default_retention": camel_dict_to_snake_dict(lock["Retention"] or {})}
    if "LifecycleRules" in state:
        result["lifecycle_rules"] = state["LifecycleRules"]
    if "Tags" in state:
        result["tags"] = state["Tags"]
    return result


# ---- writes ---------------------------------------------------------------------------------


class Changes:
    """Apply (or, in check mode, only record) the changes of one bucket."""

    def __init__(self, module, client, name, state):
        self.module, self.client, self.name = module, client, name
        self.after = {k: (dict(v) if isinstance(v, dict) else v) for k, v in state.items()}
        self.changed = False

    def apply(self, key, value, call, **request):
        self.changed = True
        self.after[key] = value
        if not self.module.check_mode:
            call(Bucket=self.name, aws_retry=True, **request)


def ensure_settings(module, client, wanted, state):
    c = Changes(module, client, wanted["name"], state)
    versioning = "Enabled" if wanted["versioning"] else ("Suspended" if state.get("Versioning") else None)
    lock = wanted["object_lock"]
    if lock is not None and not state["ObjectLock"]["Enabled"]:
        versioning = "Enabled"  # S3 needs versioning to enable Object Lock
    if versioning != state.get("Versioning"):
        c.apply("Versioning", versioning, client.put_bucket_versioning, VersioningConfiguration={"Status": versioning})

    encryption = wanted_encryption(wanted["encryption"])
    if encryption is not None and not same_encryption(module, state.get("Encryption"), encryption):
        c.apply("Encryption", encryption, client.put_bucket_encryption, ServerSideEncryptionConfiguration={"Rules": [encryption]})

    block = dict.fromkeys(PAB_FIELDS, True) if wanted["public_access_block"] else None
    if block != state.get("PublicAccessBlock"):
        if block:
            c.apply("PublicAccessBlock", block, client.put_public_access_block, PublicAccessBlockConfiguration=block)
        else:
            c.apply("PublicAccessBlock", None, client.delete_public_access_block)

    if wanted["object_ownership"] != state.get("ObjectOwnership"):
        controls = {"Rules": [{"ObjectOwnership": wanted["object_ownership"]}]}
        c.apply("ObjectOwnership", wanted["object_ownership"], client.put_bucket_ownership_controls, OwnershipControls=controls)

    if wanted["policy"] is not None and (state["Policy"] is None or compare_policies(state["Policy"], wanted["policy"])):
        c.apply("Policy", wanted["policy"], client.put_bucket_policy, Policy=json.dumps(wanted["policy"]))

    if lock is not None:
        retention = None
        if lock["mode"]:
            retention = {"Mode": lock["mode"], **({"Days": lock["days"]} if lock["days"] else {"Years": lock["years"]})}
        target = {"Enabled": True, "Retention": retention}
        if target != state["ObjectLock"]:
            configuration = {"ObjectLockEnabled": "Enabled"}
            if retention:
                configuration["Rule"] = {"DefaultRetention": retention}
            c.apply("ObjectLock", target, client.put_object_lock_configuration, ObjectLockConfiguration=configuration)

    if wanted["lifecycle_rules"] is not None:
        rules = [api_rule(r) for r in wanted["lifecycle_rules"]]
        if rules_key(rules) != rules_key(state["LifecycleRules"]):
            if rules:
                c.apply("LifecycleRules", rules, client.put_bucket_lifecycle_configuration, LifecycleConfiguration={"Rules": rules})
            else:
                c.apply("LifecycleRules", [], client.delete_bucket_lifecycle)

    if wanted["tags"] is not None:
        tags = merged_tags(state["Tags"], wanted["tags"], wanted["purge_tags"])
        if tags != state["Tags"]:
            if tags:
                c.apply("Tags", tags, client.put_bucket_tagging, Tagging={"TagSet": ansible_dict_to_boto3_tag_list(tags)})
            else:
                c.apply("Tags", {}, client.delete_bucket_tagging)
    return c.changed, c.after


def same_encryption(module, current, wanted):
    if not current:
        return False
    current_default = current.get("ApplyServerSideEncryptionByDefault", {})
    wanted_default = wanted["ApplyServerSideEncryptionByDefault"]
    if current_default.get("SSEAlgorithm") != wanted_default["SSEAlgorithm"]:
        return False
    if "KMSMasterKeyID" in wanted_default:
        if not current_default.get("KMSMasterKeyID"):
            return False
        if not KeyResolver(module).same_key(current_default["KMSMasterKeyID"], wanted_default["KMSMasterKeyID"]):
            return False
    elif current_default.get("KMSMasterKeyID"):
        return False
    return bool(current.get("BucketKeyEnabled", False)) == bool(wanted.get("BucketKeyEnabled", False))


def create(module, client, wanted):
    request = {"Bucket": wanted["name"], "ObjectOwnership": wanted["object_ownership"]}
    if module.region and module.region != "us-east-1":
        request["CreateBucketConfiguration"] = {"LocationConstraint": module.region}
    if wanted["object_lock"] is not None:
        request["ObjectLockEnabledForBucket"] = True
    try:
        client.create_bucket(aws_retry=True, **request)
    except is_boto3_error_code("BucketAlreadyOwnedByYou"):
        pass  # a retried create that had gone through


def fresh_state(wanted):
    """What a bucket that is about to be created has (check mode)."""
    state = {"Versioning": None, "Encryption": None, "PublicAccessBlock": None, "ObjectOwnership": wanted["object_ownership"]}
    if wanted["policy"] is not None:
        state["Policy"] = None
    if wanted["object_lock"] is not None:
        state["ObjectLock"] = {"Enabled": True, "Retention": None}
    if wanted["lifecycle_rules"] is not None:
        state["LifecycleRules"] = []
    if wanted["tags"] is not None:
        state["Tags"] = {}
    return state


def main():
    bucket_options = dict(
        name=dict(type="str", required=True),
        versioning=dict(type="bool", default=True),
        encryption=dict(
            type="dict",
            options=dict(
                sse_algorithm=dict(type="str", choices=["aws:kms", "aws:kms:dsse", "AES256"], default="aws:kms"),
                kms_key_id=dict(type="str"),
                bucket_key_enabled=dict(type="bool", default=True),
            ),
        ),
        public_access_block=dict(type="bool", default=True),
        object_ownership=dict(type="str", choices=["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"], default="BucketOwnerEnforced"),
        policy=dict(type="json"),
        object_lock=dict(
            type="dict",
            options=dict(mode=dict(type="str", choices=["GOVERNANCE", "COMPLIANCE"]), days=dict(type="int"), years=dict(type="int")),
        ),
        lifecycle_rules=dict(type="list", elements="dict"),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
    )
    argument_spec = dict(
        buckets=dict(type="list", elements="dict", required=True, options=bucket_options),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = retrying_client(module, "s3")
    results, before_all, after_all = [], {}, {}
    changed_any = False
    try:
        existing = {b["Name"] for b in client.list_buckets(aws_retry=True).get("Buckets", [])}
        for wanted in module.params["buckets"]:
            name = wanted["name"]
            if module.params["state"] == "absent":
                changed = name in existing
                before, after = ({"name": name} if changed else {}), {}
                if changed and not module.check_mode:
                    client.delete_bucket(Bucket=name, aws_retry=True)
                result = {"name": name}
            else:
                if name in existing:
                    state = read(client, name, wanted)
                    before = view(name, state)
                    created = False
                else:
                    created = True
                    before = {}
                    if module.check_mode:
                        state = fresh_state(wanted)
                    else:
                        create(module, client, wanted)
                        state = read(client, name, wanted)
                changed, after_state = ensure_settings(module, client, wanted, state)
                changed |= created
                after = view(name, after_state)
                result = after
            changed_any |= changed
            results.append(dict(result, changed=changed))
            if changed:
                before_all[name], after_all[name] = before, after
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage the S3 buckets")

    module.exit_json(changed=changed_any, buckets=results, diff=diff_of(before_all, after_all))


if __name__ == "__main__":
    main()
