# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""iam_service_roles against the moto server (IAM roles, inline and managed policies, role tags,
instance profiles and their tags all work in moto 5.2.5; the AWS managed policies are not loaded
by the test server, so customer managed policies stand in for them)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import iam_service_roles

ACCOUNT = "123456789012"
PATH = "/hp/test/"
MARKER = {"healthplatform.aws:created-by": "iam_service_roles"}
TRAIL_ARNS = f"arn:aws:cloudtrail:*:{ACCOUNT}:trail/*"
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
# The trust policies the identity role rendered from its templates (trust-ec2.json.j2, trust-cloudtrail.json.j2).
EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "PlatformInstances", "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
TRAIL_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "TrailsOfThisAccount",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}, "ArnLike": {"aws:SourceArn": TRAIL_ARNS}},
        }
    ],
}


@pytest.fixture
def managed(aws):
    """Two customer managed policies standing in for the AWS managed ones."""
    iam = aws.client("iam")
    arns = {}
    for name, action in (("hp-test-ssm", "ssm:UpdateInstanceInformation"), ("hp-test-cw", "cloudwatch:PutMetricData"), ("hp-test-trail", "logs:PutLogEvents")):
        document = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]})
        arns[name] = iam.create_policy(PolicyName=name, PolicyDocument=document)["Policy"]["Arn"]
    return arns


def instance(managed, **extra):
    result = {
        "name": "hp-test-instance",
        "path": PATH,
        "description": "Platform instances",
        "trusted_services": ["ec2.amazonaws.com"],
        "trust_sid": "PlatformInstances",
        "managed_policy_arns": [managed["hp-test-ssm"], managed["hp-test-cw"]],
        "instance_profile": True,
        "tags": {"Environment": "test"},
    }
    result.update(extra)
    return result


def trail(managed, **extra):
    result = {
        "name": "hp-test-trail",
        "path": PATH,
        "description": "CloudTrail delivery",
        "trusted_services": ["cloudtrail.amazonaws.com"],
        "source_account_condition": True,
        "source_arns": [TRAIL_ARNS],
        "trust_sid": "TrailsOfThisAccount",
        "inline_policies": {"deliver": DELIVER},
        "managed_policy_arns": [managed["hp-test-trail"]],
        "instance_profile": False,
        "tags": {"Environment": "test"},
    }
    result.update(extra)
    return result


def both(managed, **extra):
    return {"roles": [instance(managed), trail(managed)], **extra}


