# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/snapshots.yml through the lab inventory, against a throwaway moto server."""

from __future__ import annotations

import os

import boto3
import pytest
from awslab import MotoServer

from playbooks import run_playbook

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
TAGS = [
    {"Key": "Platform", "Value": "healthplatform"},
    {"Key": "Environment", "Value": "lab"},
    {"Key": "Role", "Value": "web"},
    {"Key": "PatchGroup", "Value": "web-debian12"},
]


@pytest.fixture(scope="module")
def lab():
    server = MotoServer().start()
    ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=server.endpoint, aws_access_key_id="testing", aws_secret_access_key="testing")
    image = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-kernel-6.1-x86_64"]}])["Images"][0]["ImageId"]
    web = ec2.run_instances(ImageId=image, MinCount=2, MaxCount=2, TagSpecifications=[{"ResourceType": "instance", "Tags": TAGS}])["Instances"]
    other = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, TagSpecifications=[{"ResourceType": "instance", "Tags": TAGS[:2]}])["Instances"]
    yield server, ec2, [i["InstanceId"] for i in web], other[0]["InstanceId"]
    server.stop()


def run(server, *args):
    return run_playbook(server.endpoint, "snapshots.yml", *args)


def sets_of(ec2, instance_id):
    snapshots = ec2.describe_snapshots(OwnerIds=["self"], Filters=[{"Name": "tag:hp:snapshot-of", "Values": [instance_id]}])["Snapshots"]
    return {t["Value"] for s in snapshots for t in s["Tags"] if t["Key"] == "hp:snapshot-set"}


def test_sets_per_tag_group_with_retention(lab):
    server, ec2, web, other = lab
    for _round in range(3):
        result = run(server, "-e", "snapshots_retain=2")
        assert result.rc == 0, result

    assert "SKIPPED (not done): the DLM snapshot schedule" in result.output
    for instance_id in web:
        assert len(sets_of(ec2, instance_id)) == 2, "three runs, two sets kept"
    assert sets_of(ec2, other) == set(), "instances outside the group are untouched"


def test_check_mode_takes_nothing(lab):
    server, ec2, web, _other = lab
    before = {i: sets_of(ec2, i) for i in web}
    result = run(server, "--check")
    assert result.rc == 0, result
    assert {i: sets_of(ec2, i) for i in web} == before
