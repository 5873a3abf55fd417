# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The data tier with data_db_engine_mode=aurora: an Aurora PostgreSQL cluster with a writer and a
reader in a second availability zone, converged, run again without change and without any
mutating call, and read back (HP-06, HP-10, HP-24 for the cluster).

The platform scenario (molecule) covers the default, an RDS Multi-AZ DB instance. The data
subnets come from a VPC made here with boto3, so the network tier does not have to run.
"""

from __future__ import annotations

import json

import pytest

CLUSTER = "healthplatform-lab-db"


@pytest.fixture(scope="module")
def runs(lab):
    ec2 = lab.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.78.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.78.{i}.0/24", AvailabilityZone=f"us-east-1{az}")["Subnet"]["SubnetId"] for i, az in enumerate("ab")]
    args = ["--tags", "kms,data", "-e", json.dumps({"data_subnet_ids": subnets, "data_db_engine_mode": "aurora", "data_db_instance_class": "db.r6g.large"})]
    first = lab.run(*args)
    second = lab.run(*args)
    return first, second


def test_converges_then_runs_again_without_change(lab, runs):
    (rc1, out1, _calls1), (rc2, out2, calls2) = runs
    assert rc1 == 0, out1[-3000:]
    assert rc2 == 0, out2[-3000:]
    assert " changed=0 " in out2, out2[-1500:]
    assert lab.mutating(calls2) == []


def test_cluster_encrypted_with_iam_auth_tls_and_backups(lab, runs):
    rds = lab.client("rds")
    cluster = rds.describe_db_clusters(DBClusterIdentifier=CLUSTER)["DBClusters"][0]
    key = lab.client("kms").describe_key(KeyId="alias/healthplatform-lab-database")["KeyMetadata"]["Arn"]
    assert cluster["Engine"] == "aurora-postgresql"
    assert cluster["StorageEncrypted"] is True
    assert cluster["KmsKeyId"] == key
    assert cluster["IAMDatabaseAuthenticationEnabled"] is True
    assert cluster["BackupRetentionPeriod"] >= 7
    parameters = rds.describe_db_cluster_parameters(DBClusterParameterGroupName=cluster["DBClusterParameterGroup"])["Parameters"]
    assert {p["ParameterName"]: p["ParameterValue"] for p in parameters}.get("rds.force_ssl") == "1"


def test_writer_and_reader_in_two_availability_zones(lab, runs):
    instances = {i["DBInstanceIdentifier"]: i for i in lab.client("rds").describe_db_instances()["DBInstances"] if i.get("DBClusterIdentifier") == CLUSTER}
    assert set(instances) == {f"{CLUSTER}-writer", f"{CLUSTER}-reader"}
    assert instances[f"{CLUSTER}-writer"]["AvailabilityZone"] != instances[f"{CLUSTER}-reader"]["AvailabilityZone"]
    assert all(i["PubliclyAccessible"] is False for i in instances.values())


def test_master_password_kept_and_rotated_by_rds(lab, runs):
    cluster = lab.client("rds").describe_db_clusters(DBClusterIdentifier=CLUSTER)["DBClusters"][0]
    key = lab.client("kms").describe_key(KeyId="alias/healthplatform-lab-secrets")["KeyMetadata"]["Arn"]
    assert cluster["MasterUserSecret"]["KmsKeyId"] == key
    described = lab.client("secretsmanager").describe_secret(SecretId=cluster["MasterUserSecret"]["SecretArn"])
    assert described["RotationEnabled"] is True
    assert described["RotationRules"]["AutomaticallyAfterDays"] <= 30
