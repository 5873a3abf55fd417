#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: iam_service_roles
short_description: Manage a set of IAM roles that AWS services assume, with their policies and instance profiles
version_added: 0.1.0
description:
  - Creates, updates or deletes the IAM roles listed in O(roles), each identified by its name.
    The trust policy of each role lets only the AWS services in O(roles[].trusted_services) assume
    it, optionally only on behalf of this account and only for some resources. Roles that are not
    listed are left alone.
  - Each role comes with its inline policies, its attached managed policies and, with
    O(roles[].instance_profile=true), the instance profile of the same name that EC2 instances use.
  - One call handles the whole set, which is what makes it cheaper than one
    M(healthplatform.aws.iam_service_role) (or M(amazon.aws.iam_role)) call per role. Each role is
    read once (C(GetRole); C(ListRolePolicies) and C(GetRolePolicy) when O(roles[].inline_policies)
    is given; C(ListAttachedRolePolicies) when O(roles[].managed_policy_arns) is given;
    C(GetInstanceProfile) when O(roles[].instance_profile) is given). The account is taken from
    the ARN of a role that exists; C(sts:GetCallerIdentity) is called only when none does.
  - Policies are compared as documents (statement order and single-item lists do not matter);
    only what differs is written.
  - Bad input (a name or path IAM would refuse, a principal that is not a service, a policy
    document that is not valid or that allows every action on every resource or uses
    C(NotAction) in an Allow, the same role twice) fails before any API call, naming the option
    and the item. An instance profile that already holds another role fails the task before any
    change.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  roles:
    description: The roles.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Name of the role (and of its instance profile).
        type: str
        required: true
      path:
        description: Path of the role and of its instance profile, set when they are created (IAM cannot change it).
        type: str
        default: /
      description:
        description: Description of the role. Not compared when omitted.
        type: str
      trusted_services:
        description:
          - Service principals that may assume the role, for example C(ec2.amazonaws.com). Required with O(state=present).
        type: list
        elements: str
      source_account_condition:
        description:
          - Allow the services to assume the role only on behalf of this account (a C(aws:SourceAccount)
            condition with the account of the credentials), which protects against the confused deputy
            problem. Use it for services that send C(aws:SourceAccount) when they assume a role
            (CloudTrail, AWS Config, ...).
        type: bool
        default: false
      source_arns:
        description:
          - Allow the services to assume the role only for these resources (an C(ArnLike) condition
            on C(aws:SourceArn); C(*) matches any characters), for example
            C(arn:aws:cloudtrail:*:123456789012:trail/*).
        type: list
        elements: str
      trust_sid:
        description: Statement ID (C(Sid)) of the trust policy's statement, letters and digits. None when omitted.
        type: str
      inline_policies:
        description:
          - Inline policies, policy name to policy document (a mapping or its JSON text). Not compared when omitted.
        type: dict
      purge_inline_policies:
        description: Delete inline policies that are not in O(roles[].inline_policies).
        type: bool
        default: true
      managed_policy_arns:
        description: ARNs of managed policies to attach. Not compared when omitted.
        type: list
        elements: str
      purge_managed_policies:
        description: Detach managed policies that are not in O(roles[].managed_policy_arns).
        type: bool
        default: true
      max_session_duration:
        description: Longest session, in seconds (3600 to 43200). Not compared when omitted.
        type: int
      tags:
        description:
          - Tags of the role, and of its instance profile when O(roles[].instance_profile=true). Not compared when omitted.
        type: dict
      purge_tags:
        description: Remove tags that are not in O(roles[].tags).
        type: bool
        default: true
      instance_profile:
        description:
          - V(true) - the instance profile of the same name exists and holds the role. A missing
            profile is created (with the path and tags of the role and the tag
            C(healthplatform.aws:created-by=iam_service_roles), which marks it as made by this module).
            An existing profile of that name is used (it is not marked).
          - V(false) - the role has no instance profile of its name. The profile is removed (the role
            taken out of it, then the profile deleted) only when this module created it (it has the
            tag above); a profile made another way is left as it is, with a warning when it holds the
            role. Instances may be using a profile, so this module never deletes one it did not make.
          - Omitted - instance profiles are not read or changed.
        type: bool
  state:
    description:
      - Whether the roles should exist. C(absent) detaches a role's managed policies, deletes its
        inline policies, takes it out of its instance profiles and deletes it; the instance profile
        of the same name is deleted too when this module created it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - IAM takes no client token; role and instance profile names are unique in the account, so a
    retried create finds what the first one made.
  - An instance profile holds one role. One that holds another role than its namesake fails the
    task, before any change.
  - A service may refuse a role for some seconds after it was created or changed (IAM is eventually
    consistent); the modules of this collection that are handed a role retry that answer.
seealso:
  - module: healthplatform.aws.iam_service_role
  - module: healthplatform.aws.iam_service_role_info
  - module: amazon.aws.iam_role
"""

EXAMPLES = r"""
- name: The instance role with its profile, and the trail's delivery role
  healthplatform.aws.iam_service_roles:
    roles:
      - name: healthplatform-prod-instance
        path: /healthplatform/prod/
        description: Platform instances - SSM and the CloudWatch agent
        trusted_services: [ec2.amazonaws.com]
        trust_sid: PlatformInstances
        managed_policy_arns:
          - arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore
          - arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy
        instance_profile: true
        tags:
          Environment: prod
      - name: healthplatform-prod-cloudtrail
        path: /healthplatform/prod/
        description: CloudTrail delivery to its CloudWatch Logs group
        trusted_services: [cloudtrail.amazonaws.com]
        source_account_condition: true
        source_arns: ["arn:aws:cloudtrail:*:123456789012:trail/*"]
        inline_policies:
          deliver-to-log-group:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [logs:CreateLogStream, logs:PutLogEvents]
                Resource: "arn:aws:logs:us-east-1:123456789012:log-group:/healthplatform-prod/cloudtrail:log-stream:*"
        instance_profile: false
        tags:
          Environment: prod
  register: service_roles

- name: Use the ARNs
  ansible.builtin.debug:
    msg: "{{ service_roles.role_arns['healthplatform-prod-cloudtrail'] }} {{ service_roles.instance_profile_arns['healthplatform-prod-instance'] }}"

- name: Delete a role (and the instance profile this module made for it)
  healthplatform.aws.iam_service_roles:
    state: absent
    roles:
      - name: healthplatform-prod-instance
"""

RETURN = r"""
roles:
  description:
    - The roles after the run (in check mode, what they would be), in the order of O(roles);
      with O(state=absent), only C(role_name) and C(changed).
  returned: always
  type: list
  elements: dict
  contains:
    role_name:
      description: Name of the role.
      type: str
      sample: healthplatform-prod-instance
    arn:
      description: ARN of the role (in check mode before creation, built from the account and path).
      type: str
      sample: arn:aws:iam::123456789012:role/healthplatform/prod/healthplatform-prod-instance
    path:
      description: Path of the role.
      type: str
      sample: /healthplatform/prod/
    description:
      description: Description of the role.
      type: str
      sample: Platform instances - SSM and the CloudWatch agent
    max_session_duration:
      description: Longest session, in seconds.
      type: int
      sample: 3600
    assume_role_policy_document:
      description: The trust policy.
      type: dict
      sample: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    inline_policies:
      description: Inline policy name to document (when O(roles[].inline_policies) is given).
      type: dict
      sample: {"deliver-to-log-group": {"Version": "2012-10-17", "Statement": []}}
    managed_policy_arns:
      description: ARNs of the attached managed policies (when O(roles[].managed_policy_arns) is given).
      type: list
      elements: str
      sample: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]
    tags:
      description: Tags of the role.
      type: dict
      sample: {"Environment": "prod"}
    instance_profile:
      description:
        - The instance profile of the same name (when O(roles[].instance_profile) is given and the
          profile exists or, in check mode, would exist).
      type: dict
      contains:
        instance_profile_name:
          description: Name of the instance profile.
          type: str
          sample: healthplatform-prod-instance
        arn:
          description: ARN of the instance profile (in check mode before creation, built from the account and path).
          type: str
          sample: arn:aws:iam::123456789012:instance-profile/healthplatform/prod/healthplatform-prod-instance
        path:
          description: Path of the instance profile.
          type: str
          sample: /healthplatform/prod/
        roles:
          description: Names of the roles in the profile.
          type: list
          elements: str
          sample: [healthplatform-prod-instance]
        tags:
          description: Tags of the instance profile.
          type: dict
          sample: {"Environment": "prod", "healthplatform.aws:created-by": "iam_service_roles"}
        created_by_module:
          description: Whether this module made the profile (and so may delete it).
          type: bool
          sample: true
    changed:
      description: Whether this role (or its instance profile) changed.
      type: bool
role_arns:
  description: Role name to ARN, for the roles that exist (in check mode, would exist).
  returned: always
  type: dict
  sample: {"healthplatform-prod-instance": "arn:aws:iam::123456789012:role/healthplatform/prod/healthplatform-prod-instance"}
instance_profile_arns:
  description: Role name to the ARN of its instance profile, for the roles with O(roles[].instance_profile=true).
  returned: always
  type: dict
  sample: {"healthplatform-prod-instance": "arn:aws:iam::123456789012:instance-profile/healthplatform/prod/healthplatform-prod-instance"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import account_of
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import delete_role
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import diff_view
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import ensure_role
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import read_role
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import snake_role
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import trust_policy
from ansible_collections.healthplatform.aws.plugins.module_utils.service_roles import validate_role

# The tag that marks an instance profile as made by this module: only such a profile is ever deleted.
MARKER_KEY = "healthplatform.aws:created-by"
MARKER_VALUE = "iam_service_roles"


def validate(module):
    """Check every role; fail naming the item and option before any API call. Returns the parsed inline policies, one per role."""
    present = module.params["state"] == "present"
    inlines, seen = [], set()
    for index, spec in enumerate(module.params["roles"]):
        where = f"roles[{index}]."
        inline, error = validate_role(spec, where, present)
        if error:
            module.fail_json(msg=error)
        if spec["name"] in seen:
            module.fail_json(msg=f"{where}name: {spec['name']} is listed twice")
        seen.add(spec["name"])
        inlines.append(inline)
    return inlines


def read_profile(client, name):
    """The instance profile ``name`` as a plain view (roles by name, tags as a dict), or None."""
    try:
        profile = client.get_instance_profile(InstanceProfileName=name, aws_retry=True)["InstanceProfile"]
    except is_boto3_error_code("NoSuchEntity"):
        return None
    tags = profile.get("Tags")
    if tags is None:  # GetInstanceProfile returns the tags; ask for them when it did not
        tags = client.list_instance_profile_tags(InstanceProfileName=name, aws_retry=True).get("Tags") or []
    tags = boto3_tag_list_to_ansible_dict(tags)
    return {
        "instance_profile_name": profile["InstanceProfileName"],
        "arn": profile["Arn"],
        "path": profile["Path"],
        "roles": sorted(r["RoleName"] for r in profile.get("Roles") or []),
        "tags": tags,
        "created_by_module": tags.get(MARKER_KEY) == MARKER_VALUE,
    }


def conflicts(module, profiles):
    """Fail before any change when a wanted instance profile already holds another role."""
    for index, (spec, profile) in enumerate(zip(module.params["roles"], profiles)):
        if not spec["instance_profile"] or not profile:
            continue
        others = [r for r in profile["roles"] if r != spec["name"]]
        if others:
            module.fail_json(
                msg=f"roles[{index}].instance_profile: the instance profile {spec['name']} already holds the role {others[0]} "
                "(an instance profile holds one role); take it out of the profile first"
            )


def ensure_profile(module, client, spec, current, account_info):
    """Make the instance profile of ``spec`` match O(roles[].instance_profile). Returns (changed, after view or {})."""
    name, check = spec["name"], module.check_mode
    if spec["instance_profile"] is None:
        return False, None
    if spec["instance_profile"]:
        if current is None:
            tags = dict(spec["tags"] or {}, **{MARKER_KEY: MARKER_VALUE})
            if check:
                account_id, partition = account_info()
                arn = f"arn:{partition}:iam::{account_id}:instance-profile{spec['path']}{name}"
            else:
                request = {"InstanceProfileName": name, "Path": spec["path"], "Tags": ansible_dict_to_boto3_tag_list(tags)}
                arn = client.create_instance_profile(aws_retry=True, **request)["InstanceProfile"]["Arn"]
                client.add_role_to_instance_profile(InstanceProfileName=name, RoleName=name, aws_retry=True)
            return True, {"instance_profile_name": name, "arn": arn, "path": spec["path"], "roles": [name], "tags": tags, "created_by_module": True}
        changed, after = False, dict(current)
        if current["path"] != spec["path"]:
            module.warn(f"instance profile {name}: its path is {current['path']}, not {spec['path']}; IAM cannot change the path of an instance profile")
        if name not in current["roles"]:
            changed = True
            if not check:
                client.add_role_to_instance_profile(InstanceProfileName=name, RoleName=name, aws_retry=True)
            after["roles"] = sorted(current["roles"] + [name])
        if spec["tags"] is not None:
            wanted = dict(spec["tags"], **({MARKER_KEY: MARKER_VALUE} if current["created_by_module"] else {}))
            to_set, to_unset = tag_changes(current["tags"], wanted, spec["purge_tags"])
            if to_set or to_unset:
                changed = True
                if not check:
                    if to_unset:
                        client.untag_instance_profile(InstanceProfileName=name, TagKeys=list(to_unset), aws_retry=True)
                    if to_set:
                        client.tag_instance_profile(InstanceProfileName=name, Tags=ansible_dict_to_boto3_tag_list(to_set), aws_retry=True)
                after["tags"] = merged_tags(current["tags"], wanted, spec["purge_tags"])
        return changed, after
    # instance_profile: false
    if current is None:
        return False, {}
    if not current["created_by_module"]:
        if name in current["roles"]:
            module.warn(
                f"instance profile {name} holds the role but was not made by this module (no {MARKER_KEY} tag): left as it is; "
                "remove it yourself once no instance uses it"
            )
        return False, current
    return remove_profile(module, client, name, current, role_deleted=False)


def remove_profile(module, client, name, current, role_deleted):
    """Delete the instance profile this module made for role ``name``. Returns (changed, {} or the profile left)."""
    others = [r for r in current["roles"] if r != name]
    if others:
        module.warn(f"instance profile {name} was made by this module but holds the role {others[0]}: left as it is")
        return False, current
    if not module.check_mode:
        if name in current["roles"] and not role_deleted:
            client.remove_role_from_instance_profile(InstanceProfileName=name, RoleName=name, aws_retry=True)
        client.delete_instance_profile(InstanceProfileName=name, aws_retry=True)
    return True, {}


def with_profile(view, profile):
    if profile is not None:
        view["instance_profile"] = profile
    return view


def main():
    role_options = dict(
        name=dict(type="str", required=True),
        path=dict(type="str", default="/"),
        description=dict(type="str"),
        trusted_services=dict(type="list", elements="str"),
        source_account_condition=dict(type="bool", default=False),
        source_arns=dict(type="list", elements="str"),
        trust_sid=dict(type="str"),
        inline_policies=dict(type="dict"),
        purge_inline_policies=dict(type="bool", default=True),
        managed_policy_arns=dict(type="list", elements="str"),
        purge_managed_policies=dict(type="bool", default=True),
        max_session_duration=dict(type="int"),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
        instance_profile=dict(type="bool"),
    )
    argument_spec = dict(
        roles=dict(type="list", elements="dict", required=True, options=role_options),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    inlines = validate(module)
    specs = module.params["roles"]
    present = module.params["state"] == "present"
    check = module.check_mode

    client = retrying_client(module, "iam")
    results, before_all, after_all = [], {}, {}
    try:
        # Read everything first, so that a conflict fails before any change.
        roles, profiles = [], []
        for spec, inline in zip(specs, inlines):
            if present:
                roles.append(read_role(client, spec["name"], inline=inline is not None, managed=spec["managed_policy_arns"] is not None))
            else:
                roles.append(read_role(client, spec["name"]))
            profiles.append(read_profile(client, spec["name"]) if spec["instance_profile"] is not None or not present else None)
        if present:
            conflicts(module, profiles)

        # The account of an existing role is the account of the credentials: no STS call then.
        known = next((a for a in map(account_of, roles) if a), None)
        account = {}

        def account_info():
            if "value" not in account:
                account["value"] = known or get_aws_account_info(module)
            return account["value"]

        for spec, inline, role, profile in zip(specs, inlines, roles, profiles):
            name = spec["name"]
            before = with_profile(diff_view(role), profile)
            if not present:
                changed = False
                if role:
                    changed = True
                    if not check:
                        delete_role(client, role)
                if profile and profile["created_by_module"]:
                    changed |= remove_profile(module, client, name, profile, role_deleted=True)[0]
                results.append({"role_name": name, "changed": changed})
                if changed:
                    before_all[name], after_all[name] = before, {}
                continue
            source_account = account_info()[0] if spec["source_account_condition"] else None
            trust = trust_policy(spec["trusted_services"], source_account, spec["source_arns"], spec["trust_sid"])
            role_changed, after = ensure_role(client, spec, role, inline, trust, check, account_info)
            profile_changed, profile_after = ensure_profile(module, client, spec, profile, account_info)
            changed = role_changed or profile_changed
            results.append(dict(with_profile(snake_role(after), profile_after or None), changed=changed))
            if changed:
                before_all[name], after_all[name] = before, with_profile(diff_view(after), profile_after or None)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage the IAM service roles")

    role_arns = {r["role_name"]: r["arn"] for r in results if r.get("arn")}
    profile_arns = {
        spec["name"]: r["instance_profile"]["arn"] for spec, r in zip(specs, results) if spec["instance_profile"] and r.get("instance_profile", {}).get("arn")
    }
    module.exit_json(
        changed=any(r["changed"] for r in results),
        roles=results,
        role_arns=role_arns,
        instance_profile_arns=profile_arns,
        diff=diff_of(before_all, after_all),
    )


if __name__ == "__main__":
    main()
