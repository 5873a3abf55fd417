# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ec2_instance_snapshot against the moto server (CreateSnapshots and tags are emulated).

moto 5.2.5 ignores CreateSnapshots' CopyTagsFromSource (it copies no volume tags) and
ExcludeBootVolume, so those request parameters are checked with botocore's Stubber, which validates the request against
the real API model."""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import ec2_instance_snapshot


@pytest.fixture
def instance(aws):
    ec2 = aws.client("ec2")
    image = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-kernel-6.1-x86_64"]}])["Images"][0]["ImageId"]
    instance_id = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro")["Instances"][0]["InstanceId"]
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8, TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "Tier", "Value": "app"}]}])
    ec2.attach_volume(InstanceId=instance_id, VolumeId=volume["VolumeId"], Device="/dev/sdf")
    return instance_id


def snapshots_of(aws, instance_id):
    return aws.client("ec2").describe_snapshots(OwnerIds=["self"], Filters=[{"Name": "tag:hp:snapshot-of", "Values": [instance_id]}])["Snapshots"]


def test_takes_one_set_of_all_volumes(aws, instance):
    result = aws.run(ec2_instance_snapshot.main, {"instance_id": instance, "tags": {"Purpose": "test"}})

    assert result["changed"] is True
    live = snapshots_of(aws, instance)
    assert len(live) == 2, "root and data volume"
    assert {s["SnapshotId"] for s in live} == {s["snapshot_id"] for s in result["snapshots"]}
    for snapshot in live:
        tags = {t["Key"]: t["Value"] for t in snapshot["Tags"]}
        assert tags["hp:snapshot-set"] == result["snapshot_set"]
        assert tags["Purpose"] == "test"


@pytest.mark.parametrize("exclude_boot", [False, True])
def test_request_copies_volume_tags_and_honours_exclude_boot(stubbed, exclude_boot):
    ec2 = stubbed("ec2")
    ec2.add_response("describe_snapshots", {"Snapshots": []})
    ec2.add_response(
        "describe_instances",
        {
            "Reservations": [
                {
                    "Instances": [
                        {
                            "InstanceId": "i-0123456789abcdef0",
                            "RootDeviceName": "/dev/xvda",
                            "BlockDeviceMappings": [
                                {"DeviceName": "/dev/xvda", "Ebs": {"VolumeId": "vol-1"}},
                                {"DeviceName": "/dev/sdf", "Ebs": {"VolumeId": "vol-2"}},
                            ],
                        }
                    ]
                }
            ]
        },
    )
    ec2.add_response(
        "create_snapshots",
        {"Snapshots": [{"SnapshotId": "snap-1", "VolumeId": "vol-1", "State": "completed"}]},
        {
            "InstanceSpecification": {"InstanceId": "i-0123456789abcdef0", "ExcludeBootVolume": exclude_boot},
            "Description": "healthplatform.aws snapshot set",
            "CopyTagsFromSource": "volume",
            "TagSpecifications": stub_any(),
        },
    )
    ec2.add_response("describe_snapshots", {"Snapshots": [{"SnapshotId": "snap-1", "VolumeId": "vol-1", "State": "completed"}]})

    result = stubbed.run(ec2_instance_snapshot.main, {"instance_id": "i-0123456789abcdef0", "wait": False, "exclude_boot_volume": exclude_boot})

    assert result["snapshots"] == [{"snapshot_id": "snap-1", "volume_id": "vol-1", "state": "completed"}]
    stubbed.assert_all_used()


def stub_any():
    from botocore.stub import ANY

    return ANY


def test_retention_prunes_only_our_oldest_sets(aws, instance):
    ec2 = aws.client("ec2")
    foreign_volume = ec2.describe_volumes()["Volumes"][0]["VolumeId"]
    foreign = ec2.create_snapshot(
        VolumeId=foreign_volume, TagSpecifications=[{"ResourceType": "snapshot", "Tags": [{"Key": "hp:snapshot-of", "Value": instance}]}]
    )
    sets = [aws.run(ec2_instance_snapshot.main, {"instance_id": instance, "retain": 2})["snapshot_set"] for _round in range(3)]

    with aws.recording() as calls:
        check = aws.run(ec2_instance_snapshot.main, {"instance_id": instance, "state": "pruned", "retain": 1}, check_mode=True)
    assert aws.mutating(calls) == []
    assert [d["snapshot_set"] for d in check["deleted_sets"]] == [sets[1]]

    remaining = {t["Value"] for s in snapshots_of(aws, instance) for t in s["Tags"] if t["Key"] == "hp:snapshot-set"}
    assert remaining == {sets[1], sets[2]}, "the third run deleted the first set"
    assert foreign["SnapshotId"] in {s["SnapshotId"] for s in snapshots_of(aws, instance)}, "a snapshot the module did not make is kept"


def test_retention_counts_each_series_of_tags_on_its_own(aws, instance):
    """A patch window's sets (Purpose=patch-window) and a schedule's (Purpose=on-demand) keep their own retention."""
    patch = [aws.run(ec2_instance_snapshot.main, {"instance_id": instance, "retain": 1, "tags": {"Purpose": "patch-window"}}) for _round in range(2)]
    on_demand = [aws.run(ec2_instance_snapshot.main, {"instance_id": instance, "retain": 1, "tags": {"Purpose": "on-demand"}}) for _round in range(2)]

    assert [d["snapshot_set"] for d in patch[1]["deleted_sets"]] == [patch[0]["snapshot_set"]]
    assert [d["snapshot_set"] for d in on_demand[0]["deleted_sets"]] == [], "the first on-demand set pruned no patch-window set"
    assert [d["snapshot_set"] for d in on_demand[1]["deleted_sets"]] == [on_demand[0]["snapshot_set"]]
    remaining = {t["Value"] for s in snapshots_of(aws, instance) for t in s["Tags"] if t["Key"] == "hp:snapshot-set"}
    assert remaining == {patch[1]["snapshot_set"], on_demand[1]["snapshot_set"]}


def test_prune_without_new_set(aws, instance):
    for _round in range(2):
        aws.run(ec2_instance_snapshot.main, {"instance_id": instance})
    result = aws.run(ec2_instance_snapshot.main, {"instance_id": instance, "state": "pruned", "retain": 1})
    assert result["changed"] is True and result["snapshot_set"] == ""
    assert len(result["deleted_sets"]) == 1
    again = aws.run(ec2_instance_snapshot.main, {"instance_id": instance, "state": "pruned", "retain": 1})
    assert again["changed"] is False


def test_check_mode_takes_nothing(aws, instance):
    with aws.recording() as calls:
        result = aws.run(ec2_instance_snapshot.main, {"instance_id": instance}, check_mode=True)
    assert result["changed"] is True
    assert [s["state"] for s in result["snapshots"]] == ["planned", "planned"]
    assert snapshots_of(aws, instance) == []
    assert aws.mutating(calls) == []


@pytest.mark.parametrize(
    "args, option",
    [
        ({"retain": 0}, "retain"),
        ({"state": "pruned"}, "retain"),
        ({"instance_id": "vol-123"}, "instance_id"),
        ({"tags": {"hp:snapshot-set": "x"}}, "tags"),
    ],
)
def test_bad_input_fails_before_any_call(aws, instance, args, option):
    with aws.recording() as calls:
        result = aws.run(ec2_instance_snapshot.main, {"instance_id": instance, **args})
    assert result.failed
    assert option in result["msg"]
    assert calls == []
