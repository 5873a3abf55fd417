# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""No secret value appears in the output of the kms, identity and data tiers, even with -vvv.

The tiers converge with -vvv against a throwaway moto server, and kms and data run again
(-vvv), when secretsmanager_generated_secret reads the stored secret to compare it. Then the secrets are read back from the emulator
with boto3 - the RDS-managed master password, the application's database password and the
whole application secret, the provider portal's Cognito client secret - and the complete
output of both runs is searched for each value.

The data subnets come from a VPC made here with boto3, so the network tier does not have to run.
"""

from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="module")
def converged(lab):
    ec2 = lab.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.77.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.77.{i}.0/24", AvailabilityZone=f"us-east-1{az}")["Subnet"]["SubnetId"] for i, az in enumerate("ab")]
    variables = ["-vvv", "-e", json.dumps({"data_subnet_ids": subnets})]
    first_rc, first, _calls = lab.run("--tags", "kms,identity,data", *variables)
    assert first_rc == 0, first[-4000:]
    # The second run reads the stored application secret to compare it; identity's re-read of
    # the Cognito client is covered by the cognito_user_pools and cognito_user_pool_client tests.
    second_rc, second, _calls = lab.run("--tags", "kms,data", *variables)
    assert second_rc == 0, second[-4000:]
    return first + second


def secret_values(lab):
    """name -> secret value, read back from the emulator."""
    values = {}
    sm = lab.client("secretsmanager")
    rds = lab.client("rds")
    master_arn = rds.describe_db_instances(DBInstanceIdentifier="healthplatform-lab-db")["DBInstances"][0]["MasterUserSecret"]["SecretArn"]
    values["master password"] = json.loads(sm.get_secret_value(SecretId=master_arn)["SecretString"])["password"]
    app = sm.get_secret_value(SecretId="healthplatform-lab/app/database")["SecretString"]
    values["application secret (whole document)"] = app
    values["application password"] = json.loads(app)["password"]
    cognito = lab.client("cognito-idp")
    pool = next(p for p in cognito.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == "healthplatform-lab-providers")
    client = next(
        c for c in cognito.list_user_pool_clients(UserPoolId=pool["Id"])["UserPoolClients"] if c["ClientName"] == "healthplatform-lab-provider-portal"
    )
    values["provider portal client secret"] = cognito.describe_user_pool_client(UserPoolId=pool["Id"], ClientId=client["ClientId"])["UserPoolClient"][
        "ClientSecret"
    ]
    return values


def test_the_run_was_verbose_and_did_the_work(converged):
    assert "ESTABLISH LOCAL CONNECTION" in converged, "the runs must be -vvv"
    assert "rds_master_user_secret" in converged and "secretsmanager_generated_secret" in converged


@pytest.mark.parametrize("name", ["master password", "application secret (whole document)", "application password", "provider portal client secret"])
def test_no_secret_value_in_the_output(lab, converged, name):
    value = secret_values(lab)[name]
    # moto's RDS-managed master password is always the same 9 characters; AWS generates a long one
    assert len(value) >= 8, f"{name} is not a real secret value"
    assert value not in converged, f"the {name} appears in the output of the tiers"
