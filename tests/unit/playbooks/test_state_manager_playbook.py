# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/state_manager.yml (roles/state_manager) through the lab inventory against moto.

moto implements S3 (SSE-KMS objects, metadata) and KMS: the bundle is uploaded and read back. It has no
association API (CreateAssociation, ListAssociations, DescribeAssociation answer HTTP 500), so the lab
inventory turns the associations off and the run must say so. The association the playbook plans is then
handed to healthplatform.aws.ssm_association with botocore's Stubber, which validates the request against
the real SSM API model: that is the AWS-ApplyAnsiblePlaybooks call the playbook makes on AWS."""

from __future__ import annotations

import datetime
import io
import json
import os
import zipfile

import boto3
import pytest

from ansible_collections.healthplatform.aws.plugins.modules import ssm_association
from playbooks import REPO
from playbooks import run_playbook

BUCKET = "healthplatform-lab-content-123456789012-us-east-1"  # the data tier's content bucket in moto's account
KEY = "state-manager/healthplatform-lab-instance-bundle.zip"
ASSOCIATION = "healthplatform-lab-instance-local-web"


def client(server, service):
    return boto3.client(service, region_name="us-east-1", endpoint_url=server.endpoint, aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture(scope="module")
def lab(moto_lab):
    """The objects key and the content bucket, as the kms and data tiers leave them."""
    kms = client(moto_lab, "kms")
    key = kms.create_key(Description="objects")["KeyMetadata"]
    kms.create_alias(AliasName="alias/healthplatform-lab-objects", TargetKeyId=key["KeyId"])
    client(moto_lab, "s3").create_bucket(Bucket=BUCKET)
    moto_lab.key_arn = key["Arn"]
    return moto_lab


def bundle(server):
    body = client(server, "s3").get_object(Bucket=BUCKET, Key=KEY)["Body"].read()
    return zipfile.ZipFile(io.BytesIO(body))


def test_bundle_uploaded_once_and_associations_skipped_visibly(lab):
    first = run_playbook(lab.endpoint, "state_manager.yml")
    assert first.rc == 0, first
    assert f"SKIPPED (not done): the State Manager association {ASSOCIATION}" in first.output
    assert "does not implement the State Manager association API" in first.output
    assert "uploaded" in first.output

    head = client(lab, "s3").head_object(Bucket=BUCKET, Key=KEY)
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"] == lab.key_arn, "encrypted with the kms tier's objects key"
    archive = bundle(lab)
    names = set(archive.namelist())
    with open(os.path.join(REPO, "playbooks", "instance_local.yml"), "rb") as handle:
        assert archive.read("instance_local.yml") == handle.read()
    for collection in ("healthplatform/aws", "amazon/aws", "community/crypto"):
        assert f"collections/ansible_collections/{collection}/MANIFEST.json" in names
    assert "collections/ansible_collections/healthplatform/aws/roles/https_web/tasks/main.yml" in names
    assert not [n for n in names if "/tests/" in n or "/molecule/" in n or n.endswith(".pyc")]
    assert "collections_path = ./collections" in archive.read("ansible.cfg").decode()

    # idempotent: the same content is not uploaded again, nothing reports a change
    lab.start_recording()
    second = run_playbook(lab.endpoint, "state_manager.yml")
    calls = lab.stop_recording()
    assert second.rc == 0 and second.changed == 0, second
    assert [c for c in calls if c["mutating"]] == []
    assert "unchanged" in second.output

    # check mode: a changed bundle is reported, not uploaded
    lab.start_recording()
    check = run_playbook(lab.endpoint, "state_manager.yml", "--check", "-e", '{"state_manager_instance_vars": {"https_web_server_name": "portal.example"}}')
    calls = lab.stop_recording()
    assert check.rc == 0 and check.changed == 1, check
    assert "would be uploaded" in check.output
    assert [c for c in calls if c["mutating"]] == []
    assert client(lab, "s3").head_object(Bucket=BUCKET, Key=KEY)["ETag"] == head["ETag"]


def planned_associations(server, *args):
    """Run the playbook with the json callback; return the associations it planned (and skipped)."""
    os.environ["ANSIBLE_STDOUT_CALLBACK"] = "ansible.posix.json"
    try:
        result = run_playbook(server.endpoint, "state_manager.yml", *args)
    finally:
        del os.environ["ANSIBLE_STDOUT_CALLBACK"]
    assert result.rc == 0, result
    report, _end = json.JSONDecoder().raw_decode(result.output[result.output.index("{") :])
    for task in report["plays"][0]["tasks"]:
        if task["task"]["name"].endswith(": Show the associations that would have been created"):
            return task["hosts"]["localhost"]["__state_manager_plans"]
    raise AssertionError("the run did not show the associations it skipped")


def test_planned_association_is_a_valid_apply_ansible_playbooks_call(lab, stubbed):
    """What the playbook would create on AWS, sent through ssm_association to a Stubber (moto has no association API)."""
    extra = {
        "state_manager_groups": [
            {"name": "web", "targets": [{"key": "tag:Role", "values": ["web"]}, {"key": "tag:Environment", "values": ["lab"]}]},
            {
                "name": "web-canary",
                "targets": [{"key": "tag:PatchGroup", "values": ["web-debian12"]}],
                "schedule": "cron(0 3 ? * SUN *)",
                "apply_only_at_cron_interval": True,
                "max_concurrency": "1",
                "max_errors": "0",
                "check": True,
                "extra_vars": {"hp_canary": "yes"},
            },
        ],
    }
    plans = planned_associations(lab, "-e", json.dumps(extra))
    url = f"https://{BUCKET}.s3.us-east-1.amazonaws.com/{KEY}"
    common_parameters = {
        "SourceType": ["S3"],
        "SourceInfo": [json.dumps({"path": url})],
        "InstallDependencies": ["False"],
        "PlaybookFile": ["instance_local.yml"],
        "Verbose": ["-v"],
        "TimeoutSeconds": ["3600"],
    }
    expected = [
        {
            "Name": "AWS-ApplyAnsiblePlaybooks",
            "AssociationName": "healthplatform-lab-instance-local-web",
            "DocumentVersion": "$DEFAULT",
            "Parameters": dict(common_parameters, ExtraVariables=["SSM=True"], Check=["False"]),
            "Targets": [{"Key": "tag:Role", "Values": ["web"]}, {"Key": "tag:Environment", "Values": ["lab"]}],
            "ScheduleExpression": "rate(30 minutes)",
            "ApplyOnlyAtCronInterval": False,
            "MaxConcurrency": "25%",
            "MaxErrors": "10%",
            "ComplianceSeverity": "HIGH",
            "OutputLocation": {"S3Location": {"OutputS3BucketName": BUCKET, "OutputS3KeyPrefix": "state-manager/output/web/", "OutputS3Region": "us-east-1"}},
        },
        {
            "Name": "AWS-ApplyAnsiblePlaybooks",
            "AssociationName": "healthplatform-lab-instance-local-web-canary",
            "DocumentVersion": "$DEFAULT",
            "Parameters": dict(common_parameters, ExtraVariables=["SSM=True hp_canary=yes"], Check=["True"]),
            "Targets": [{"Key": "tag:PatchGroup", "Values": ["web-debian12"]}],
            "ScheduleExpression": "cron(0 3 ? * SUN *)",
            "ApplyOnlyAtCronInterval": True,
            "MaxConcurrency": "1",
            "MaxErrors": "0",
            "ComplianceSeverity": "HIGH",
            "OutputLocation": {
                "S3Location": {"OutputS3BucketName": BUCKET, "OutputS3KeyPrefix": "state-manager/output/web-canary/", "OutputS3Region": "us-east-1"}
            },
        },
    ]
    assert [p["association_name"] for p in plans] == [e["AssociationName"] for e in expected]
    assert plans[0]["tags"] == {"Platform": "healthplatform", "Environment": "lab", "ManagedBy": "healthplatform.aws"}
    tags = [{"Key": k, "Value": v} for k, v in plans[0]["tags"].items()]

    ssm = stubbed("ssm")
    when = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    for plan, request in zip(plans, expected):
        association_id = "8dfe3659-4309-493a-8755-0123456789ab"
        ssm.add_response("list_associations", {"Associations": []}, {"AssociationFilterList": [{"key": "AssociationName", "value": plan["association_name"]}]})
        ssm.add_response("create_association", {"AssociationDescription": {"AssociationId": association_id}}, dict(request, Tags=tags))
        described = dict(request, AssociationId=association_id, AssociationVersion="1", Date=when, Overview={"Status": "Pending"})
        ssm.add_response("describe_association", {"AssociationDescription": described}, {"AssociationId": association_id})
        ssm.add_response("list_tags_for_resource", {"TagList": tags}, {"ResourceType": "Association", "ResourceId": association_id})
        args = {k: v for k, v in plan.items() if k != "state"}
        result = stubbed.run(ssm_association.main, dict(args, state=plan["state"]))
        assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()


def test_bad_input_fails_before_any_change_naming_the_variable(lab):
    extra = {
        "state_manager_schedule": "rate(10 minutes)",
        "state_manager_max_concurrency": "0",
        "state_manager_max_errors": "lots",
        "state_manager_bundle_key": "state-manager/bundle.tar.gz",
        "state_manager_kms_key_id": "",
        "state_manager_instance_vars": {"app_secrets_files": [], "hp_instance_aws_connection": {"region": "us-east-1", "secret_key": "x"}},
        "state_manager_groups": [
            {"name": "web", "targets": [{"key": "tag:Role", "values": ["web"]}], "schedule": "cron(0 2 * * SUN *)"},
            {"name": "web", "targets": [], "extra_vars": {"hp_note": "two words"}},
            {"name": "batch", "targets": [{"key": "tag:Role", "values": ["batch"]}], "apply_only_at_cron_interval": True},
        ],
    }
    lab.start_recording()
    result = run_playbook(lab.endpoint, "state_manager.yml", "-e", json.dumps(extra))
    calls = lab.stop_recording()

    assert result.rc != 0
    # the lab inventory's DescribeInstances (aws_ec2 plugin) is the only call: the role made none
    assert [c["operation"] for c in calls if c["operation"] != "DescribeInstances"] == [], "validation must happen before any API call"
    for message in [
        "state_manager_schedule 'rate(10 minutes)' is not a valid association schedule",
        "state_manager_max_concurrency must be a number from 1",
        "state_manager_max_errors must be a number from 0",
        "state_manager_bundle_key must be a relative object key ending in .zip",
        "state_manager_kms_key_id must name the customer KMS key",
        'state_manager_instance_vars holds a secret-looking variable ("secret_key")',
        "state_manager_groups[0].schedule 'cron(0 2 * * SUN *)' is not a valid association schedule",
        "state_manager_groups[1].name web is used by another group",
        "state_manager_groups[1].targets must list 1 to 5 targets",
        "state_manager_groups[1].extra_vars.hp_note: ExtraVariables takes key=value pairs",
        "state_manager_groups[2].apply_only_at_cron_interval needs a cron(...) schedule",
    ]:
        assert message in result.output, message


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"state_manager_compliance_severity": "SEVERE"}, "state_manager_compliance_severity"),
        (
            {"state_manager_bundle_collections": ["community.no_such_collection"]},
            "state_manager_bundle_collections: community.no_such_collection not installed",
        ),
    ],
)
def test_other_bad_input_fails_before_any_change(lab, extra, message):
    lab.start_recording()
    result = run_playbook(lab.endpoint, "state_manager.yml", "-e", json.dumps(extra))
    calls = lab.stop_recording()

    assert result.rc != 0
    assert message in result.output
    assert [c for c in calls if c["mutating"]] == []
