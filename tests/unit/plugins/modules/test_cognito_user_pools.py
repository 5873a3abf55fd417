# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""cognito_user_pools against the moto server (pools, MFA configuration, groups and app clients,
secrets included, are emulated).

The requests where moto differs from AWS (the full UpdateUserPool / UpdateUserPoolClient
request, MFA set after CreateUserPool, protection lifted before a delete) are built by the
module_utils/cognito.py code this module shares with cognito_user_pool and
cognito_user_pool_client, and proven with botocore's Stubber in their tests.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import cognito_user_pools

PATIENTS = "hp-test-patients"
PROVIDERS = "hp-test-providers"
ROLE = "arn:aws:iam::123456789012:role/hp-test-clinicians"


def client_spec(name, **extra):
    spec = {
        "name": name,
        "explicit_auth_flows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        "access_token_validity": 15,
        "id_token_validity": 15,
        "refresh_token_validity": 12,
        "token_validity_units": {"access_token": "minutes", "id_token": "minutes", "refresh_token": "hours"},
    }
    spec.update(extra)
    return spec


def portal_pools(**provider_extra):
    """The two portal pools as the identity role asks for them."""
    common = {
        "mfa_configuration": "ON",
        "software_token_mfa": True,
        "advanced_security_mode": "ENFORCED",
        "user_pool_tier": "PLUS",
        "password_policy": {"minimum_length": 14, "temporary_password_validity_days": 3},
        "username_attributes": ["email"],
        "auto_verified_attributes": ["email"],
        "account_recovery": ["verified_email"],
    }
    patients = dict(common, name=PATIENTS, admin_create_user_only=False, tags={"Portal": "patients"}, groups=[], clients=[client_spec("patient-portal")])
    providers = dict(
        common,
        name=PROVIDERS,
        admin_create_user_only=True,
        tags={"Portal": "providers"},
        groups=[
            {"name": "providers", "description": "Physicians, nurses and care staff", "precedence": 10},
            {"name": "admins", "description": "Administrators", "precedence": 0},
        ],
        clients=[client_spec("provider-portal", generate_secret=True)],
    )
    providers.update(provider_extra)
    return [patients, providers]


def cognito(aws):
    return aws.client("cognito-idp")


def pool_ids(aws):
    """name -> [ids] of every pool in the emulator."""
    result = {}
    for pool in cognito(aws).list_user_pools(MaxResults=60)["UserPools"]:
        result.setdefault(pool["Name"], []).append(pool["Id"])
    return result


def pool_id(aws, name):
    (only,) = pool_ids(aws)[name]
    return only


def live_clients(aws, name):
    client = cognito(aws)
    summaries = client.list_user_pool_clients(UserPoolId=pool_id(aws, name), MaxResults=60)["UserPoolClients"]
    return {s["ClientName"]: client.describe_user_pool_client(UserPoolId=pool_id(aws, name), ClientId=s["ClientId"])["UserPoolClient"] for s in summaries}


def live_groups(aws, name):
    return {g["GroupName"]: g for g in cognito(aws).list_groups(UserPoolId=pool_id(aws, name))["Groups"]}


def operations(calls):
    return [c["operation"] for c in calls]


# ---- create, no-op -----------------------------------------------------------------------------


