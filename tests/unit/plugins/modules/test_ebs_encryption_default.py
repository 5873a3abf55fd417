# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ebs_encryption_default and ebs_encryption_default_info.

Against the moto server: turning encryption by default on and off
(Get/Enable/DisableEbsEncryptionByDefault work in moto 5.2.5), the no-op,
check mode and bad input. The module reads the default key only when
`kms_key_id` is given, so these paths make no key call.

With the botocore Stubber: everything about the default key. moto 5.2.5 answers
EC2 GetEbsDefaultKmsKeyId and ResetEbsDefaultKmsKeyId with an HTML error page
(unparsable XML). The Stubber validates every request against the real botocore
model and fails on any call not queued; EC2 and KMS calls are queued on their
own stubbed clients in the order the module makes them.
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import ebs_encryption_default
from ansible_collections.healthplatform.aws.plugins.modules import ebs_encryption_default_info

ACCOUNT = "123456789012"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{KEY_ID}"
OTHER_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0000abcd-12ab-34cd-56ef-1234567890ab"
ALIAS = "alias/healthplatform-ebs"
ALIAS_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:{ALIAS}"


def encrypted(aws):
    return aws.client("ec2").get_ebs_encryption_by_default()["EbsEncryptionByDefault"]


def operations(calls):
    return [c["operation"] for c in calls]


def test_enable(aws):
    with aws.recording() as calls:
        result = aws.run(ebs_encryption_default.main, {"enabled": True}, diff=True)

    assert result["changed"] is True
    assert encrypted(aws) is True
    assert result["ebs_encryption_by_default"] is True
    assert "kms_key_id" not in result
    assert aws.mutating(calls) == ["ec2:EnableEbsEncryptionByDefault"]
    assert "GetEbsDefaultKmsKeyId" not in operations(calls), "the key is not read when kms_key_id is omitted"
    assert result["diff"] == {"before": {"ebs_encryption_by_default": False}, "after": {"ebs_encryption_by_default": True}}


def test_no_change_makes_no_mutating_call(aws):
    aws.run(ebs_encryption_default.main, {})
    with aws.recording() as calls:
        result = aws.run(ebs_encryption_default.main, {"enabled": True})

    assert result["changed"] is False
    assert operations(calls) == ["GetEbsEncryptionByDefault"]
    assert aws.mutating(calls) == []


def test_disable_and_disable_again(aws):
    aws.run(ebs_encryption_default.main, {})
    result = aws.run(ebs_encryption_default.main, {"enabled": False})

    assert result["changed"] is True
    assert result["ebs_encryption_by_default"] is False
    assert encrypted(aws) is False
    assert aws.run(ebs_encryption_default.main, {"enabled": False})["changed"] is False


def test_check_mode_changes_nothing(aws):
    with aws.recording() as calls:
        enable = aws.run(ebs_encryption_default.main, {"enabled": True}, check_mode=True)
    assert enable["changed"] is True
    assert enable["ebs_encryption_by_default"] is True
    assert aws.mutating(calls) == []
    assert encrypted(aws) is False

    aws.run(ebs_encryption_default.main, {})
    with aws.recording() as calls:
        disable = aws.run(ebs_encryption_default.main, {"enabled": False}, check_mode=True)
    assert disable["changed"] is True
    assert aws.mutating(calls) == []
    assert encrypted(aws) is True


