# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""lambda_function and lambda_function_info.

Against the moto server: create (zip package built by the module, VPC, KMS key, environment,
tracing, tags), the no-op, configuration, code and tag updates, delete, check mode and bad input.
moto 5.2.5 implements CreateFunction, GetFunction, UpdateFunctionConfiguration/Code, the tag calls
and DeleteFunction (functions are not run: there is no Docker here).

With the botocore Stubber: the answer Lambda gives while a just-made execution role cannot be
assumed yet (moto never gives it), which the module retries; and changing or removing the KMS key
of an existing function (moto 5.2.5 ignores KMSKeyArn in UpdateFunctionConfiguration). The
Stubber validates every request against the real botocore model and fails on any call that was
not queued.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from ansible_collections.healthplatform.aws.plugins.module_utils.lambda_code import code_sha256
from ansible_collections.healthplatform.aws.plugins.module_utils.lambda_code import deployment_package
from ansible_collections.healthplatform.aws.plugins.modules import lambda_function
from ansible_collections.healthplatform.aws.plugins.modules import lambda_function_info

ACCOUNT = "123456789012"
HANDLER = "def handler(event, context):\n    return {'ok': True}\n"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


@pytest.fixture
def env(aws):
    role = aws.client("iam").create_role(RoleName="hp-test-scheduling", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.60.{i}.0/24")["Subnet"]["SubnetId"] for i in (1, 2)]
    group = ec2.create_security_group(GroupName="hp-test-scheduling", Description="scheduling", VpcId=vpc)["GroupId"]
    key = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    return {"role": role, "subnets": subnets, "group": group, "key": key}


def args(env, **extra):
    result = {
        "name": "hp-test-scheduling",
        "runtime": "python3.12",
        "handler": "handler.handler",
        "role_arn": env["role"],
        "source": {"handler.py": HANDLER},
        "description": "Appointment scheduling",
        "timeout": 10,
        "memory_size": 256,
        "environment": {"NOTIFICATIONS_TOPIC_ARN": f"arn:aws:sns:us-east-1:{ACCOUNT}:hp-test-patient-notifications"},
        "kms_key_arn": env["key"],
        "subnet_ids": env["subnets"],
        "security_group_ids": [env["group"]],
        "tracing_mode": "Active",
        "tags": {"Environment": "test"},
    }
    result.update(extra)
    return result


def live(aws):
    return aws.client("lambda").get_function(FunctionName="hp-test-scheduling")


def test_package_is_the_same_every_time():
    first = deployment_package({"handler.py": HANDLER, "lib/util.py": "X = 1\n"})
    second = deployment_package({"lib/util.py": "X = 1\n", "handler.py": HANDLER})
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert package.namelist() == ["handler.py", "lib/util.py"]
        assert package.read("handler.py").decode() == HANDLER
        assert package.getinfo("handler.py").external_attr >> 16 == 0o100644
    assert deployment_package({"handler.py": HANDLER + "\n"}) != first


def test_create(aws, env):
    result = aws.run(lambda_function.main, args(env), diff=True)

    assert result["changed"] is True and result["code_updated"] is True
    function = live(aws)
    configuration = function["Configuration"]
    assert configuration["Runtime"] == "python3.12"
    assert configuration["Role"] == env["role"]
    assert configuration["KMSKeyArn"] == env["key"]
    assert sorted(configuration["VpcConfig"]["SubnetIds"]) == sorted(env["subnets"])
    assert configuration["VpcConfig"]["SecurityGroupIds"] == [env["group"]]
    assert configuration["Environment"]["Variables"] == {"NOTIFICATIONS_TOPIC_ARN": f"arn:aws:sns:us-east-1:{ACCOUNT}:hp-test-patient-notifications"}
    assert configuration["TracingConfig"] == {"Mode": "Active"}
    assert configuration["CodeSha256"] == code_sha256(deployment_package({"handler.py": HANDLER}))
    assert function["Tags"] == {"Environment": "test"}
    assert result["function"]["function_arn"] == configuration["FunctionArn"]
    assert result["function"]["environment"] == configuration["Environment"]["Variables"]
    assert result["diff"]["before"] == {}


def test_no_change_makes_no_mutating_call(aws, env):
    aws.run(lambda_function.main, args(env))
    with aws.recording() as calls:
        result = aws.run(lambda_function.main, args(env))
        checked = aws.run(lambda_function.main, args(env), check_mode=True)
    assert result["changed"] is False
    assert result["code_updated"] is False
    assert checked["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_update_configuration_code_and_tags(aws, env):
    aws.run(lambda_function.main, args(env))
    changed = args(env, timeout=20, environment={"LOG_LEVEL": "INFO"}, source={"handler.py": HANDLER + "# v2\n"}, tags={"Environment": "test", "Owner": "ops"})
    with aws.recording() as calls:
        result = aws.run(lambda_function.main, changed, diff=True)

    assert result["changed"] is True and result["code_updated"] is True
    assert sorted(set(aws.mutating(calls))) == ["lambda:TagResource", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"]
    configuration = live(aws)["Configuration"]
    assert configuration["Timeout"] == 20
    assert configuration["Environment"]["Variables"] == {"LOG_LEVEL": "INFO"}
    assert configuration["CodeSha256"] == code_sha256(deployment_package({"handler.py": HANDLER + "# v2\n"}))
    assert live(aws)["Tags"] == {"Environment": "test", "Owner": "ops"}
    assert result["diff"]["before"]["timeout"] == 10
    assert result["diff"]["after"]["timeout"] == 20
    assert aws.run(lambda_function.main, changed)["changed"] is False


def test_leave_the_vpc(aws, env):
    aws.run(lambda_function.main, args(env))
    result = aws.run(lambda_function.main, args(env, subnet_ids=[], security_group_ids=[]))
    assert result["changed"] is True
    assert not (live(aws)["Configuration"].get("VpcConfig") or {}).get("SubnetIds")


def test_options_not_given_are_not_compared(aws, env):
    aws.run(lambda_function.main, args(env))
    with aws.recording() as calls:
        result = aws.run(lambda_function.main, {"name": "hp-test-scheduling"})
    assert result["changed"] is False
    assert aws.mutating(calls) == []


def test_check_mode_changes_nothing(aws, env):
    with aws.recording() as calls:
        created = aws.run(lambda_function.main, args(env), check_mode=True)
    assert created["changed"] is True
    assert created["function"]["timeout"] == 10
    assert aws.mutating(calls) == []
    assert aws.client("lambda").list_functions()["Functions"] == []

    aws.run(lambda_function.main, args(env))
    with aws.recording() as calls:
        updated = aws.run(lambda_function.main, args(env, memory_size=512, source={"handler.py": "pass\n"}), check_mode=True)
        deleted = aws.run(lambda_function.main, {"name": "hp-test-scheduling", "state": "absent"}, check_mode=True)
    assert updated["changed"] is True and updated["code_updated"] is True
    assert updated["function"]["memory_size"] == 512
    assert deleted["changed"] is True
    assert aws.mutating(calls) == []
    assert live(aws)["Configuration"]["MemorySize"] == 256


def test_delete_and_delete_again(aws, env):
    aws.run(lambda_function.main, args(env))
    assert aws.run(lambda_function.main, {"name": "hp-test-scheduling", "state": "absent"})["changed"] is True
    assert aws.client("lambda").list_functions()["Functions"] == []
    assert aws.run(lambda_function.main, {"name": "hp-test-scheduling", "state": "absent"})["changed"] is False


def test_create_needs_code_runtime_handler_and_role(aws, env):
    result = aws.run(lambda_function.main, {"name": "hp-test-scheduling", "runtime": "python3.12"})
    assert result.failed
    assert "source, handler, role_arn required" in result["msg"]


def test_role_not_assumable_yet_is_retried_stubbed(stubbed):
    client = stubbed("lambda")
    client.add_client_error("get_function", "ResourceNotFoundException", "Function not found", expected_params={"FunctionName": "hp-test-scheduling"})
    client.add_client_error("create_function", "InvalidParameterValueException", "The role defined for the function cannot be assumed by Lambda.")
    configuration = {"FunctionName": "hp-test-scheduling", "FunctionArn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:hp-test-scheduling", "State": "Active"}
    client.add_response("create_function", configuration)
    client.add_response("get_function", {"Configuration": configuration})  # the waiter
    client.add_response("get_function", {"Configuration": configuration, "Tags": {}})

    role = f"arn:aws:iam::{ACCOUNT}:role/hp-test-scheduling"
    result = stubbed.run(
        lambda_function.main,
        {"name": "hp-test-scheduling", "runtime": "python3.12", "handler": "handler.handler", "role_arn": role, "source": {"handler.py": HANDLER}},
    )

    assert result["changed"] is True, result
    stubbed.assert_all_used()


def test_change_and_remove_the_key_stubbed(stubbed):
    """moto 5.2.5 ignores KMSKeyArn in UpdateFunctionConfiguration, so this path runs against the Stubber."""
    arn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:hp-test-scheduling"
    old_key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/aaaaaaaa-1111-2222-3333-444444444444"
    new_key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/bbbbbbbb-1111-2222-3333-444444444444"
    configuration = {"FunctionName": "hp-test-scheduling", "FunctionArn": arn, "State": "Active", "LastUpdateStatus": "Successful", "KMSKeyArn": old_key}
    client = stubbed("lambda")
    client.add_response("get_function", {"Configuration": configuration, "Tags": {}})
    client.add_response("update_function_configuration", {}, {"FunctionName": "hp-test-scheduling", "KMSKeyArn": new_key})
    client.add_response("get_function", {"Configuration": dict(configuration, KMSKeyArn=new_key)})  # the waiter
    client.add_response("get_function", {"Configuration": dict(configuration, KMSKeyArn=new_key), "Tags": {}})
    client.add_response("get_function", {"Configuration": dict(configuration, KMSKeyArn=new_key), "Tags": {}})
    client.add_response("update_function_configuration", {}, {"FunctionName": "hp-test-scheduling", "KMSKeyArn": ""})
    no_key = {k: v for k, v in configuration.items() if k != "KMSKeyArn"}
    client.add_response("get_function", {"Configuration": no_key})  # the waiter
    client.add_response("get_function", {"Configuration": no_key, "Tags": {}})

    changed = stubbed.run(lambda_function.main, {"name": "hp-test-scheduling", "kms_key_arn": new_key}, diff=True)
    removed = stubbed.run(lambda_function.main, {"name": "hp-test-scheduling", "kms_key_arn": ""})

    assert changed["changed"] is True, changed
    assert changed["function"]["kms_key_arn"] == new_key
    assert changed["diff"]["before"]["kms_key_arn"] == old_key
    assert removed["changed"] is True, removed
    assert "kms_key_arn" not in removed["function"]
    stubbed.assert_all_used()


def test_real_bad_parameter_is_not_retried_stubbed(stubbed):
    client = stubbed("lambda")
    client.add_client_error("get_function", "ResourceNotFoundException", "Function not found")
    client.add_client_error("create_function", "InvalidParameterValueException", "The runtime parameter of python2.7 is no longer supported.")

    role = f"arn:aws:iam::{ACCOUNT}:role/hp-test-scheduling"
    result = stubbed.run(
        lambda_function.main, {"name": "hp-test-scheduling", "runtime": "python2.7", "handler": "h.h", "role_arn": role, "source": {"h.py": ""}}
    )

    assert result.failed
    assert "no longer supported" in result["msg"]
    stubbed.assert_all_used()


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"name": "bad name"}, "name"),
        ({"role_arn": "hp-test-scheduling"}, "role_arn"),
        ({"kms_key_arn": "alias/hp-notifications"}, "kms_key_arn"),
        ({"timeout": 901}, "timeout"),
        ({"memory_size": 64}, "memory_size"),
        ({"security_group_ids": None}, "security_group_ids"),
        ({"environment": {"1BAD": "x"}}, "environment"),
        ({"environment": {"AWS_REGION": "x"}}, "environment"),
        ({"source": {"../handler.py": HANDLER}}, "source"),
        ({"tracing_mode": "On"}, "tracing_mode"),
    ],
)
def test_bad_input_fails_before_any_call(aws, extra, option):
    env = {"role": f"arn:aws:iam::{ACCOUNT}:role/r", "subnets": ["subnet-1"], "group": "sg-1", "key": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k"}
    with aws.recording() as calls:
        result = aws.run(lambda_function.main, args(env, **extra))
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info(aws, env):
    aws.run(lambda_function.main, args(env))
    result = aws.run(lambda_function_info.main, {"names": ["hp-test-scheduling", "missing"]})
    (function,) = result["functions"]
    assert function["kms_key_arn"] == env["key"]
    assert function["tags"] == {"Environment": "test"}
    assert function["environment"] == {"NOTIFICATIONS_TOPIC_ARN": f"arn:aws:sns:us-east-1:{ACCOUNT}:hp-test-patient-notifications"}
