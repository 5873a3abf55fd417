# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""moto server with the three SSM reads that moto 5.2.5 lacks, for the HP-15 read-back test only.

moto stores patch baselines, their patch groups and maintenance window tasks completely
(CreatePatchBaseline, RegisterPatchBaselineForPatchGroup and RegisterTaskWithMaintenanceWindow
work), but answers HTTP 500 to the reads that return them in full: GetPatchBaseline,
GetDefaultPatchBaseline and GetMaintenanceWindowTask. The modules need those reads to compare
what exists with what is wanted, so on plain moto playbooks/patch_baselines.yml cannot run (the
lab inventory skips it and says so). This wrapper adds the three reads to moto's SSM responses,
each answering from moto's own stored objects, never inventing state:

  GetPatchBaseline          the stored baseline, with the patch groups registered to it
  GetDefaultPatchBaseline   the AWS default baseline of the operating system (moto's own table)
  GetMaintenanceWindowTask  the stored task, with the cutoff behavior moto keeps but omits

and fixes one moto bug: the tags of a patch baseline (CreatePatchBaseline with Tags,
Add/RemoveTagsFromResource, ListTagsForResource with ResourceType PatchBaseline) always answer
InvalidResourceId, because moto's resource check knows no patch baseline; here a baseline that
moto stores is a valid resource. Every write and every other read is moto's. The test that uses it reads the result back with
the calls moto implements itself (DescribePatchBaselines, GetPatchBaselineForPatchGroup,
GetMaintenanceWindow, DescribeMaintenanceWindowTargets/Tasks).

    python moto_ssm_reads.py -H 127.0.0.1 -p PORT      (the arguments of moto_server)
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from awslab import MotoServer  # pylint: disable=wrong-import-position


class MotoServerWithSsmReads(MotoServer):
    """MotoServer running moto through this module (see the module docstring)."""

    def server_command(self):
        return [sys.executable, os.path.abspath(__file__)]


def _install():
    from moto.core.responses import ActionResult
    from moto.ssm.exceptions import DoesNotExistException
    from moto.ssm.exceptions import InvalidResourceId
    from moto.ssm.models import FakePatchGroup
    from moto.ssm.models import SimpleSystemManagerBackend
    from moto.ssm.responses import SimpleSystemManagerResponse

    validate_resource = SimpleSystemManagerBackend._validate_resource_type_and_id

    def validate_resource_with_baselines(self, resource_type, resource_id):
        if resource_type == "PatchBaseline":
            if resource_id not in self.baselines:
                raise InvalidResourceId()
            return resource_id
        return validate_resource(self, resource_type, resource_id)

    def get_patch_baseline(self):
        baseline_id = self._get_param("BaselineId")
        backend = self.ssm_backend
        if baseline_id not in backend.baselines:
            raise DoesNotExistException(f"Patch baseline {baseline_id} does not exist.")
        baseline = backend.baselines[baseline_id]
        groups = sorted(name for name, group in backend.patch_groups.items() if group.associations.get(baseline.operating_system) == baseline_id)
        answer = {
            "BaselineId": baseline.id,
            "Name": baseline.name,
            "OperatingSystem": baseline.operating_system,
            "GlobalFilters": baseline.global_filters,
            "ApprovalRules": baseline.approval_rules,
            "ApprovedPatches": baseline.approved_patches,
            "ApprovedPatchesComplianceLevel": baseline.approved_patches_compliance_level,
            "ApprovedPatchesEnableNonSecurity": baseline.approved_patches_enable_non_security,
            "RejectedPatches": baseline.rejected_patches,
            "RejectedPatchesAction": baseline.rejected_patches_action,
            "PatchGroups": groups,
            "Description": baseline.description,
            "Sources": baseline.sources,
        }
        return ActionResult({k: v for k, v in answer.items() if v is not None})

    def get_default_patch_baseline(self):
        operating_system = self._get_param("OperatingSystem") or "WINDOWS"
        defaults = FakePatchGroup("default", self.region).associations
        return ActionResult({"BaselineId": defaults[operating_system], "OperatingSystem": operating_system})

    def get_maintenance_window_task(self):
        window = self.ssm_backend.get_maintenance_window(self._get_param("WindowId"))
        task_id = self._get_param("WindowTaskId")
        if task_id not in window.tasks:
            raise DoesNotExistException(f"Maintenance window task {task_id} does not exist.")
        task = window.tasks[task_id]
        answer = dict(task.to_json(), CutoffBehavior=task.cutoff_behavior)
        return ActionResult({k: v for k, v in answer.items() if v is not None})

    SimpleSystemManagerBackend._validate_resource_type_and_id = validate_resource_with_baselines
    SimpleSystemManagerResponse.get_patch_baseline = get_patch_baseline
    SimpleSystemManagerResponse.get_default_patch_baseline = get_default_patch_baseline
    SimpleSystemManagerResponse.get_maintenance_window_task = get_maintenance_window_task


if __name__ == "__main__":
    _install()
    from moto.server import main

    main(sys.argv[1:])