def test_create_the_pools_with_their_groups_and_clients(aws):
    result = aws.run(cognito_user_pools.main, {"pools": portal_pools()}, diff=True)

    assert result["changed"] is True, result.get("msg")
    client = cognito(aws)
    for name, portal in ((PATIENTS, "patients"), (PROVIDERS, "providers")):
        live = client.describe_user_pool(UserPoolId=pool_id(aws, name))["UserPool"]
        mfa = client.get_user_pool_mfa_config(UserPoolId=live["Id"])
        assert mfa["MfaConfiguration"] == "ON", name
        assert mfa["SoftwareTokenMfaConfiguration"] == {"Enabled": True}, name
        assert live["UserPoolAddOns"] == {"AdvancedSecurityMode": "ENFORCED"}, name
        assert live["DeletionProtection"] == "ACTIVE", name
        assert live["Policies"]["PasswordPolicy"]["MinimumLength"] == 14, name
        assert live["UserPoolTags"] == {"Portal": portal}, name
    assert set(live_groups(aws, PATIENTS)) == set()
    providers_groups = live_groups(aws, PROVIDERS)
    assert {n: (g["Precedence"], g["Description"]) for n, g in providers_groups.items()} == {
        "providers": (10, "Physicians, nurses and care staff"),
        "admins": (0, "Administrators"),
    }
    clients = {name: live_clients(aws, name) for name in (PATIENTS, PROVIDERS)}
    assert "ClientSecret" not in clients[PATIENTS]["patient-portal"]
    secret = clients[PROVIDERS]["provider-portal"]["ClientSecret"]
    assert secret and secret not in json.dumps(result), "the client secret must never be in the result"
    assert clients[PROVIDERS]["provider-portal"]["TokenValidityUnits"] == {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "hours"}

    by_name = {r["name"]: r for r in result["user_pools"]}
    assert [r["name"] for r in result["user_pools"]] == [PATIENTS, PROVIDERS], "results are in the order of pools"
    assert result["user_pool_ids"] == {PATIENTS: pool_id(aws, PATIENTS), PROVIDERS: pool_id(aws, PROVIDERS)}
    assert by_name[PROVIDERS]["id"] == pool_id(aws, PROVIDERS)
    assert by_name[PROVIDERS]["arn"].endswith(f"userpool/{pool_id(aws, PROVIDERS)}")
    assert by_name[PROVIDERS]["client_ids"] == {"provider-portal": clients[PROVIDERS]["provider-portal"]["ClientId"]}
    assert by_name[PATIENTS]["client_ids"] == {"patient-portal": clients[PATIENTS]["patient-portal"]["ClientId"]}
    assert [g["group_name"] for g in by_name[PROVIDERS]["groups"]] == ["admins", "providers"]
    assert by_name[PROVIDERS]["user_pool"]["mfa"]["mfa_configuration"] == "ON"
    assert all(r["changed"] for r in result["user_pools"])
    assert result["diff"]["before"][PROVIDERS]["pool"] == {}
    assert result["diff"]["after"][PROVIDERS]["pool"]["advanced_security_mode"] == "ENFORCED"
    assert result["diff"]["after"][PROVIDERS]["clients"]["provider-portal"]["generate_secret"] is True


def test_no_change_makes_no_mutating_call_and_reads_each_pool_once(aws):
    first = aws.run(cognito_user_pools.main, {"pools": portal_pools()})
    with aws.recording() as calls:
        result = aws.run(cognito_user_pools.main, {"pools": portal_pools()}, diff=True)

    assert result["changed"] is False, result.get("diff")
    assert aws.mutating(calls) == []
    assert sorted(operations(calls)) == sorted(
        ["ListUserPools"] + ["DescribeUserPool", "GetUserPoolMfaConfig", "ListGroups", "ListUserPoolClients", "DescribeUserPoolClient"] * 2
    )
    assert [(r["id"], r["client_ids"]) for r in result["user_pools"]] == [(r["id"], r["client_ids"]) for r in first["user_pools"]]
    assert result["diff"] == {"before": {}, "after": {}}


def test_options_not_given_are_not_compared(aws):
    aws.run(cognito_user_pools.main, {"pools": portal_pools()})
    with aws.recording() as calls:
        result = aws.run(
            cognito_user_pools.main,
            {"pools": [{"name": PROVIDERS, "groups": [{"name": "admins"}], "clients": [{"name": "provider-portal", "generate_secret": True}]}]},
        )
    assert result["changed"] is False, result.get("diff")
    assert aws.mutating(calls) == []
    (pool,) = result["user_pools"]
    assert [g["group_name"] for g in pool["groups"]] == ["admins", "providers"], "unlisted groups are kept and returned"


# ---- update ------------------------------------------------------------------------------------