def live(aws, name):
    iam = aws.client("iam")
    role = iam.get_role(RoleName=name)["Role"]
    role["Inline"] = {n: iam.get_role_policy(RoleName=name, PolicyName=n)["PolicyDocument"] for n in iam.list_role_policies(RoleName=name)["PolicyNames"]}
    role["Managed"] = sorted(p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"])
    role["TagDict"] = {t["Key"]: t["Value"] for t in role.get("Tags", [])}
    role["Profiles"] = [p["InstanceProfileName"] for p in iam.list_instance_profiles_for_role(RoleName=name)["InstanceProfiles"]]
    return role


def profile(aws, name):
    found = aws.client("iam").get_instance_profile(InstanceProfileName=name)["InstanceProfile"]
    found["RoleNames"] = [r["RoleName"] for r in found["Roles"]]
    found["TagDict"] = {t["Key"]: t["Value"] for t in found.get("Tags", [])}
    return found


def profile_names(aws):
    return [p["InstanceProfileName"] for p in aws.client("iam").list_instance_profiles()["InstanceProfiles"]]


def test_create_in_one_run_with_the_identity_role_trust(aws, managed):
    result = aws.run(iam_service_roles.main, both(managed), diff=True)

    assert result["changed"] is True
    ec2 = live(aws, "hp-test-instance")
    assert ec2["AssumeRolePolicyDocument"] == EC2_TRUST
    assert ec2["Path"] == PATH and ec2["Description"] == "Platform instances"
    assert ec2["Managed"] == sorted([managed["hp-test-ssm"], managed["hp-test-cw"]])
    assert ec2["Inline"] == {}
    assert ec2["TagDict"] == {"Environment": "test"}
    assert ec2["Profiles"] == ["hp-test-instance"]
    made = profile(aws, "hp-test-instance")
    assert made["Path"] == PATH
    assert made["RoleNames"] == ["hp-test-instance"]
    assert made["TagDict"] == {"Environment": "test", **MARKER}

    cloudtrail = live(aws, "hp-test-trail")
    assert cloudtrail["AssumeRolePolicyDocument"] == TRAIL_TRUST
    assert cloudtrail["Inline"] == {"deliver": DELIVER}
    assert cloudtrail["Managed"] == [managed["hp-test-trail"]]
    assert cloudtrail["Profiles"] == []
    assert profile_names(aws) == ["hp-test-instance"]

    assert result["role_arns"] == {"hp-test-instance": ec2["Arn"], "hp-test-trail": cloudtrail["Arn"]}
    assert result["instance_profile_arns"] == {"hp-test-instance": made["Arn"]}
    assert made["Arn"] == f"arn:aws:iam::{ACCOUNT}:instance-profile{PATH}hp-test-instance"
    first, second = result["roles"]
    assert first["changed"] is True and first["instance_profile"]["created_by_module"] is True
    assert "instance_profile" not in second
    assert second["inline_policies"] == {"deliver": DELIVER}
    assert result["diff"]["before"] == {"hp-test-instance": {}, "hp-test-trail": {}}
    assert result["diff"]["after"]["hp-test-trail"]["assume_role_policy_document"] == TRAIL_TRUST


def test_no_change_makes_no_mutating_call_and_no_sts_call(aws, managed):
    aws.run(iam_service_roles.main, both(managed))
    reordered = {
        "Statement": [{"Resource": DELIVER["Statement"][0]["Resource"], "Action": ["logs:PutLogEvents", "logs:CreateLogStream"], "Effect": "Allow"}],
        "Version": "2012-10-17",
    }
    as_text = {"roles": [instance(managed), trail(managed, inline_policies={"deliver": json.dumps(reordered)})]}
    with aws.recording() as calls:
        result = aws.run(iam_service_roles.main, both(managed))
        text = aws.run(iam_service_roles.main, as_text)
        checked = aws.run(iam_service_roles.main, both(managed), check_mode=True)

    assert result["changed"] is False
    assert text["changed"] is False
    assert checked["changed"] is False
    assert [r["changed"] for r in result["roles"]] == [False, False]
    assert result["instance_profile_arns"] == {"hp-test-instance": f"arn:aws:iam::{ACCOUNT}:instance-profile{PATH}hp-test-instance"}
    assert calls
    assert aws.mutating(calls) == []
    # the account comes from the roles' ARNs
    assert not [c for c in calls if c["service"] == "sts"]


def test_update_trust_policies_description_and_tags(aws, managed):
    aws.run(iam_service_roles.main, both(managed))
    changed = {
        "roles": [
            instance(
                managed,
                description="Platform web instances",
                trusted_services=["ec2.amazonaws.com", "ssm.amazonaws.com"],
                trust_sid=None,
                managed_policy_arns=[managed["hp-test-ssm"], managed["hp-test-trail"]],
                tags={"Environment": "test", "Owner": "ops"},
            ),
            trail(managed, source_arns=None, inline_policies={"read": READ}, managed_policy_arns=[], max_session_duration=7200),
        ]
    }
    result = aws.run(iam_service_roles.main, changed, diff=True)

    assert result["changed"] is True
    ec2 = live(aws, "hp-test-instance")
    (statement,) = ec2["AssumeRolePolicyDocument"]["Statement"]
    assert statement == {"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "ssm.amazonaws.com"]}, "Action": "sts:AssumeRole"}
    assert ec2["Description"] == "Platform web instances"
    assert ec2["Managed"] == sorted([managed["hp-test-ssm"], managed["hp-test-trail"]])
    assert ec2["TagDict"] == {"Environment": "test", "Owner": "ops"}
    # the profile's tags follow the role's, and keep the mark
    assert profile(aws, "hp-test-instance")["TagDict"] == {"Environment": "test", "Owner": "ops", **MARKER}
    cloudtrail = live(aws, "hp-test-trail")
    (statement,) = cloudtrail["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    assert cloudtrail["Inline"] == {"read": READ}
    assert cloudtrail["Managed"] == []
    assert cloudtrail["MaxSessionDuration"] == 7200
    assert result["diff"]["before"]["hp-test-trail"]["inline_policies"] == {"deliver": DELIVER}
    assert result["diff"]["after"]["hp-test-trail"]["inline_policies"] == {"read": READ}
    assert result["diff"]["before"]["hp-test-instance"]["description"] == "Platform instances"
    assert aws.run(iam_service_roles.main, changed)["changed"] is False


def test_only_the_changed_role_is_written(aws, managed):
    aws.run(iam_service_roles.main, both(managed))
    with aws.recording() as calls:
        result = aws.run(iam_service_roles.main, {"roles": [instance(managed), trail(managed, description="CloudTrail to CloudWatch Logs")]})
    assert [r["changed"] for r in result["roles"]] == [False, True]
    assert aws.mutating(calls) == ["iam:UpdateRole"]


def test_options_not_given_are_not_read(aws, managed):
    aws.run(iam_service_roles.main, both(managed))
    minimal = {"name": "hp-test-instance", "path": PATH, "trusted_services": ["ec2.amazonaws.com"], "trust_sid": "PlatformInstances"}
    with aws.recording() as calls:
        result = aws.run(iam_service_roles.main, {"roles": [minimal]})
    assert result["changed"] is False
    assert [c["operation"] for c in calls] == ["GetRole"]
    assert "instance_profile" not in result["roles"][0]


def test_instance_profile_created_then_no_op_then_removed(aws, managed):
    created = aws.run(iam_service_roles.main, {"roles": [trail(managed, instance_profile=True)]})
    assert created["changed"] is True
    assert profile(aws, "hp-test-trail")["RoleNames"] == ["hp-test-trail"]

    with aws.recording() as calls:
        again = aws.run(iam_service_roles.main, {"roles": [trail(managed, instance_profile=True)]})
    assert again["changed"] is False
    assert aws.mutating(calls) == []

    with aws.recording() as calls:
        removed = aws.run(iam_service_roles.main, {"roles": [trail(managed, instance_profile=False)]}, diff=True)
    assert removed["changed"] is True
    assert aws.mutating(calls) == ["iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"]
    assert profile_names(aws) == []
    assert "instance_profile" not in removed["roles"][0]
    assert removed["diff"]["before"]["hp-test-trail"]["instance_profile"]["created_by_module"] is True
    assert live(aws, "hp-test-trail")["Profiles"] == []
    assert aws.run(iam_service_roles.main, {"roles": [trail(managed, instance_profile=False)]})["changed"] is False


def test_a_profile_made_elsewhere_is_used_and_never_deleted(aws, managed):
    iam = aws.client("iam")
    iam.create_instance_profile(InstanceProfileName="hp-test-instance", Path=PATH)
    used = aws.run(iam_service_roles.main, {"roles": [instance(managed)]})
    assert used["changed"] is True
    found = profile(aws, "hp-test-instance")
    assert found["RoleNames"] == ["hp-test-instance"]
    assert found["TagDict"] == {"Environment": "test"}  # not marked as made by the module
    assert used["roles"][0]["instance_profile"]["created_by_module"] is False

    with aws.recording() as calls:
        kept = aws.run(iam_service_roles.main, {"roles": [instance(managed, instance_profile=False)]})
    assert kept["changed"] is False
    assert aws.mutating(calls) == []
    assert "not made by this module" in str(kept["warnings"])
    assert profile(aws, "hp-test-instance")["RoleNames"] == ["hp-test-instance"]

    deleted = aws.run(iam_service_roles.main, {"state": "absent", "roles": [{"name": "hp-test-instance"}]})
    assert deleted["changed"] is True
    assert iam.list_roles()["Roles"] == []
    # the role left the profile; the profile itself stays
    assert profile(aws, "hp-test-instance")["RoleNames"] == []


def test_a_profile_holding_another_role_fails_before_any_change(aws, managed):
    iam = aws.client("iam")
    iam.create_role(RoleName="other", AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
    iam.create_instance_profile(InstanceProfileName="hp-test-instance")
    iam.add_role_to_instance_profile(InstanceProfileName="hp-test-instance", RoleName="other")
    with aws.recording() as calls:
        result = aws.run(iam_service_roles.main, both(managed))
    assert result.failed
    assert "roles[0].instance_profile" in result["msg"] and "other" in result["msg"]
    assert aws.mutating(calls) == []


def test_delete_roles_policies_and_the_profile_it_made(aws, managed):
    aws.run(iam_service_roles.main, both(managed))
    absent = {"state": "absent", "roles": [{"name": "hp-test-instance"}, {"name": "hp-test-trail"}, {"name": "hp-test-missing"}]}

    result = aws.run(iam_service_roles.main, absent, diff=True)

    assert result["changed"] is True
    assert [r["changed"] for r in result["roles"]] == [True, True, False]
    iam = aws.client("iam")
    assert iam.list_roles()["Roles"] == []
    assert profile_names(aws) == []
    assert result["role_arns"] == {}
    assert result["diff"]["after"] == {"hp-test-instance": {}, "hp-test-trail": {}}
    # customer managed policies were only detached
    assert len(iam.list_policies(Scope="Local")["Policies"]) == 3
    assert aws.run(iam_service_roles.main, absent)["changed"] is False


def test_check_mode_changes_nothing(aws, managed):
    with aws.recording() as calls:
        created = aws.run(iam_service_roles.main, both(managed), check_mode=True)
    assert created["changed"] is True
    assert created["role_arns"] == {
        "hp-test-instance": f"arn:aws:iam::{ACCOUNT}:role{PATH}hp-test-instance",
        "hp-test-trail": f"arn:aws:iam::{ACCOUNT}:role{PATH}hp-test-trail",
    }
    assert created["instance_profile_arns"] == {"hp-test-instance": f"arn:aws:iam::{ACCOUNT}:instance-profile{PATH}hp-test-instance"}
    assert created["roles"][1]["assume_role_policy_document"] == TRAIL_TRUST
    assert aws.mutating(calls) == []
    iam = aws.client("iam")
    assert iam.list_roles()["Roles"] == []
    assert profile_names(aws) == []

    aws.run(iam_service_roles.main, both(managed))
    with aws.recording() as calls:
        updated = aws.run(
            iam_service_roles.main, {"roles": [instance(managed, managed_policy_arns=[]), trail(managed, inline_policies={"read": READ})]}, check_mode=True
        )
        unprofiled = aws.run(iam_service_roles.main, {"roles": [instance(managed, instance_profile=False)]}, check_mode=True)
        deleted = aws.run(iam_service_roles.main, {"state": "absent", "roles": [{"name": "hp-test-instance"}, {"name": "hp-test-trail"}]}, check_mode=True)
    assert updated["changed"] is True
    assert updated["roles"][0]["managed_policy_arns"] == []
    assert updated["roles"][1]["inline_policies"] == {"read": READ}
    assert unprofiled["changed"] is True and "instance_profile" not in unprofiled["roles"][0]
    assert deleted["changed"] is True
    assert aws.mutating(calls) == []
    assert live(aws, "hp-test-trail")["Inline"] == {"deliver": DELIVER}
    assert live(aws, "hp-test-instance")["Managed"] == sorted([managed["hp-test-ssm"], managed["hp-test-cw"]])
    assert profile_names(aws) == ["hp-test-instance"]


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"name": "bad name"}, "roles[1].name"),
        ({"path": "service-role"}, "roles[1].path"),
        ({"trusted_services": []}, "roles[1].trusted_services"),
        ({"trusted_services": ["arn:aws:iam::123456789012:root"]}, "roles[1].trusted_services[0]"),
        ({"source_arns": ["cloudtrail"]}, "roles[1].source_arns[0]"),
        ({"trust_sid": "Trails of this account"}, "roles[1].trust_sid"),
        ({"inline_policies": {"deliver": "{not json"}}, "roles[1].inline_policies.deliver"),
        ({"inline_policies": {"deliver": {"Version": "2012-10-17"}}}, "roles[1].inline_policies.deliver"),
        ({"inline_policies": {"admin": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}}, "roles[1].inline_policies.admin"),
        ({"inline_policies": {"not": {"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}}}, "roles[1].inline_policies.not"),
        ({"managed_policy_arns": ["AWS_ConfigRole"]}, "roles[1].managed_policy_arns[0]"),
        ({"max_session_duration": 60}, "roles[1].max_session_duration"),
        ({"name": "hp-test-instance"}, "roles[1].name"),
    ],
)
def test_bad_input_fails_before_any_call(aws, managed, extra, option):
    with aws.recording() as calls:
        result = aws.run(iam_service_roles.main, {"roles": [instance(managed), trail(managed, **extra)]})
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_absent_checks_only_names(aws):
    with aws.recording() as calls:
        result = aws.run(iam_service_roles.main, {"state": "absent", "roles": [{"name": "ok"}, {"name": "not ok"}]})
    assert result.failed
    assert "roles[1].name" in result["msg"]
    assert calls == []
