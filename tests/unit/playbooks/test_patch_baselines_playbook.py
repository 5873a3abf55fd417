# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/patch_baselines.yml (roles/patch_management) through the lab inventory against moto.

moto lacks GetPatchBaseline and GetMaintenanceWindowTask, so the lab inventory turns the role
off and the run must say so; with the role turned on, check mode still reads and plans against
moto (DescribePatchBaselines / DescribeMaintenanceWindows work), which proves the wiring.

HP-15 read back: against moto with the three reads it lacks added from its own stored state
(tests/support/moto_ssm_reads.py), the role runs for real, converges (a second run changes
nothing) and the result is read back with the calls moto implements itself."""

from __future__ import annotations

import json

import boto3
import pytest
from moto_ssm_reads import MotoServerWithSsmReads

from playbooks import run_playbook


def test_lab_skips_visibly(moto_lab):
    result = run_playbook(moto_lab.endpoint, "patch_baselines.yml")
    assert result.rc == 0, result
    assert "SKIPPED (not done): SSM patch baselines and the patch window" in result.output


def test_check_mode_plans_baselines_and_window_without_changes(moto_lab):
    moto_lab.start_recording()
    result = run_playbook(moto_lab.endpoint, "patch_baselines.yml", "--check", "-e", '{"patch_management_enabled": true}')
    calls = moto_lab.stop_recording()

    assert result.rc == 0, result
    assert result.changed == 2, "three baselines in one loop task, one window"
    assert [c for c in calls if c["mutating"]] == []


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"patch_management_window_duration": 2, "patch_management_window_cutoff": 2}, "cutoff"),
        (
            {"patch_management_window_duration": 1, "patch_management_window_cutoff": 2},
            "patch_management_window_cutoff (2 h) must be shorter than patch_management_window_duration (1 h)",
        ),
        ({"patch_management_window_schedule": "cron(0 2 * * SUN)"}, "schedule"),
        ({"patch_management_window_schedule": "cron(0 2 * * SUN *)"}, "patch_management_window_schedule 'cron(0 2 * * SUN *)' is not a valid"),
        ({"patch_management_operation": "Reboot"}, "patch_management_operation"),
    ],
)
def test_bad_input_fails_before_any_change(moto_lab, extra, message):
    moto_lab.start_recording()
    result = run_playbook(moto_lab.endpoint, "patch_baselines.yml", "-e", json.dumps({"patch_management_enabled": True, **extra}))
    calls = moto_lab.stop_recording()

    assert result.rc != 0
    assert message in result.output
    assert [c for c in calls if c["mutating"]] == []


@pytest.fixture(scope="module")
def ssm_lab():
    server = MotoServerWithSsmReads().start()
    yield server
    server.stop()


def test_hp15_baselines_groups_and_window_read_back(ssm_lab):
    enabled = json.dumps({"patch_management_enabled": True})
    first = run_playbook(ssm_lab.endpoint, "patch_baselines.yml", "-e", enabled)
    assert first.rc == 0, first
    assert first.changed == 2, "three baselines in one loop task, one window"
    ssm_lab.start_recording()
    second = run_playbook(ssm_lab.endpoint, "patch_baselines.yml", "-e", enabled)
    calls = ssm_lab.stop_recording()
    assert second.rc == 0 and second.changed == 0, second
    assert [c for c in calls if c["mutating"]] == []

    # read back with what moto implements itself
    ssm = boto3.client("ssm", region_name="us-east-1", endpoint_url=ssm_lab.endpoint, aws_access_key_id="testing", aws_secret_access_key="testing")
    baselines = {b["BaselineName"]: b for b in ssm.describe_patch_baselines()["BaselineIdentities"]}
    assert {name: b["OperatingSystem"] for name, b in baselines.items()} == {
        "healthplatform-lab-al2023": "AMAZON_LINUX_2023",
        "healthplatform-lab-ubuntu": "UBUNTU",
        "healthplatform-lab-debian": "DEBIAN",
    }
    for group, operating_system, name in [
        ("web-al2023", "AMAZON_LINUX_2023", "al2023"),
        ("web-ubuntu", "UBUNTU", "ubuntu"),
        ("web-debian12", "DEBIAN", "debian"),
    ]:
        registered = ssm.get_patch_baseline_for_patch_group(PatchGroup=group, OperatingSystem=operating_system)
        assert registered["BaselineId"] == baselines[f"healthplatform-lab-{name}"]["BaselineId"], group
    (window,) = [w for w in ssm.describe_maintenance_windows()["WindowIdentities"] if w["Name"] == "healthplatform-lab-patch"]
    details = ssm.get_maintenance_window(WindowId=window["WindowId"])
    assert (details["Schedule"], details["ScheduleTimezone"], details["Duration"], details["Cutoff"]) == ("cron(0 2 ? * SUN *)", "UTC", 3, 1)
    (target,) = ssm.describe_maintenance_window_targets(WindowId=window["WindowId"])["Targets"]
    assert target["Targets"] == [{"Key": "tag:PatchGroup", "Values": ["web-al2023", "web-ubuntu", "web-debian12"]}]
    (task,) = ssm.describe_maintenance_window_tasks(WindowId=window["WindowId"])["Tasks"]
    assert task["TaskArn"] == "AWS-RunPatchBaseline"
    assert task["Targets"] == [{"Key": "WindowTargetIds", "Values": [target["WindowTargetId"]]}]
    assert (task["MaxConcurrency"], task["MaxErrors"]) == ("25%", "1")
    # the approval rules, through the added GetPatchBaseline (moto's stored baseline)
    rules = ssm.get_patch_baseline(BaselineId=baselines["healthplatform-lab-al2023"]["BaselineId"])["ApprovalRules"]["PatchRules"]
    assert rules[0]["ApproveAfterDays"] == 7
    assert {"Key": "CLASSIFICATION", "Values": ["Security"]} in rules[0]["PatchFilterGroup"]["PatchFilters"]
