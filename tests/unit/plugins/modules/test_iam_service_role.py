# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""iam_service_role and iam_service_role_info against the moto server (IAM roles, inline and
managed policies and role tags all work in moto 5.2.5; the AWS managed policies are not loaded
by the test server, so a customer managed policy stands in for them)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import iam_service_role
from ansible_collections.healthplatform.aws.plugins.modules import iam_service_role_info

ACCOUNT = "123456789012"
DELIVER = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/hp-test/cloudtrail:*",
        }
    ],
}
READ = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::hp-test-logs/*"}]}


@pytest.fixture
def managed(aws):
    document = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "config:Put*", "Resource": "*"}]})
    return aws.client("iam").create_policy(PolicyName="hp-test-config", PolicyDocument=document)["Policy"]["Arn"]


def args(managed, **extra):
    result = {
        "name": "hp-test-cloudtrail",
        "description": "CloudTrail delivery",
        "trusted_services": ["cloudtrail.amazonaws.com"],
        "source_account_condition": True,
        "inline_policies": {"deliver": DELIVER},
        "managed_policy_arns": [managed],
        "tags": {"Environment": "test"},
    }
    result.update(extra)
    return result


def live(aws, name="hp-test-cloudtrail"):
    iam = aws.client("iam")
    role = iam.get_role(RoleName=name)["Role"]
    role["Inline"] = {n: iam.get_role_policy(RoleName=name, PolicyName=n)["PolicyDocument"] for n in iam.list_role_policies(RoleName=name)["PolicyNames"]}
    role["Managed"] = [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]]
    role["TagDict"] = {t["Key"]: t["Value"] for t in role.get("Tags", [])}
    return role


def test_create(aws, managed):
    result = aws.run(iam_service_role.main, args(managed), diff=True)

    assert result["changed"] is True
    role = live(aws)
    (statement,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    assert role["Description"] == "CloudTrail delivery"
    assert role["Inline"] == {"deliver": DELIVER}
    assert role["Managed"] == [managed]
    assert role["TagDict"] == {"Environment": "test"}
    assert result["role"]["arn"] == role["Arn"]
    assert result["role"]["inline_policies"] == {"deliver": DELIVER}
    assert result["role"]["managed_policy_arns"] == [managed]
    assert result["diff"]["before"] == {}


def test_no_change_makes_no_mutating_call(aws, managed):
    aws.run(iam_service_role.main, args(managed))
    reordered = {
        "Statement": [{"Resource": DELIVER["Statement"][0]["Resource"], "Action": ["logs:PutLogEvents", "logs:CreateLogStream"], "Effect": "Allow"}],
        "Version": "2012-10-17",
    }
    with aws.recording() as calls:
        result = aws.run(iam_service_role.main, args(managed))
        as_text = aws.run(iam_service_role.main, args(managed, inline_policies={"deliver": json.dumps(reordered)}))
        checked = aws.run(iam_service_role.main, args(managed), check_mode=True)

    assert result["changed"] is False
    assert as_text["changed"] is False
    assert checked["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_update_everything(aws, managed):
    aws.run(iam_service_role.main, args(managed))
    changed = args(
        managed,
        description="CloudTrail delivery role",
        trusted_services=["cloudtrail.amazonaws.com", "delivery.logs.amazonaws.com"],
        source_account_condition=False,
        inline_policies={"read": READ},
        managed_policy_arns=[],
        max_session_duration=7200,
        tags={"Environment": "test", "Owner": "ops"},
    )
    result = aws.run(iam_service_role.main, changed, diff=True)

    assert result["changed"] is True
    role = live(aws)
    (statement,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert sorted(statement["Principal"]["Service"]) == ["cloudtrail.amazonaws.com", "delivery.logs.amazonaws.com"]
    assert "Condition" not in statement
    assert role["Description"] == "CloudTrail delivery role"
    assert role["MaxSessionDuration"] == 7200
    assert role["Inline"] == {"read": READ}
    assert role["Managed"] == []
    assert role["TagDict"] == {"Environment": "test", "Owner": "ops"}
    assert result["diff"]["before"]["inline_policies"] == {"deliver": DELIVER}
    assert result["diff"]["after"]["inline_policies"] == {"read": READ}
    assert aws.run(iam_service_role.main, changed)["changed"] is False


def test_without_purge_policies_are_kept(aws, managed):
    aws.run(iam_service_role.main, args(managed))
    result = aws.run(
        iam_service_role.main, args(managed, inline_policies={"read": READ}, purge_inline_policies=False, managed_policy_arns=[], purge_managed_policies=False)
    )
    assert result["changed"] is True
    role = live(aws)
    assert sorted(role["Inline"]) == ["deliver", "read"]
    assert role["Managed"] == [managed]


def test_policies_not_given_are_not_read(aws, managed):
    aws.run(iam_service_role.main, args(managed))
    with aws.recording() as calls:
        result = aws.run(
            iam_service_role.main, {"name": "hp-test-cloudtrail", "trusted_services": ["cloudtrail.amazonaws.com"], "source_account_condition": True}
        )
    assert result["changed"] is False
    assert not any(c["operation"] in ("ListRolePolicies", "ListAttachedRolePolicies") for c in calls)


def test_check_mode_changes_nothing(aws, managed):
    with aws.recording() as calls:
        created = aws.run(iam_service_role.main, args(managed), check_mode=True)
    assert created["changed"] is True
    assert created["role"]["arn"] == f"arn:aws:iam::{ACCOUNT}:role/hp-test-cloudtrail"
    assert aws.mutating(calls) == []
    assert aws.client("iam").list_roles()["Roles"] == []

    aws.run(iam_service_role.main, args(managed))
    with aws.recording() as calls:
        updated = aws.run(iam_service_role.main, args(managed, inline_policies={"read": READ}), check_mode=True)
        deleted = aws.run(iam_service_role.main, {"name": "hp-test-cloudtrail", "state": "absent"}, check_mode=True)
    assert updated["changed"] is True and updated["role"]["inline_policies"] == {"read": READ}
    assert deleted["changed"] is True
    assert aws.mutating(calls) == []
    assert live(aws)["Inline"] == {"deliver": DELIVER}


def test_delete_with_policies_and_instance_profile(aws, managed):
    aws.run(iam_service_role.main, args(managed))
    iam = aws.client("iam")
    iam.create_instance_profile(InstanceProfileName="hp-test")
    iam.add_role_to_instance_profile(InstanceProfileName="hp-test", RoleName="hp-test-cloudtrail")

    result = aws.run(iam_service_role.main, {"name": "hp-test-cloudtrail", "state": "absent"})

    assert result["changed"] is True
    assert iam.list_roles()["Roles"] == []
    assert aws.run(iam_service_role.main, {"name": "hp-test-cloudtrail", "state": "absent"})["changed"] is False


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"name": "bad name"}, "name"),
        ({"path": "service-role"}, "path"),
        ({"trusted_services": []}, "trusted_services"),
        ({"trusted_services": ["arn:aws:iam::123456789012:root"]}, "trusted_services[0]"),
        ({"inline_policies": {"deliver": "{not json"}}, "inline_policies.deliver"),
        ({"inline_policies": {"deliver": {"Version": "2012-10-17"}}}, "inline_policies.deliver"),
        ({"inline_policies": {"admin": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}}, "inline_policies.admin"),
        ({"inline_policies": {"not": {"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}}}, "inline_policies.not"),
        (
            {"inline_policies": {"big": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/" + "x" * 100] * 120}]}}},
            "inline_policies",
        ),
        ({"managed_policy_arns": ["AWS_ConfigRole"]}, "managed_policy_arns[0]"),
        ({"max_session_duration": 60}, "max_session_duration"),
    ],
)
def test_bad_input_fails_before_any_call(aws, managed, extra, option):
    with aws.recording() as calls:
        result = aws.run(iam_service_role.main, args(managed, **extra))
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info(aws, managed):
    aws.run(iam_service_role.main, args(managed))
    result = aws.run(iam_service_role_info.main, {"names": ["hp-test-cloudtrail", "missing"]})
    (role,) = result["roles"]
    assert role["inline_policies"] == {"deliver": DELIVER}
    assert role["managed_policy_arns"] == [managed]
    assert role["tags"] == {"Environment": "test"}
