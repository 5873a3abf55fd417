#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: iam_account_password_policy
short_description: Manage the IAM password policy of the account
version_added: 0.1.0
description:
  - Sets the account's IAM password policy (C(UpdateAccountPasswordPolicy)) or removes it
    (O(state=absent)).
  - Reads the current policy first and sends an update only when a setting differs, so a run that
    changes nothing makes no mutating call (M(amazon.aws.iam_password_policy) updates on every run).
  - The defaults are the platform's floor (control HP-03) - 14 characters, all four character
    classes, 24 remembered passwords, 90 days at most.
  - Bad input (a length outside 6-128, a reuse count outside 1-24, a maximum age outside 1-1095)
    fails before any API call is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  state:
    description: Whether the account has a password policy.
    type: str
    choices: [present, absent]
    default: present
  minimum_length:
    description: Minimum password length (6 to 128).
    type: int
    default: 14
  require_uppercase:
    description: Require an uppercase letter.
    type: bool
    default: true
  require_lowercase:
    description: Require a lowercase letter.
    type: bool
    default: true
  require_numbers:
    description: Require a digit.
    type: bool
    default: true
  require_symbols:
    description: Require a symbol.
    type: bool
    default: true
  reuse_prevention:
    description: Number of previous passwords a user may not reuse (1 to 24); C(0) means no rule.
    type: int
    default: 24
  max_age_days:
    description: Days a password stays valid (1 to 1095); C(0) means passwords never expire.
    type: int
    default: 90
  allow_users_to_change:
    description: Users may change their own password.
    type: bool
    default: true
  hard_expiry:
    description: Users with an expired password cannot set a new one themselves (an administrator must).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
seealso:
  - module: healthplatform.aws.iam_account_password_policy_info
"""

EXAMPLES = r"""
- name: The platform's floor (HP-03)
  healthplatform.aws.iam_account_password_policy:

- name: Longer passwords
  healthplatform.aws.iam_account_password_policy:
    minimum_length: 16
"""

RETURN = r"""
password_policy:
  description: The policy after the run (in check mode, would be), in snake_case; empty when there is none.
  returned: always
  type: dict
  sample:
    minimum_password_length: 14
    require_symbols: true
    require_numbers: true
    require_uppercase_characters: true
    require_lowercase_characters: true
    allow_users_to_change_password: true
    expire_passwords: true
    max_password_age: 90
    password_reuse_prevention: 24
    hard_expiry: false
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.iam_account import read_password_policy

# The settings UpdateAccountPasswordPolicy takes, by option.
FIELDS = {
    "minimum_length": "MinimumPasswordLength",
    "require_uppercase": "RequireUppercaseCharacters",
    "require_lowercase": "RequireLowercaseCharacters",
    "require_numbers": "RequireNumbers",
    "require_symbols": "RequireSymbols",
    "allow_users_to_change": "AllowUsersToChangePassword",
    "hard_expiry": "HardExpiry",
}


def validate(module):
    p = module.params
    if not 6 <= p["minimum_length"] <= 128:
        module.fail_json(msg=f"minimum_length must be between 6 and 128, got {p['minimum_length']}")
    if not 0 <= p["reuse_prevention"] <= 24:
        module.fail_json(msg=f"reuse_prevention must be between 0 (no rule) and 24, got {p['reuse_prevention']}")
    if not 0 <= p["max_age_days"] <= 1095:
        module.fail_json(msg=f"max_age_days must be between 0 (never) and 1095, got {p['max_age_days']}")


def wanted(params):
    """The policy as GetAccountPasswordPolicy would report it after the update."""
    policy = {field: params[option] for option, field in FIELDS.items()}
    policy["ExpirePasswords"] = params["max_age_days"] > 0
    if params["max_age_days"]:
        policy["MaxPasswordAge"] = params["max_age_days"]
    if params["reuse_prevention"]:
        policy["PasswordReusePrevention"] = params["reuse_prevention"]
    return policy


def comparable(policy):
    keys = (*FIELDS.values(), "ExpirePasswords", "MaxPasswordAge", "PasswordReusePrevention")
    return {k: policy[k] for k in keys if policy.get(k) not in (None, 0)} if policy else {}


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        minimum_length=dict(type="int", default=14),
        require_uppercase=dict(type="bool", default=True),
        require_lowercase=dict(type="bool", default=True),
        require_numbers=dict(type="bool", default=True),
        require_symbols=dict(type="bool", default=True),
        reuse_prevention=dict(type="int", default=24),
        max_age_days=dict(type="int", default=90),
        allow_users_to_change=dict(type="bool", default=True),
        hard_expiry=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    p = module.params
    client = retrying_client(module, "iam")
    try:
        before = read_password_policy(client)
        if p["state"] == "absent":
            after = {}
            changed = bool(before)
            if changed and not module.check_mode:
                client.delete_account_password_policy(aws_retry=True)
        else:
            after = wanted(p)
            changed = comparable(before) != comparable(after)
            if changed and not module.check_mode:
                request = {field: p[option] for option, field in FIELDS.items()}
                if p["max_age_days"]:
                    request["MaxPasswordAge"] = p["max_age_days"]
                if p["reuse_prevention"]:
                    request["PasswordReusePrevention"] = p["reuse_prevention"]
                client.update_account_password_policy(aws_retry=True, **request)
                after = read_password_policy(client)
            elif not changed:
                after = before
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage the account password policy")

    module.exit_json(
        changed=changed,
        password_policy=camel_dict_to_snake_dict(after),
        diff=diff_of(camel_dict_to_snake_dict(comparable(before)), camel_dict_to_snake_dict(comparable(after))),
    )


if __name__ == "__main__":
    main()
