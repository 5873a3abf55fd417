# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""cognito_user_pool_domain.

Prefix domains against the moto server (CreateUserPoolDomain, DescribeUserPoolDomain
and DeleteUserPoolDomain are emulated).

Custom domains with botocore's Stubber (it validates every request against the real
API model and fails on any call not queued): moto's DescribeUserPoolDomain does not
return CustomDomainConfig, so neither idempotence nor a certificate change can be
observed there.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import cognito_user_pool_domain

POOL = "hp-test-patients"
PREFIX = "hp-test-patients-login"


@pytest.fixture
def pool_id(aws):
    return aws.client("cognito-idp").create_user_pool(PoolName=POOL)["UserPool"]["Id"]


def described(aws, domain=PREFIX):
    return aws.client("cognito-idp").describe_user_pool_domain(Domain=domain)["DomainDescription"]


def test_create_prefix_domain(aws, pool_id):
    result = aws.run(cognito_user_pool_domain.main, {"user_pool_name": POOL, "domain": PREFIX}, diff=True)

    assert result["changed"] is True
    live = described(aws)
    assert live["UserPoolId"] == pool_id
    assert live["Domain"] == PREFIX
    assert result["user_pool_domain"]["domain"] == PREFIX
    assert result["user_pool_domain"]["cloud_front_distribution"] == live["CloudFrontDistribution"]
    assert result["diff"] == {"before": {}, "after": {"domain": PREFIX, "user_pool_id": pool_id}}


def test_no_change_makes_no_mutating_call(aws, pool_id):
    aws.run(cognito_user_pool_domain.main, {"user_pool_id": pool_id, "domain": PREFIX})
    with aws.recording() as calls:
        result = aws.run(cognito_user_pool_domain.main, {"user_pool_id": pool_id, "domain": PREFIX})

    assert result["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_second_prefix_on_the_same_pool_fails(aws, pool_id):
    aws.run(cognito_user_pool_domain.main, {"user_pool_id": pool_id, "domain": PREFIX})
    with aws.recording() as calls:
        result = aws.run(cognito_user_pool_domain.main, {"user_pool_id": pool_id, "domain": "hp-test-other"})

    assert result.failed
    assert PREFIX in result["msg"] and "state: absent" in result["msg"]
    assert aws.mutating(calls) == []
    assert described(aws, "hp-test-other") == {}


def test_domain_of_another_pool(aws, pool_id):
    client = aws.client("cognito-idp")
    other = client.create_user_pool(PoolName="hp-test-other")["UserPool"]["Id"]
    client.create_user_pool_domain(UserPoolId=other, Domain=PREFIX)

    taken = aws.run(cognito_user_pool_domain.main, {"user_pool_id": pool_id, "domain": PREFIX})
    assert taken.failed
    assert other in taken["msg"]

    left_alone = aws.run(cognito_user_pool_domain.main, {"user_pool_id": pool_id, "domain": PREFIX, "state": "absent"})
    assert left_alone["changed"] is False
    assert left_alone["warnings"]
    assert described(aws)["UserPoolId"] == other


def test_delete_and_delete_again(aws, pool_id):
    aws.run(cognito_user_pool_domain.main, {"user_pool_id": pool_id, "domain": PREFIX})
    with aws.recording() as calls:
        result = aws.run(cognito_user_pool_domain.main, {"user_pool_id": pool_id, "domain": PREFIX, "state": "absent"}, diff=True)

    assert result["changed"] is True
    assert aws.mutating(calls) == ["cognito-idp:DeleteUserPoolDomain"]
    assert described(aws) == {}
    assert result["diff"]["before"]["domain"] == PREFIX
    assert aws.run(cognito_user_pool_domain.main, {"user_pool_id": pool_id, "domain": PREFIX, "state": "absent"})["changed"] is False


def test_missing_pool(aws):
    present = aws.run(cognito_user_pool_domain.main, {"user_pool_name": POOL, "domain": PREFIX})
    assert present.failed
    assert "does not exist" in present["msg"]
    assert aws.run(cognito_user_pool_domain.main, {"user_pool_name": POOL, "domain": PREFIX, "state": "absent"})["changed"] is False


def test_check_mode_changes_nothing(aws, pool_id):
    with aws.recording() as calls:
        create = aws.run(cognito_user_pool_domain.main, {"user_pool_id": pool_id, "domain": PREFIX}, check_mode=True)
    assert create["changed"] is True
    assert create["user_pool_domain"]["domain"] == PREFIX
    assert described(aws) == {}
    assert aws.mutating(calls) == []

    aws.run(cognito_user_pool_domain.main, {"user_pool_id": pool_id, "domain": PREFIX})
    with aws.recording() as calls:
        delete = aws.run(cognito_user_pool_domain.main, {"user_pool_id": pool_id, "domain": PREFIX, "state": "absent"}, check_mode=True)
    assert delete["changed"] is True
    assert aws.mutating(calls) == []
    assert described(aws)["UserPoolId"] == pool_id


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"domain": "HP-Test"}, "domain"),
        ({"domain": "-hp-test"}, "domain"),
        ({"domain": "hp-aws-login"}, "domain"),
        ({"domain": "hp-cognito"}, "domain"),
        ({"certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d"}, "certificate_arn"),
        ({"domain": "auth.example.org"}, "certificate_arn"),
        ({"domain": "auth.example.org", "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d"}, "certificate_arn"),
        ({"domain": "auth..example.org", "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d"}, "domain"),
        ({"user_pool_name": POOL}, "user_pool_name"),
    ],
)
def test_bad_input_fails_before_any_call(aws, pool_id, extra, option):
    args = {"user_pool_id": pool_id, "domain": PREFIX}
    args.update(extra)
    with aws.recording() as calls:
        result = aws.run(cognito_user_pool_domain.main, args)

    assert result.failed
    assert option in result["msg"]
    assert calls == [], "validation must happen before any API call"


