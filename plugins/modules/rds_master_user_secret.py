#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: rds_master_user_secret
short_description: Let RDS generate, keep and rotate the master user password in Secrets Manager
version_added: 0.1.0
description:
  - Turns on C(ManageMasterUserPassword) for an RDS DB instance or an Aurora / Multi-AZ DB
    cluster (C(ModifyDBInstance) / C(ModifyDBCluster)). RDS then generates a new master
    password, stores it in a Secrets Manager secret it owns (encrypted with O(kms_key_id)) and
    rotates it; nobody, Ansible included, needs to know it.
  - The password the instance was created with stops working at that moment, so a bootstrap
    password given to M(amazon.aws.rds_instance) or M(amazon.aws.rds_cluster) at creation is
    worthless afterwards.
  - The secret's KMS key is set when management is turned on. RDS cannot change the key of a
    secret it already manages; a different O(kms_key_id) then fails the task with an
    explanation instead of changing anything.
  - With O(rotation_days), the schedule on which RDS rotates the password is set too
    (Secrets Manager C(RotateSecret) with rotation rules only; RDS-managed secrets need no
    rotation function). AWS starts with a 7-day schedule.
  - Turning management off needs a new password from the caller and is not done by this module.
  - Returns the secret's ARN, status and key, never a password.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  db_instance_identifier:
    description: The DB instance. Exactly one of O(db_instance_identifier) and O(db_cluster_identifier).
    type: str
    aliases: [instance_id]
  db_cluster_identifier:
    description: The DB cluster (Aurora, or a Multi-AZ DB cluster).
    type: str
    aliases: [cluster_id]
  kms_key_id:
    description:
      - KMS key (key ID, key ARN, alias name or alias ARN) that encrypts the secret.
      - Omitted, RDS uses the AWS managed key C(aws/secretsmanager); the key of an already managed secret is then not compared.
    type: str
  apply_immediately:
    description: Apply the change now rather than in the next maintenance window.
    type: bool
    default: true
  rotation_days:
    description:
      - Rotate the password every this many days (1 to 365). Not compared when omitted.
      - A change never rotates the password at once; the next rotation follows the schedule.
    type: int
  wait:
    description: Wait until the secret's status is C(active).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait at most.
    type: int
    default: 600
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff).
  - The secret's rotation can also be managed with M(healthplatform.aws.secretsmanager_rotation) (without a rotation function).
seealso:
  - module: healthplatform.aws.secretsmanager_rotation
  - module: amazon.aws.rds_instance
  - module: amazon.aws.rds_instance_info
"""

EXAMPLES = r"""
- name: RDS keeps the master password in Secrets Manager, encrypted with the secrets key (HP-06)
  healthplatform.aws.rds_master_user_secret:
    db_instance_identifier: healthplatform-production-db
    kms_key_id: "{{ kms_key_arns.secrets }}"
    rotation_days: 7
  register: master

- name: The same for an Aurora cluster
  healthplatform.aws.rds_master_user_secret:
    db_cluster_identifier: healthplatform-production-aurora
    kms_key_id: alias/healthplatform-production-secrets
"""

RETURN = r"""
master_user_secret:
  description: The master user secret as RDS describes it (in check mode, what it would be; no ARN before it exists).
  returned: always
  type: dict
  contains:
    secret_arn:
      description: ARN of the secret RDS owns.
      type: str
      sample: arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf
    secret_status:
      description: C(creating), C(active), C(rotating) or C(impaired).
      type: str
      sample: active
    kms_key_id:
      description: The KMS key of the secret.
      type: str
      sample: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
rotation:
  description: The rotation of the secret (C(DescribeSecret)) after the run, when O(rotation_days) is given.
  returned: when O(rotation_days) is given
  type: dict
  sample: {"enabled": true, "lambda_arn": null, "rules": {"AutomaticallyAfterDays": 7}}
db_instance_identifier:
  description: The DB instance (when O(db_instance_identifier) was given).
  returned: when O(db_instance_identifier) is given
  type: str
  sample: healthplatform-production-db
db_cluster_identifier:
  description: The DB cluster (when O(db_cluster_identifier) was given).
  returned: when O(db_cluster_identifier) is given
  type: str
  sample: healthplatform-production-aurora
