# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""iam_account_password_policy(_info) against the moto server (the account password policy is emulated)."""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import iam_account_password_policy
from ansible_collections.healthplatform.aws.plugins.modules import iam_account_password_policy_info


def live(aws):
    iam = aws.client("iam")
    try:
        return iam.get_account_password_policy()["PasswordPolicy"]
    except iam.exceptions.NoSuchEntityException:
        return None


def test_the_floor_by_default(aws):
    result = aws.run(iam_account_password_policy.main, {})

    assert result["changed"] is True
    policy = live(aws)
    assert policy["MinimumPasswordLength"] == 14
    assert policy["RequireSymbols"] and policy["RequireNumbers"] and policy["RequireUppercaseCharacters"] and policy["RequireLowercaseCharacters"]
    assert policy["PasswordReusePrevention"] == 24
    assert policy["MaxPasswordAge"] == 90
    assert result["password_policy"]["minimum_password_length"] == 14


def test_no_change_makes_no_mutating_call(aws):
    aws.run(iam_account_password_policy.main, {})
    with aws.recording() as calls:
        result = aws.run(iam_account_password_policy.main, {})
    assert result["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_update_one_setting(aws):
    aws.run(iam_account_password_policy.main, {})
    result = aws.run(iam_account_password_policy.main, {"minimum_length": 16}, diff=True)
    assert result["changed"] is True
    assert live(aws)["MinimumPasswordLength"] == 16
    assert result["diff"]["before"]["minimum_password_length"] == 14
    assert result["diff"]["after"]["minimum_password_length"] == 16


def test_no_expiry_and_no_reuse_rule(aws):
    aws.run(iam_account_password_policy.main, {"max_age_days": 0, "reuse_prevention": 0})
    policy = live(aws)
    assert not policy.get("MaxPasswordAge")
    assert not policy.get("PasswordReusePrevention")
    assert aws.run(iam_account_password_policy.main, {"max_age_days": 0, "reuse_prevention": 0})["changed"] is False


def test_delete_and_delete_again(aws):
    aws.run(iam_account_password_policy.main, {})
    assert aws.run(iam_account_password_policy.main, {"state": "absent"})["changed"] is True
    assert live(aws) is None
    assert aws.run(iam_account_password_policy.main, {"state": "absent"})["changed"] is False


def test_check_mode_changes_nothing(aws):
    with aws.recording() as calls:
        create = aws.run(iam_account_password_policy.main, {}, check_mode=True)
    assert create["changed"] is True
    assert live(aws) is None
    aws.run(iam_account_password_policy.main, {})
    with aws.recording() as more:
        update = aws.run(iam_account_password_policy.main, {"minimum_length": 20}, check_mode=True)
        delete = aws.run(iam_account_password_policy.main, {"state": "absent"}, check_mode=True)
    assert update["changed"] is True and delete["changed"] is True
    assert aws.mutating(calls + more) == []
    assert live(aws)["MinimumPasswordLength"] == 14


@pytest.mark.parametrize(
    "args, option",
    [({"minimum_length": 5}, "minimum_length"), ({"reuse_prevention": 25}, "reuse_prevention"), ({"max_age_days": 2000}, "max_age_days")],
)
def test_bad_input_fails_before_any_call(aws, args, option):
    with aws.recording() as calls:
        result = aws.run(iam_account_password_policy.main, args)
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info(aws):
    assert aws.run(iam_account_password_policy_info.main, {})["exists"] is False
    aws.run(iam_account_password_policy.main, {"minimum_length": 18})
    info = aws.run(iam_account_password_policy_info.main, {})
    assert info["exists"] is True
    assert info["password_policy"]["minimum_password_length"] == 18
