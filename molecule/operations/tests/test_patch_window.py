# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/patch_window.yml on three lab web instances: what its four runs did.

converge  every host patched 1.0 -> 2.0, each after a snapshot of its volumes, one batch out at a time
rerun     (molecule idempotence) nothing pending: nothing touched, no API change
check     (side_effect, --check with 2.1 published) lists the update per host, changes nothing
failing   (side_effect, one host's /healthz broken) stops at that host, which stays out of
          service and is reported; the host after it is untouched; the run fails after its summary
"""

from __future__ import annotations

import datetime

from conftest import PACKAGE
from conftest import batch_size
from conftest import call_index
from conftest import download_index
from conftest import health_status
from conftest import history
from conftest import parse_time
from conftest import replay_out_of_service

MUTATING_PATCH_CALLS = {"CreateSnapshots", "DeregisterTargets", "RegisterTargets"}


def run_order(events):
    """The hosts in the order the run snapshotted them (the order of its batches)."""
    order = []
    for event in events:
        if event["operation"] == "CreateSnapshots":
            order.extend(i for i in event["instances"] if i not in order)
    return order


def target_health(emulator, target_group_arn):
    descriptions = emulator("elbv2").describe_target_health(TargetGroupArn=target_group_arn)["TargetHealthDescriptions"]
    return {d["Target"]["Id"]: d["TargetHealth"]["State"] for d in descriptions}


# ---- converge: every host patched, snapshot first, one batch out at a time


def test_converge_patched_every_host(reports, instances):
    report = reports["converge"]
    assert report["check_mode"] is False
    assert sorted(report["hosts_patched"]) == instances
    assert report["hosts_failed"] == [] and report["hosts_not_reached"] == [] and report["failures"] == {}
    assert report["packages_per_host"] == {instance: [PACKAGE] for instance in instances}
    assert sorted(report["snapshot_sets"]) == instances


def test_converge_updated_every_host_from_1_to_2_once(hosts):
    for instance, host in hosts.items():
        upgrades = [(version, previous) for _time, version, previous in history(host) if version == "2.0"]
        assert upgrades == [("2.0", "1.0")], f"{instance}: {history(host)}"


def test_snapshot_of_all_volumes_tagged_and_taken_before_the_update(emulator, reports, hosts):
    ec2 = emulator("ec2")
    for instance, host in hosts.items():
        set_id = reports["converge"]["snapshot_sets"][instance]
        snapshots = ec2.describe_snapshots(Filters=[{"Name": "tag:hp:snapshot-set", "Values": [set_id]}])["Snapshots"]
        reservation = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]
        volumes = {m["Ebs"]["VolumeId"] for m in reservation["Instances"][0]["BlockDeviceMappings"] if "Ebs" in m}
        assert volumes and {s["VolumeId"] for s in snapshots} == volumes, f"{instance}: not every volume in set {set_id}"
        installed = next(when for when, version, _previous in history(host) if version == "2.0")
        for snapshot in snapshots:
            tags = {t["Key"]: t["Value"] for t in snapshot["Tags"]}
            assert tags["Purpose"] == "patch-window" and tags["Environment"] == "lab" and tags["Platform"] == "healthplatform"
            assert tags["hp:snapshot-of"] == instance
            assert parse_time(tags["hp:snapshot-taken"]) < installed
            started = snapshot["StartTime"]  # moto gives it without a zone: it is UTC
            assert (started if started.tzinfo else started.replace(tzinfo=datetime.timezone.utc)) <= installed


def test_converge_took_one_batch_out_of_service_at_a_time(recordings, instances):
    events = recordings["converge"]
    largest, out_at_end = replay_out_of_service(events)
    assert largest == batch_size(len(instances)) == 1
    assert out_at_end == set()
    order = run_order(events)
    assert sorted(order) == instances
    previous_back = -1
    for instance in order:
        snapshot = call_index(events, "CreateSnapshots", instance)
        out = call_index(events, "DeregisterTargets", instance)
        download = download_index(events, "2.0", out or 0)
        back = call_index(events, "RegisterTargets", instance)
        # snapshot, out of service, the update downloaded, back in service; after the previous batch was back
        assert None not in (snapshot, out, download, back), f"{instance}: {snapshot=} {out=} {download=} {back=}"
        assert previous_back < snapshot < out < download < back, f"{instance}: {previous_back=} {snapshot=} {out=} {download=} {back=}"
        previous_back = back


def test_converge_and_the_rerun_made_only_the_patch_calls(recordings, instances):
    """One snapshot set, one deregistration and one registration per host: the no-op re-run changed nothing."""
    calls = [e for e in recordings["converge"] if e["mutating"] and e["service"] != "unknown"]
    assert sorted((e["operation"], e["instances"][0]) for e in calls) == sorted((op, i) for op in MUTATING_PATCH_CALLS for i in instances)


def test_restart_stood_in_for_the_reboot(hosts):
    for instance, host in hosts.items():
        assert not host.file("/run/reboot-required").exists, f"{instance}: the reboot flag was left behind"
        installed = next(when for when, version, _previous in history(host) if version == "2.0")
        started = host.check_output("systemctl show --timestamp=us+utc --property=ExecMainStartTimestamp --value nginx")
        # "Tue 2026-11-24 07:09:07.244134 UTC"
        nginx_started = parse_time(started.split(" ", 1)[1].replace(" UTC", "Z").replace(" ", "T"))
        assert nginx_started > installed, f"{instance}: nginx was not restarted after the update ({nginx_started} <= {installed})"


# ---- the re-run with nothing pending


def test_rerun_with_nothing_pending_touched_nothing(reports, instances):
    report = reports["rerun"]
    assert sorted(report["hosts_up_to_date"]) == instances
    assert report["hosts_patched"] == [] and report["hosts_failed"] == [] and report["snapshot_sets"] == {}


# ---- --check with 2.1 published


def test_check_mode_lists_the_update_per_host(reports, instances, run_log):
    report = reports["check"]
    assert report["check_mode"] is True
    assert sorted(report["hosts_that_would_be_patched"]) == instances
    assert report["packages_per_host"] == {instance: [PACKAGE] for instance in instances}
    log = run_log("check")
    for instance in instances:
        assert f"{instance} would update: {PACKAGE}" in log


def test_check_mode_changed_nothing(recordings, hosts):
    events = recordings["check"]
    assert [e["operation"] for e in events if e["mutating"] and e["service"] != "unknown"] == []
    assert download_index(events, "2.1") is None
    for instance, host in hosts.items():
        # the only 2.1 on any host came from the failing run, after the check run
        assert [v for _t, v, _p in history(host)].count("2.1") <= 1, instance


# ---- the failing run: a broken health endpoint stops the rollout


def test_failing_run_stops_at_the_broken_host_and_reports_it(reports, recordings, broken_host, instances):
    report = reports["failing"]
    order = run_order(recordings["failing"])
    assert broken_host in order
    position = order.index(broken_host)
    assert report["hosts_failed"] == [broken_host]
    assert report["failures"][broken_host]["task"] == "Wait for the local health endpoint over HTTPS"
    assert "503" in report["failures"][broken_host]["error"]
    assert report["hosts_patched"] == order[:position]
    assert sorted(report["hosts_not_reached"]) == sorted(set(instances) - set(order))
    assert report["hosts_not_reached"], "the scenario needs a host after the broken one"


def test_failing_run_failed_after_its_summary(run_log, broken_host):
    log = run_log("failing")
    assert "TASK [Summarise]" in log
    assert log.index("TASK [Summarise]") < log.index(f"Patch window failed on {broken_host}")
    assert "hosts_failed" in log[log.index("TASK [Summarise]") :]


def test_failing_run_took_one_batch_out_of_service_at_a_time(recordings, instances, broken_host):
    events = recordings["failing"]
    largest, out_at_end = replay_out_of_service(events)
    assert largest == batch_size(len(instances))
    assert out_at_end == {broken_host}


def test_broken_host_stays_out_of_service_with_the_update(emulator, target_group_arn, hosts, broken_host, recordings):
    events = recordings["failing"]
    out = call_index(events, "DeregisterTargets", broken_host)
    assert call_index(events, "CreateSnapshots", broken_host) < out < download_index(events, "2.1", out)
    assert call_index(events, "RegisterTargets", broken_host) is None
    assert broken_host not in target_health(emulator, target_group_arn)
    host = hosts[broken_host]
    assert host.package(PACKAGE).version == "2.1"
    assert health_status(host) == 503


def test_hosts_patched_before_the_failure_are_back_in_service(emulator, target_group_arn, reports, hosts):
    health = target_health(emulator, target_group_arn)
    for instance in reports["failing"]["hosts_patched"]:
        assert hosts[instance].package(PACKAGE).version == "2.1"
        assert health.get(instance) == "healthy"
        assert health_status(hosts[instance]) == 200


def test_hosts_not_reached_are_untouched_and_in_service(emulator, target_group_arn, reports, recordings, hosts):
    health = target_health(emulator, target_group_arn)
    ec2 = emulator("ec2")
    for instance in reports["failing"]["hosts_not_reached"]:
        host = hosts[instance]
        assert host.package(PACKAGE).version == "2.0"
        assert "2.1" not in [v for _t, v, _p in history(host)]
        assert health.get(instance) == "healthy"
        assert health_status(host) == 200
        assert not [e for e in recordings["failing"] if e["mutating"] and instance in e["instances"]]
        snapshots = ec2.describe_snapshots(Filters=[{"Name": "tag:hp:snapshot-of", "Values": [instance]}])["Snapshots"]
        sets = {tag["Value"] for snapshot in snapshots for tag in snapshot["Tags"] if tag["Key"] == "hp:snapshot-set"}
        assert sets == {reports["converge"]["snapshot_sets"][instance]}, f"{instance}: snapshot sets {sets}"
