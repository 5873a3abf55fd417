# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""s3_account_public_access_block(_info) against the moto server (S3 Control's account
public access block is emulated; the module drops the account prefix S3 Control puts in front
of the host name, which a loopback endpoint cannot resolve).

With botocore's Stubber: the request against the real endpoint keeps the account in the host
name (the prefix is only dropped for endpoints outside amazonaws.com).
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import s3_account_public_access_block
from ansible_collections.healthplatform.aws.plugins.modules import s3_account_public_access_block_info

ACCOUNT = "123456789012"
ALL_ON = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}


def s3control(aws):
    import boto3

    client = boto3.client("s3control", region_name="us-east-1", endpoint_url=aws.endpoint, aws_access_key_id="testing", aws_secret_access_key="testing")
    client.meta.events.register("before-sign.s3-control", lambda request, **_: setattr(request, "url", request.url.replace(f"//{ACCOUNT}.", "//")))
    return client


def live(aws):
    client = s3control(aws)
    try:
        return client.get_public_access_block(AccountId=ACCOUNT)["PublicAccessBlockConfiguration"]
    except client.exceptions.NoSuchPublicAccessBlockConfiguration:
        return None


def test_block_everything_by_default(aws):
    result = aws.run(s3_account_public_access_block.main, {"account_id": ACCOUNT})

    assert result["changed"] is True
    assert live(aws) == ALL_ON
    assert result["public_access_block_configuration"] == dict.fromkeys(
        ["block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"], True
    )


def test_account_id_defaults_to_the_caller(aws):
    result = aws.run(s3_account_public_access_block.main, {})
    assert result["account_id"] == ACCOUNT
    assert live(aws) == ALL_ON


def test_no_change_makes_no_mutating_call(aws):
    aws.run(s3_account_public_access_block.main, {"account_id": ACCOUNT})
    with aws.recording() as calls:
        result = aws.run(s3_account_public_access_block.main, {"account_id": ACCOUNT})
    assert result["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_update_one_setting(aws):
    aws.run(s3_account_public_access_block.main, {"account_id": ACCOUNT})
    result = aws.run(s3_account_public_access_block.main, {"account_id": ACCOUNT, "restrict_public_buckets": False}, diff=True)
    assert result["changed"] is True
    assert live(aws) == dict(ALL_ON, RestrictPublicBuckets=False)
    assert result["diff"]["before"]["restrict_public_buckets"] is True
    assert result["diff"]["after"]["restrict_public_buckets"] is False


def test_delete_and_delete_again(aws):
    aws.run(s3_account_public_access_block.main, {"account_id": ACCOUNT})
    result = aws.run(s3_account_public_access_block.main, {"account_id": ACCOUNT, "state": "absent"})
    assert result["changed"] is True
    assert live(aws) is None
    assert aws.run(s3_account_public_access_block.main, {"account_id": ACCOUNT, "state": "absent"})["changed"] is False


def test_check_mode_changes_nothing(aws):
    with aws.recording() as calls:
        create = aws.run(s3_account_public_access_block.main, {"account_id": ACCOUNT}, check_mode=True)
    assert create["changed"] is True
    assert live(aws) is None
    aws.run(s3_account_public_access_block.main, {"account_id": ACCOUNT})
    with aws.recording() as more_calls:
        update = aws.run(s3_account_public_access_block.main, {"account_id": ACCOUNT, "block_public_acls": False}, check_mode=True)
        delete = aws.run(s3_account_public_access_block.main, {"account_id": ACCOUNT, "state": "absent"}, check_mode=True)
    assert update["changed"] is True and delete["changed"] is True
    assert aws.mutating(calls + more_calls) == []
    assert live(aws) == ALL_ON


@pytest.mark.parametrize("account_id", ["12345", "abcdefghijkl"])
def test_bad_account_id_fails_before_any_call(aws, account_id):
    with aws.recording() as calls:
        result = aws.run(s3_account_public_access_block.main, {"account_id": account_id})
    assert result.failed
    assert "account_id" in result["msg"]
    assert calls == []


def test_info_reads_the_settings(aws):
    empty = aws.run(s3_account_public_access_block_info.main, {"account_id": ACCOUNT})
    assert empty["exists"] is False
    assert empty["public_access_block_configuration"] == {}

    aws.run(s3_account_public_access_block.main, {"account_id": ACCOUNT, "ignore_public_acls": False})
    info = aws.run(s3_account_public_access_block_info.main, {})
    assert info["exists"] is True
    assert info["public_access_block_configuration"]["ignore_public_acls"] is False
    assert info["public_access_block_configuration"]["block_public_policy"] is True


class _Sent(Exception):
    pass


class _FakeModule:
    """Just enough of AnsibleAWSModule for s3control_client(): a real boto3 client for an endpoint."""

    def __init__(self, endpoint):
        self.endpoint = endpoint

    def client(self, service, retry_decorator=None, **kwargs):  # pylint: disable=unused-argument
        import boto3

        return boto3.client(service, region_name="us-east-1", endpoint_url=self.endpoint, aws_access_key_id="testing", aws_secret_access_key="testing")


def sent_url(endpoint):
    from ansible_collections.healthplatform.aws.plugins.module_utils.s3_control import s3control_client

    client = s3control_client(_FakeModule(endpoint))
    urls = []

    def stop(request, **kwargs):  # pylint: disable=unused-argument
        urls.append(request.url)
        raise _Sent()

    client.meta.events.register("before-send.s3-control", stop)
    with pytest.raises(_Sent):
        client.get_public_access_block(AccountId=ACCOUNT)
    return urls[0]


def test_account_host_prefix_is_dropped_only_for_endpoints_outside_aws():
    assert sent_url(None).startswith(f"https://{ACCOUNT}.s3-control.us-east-1.amazonaws.com/")
    assert sent_url("http://127.0.0.1:5000").startswith("http://127.0.0.1:5000/v20180820/")
