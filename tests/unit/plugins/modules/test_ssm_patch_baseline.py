# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ssm_patch_baseline and ssm_patch_baseline_info.

moto 5.2.5 implements only CreatePatchBaseline, DescribePatchBaselines, DeletePatchBaseline and
(Re|De)registerPatchBaselineForPatchGroup, and those not faithfully. Checked against the server:
GetPatchBaseline, UpdatePatchBaseline, RegisterDefaultPatchBaseline and GetDefaultPatchBaseline answer
HTTP 500 (not implemented); tagging a PatchBaseline (and CreatePatchBaseline with Tags) fails with
InvalidResourceId; DeregisterPatchBaselineForPatchGroup leaves the group registered. LAB.md's advice to
read patch groups back with GetPatchBaseline therefore cannot work on the emulator.

So every path that reads an existing baseline (GetPatchBaseline) is tested with botocore's Stubber, which
validates every request against the real SSM API model and fails on any call that was not queued, in the
order queued. What moto can prove is tested against it: check mode on an empty account, state=absent on
a missing baseline, and that bad input makes no API call at all.
"""

from __future__ import annotations

import datetime
import json

import botocore.session
import pytest
from botocore.stub import ANY

from ansible_collections.healthplatform.aws.plugins.modules import ssm_patch_baseline
from ansible_collections.healthplatform.aws.plugins.modules import ssm_patch_baseline_info

NAME = "hp-al2023"
BID = "pb-0123456789abcdef0"
CREATED = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)

SECURITY_FILTERS = [{"key": "CLASSIFICATION", "values": ["Security"]}, {"key": "SEVERITY", "values": ["Critical", "Important"]}]
API_SECURITY_FILTERS = [{"Key": "CLASSIFICATION", "Values": ["Security"]}, {"Key": "SEVERITY", "Values": ["Critical", "Important"]}]


def args(**extra):
    result = {
        "name": NAME,
        "operating_system": "AMAZON_LINUX_2023",
        "description": "Security updates",
        "approval_rules": [{"patch_filters": SECURITY_FILTERS, "approve_after_days": 7, "compliance_level": "CRITICAL"}],
        "rejected_patches_action": "BLOCK",
        "patch_groups": ["web", "app"],
        "default_baseline": True,
        "tags": {"Environment": "test"},
    }
    result.update(extra)
    return result


def api_baseline(**extra):
    """What GetPatchBaseline answers for the baseline that args() describes."""
    result = {
        "BaselineId": BID,
        "Name": NAME,
        "OperatingSystem": "AMAZON_LINUX_2023",
        "GlobalFilters": {"PatchFilters": []},
        "ApprovalRules": {
            "PatchRules": [
                {
                    "PatchFilterGroup": {"PatchFilters": list(reversed(API_SECURITY_FILTERS))},  # order is not significant
                    "ComplianceLevel": "CRITICAL",
                    "ApproveAfterDays": 7,
                    "EnableNonSecurity": False,
                }
            ]
        },
        "ApprovedPatches": [],
        "ApprovedPatchesComplianceLevel": "UNSPECIFIED",
        "ApprovedPatchesEnableNonSecurity": False,
        "RejectedPatches": [],
        "RejectedPatchesAction": "BLOCK",
        "PatchGroups": ["app", "web"],
        "CreatedDate": CREATED,
        "ModifiedDate": CREATED,
        "Description": "Security updates",
        "Sources": [],
    }
    result.update(extra)
    return result


def identity(default=False, name=NAME, baseline_id=BID):
    return {"BaselineId": baseline_id, "BaselineName": name, "OperatingSystem": "AMAZON_LINUX_2023", "DefaultBaseline": default}


FIND = {"Filters": [{"Key": "OWNER", "Values": ["Self"]}, {"Key": "NAME_PREFIX", "Values": [NAME]}]}


def queue_find(ssm, *identities):
    ssm.add_response("describe_patch_baselines", {"BaselineIdentities": list(identities)}, FIND)


def queue_read(ssm, baseline=None, tags=None, default_id=BID):
    baseline = baseline or api_baseline()
    ssm.add_response("get_patch_baseline", baseline, {"BaselineId": BID})
    tag_list = [{"Key": k, "Value": v} for k, v in (tags if tags is not None else {"Environment": "test"}).items()]
    ssm.add_response("list_tags_for_resource", {"TagList": tag_list}, {"ResourceType": "PatchBaseline", "ResourceId": BID})
    ssm.add_response(
        "get_default_patch_baseline",
        {"BaselineId": default_id, "OperatingSystem": "AMAZON_LINUX_2023"},
        {"OperatingSystem": "AMAZON_LINUX_2023"},
    )


def full_request(**extra):
    """The complete baseline the module sends for args()."""
    result = {
        "Name": NAME,
        "GlobalFilters": {"PatchFilters": []},
        "ApprovalRules": {"PatchRules": [{"PatchFilterGroup": {"PatchFilters": API_SECURITY_FILTERS}, "ComplianceLevel": "CRITICAL", "ApproveAfterDays": 7}]},
        "ApprovedPatches": [],
        "ApprovedPatchesComplianceLevel": "UNSPECIFIED",
        "RejectedPatches": [],
        "RejectedPatchesAction": "BLOCK",
        "Sources": [],
        "Description": "Security updates",
    }
    result.update(extra)
    return result


# --- against the moto server ------------------------------------------------------------


def test_check_mode_create_reads_only(aws):
    with aws.recording() as calls:
        result = aws.run(ssm_patch_baseline.main, args(), check_mode=True, diff=True)

    assert result.get("changed") is True, result.get("msg")
    assert result["patch_baseline"]["name"] == NAME
    assert result["patch_baseline"]["patch_groups"] == ["app", "web"]
    assert result["patch_baseline"]["default_baseline"] is True
    assert result["diff"]["before"] == {}
    assert [c["operation"] for c in calls] == ["DescribePatchBaselines"]
    assert aws.mutating(calls) == []
    assert aws.client("ssm").describe_patch_baselines()["BaselineIdentities"] == []


def test_absent_when_missing_changes_nothing(aws):
    aws.client("ssm").create_patch_baseline(Name="hp-other", OperatingSystem="AMAZON_LINUX_2023")
    with aws.recording() as calls:
        result = aws.run(ssm_patch_baseline.main, {"name": NAME, "state": "absent"})

    assert result.get("changed") is False, result.get("msg")
    assert aws.mutating(calls) == []
    assert [b["BaselineName"] for b in aws.client("ssm").describe_patch_baselines()["BaselineIdentities"]] == ["hp-other"]


def rule(**extra):
    return [dict({"patch_filters": SECURITY_FILTERS, "approve_after_days": 7}, **extra)]


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"approval_rules": rule(approve_after_days=361)}, "approve_after_days"),
        ({"approval_rules": rule(approve_after_days=-1)}, "approve_after_days"),
        ({"approval_rules": rule(approve_until_date="2025-01-01")}, "approve_until_date"),
        ({"approval_rules": [{"patch_filters": SECURITY_FILTERS}]}, "approve_after_days or approve_until_date"),
        ({"approval_rules": [{"patch_filters": SECURITY_FILTERS, "approve_until_date": "2025-13-01"}]}, "approve_until_date"),
        (
            {
                "approval_rules": [
                    {"patch_filters": [{"key": "SEVERITY", "values": ["Critical"]}, {"key": "SEVERITY", "values": ["Important"]}], "approve_after_days": 1}
                ]
            },
            "patch_filters",
        ),
        ({"approval_rules": [{"patch_filters": [{"key": "COLOUR", "values": ["blue"]}], "approve_after_days": 1}]}, "key"),
        ({"approval_rules": [{"patch_filters": [], "approve_after_days": 1}]}, "patch_filters"),
        ({"operating_system": "UBUNTU"}, "approve_after_days"),
        ({"operating_system": "AMAZON_LINUX_2025"}, "operating_system"),
        ({"operating_system": None}, "operating_system"),
        ({"global_filters": [{"key": k, "values": ["x"]} for k in ("PRODUCT", "ARCH", "EPOCH", "NAME", "RELEASE")]}, "global_filters"),
        ({"name": "bad name!"}, "name"),
        ({"rejected_patches_action": "DROP"}, "rejected_patches_action"),
        ({"sources": [{"name": "x", "products": ["AmazonLinux2023"], "configuration": "[main]"}]}, "sources[0].name"),
        ({"approved_patches": [f"pkg{i}" for i in range(51)]}, "approved_patches"),
    ],
)
def test_bad_input_fails_before_any_call(aws, extra, option):
    with aws.recording() as calls:
        result = aws.run(ssm_patch_baseline.main, args(**extra))

    assert result.failed
    assert option in result["msg"]
    assert calls == [], "validation must happen before any API call"


def test_operating_system_enum_is_the_api_model():
    model = botocore.session.get_session().get_service_model("ssm")
    assert ssm_patch_baseline.OPERATING_SYSTEMS == model.shape_for("OperatingSystem").enum
    assert ssm_patch_baseline_info.OPERATING_SYSTEMS == model.shape_for("OperatingSystem").enum
    assert ssm_patch_baseline.PATCH_FILTER_KEYS == model.shape_for("PatchFilterKey").enum
    assert ssm_patch_baseline.COMPLIANCE_LEVELS == model.shape_for("PatchComplianceLevel").enum


# --- with the Stubber (moto lacks GetPatchBaseline and the rest) ----------------------------------


def test_create_registers_groups_and_default(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, identity(name="hp-al2023-old", baseline_id="pb-0aaaaaaaaaaaaaaaa"))  # a name-prefix match only
    ssm.add_response(
        "create_patch_baseline",
        {"BaselineId": BID},
        full_request(OperatingSystem="AMAZON_LINUX_2023", ClientToken=ANY, Tags=[{"Key": "Environment", "Value": "test"}]),
    )
    ssm.add_response("register_patch_baseline_for_patch_group", {"BaselineId": BID, "PatchGroup": "app"}, {"BaselineId": BID, "PatchGroup": "app"})
    ssm.add_response("register_patch_baseline_for_patch_group", {"BaselineId": BID, "PatchGroup": "web"}, {"BaselineId": BID, "PatchGroup": "web"})
    ssm.add_response("register_default_patch_baseline", {"BaselineId": BID}, {"BaselineId": BID})
    queue_read(ssm)

    result = stubbed.run(ssm_patch_baseline.main, args())

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()
    baseline = result["patch_baseline"]
    assert baseline["baseline_id"] == BID
    assert baseline["default_baseline"] is True
    assert baseline["patch_groups"] == ["app", "web"]
    assert baseline["tags"] == {"Environment": "test"}
    assert baseline["approval_rules"]["patch_rules"][0]["approve_after_days"] == 7


def test_client_token_is_fresh_per_create(stubbed):
    tokens = []
    ssm = stubbed("ssm")
    for _attempt in range(2):
        queue_find(ssm)
        ssm.add_response("create_patch_baseline", {"BaselineId": BID}, full_request(OperatingSystem="AMAZON_LINUX_2023", ClientToken=ANY))
        queue_read(ssm, api_baseline(PatchGroups=[]), tags={}, default_id="arn:aws:ssm:us-east-1:123456789012:patchbaseline/pb-0ffffffffffffffff")
    client = stubbed.clients["ssm"][0]
    client.meta.events.register("provide-client-params.ssm.CreatePatchBaseline", lambda params, **kw: tokens.append(params["ClientToken"]))
    for _attempt in range(2):
        result = stubbed.run(ssm_patch_baseline.main, args(patch_groups=None, default_baseline=None, tags=None))
        assert result["changed"] is True and result["patch_baseline"]["default_baseline"] is False
    stubbed.assert_all_used()
    assert len(set(tokens)) == 2 and all(len(t) == 36 for t in tokens)


def test_no_change_makes_only_reads(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, identity(default=True))
    queue_read(ssm)

    result = stubbed.run(ssm_patch_baseline.main, args(), diff=True)

    assert result.get("changed") is False, result.get("msg")
    stubbed.assert_all_used()  # and the Stubber would have failed on any call not queued
    assert result["diff"]["before"] == result["diff"]["after"]


def test_update_sends_the_full_baseline_and_converges_groups_tags_default(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, identity())
    queue_read(ssm, api_baseline(PatchGroups=["web", "legacy"]), tags={"Environment": "test", "Old": "x"}, default_id="pb-0ffffffffffffffff")
    new_rules = [
        {"patch_filters": SECURITY_FILTERS, "approve_after_days": 3, "compliance_level": "CRITICAL"},
        {
            "patch_filters": [{"key": "CLASSIFICATION", "values": ["Bugfix"]}],
            "approve_until_date": "2025-06-30",
            "compliance_level": "MEDIUM",
            "enable_non_security": True,
        },
    ]
    ssm.add_response(
        "update_patch_baseline",
        {"BaselineId": BID},
        full_request(
            BaselineId=BID,
            Replace=True,
            ApprovalRules={
                "PatchRules": [
                    {"PatchFilterGroup": {"PatchFilters": API_SECURITY_FILTERS}, "ComplianceLevel": "CRITICAL", "ApproveAfterDays": 3},
                    {
                        "PatchFilterGroup": {"PatchFilters": [{"Key": "CLASSIFICATION", "Values": ["Bugfix"]}]},
                        "ComplianceLevel": "MEDIUM",
                        "ApproveUntilDate": "2025-06-30",
                        "EnableNonSecurity": True,
                    },
                ]
            },
            RejectedPatches=["telnet"],
        ),
    )
    ssm.add_response("remove_tags_from_resource", {}, {"ResourceType": "PatchBaseline", "ResourceId": BID, "TagKeys": ["Old"]})
    ssm.add_response("deregister_patch_baseline_for_patch_group", {}, {"BaselineId": BID, "PatchGroup": "legacy"})
    ssm.add_response("register_patch_baseline_for_patch_group", {}, {"BaselineId": BID, "PatchGroup": "app"})
    ssm.add_response("register_default_patch_baseline", {"BaselineId": BID}, {"BaselineId": BID})
    queue_read(ssm, api_baseline(RejectedPatches=["telnet"]))

    result = stubbed.run(ssm_patch_baseline.main, args(approval_rules=new_rules, rejected_patches=["telnet"]), diff=True)

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()
    assert result["diff"]["before"]["patch_groups"] == ["legacy", "web"]
    assert result["diff"]["before"]["default_baseline"] is False
    assert result["diff"]["after"]["default_baseline"] is True


def test_omitted_description_is_removed(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, identity())
    queue_read(ssm)
    request = full_request(BaselineId=BID, Replace=True)
    del request["Description"]
    ssm.add_response("update_patch_baseline", {"BaselineId": BID}, request)
    queue_read(ssm, {k: v for k, v in api_baseline().items() if k != "Description"})

    result = stubbed.run(ssm_patch_baseline.main, args(description=None))

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()
    assert "description" not in result["patch_baseline"]


def test_patch_groups_omitted_are_left_alone(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, identity())
    queue_read(ssm, api_baseline(PatchGroups=["web", "someone-elses"]))

    result = stubbed.run(ssm_patch_baseline.main, args(patch_groups=None))

    assert result.get("changed") is False, result.get("msg")
    stubbed.assert_all_used()


def test_check_mode_update_reads_only(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, identity())
    queue_read(ssm, api_baseline(PatchGroups=["web"]), default_id="pb-0ffffffffffffffff")

    result = stubbed.run(ssm_patch_baseline.main, args(rejected_patches=["telnet"], tags={"Environment": "prod"}), check_mode=True, diff=True)

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()  # only the reads were queued: a mutating call would have failed the run
    after = result["patch_baseline"]
    assert after["rejected_patches"] == ["telnet"]
    assert after["patch_groups"] == ["app", "web"]
    assert after["default_baseline"] is True
    assert after["tags"] == {"Environment": "prod"}
    assert result["diff"]["before"]["patch_groups"] == ["web"]


def test_operating_system_cannot_change(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, identity())
    queue_read(ssm)

    result = stubbed.run(ssm_patch_baseline.main, args(operating_system="AMAZON_LINUX_2", approval_rules=rule()))

    assert result.failed
    assert "operating_system cannot be changed" in result["msg"]
    assert "AMAZON_LINUX_2023" in result["msg"]
    stubbed.assert_all_used()


def test_default_false_on_the_default_fails(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, identity())
    queue_read(ssm)

    result = stubbed.run(ssm_patch_baseline.main, args(default_baseline=False))

    assert result.failed
    assert "default_baseline" in result["msg"]


def test_patch_group_held_by_another_baseline(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, identity())
    queue_read(ssm, api_baseline(PatchGroups=["web"]))
    ssm.add_client_error(
        "register_patch_baseline_for_patch_group",
        service_error_code="AlreadyExistsException",
        service_message="Patch Group baseline already has a baseline registered for OperatingSystem AMAZON_LINUX_2023.",
        expected_params={"BaselineId": BID, "PatchGroup": "app"},
    )

    result = stubbed.run(ssm_patch_baseline.main, args())

    assert result.failed
    assert "patch_groups: 'app' is already registered" in result["msg"]
    stubbed.assert_all_used()


def test_delete_deregisters_groups_first(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, identity())
    queue_read(ssm, default_id="pb-0ffffffffffffffff")
    ssm.add_response("deregister_patch_baseline_for_patch_group", {}, {"BaselineId": BID, "PatchGroup": "app"})
    ssm.add_response("deregister_patch_baseline_for_patch_group", {}, {"BaselineId": BID, "PatchGroup": "web"})
    ssm.add_response("delete_patch_baseline", {"BaselineId": BID}, {"BaselineId": BID})

    result = stubbed.run(ssm_patch_baseline.main, {"name": NAME, "state": "absent"}, diff=True)

    assert result.get("changed") is True, result.get("msg")
    assert result["patch_baseline"] == {}
    assert result["diff"]["before"]["baseline_id"] == BID
    stubbed.assert_all_used()


def test_delete_of_the_default_fails_before_any_change(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, identity(default=True))
    queue_read(ssm)

    result = stubbed.run(ssm_patch_baseline.main, {"name": NAME, "state": "absent"})

    assert result.failed
    assert "default baseline" in result["msg"]
    stubbed.assert_all_used()


def test_check_mode_delete_reads_only(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, identity())
    queue_read(ssm, default_id="pb-0ffffffffffffffff")

    result = stubbed.run(ssm_patch_baseline.main, {"name": NAME, "state": "absent"}, check_mode=True)

    assert result.get("changed") is True, result.get("msg")
    stubbed.assert_all_used()


def test_two_baselines_with_the_name_fail(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, identity(), identity(baseline_id="pb-0bbbbbbbbbbbbbbbb"))

    result = stubbed.run(ssm_patch_baseline.main, args())

    assert result.failed
    assert "2 patch baselines named" in result["msg"]


def test_source_configuration_is_never_returned(stubbed):
    secret_repo = "[hp]\nbaseurl=https://user:s3cr3t-repo-pass@repo.example/al2023\n"
    source = {"Name": "hp-repo", "Products": ["AmazonLinux2023"], "Configuration": secret_repo}
    ssm = stubbed("ssm")
    queue_find(ssm, identity())
    queue_read(ssm, api_baseline(Sources=[source]))
    sources_arg = [{"name": "hp-repo", "products": ["AmazonLinux2023"], "configuration": secret_repo}]
    module_result = stubbed.run(ssm_patch_baseline.main, args(sources=sources_arg), diff=True)

    ssm.add_response("describe_patch_baselines", {"BaselineIdentities": [identity(default=True)]}, {"Filters": [{"Key": "OWNER", "Values": ["Self"]}]})
    ssm.add_response("get_patch_baseline", api_baseline(Sources=[source]), {"BaselineId": BID})
    ssm.add_response("list_tags_for_resource", {"TagList": []}, {"ResourceType": "PatchBaseline", "ResourceId": BID})
    info_result = stubbed.run(ssm_patch_baseline_info.main, {})

    assert module_result["changed"] is False, module_result
    for result in (module_result, info_result):
        assert "s3cr3t" not in json.dumps(result)
    assert module_result["patch_baseline"]["sources"] == [{"name": "hp-repo", "products": ["AmazonLinux2023"]}]
    assert info_result["patch_baselines"][0]["sources"] == [{"name": "hp-repo", "products": ["AmazonLinux2023"]}]
    stubbed.assert_all_used()


def test_info_by_name_with_rules_and_groups(stubbed):
    ssm = stubbed("ssm")
    queue_find(ssm, identity(default=True), identity(name="hp-al2023-canary", baseline_id="pb-0cccccccccccccccc"))
    ssm.add_response("get_patch_baseline", api_baseline(), {"BaselineId": BID})
    ssm.add_response("list_tags_for_resource", {"TagList": [{"Key": "Environment", "Value": "test"}]}, {"ResourceType": "PatchBaseline", "ResourceId": BID})

    result = stubbed.run(ssm_patch_baseline_info.main, {"name": NAME})

    assert result["changed"] is False
    stubbed.assert_all_used()
    (baseline,) = result["patch_baselines"]
    assert baseline["baseline_id"] == BID
    assert baseline["patch_groups"] == ["app", "web"]
    assert baseline["default_baseline"] is True
    assert baseline["tags"] == {"Environment": "test"}
    assert baseline["approval_rules"]["patch_rules"][0]["compliance_level"] == "CRITICAL"


def test_info_on_an_empty_account(aws):
    result = aws.run(ssm_patch_baseline_info.main, {"operating_system": "UBUNTU"})
    assert result["changed"] is False
    assert result["patch_baselines"] == []
