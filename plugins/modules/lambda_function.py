#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: lambda_function
short_description: Manage a Lambda function built from source files, with its configuration, network, key and tags
version_added: 0.1.0
description:
  - Creates, updates or deletes one AWS Lambda function (zip package) in one task - its code, built
    from the source files given in O(source), its configuration (runtime, handler, role, memory,
    timeout, environment), the subnets and security groups it runs in, the KMS key of its
    environment, its tracing mode and its tags.
  - The package is built the same way every time (fixed timestamps, order and permissions, stored
    uncompressed), so its SHA-256 is compared with the function's C(CodeSha256) and unchanged code
    is never uploaded again. Unlike M(amazon.aws.lambda) with C(kms_key_arn), an unchanged
    function is not updated.
  - Options that are not given are not compared. After a create or an update the module waits
    (botocore's Lambda waiters, not a fixed sleep) until the function is ready for the next change.
  - Bad input (a role that is not a role ARN, a KMS key that is not a key ARN, security groups
    without subnets, environment variable names Lambda refuses) fails before any API call, naming the option.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  name:
    description: Name of the function.
    type: str
    required: true
  state:
    description: Whether the function should exist.
    type: str
    choices: [present, absent]
    default: present
  source:
    description:
      - The function's files, path in the package to content (text); see the examples, which read the
        content with the C(ansible.builtin.file) lookup. Required to create the function.
    type: dict
  runtime:
    description: Runtime, for example C(python3.12). Required to create the function.
    type: str
  handler:
    description: Entry point, for example C(handler.handler). Required to create the function.
    type: str
  role_arn:
    description: ARN of the execution role. Required to create the function.
    type: str
  description:
    description: Description of the function. Not compared when omitted.
    type: str
  timeout:
    description: Seconds the function may run (1-900). Not compared when omitted.
    type: int
  memory_size:
    description: Memory in MB (128-10240). Not compared when omitted.
    type: int
  architecture:
    description: Instruction set. Not compared when omitted.
    type: str
    choices: [x86_64, arm64]
  environment:
    description:
      - Environment variables, name to value. Not compared when omitted; C({}) removes them all.
      - Never put secrets here (they are readable by anyone who may read the function's configuration);
        read them at run time from Secrets Manager.
    type: dict
  kms_key_arn:
    description:
      - ARN of the customer managed KMS key that encrypts the environment variables at rest.
      - An empty string means Lambda's AWS managed key. Not compared when omitted.
    type: str
  subnet_ids:
    description: Subnets the function runs in (its network interfaces). Not compared when omitted; C([]) takes it out of the VPC.
    type: list
    elements: str
  security_group_ids:
    description: Security groups of the function's network interfaces; required with O(subnet_ids).
    type: list
    elements: str
  tracing_mode:
    description: X-Ray tracing. Not compared when omitted.
    type: str
    choices: [Active, PassThrough]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - C(CreateFunction) takes no client token; a function's name is unique in the region, so a retried create finds the function.
  - For some seconds after its execution role was created, Lambda cannot assume it, and a KMS key
    whose policy was just written may not be usable yet; the module retries those answers a bounded
    number of times with backoff.
seealso:
  - module: healthplatform.aws.lambda_function_info
  - module: amazon.aws.lambda
"""

EXAMPLES = r"""
- name: Appointment scheduling function in the app subnets, environment encrypted with a customer key
  healthplatform.aws.lambda_function:
    name: healthplatform-prod-scheduling
    runtime: python3.12
    handler: handler.handler
    role_arn: "{{ scheduling_role.role.arn }}"
    source:
      handler.py: "{{ lookup('ansible.builtin.file', 'scheduling/handler.py') }}"
    timeout: 10
    memory_size: 256
    environment:
      NOTIFICATIONS_TOPIC_ARN: "{{ topics.topic_arns['healthplatform-prod-patient-notifications'] }}"
    kms_key_arn: "{{ kms_key_arns.notifications }}"
    subnet_ids: "{{ network_subnet_ids.app }}"
    security_group_ids: ["{{ scheduling_sg.group_id }}"]
    tracing_mode: Active
    tags:
      Environment: prod

- name: Remove it
  healthplatform.aws.lambda_function:
    name: healthplatform-prod-scheduling
    state: absent
"""

RETURN = r"""
function:
  description:
    - The function's configuration as C(GetFunction) describes it, with C(environment) (name to value)
      and C(tags); empty with O(state=absent). In check mode, what it would be.
  returned: always
  type: dict
  contains:
    function_name:
      description: Name of the function.
      type: str
      sample: healthplatform-prod-scheduling
    function_arn:
      description: ARN of the function (absent in check mode before creation).
      type: str
      sample: arn:aws:lambda:us-east-1:123456789012:function:healthplatform-prod-scheduling
    code_sha256:
      description: Base64 SHA-256 of the deployment package.
      type: str
      sample: JALssmt3zz7ydb2qoWrY70kEAnvreW4RFFFaUlSSiZY=
    kms_key_arn:
      description: The key of the environment (absent for the AWS managed key).
      type: str
      sample: arn:aws:kms:us-east-1:123456789012:key/0123abcd-12ab-34cd-56ef-1234567890ab
    vpc_config:
      description: Subnets and security groups.
      type: dict
      sample: {"subnet_ids": ["subnet-0123"], "security_group_ids": ["sg-0123"], "vpc_id": "vpc-0123"}
    environment:
      description: Environment variables.
      type: dict
      sample: {"NOTIFICATIONS_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:healthplatform-prod-patient-notifications"}
    tags:
      description: Tags of the function.
      type: dict
      sample: {"Environment": "prod"}
code_updated:
  description: Whether the code was (or in check mode would be) uploaded.
  returned: always
  type: bool
  sample: false
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import merged_tags
from ansible_collections.healthplatform.aws.plugins.module_utils.common import tag_changes
from ansible_collections.healthplatform.aws.plugins.module_utils.lambda_code import code_sha256
from ansible_collections.healthplatform.aws.plugins.module_utils.lambda_code import deployment_package
from ansible_collections.healthplatform.aws.plugins.module_utils.lambda_code import read_function
from ansible_collections.healthplatform.aws.plugins.module_utils.lambda_code import snake_function
from ansible_collections.healthplatform.aws.plugins.module_utils.propagation import propagating_client

FUNCTION_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")
KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$")
ENV_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# Lambda sets these itself; a function may not.
RESERVED_ENV = {
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
}
# Lambda's answers while a just-made role or key policy propagates (the code also means real bad input).
PROPAGATION_MESSAGES = {
    ("InvalidParameterValueException", "cannot be assumed by Lambda"): "RoleNotAssumableYet",
    ("InvalidParameterValueException", "unable to configure access to your environment variables"): "KeyNotUsableYet",
}


def validate(module):
    """Check what argument_spec cannot; fail, naming the option, before any API call."""
    p = module.params
    if not FUNCTION_NAME.match(p["name"]):
        module.fail_json(msg=f"name: {p['name']!r} is not a Lambda function name (1-64 letters, digits, - and _)")
    if p["state"] == "absent":
        return
    if p["role_arn"] and not ROLE_ARN.match(p["role_arn"]):
        module.fail_json(msg=f"role_arn must be an IAM role ARN, got {p['role_arn']!r}")
    if p["kms_key_arn"] and not KEY_ARN.match(p["kms_key_arn"]):
        module.fail_json(msg=f"kms_key_arn must be a KMS key ARN (or empty for the AWS managed key), got {p['kms_key_arn']!r}")
    if p["timeout"] is not None and not 1 <= p["timeout"] <= 900:
        module.fail_json(msg=f"timeout must be between 1 and 900 seconds, got {p['timeout']}")
    if p["memory_size"] is not None and not 128 <= p["memory_size"] <= 10240:
        module.fail_json(msg=f"memory_size must be between 128 and 10240 MB, got {p['memory_size']}")
    if (p["subnet_ids"] is None) != (p["security_group_ids"] is None) or (bool(p["subnet_ids"]) != bool(p["security_group_ids"])):
        module.fail_json(msg="subnet_ids and security_group_ids go together: give both (or both empty to leave the VPC)")
    for name in p["environment"] or {}:
        if not ENV_NAME.match(name):
            module.fail_json(msg=f"environment: {name!r} is not a variable name Lambda accepts (a letter, then letters, digits and _)")
        if name in RESERVED_ENV:
            module.fail_json(msg=f"environment: {name} is reserved by Lambda")
    for path in p["source"] or {}:
        if path.startswith("/") or ".." in path.split("/"):
            module.fail_json(msg=f"source: {path!r} must be a relative path inside the package")


def desired_configuration(params):
    """{UpdateFunctionConfiguration field: value} of the options that are given."""
    wanted = {}
    for option, field in (
        ("runtime", "Runtime"),
        ("handler", "Handler"),
        ("role_arn", "Role"),
        ("description", "Description"),
        ("timeout", "Timeout"),
        ("memory_size", "MemorySize"),
    ):
        if params[option] is not None:
            wanted[field] = params[option]
    if params["environment"] is not None:
        wanted["Environment"] = {"Variables": {k: str(v) for k, v in params["environment"].items()}}
    if params["kms_key_arn"] is not None:
        wanted["KMSKeyArn"] = params["kms_key_arn"]
    if params["subnet_ids"] is not None:
        wanted["VpcConfig"] = {"SubnetIds": list(params["subnet_ids"]), "SecurityGroupIds": list(params["security_group_ids"] or [])}
    if params["tracing_mode"] is not None:
        wanted["TracingConfig"] = {"Mode": params["tracing_mode"]}
    return wanted


def current_value(configuration, field):
    if field == "Environment":
        return {"Variables": dict((configuration.get("Environment") or {}).get("Variables") or {})}
    if field == "KMSKeyArn":
        return configuration.get("KMSKeyArn") or ""
    if field == "VpcConfig":
        vpc = configuration.get("VpcConfig") or {}
        return {"SubnetIds": vpc.get("SubnetIds") or [], "SecurityGroupIds": vpc.get("SecurityGroupIds") or []}
    if field == "TracingConfig":
        return {"Mode": (configuration.get("TracingConfig") or {}).get("Mode", "PassThrough")}
    if field == "Description":
        return configuration.get("Description") or ""
    return configuration.get(field)


def differs(field, current, wanted):
    if field == "VpcConfig":
        return sorted(current["SubnetIds"]) != sorted(wanted["SubnetIds"]) or sorted(current["SecurityGroupIds"]) != sorted(wanted["SecurityGroupIds"])
    return current != wanted


def wait(client, waiter, name):
    client.get_waiter(waiter).wait(FunctionName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 300})


def create(module, client, package, configuration):
    p = module.params
    request = {"FunctionName": p["name"], "Code": {"ZipFile": package}, "PackageType": "Zip", "Publish": False}
    request.update({k: v for k, v in configuration.items() if not (k == "KMSKeyArn" and not v)})
    if p["architecture"]:
        request["Architectures"] = [p["architecture"]]
    if p["tags"]:
        request["Tags"] = dict(p["tags"])
    client.create_function(aws_retry=True, **request)
    wait(client, "function_active_v2", p["name"])
    return read_function(client, p["name"])


def ensure_present(module, client, function):
    """Returns (changed, code_updated, after)."""
    p = module.params
    configuration = desired_configuration(p)
    package = deployment_package(p["source"]) if p["source"] is not None else None
    if function is None:
        missing = [o for o in ("source", "runtime", "handler", "role_arn") if not p[o]]
        if missing:
            module.fail_json(msg=f"{', '.join(missing)} required to create the function {p['name']}")
        planned = dict(configuration, FunctionName=p["name"], CodeSha256=code_sha256(package))
        if p["architecture"]:
            planned["Architectures"] = [p["architecture"]]
        if module.check_mode:
            return True, True, {"Configuration": planned, "Tags": dict(p["tags"] or {})}
        return True, True, create(module, client, package, configuration)

    current = function["Configuration"]
    after = {"Configuration": dict(current), "Tags": dict(function.get("Tags") or {})}
    changed = code_updated = False

    update = {field: value for field, value in configuration.items() if differs(field, current_value(current, field), value)}
    if update:
        changed = True
        if not module.check_mode:
            client.update_function_configuration(FunctionName=p["name"], aws_retry=True, **update)
            wait(client, "function_updated_v2", p["name"])
        after["Configuration"].update(update)

    architecture_differs = p["architecture"] is not None and (current.get("Architectures") or ["x86_64"])[0] != p["architecture"]
    if package is not None and (current.get("CodeSha256") != code_sha256(package) or architecture_differs):
        changed = code_updated = True
        if not module.check_mode:
            request = {"FunctionName": p["name"], "ZipFile": package, "Publish": False}
            if p["architecture"]:
                request["Architectures"] = [p["architecture"]]
            client.update_function_code(aws_retry=True, **request)
            wait(client, "function_updated_v2", p["name"])
        after["Configuration"]["CodeSha256"] = code_sha256(package)
    elif architecture_differs:
        module.fail_json(msg="architecture can only be changed together with the code: give source as well")

    if p["tags"] is not None:
        to_set, to_unset = tag_changes(after["Tags"], p["tags"], p["purge_tags"])
        if to_set or to_unset:
            changed = True
            if not module.check_mode:
                arn = current["FunctionArn"]
                if to_unset:
                    client.untag_resource(Resource=arn, TagKeys=list(to_unset), aws_retry=True)
                if to_set:
                    client.tag_resource(Resource=arn, Tags=to_set, aws_retry=True)
            after["Tags"] = merged_tags(after["Tags"], p["tags"], p["purge_tags"])

    if changed and not module.check_mode:
        fresh = read_function(client, p["name"])
        after = {"Configuration": fresh["Configuration"], "Tags": after["Tags"]}
    return changed, code_updated, after


def diff_view(function):
    if not function:
        return {}
    view = snake_function(function)
    keep = (
        "runtime",
        "handler",
        "role",
        "description",
        "timeout",
        "memory_size",
        "architectures",
        "kms_key_arn",
        "vpc_config",
        "tracing_config",
        "code_sha256",
        "environment",
        "tags",
    )
    return {k: view[k] for k in keep if k in view}


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        source=dict(type="dict"),
        runtime=dict(type="str"),
        handler=dict(type="str"),
        role_arn=dict(type="str"),
        description=dict(type="str"),
        timeout=dict(type="int"),
        memory_size=dict(type="int"),
        architecture=dict(type="str", choices=["x86_64", "arm64"]),
        environment=dict(type="dict"),
        kms_key_arn=dict(type="str", no_log=False),
        subnet_ids=dict(type="list", elements="str"),
        security_group_ids=dict(type="list", elements="str"),
        tracing_mode=dict(type="str", choices=["Active", "PassThrough"]),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    client = propagating_client(module, "lambda", extra_codes=["ResourceConflictException"], message_codes=PROPAGATION_MESSAGES)
    try:
        function = read_function(client, module.params["name"])
        if module.params["state"] == "absent":
            changed = function is not None
            if changed and not module.check_mode:
                client.delete_function(FunctionName=module.params["name"], aws_retry=True)
            module.exit_json(changed=changed, code_updated=False, function={}, diff=diff_of(diff_view(function), {}))
        changed, code_updated, after = ensure_present(module, client, function)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, botocore.exceptions.WaiterError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the Lambda function {module.params['name']}")

    module.exit_json(changed=changed, code_updated=code_updated, function=snake_function(after), diff=diff_of(diff_view(function), diff_view(after)))


if __name__ == "__main__":
    main()