"""

try:
    import botocore
    from botocore.waiter import WaiterModel
    from botocore.waiter import create_waiter_with_client
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client
from ansible_collections.healthplatform.aws.plugins.module_utils.kms_ref import KeyResolver
from ansible_collections.healthplatform.aws.plugins.module_utils.kms_ref import is_key_reference
from ansible_collections.healthplatform.aws.plugins.module_utils.secretsmanager import describe_secret
from ansible_collections.healthplatform.aws.plugins.module_utils.secretsmanager import rotation_of

WAIT_DELAY = 5


class Target:
    """The DB instance or cluster the module works on: how to read it and how to modify it."""

    def __init__(self, params):
        if params["db_instance_identifier"]:
            self.kind, self.identifier = "instance", params["db_instance_identifier"]
            self.describe_op, self.list_key, self.id_param, self.not_found = "DescribeDBInstances", "DBInstances", "DBInstanceIdentifier", "DBInstanceNotFound"
        else:
            self.kind, self.identifier = "cluster", params["db_cluster_identifier"]
            self.describe_op, self.list_key, self.id_param, self.not_found = "DescribeDBClusters", "DBClusters", "DBClusterIdentifier", "DBClusterNotFoundFault"

    def read(self, client):
        """The DB's MasterUserSecret ({} when unmanaged), or None when there is no such DB."""
        describe = client.describe_db_instances if self.kind == "instance" else client.describe_db_clusters
        try:
            found = describe(aws_retry=True, **{self.id_param: self.identifier})[self.list_key]
        except is_boto3_error_code(self.not_found):
            return None
        return (found[0].get("MasterUserSecret") or {}) if found else None

    def modify(self, client, request):
        modify = client.modify_db_instance if self.kind == "instance" else client.modify_db_cluster
        modify(aws_retry=True, **{self.id_param: self.identifier}, **request)

    def wait_active(self, client, timeout):
        config = {
            "version": 2,
            "waiters": {
                "MasterUserSecretActive": {
                    "operation": self.describe_op,
                    "delay": WAIT_DELAY,
                    "maxAttempts": max(1, timeout // max(WAIT_DELAY, 1)),
                    "acceptors": [
                        {"matcher": "pathAll", "argument": f"{self.list_key}[].MasterUserSecret.SecretStatus", "expected": "active", "state": "success"},
                        {"matcher": "pathAny", "argument": f"{self.list_key}[].MasterUserSecret.SecretStatus", "expected": "impaired", "state": "failure"},
                    ],
                }
            },
        }
        raw_client = getattr(client, "client", client)
        create_waiter_with_client("MasterUserSecretActive", WaiterModel(config), raw_client).wait(**{self.id_param: self.identifier})


def ensure_rotation(module, secret_arn, days):
    """Set the rotation schedule of the RDS-managed secret. Returns (changed, rotation after)."""
    client = retrying_client(module, "secretsmanager")
    current = rotation_of(describe_secret(client, secret_arn) or {})
    if current["enabled"] and current["rules"].get("AutomaticallyAfterDays") == days:
        return False, current
    after = {"enabled": True, "lambda_arn": current["lambda_arn"], "rules": dict(current["rules"], AutomaticallyAfterDays=days)}
    after["rules"].pop("ScheduleExpression", None)
    if not module.check_mode:
        client.rotate_secret(
            SecretId=secret_arn, ClientRequestToken=idempotency_token(), RotationRules={"AutomaticallyAfterDays": days}, RotateImmediately=False, aws_retry=True
        )
        after = rotation_of(describe_secret(client, secret_arn))
    return True, after


def main():
    argument_spec = dict(
        db_instance_identifier=dict(type="str", aliases=["instance_id"]),
        db_cluster_identifier=dict(type="str", aliases=["cluster_id"]),
        kms_key_id=dict(type="str"),
        rotation_days=dict(type="int"),
        apply_immediately=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=600),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        mutually_exclusive=[["db_instance_identifier", "db_cluster_identifier"]],
        required_one_of=[["db_instance_identifier", "db_cluster_identifier"]],
        supports_check_mode=True,
    )
    params = module.params
    if params["kms_key_id"] is not None and not is_key_reference(params["kms_key_id"]):
        module.fail_json(msg=f"kms_key_id must be a KMS key ID, key ARN, alias name (alias/...) or alias ARN, got {params['kms_key_id']!r}")
    if params["rotation_days"] is not None and not 1 <= params["rotation_days"] <= 365:
        module.fail_json(msg=f"rotation_days must be between 1 and 365, got {params['rotation_days']}")
    if params["wait_timeout"] < 1:
        module.fail_json(msg=f"wait_timeout must be at least 1 second, got {params['wait_timeout']}")

    target = Target(params)
    client = retrying_client(module, "rds")
    try:
        before = target.read(client)
        if before is None:
            module.fail_json(msg=f"db_{target.kind}_identifier: no DB {target.kind} {target.identifier!r} in region {module.region}")
        after = before
        changed = False
        if not before:
            changed = True
            after = {"SecretStatus": "creating", "KmsKeyId": params["kms_key_id"]} if params["kms_key_id"] else {"SecretStatus": "creating"}
            if not module.check_mode:
                request = {"ManageMasterUserPassword": True, "ApplyImmediately": params["apply_immediately"]}
                if params["kms_key_id"]:
                    request["MasterUserSecretKmsKeyId"] = params["kms_key_id"]
                target.modify(client, request)
                after = target.read(client)
        elif params["kms_key_id"] and not KeyResolver(module).same_key(before.get("KmsKeyId", ""), params["kms_key_id"]):
            module.fail_json(
                msg=(
                    f"kms_key_id: the master user secret of {target.identifier} is encrypted with {before.get('KmsKeyId')}, not "
                    f"{params['kms_key_id']}; RDS cannot change the key of a secret it manages (turn management off and on again to move it)"
                ),
                master_user_secret=camel_dict_to_snake_dict(before),
            )
        if params["wait"] and not module.check_mode and after.get("SecretStatus") != "active":
            target.wait_active(client, params["wait_timeout"])
            after = target.read(client)
        rotation = None
        if params["rotation_days"] is not None:
            if after.get("SecretArn"):
                rotation_changed, rotation = ensure_rotation(module, after["SecretArn"], params["rotation_days"])
                changed |= rotation_changed
            else:  # check mode before the secret exists
                rotation = {"enabled": True, "lambda_arn": None, "rules": {"AutomaticallyAfterDays": params["rotation_days"]}}
    except botocore.exceptions.WaiterError as e:
        module.fail_json_aws(e, msg=f"The master user secret of {target.identifier} did not become active")
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to manage the master user secret of DB {target.kind} {target.identifier}")

    result = {
        "changed": changed,
        "master_user_secret": camel_dict_to_snake_dict(after),
        "diff": diff_of(camel_dict_to_snake_dict(before), camel_dict_to_snake_dict(after)),
    }
    result[f"db_{target.kind}_identifier"] = target.identifier
    if rotation is not None:
        result["rotation"] = rotation
    module.exit_json(**result)


if __name__ == "__main__":
    main()
