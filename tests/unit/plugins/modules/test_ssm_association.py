# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ssm_association and ssm_association_info.

moto 5.2.5 implements none of the association API: CreateAssociation, ListAssociations,
DescribeAssociation, UpdateAssociation and DeleteAssociation all answer HTTP 500 (checked against the
server; LAB.md lists the first two). So the module is tested with botocore's Stubber, which validates every
request against the real SSM API model and fails on any call that was not queued, in the order queued.
Bad input is tested against the moto server, whose request recorder proves that no call is made at all.
"""

from __future__ import annotations

import datetime
import json

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import ssm_association
from ansible_collections.healthplatform.aws.plugins.modules import ssm_association_info

NAME = "hp-instance-local-web"
AID = "8dfe3659-4309-493a-8755-0123456789ab"
WHEN = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
SOURCE_INFO = '{"path": "https://hp-artifacts.s3.us-east-1.amazonaws.com/state-manager/hp-instance-bundle.zip"}'
# The AWS-ApplyAnsiblePlaybooks parameters exactly as playbooks/state_manager.yml sends them (roles/state_manager):
# the document accepts only the strings True/False for InstallDependencies and Check.
PARAMETERS = {
    "SourceType": ["S3"],
    "SourceInfo": [SOURCE_INFO],
    "InstallDependencies": ["False"],
    "PlaybookFile": ["instance_local.yml"],
    "ExtraVariables": ["SSM=True"],
    "Check": ["False"],
    "Verbose": ["-v"],
    "TimeoutSeconds": ["3600"],
}
TARGETS = [("tag:Platform", ["healthplatform"]), ("tag:Environment", ["test"]), ("tag:Role", ["web"])]


def args(**extra):
    result = {
        "association_name": NAME,
        "document_name": "AWS-ApplyAnsiblePlaybooks",
        "document_version": "$DEFAULT",
        "parameters": {k: list(v) for k, v in PARAMETERS.items()},
        "targets": [{"key": k, "values": v} for k, v in TARGETS],
        "schedule_expression": "rate(30 minutes)",
        "apply_only_at_cron_interval": False,
        "max_concurrency": "25%",
        "max_errors": "10%",
        "compliance_severity": "HIGH",
        "output_location": {"s3_bucket_name": "hp-artifacts", "s3_key_prefix": "state-manager/output/web/", "s3_region": "us-east-1"},
        "tags": {"Environment": "test"},
    }
    result.update(extra)
    return result


REQUEST = {
    "Name": "AWS-ApplyAnsiblePlaybooks",
    "AssociationName": NAME,
    "DocumentVersion": "$DEFAULT",
    "Targets": [{"Key": k, "Values": v} for k, v in TARGETS],
    "Parameters": PARAMETERS,
    "ApplyOnlyAtCronInterval": False,
    "ScheduleExpression": "rate(30 minutes)",
    "MaxConcurrency": "25%",
    "MaxErrors": "10%",
    "ComplianceSeverity": "HIGH",
    "OutputLocation": {"S3Location": {"OutputS3BucketName": "hp-artifacts", "OutputS3KeyPrefix": "state-manager/output/web/", "OutputS3Region": "us-east-1"}},
}


def description(status="Success", **extra):
    """What DescribeAssociation answers for the association args() describes (its parameters in another order)."""
    result = dict(
        {k: v for k, v in REQUEST.items() if k != "Parameters"},
        Parameters={k: PARAMETERS[k] for k in sorted(PARAMETERS)},
        AssociationId=AID,
        AssociationVersion="1",
        SyncCompliance="AUTO",
        Date=WHEN,
        LastUpdateAssociationDate=WHEN,
        Overview={"Status": status, "DetailedStatus": status},
    )
    result.update(extra)
    return {k: v for k, v in result.items() if v is not None}


LIST = {"AssociationFilterList": [{"key": "AssociationName", "value": NAME}]}


def queue_find(ssm, *found):
    ssm.add_response(
        "list_associations", {"Associations": [{"AssociationId": a, "AssociationName": NAME, "Name": "AWS-ApplyAnsiblePlaybooks"} for a in found]}, LIST
    )


def queue_read(ssm, desc=None, tags=None):
    ssm.add_response("describe_association", {"AssociationDescription": desc or description()}, {"AssociationId": AID})
    tags = {"Environment": "test"} if tags is None else tags
    ssm.add_response(
        "list_tags_for_resource", {"TagList": [{"Key": k, "Value": v} for k, v in tags.items()]}, {"ResourceType": "Association", "ResourceId": AID}
    )


def test_create(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm)
    ssm.add_response(
        "create_association", {"AssociationDescription": description(status="Pending")}, dict(REQUEST, Tags=[{"Key": "Environment", "Value": "test"}])
    )
    queue_read(ssm, description(status="Pending"))

    result = stubbed.run(ssm_association.main, args())

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()
    association = result["association"]
    assert association["association_id"] == AID
    assert association["parameters"]["PlaybookFile"] == ["instance_local.yml"], "parameter names keep their case"
    assert association["parameters"]["InstallDependencies"] == ["False"]
    assert association["tags"] == {"Environment": "test"}


def test_create_and_wait_for_success(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm)
    ssm.add_response(
        "create_association", {"AssociationDescription": description(status="Pending")}, dict(REQUEST, Tags=[{"Key": "Environment", "Value": "test"}])
    )
    ssm.add_response("describe_association", {"AssociationDescription": description()}, {"AssociationId": AID})  # the waiter
    queue_read(ssm)

    result = stubbed.run(ssm_association.main, args(wait_for_success_timeout_seconds=300))

    assert result.get("changed") is True, result.get("msg")
    assert result["association"]["overview"]["status"] == "Success"
    stubbed.assert_all_used()


def test_wait_reports_a_failed_association(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm)
    ssm.add_response(
        "create_association", {"AssociationDescription": description(status="Pending")}, dict(REQUEST, Tags=[{"Key": "Environment", "Value": "test"}])
    )
    ssm.add_response("describe_association", {"AssociationDescription": description(status="Failed")}, {"AssociationId": AID})

    result = stubbed.run(ssm_association.main, args(wait_for_success_timeout_seconds=300))

    assert result.failed
    assert "was applied but it failed" in result["msg"]
    assert result["association_id"] == AID
    stubbed.assert_all_used()


def test_wait_times_out(stubbed, monkeypatch):
    import botocore.waiter

    slept = []
    monkeypatch.setattr(botocore.waiter.time, "sleep", slept.append)  # the test itself never sleeps
    ssm = stubbed("ssm")
    queue_find(ssm)
    ssm.add_response(
        "create_association", {"AssociationDescription": description(status="Pending")}, dict(REQUEST, Tags=[{"Key": "Environment", "Value": "test"}])
    )
    for _attempt in range(3):
        ssm.add_response("describe_association", {"AssociationDescription": description(status="Pending")}, {"AssociationId": AID})

    result = stubbed.run(ssm_association.main, args(wait_for_success_timeout_seconds=30))

    assert result.failed
    assert "did not succeed within 30 s (wait_for_success_timeout_seconds)" in result["msg"]
    assert slept == [15, 15]
    stubbed.assert_all_used()


def test_no_change_makes_only_reads(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, AID)
    queue_read(ssm)

    result = stubbed.run(ssm_association.main, args(), diff=True)

    assert result.get("changed") is False, result.get("msg")
    stubbed.assert_all_used()  # any call not queued would have failed the run
    assert result["diff"]["before"] == result["diff"]["after"]


def test_update_sends_the_complete_association(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, AID)
    queue_read(ssm, description(ScheduleExpression="rate(1 hour)", AssociationVersion="3"))
    # only the schedule differs, yet every setting is sent: UpdateAssociation resets what is left out
    ssm.add_response(
        "update_association", {"AssociationDescription": description(AssociationVersion="4")}, dict(REQUEST, AssociationId=AID, AssociationVersion="3")
    )
    queue_read(ssm, description(AssociationVersion="4"))

    result = stubbed.run(ssm_association.main, args(), diff=True)

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()
    assert result["diff"]["before"]["schedule_expression"] == "rate(1 hour)"
    assert result["diff"]["after"]["schedule_expression"] == "rate(30 minutes)"
    assert result["association"]["association_version"] == "4"


def test_update_and_wait(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, AID)
    queue_read(ssm, description(MaxErrors="1"))
    ssm.add_response("update_association", {"AssociationDescription": description()}, dict(REQUEST, AssociationId=AID, AssociationVersion="1"))
    ssm.add_response("describe_association", {"AssociationDescription": description()}, {"AssociationId": AID})
    queue_read(ssm)

    result = stubbed.run(ssm_association.main, args(wait_for_success_timeout_seconds=60))

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()


def test_changed_parameter_updates_the_complete_association(stubbed):
    """A tag group switched to check mode (state_manager_check): only Check differs, every setting is sent again."""
    ssm = stubbed("ssm")
    queue_find(ssm, AID)
    queue_read(ssm)
    wanted = dict(PARAMETERS, Check=["True"], ExtraVariables=["SSM=True hp_canary=yes"])
    ssm.add_response(
        "update_association",
        {"AssociationDescription": description(Parameters=wanted, AssociationVersion="2")},
        dict(REQUEST, Parameters=wanted, AssociationId=AID, AssociationVersion="1"),
    )
    queue_read(ssm, description(Parameters=wanted, AssociationVersion="2"))

    result = stubbed.run(ssm_association.main, args(parameters=wanted), diff=True)

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()
    assert result["diff"]["before"]["parameters"]["Check"] == ["False"]
    assert result["diff"]["after"]["parameters"]["Check"] == ["True"]


def test_scalar_parameters_are_one_element_lists(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm)
    scalars = dict(PARAMETERS, SourceType="S3", TimeoutSeconds=3600)
    ssm.add_response(
        "create_association", {"AssociationDescription": description(status="Pending")}, dict(REQUEST, Tags=[{"Key": "Environment", "Value": "test"}])
    )
    queue_read(ssm, description(status="Pending"))

    result = stubbed.run(ssm_association.main, args(parameters=scalars))

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()  # the request had SourceType ["S3"] and TimeoutSeconds ["3600"]


def test_omitted_settings_are_removed(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, AID)
    queue_read(ssm)
    request = {k: v for k, v in REQUEST.items() if k not in ("OutputLocation", "ComplianceSeverity")}
    ssm.add_response("update_association", {"AssociationDescription": description()}, dict(request, AssociationId=AID, AssociationVersion="1"))
    queue_read(ssm, description(OutputLocation=None, ComplianceSeverity=None, AssociationVersion="2"))

    omitted = {k: v for k, v in args().items() if k not in ("output_location", "compliance_severity")}
    result = stubbed.run(ssm_association.main, omitted)

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()
    assert "output_location" not in result["association"]


def test_tags_only_update_does_not_rerun_the_association(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, AID)
    queue_read(ssm, tags={"Environment": "test", "Old": "x"})
    ssm.add_response("remove_tags_from_resource", {}, {"ResourceType": "Association", "ResourceId": AID, "TagKeys": ["Old"]})
    ssm.add_response("add_tags_to_resource", {}, {"ResourceType": "Association", "ResourceId": AID, "Tags": [{"Key": "Owner", "Value": "ops"}]})
    queue_read(ssm, tags={"Environment": "test", "Owner": "ops"})

    result = stubbed.run(ssm_association.main, args(tags={"Environment": "test", "Owner": "ops"}, wait_for_success_timeout_seconds=60))

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()  # no UpdateAssociation, and no wait
    assert result["association"]["tags"] == {"Environment": "test", "Owner": "ops"}


def test_check_mode_create_and_update_read_only(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm)
    queue_find(ssm, AID)
    queue_read(ssm)

    create = stubbed.run(ssm_association.main, args(), check_mode=True)
    update = stubbed.run(
        ssm_association.main, args(schedule_expression="cron(0 2 ? * SUN *)", apply_only_at_cron_interval=True, tags={}), check_mode=True, diff=True
    )

    stubbed.assert_all_used()  # only reads were queued: a mutating call would have failed the run
    assert create.get("changed") is True, create.get("msg")
    assert create["association"]["association_name"] == NAME
    assert update.get("changed") is True, update.get("msg")
    assert update["association"]["schedule_expression"] == "cron(0 2 ? * SUN *)"
    assert update["association"]["apply_only_at_cron_interval"] is True
    assert update["association"]["tags"] == {}
    assert update["diff"]["before"]["schedule_expression"] == "rate(30 minutes)"


def test_delete(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, AID)
    queue_read(ssm)
    ssm.add_response("delete_association", {}, {"AssociationId": AID})
    queue_find(ssm)

    result = stubbed.run(ssm_association.main, {"association_name": NAME, "state": "absent"}, diff=True)
    again = stubbed.run(ssm_association.main, {"association_name": NAME, "state": "absent"})

    assert result.get("changed") is True, result.get("msg")
    assert result["association"] == {}
    assert result["diff"]["before"]["association_id"] == AID
    assert again.get("changed") is False, again.get("msg")
    stubbed.assert_all_used()


def test_check_mode_delete_reads_only(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, AID)
    queue_read(ssm)

    result = stubbed.run(ssm_association.main, {"association_name": NAME, "state": "absent"}, check_mode=True)

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()


def test_two_associations_with_the_name_fail(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, AID, "11111111-2222-4333-8444-555555555555")

    result = stubbed.run(ssm_association.main, args())

    assert result.failed
    assert "2 associations named" in result["msg"]


def test_info_by_document(stubbed):
    ssm = stubbed("ssm")
    ssm.add_response(
        "list_associations",
        {"Associations": [{"AssociationId": AID, "AssociationName": NAME, "Name": "AWS-ApplyAnsiblePlaybooks"}]},
        {"AssociationFilterList": [{"key": "Name", "value": "AWS-ApplyAnsiblePlaybooks"}]},
    )
    queue_read(ssm)

    result = stubbed.run(ssm_association_info.main, {"document_name": "AWS-ApplyAnsiblePlaybooks"})

    assert result["changed"] is False
    stubbed.assert_all_used()
    (association,) = result["associations"]
    assert association["association_name"] == NAME
    assert association["parameters"]["SourceInfo"] == [SOURCE_INFO]
    assert association["overview"]["status"] == "Success"
    assert association["tags"] == {"Environment": "test"}
    json.dumps(result)


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"schedule_expression": "cron(0 2 * * SUN *)"}, "schedule_expression"),
        ({"schedule_expression": "rate(5 minutes)"}, "schedule_expression"),
        ({"schedule_expression": "rate(31 days)"}, "schedule_expression"),
        ({"schedule_expression": "at(2025-07-07 13:15:30)"}, "schedule_expression"),
        ({"schedule_expression": "daily"}, "schedule_expression"),
        ({"max_concurrency": "0"}, "max_concurrency"),
        ({"max_concurrency": "150%"}, "max_concurrency"),
        ({"max_errors": "some"}, "max_errors"),
        ({"schedule_offset": 2}, "schedule_offset"),
        ({"schedule_expression": "cron(0 2 ? * SUN *)", "schedule_offset": 2}, "apply_only_at_cron_interval"),
        ({"apply_only_at_cron_interval": True}, "apply_only_at_cron_interval"),
        ({"document_version": "latest"}, "document_version"),
        ({"document_name": None}, "document_name"),
        ({"targets": None}, "targets"),
        ({"targets": [{"key": "tag:Role", "values": ["web"]}] * 6}, "targets"),
        ({"parameters": {"SourceInfo": {"path": "x"}}}, "parameters.SourceInfo"),
        ({"parameters": dict(PARAMETERS, ExtraVariables=[{"SSM": "True"}])}, "parameters.ExtraVariables"),
        ({"association_name": "a b"}, "association_name"),
        ({"compliance_severity": "SEVERE"}, "compliance_severity"),
        ({"output_location": {"s3_bucket_name": "x"}}, "output_location.s3_bucket_name"),
        ({"wait_for_success_timeout_seconds": -1}, "wait_for_success_timeout_seconds"),
    ],
)
def test_bad_input_fails_before_any_call(aws, extra, option):
    with aws.recording() as calls:
        result = aws.run(ssm_association.main, args(**extra))

    assert result.failed
    assert option in result["msg"], result["msg"]
    assert calls == [], "validation must happen before any API call"
