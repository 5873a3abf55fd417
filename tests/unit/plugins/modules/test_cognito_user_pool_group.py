# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""cognito_user_pool_group against the moto server (groups are emulated).

The group list of cognito_user_pool_info is tested in test_cognito_user_pool.py.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import cognito_user_pool_group

POOL = "hp-test-providers"
ROLE = "arn:aws:iam::123456789012:role/hp-test-clinicians"


@pytest.fixture
def pool_id(aws):
    return aws.client("cognito-idp").create_user_pool(PoolName=POOL)["UserPool"]["Id"]


def group_args(**extra):
    args = {"user_pool_name": POOL, "name": "clinicians", "description": "Physicians and nurses", "precedence": 10, "role_arn": ROLE}
    args.update(extra)
    return {k: v for k, v in args.items() if v is not None}


def groups_of(aws, pool_id):
    return aws.client("cognito-idp").list_groups(UserPoolId=pool_id)["Groups"]


def test_create(aws, pool_id):
    result = aws.run(cognito_user_pool_group.main, group_args())

    assert result["changed"] is True
    (live,) = groups_of(aws, pool_id)
    assert (live["GroupName"], live["Description"], live["Precedence"], live["RoleArn"]) == ("clinicians", "Physicians and nurses", 10, ROLE)
    assert result["group"]["group_name"] == "clinicians"
    assert result["group"]["role_arn"] == ROLE


def test_no_change_makes_no_mutating_call(aws, pool_id):
    aws.run(cognito_user_pool_group.main, group_args())
    with aws.recording() as calls:
        result = aws.run(cognito_user_pool_group.main, group_args())
        omitted = aws.run(cognito_user_pool_group.main, {"user_pool_id": pool_id, "name": "clinicians"})

    assert result["changed"] is False
    assert omitted["changed"] is False, "options that are not given are not compared"
    assert aws.mutating(calls) == []


def test_update_keeps_what_is_not_given(aws, pool_id):
    aws.run(cognito_user_pool_group.main, group_args())
    with aws.recording() as calls:
        result = aws.run(cognito_user_pool_group.main, {"user_pool_id": pool_id, "name": "clinicians", "precedence": 1}, diff=True)

    assert result["changed"] is True
    assert aws.mutating(calls) == ["cognito-idp:UpdateGroup"]
    (live,) = groups_of(aws, pool_id)
    assert (live["Description"], live["Precedence"], live["RoleArn"]) == ("Physicians and nurses", 1, ROLE)
    assert result["diff"]["before"]["precedence"] == 10
    assert result["diff"]["after"]["precedence"] == 1


def test_delete_and_delete_again(aws, pool_id):
    aws.run(cognito_user_pool_group.main, group_args())
    result = aws.run(cognito_user_pool_group.main, group_args(state="absent"))
    assert result["changed"] is True
    assert groups_of(aws, pool_id) == []
    assert aws.run(cognito_user_pool_group.main, group_args(state="absent"))["changed"] is False


def test_missing_pool(aws):
    present = aws.run(cognito_user_pool_group.main, group_args())
    assert present.failed
    assert "does not exist" in present["msg"]
    assert aws.run(cognito_user_pool_group.main, group_args(state="absent"))["changed"] is False


def test_check_mode_changes_nothing(aws, pool_id):
    with aws.recording() as calls:
        create = aws.run(cognito_user_pool_group.main, group_args(), check_mode=True)
    assert create["changed"] is True
    assert create["group"]["group_name"] == "clinicians"
    assert groups_of(aws, pool_id) == []
    assert aws.mutating(calls) == []

    aws.run(cognito_user_pool_group.main, group_args())
    before = groups_of(aws, pool_id)
    with aws.recording() as calls:
        update = aws.run(cognito_user_pool_group.main, group_args(description="changed"), check_mode=True)
        delete = aws.run(cognito_user_pool_group.main, group_args(state="absent"), check_mode=True)
    assert update["changed"] is True
    assert update["group"]["description"] == "changed"
    assert delete["changed"] is True
    assert aws.mutating(calls) == []
    assert groups_of(aws, pool_id) == before


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"role_arn": "hp-test-clinicians"}, "role_arn"),
        ({"role_arn": "arn:aws:iam::123456789012:user/alice"}, "role_arn"),
        ({"precedence": -1}, "precedence"),
        ({"description": "x" * 2049}, "description"),
        ({"name": "x" * 129}, "name"),
        ({"user_pool_id": "us-east-1_x"}, "user_pool_id"),
    ],
)
def test_bad_input_fails_before_any_call(aws, pool_id, extra, option):
    with aws.recording() as calls:
        result = aws.run(cognito_user_pool_group.main, group_args(**extra))

    assert result.failed
    assert option in result["msg"]
    assert calls == [], "validation must happen before any API call"
    assert groups_of(aws, pool_id) == []
