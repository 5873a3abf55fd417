#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ec2_instance_snapshot
short_description: Take a crash-consistent snapshot set of all volumes of an instance, and prune older sets
version_added: 0.1.0
description:
  - Takes one crash-consistent, multi-volume snapshot set of an EC2 instance with
    C(CreateSnapshots) (all volumes at the same point in time), tags every snapshot
    with the set it belongs to, and optionally waits until the snapshots complete.
  - With O(retain), deletes the oldest snapshot sets of the same instance that this
    module made (recognised by their C(hp:snapshot-set) tag) and that carry the same
    O(tags), keeping the O(retain) most recent ones. Sets taken with other tags (for
    example another C(Purpose)) are a series of their own with their own retention;
    snapshots made by anything else are never touched.
  - An action, not a state. Every run with O(state=present) takes a new set and
    reports C(changed). In check mode it reports the set it would take and the sets
    it would delete, and changes nothing.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  instance_id:
    description: The instance whose volumes are snapshotted.
    type: str
    required: true
  state:
    description:
      - V(present) takes a new set (then prunes when O(retain) is set).
      - V(pruned) only prunes older sets, taking none.
    type: str
    choices: [present, pruned]
    default: present
  description:
    description: Description of every snapshot of the set.
    type: str
    default: healthplatform.aws snapshot set
  exclude_boot_volume:
    description: Leave out the root volume.
    type: bool
    default: false
  copy_tags_from_source:
    description: Copy the volumes' tags to their snapshots.
    type: bool
    default: true
  tags:
    description:
      - Extra tags for every snapshot of the set.
      - They also name the series O(retain) counts in, for example C(Purpose=patch-window)
        next to C(Purpose=on-demand).
    type: dict
    default: {}
  retain:
    description:
      - Keep this many sets of this instance made by this module with the same O(tags) (the new one included)
        and delete older ones.
      - Not set means never delete.
    type: int
  wait:
    description: Wait until every snapshot of the new set has completed.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for completion.
    type: int
    default: 1800
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports check mode. Wait uses the EC2 C(snapshot_completed) waiter, not fixed sleeps.
"""

EXAMPLES = r"""
- name: Snapshot every volume of the host before patching it, keep the last 3 sets
  healthplatform.aws.ec2_instance_snapshot:
    instance_id: "{{ inventory_hostname }}"
    description: "before patch window {{ patch_window_id }}"
    tags:
      Purpose: patch-window
    retain: 3
  delegate_to: localhost
  register: snapshot_set

- name: Only prune old sets
  healthplatform.aws.ec2_instance_snapshot:
    instance_id: i-0123456789abcdef0
    state: pruned
    retain: 7
"""

RETURN = r"""
snapshot_set:
  description: ID of the set taken (the value of its C(hp:snapshot-set) tag); empty when none was taken.
  returned: always
  type: str
  sample: 2f1c0e9a-6a55-4c1e-9a43-7f1b2d7c9a10
snapshots:
  description: The snapshots of the new set.
  returned: always
  type: list
  elements: dict
  contains:
    snapshot_id:
      description: Snapshot ID (absent in check mode).
      type: str
    volume_id:
      description: The volume it copies.
      type: str
    state:
      description: Snapshot state.
      type: str
      sample: completed
deleted_sets:
  description: Sets deleted (or, in check mode, to be deleted) by pruning, oldest first.
  returned: always
  type: list
  elements: dict
  contains:
    snapshot_set:
      description: Set ID.
      type: str
    snapshot_ids:
      description: Its snapshots.
      type: list
      elements: str