@pytest.mark.parametrize(
    "args, option",
    [
        ({"kms_key_id": "my-ebs-key"}, "kms_key_id"),
        ({"kms_key_id": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/not-a-uuid"}, "kms_key_id"),
        ({"kms_key_id": "arn:aws:s3:::a-bucket"}, "kms_key_id"),
        ({"kms_key_id": "alias/aws/ebs"}, "kms_key_id"),
        ({"kms_key_id": f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/aws/ebs"}, "kms_key_id"),
        ({"enabled": "sometimes"}, "enabled"),
    ],
)
def test_bad_input_fails_before_any_call(aws, args, option):
    with aws.recording() as calls:
        result = aws.run(ebs_encryption_default.main, args)

    assert result.failed
    assert option in result["msg"]
    assert calls == [], "validation must happen before any API call"
    assert encrypted(aws) is False


# --- Stubber: the default key (moto cannot answer GetEbsDefaultKmsKeyId / ResetEbsDefaultKmsKeyId) ---


def key_metadata(arn=KEY_ARN, state="Enabled", spec="SYMMETRIC_DEFAULT"):
    return {
        "KeyMetadata": {
            "KeyId": arn.rsplit("/", 1)[1],
            "Arn": arn,
            "KeyState": state,
            "Enabled": state == "Enabled",
            "KeyUsage": "ENCRYPT_DECRYPT",
            "KeySpec": spec,
        }
    }


def queue_reads(stubbed, encryption, key):
    ec2 = stubbed("ec2")
    ec2.add_response("get_ebs_encryption_by_default", {"EbsEncryptionByDefault": encryption}, {})
    ec2.add_response("get_ebs_default_kms_key_id", {"KmsKeyId": key}, {})
    return ec2


def test_set_key_then_enable_stubbed(stubbed):
    ec2 = queue_reads(stubbed, False, "alias/aws/ebs")
    stubbed("kms").add_response("describe_key", key_metadata(), {"KeyId": KEY_ARN})
    ec2.add_response("modify_ebs_default_kms_key_id", {"KmsKeyId": KEY_ARN}, {"KmsKeyId": KEY_ARN})
    ec2.add_response("enable_ebs_encryption_by_default", {"EbsEncryptionByDefault": True}, {})

    result = stubbed.run(ebs_encryption_default.main, {"enabled": True, "kms_key_id": KEY_ARN}, diff=True)

    assert result["changed"] is True, result
    assert result["ebs_encryption_by_default"] is True
    assert result["kms_key_id"] == KEY_ARN
    assert result["diff"]["before"] == {"ebs_encryption_by_default": False, "kms_key_id": "alias/aws/ebs"}
    stubbed.assert_all_used()


@pytest.mark.parametrize("wanted", [KEY_ARN, KEY_ID])
def test_same_key_by_form_needs_no_kms_call_stubbed(stubbed, wanted):
    queue_reads(stubbed, True, KEY_ARN)
    stubbed("kms")  # a KMS call would fail: nothing is queued

    result = stubbed.run(ebs_encryption_default.main, {"kms_key_id": wanted})

    assert result["changed"] is False, result
    assert result["kms_key_id"] == KEY_ARN
    stubbed.assert_all_used()


@pytest.mark.parametrize("wanted", [ALIAS, ALIAS_ARN])
def test_alias_of_the_current_key_is_no_change_stubbed(stubbed, wanted):
    # AWS stores a key given by alias as the key's ARN: the alias is resolved to compare
    queue_reads(stubbed, True, KEY_ARN)
    stubbed("kms").add_response("describe_key", key_metadata(), {"KeyId": wanted})

    result = stubbed.run(ebs_encryption_default.main, {"kms_key_id": wanted})

    assert result["changed"] is False, result
    stubbed.assert_all_used()


def test_alias_of_another_key_changes_stubbed(stubbed):
    ec2 = queue_reads(stubbed, True, OTHER_ARN)
    stubbed("kms").add_response("describe_key", key_metadata(), {"KeyId": ALIAS})
    ec2.add_response("modify_ebs_default_kms_key_id", {"KmsKeyId": KEY_ARN}, {"KmsKeyId": ALIAS})

    result = stubbed.run(ebs_encryption_default.main, {"kms_key_id": ALIAS}, diff=True)

    assert result["changed"] is True, result
    assert result["kms_key_id"] == KEY_ARN
    assert result["diff"]["before"]["kms_key_id"] == OTHER_ARN
    stubbed.assert_all_used()


def test_reset_to_aws_managed_key_stubbed(stubbed):
    ec2 = queue_reads(stubbed, True, KEY_ARN)
    ec2.add_response("reset_ebs_default_kms_key_id", {"KmsKeyId": "alias/aws/ebs"}, {})

    result = stubbed.run(ebs_encryption_default.main, {"kms_key_id": ""})

    assert result["changed"] is True, result
    assert result["kms_key_id"] == "alias/aws/ebs"
    stubbed.assert_all_used()


def test_aws_managed_key_no_change_stubbed(stubbed):
    queue_reads(stubbed, True, "alias/aws/ebs")

    result = stubbed.run(ebs_encryption_default.main, {"kms_key_id": ""})

    assert result["changed"] is False, result
    stubbed.assert_all_used()


def test_check_mode_key_change_only_reads_stubbed(stubbed):
    queue_reads(stubbed, False, "alias/aws/ebs")
    stubbed("kms").add_response("describe_key", key_metadata(), {"KeyId": ALIAS})

    result = stubbed.run(ebs_encryption_default.main, {"kms_key_id": ALIAS}, check_mode=True)

    assert result["changed"] is True, result
    assert result["kms_key_id"] == KEY_ARN
    assert result["ebs_encryption_by_default"] is True
    stubbed.assert_all_used()  # and any mutating call would have failed: none was queued


@pytest.mark.parametrize(
    "metadata, words",
    [
        (key_metadata(state="PendingDeletion"), "PendingDeletion"),
        (key_metadata(spec="RSA_2048"), "RSA_2048"),
    ],
)
def test_unusable_key_fails_before_modify_stubbed(stubbed, metadata, words):
    queue_reads(stubbed, True, "alias/aws/ebs")
    stubbed("kms").add_response("describe_key", metadata, {"KeyId": KEY_ARN})

    result = stubbed.run(ebs_encryption_default.main, {"kms_key_id": KEY_ARN})

    assert result.failed
    assert "kms_key_id" in result["msg"] and words in result["msg"]
    stubbed.assert_all_used()


def test_missing_key_fails_before_modify_stubbed(stubbed):
    queue_reads(stubbed, True, "alias/aws/ebs")
    stubbed("kms").add_client_error("describe_key", service_error_code="NotFoundException", service_message="Alias not found", http_status_code=400)

    result = stubbed.run(ebs_encryption_default.main, {"kms_key_id": ALIAS})

    assert result.failed
    assert "kms_key_id" in result["msg"] and ALIAS in result["msg"]
    stubbed.assert_all_used()


def test_info_stubbed(stubbed):
    queue_reads(stubbed, True, KEY_ARN)

    result = stubbed.run(ebs_encryption_default_info.main, {})

    assert result["changed"] is False
    assert result["ebs_encryption_by_default"] is True
    assert result["kms_key_id"] == KEY_ARN
    stubbed.assert_all_used()
