# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ssm_maintenance_window and ssm_maintenance_window_info.

Against the moto server: windows with targets (create, no-op, target register / deregister, tags,
delete, check mode, info) and bad input (no API call at all). moto 5.2.5 emulates CreateMaintenanceWindow,
GetMaintenanceWindow, DescribeMaintenanceWindows, DeleteMaintenanceWindow, target and task registration
and their Describe calls, and the window's tags.

With botocore's Stubber (it validates every request against the real SSM API model and fails on any call
that was not queued, in the order queued), because the emulator lacks them (HTTP 500, checked):
GetMaintenanceWindowTask (needed to read a task's invocation parameters, so every window that has a task),
UpdateMaintenanceWindow, UpdateMaintenanceWindowTarget and UpdateMaintenanceWindowTask. moto also drops a
target's OwnerInformation and omits AllowUnassociatedTargets from GetMaintenanceWindow, so those are
tested with the Stubber too.
"""

from __future__ import annotations

import pytest
from botocore.stub import ANY

from ansible_collections.healthplatform.aws.plugins.modules import ssm_maintenance_window
from ansible_collections.healthplatform.aws.plugins.modules import ssm_maintenance_window_info

NAME = "hp-patch-web"
WID = "mw-0123456789abcdef0"
TID_WEB = "11111111-1111-4111-8111-111111111111"
TID_APP = "22222222-2222-4222-8222-222222222222"
TASK_ID = "33333333-3333-4333-8333-333333333333"
ROLE = "arn:aws:iam::123456789012:role/hp-maintenance-window"


def web_target(**extra):
    return dict({"name": "web", "targets": [{"key": "tag:PatchGroup", "values": ["hp-web"]}]}, **extra)


def app_target(**extra):
    return dict({"name": "app", "targets": [{"key": "tag:PatchGroup", "values": ["hp-app"]}], "description": "application tier"}, **extra)


def window_args(**extra):
    result = {
        "name": NAME,
        "description": "Weekly patching",
        "schedule": "cron(0 2 ? * SUN *)",
        "schedule_timezone": "Europe/Paris",
        "duration": 3,
        "cutoff": 1,
        "targets": [web_target(), app_target()],
        "tags": {"Environment": "test"},
    }
    result.update(extra)
    return result


def patch_task(**extra):
    task = {
        "name": "install",
        "task_arn": "AWS-RunPatchBaseline",
        "targets": ["web"],
        "priority": 1,
        "max_concurrency": "50%",
        "max_errors": "0",
        "service_role_arn": ROLE,
        "cutoff_behavior": "CANCEL_TASK",
        "run_command": {
            "parameters": {"Operation": ["Install"], "RebootOption": "RebootIfNeeded"},
            "output_s3_bucket_name": "hp-logs",
            "output_s3_key_prefix": "patching/web/",
        },
    }
    task.update(extra)
    return task


# --- against the moto server ------------------------------------------------------------


def windows(aws):
    return aws.client("ssm").describe_maintenance_windows()["WindowIdentities"]


def live_targets(aws, window_id):
    return {t["Name"]: t for t in aws.client("ssm").describe_maintenance_window_targets(WindowId=window_id)["Targets"]}


def live_tags(aws, window_id):
    tags = aws.client("ssm").list_tags_for_resource(ResourceType="MaintenanceWindow", ResourceId=window_id)["TagList"]
    return {t["Key"]: t["Value"] for t in tags}


def test_create_with_targets(aws):
    result = aws.run(ssm_maintenance_window.main, window_args())

    assert result.get("changed") is True, result.get("msg")
    (identity,) = windows(aws)
    window_id = identity["WindowId"]
    assert result["maintenance_window"]["window_id"] == window_id
    live = aws.client("ssm").get_maintenance_window(WindowId=window_id)
    assert (live["Name"], live["Schedule"], live["ScheduleTimezone"], live["Duration"], live["Cutoff"], live["Enabled"]) == (
        NAME,
        "cron(0 2 ? * SUN *)",
        "Europe/Paris",
        3,
        1,
        True,
    )
    assert live["Description"] == "Weekly patching"
    assert live_tags(aws, window_id) == {"Environment": "test"}
    targets = live_targets(aws, window_id)
    assert sorted(targets) == ["app", "web"]
    assert targets["web"]["Targets"] == [{"Key": "tag:PatchGroup", "Values": ["hp-web"]}]
    assert targets["web"]["ResourceType"] == "INSTANCE"
    assert targets["app"]["Description"] == "application tier"
    assert sorted(t["name"] for t in result["maintenance_window"]["targets"]) == ["app", "web"]
    assert result["maintenance_window"]["tasks"] == []


def test_no_change_makes_no_mutating_call(aws):
    aws.run(ssm_maintenance_window.main, window_args())
    with aws.recording() as calls:
        result = aws.run(ssm_maintenance_window.main, window_args(), diff=True)

    assert result.get("changed") is False, result.get("msg")
    assert calls, "the module must read the window"
    assert aws.mutating(calls) == []
    assert result["diff"]["before"] == result["diff"]["after"]


def test_targets_converge_by_name(aws):
    first = aws.run(ssm_maintenance_window.main, window_args())
    window_id = first["maintenance_window"]["window_id"]
    web_id = live_targets(aws, window_id)["web"]["WindowTargetId"]
    db = {"name": "database", "targets": [{"key": "tag:PatchGroup", "values": ["hp-db"]}]}

    result = aws.run(ssm_maintenance_window.main, window_args(targets=[web_target(), db]), diff=True)

    assert result.get("changed") is True, result.get("msg")
    targets = live_targets(aws, window_id)
    assert sorted(targets) == ["database", "web"]
    assert targets["web"]["WindowTargetId"] == web_id, "an unchanged target is kept, not replaced"
    assert sorted(result["diff"]["before"]["targets"]) == ["app", "web"]
    assert sorted(result["diff"]["after"]["targets"]) == ["database", "web"]


def test_purge_targets_false_keeps_others(aws):
    first = aws.run(ssm_maintenance_window.main, window_args())
    result = aws.run(ssm_maintenance_window.main, window_args(targets=[web_target()], purge_targets=False))

    assert result.get("changed") is False, result.get("msg")
    assert sorted(live_targets(aws, first["maintenance_window"]["window_id"])) == ["app", "web"]


def test_targets_omitted_are_left_alone(aws):
    first = aws.run(ssm_maintenance_window.main, window_args())
    with aws.recording() as calls:
        result = aws.run(ssm_maintenance_window.main, window_args(targets=None))

    assert result.get("changed") is False, result.get("msg")
    assert aws.mutating(calls) == []
    assert sorted(live_targets(aws, first["maintenance_window"]["window_id"])) == ["app", "web"]


def test_tags_update_in_place(aws):
    first = aws.run(ssm_maintenance_window.main, window_args())
    window_id = first["maintenance_window"]["window_id"]

    result = aws.run(ssm_maintenance_window.main, window_args(tags={"Owner": "ops"}))
    assert result.get("changed") is True, result.get("msg")
    assert live_tags(aws, window_id) == {"Owner": "ops"}
    assert result["maintenance_window"]["window_id"] == window_id

    result = aws.run(ssm_maintenance_window.main, window_args(tags={"Environment": "test"}, purge_tags=False))
    assert live_tags(aws, window_id) == {"Owner": "ops", "Environment": "test"}


def test_delete_and_delete_again(aws):
    aws.run(ssm_maintenance_window.main, window_args())
    other = aws.client("ssm").create_maintenance_window(Name="hp-other", Schedule="rate(7 days)", Duration=2, Cutoff=0, AllowUnassociatedTargets=False)

    result = aws.run(ssm_maintenance_window.main, {"name": NAME, "state": "absent"}, diff=True)
    assert result.get("changed") is True, result.get("msg")
    assert sorted(result["diff"]["before"]["targets"]) == ["app", "web"]
    assert [w["WindowId"] for w in windows(aws)] == [other["WindowId"]]

    again = aws.run(ssm_maintenance_window.main, {"name": NAME, "state": "absent"})
    assert again.get("changed") is False, again.get("msg")


def test_check_mode_create_changes_nothing(aws):
    with aws.recording() as calls:
        result = aws.run(ssm_maintenance_window.main, window_args(tasks=[patch_task()]), check_mode=True, diff=True)

    assert result.get("changed") is True, result.get("msg")
    assert aws.mutating(calls) == []
    assert windows(aws) == []
    window = result["maintenance_window"]
    assert window["schedule"] == "cron(0 2 ? * SUN *)"
    assert [t["target_names"] for t in window["tasks"]] == [["web"]]
    assert window["tasks"][0]["task_invocation_parameters"]["run_command"]["parameters"] == {"Operation": ["Install"], "RebootOption": ["RebootIfNeeded"]}


def test_check_mode_target_change_and_delete_change_nothing(aws):
    first = aws.run(ssm_maintenance_window.main, window_args())
    window_id = first["maintenance_window"]["window_id"]
    before = live_targets(aws, window_id)

    with aws.recording() as calls:
        change = aws.run(ssm_maintenance_window.main, window_args(targets=[web_target()], tags={}), check_mode=True)
        delete = aws.run(ssm_maintenance_window.main, {"name": NAME, "state": "absent"}, check_mode=True)

    assert change.get("changed") is True and delete.get("changed") is True
    assert [t["name"] for t in change["maintenance_window"]["targets"]] == ["web"]
    assert change["maintenance_window"]["tags"] == {}
    assert aws.mutating(calls) == []
    assert live_targets(aws, window_id) == before
    assert live_tags(aws, window_id) == {"Environment": "test"}


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"schedule": "cron(0 2 * * SUN *)"}, "schedule"),
        ({"schedule": "cron(0 2 ? * SUN)"}, "schedule"),
        ({"schedule": "cron(0 25 ? * SUN *)"}, "schedule"),
        ({"schedule": "rate(1 days)"}, "schedule"),
        ({"schedule": "every sunday"}, "schedule"),
        ({"schedule_timezone": "Europe/Pariss"}, "schedule_timezone"),
        ({"schedule": "rate(7 days)", "schedule_offset": 2}, "schedule_offset"),
        ({"schedule_offset": 7}, "schedule_offset"),
        ({"duration": 2, "cutoff": 2}, "cutoff"),
        ({"duration": 1, "cutoff": 3}, "duration"),
        ({"duration": 25}, "duration"),
        ({"cutoff": None}, "cutoff"),
        ({"name": "x"}, "name"),
        ({"targets": [web_target(), web_target()]}, "targets[1].name"),
        ({"targets": [web_target(resource_type="TAG")]}, "resource_type"),
        ({"targets": [web_target(targets=[{"key": "tag:A", "values": ["a"]}] * 6)]}, "targets[0].targets"),
        ({"tasks": [patch_task(targets=["db"])]}, "tasks[0].targets"),
        ({"tasks": [patch_task(max_concurrency="0")]}, "tasks[0].max_concurrency"),
        ({"tasks": [patch_task(max_errors="101%")]}, "tasks[0].max_errors"),
        ({"tasks": [patch_task(max_errors=None)]}, "max_errors"),
        ({"tasks": [patch_task(automation={"parameters": {}})]}, "tasks[0].automation"),
        ({"tasks": [patch_task(run_command={"parameters": {"Operation": [{"a": 1}]}})]}, "tasks[0].run_command.parameters.Operation"),
        ({"tasks": [patch_task(run_command={"timeout_seconds": 5})]}, "timeout_seconds"),
        ({"tasks": [patch_task(priority=-1)]}, "priority"),
        ({"tasks": [patch_task(), patch_task()]}, "tasks[1].name"),
    ],
)
def test_bad_input_fails_before_any_call(aws, extra, option):
    with aws.recording() as calls:
        result = aws.run(ssm_maintenance_window.main, window_args(**extra))

    assert result.failed
    assert option in result["msg"], result["msg"]
    assert calls == [], "validation must happen before any API call"


def test_cutoff_not_shorter_than_duration_names_both(aws):
    result = aws.run(ssm_maintenance_window.main, window_args(duration=2, cutoff=2))
    assert "cutoff (2 h) must be less than duration (2 h)" in result["msg"]


def test_task_referring_to_an_unknown_existing_target_fails_before_changes(aws):
    aws.run(ssm_maintenance_window.main, window_args())
    with aws.recording() as calls:
        result = aws.run(ssm_maintenance_window.main, window_args(targets=None, tasks=[patch_task(targets=["db"])]))

    assert result.failed
    assert "tasks[0].targets refers to 'db'" in result["msg"]
    assert aws.mutating(calls) == []


def test_info_on_the_emulator(aws):
    aws.run(ssm_maintenance_window.main, window_args())
    aws.client("ssm").create_maintenance_window(Name="hp-other", Schedule="rate(7 days)", Duration=2, Cutoff=0, AllowUnassociatedTargets=False)

    one = aws.run(ssm_maintenance_window_info.main, {"name": NAME})
    everything = aws.run(ssm_maintenance_window_info.main, {})

    assert one["changed"] is False
    (window,) = one["maintenance_windows"]
    assert window["name"] == NAME
    assert window["tags"] == {"Environment": "test"}
    assert sorted(t["name"] for t in window["targets"]) == ["app", "web"]
    assert sorted(w["name"] for w in everything["maintenance_windows"]) == ["hp-other", NAME]


# --- with the Stubber (moto lacks GetMaintenanceWindowTask and the Update* calls) ---------------------


def api_window(**extra):
    result = {
        "WindowId": WID,
        "Name": NAME,
        "Description": "Weekly patching",
        "Schedule": "cron(0 2 ? * SUN *)",
        "ScheduleTimezone": "Europe/Paris",
        "Duration": 3,
        "Cutoff": 1,
        "AllowUnassociatedTargets": False,
        "Enabled": True,
    }
    result.update(extra)
    return result


def api_target(name, target_id, values, **extra):
    result = {"WindowId": WID, "WindowTargetId": target_id, "ResourceType": "INSTANCE", "Targets": [{"Key": "tag:PatchGroup", "Values": values}], "Name": name}
    result.update(extra)
    return result


API_WEB = api_target("web", TID_WEB, ["hp-web"], OwnerInformation="platform-ops")


def api_task(**extra):
    """What GetMaintenanceWindowTask answers for patch_task()."""
    result = {
        "WindowId": WID,
        "WindowTaskId": TASK_ID,
        "Name": "install",
        "TaskArn": "AWS-RunPatchBaseline",
        "TaskType": "RUN_COMMAND",
        "Targets": [{"Key": "WindowTargetIds", "Values": [TID_WEB]}],
        "Priority": 1,
        "MaxConcurrency": "50%",
        "MaxErrors": "0",
        "ServiceRoleArn": ROLE,
        "CutoffBehavior": "CANCEL_TASK",
        "TaskInvocationParameters": {
            "RunCommand": {
                "Parameters": {"RebootOption": ["RebootIfNeeded"], "Operation": ["Install"]},
                "OutputS3BucketName": "hp-logs",
                "OutputS3KeyPrefix": "patching/web/",
                "DocumentVersion": "$DEFAULT",
                "TimeoutSeconds": 600,
                "CloudWatchOutputConfig": {"CloudWatchOutputEnabled": False},
            }
        },
    }
    result.update(extra)
    return result


def summary(task):
    keys = ("WindowId", "WindowTaskId", "TaskArn", "Targets", "Priority", "ServiceRoleArn", "MaxConcurrency", "MaxErrors", "Name", "CutoffBehavior")
    return dict({k: task[k] for k in keys if k in task}, Type=task["TaskType"])


def queue_find(ssm, found=True):
    identities = [{"WindowId": WID, "Name": NAME, "Enabled": True, "Duration": 3, "Cutoff": 1}] if found else []
    ssm.add_response("describe_maintenance_windows", {"WindowIdentities": identities}, {"Filters": [{"Key": "Name", "Values": [NAME]}]})


def queue_read(ssm, window=None, tags=None, targets=None, tasks=None):
    ssm.add_response("get_maintenance_window", window or api_window(), {"WindowId": WID})
    tags = {"Environment": "test"} if tags is None else tags
    ssm.add_response(
        "list_tags_for_resource", {"TagList": [{"Key": k, "Value": v} for k, v in tags.items()]}, {"ResourceType": "MaintenanceWindow", "ResourceId": WID}
    )
    ssm.add_response("describe_maintenance_window_targets", {"Targets": [API_WEB] if targets is None else targets}, {"WindowId": WID})
    tasks = [api_task()] if tasks is None else tasks
    ssm.add_response("describe_maintenance_window_tasks", {"Tasks": [summary(t) for t in tasks]}, {"WindowId": WID})
    for task in tasks:
        ssm.add_response("get_maintenance_window_task", task, {"WindowId": WID, "WindowTaskId": task["WindowTaskId"]})


def stub_args(**extra):
    return window_args(**dict({"targets": [web_target(owner_information="platform-ops")], "tasks": [patch_task()]}, **extra))


PATCH_TASK_REQUEST = {
    "WindowId": WID,
    "ClientToken": ANY,
    "Name": "install",
    "TaskArn": "AWS-RunPatchBaseline",
    "TaskType": "RUN_COMMAND",
    "Priority": 1,
    "CutoffBehavior": "CANCEL_TASK",
    "Targets": [{"Key": "WindowTargetIds", "Values": [TID_WEB]}],
    "MaxConcurrency": "50%",
    "MaxErrors": "0",
    "ServiceRoleArn": ROLE,
    "TaskInvocationParameters": {
        "RunCommand": {
            "Parameters": {"Operation": ["Install"], "RebootOption": ["RebootIfNeeded"]},
            "OutputS3BucketName": "hp-logs",
            "OutputS3KeyPrefix": "patching/web/",
        }
    },
}


def test_create_with_targets_and_tasks(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, found=False)
    ssm.add_response(
        "create_maintenance_window",
        {"WindowId": WID},
        {
            "Name": NAME,
            "Description": "Weekly patching",
            "Schedule": "cron(0 2 ? * SUN *)",
            "ScheduleTimezone": "Europe/Paris",
            "Duration": 3,
            "Cutoff": 1,
            "AllowUnassociatedTargets": False,
            "ClientToken": ANY,
            "Tags": [{"Key": "Environment", "Value": "test"}],
        },
    )
    ssm.add_response(
        "register_target_with_maintenance_window",
        {"WindowTargetId": TID_WEB},
        {
            "WindowId": WID,
            "ClientToken": ANY,
            "Name": "web",
            "ResourceType": "INSTANCE",
            "Targets": [{"Key": "tag:PatchGroup", "Values": ["hp-web"]}],
            "OwnerInformation": "platform-ops",
        },
    )
    ssm.add_response("register_task_with_maintenance_window", {"WindowTaskId": TASK_ID}, PATCH_TASK_REQUEST)
    queue_read(ssm)

    result = stubbed.run(ssm_maintenance_window.main, stub_args())

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()
    window = result["maintenance_window"]
    assert window["window_id"] == WID
    (task,) = window["tasks"]
    assert task["target_names"] == ["web"]
    assert task["task_invocation_parameters"]["run_command"]["parameters"]["RebootOption"] == ["RebootIfNeeded"]


def test_create_disabled_window(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, found=False)
    ssm.add_response("create_maintenance_window", {"WindowId": WID}, ANY_CREATE)
    settings = {"Name": NAME, "Schedule": "rate(7 days)", "Duration": 2, "Cutoff": 0, "AllowUnassociatedTargets": True}
    ssm.add_response("update_maintenance_window", {"WindowId": WID}, dict(settings, WindowId=WID, Replace=True, Enabled=False))
    queue_read(ssm, api_window(Enabled=False, Schedule="rate(7 days)", Duration=2, Cutoff=0, AllowUnassociatedTargets=True), tags={}, targets=[], tasks=[])

    result = stubbed.run(
        ssm_maintenance_window.main,
        {"name": NAME, "schedule": "rate(7 days)", "duration": 2, "cutoff": 0, "allow_unassociated_targets": True, "enabled": False},
    )

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()
    assert result["maintenance_window"]["enabled"] is False


ANY_CREATE = {
    "Name": NAME,
    "Schedule": "rate(7 days)",
    "Duration": 2,
    "Cutoff": 0,
    "AllowUnassociatedTargets": True,
    "ClientToken": ANY,
}


def test_no_change_with_tasks_makes_only_reads(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm)
    queue_read(ssm)

    result = stubbed.run(ssm_maintenance_window.main, stub_args(), diff=True)

    assert result.get("changed") is False, result.get("msg")
    stubbed.assert_all_used()  # any call not queued would have failed the run
    assert result["diff"]["before"] == result["diff"]["after"]
    assert result["diff"]["after"]["tasks"]["install"]["target_names"] == ["web"]


def test_update_window_target_and_task_in_place(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm)
    queue_read(ssm, api_window(Duration=4, Description="old"), targets=[api_target("web", TID_WEB, ["hp-web"])])
    ssm.add_response(
        "update_maintenance_window",
        {"WindowId": WID},
        {
            "WindowId": WID,
            "Replace": True,
            "Name": NAME,
            "Description": "Weekly patching",
            "Schedule": "cron(0 2 ? * SUN *)",
            "ScheduleTimezone": "Europe/Paris",
            "Duration": 3,
            "Cutoff": 1,
            "AllowUnassociatedTargets": False,
            "Enabled": True,
        },
    )
    ssm.add_response(
        "update_maintenance_window_target",
        {"WindowId": WID, "WindowTargetId": TID_WEB},
        {
            "WindowId": WID,
            "WindowTargetId": TID_WEB,
            "Replace": True,
            "Name": "web",
            "Targets": [{"Key": "tag:PatchGroup", "Values": ["hp-web"]}],
            "OwnerInformation": "platform-ops",
        },
    )
    update = {k: v for k, v in PATCH_TASK_REQUEST.items() if k not in ("ClientToken", "TaskType")}
    update["TaskInvocationParameters"] = {
        "RunCommand": dict(
            PATCH_TASK_REQUEST["TaskInvocationParameters"]["RunCommand"],
            Parameters={"Operation": ["Scan"], "RebootOption": ["NoReboot"]},
            DocumentVersion="$DEFAULT",  # not given: kept as AWS has it
            TimeoutSeconds=600,
        )
    }
    ssm.add_response("update_maintenance_window_task", {"WindowId": WID, "WindowTaskId": TASK_ID}, dict(update, WindowTaskId=TASK_ID, Replace=True))
    queue_read(ssm)

    scan = patch_task(run_command=dict(patch_task()["run_command"], parameters={"Operation": "Scan", "RebootOption": "NoReboot"}))
    result = stubbed.run(ssm_maintenance_window.main, stub_args(tasks=[scan]), diff=True)

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()
    assert result["diff"]["before"]["duration"] == 4
    assert result["diff"]["before"]["targets"]["web"].get("owner_information") is None


def test_task_type_change_replaces_the_task_and_purges_others(stubbed):
    ssm = stubbed("ssm")
    other = api_task(WindowTaskId="44444444-4444-4444-8444-444444444444", Name="old-scan")
    queue_find(ssm)
    queue_read(ssm, tasks=[api_task(), other])
    ssm.add_response("deregister_task_from_maintenance_window", {}, {"WindowId": WID, "WindowTaskId": TASK_ID})
    ssm.add_response("deregister_task_from_maintenance_window", {}, {"WindowId": WID, "WindowTaskId": other["WindowTaskId"]})
    automation = {
        "name": "install",
        "task_type": "AUTOMATION",
        "task_arn": "AWS-RestartEC2Instance",
        "targets": ["web"],
        "max_concurrency": "1",
        "max_errors": "0",
        "service_role_arn": ROLE,
        "automation": {"parameters": {"InstanceId": "{{RESOURCE_ID}}"}, "document_version": "$LATEST"},
    }
    ssm.add_response(
        "register_task_with_maintenance_window",
        {"WindowTaskId": "55555555-5555-4555-8555-555555555555"},
        {
            "WindowId": WID,
            "ClientToken": ANY,
            "Name": "install",
            "TaskArn": "AWS-RestartEC2Instance",
            "TaskType": "AUTOMATION",
            "Priority": 1,
            "CutoffBehavior": "CONTINUE_TASK",
            "Targets": [{"Key": "WindowTargetIds", "Values": [TID_WEB]}],
            "MaxConcurrency": "1",
            "MaxErrors": "0",
            "ServiceRoleArn": ROLE,
            "TaskInvocationParameters": {"Automation": {"Parameters": {"InstanceId": ["{{RESOURCE_ID}}"]}, "DocumentVersion": "$LATEST"}},
        },
    )
    queue_read(ssm, tasks=[])

    result = stubbed.run(ssm_maintenance_window.main, stub_args(tasks=[automation]))

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()


def test_purged_target_is_deregistered_after_the_tasks(stubbed):
    ssm = stubbed("ssm")
    app = api_target("app", TID_APP, ["hp-app"])
    uses_app = api_task(Targets=[{"Key": "WindowTargetIds", "Values": [TID_APP]}])
    queue_find(ssm)
    queue_read(ssm, targets=[API_WEB, app], tasks=[uses_app])
    update = {k: v for k, v in PATCH_TASK_REQUEST.items() if k not in ("ClientToken", "TaskType")}
    update["TaskInvocationParameters"] = {
        "RunCommand": dict(PATCH_TASK_REQUEST["TaskInvocationParameters"]["RunCommand"], DocumentVersion="$DEFAULT", TimeoutSeconds=600)
    }
    ssm.add_response("update_maintenance_window_task", {}, dict(update, WindowTaskId=TASK_ID, Replace=True))
    ssm.add_response("deregister_target_from_maintenance_window", {}, {"WindowId": WID, "WindowTargetId": TID_APP, "Safe": True})
    queue_read(ssm)

    result = stubbed.run(ssm_maintenance_window.main, stub_args())

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()


def test_target_still_used_by_an_unmanaged_task_fails_clearly(stubbed):
    ssm = stubbed("ssm")
    app = api_target("app", TID_APP, ["hp-app"])
    queue_find(ssm)
    queue_read(ssm, targets=[API_WEB, app], tasks=[api_task(Targets=[{"Key": "WindowTargetIds", "Values": [TID_APP]}])])
    ssm.add_client_error(
        "deregister_target_from_maintenance_window",
        service_error_code="TargetInUseException",
        service_message="Target is in use",
        expected_params={"WindowId": WID, "WindowTargetId": TID_APP, "Safe": True},
    )

    result = stubbed.run(ssm_maintenance_window.main, window_args(targets=[web_target(owner_information="platform-ops")], tasks=None))

    assert result.failed
    assert "target app is still used by a task" in result["msg"]
    stubbed.assert_all_used()


def test_resource_type_change_fails_before_changes(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm)
    queue_read(ssm)

    result = stubbed.run(ssm_maintenance_window.main, stub_args(targets=[web_target(owner_information="platform-ops", resource_type="RESOURCE_GROUP")]))

    assert result.failed
    assert "targets[0].resource_type cannot be changed" in result["msg"]
    stubbed.assert_all_used()


def test_check_mode_update_reads_only(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm)
    queue_read(ssm)

    new = patch_task(priority=5, max_concurrency="2")
    result = stubbed.run(ssm_maintenance_window.main, stub_args(tasks=[new], enabled=False, duration=4), check_mode=True, diff=True)

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()  # only reads were queued: a mutating call would have failed the run
    window = result["maintenance_window"]
    assert window["enabled"] is False and window["duration"] == 4
    assert window["tasks"][0]["priority"] == 5 and window["tasks"][0]["max_concurrency"] == "2"
    assert result["diff"]["before"]["tasks"]["install"]["priority"] == 1


def test_two_windows_with_the_name_fail(stubbed):
    ssm = stubbed("ssm")
    identities = [{"WindowId": WID, "Name": NAME}, {"WindowId": "mw-0ffffffffffffffff", "Name": NAME}]
    ssm.add_response("describe_maintenance_windows", {"WindowIdentities": identities}, {"Filters": [{"Key": "Name", "Values": [NAME]}]})

    result = stubbed.run(ssm_maintenance_window.main, stub_args())

    assert result.failed
    assert "2 maintenance windows named" in result["msg"]


def test_delete_with_tasks(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm)
    queue_read(ssm)
    ssm.add_response("delete_maintenance_window", {"WindowId": WID}, {"WindowId": WID})

    result = stubbed.run(ssm_maintenance_window.main, {"name": NAME, "state": "absent"}, diff=True)

    assert result.get("changed") is True, result.get("msg")
    assert result["diff"]["before"]["tasks"]["install"]["task_arn"] == "AWS-RunPatchBaseline"
    stubbed.assert_all_used()


def test_info_with_tasks(stubbed):
    ssm = stubbed("ssm")
    ssm.add_response("describe_maintenance_windows", {"WindowIdentities": [{"WindowId": WID, "Name": NAME}]}, {})
    queue_read(ssm)

    result = stubbed.run(ssm_maintenance_window_info.main, {})

    stubbed.assert_all_used()
    (window,) = result["maintenance_windows"]
    (task,) = window["tasks"]
    assert task["target_names"] == ["web"]
    assert task["task_invocation_parameters"]["run_command"]["parameters"] == {"RebootOption": ["RebootIfNeeded"], "Operation": ["Install"]}
    assert window["targets"][0]["owner_information"] == "platform-ops"


def test_lambda_task_payload_read_back_as_bytes_is_no_change(stubbed):
    function = "arn:aws:lambda:us-east-1:123456789012:function:hp-drain"
    payload = '{"action": "drain"}'
    described = {
        "WindowId": WID,
        "WindowTaskId": TASK_ID,
        "Name": "drain",
        "TaskArn": function,
        "TaskType": "LAMBDA",
        "Priority": 0,
        "CutoffBehavior": "CONTINUE_TASK",
        "TaskInvocationParameters": {"Lambda": {"Payload": payload.encode(), "Qualifier": "live"}},
    }
    ssm = stubbed("ssm")
    queue_find(ssm)
    queue_read(ssm, tasks=[described])
    task = {"name": "drain", "task_type": "LAMBDA", "task_arn": function, "priority": 0, "lambda": {"payload": payload, "qualifier": "live"}}

    result = stubbed.run(ssm_maintenance_window.main, stub_args(tasks=[task]))

    assert result.get("changed") is False, result.get("msg")
    stubbed.assert_all_used()
    assert result["maintenance_window"]["tasks"][0]["task_invocation_parameters"]["lambda"]["payload"] == payload