"""

import datetime

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.healthplatform.aws.plugins.module_utils.common import idempotency_token
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client

SET_TAG = "hp:snapshot-set"
OF_TAG = "hp:snapshot-of"
BY_TAG = "hp:created-by"
TAKEN_TAG = "hp:snapshot-taken"  # UTC time with microseconds: orders sets even when StartTime ties
CREATOR = "healthplatform.aws.ec2_instance_snapshot"


def existing_sets(client, instance_id, series_tags):
    """This module's sets of the instance with the series' tags, oldest first: [(set_id, start_time, [snapshot ids])]."""
    paginator = client.get_paginator("describe_snapshots")
    filters = [{"Name": f"tag:{OF_TAG}", "Values": [instance_id]}, {"Name": f"tag:{BY_TAG}", "Values": [CREATOR]}]
    filters.extend({"Name": f"tag:{key}", "Values": [str(value)]} for key, value in sorted(series_tags.items()))
    sets = {}
    for page in paginator.paginate(OwnerIds=["self"], Filters=filters):
        for snapshot in page["Snapshots"]:
            tags = {t["Key"]: t["Value"] for t in snapshot.get("Tags", [])}
            set_id = tags.get(SET_TAG)
            if not set_id:
                continue
            taken = tags.get(TAKEN_TAG) or snapshot["StartTime"].astimezone(datetime.timezone.utc).isoformat()
            entry = sets.setdefault(set_id, {"start": taken, "ids": []})
            entry["start"] = min(entry["start"], taken)
            entry["ids"].append(snapshot["SnapshotId"])
    return sorted(((k, v["start"], sorted(v["ids"])) for k, v in sets.items()), key=lambda s: (s[1], s[0]))


def instance_volumes(client, instance_id, exclude_boot):
    reservations = client.describe_instances(InstanceIds=[instance_id], aws_retry=True)["Reservations"]
    instance = reservations[0]["Instances"][0]
    root = instance.get("RootDeviceName")
    volumes = []
    for mapping in instance.get("BlockDeviceMappings", []):
        if "Ebs" in mapping and not (exclude_boot and mapping.get("DeviceName") == root):
            volumes.append(mapping["Ebs"]["VolumeId"])
    return volumes


def main():
    argument_spec = dict(
        instance_id=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "pruned"], default="present"),
        description=dict(type="str", default="healthplatform.aws snapshot set"),
        exclude_boot_volume=dict(type="bool", default=False),
        copy_tags_from_source=dict(type="bool", default=True),
        tags=dict(type="dict", default={}),
        retain=dict(type="int"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=1800),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    if params["retain"] is not None and params["retain"] < 1:
        module.fail_json(msg=f"retain must be at least 1 (the newest set is always kept), got {params['retain']}")
    if params["state"] == "pruned" and params["retain"] is None:
        module.fail_json(msg="retain is required with state=pruned")
    if not params["instance_id"].startswith("i-"):
        module.fail_json(msg=f"instance_id must be an EC2 instance ID (i-...), got {params['instance_id']!r}")
    reserved = [k for k in params["tags"] if k.startswith("hp:")]
    if reserved:
        module.fail_json(msg=f"tags: the keys {reserved} are reserved for the module's own bookkeeping")

    client = retrying_client(module, "ec2")
    instance_id = params["instance_id"]
    set_id, snapshots = "", []
    try:
        sets = existing_sets(client, instance_id, params["tags"])
        if params["state"] == "present":
            volumes = instance_volumes(client, instance_id, params["exclude_boot_volume"])
            if not volumes:
                module.fail_json(msg=f"{instance_id} has no EBS volume to snapshot")
            set_id = idempotency_token()
            tags = dict(params["tags"])
            taken = datetime.datetime.now(datetime.timezone.utc).isoformat()
            tags.update({SET_TAG: set_id, OF_TAG: instance_id, BY_TAG: CREATOR, TAKEN_TAG: taken})
            if module.check_mode:
                snapshots = [{"volume_id": v, "state": "planned"} for v in volumes]
            else:
                request = {
                    "InstanceSpecification": {"InstanceId": instance_id, "ExcludeBootVolume": params["exclude_boot_volume"]},
                    "Description": params["description"],
                    "TagSpecifications": [{"ResourceType": "snapshot", "Tags": ansible_dict_to_boto3_tag_list(tags)}],
                }
                if params["copy_tags_from_source"]:
                    request["CopyTagsFromSource"] = "volume"
                response = client.create_snapshots(aws_retry=True, **request)
                ids = [s["SnapshotId"] for s in response["Snapshots"]]
                if params["wait"] and ids:
                    client.get_waiter("snapshot_completed").wait(
                        SnapshotIds=ids, WaiterConfig={"Delay": 15, "MaxAttempts": max(1, params["wait_timeout"] // 15)}
                    )
                described = client.describe_snapshots(SnapshotIds=ids, aws_retry=True)["Snapshots"] if ids else []
                snapshots = [{"snapshot_id": s["SnapshotId"], "volume_id": s["VolumeId"], "state": s["State"]} for s in described]
            sets.append((set_id, None, [s.get("snapshot_id") for s in snapshots]))
        deleted = []
        if params["retain"] is not None and len(sets) > params["retain"]:
            for old_set, _start, ids in sets[: len(sets) - params["retain"]]:
                if old_set == set_id:
                    continue
                if not module.check_mode:
                    for snapshot_id in ids:
                        client.delete_snapshot(SnapshotId=snapshot_id, aws_retry=True)
                deleted.append({"snapshot_set": old_set, "snapshot_ids": ids})
    except botocore.exceptions.WaiterError as e:
        module.fail_json(msg=f"the snapshots of {instance_id} did not complete within {params['wait_timeout']} s: {e}", snapshot_set=set_id)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Failed to snapshot {instance_id}")

    module.exit_json(changed=bool(set_id or deleted), snapshot_set=set_id, snapshots=snapshots, deleted_sets=deleted)


if __name__ == "__main__":
    main()
