# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""cognito_user_pool_client and cognito_user_pool_client_info.

Against the moto server (app clients are emulated, secrets included).

With botocore's Stubber (it validates every request against the real API model and
fails on any call not queued): the exact UpdateUserPoolClient request. AWS resets
every setting UpdateUserPoolClient is not given, but moto merges the request into
the client instead, so only the request itself proves the module sends the full set.
"""

from __future__ import annotations

import datetime
import json

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import cognito_user_pool_client
from ansible_collections.healthplatform.aws.plugins.modules import cognito_user_pool_client_info

POOL = "hp-test-patients"


@pytest.fixture
def pool_id(aws):
    return aws.client("cognito-idp").create_user_pool(PoolName=POOL)["UserPool"]["Id"]


def web_args(**extra):
    args = {
        "user_pool_name": POOL,
        "name": "patient-portal-web",
        "explicit_auth_flows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        "allowed_oauth_flows": ["code"],
        "allowed_oauth_scopes": ["openid", "email"],
        "callback_urls": ["https://patients.example.org/callback"],
        "logout_urls": ["https://patients.example.org/"],
        "supported_identity_providers": ["COGNITO"],
        "access_token_validity": 15,
        "id_token_validity": 15,
        "token_validity_units": {"access_token": "minutes", "id_token": "minutes"},
    }
    args.update(extra)
    return {k: v for k, v in args.items() if v is not None}


def clients_of(aws, pool_id):
    client = aws.client("cognito-idp")
    summaries = client.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    return [client.describe_user_pool_client(UserPoolId=pool_id, ClientId=s["ClientId"])["UserPoolClient"] for s in summaries]


def test_create_public_client(aws, pool_id):
    result = aws.run(cognito_user_pool_client.main, web_args())

    assert result["changed"] is True
    (live,) = clients_of(aws, pool_id)
    assert live["ClientId"] == result["user_pool_client"]["client_id"]
    assert "ClientSecret" not in live
    assert sorted(live["ExplicitAuthFlows"]) == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
    assert live["AllowedOAuthFlows"] == ["code"]
    assert live["AllowedOAuthFlowsUserPoolClient"] is True
    assert live["CallbackURLs"] == ["https://patients.example.org/callback"]
    assert live["PreventUserExistenceErrors"] == "ENABLED"
    assert live["EnableTokenRevocation"] is True
    assert live["AccessTokenValidity"] == 15
    assert live["TokenValidityUnits"] == {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"}
    assert result["user_pool_client"]["has_client_secret"] is False
    assert result["user_pool_client"]["allowed_oauth_flows"] == ["code"]


def test_no_change_makes_no_mutating_call(aws, pool_id):
    aws.run(cognito_user_pool_client.main, web_args())
    with aws.recording() as calls:
        result = aws.run(cognito_user_pool_client.main, web_args(explicit_auth_flows=["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]))

    assert result["changed"] is False, result.get("diff")
    assert calls
    assert aws.mutating(calls) == []


def test_update_changes_the_client(aws, pool_id):
    aws.run(cognito_user_pool_client.main, web_args())
    with aws.recording() as calls:
        result = aws.run(
            cognito_user_pool_client.main,
            web_args(callback_urls=["https://patients.example.org/auth"], read_attributes=["email", "name"], prevent_user_existence_errors="LEGACY"),
            diff=True,
        )

    assert result["changed"] is True
    assert aws.mutating(calls) == ["cognito-idp:UpdateUserPoolClient"]
    (live,) = clients_of(aws, pool_id)
    assert live["CallbackURLs"] == ["https://patients.example.org/auth"]
    assert sorted(live["ReadAttributes"]) == ["email", "name"]
    assert live["PreventUserExistenceErrors"] == "LEGACY"
    assert live["AllowedOAuthScopes"] == ["openid", "email"]
    assert result["diff"]["before"]["callback_urls"] == ["https://patients.example.org/callback"]
    assert result["diff"]["after"]["callback_urls"] == ["https://patients.example.org/auth"]


def test_client_secret_never_appears_in_any_result(aws, pool_id):
    created = aws.run(cognito_user_pool_client.main, web_args(name="backend", generate_secret=True), diff=True)
    (live,) = clients_of(aws, pool_id)
    secret = live["ClientSecret"]
    assert secret

    results = [
        created,
        aws.run(cognito_user_pool_client.main, web_args(name="backend", generate_secret=True), diff=True),
        aws.run(cognito_user_pool_client.main, web_args(name="backend", generate_secret=True, logout_urls=["https://x.example.org/"]), diff=True),
        aws.run(cognito_user_pool_client.main, web_args(name="backend", generate_secret=True, logout_urls=[]), check_mode=True, diff=True),
        aws.run(cognito_user_pool_client.main, web_args(name="backend", generate_secret=False)),  # fails: create-only
        aws.run(cognito_user_pool_client_info.main, {"user_pool_id": pool_id}),
        aws.run(cognito_user_pool_client.main, web_args(name="backend", state="absent"), diff=True),
    ]

    assert created["user_pool_client"]["has_client_secret"] is True
    assert results[2]["changed"] is True
    assert results[4].failed
    assert results[5]["user_pool_clients"][0]["has_client_secret"] is True
    assert results[6]["changed"] is True
    for result in results:
        serialized = json.dumps(result)
        assert secret not in serialized
        assert "client_secret" not in serialized.replace("has_client_secret", "")


def test_generate_secret_cannot_change(aws, pool_id):
    aws.run(cognito_user_pool_client.main, web_args())
    with aws.recording() as calls:
        result = aws.run(cognito_user_pool_client.main, web_args(generate_secret=True))

    assert result.failed
    assert "generate_secret cannot change" in result["msg"]
    assert aws.mutating(calls) == []
    (live,) = clients_of(aws, pool_id)
    assert "ClientSecret" not in live


def test_duplicate_names_fail_listing_the_ids_and_client_id_picks_one(aws, pool_id):
    client = aws.client("cognito-idp")
    first = client.create_user_pool_client(UserPoolId=pool_id, ClientName="web")["UserPoolClient"]["ClientId"]
    second = client.create_user_pool_client(UserPoolId=pool_id, ClientName="web")["UserPoolClient"]["ClientId"]

    result = aws.run(cognito_user_pool_client.main, {"user_pool_id": pool_id, "name": "web"})
    assert result.failed
    assert first in result["msg"] and second in result["msg"] and "client_id" in result["msg"]

    renamed = aws.run(cognito_user_pool_client.main, {"user_pool_id": pool_id, "client_id": second, "name": "web-2"})
    assert renamed["changed"] is True
    assert client.describe_user_pool_client(UserPoolId=pool_id, ClientId=second)["UserPoolClient"]["ClientName"] == "web-2"
    assert client.describe_user_pool_client(UserPoolId=pool_id, ClientId=first)["UserPoolClient"]["ClientName"] == "web"


def test_delete_and_delete_again(aws, pool_id):
    aws.run(cognito_user_pool_client.main, web_args())
    result = aws.run(cognito_user_pool_client.main, web_args(state="absent"))
    assert result["changed"] is True
    assert clients_of(aws, pool_id) == []
    assert aws.run(cognito_user_pool_client.main, web_args(state="absent"))["changed"] is False


def test_missing_pool(aws):
    present = aws.run(cognito_user_pool_client.main, web_args())
    assert present.failed
    assert "does not exist" in present["msg"]
    absent = aws.run(cognito_user_pool_client.main, web_args(state="absent"))
    assert absent["changed"] is False


def test_check_mode_changes_nothing(aws, pool_id):
    with aws.recording() as calls:
        create = aws.run(cognito_user_pool_client.main, web_args(), check_mode=True)
    assert create["changed"] is True
    assert create["user_pool_client"]["client_name"] == "patient-portal-web"
    assert clients_of(aws, pool_id) == []
    assert aws.mutating(calls) == []

    aws.run(cognito_user_pool_client.main, web_args())
    (before,) = clients_of(aws, pool_id)
    with aws.recording() as calls:
        update = aws.run(cognito_user_pool_client.main, web_args(enable_token_revocation=False), check_mode=True)
        delete = aws.run(cognito_user_pool_client.main, web_args(state="absent"), check_mode=True)
    assert update["changed"] is True
    assert update["user_pool_client"]["enable_token_revocation"] is False
    assert delete["changed"] is True
    assert aws.mutating(calls) == []
    assert clients_of(aws, pool_id) == [before]


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"allowed_oauth_flows": ["client_credentials"], "callback_urls": None}, "generate_secret"),
        ({"allowed_oauth_flows": ["client_credentials", "code"], "generate_secret": True}, "allowed_oauth_flows"),
        ({"callback_urls": None}, "callback_urls"),
        ({"allowed_oauth_scopes": None}, "allowed_oauth_scopes"),
        ({"callback_urls": ["http://patients.example.org/callback"]}, "callback_urls"),
        ({"logout_urls": ["ftp://x"]}, "logout_urls"),
        ({"default_redirect_uri": "https://elsewhere.example.org/"}, "default_redirect_uri"),
        ({"access_token_validity": 2, "token_validity_units": {"access_token": "days"}}, "access_token_validity"),
        ({"id_token_validity": 1, "token_validity_units": {"id_token": "minutes"}}, "id_token_validity"),
        ({"refresh_token_validity": 4000}, "refresh_token_validity"),
        ({"auth_session_validity": 30}, "auth_session_validity"),
        ({"explicit_auth_flows": ["ADMIN_NO_SRP_AUTH"]}, "explicit_auth_flows"),
        ({"user_pool_id": "us-east-1_x"}, "user_pool_id"),
    ],
)
def test_bad_input_fails_before_any_call(aws, pool_id, extra, option):
    with aws.recording() as calls:
        result = aws.run(cognito_user_pool_client.main, web_args(**extra))

    assert result.failed
    assert option in result["msg"]
    assert calls == [], "validation must happen before any API call"
    assert clients_of(aws, pool_id) == []


def test_info_lists_and_filters(aws, pool_id):
    aws.run(cognito_user_pool_client.main, web_args())
    aws.run(cognito_user_pool_client.main, web_args(name="backend", generate_secret=True))

    everything = aws.run(cognito_user_pool_client_info.main, {"user_pool_name": POOL})
    assert everything["changed"] is False
    assert sorted(c["client_name"] for c in everything["user_pool_clients"]) == ["backend", "patient-portal-web"]
    by_name = aws.run(cognito_user_pool_client_info.main, {"user_pool_id": pool_id, "name": "backend"})
    assert [(c["client_name"], c["has_client_secret"]) for c in by_name["user_pool_clients"]] == [("backend", True)]
    web_id = next(c["client_id"] for c in everything["user_pool_clients"] if c["client_name"] == "patient-portal-web")
    by_id = aws.run(cognito_user_pool_client_info.main, {"user_pool_id": pool_id, "client_ids": [web_id]})
    assert [c["client_id"] for c in by_id["user_pool_clients"]] == [web_id]


# ---- Stubber: UpdateUserPoolClient resets what it is not given on AWS (moto merges) ----------

POOL_ID = "us-east-1_AbCdEfGhI"
CLIENT_ID = "1example23456789abcdefghij"
NOW = datetime.datetime(2026, 1, 5, 12, 0, tzinfo=datetime.timezone.utc)
SECRET = "s3cr3t-value-that-must-never-print-0123456789abcdef"


def aws_client(**overrides):
    described = {
        "UserPoolId": POOL_ID,
        "ClientName": "backend",
        "ClientId": CLIENT_ID,
        "ClientSecret": SECRET,
        "LastModifiedDate": NOW,
        "CreationDate": NOW,
        "RefreshTokenValidity": 12,
        "AccessTokenValidity": 15,
        "IdTokenValidity": 15,
        "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "hours"},
        "ReadAttributes": ["email"],
        "WriteAttributes": ["email"],
        "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        "SupportedIdentityProviders": ["COGNITO"],
        "CallbackURLs": ["https://providers.example.org/callback"],
        "LogoutURLs": ["https://providers.example.org/"],
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid"],
        "AllowedOAuthFlowsUserPoolClient": True,
        "AnalyticsConfiguration": {"ApplicationArn": "arn:aws:mobiletargeting:us-east-1:123456789012:apps/abc", "UserDataShared": False},
        "PreventUserExistenceErrors": "ENABLED",
        "EnableTokenRevocation": True,
        "EnablePropagateAdditionalUserContextData": False,
        "AuthSessionValidity": 3,
    }
    described.update(overrides)
    return described


def test_stubbed_update_sends_the_full_set_and_never_the_secret(stubbed):
    stub = stubbed("cognito-idp")
    stub.add_response("describe_user_pool", {"UserPool": {"Id": POOL_ID, "Name": "hp-test-providers"}}, {"UserPoolId": POOL_ID})
    stub.add_response(
        "list_user_pool_clients",
        {"UserPoolClients": [{"ClientId": CLIENT_ID, "UserPoolId": POOL_ID, "ClientName": "backend"}]},
        {"UserPoolId": POOL_ID, "MaxResults": 60},
    )
    stub.add_response("describe_user_pool_client", {"UserPoolClient": aws_client()}, {"UserPoolId": POOL_ID, "ClientId": CLIENT_ID})
    expected = {k: v for k, v in aws_client().items() if k not in ("ClientSecret", "LastModifiedDate", "CreationDate")}
    expected["PreventUserExistenceErrors"] = "ENABLED"
    expected["CallbackURLs"] = ["https://providers.example.org/auth"]
    stub.add_response("update_user_pool_client", {"UserPoolClient": aws_client(CallbackURLs=expected["CallbackURLs"])}, expected)

    result = stubbed.run(
        cognito_user_pool_client.main,
        {"user_pool_id": POOL_ID, "name": "backend", "generate_secret": True, "callback_urls": ["https://providers.example.org/auth"]},
        diff=True,
    )

    assert result["changed"] is True, result.get("msg")
    assert result["user_pool_client"]["callback_urls"] == ["https://providers.example.org/auth"]
    assert result["user_pool_client"]["has_client_secret"] is True
    assert SECRET not in json.dumps(result)
    stubbed.assert_all_used()