def test_update_a_setting_a_new_group_and_a_client_setting(aws):
    aws.run(cognito_user_pools.main, {"pools": portal_pools()})
    pools = portal_pools()
    pools[1]["password_policy"] = {"minimum_length": 16, "temporary_password_validity_days": 3}
    pools[1]["groups"].append({"name": "auditors", "description": "Read-only review", "precedence": 20, "role_arn": ROLE})
    pools[1]["clients"][0]["access_token_validity"] = 30
    client_id = live_clients(aws, PROVIDERS)["provider-portal"]["ClientId"]

    with aws.recording() as calls:
        result = aws.run(cognito_user_pools.main, {"pools": pools}, diff=True)

    assert result["changed"] is True
    assert aws.mutating(calls) == ["cognito-idp:UpdateUserPool", "cognito-idp:CreateGroup", "cognito-idp:UpdateUserPoolClient"]
    live = cognito(aws).describe_user_pool(UserPoolId=pool_id(aws, PROVIDERS))["UserPool"]
    assert live["Policies"]["PasswordPolicy"]["MinimumLength"] == 16
    assert live["UserPoolAddOns"] == {"AdvancedSecurityMode": "ENFORCED"}, "the update keeps what it does not change"
    assert live["DeletionProtection"] == "ACTIVE"
    assert live["UserPoolTags"] == {"Portal": "providers"}
    assert cognito(aws).get_user_pool_mfa_config(UserPoolId=live["Id"])["MfaConfiguration"] == "ON"
    assert live_groups(aws, PROVIDERS)["auditors"]["RoleArn"] == ROLE
    portal = live_clients(aws, PROVIDERS)["provider-portal"]
    assert portal["ClientId"] == client_id
    assert portal["AccessTokenValidity"] == 30
    assert portal["IdTokenValidity"] == 15

    patients, providers = result["user_pools"]
    assert patients["changed"] is False and providers["changed"] is True
    assert set(result["diff"]["after"]) == {PROVIDERS}
    assert result["diff"]["before"][PROVIDERS]["pool"]["password_policy"]["minimum_length"] == 14
    assert result["diff"]["after"][PROVIDERS]["pool"]["password_policy"]["minimum_length"] == 16
    assert result["diff"]["before"][PROVIDERS]["groups"] == {"auditors": {}}
    assert result["diff"]["after"][PROVIDERS]["groups"]["auditors"]["precedence"] == 20
    assert result["diff"]["before"][PROVIDERS]["clients"]["provider-portal"]["access_token_validity"] == 15
    assert result["diff"]["after"][PROVIDERS]["clients"]["provider-portal"]["access_token_validity"] == 30
    assert portal["ClientSecret"] not in json.dumps(result)


def test_tags_are_purged_unless_purge_tags_is_false(aws):
    aws.run(cognito_user_pools.main, {"pools": portal_pools()})
    kept = aws.run(cognito_user_pools.main, {"pools": [{"name": PATIENTS, "tags": {"Owner": "ops"}, "purge_tags": False}]})
    assert kept["changed"] is True
    assert cognito(aws).describe_user_pool(UserPoolId=pool_id(aws, PATIENTS))["UserPool"]["UserPoolTags"] == {"Portal": "patients", "Owner": "ops"}
    purged = aws.run(cognito_user_pools.main, {"pools": [{"name": PATIENTS, "tags": {"Owner": "ops"}}]})
    assert purged["changed"] is True
    assert purged["user_pools"][0]["user_pool"]["tags"] == {"Owner": "ops"}


def test_groups_and_clients_are_deleted_when_absent_or_purged(aws):
    pools = portal_pools()
    pools[1]["clients"].append(client_spec("reporting"))
    aws.run(cognito_user_pools.main, {"pools": pools})
    other = cognito(aws).create_user_pool_client(UserPoolId=pool_id(aws, PROVIDERS), ClientName="made-by-hand")["UserPoolClient"]["ClientId"]
    cognito(aws).create_group(UserPoolId=pool_id(aws, PROVIDERS), GroupName="made-by-hand")

    # Listed as absent: deleted. Not listed: left alone (purge_* default to false).
    with aws.recording() as calls:
        result = aws.run(
            cognito_user_pools.main,
            {
                "pools": [
                    {
                        "name": PROVIDERS,
                        "groups": [{"name": "admins", "state": "absent"}],
                        "clients": [{"name": "reporting", "state": "absent"}, {"name": "gone", "state": "absent"}],
                    }
                ]
            },
            diff=True,
        )
    assert result["changed"] is True
    assert sorted(aws.mutating(calls)) == ["cognito-idp:DeleteGroup", "cognito-idp:DeleteUserPoolClient"]
    assert set(live_groups(aws, PROVIDERS)) == {"providers", "made-by-hand"}
    assert set(live_clients(aws, PROVIDERS)) == {"provider-portal", "made-by-hand"}
    assert result["diff"]["after"][PROVIDERS]["clients"] == {"reporting": {}}

    # purge_groups / purge_clients: whatever is not listed goes.
    with aws.recording() as calls:
        purged = aws.run(
            cognito_user_pools.main,
            {
                "pools": [
                    {
                        "name": PROVIDERS,
                        "groups": [{"name": "providers"}],
                        "purge_groups": True,
                        "clients": [{"name": "provider-portal", "generate_secret": True}],
                        "purge_clients": True,
                    }
                ]
            },
        )
    assert purged["changed"] is True
    assert sorted(aws.mutating(calls)) == ["cognito-idp:DeleteGroup", "cognito-idp:DeleteUserPoolClient"]
    assert set(live_groups(aws, PROVIDERS)) == {"providers"}
    assert set(live_clients(aws, PROVIDERS)) == {"provider-portal"}
    assert other not in json.dumps(purged["user_pools"][0]["clients"])
    assert [c["client_name"] for c in purged["user_pools"][0]["clients"]] == ["provider-portal"]


