# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/patch_baselines.yml (roles/patch_management) through the lab inventory against moto.

moto lacks GetPatchBaseline and GetMaintenanceWindowTask, so the lab inventory turns the role
off and the run must say so; with the role turned on, check mode still reads and plans against
moto (DescribePatchBaselines / DescribeMaintenanceWindows work), which proves the wiring."""

from __future__ import annotations

import json

import pytest

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
        ({"patch_management_window_schedule": "cron(0 2 * * SUN)"}, "schedule"),
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