# ---- Stubber: custom domains (moto does not describe CustomDomainConfig) -------------------

POOL_ID = "us-east-1_AbCdEfGhI"
CUSTOM = "auth.providers.example.org"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
NEW_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/99999999-4e5f-6789-abcd-ef0123456789"


def custom_description(certificate=CERT, status="ACTIVE"):
    return {
        "UserPoolId": POOL_ID,
        "AWSAccountId": "123456789012",
        "Domain": CUSTOM,
        "CloudFrontDistribution": "d111111abcdef8.cloudfront.net",
        "Version": "20260105120000",
        "Status": status,
        "CustomDomainConfig": {"CertificateArn": certificate},
        "ManagedLoginVersion": 2,
    }


def queue_pool(stub, custom_domain=None):
    pool = {"Id": POOL_ID, "Name": "hp-test-providers"}
    if custom_domain:
        pool["CustomDomain"] = custom_domain
    stub.add_response("describe_user_pool", {"UserPool": pool}, {"UserPoolId": POOL_ID})


def test_stubbed_create_custom_domain(stubbed):
    stub = stubbed("cognito-idp")
    queue_pool(stub)
    stub.add_response("describe_user_pool_domain", {"DomainDescription": {}}, {"Domain": CUSTOM})
    stub.add_response(
        "create_user_pool_domain",
        {"CloudFrontDomain": "d111111abcdef8.cloudfront.net"},
        {"Domain": CUSTOM, "UserPoolId": POOL_ID, "CustomDomainConfig": {"CertificateArn": CERT}},
    )
    stub.add_response("describe_user_pool_domain", {"DomainDescription": custom_description(status="CREATING")}, {"Domain": CUSTOM})

    result = stubbed.run(cognito_user_pool_domain.main, {"user_pool_id": POOL_ID, "domain": CUSTOM, "certificate_arn": CERT})

    assert result["changed"] is True, result.get("msg")
    assert result["user_pool_domain"]["status"] == "CREATING"
    assert result["user_pool_domain"]["custom_domain_config"] == {"certificate_arn": CERT}
    stubbed.assert_all_used()


def test_stubbed_custom_domain_no_change(stubbed):
    stub = stubbed("cognito-idp")
    queue_pool(stub, CUSTOM)
    stub.add_response("describe_user_pool_domain", {"DomainDescription": custom_description()}, {"Domain": CUSTOM})

    result = stubbed.run(cognito_user_pool_domain.main, {"user_pool_id": POOL_ID, "domain": CUSTOM, "certificate_arn": CERT})

    assert result["changed"] is False
    stubbed.assert_all_used()


def test_stubbed_certificate_update_keeps_the_managed_login_version(stubbed):
    stub = stubbed("cognito-idp")
    queue_pool(stub, CUSTOM)
    stub.add_response("describe_user_pool_domain", {"DomainDescription": custom_description()}, {"Domain": CUSTOM})
    stub.add_response(
        "update_user_pool_domain",
        {"CloudFrontDomain": "d111111abcdef8.cloudfront.net", "ManagedLoginVersion": 2},
        {"Domain": CUSTOM, "UserPoolId": POOL_ID, "CustomDomainConfig": {"CertificateArn": NEW_CERT}, "ManagedLoginVersion": 2},
    )
    stub.add_response("describe_user_pool_domain", {"DomainDescription": custom_description(NEW_CERT, "UPDATING")}, {"Domain": CUSTOM})

    result = stubbed.run(cognito_user_pool_domain.main, {"user_pool_id": POOL_ID, "domain": CUSTOM, "certificate_arn": NEW_CERT}, diff=True)

    assert result["changed"] is True, result.get("msg")
    assert result["diff"]["before"]["certificate_arn"] == CERT
    assert result["diff"]["after"]["certificate_arn"] == NEW_CERT
    stubbed.assert_all_used()


def test_stubbed_check_mode_certificate_update(stubbed):
    stub = stubbed("cognito-idp")
    queue_pool(stub, CUSTOM)
    stub.add_response("describe_user_pool_domain", {"DomainDescription": custom_description()}, {"Domain": CUSTOM})

    result = stubbed.run(cognito_user_pool_domain.main, {"user_pool_id": POOL_ID, "domain": CUSTOM, "certificate_arn": NEW_CERT}, check_mode=True)

    assert result["changed"] is True
    assert result["user_pool_domain"]["custom_domain_config"]["certificate_arn"] == NEW_CERT
    stubbed.assert_all_used()