# ---- delete ------------------------------------------------------------------------------------


def test_delete_a_pool_leaves_the_unlisted_pools_alone(aws):
    aws.run(cognito_user_pools.main, {"pools": portal_pools()})
    unlisted = cognito(aws).create_user_pool(PoolName="hp-test-other")["UserPool"]["Id"]

    with aws.recording() as calls:
        refused = aws.run(cognito_user_pools.main, {"pools": [{"name": PATIENTS, "state": "absent"}]})
    assert refused.failed
    assert "deletion_protection" in refused["msg"] and "force_delete" in refused["msg"] and "pools[0]" in refused["msg"]
    assert aws.mutating(calls) == []

    with aws.recording() as calls:
        result = aws.run(cognito_user_pools.main, {"pools": [{"name": PATIENTS, "state": "absent", "force_delete": True}]}, diff=True)
    assert result["changed"] is True
    assert aws.mutating(calls) == ["cognito-idp:UpdateUserPool", "cognito-idp:DeleteUserPool"]
    assert set(pool_ids(aws)) == {PROVIDERS, "hp-test-other"}
    assert pool_ids(aws)["hp-test-other"] == [unlisted]
    assert result["user_pools"] == [{"name": PATIENTS, "state": "absent", "changed": True, "client_ids": {}, "clients": [], "groups": [], "user_pool": {}}]
    assert result["user_pool_ids"] == {}
    assert result["diff"]["before"][PATIENTS]["pool"]["deletion_protection"] == "ACTIVE"
    assert result["diff"]["after"][PATIENTS] == {"pool": {}}

    again = aws.run(cognito_user_pools.main, {"pools": [{"name": PATIENTS, "state": "absent"}]})
    assert again["changed"] is False


# ---- check mode --------------------------------------------------------------------------------


def test_check_mode_create_changes_nothing(aws):
    with aws.recording() as calls:
        result = aws.run(cognito_user_pools.main, {"pools": portal_pools()}, check_mode=True, diff=True)

    assert result["changed"] is True
    assert aws.mutating(calls) == []
    assert pool_ids(aws) == {}
    providers = result["user_pools"][1]
    assert "id" not in providers
    assert providers["client_ids"] == {}, "a client created in check mode has no ID yet"
    assert [c["client_name"] for c in providers["clients"]] == ["provider-portal"]
    assert [g["group_name"] for g in providers["groups"]] == ["admins", "providers"]
    assert providers["user_pool"]["mfa"]["mfa_configuration"] == "ON"
    assert result["user_pool_ids"] == {}


def test_check_mode_update_and_delete_change_nothing(aws):
    aws.run(cognito_user_pools.main, {"pools": portal_pools()})
    pools = portal_pools(deletion_protection="INACTIVE")
    pools[1]["groups"].append({"name": "auditors"})
    pools[1]["clients"][0]["access_token_validity"] = 30
    pools[0] = {"name": PATIENTS, "state": "absent", "force_delete": True}

    with aws.recording() as calls:
        result = aws.run(cognito_user_pools.main, {"pools": pools}, check_mode=True, diff=True)
        same = aws.run(cognito_user_pools.main, {"pools": portal_pools()}, check_mode=True)

    assert result["changed"] is True
    assert same["changed"] is False
    assert aws.mutating(calls) == []
    assert set(pool_ids(aws)) == {PATIENTS, PROVIDERS}
    assert set(live_groups(aws, PROVIDERS)) == {"providers", "admins"}
    assert live_clients(aws, PROVIDERS)["provider-portal"]["AccessTokenValidity"] == 15
    patients, providers = result["user_pools"]
    assert patients["state"] == "absent" and patients["changed"] is True
    assert providers["user_pool"]["deletion_protection"] == "INACTIVE"
    assert "auditors" in [g["group_name"] for g in providers["groups"]]
    assert result["diff"]["after"][PROVIDERS]["clients"]["provider-portal"]["access_token_validity"] == 30


# ---- conflicts found before any change -----------------------------------------------------------


def test_a_conflict_in_one_pool_stops_every_change(aws):
    aws.run(cognito_user_pools.main, {"pools": portal_pools()})
    pools = portal_pools(username_attributes=["phone_number"])
    pools[0]["password_policy"] = {"minimum_length": 20}  # would change, but must not
    pools[1]["clients"][0]["generate_secret"] = False

    with aws.recording() as calls:
        result = aws.run(cognito_user_pools.main, {"pools": pools})

    assert result.failed
    assert "Nothing was changed" in result["msg"]
    assert "pools[1] (hp-test-providers): username_attributes cannot change" in result["msg"]
    assert "pools[1].clients[0] (provider-portal): generate_secret cannot change" in result["msg"]
    assert aws.mutating(calls) == []
    secret = live_clients(aws, PROVIDERS)["provider-portal"]["ClientSecret"]
    assert secret not in json.dumps(result)


