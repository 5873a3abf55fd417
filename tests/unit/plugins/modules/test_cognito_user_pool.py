# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""cognito_user_pool and cognito_user_pool_info.

Against the moto server (user pools, MFA configuration, custom attributes, domains
and groups are emulated; moto's UpdateUserPool resets what it is not given, like AWS).

With botocore's Stubber (it validates every request against the real API model and
fails on any call not queued), the paths where moto differs from AWS:

- renaming (moto's UpdateUserPool ignores PoolName);
- the exact UpdateUserPool request built from a DescribeUserPool as AWS returns it
  (moto drops create-only attributes such as UsernameAttributes on every
  UpdateUserPool, and does not refuse UnusedAccountValidityDays next to
  TemporaryPasswordValidityDays as AWS does);
- deletion protection and advanced security: moto stores both but enforces neither
  (it deletes a protected pool), so only the request sequence proves the module
  lifts the protection before deleting;
- creating a pool with MFA ON: AWS refuses MfaConfiguration ON in CreateUserPool
  without SMS, moto accepts it, so the Stubber proves the module creates with MFA
  off and then calls SetUserPoolMfaConfig.
"""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import cognito_user_pool
from ansible_collections.healthplatform.aws.plugins.modules import cognito_user_pool_info

NAME = "hp-test-patients"
POOL_ID = "us-east-1_AbCdEfGhI"
ARN = f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{POOL_ID}"


def args(**extra):
    result = {"name": NAME, "username_attributes": ["email"], "auto_verified_attributes": ["email"], "tags": {"Environment": "test"}}
    result.update(extra)
    return {k: v for k, v in result.items() if v is not None}  # None: leave the option out


def only_pool(aws, name=NAME):
    client = aws.client("cognito-idp")
    (summary,) = [p for p in client.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == name]
    pool = client.describe_user_pool(UserPoolId=summary["Id"])["UserPool"]
    mfa = client.get_user_pool_mfa_config(UserPoolId=summary["Id"])
    return pool, mfa


def pool_count(aws):
    return len(aws.client("cognito-idp").list_user_pools(MaxResults=60)["UserPools"])


# ---- moto ---------------------------------------------------------------------------------


def test_create_applies_the_portal_baseline(aws):
    result = aws.run(cognito_user_pool.main, args(schema=[{"name": "patient_id", "mutable": False, "max_length": 64}], account_recovery=["verified_email"]))

    assert result["changed"] is True
    pool, mfa = only_pool(aws)
    assert result["user_pool"]["id"] == pool["Id"]
    assert mfa["MfaConfiguration"] == "ON"
    assert mfa["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    assert pool["UserPoolAddOns"] == {"AdvancedSecurityMode": "ENFORCED"}
    assert pool["DeletionProtection"] == "ACTIVE"
    assert pool["Policies"]["PasswordPolicy"] == {
        "MinimumLength": 14,
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
    }
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["AccountRecoverySetting"]["RecoveryMechanisms"] == [{"Priority": 1, "Name": "verified_email"}]
    assert pool["UserPoolTags"] == {"Environment": "test"}
    (attribute,) = [a for a in pool["SchemaAttributes"] if a["Name"] == "custom:patient_id"]
    assert attribute["Mutable"] is False
    assert attribute["StringAttributeConstraints"]["MaxLength"] == "64"
    assert result["user_pool"]["mfa"]["software_token_mfa_configuration"] == {"enabled": True}
    assert result["user_pool"]["tags"] == {"Environment": "test"}
    assert isinstance(result["user_pool"]["creation_date"], str)


def test_no_change_makes_no_mutating_call(aws):
    aws.run(cognito_user_pool.main, args(account_recovery=["verified_email"], admin_create_user_only=True))
    with aws.recording() as calls:
        result = aws.run(cognito_user_pool.main, args(account_recovery=["verified_email"], admin_create_user_only=True))

    assert result["changed"] is False, result.get("diff")
    assert calls, "the module must read the pool"
    assert aws.mutating(calls) == []


def test_update_sends_the_full_configuration(aws):
    """Settings the module does not manage survive an update (UpdateUserPool resets what it is not given)."""
    client = aws.client("cognito-idp")
    pool_id = client.create_user_pool(
        PoolName=NAME,
        Policies={"PasswordPolicy": {"MinimumLength": 14, "RequireUppercase": True, "RequireLowercase": True, "RequireNumbers": True, "RequireSymbols": True}},
        DeletionProtection="ACTIVE",
        UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"},
        AccountRecoverySetting={"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True},
        VerificationMessageTemplate={"DefaultEmailOption": "CONFIRM_WITH_LINK", "EmailMessageByLink": "Verify {##here##}", "EmailSubjectByLink": "Verify"},
        UserPoolTags={"Owner": "identity-team"},
    )["UserPool"]["Id"]
    client.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": True})

    with aws.recording() as calls:
        result = aws.run(cognito_user_pool.main, {"name": NAME, "password_policy": {"minimum_length": 16}}, diff=True)

    assert result["changed"] is True
    assert aws.mutating(calls) == ["cognito-idp:UpdateUserPool"]
    pool, mfa = only_pool(aws)
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 16
    assert pool["DeviceConfiguration"] == {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True}
    assert pool["VerificationMessageTemplate"]["DefaultEmailOption"] == "CONFIRM_WITH_LINK"
    assert pool["AccountRecoverySetting"]["RecoveryMechanisms"] == [{"Priority": 1, "Name": "verified_email"}]
    assert pool["UserPoolAddOns"] == {"AdvancedSecurityMode": "ENFORCED"}
    assert pool["DeletionProtection"] == "ACTIVE"
    assert pool["UserPoolTags"] == {"Owner": "identity-team"}, "tags were not given: they must be kept"
    assert pool["MfaConfiguration"] == "ON"
    assert mfa["MfaConfiguration"] == "ON"
    assert result["diff"]["before"]["password_policy"]["minimum_length"] == 14
    assert result["diff"]["after"]["password_policy"]["minimum_length"] == 16


def test_mfa_change_alone_uses_set_user_pool_mfa_config(aws):
    aws.run(cognito_user_pool.main, args(mfa_configuration="OPTIONAL"))
    with aws.recording() as calls:
        result = aws.run(cognito_user_pool.main, args(mfa_configuration="ON"), diff=True)

    assert result["changed"] is True
    assert aws.mutating(calls) == ["cognito-idp:SetUserPoolMfaConfig"]
    _pool, mfa = only_pool(aws)
    assert mfa["MfaConfiguration"] == "ON"
    assert result["diff"]["before"]["mfa_configuration"] == "OPTIONAL"
    assert result["diff"]["after"]["mfa_configuration"] == "ON"


def test_mfa_and_settings_together_do_not_undo_each_other(aws):
    aws.run(cognito_user_pool.main, args(mfa_configuration="OFF", advanced_security_mode="AUDIT"))
    result = aws.run(cognito_user_pool.main, args(mfa_configuration="ON", advanced_security_mode="ENFORCED", password_policy={"minimum_length": 20}))

    assert result["changed"] is True
    pool, mfa = only_pool(aws)
    assert mfa["MfaConfiguration"] == "ON"
    assert mfa["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    assert pool["MfaConfiguration"] == "ON", "UpdateUserPool must carry the new MFA mode, not the one read before"
    assert pool["UserPoolAddOns"]["AdvancedSecurityMode"] == "ENFORCED"
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 20
    assert result["user_pool"]["mfa"]["mfa_configuration"] == "ON"


def test_tags_update_and_purge(aws):
    aws.run(cognito_user_pool.main, args())
    kept = aws.run(cognito_user_pool.main, args(tags={"Owner": "ops"}, purge_tags=False))
    assert kept["changed"] is True
    assert only_pool(aws)[0]["UserPoolTags"] == {"Environment": "test", "Owner": "ops"}

    purged = aws.run(cognito_user_pool.main, args(username_attributes=None, tags={"Owner": "ops"}))
    assert purged["changed"] is True
    assert only_pool(aws)[0]["UserPoolTags"] == {"Owner": "ops"}
    assert purged["user_pool"]["tags"] == {"Owner": "ops"}


def test_custom_attributes_are_added_never_changed(aws):
    aws.run(cognito_user_pool.main, args(schema=[{"name": "patient_id", "max_length": 64}]))
    added = aws.run(cognito_user_pool.main, args(schema=[{"name": "patient_id", "max_length": 64}, {"name": "custom:plan", "attribute_data_type": "Number"}]))
    assert added["changed"] is True
    names = {a["Name"]: a for a in only_pool(aws)[0]["SchemaAttributes"]}
    assert names["custom:plan"]["AttributeDataType"] == "Number"

    with aws.recording() as calls:
        changed_type = aws.run(cognito_user_pool.main, args(username_attributes=None, schema=[{"name": "plan", "attribute_data_type": "String"}]))
    assert changed_type.failed
    assert "schema attribute 'plan'" in changed_type["msg"] and "never changed or removed" in changed_type["msg"]
    assert aws.mutating(calls) == []


def test_create_only_attributes_fail_clearly(aws):
    aws.run(cognito_user_pool.main, args())
    with aws.recording() as calls:
        result = aws.run(cognito_user_pool.main, args(username_attributes=["phone_number"]))

    assert result.failed
    assert "username_attributes cannot change" in result["msg"]
    assert aws.mutating(calls) == []
    assert only_pool(aws)[0]["UsernameAttributes"] == ["email"]


def test_duplicate_names_fail_listing_the_ids(aws):
    client = aws.client("cognito-idp")
    first = client.create_user_pool(PoolName=NAME)["UserPool"]["Id"]
    second = client.create_user_pool(PoolName=NAME)["UserPool"]["Id"]

    with aws.recording() as calls:
        result = aws.run(cognito_user_pool.main, {"name": NAME})
    assert result.failed
    assert first in result["msg"] and second in result["msg"] and "pool_id" in result["msg"]
    assert aws.mutating(calls) == []

    chosen = aws.run(cognito_user_pool.main, {"pool_id": second, "deletion_protection": "INACTIVE"})
    assert chosen["changed"] is True
    assert chosen["user_pool"]["id"] == second
    assert client.get_user_pool_mfa_config(UserPoolId=second)["MfaConfiguration"] == "ON"
    assert client.get_user_pool_mfa_config(UserPoolId=first)["MfaConfiguration"] == "OFF"


def test_unknown_pool_id_fails(aws):
    result = aws.run(cognito_user_pool.main, {"pool_id": "us-east-1_doesnotexist"})
    assert result.failed
    assert "pool_id" in result["msg"]
    assert pool_count(aws) == 0


def test_protected_pool_is_not_deleted_without_force(aws):
    aws.run(cognito_user_pool.main, args())
    with aws.recording() as calls:
        result = aws.run(cognito_user_pool.main, {"name": NAME, "state": "absent"})

    assert result.failed
    assert "deletion_protection" in result["msg"] and "force_delete" in result["msg"]
    assert aws.mutating(calls) == []
    assert pool_count(aws) == 1


def test_force_delete_lifts_protection_and_removes_the_domain(aws):
    created = aws.run(cognito_user_pool.main, args())
    pool_id = created["user_pool"]["id"]
    client = aws.client("cognito-idp")
    client.create_user_pool_domain(UserPoolId=pool_id, Domain="hp-test-patients")

    with aws.recording() as calls:
        result = aws.run(cognito_user_pool.main, {"name": NAME, "state": "absent", "force_delete": True}, diff=True)

    assert result["changed"] is True
    assert aws.mutating(calls) == ["cognito-idp:UpdateUserPool", "cognito-idp:DeleteUserPoolDomain", "cognito-idp:DeleteUserPool"]
    assert pool_count(aws) == 0
    assert client.describe_user_pool_domain(Domain="hp-test-patients")["DomainDescription"] == {}
    assert result["diff"]["before"]["deletion_protection"] == "ACTIVE"
    assert result["diff"]["after"] == {}


def test_pool_with_domain_is_not_deleted_without_force(aws):
    created = aws.run(cognito_user_pool.main, args(deletion_protection="INACTIVE"))
    aws.client("cognito-idp").create_user_pool_domain(UserPoolId=created["user_pool"]["id"], Domain="hp-test-patients")

    result = aws.run(cognito_user_pool.main, {"name": NAME, "state": "absent"})

    assert result.failed
    assert "hp-test-patients" in result["msg"] and "cognito_user_pool_domain" in result["msg"]
    assert pool_count(aws) == 1


def test_delete_unprotected_and_delete_again(aws):
    aws.run(cognito_user_pool.main, args(deletion_protection="INACTIVE"))
    result = aws.run(cognito_user_pool.main, {"name": NAME, "state": "absent"})
    assert result["changed"] is True
    assert pool_count(aws) == 0

    again = aws.run(cognito_user_pool.main, {"name": NAME, "state": "absent"})
    assert again["changed"] is False


def test_check_mode_create_changes_nothing(aws):
    with aws.recording() as calls:
        result = aws.run(cognito_user_pool.main, args(schema=[{"name": "patient_id"}]), check_mode=True, diff=True)

    assert result["changed"] is True
    assert aws.mutating(calls) == []
    assert pool_count(aws) == 0
    assert result["user_pool"]["name"] == NAME
    assert result["user_pool"]["mfa"]["mfa_configuration"] == "ON"
    assert result["user_pool"]["user_pool_add_ons"] == {"advanced_security_mode": "ENFORCED"}
    assert result["diff"]["after"]["custom_attributes"] == ["custom:patient_id"]


def test_check_mode_update_and_delete_change_nothing(aws):
    aws.run(cognito_user_pool.main, args(mfa_configuration="OPTIONAL"))
    before = only_pool(aws)

    with aws.recording() as calls:
        update = aws.run(cognito_user_pool.main, args(mfa_configuration="ON", password_policy={"minimum_length": 30}, tags={"New": "tag"}), check_mode=True)
        delete = aws.run(cognito_user_pool.main, {"name": NAME, "state": "absent", "force_delete": True}, check_mode=True)
        same = aws.run(cognito_user_pool.main, args(mfa_configuration="OPTIONAL"), check_mode=True)

    assert update["changed"] is True
    assert update["user_pool"]["mfa_configuration"] == "ON"
    assert update["user_pool"]["policies"]["password_policy"]["minimum_length"] == 30
    assert update["user_pool"]["tags"] == {"New": "tag"}
    assert delete["changed"] is True
    assert same["changed"] is False
    assert aws.mutating(calls) == []
    after = only_pool(aws)
    assert after[0] == before[0]
    assert after[1]["MfaConfiguration"] == "OPTIONAL"


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"password_policy": {"minimum_length": 7}}, "password_policy.minimum_length"),
        ({"password_policy": {"minimum_length": 100}}, "password_policy.minimum_length"),
        ({"password_policy": {"temporary_password_validity_days": 400}}, "password_policy.temporary_password_validity_days"),
        ({"software_token_mfa": False}, "software_token_mfa"),
        ({"mfa_configuration": "OPTIONAL", "software_token_mfa": False, "sms_mfa": {"enabled": False}}, "mfa_configuration"),
        ({"sms_mfa": {"sms_authentication_message": "code {####}"}}, "sms_mfa.sns_caller_arn"),
        ({"sms_mfa": {"sns_caller_arn": "arn:aws:iam::123456789012:role/sms", "sms_authentication_message": "no code"}}, "sms_mfa.sms_authentication_message"),
        ({"user_pool_tier": "ESSENTIALS"}, "advanced_security_mode"),
        ({"account_recovery": ["admin_only", "verified_email"]}, "account_recovery"),
        ({"account_recovery": ["verified_email", "verified_email"]}, "account_recovery"),
        ({"schema": [{"name": "email"}]}, "schema[0].name"),
        ({"schema": [{"name": "a_very_long_attribute_name"}]}, "schema[0].name"),
        ({"schema": [{"name": "plan", "attribute_data_type": "Number", "max_length": 3}]}, "schema[0]"),
        ({"email_configuration": {"email_sending_account": "DEVELOPER"}}, "email_configuration.source_arn"),
        ({"alias_attributes": ["email"]}, "alias_attributes"),
        ({"deletion_protection": "ON"}, "deletion_protection"),
    ],
)
def test_bad_input_fails_before_any_call(aws, extra, option):
    with aws.recording() as calls:
        result = aws.run(cognito_user_pool.main, args(**extra))

    assert result.failed
    assert option in result["msg"]
    assert calls == [], "validation must happen before any API call"
    assert pool_count(aws) == 0


def test_info_returns_mfa_domains_and_groups(aws):
    created = aws.run(cognito_user_pool.main, args())
    other = aws.run(cognito_user_pool.main, args(name="hp-test-providers", mfa_configuration="OPTIONAL"))
    client = aws.client("cognito-idp")
    pool_id = created["user_pool"]["id"]
    client.create_user_pool_domain(UserPoolId=pool_id, Domain="hp-test-patients")
    client.create_group(UserPoolId=pool_id, GroupName="patients", Precedence=5)

    result = aws.run(cognito_user_pool_info.main, {"name": NAME})

    assert result["changed"] is False
    (pool,) = result["user_pools"]
    assert pool["id"] == pool_id
    assert pool["mfa"]["mfa_configuration"] == "ON"
    assert pool["user_pool_add_ons"]["advanced_security_mode"] == "ENFORCED"
    assert [d["domain"] for d in pool["domains"]] == ["hp-test-patients"]
    assert [(g["group_name"], g["precedence"]) for g in pool["groups"]] == [("patients", 5)]
    assert pool["tags"] == {"Environment": "test"}

    everything = aws.run(cognito_user_pool_info.main, {"include_groups": False})
    assert sorted(p["id"] for p in everything["user_pools"]) == sorted([pool_id, other["user_pool"]["id"]])
    by_id = aws.run(cognito_user_pool_info.main, {"pool_id": other["user_pool"]["id"]})
    assert [p["mfa"]["mfa_configuration"] for p in by_id["user_pools"]] == ["OPTIONAL"]


# ---- Stubber: where moto differs from AWS --------------------------------------------------

NOW = datetime.datetime(2026, 1, 5, 12, 0, tzinfo=datetime.timezone.utc)


def aws_pool(**overrides):
    """A DescribeUserPool result shaped like a real AWS answer (create-only and legacy fields included)."""
    pool = {
        "Id": POOL_ID,
        "Name": NAME,
        "Arn": ARN,
        "Policies": {
            "PasswordPolicy": {
                "MinimumLength": 14,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": True,
                "TemporaryPasswordValidityDays": 7,
            },
            "SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD"]},
        },
        "DeletionProtection": "ACTIVE",
        "LambdaConfig": {"PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up"},
        "LastModifiedDate": NOW,
        "CreationDate": NOW,
        "SchemaAttributes": [{"Name": "email", "AttributeDataType": "String", "DeveloperOnlyAttribute": False, "Mutable": True, "Required": True}],
        "AutoVerifiedAttributes": ["email"],
        "UsernameAttributes": ["email"],
        "UsernameConfiguration": {"CaseSensitive": False},
        "EmailVerificationMessage": "Your code is {####}",
        "EmailVerificationSubject": "Your code",
        "VerificationMessageTemplate": {"EmailMessage": "Your code is {####}", "EmailSubject": "Your code", "DefaultEmailOption": "CONFIRM_WITH_CODE"},
        "MfaConfiguration": "ON",
        "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False},
        "EstimatedNumberOfUsers": 42,
        "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
        "UserPoolTags": {"Environment": "prod"},
        "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True, "UnusedAccountValidityDays": 7},
        "UserPoolAddOns": {"AdvancedSecurityMode": "AUDIT"},
        "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
        "UserPoolTier": "PLUS",
    }
    pool.update(overrides)
    return pool


MFA_ON = {"MfaConfiguration": "ON", "SoftwareTokenMfaConfiguration": {"Enabled": True}}


def queue_read(stub, pool, mfa=None, by_name=True):
    if by_name:
        stub.add_response(
            "list_user_pools",
            {"UserPools": [{"Id": pool["Id"], "Name": pool["Name"], "CreationDate": NOW, "LastModifiedDate": NOW}]},
            {"MaxResults": 60},
        )
    stub.add_response("describe_user_pool", {"UserPool": pool}, {"UserPoolId": pool["Id"]})
    stub.add_response("get_user_pool_mfa_config", mfa or MFA_ON, {"UserPoolId": pool["Id"]})


def full_update_of(pool, **changes):
    """The UpdateUserPool request AWS must receive: everything updatable, with the changes."""
    request = {
        "UserPoolId": pool["Id"],
        "PoolName": pool["Name"],
        "Policies": pool["Policies"],
        "DeletionProtection": pool["DeletionProtection"],
        "LambdaConfig": pool["LambdaConfig"],
        "AutoVerifiedAttributes": pool["AutoVerifiedAttributes"],
        "EmailVerificationMessage": pool["EmailVerificationMessage"],
        "EmailVerificationSubject": pool["EmailVerificationSubject"],
        "VerificationMessageTemplate": pool["VerificationMessageTemplate"],
        "MfaConfiguration": pool["MfaConfiguration"],
        "DeviceConfiguration": pool["DeviceConfiguration"],
        "EmailConfiguration": pool["EmailConfiguration"],
        "UserPoolTags": pool["UserPoolTags"],
        # UnusedAccountValidityDays is left out: AWS refuses it next to TemporaryPasswordValidityDays
        "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"]},
        "UserPoolAddOns": pool["UserPoolAddOns"],
        "AccountRecoverySetting": pool["AccountRecoverySetting"],
        "UserPoolTier": pool["UserPoolTier"],
    }
    request.update(changes)
    return request


def test_stubbed_update_sends_the_full_set_as_aws_describes_it(stubbed):
    """Advanced security AUDIT -> ENFORCED: one UpdateUserPool carrying every other setting unchanged."""
    stub = stubbed("cognito-idp")
    pool = aws_pool()
    queue_read(stub, pool)
    stub.add_response("update_user_pool", {}, full_update_of(pool, UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"}))
    queue_read(stub, aws_pool(UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"}), by_name=False)

    result = stubbed.run(cognito_user_pool.main, {"name": NAME, "admin_create_user_only": True, "user_pool_tier": "PLUS"})

    assert result["changed"] is True, result.get("msg")
    assert result["user_pool"]["user_pool_add_ons"] == {"advanced_security_mode": "ENFORCED"}
    stubbed.assert_all_used()


def test_stubbed_no_change_on_an_aws_shaped_pool(stubbed):
    stub = stubbed("cognito-idp")
    queue_read(stub, aws_pool(UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"}))

    result = stubbed.run(
        cognito_user_pool.main,
        {"name": NAME, "username_attributes": ["email"], "password_policy": {"temporary_password_validity_days": 7}, "tags": {"Environment": "prod"}},
    )

    assert result["changed"] is False, result.get("diff")
    stubbed.assert_all_used()


def test_stubbed_rename_by_pool_id(stubbed):
    stub = stubbed("cognito-idp")
    pool = aws_pool(UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"})
    queue_read(stub, pool, by_name=False)
    stub.add_response("update_user_pool", {}, full_update_of(pool, PoolName="hp-test-renamed"))
    queue_read(stub, aws_pool(Name="hp-test-renamed", UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"}), by_name=False)

    result = stubbed.run(cognito_user_pool.main, {"pool_id": POOL_ID, "name": "hp-test-renamed"}, diff=True)

    assert result["changed"] is True
    assert result["diff"]["before"]["name"] == NAME
    assert result["diff"]["after"]["name"] == "hp-test-renamed"
    stubbed.assert_all_used()


def test_stubbed_force_delete_lifts_protection_first(stubbed):
    stub = stubbed("cognito-idp")
    pool = aws_pool(Domain="hp-test-patients")
    queue_read(stub, pool)
    stub.add_response("update_user_pool", {}, full_update_of(pool, DeletionProtection="INACTIVE"))
    stub.add_response("delete_user_pool_domain", {}, {"Domain": "hp-test-patients", "UserPoolId": POOL_ID})
    stub.add_response("delete_user_pool", {}, {"UserPoolId": POOL_ID})

    result = stubbed.run(cognito_user_pool.main, {"name": NAME, "state": "absent", "force_delete": True})

    assert result["changed"] is True, result.get("msg")
    stubbed.assert_all_used()


def test_stubbed_create_sets_mfa_after_create(stubbed):
    stub = stubbed("cognito-idp")
    stub.add_response("list_user_pools", {"UserPools": []}, {"MaxResults": 60})
    stub.add_response(
        "create_user_pool",
        {"UserPool": aws_pool(MfaConfiguration="OFF")},
        {
            "PoolName": NAME,
            "Policies": {
                "PasswordPolicy": {"MinimumLength": 14, "RequireUppercase": True, "RequireLowercase": True, "RequireNumbers": True, "RequireSymbols": True}
            },
            "DeletionProtection": "ACTIVE",
            "UserPoolAddOns": {"AdvancedSecurityMode": "ENFORCED"},
            "UsernameAttributes": ["email"],
            "UserPoolTier": "PLUS",
        },
    )
    stub.add_response("set_user_pool_mfa_config", MFA_ON, {"UserPoolId": POOL_ID, "MfaConfiguration": "ON", "SoftwareTokenMfaConfiguration": {"Enabled": True}})
    queue_read(stub, aws_pool(UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"}), by_name=False)

    result = stubbed.run(cognito_user_pool.main, {"name": NAME, "username_attributes": ["email"], "user_pool_tier": "PLUS"})

    assert result["changed"] is True, result.get("msg")
    assert result["user_pool"]["mfa"]["mfa_configuration"] == "ON"
    stubbed.assert_all_used()


def test_stubbed_sms_mfa_keeps_email_mfa_and_passkeys(stubbed):
    """SetUserPoolMfaConfig sends back the factors the module does not manage, and UpdateUserPool keeps the SMS role."""
    stub = stubbed("cognito-idp")
    pool = aws_pool(UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"})
    mfa = dict(
        MFA_ON, EmailMfaConfiguration={"Subject": "Your code"}, WebAuthnConfiguration={"RelyingPartyId": "auth.example.org", "UserVerification": "required"}
    )
    queue_read(stub, pool, mfa)
    sms = {"SnsCallerArn": "arn:aws:iam::123456789012:role/cognito-sms", "ExternalId": "hp"}
    stub.add_response(
        "set_user_pool_mfa_config",
        {},
        {
            "UserPoolId": POOL_ID,
            "MfaConfiguration": "ON",
            "SoftwareTokenMfaConfiguration": {"Enabled": True},
            "SmsMfaConfiguration": {"SmsConfiguration": sms},
            "EmailMfaConfiguration": {"Subject": "Your code"},
            "WebAuthnConfiguration": {"RelyingPartyId": "auth.example.org", "UserVerification": "required"},
        },
    )
    stub.add_response("update_user_pool", {}, full_update_of(pool, DeletionProtection="INACTIVE", SmsConfiguration=sms))
    queue_read(stub, pool, dict(mfa, SmsMfaConfiguration={"SmsConfiguration": sms}), by_name=False)

    result = stubbed.run(
        cognito_user_pool.main,
        {"name": NAME, "deletion_protection": "INACTIVE", "sms_mfa": {"sns_caller_arn": sms["SnsCallerArn"], "external_id": "hp"}},
    )

    assert result["changed"] is True, result.get("msg")
    assert result["user_pool"]["mfa"]["sms_mfa_configuration"]["sms_configuration"]["sns_caller_arn"] == sms["SnsCallerArn"]
    stubbed.assert_all_used()
