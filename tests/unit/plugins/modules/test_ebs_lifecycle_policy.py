# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ebs_lifecycle_policy and ebs_lifecycle_policy_info, with botocore's Stubber.

moto 5.2.5 has no Data Lifecycle Manager at all (every DLM call, GetLifecyclePolicies included,
answers HTTP 500; see LAB.md), so these tests queue the AWS responses on a Stubber. The Stubber
validates every request and every queued response against the real botocore model, and fails on any
call that was not queued: a test that queues only reads proves that the module made no change.
"""

from __future__ import annotations

import copy
import datetime

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import ebs_lifecycle_policy as dlm_policy
from ansible_collections.healthplatform.aws.plugins.modules import ebs_lifecycle_policy_info as dlm_info

DESCRIPTION = "healthplatform test daily EBS snapshots"
POLICY_ID = "policy-0123456789abcdef0"
OTHER_ID = "policy-0fedcba9876543210"
POLICY_ARN = f"arn:aws:dlm:us-east-1:123456789012:policy/{POLICY_ID}"
ROLE = "arn:aws:iam::123456789012:role/AWSDataLifecycleManagerDefaultRole"
CMK = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
WHEN = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)


@pytest.fixture
def dlm(stubbed):
    stubber = stubbed("dlm")
    calls = []
    stubbed.clients["dlm"][0].meta.events.register("before-parameter-build.dlm", lambda model, **kw: calls.append(model.name))
    stubber.calls = calls
    return stubber


def schedule(**extra):
    result = {
        "name": "daily",
        "create_rule": {"interval": 24, "interval_unit": "HOURS", "times": ["03:00"]},
        "retain_rule": {"interval": 14, "interval_unit": "DAYS"},
        "copy_tags": True,
        "tags_to_add": {"CreatedBy": "dlm"},
        "cross_region_copy_rules": [
            {"target_region": "us-west-2", "encrypted": True, "cmk_arn": CMK, "copy_tags": True, "retain_rule": {"interval": 14, "interval_unit": "DAYS"}}
        ],
    }
    result.update(extra)
    return result


def args(**extra):
    result = {
        "description": DESCRIPTION,
        "execution_role_arn": ROLE,
        "resource_types": ["VOLUME"],
        "target_tags": {"Snapshot": "daily", "Environment": "test"},
        "schedules": [schedule()],
        "tags": {"Environment": "test"},
    }
    result.update(extra)
    return result


def details(**schedule_extra):
    """The PolicyDetails the module sends for args()."""
    sched = {
        "Name": "daily",
        "CreateRule": {"Interval": 24, "IntervalUnit": "HOURS", "Times": ["03:00"]},
        "RetainRule": {"Interval": 14, "IntervalUnit": "DAYS"},
        "CopyTags": True,
        "TagsToAdd": [{"Key": "CreatedBy", "Value": "dlm"}],
        "CrossRegionCopyRules": [
            {"TargetRegion": "us-west-2", "Encrypted": True, "CopyTags": True, "CmkArn": CMK, "RetainRule": {"Interval": 14, "IntervalUnit": "DAYS"}}
        ],
    }
    sched.update(schedule_extra)
    return {
        "PolicyType": "EBS_SNAPSHOT_MANAGEMENT",
        "ResourceTypes": ["VOLUME"],
        "TargetTags": [{"Key": "Snapshot", "Value": "daily"}, {"Key": "Environment", "Value": "test"}],
        "Schedules": [sched],
    }


def as_aws_returns(policy_details):
    """What GetLifecyclePolicy gives back: AWS adds locations and may reorder lists."""
    returned = copy.deepcopy(policy_details)
    returned["ResourceLocations"] = ["CLOUD"]
    returned["TargetTags"] = list(reversed(returned["TargetTags"]))
    for sched in returned["Schedules"]:
        sched["CreateRule"]["Location"] = "CLOUD"
    return returned


def policy(policy_details=None, **extra):
    result = {
        "PolicyId": POLICY_ID,
        "PolicyArn": POLICY_ARN,
        "Description": DESCRIPTION,
        "State": "ENABLED",
        "StatusMessage": "ENABLED",
        "ExecutionRoleArn": ROLE,
        "DateCreated": WHEN,
        "DateModified": WHEN,
        "PolicyDetails": as_aws_returns(policy_details or details()),
        "Tags": {"Environment": "test"},
    }
    result.update(extra)
    return result


def queue_existing(stubber, found=None):
    summaries = [
        {"PolicyId": OTHER_ID, "Description": "someone else's policy", "State": "ENABLED", "PolicyType": "EBS_SNAPSHOT_MANAGEMENT"},
        {"PolicyId": POLICY_ID, "Description": DESCRIPTION, "State": "ENABLED", "PolicyType": "EBS_SNAPSHOT_MANAGEMENT"},
    ]
    stubber.add_response("get_lifecycle_policies", {"Policies": summaries}, {})
    stubber.add_response("get_lifecycle_policy", {"Policy": found or policy()}, {"PolicyId": POLICY_ID})


# --- create / no-op / update / delete ---------------------------------------------------------


def test_create(stubbed, dlm):
    dlm.add_client_error("get_lifecycle_policies", "ResourceNotFoundException", "No policies found", http_status_code=404)
    dlm.add_response(
        "create_lifecycle_policy",
        {"PolicyId": POLICY_ID},
        {"ExecutionRoleArn": ROLE, "Description": DESCRIPTION, "State": "ENABLED", "PolicyDetails": details(), "Tags": {"Environment": "test"}},
    )
    dlm.add_response("get_lifecycle_policy", {"Policy": policy()}, {"PolicyId": POLICY_ID})

    result = stubbed.run(dlm_policy.main, args(), diff=True)

    assert result["changed"] is True, result
    assert result["policy"]["policy_id"] == POLICY_ID
    assert result["policy"]["tags"] == {"Environment": "test"}
    copy_rule = result["policy"]["policy_details"]["schedules"][0]["cross_region_copy_rules"][0]
    assert copy_rule == {
        "target_region": "us-west-2",
        "encrypted": True,
        "cmk_arn": CMK,
        "copy_tags": True,
        "retain_rule": {"interval": 14, "interval_unit": "DAYS"},
    }
    assert result["diff"]["before"] == {}
    stubbed.assert_all_used()


def test_create_with_cron_and_count(stubbed, dlm):
    weekly = schedule(name="weekly", create_rule={"cron_expression": "cron(0 2 ? * SUN *)"}, retain_rule={"count": 8}, cross_region_copy_rules=[])
    sent = details(Name="weekly", CreateRule={"CronExpression": "cron(0 2 ? * SUN *)"}, RetainRule={"Count": 8})
    del sent["Schedules"][0]["CrossRegionCopyRules"]
    dlm.add_response("get_lifecycle_policies", {"Policies": []}, {})
    dlm.add_response(
        "create_lifecycle_policy",
        {"PolicyId": POLICY_ID},
        {"ExecutionRoleArn": ROLE, "Description": DESCRIPTION, "State": "DISABLED", "PolicyDetails": sent},
    )
    dlm.add_response("get_lifecycle_policy", {"Policy": policy(sent, State="DISABLED", Tags={})}, {"PolicyId": POLICY_ID})

    result = stubbed.run(dlm_policy.main, args(schedules=[weekly], policy_state="DISABLED", tags=None))

    assert result["changed"] is True, result
    assert result["policy"]["state"] == "DISABLED"
    assert result["policy"]["policy_details"]["schedules"][0]["create_rule"]["cron_expression"] == "cron(0 2 ? * SUN *)"
    stubbed.assert_all_used()


def test_no_change_queues_only_reads(stubbed, dlm):
    queue_existing(dlm)

    result = stubbed.run(dlm_policy.main, args())

    assert result["changed"] is False, result
    assert result["policy"]["policy_id"] == POLICY_ID
    assert dlm.calls == ["GetLifecyclePolicies", "GetLifecyclePolicy"]
    stubbed.assert_all_used()


def test_time_picked_by_dlm_is_not_compared(stubbed, dlm):
    queue_existing(dlm, policy(details(CreateRule={"Interval": 24, "IntervalUnit": "HOURS", "Times": ["09:17"]})))
    no_time = schedule(create_rule={"interval": 24})

    result = stubbed.run(dlm_policy.main, args(schedules=[no_time]))

    assert result["changed"] is False, result
    stubbed.assert_all_used()


@pytest.mark.parametrize(
    "change, sent",
    [
        ({"schedules": [schedule(retain_rule={"interval": 30, "interval_unit": "DAYS"})]}, details(RetainRule={"Interval": 30, "IntervalUnit": "DAYS"})),
        (
            {"schedules": [schedule(create_rule={"interval": 12, "times": ["03:00"]})]},
            details(CreateRule={"Interval": 12, "IntervalUnit": "HOURS", "Times": ["03:00"]}),
        ),
        ({"schedules": [schedule(copy_tags=False)]}, details(CopyTags=False)),
        (
            {"schedules": [schedule(cross_region_copy_rules=[])]},
            {**details(), "Schedules": [{k: v for k, v in details()["Schedules"][0].items() if k != "CrossRegionCopyRules"}]},
        ),
        ({"target_tags": {"Snapshot": "daily"}}, {**details(), "TargetTags": [{"Key": "Snapshot", "Value": "daily"}]}),
    ],
)
def test_update_sends_the_full_details(stubbed, dlm, change, sent):
    queue_existing(dlm)
    dlm.add_response(
        "update_lifecycle_policy",
        {},
        {"PolicyId": POLICY_ID, "ExecutionRoleArn": ROLE, "State": "ENABLED", "Description": DESCRIPTION, "PolicyDetails": sent},
    )
    dlm.add_response("get_lifecycle_policy", {"Policy": policy(sent)}, {"PolicyId": POLICY_ID})

    result = stubbed.run(dlm_policy.main, args(**change), diff=True)

    assert result["changed"] is True, result
    assert result["diff"]["before"]["policy_details"] != result["diff"]["after"]["policy_details"]
    assert dlm.calls == ["GetLifecyclePolicies", "GetLifecyclePolicy", "UpdateLifecyclePolicy", "GetLifecyclePolicy"]
    stubbed.assert_all_used()


def test_disable(stubbed, dlm):
    queue_existing(dlm)
    dlm.add_response(
        "update_lifecycle_policy",
        {},
        {"PolicyId": POLICY_ID, "ExecutionRoleArn": ROLE, "State": "DISABLED", "Description": DESCRIPTION, "PolicyDetails": details()},
    )
    dlm.add_response("get_lifecycle_policy", {"Policy": policy(State="DISABLED")}, {"PolicyId": POLICY_ID})

    result = stubbed.run(dlm_policy.main, args(policy_state="DISABLED"), diff=True)

    assert result["changed"] is True, result
    assert (result["diff"]["before"]["state"], result["diff"]["after"]["state"]) == ("ENABLED", "DISABLED")
    stubbed.assert_all_used()


def test_tags_change_without_update(stubbed, dlm):
    queue_existing(dlm, policy(Tags={"Environment": "test", "Old": "x"}))
    dlm.add_response("untag_resource", {}, {"ResourceArn": POLICY_ARN, "TagKeys": ["Old"]})
    dlm.add_response("tag_resource", {}, {"ResourceArn": POLICY_ARN, "Tags": {"Owner": "ops"}})
    dlm.add_response("get_lifecycle_policy", {"Policy": policy(Tags={"Environment": "test", "Owner": "ops"})}, {"PolicyId": POLICY_ID})

    result = stubbed.run(dlm_policy.main, args(tags={"Environment": "test", "Owner": "ops"}))

    assert result["changed"] is True, result
    assert result["policy"]["tags"] == {"Environment": "test", "Owner": "ops"}
    assert "UpdateLifecyclePolicy" not in dlm.calls
    stubbed.assert_all_used()


def test_by_policy_id_updates_the_description(stubbed, dlm):
    dlm.add_response("get_lifecycle_policy", {"Policy": policy(Description="old description")}, {"PolicyId": POLICY_ID})
    dlm.add_response(
        "update_lifecycle_policy",
        {},
        {"PolicyId": POLICY_ID, "ExecutionRoleArn": ROLE, "State": "ENABLED", "Description": DESCRIPTION, "PolicyDetails": details()},
    )
    dlm.add_response("get_lifecycle_policy", {"Policy": policy()}, {"PolicyId": POLICY_ID})

    result = stubbed.run(dlm_policy.main, args(policy_id=POLICY_ID))

    assert result["changed"] is True, result
    assert result["policy"]["description"] == DESCRIPTION
    stubbed.assert_all_used()


def test_unknown_policy_id(stubbed, dlm):
    dlm.add_client_error("get_lifecycle_policy", "ResourceNotFoundException", http_status_code=404)
    result = stubbed.run(dlm_policy.main, args(policy_id=POLICY_ID))
    assert result.failed
    assert f"policy_id {POLICY_ID} does not exist" in result["msg"]

    dlm.add_client_error("get_lifecycle_policy", "ResourceNotFoundException", http_status_code=404)
    result = stubbed.run(dlm_policy.main, {"policy_id": POLICY_ID, "state": "absent"})
    assert result["changed"] is False, result
    stubbed.assert_all_used()


def test_delete_and_delete_again(stubbed, dlm):
    queue_existing(dlm)
    dlm.add_response("delete_lifecycle_policy", {}, {"PolicyId": POLICY_ID})
    result = stubbed.run(dlm_policy.main, {"description": DESCRIPTION, "state": "absent"}, diff=True)
    assert result["changed"] is True, result
    assert result["diff"]["before"]["policy_id"] == POLICY_ID
    assert result["policy"] == {}
    stubbed.assert_all_used()

    dlm.add_client_error("get_lifecycle_policies", "ResourceNotFoundException", http_status_code=404)
    again = stubbed.run(dlm_policy.main, {"description": DESCRIPTION, "state": "absent"})
    assert again["changed"] is False
    stubbed.assert_all_used()


def test_check_mode_makes_no_change(stubbed, dlm):
    dlm.add_response("get_lifecycle_policies", {"Policies": []}, {})
    create = stubbed.run(dlm_policy.main, args(), check_mode=True)
    queue_existing(dlm)
    update = stubbed.run(dlm_policy.main, args(schedules=[schedule(retain_rule={"count": 14})], tags={"New": "tag"}), check_mode=True)
    queue_existing(dlm)
    delete = stubbed.run(dlm_policy.main, {"description": DESCRIPTION, "state": "absent"}, check_mode=True)

    assert create["changed"] is True
    assert create["policy"]["policy_details"]["schedules"][0]["retain_rule"] == {"interval": 14, "interval_unit": "DAYS"}
    assert update["changed"] is True
    assert update["policy"]["policy_details"]["schedules"][0]["retain_rule"] == {"count": 14}
    assert update["policy"]["tags"] == {"New": "tag"}
    assert delete["changed"] is True
    assert all(c.startswith("Get") for c in dlm.calls), dlm.calls
    stubbed.assert_all_used()


def test_duplicate_descriptions_fail(stubbed, dlm):
    same = [{"PolicyId": POLICY_ID, "Description": DESCRIPTION}, {"PolicyId": OTHER_ID, "Description": DESCRIPTION}]
    dlm.add_response("get_lifecycle_policies", {"Policies": same}, {})
    result = stubbed.run(dlm_policy.main, args())
    assert result.failed
    assert "2 lifecycle policies have the description" in result["msg"]
    stubbed.assert_all_used()


def test_an_ami_policy_with_the_same_description_is_not_touched(stubbed, dlm):
    ami = policy()
    ami["PolicyDetails"]["PolicyType"] = "IMAGE_MANAGEMENT"
    queue_existing(dlm, ami)
    result = stubbed.run(dlm_policy.main, args())
    assert result.failed
    assert "IMAGE_MANAGEMENT policy, not an EBS snapshot policy" in result["msg"]
    stubbed.assert_all_used()


# --- bad input ---------------------------------------------------------------------------------------


def copy_rule(**extra):
    rule = {"target_region": "us-west-2", "encrypted": True, "cmk_arn": CMK}
    rule.update(extra)
    return rule


@pytest.mark.parametrize(
    "change, message",
    [
        ({"schedules": [schedule(create_rule={"cron_expression": "cron(0 25 ? * * *)"})]}, "schedules[0].create_rule.cron_expression 'cron(0 25 ? * * *)'"),
        ({"schedules": [schedule(create_rule={"cron_expression": "cron(0 5 * * MON *)"})]}, "schedules[0].create_rule.cron_expression"),
        ({"schedules": [schedule(create_rule={"cron_expression": "rate(1 day)"})]}, "schedules[0].create_rule.cron_expression"),
        ({"schedules": [schedule(create_rule={"cron_expression": "cron(0 0 5 ? * * *)"})]}, "schedules[0].create_rule.cron_expression"),
        ({"schedules": [schedule(), schedule(name="second", create_rule={"cron_expression": "cron(0 5 ? * * )"})]}, "schedules[1].create_rule.cron_expression"),
        ({"schedules": [schedule(create_rule={"interval": 24, "cron_expression": "cron(0 5 ? * * *)"})]}, "schedules[0].create_rule needs either"),
        ({"schedules": [schedule(create_rule={"times": ["03:00"]})]}, "schedules[0].create_rule needs either"),
        ({"schedules": [schedule(create_rule={"cron_expression": "cron(0 5 ? * * *)", "times": ["03:00"]})]}, "schedules[0].create_rule.times"),
        ({"schedules": [schedule(create_rule={"interval": 24, "times": ["3am"]})]}, "schedules[0].create_rule.times"),
        ({"schedules": [schedule(create_rule={"interval": 24, "times": ["03:00", "15:00"]})]}, "schedules[0].create_rule.times"),
        ({"schedules": [schedule(create_rule={"interval": 5})]}, "interval"),
        ({"schedules": [schedule(retain_rule={"count": 7, "interval": 7, "interval_unit": "DAYS"})]}, "schedules[0].retain_rule retains either by count"),
        ({"schedules": [schedule(retain_rule={})]}, "schedules[0].retain_rule needs"),
        ({"schedules": [schedule(retain_rule={"interval": 7})]}, "schedules[0].retain_rule retains by age"),
        ({"schedules": [schedule(retain_rule={"count": 0})]}, "schedules[0].retain_rule.count"),
        ({"schedules": [schedule(retain_rule={"count": 1001})]}, "schedules[0].retain_rule.count"),
        ({"schedules": [schedule(cross_region_copy_rules=[copy_rule(cmk_arn=None)])]}, "schedules[0].cross_region_copy_rules[0].cmk_arn is required"),
        (
            {"schedules": [schedule(cross_region_copy_rules=[copy_rule(), copy_rule(target_region="eu-west-1", cmk_arn=None)])]},
            "cross_region_copy_rules[1].cmk_arn",
        ),
        ({"schedules": [schedule(cross_region_copy_rules=[copy_rule(encrypted=False)])]}, "schedules[0].cross_region_copy_rules[0].cmk_arn is set"),
        ({"schedules": [schedule(cross_region_copy_rules=[copy_rule(target_region="eu-west-1")])]}, "cross_region_copy_rules[0].cmk_arn is a key in us-west-2"),
        ({"schedules": [schedule(cross_region_copy_rules=[copy_rule(cmk_arn="alias/dr")])]}, "cross_region_copy_rules[0].cmk_arn must be a KMS key ARN"),
        ({"schedules": [schedule(cross_region_copy_rules=[copy_rule(target_region="west")])]}, "cross_region_copy_rules[0].target_region"),
        ({"schedules": [schedule(cross_region_copy_rules=[copy_rule(retain_rule={"interval": 7})])]}, "cross_region_copy_rules[0].retain_rule"),
        ({"schedules": [schedule(cross_region_copy_rules=[copy_rule()] * 4)]}, "schedules[0].cross_region_copy_rules takes at most 3"),
        ({"schedules": [schedule(variable_tags={"instance": "$(instance-id)"})]}, "schedules[0].variable_tags"),
        ({"schedules": [schedule(name="daily!")]}, "schedules[0].name"),
        ({"schedules": [schedule(), schedule()]}, "schedules[].name must be unique"),
        ({"schedules": [schedule(name=f"s{i}") for i in range(5)]}, "schedules takes at most 4"),
        ({"schedules": []}, "schedules is required"),
        ({"resource_types": ["VOLUME", "INSTANCE"]}, "resource_types"),
        ({"target_tags": {}}, "target_tags is required"),
        ({"execution_role_arn": None}, "execution_role_arn is required"),
        ({"execution_role_arn": "AWSDataLifecycleManagerDefaultRole"}, "execution_role_arn must be an IAM role ARN"),
        ({"description": "daily snapshots (prod)"}, "description"),
        ({"policy_id": "0123"}, "policy_id"),
        ({"description": None}, "description, policy_id"),
    ],
)
def test_bad_input_fails_before_any_call(stubbed, dlm, change, message):
    given = {k: v for k, v in args(**change).items() if v is not None}
    result = stubbed.run(dlm_policy.main, given)

    assert result.failed
    assert message in result["msg"]
    assert dlm.calls == [], "validation must happen before any API call"


def test_variable_tags_for_instance_policies(stubbed, dlm):
    sched = schedule(variable_tags={"instance": "$(instance-id)"}, cross_region_copy_rules=[])
    sent = details(VariableTags=[{"Key": "instance", "Value": "$(instance-id)"}])
    del sent["Schedules"][0]["CrossRegionCopyRules"]
    sent["ResourceTypes"] = ["INSTANCE"]
    dlm.add_response("get_lifecycle_policies", {"Policies": []}, {})
    dlm.add_response(
        "create_lifecycle_policy",
        {"PolicyId": POLICY_ID},
        {"ExecutionRoleArn": ROLE, "Description": DESCRIPTION, "State": "ENABLED", "PolicyDetails": sent, "Tags": {"Environment": "test"}},
    )
    dlm.add_response("get_lifecycle_policy", {"Policy": policy(sent)}, {"PolicyId": POLICY_ID})

    result = stubbed.run(dlm_policy.main, args(resource_types=["INSTANCE"], schedules=[sched]))

    assert result["changed"] is True, result
    stubbed.assert_all_used()


# --- info ----------------------------------------------------------------------------------------------


def test_info_filters_and_describes(stubbed, dlm):
    dlm.add_response(
        "get_lifecycle_policies",
        {"Policies": [{"PolicyId": POLICY_ID, "Description": DESCRIPTION}, {"PolicyId": OTHER_ID, "Description": "other"}]},
        {"State": "ENABLED", "ResourceTypes": ["VOLUME"], "TargetTags": ["Snapshot=daily"]},
    )
    dlm.add_response("get_lifecycle_policy", {"Policy": policy()}, {"PolicyId": POLICY_ID})

    result = stubbed.run(
        dlm_info.main, {"policy_state": "ENABLED", "resource_types": ["VOLUME"], "target_tags": {"Snapshot": "daily"}, "description": DESCRIPTION}
    )

    assert result["changed"] is False
    (found,) = result["policies"]
    assert found["policy_id"] == POLICY_ID
    assert found["tags"] == {"Environment": "test"}
    assert found["policy_details"]["schedules"][0]["retain_rule"] == {"interval": 14, "interval_unit": "DAYS"}
    stubbed.assert_all_used()


def test_info_without_policies(stubbed, dlm):
    dlm.add_client_error("get_lifecycle_policies", "ResourceNotFoundException", http_status_code=404)
    result = stubbed.run(dlm_info.main, {})
    assert result["policies"] == []
    stubbed.assert_all_used()