def test_duplicate_pool_names_fail_listing_the_ids(aws):
    client = cognito(aws)
    first = client.create_user_pool(PoolName=PATIENTS)["UserPool"]["Id"]
    second = client.create_user_pool(PoolName=PATIENTS)["UserPool"]["Id"]

    with aws.recording() as calls:
        result = aws.run(cognito_user_pools.main, {"pools": [{"name": PATIENTS}]})
    assert result.failed
    assert first in result["msg"] and second in result["msg"] and "pools[0].pool_id" in result["msg"]
    assert aws.mutating(calls) == []

    chosen = aws.run(cognito_user_pools.main, {"pools": [{"name": PATIENTS, "pool_id": second, "deletion_protection": "INACTIVE"}]})
    assert chosen["changed"] is True
    assert chosen["user_pool_ids"] == {PATIENTS: second}
    assert client.get_user_pool_mfa_config(UserPoolId=first)["MfaConfiguration"] == "OFF"


def test_unknown_pool_id_fails(aws):
    result = aws.run(cognito_user_pools.main, {"pools": [{"name": PATIENTS, "pool_id": "us-east-1_doesnotexist"}]})
    assert result.failed
    assert "pool_id" in result["msg"]
    assert pool_ids(aws) == {}


# ---- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pools, option",
    [
        ([{"name": PATIENTS}, {"name": PATIENTS}], "pools[1].name"),
        ([{"name": PATIENTS, "password_policy": {"minimum_length": 7}}], "pools[0].password_policy.minimum_length"),
        ([{"name": PATIENTS}, {"name": PROVIDERS, "software_token_mfa": False}], "pools[1].software_token_mfa"),
        ([{"name": PATIENTS, "user_pool_tier": "ESSENTIALS"}], "pools[0].advanced_security_mode"),
        ([{"name": PATIENTS, "username_attributes": ["email"], "alias_attributes": ["email"]}], "pools[0].alias_attributes"),
        ([{"name": PATIENTS, "schema": [{"name": "email"}]}], "pools[0].schema[0].name"),
        ([{"name": PATIENTS, "deletion_protection": "ON"}], "deletion_protection"),
        ([{"name": PATIENTS, "groups": [{"name": "a"}, {"name": "a"}]}], "pools[0].groups[1].name"),
        ([{"name": PATIENTS, "groups": [{"name": "a", "role_arn": "clinicians"}]}], "pools[0].groups[0].role_arn"),
        ([{"name": PATIENTS, "groups": [{"name": "a", "precedence": -1}]}], "pools[0].groups[0].precedence"),
        ([{"name": PATIENTS, "clients": [{"name": "web"}, {"name": "web"}]}], "pools[0].clients[1].name"),
        (
            [{"name": PATIENTS, "clients": [{"name": "web", "allowed_oauth_flows": ["code"], "allowed_oauth_scopes": ["openid"]}]}],
            "pools[0].clients[0].callback_urls",
        ),
        (
            [{"name": PATIENTS, "clients": [{"name": "web", "access_token_validity": 2, "token_validity_units": {"access_token": "minutes"}}]}],
            "pools[0].clients[0].access_token_validity",
        ),
        ([{"name": PATIENTS, "clients": [{"name": "web", "callback_urls": ["http://example.org/"]}]}], "pools[0].clients[0].callback_urls"),
        ([{"name": PATIENTS, "clients": [{"client_id": "abc"}]}], "name"),
        ([{"pool_id": "us-east-1_x"}], "name"),
    ],
)
def test_bad_input_fails_before_any_call(aws, pools, option):
    with aws.recording() as calls:
        result = aws.run(cognito_user_pools.main, {"pools": pools})

    assert result.failed
    assert option in result["msg"]
    assert calls == [], "validation must happen before any API call"


def test_every_bad_input_is_reported_at_once(aws):
    result = aws.run(
        cognito_user_pools.main,
        {"pools": [{"name": PATIENTS, "password_policy": {"minimum_length": 7}}, {"name": PROVIDERS, "groups": [{"name": "x" * 129}]}]},
    )
    assert result.failed
    assert "pools[0].password_policy.minimum_length" in result["msg"] and "pools[1].groups[0].name" in result["msg"]
