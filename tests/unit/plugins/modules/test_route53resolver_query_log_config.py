# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""route53resolver_query_log_config and its _info module.

Against the moto server where moto implements the API (checked with moto 5.2.5):
CreateResolverQueryLogConfig, Get/List of configs and associations, and
AssociateResolverQueryLogConfig. moto 5.2.5 does NOT implement
DisassociateResolverQueryLogConfig or DeleteResolverQueryLogConfig (HTTP 500),
and its ListTagsForResource/TagResource/UntagResource only know resolver
endpoints and rules (ResourceNotFoundException for a query log config ARN).
Those paths (removing VPCs, deleting, tags, waiting on associations) are tested
with botocore's Stubber, which validates every request and response against the
real botocore model and fails on any call that was not queued.
"""

from __future__ import annotations

import pytest
from botocore.stub import ANY

from ansible_collections.healthplatform.aws.plugins.module_utils import route53resolver
from ansible_collections.healthplatform.aws.plugins.modules import route53resolver_query_log_config as qlc
from ansible_collections.healthplatform.aws.plugins.modules import route53resolver_query_log_config_info as qlc_info

RR = "route53resolver"
NAME = "hp-dns-queries"
LOG_GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/healthplatform/test/resolver-queries"
BUCKET_ARN = "arn:aws:s3:::hp-test-logs/resolver"


# --- moto ---------------------------------------------------------------------------


@pytest.fixture
def vpcs(aws):
    ec2 = aws.client("ec2")
    return [ec2.create_vpc(CidrBlock=f"10.{n}.0.0/16")["Vpc"]["VpcId"] for n in (41, 42, 43)]


def configs_named(aws, name=NAME):
    configs = aws.client(RR).list_resolver_query_log_configs()["ResolverQueryLogConfigs"]
    return [c for c in configs if c["Name"] == name]


def associated_vpcs(aws, config_id):
    associations = aws.client(RR).list_resolver_query_log_config_associations(Filters=[{"Name": "ResolverQueryLogConfigId", "Values": [config_id]}])[
        "ResolverQueryLogConfigAssociations"
    ]
    return sorted(a["ResourceId"] for a in associations)


def args(**extra):
    result = {"name": NAME, "destination_arn": LOG_GROUP_ARN}
    result.update(extra)
    return result


def test_create_with_vpcs(aws, vpcs):
    result = aws.run(qlc.main, args(vpc_ids=vpcs[:2]))

    assert result["changed"] is True, result
    (live,) = configs_named(aws)
    assert live["DestinationArn"] == LOG_GROUP_ARN
    assert live["Id"] == result["query_log_config"]["id"]
    assert associated_vpcs(aws, live["Id"]) == sorted(vpcs[:2])
    assert result["query_log_config"]["vpc_ids"] == sorted(vpcs[:2])
    assert {a["status"] for a in result["query_log_config"]["associations"]} == {"ACTIVE"}
    assert "tags" not in result["query_log_config"]


def test_no_change_makes_no_mutating_call(aws, vpcs):
    aws.run(qlc.main, args(vpc_ids=vpcs[:2]))
    with aws.recording() as calls:
        result = aws.run(qlc.main, args(vpc_ids=list(reversed(vpcs[:2]))))

    assert result["changed"] is False, result
    assert calls, "the module must read the configuration"
    assert aws.mutating(calls) == []


def test_add_a_vpc(aws, vpcs):
    first = aws.run(qlc.main, args(vpc_ids=vpcs[:1]))
    with aws.recording() as calls:
        result = aws.run(qlc.main, args(vpc_ids=vpcs[:2]), diff=True)

    assert result["changed"] is True
    assert aws.mutating(calls) == ["route53resolver:AssociateResolverQueryLogConfig"]
    assert associated_vpcs(aws, first["query_log_config"]["id"]) == sorted(vpcs[:2])
    assert result["diff"]["before"]["vpc_ids"] == vpcs[:1]
    assert result["diff"]["after"]["vpc_ids"] == sorted(vpcs[:2])


def test_purge_vpc_ids_false_only_adds(aws, vpcs):
    first = aws.run(qlc.main, args(vpc_ids=vpcs[:1]))
    result = aws.run(qlc.main, args(vpc_ids=vpcs[2:], purge_vpc_ids=False))

    assert result["changed"] is True
    assert associated_vpcs(aws, first["query_log_config"]["id"]) == sorted([vpcs[0], vpcs[2]])
    assert aws.run(qlc.main, args(vpc_ids=vpcs[2:], purge_vpc_ids=False))["changed"] is False


def test_vpc_ids_omitted_leaves_associations_alone(aws, vpcs):
    first = aws.run(qlc.main, args(vpc_ids=vpcs[:2]))
    result = aws.run(qlc.main, args())

    assert result["changed"] is False
    assert result["query_log_config"]["vpc_ids"] == sorted(vpcs[:2])
    assert associated_vpcs(aws, first["query_log_config"]["id"]) == sorted(vpcs[:2])


def test_check_mode_create_changes_nothing(aws, vpcs):
    with aws.recording() as calls:
        result = aws.run(qlc.main, args(vpc_ids=vpcs[:1]), check_mode=True)

    assert result["changed"] is True
    assert result["query_log_config"]["vpc_ids"] == vpcs[:1]
    assert aws.mutating(calls) == []
    assert configs_named(aws) == []


def test_check_mode_add_vpc_changes_nothing(aws, vpcs):
    first = aws.run(qlc.main, args(vpc_ids=vpcs[:1]))
    with aws.recording() as calls:
        result = aws.run(qlc.main, args(vpc_ids=vpcs[:2]), check_mode=True)

    assert result["changed"] is True
    assert result["query_log_config"]["vpc_ids"] == sorted(vpcs[:2])
    assert aws.mutating(calls) == []
    assert associated_vpcs(aws, first["query_log_config"]["id"]) == vpcs[:1]


def test_other_destination_fails_without_change(aws, vpcs):
    aws.run(qlc.main, args(vpc_ids=vpcs[:1]))
    with aws.recording() as calls:
        result = aws.run(qlc.main, args(destination_arn=BUCKET_ARN, vpc_ids=vpcs[:2]))

    assert result.failed
    assert "destination_arn" in result["msg"]
    assert aws.mutating(calls) == []
    (live,) = configs_named(aws)
    assert live["DestinationArn"] == LOG_GROUP_ARN


def test_destination_compared_without_trailing_wildcard(aws, vpcs):
    aws.run(qlc.main, args(vpc_ids=vpcs[:1]))
    assert aws.run(qlc.main, args(destination_arn=LOG_GROUP_ARN + ":*", vpc_ids=vpcs[:1]))["changed"] is False


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"destination_arn": "my-log-bucket"}, "destination_arn"),
        ({"destination_arn": "arn:aws:sqs:us-east-1:123456789012:queue"}, "destination_arn"),
        ({"destination_arn": None}, "destination_arn"),
        ({"vpc_ids": ["vpc-1", "subnet-0123456789abcdef0"]}, "vpc_ids[0]"),
        ({"name": "bad/name"}, "name"),
        ({"name": "12345"}, "name"),
        ({"wait_timeout": 0}, "wait_timeout"),
    ],
)
def test_bad_input_fails_before_any_call(aws, extra, option):
    with aws.recording() as calls:
        result = aws.run(qlc.main, args(**extra))

    assert result.failed
    assert option in result["msg"]
    assert calls == [], "validation must happen before any API call"


def test_info_by_name_and_vpc(aws, vpcs):
    aws.run(qlc.main, args(vpc_ids=vpcs[:1]))
    aws.run(qlc.main, args(name="hp-other", destination_arn=BUCKET_ARN, vpc_ids=vpcs[1:2]))

    by_name = aws.run(qlc_info.main, {"names": [NAME]})
    by_vpc = aws.run(qlc_info.main, {"vpc_id": vpcs[1]})
    everything = aws.run(qlc_info.main, {})

    assert by_name["changed"] is False
    assert [c["name"] for c in by_name["query_log_configs"]] == [NAME]
    assert by_name["query_log_configs"][0]["vpc_ids"] == vpcs[:1]
    assert [c["name"] for c in by_vpc["query_log_configs"]] == ["hp-other"]
    assert by_vpc["query_log_configs"][0]["destination_arn"] == BUCKET_ARN
    assert [c["name"] for c in everything["query_log_configs"]] == ["hp-dns-queries", "hp-other"]


# --- Stubber (what moto lacks) ----------------------------------------------------------

CONFIG_ID = "rslvr-qlc-0123456789abcdef0"
CONFIG_ARN = f"arn:aws:route53resolver:us-east-1:123456789012:resolver-query-log-config/{CONFIG_ID}"
VPC_A = "vpc-0a0a0a0a0a0a0a0a0"
VPC_B = "vpc-0b0b0b0b0b0b0b0b0"
NAME_FILTER = [{"Name": "Name", "Values": [NAME]}]
CONFIG_FILTER = [{"Name": "ResolverQueryLogConfigId", "Values": [CONFIG_ID]}]


@pytest.fixture
def r53r(stubbed, monkeypatch):
    pauses = []
    monkeypatch.setattr(route53resolver, "_pause", pauses.append)
    stubber = stubbed(RR)
    stubber.pauses = pauses
    return stubber


def config(**extra):
    result = {
        "Id": CONFIG_ID,
        "Arn": CONFIG_ARN,
        "Name": NAME,
        "DestinationArn": LOG_GROUP_ARN,
        "Status": "CREATED",
        "ShareStatus": "NOT_SHARED",
        "AssociationCount": 2,
        "OwnerId": "123456789012",
    }
    result.update(extra)
    return result


def association(vpc_id, status="ACTIVE", **extra):
    result = {"Id": f"rslvr-qlcassoc-{vpc_id[-8:]}", "ResolverQueryLogConfigId": CONFIG_ID, "ResourceId": vpc_id, "Status": status, "Error": "NONE"}
    result.update(extra)
    return result


def queue_reads(stubber, associations, tags=None):
    stubber.add_response("list_resolver_query_log_configs", {"ResolverQueryLogConfigs": [config()]}, {"Filters": NAME_FILTER})
    stubber.add_response("list_resolver_query_log_config_associations", {"ResolverQueryLogConfigAssociations": associations}, {"Filters": CONFIG_FILTER})
    if tags is not None:
        stubber.add_response("list_tags_for_resource", {"Tags": tags}, {"ResourceArn": CONFIG_ARN})


def not_found(stubber, operation):
    stubber.add_client_error(operation, "ResourceNotFoundException", "gone", 400)


def test_stubbed_purge_removes_unlisted_vpc_and_waits(stubbed, r53r):
    queue_reads(r53r, [association(VPC_A), association(VPC_B)])
    r53r.add_response(
        "disassociate_resolver_query_log_config",
        {"ResolverQueryLogConfigAssociation": association(VPC_B, "DELETING")},
        {"ResolverQueryLogConfigId": CONFIG_ID, "ResourceId": VPC_B},
    )
    gone_id = association(VPC_B)["Id"]
    r53r.add_response(
        "get_resolver_query_log_config_association",
        {"ResolverQueryLogConfigAssociation": association(VPC_B, "DELETING")},
        {"ResolverQueryLogConfigAssociationId": gone_id},
    )
    not_found(r53r, "get_resolver_query_log_config_association")
    r53r.add_response("get_resolver_query_log_config", {"ResolverQueryLogConfig": config(AssociationCount=1)}, {"ResolverQueryLogConfigId": CONFIG_ID})
    r53r.add_response("list_resolver_query_log_config_associations", {"ResolverQueryLogConfigAssociations": [association(VPC_A)]}, {"Filters": CONFIG_FILTER})

    result = stubbed.run(qlc.main, args(vpc_ids=[VPC_A]), diff=True)

    assert result["changed"] is True, result
    assert result["query_log_config"]["vpc_ids"] == [VPC_A]
    assert result["diff"]["before"]["vpc_ids"] == [VPC_A, VPC_B]
    assert r53r.pauses == [1], "one poll interval between DELETING and gone"
    stubbed.assert_all_used()


def test_stubbed_delete_disassociates_waits_then_deletes(stubbed, r53r):
    queue_reads(r53r, [association(VPC_A)])
    r53r.add_response(
        "disassociate_resolver_query_log_config",
        {"ResolverQueryLogConfigAssociation": association(VPC_A, "DELETING")},
        {"ResolverQueryLogConfigId": CONFIG_ID, "ResourceId": VPC_A},
    )
    not_found(r53r, "get_resolver_query_log_config_association")
    r53r.add_response("delete_resolver_query_log_config", {"ResolverQueryLogConfig": config(Status="DELETING")}, {"ResolverQueryLogConfigId": CONFIG_ID})

    result = stubbed.run(qlc.main, {"name": NAME, "state": "absent"})

    assert result["changed"] is True, result
    assert result["query_log_config"] == {}
    stubbed.assert_all_used()


def test_stubbed_delete_when_absent_is_a_no_op(stubbed, r53r):
    r53r.add_response("list_resolver_query_log_configs", {"ResolverQueryLogConfigs": []}, {"Filters": NAME_FILTER})

    result = stubbed.run(qlc.main, {"name": NAME, "state": "absent"})

    assert result["changed"] is False, result
    stubbed.assert_all_used()


def test_stubbed_check_mode_delete_only_reads(stubbed, r53r):
    queue_reads(r53r, [association(VPC_A)])

    result = stubbed.run(qlc.main, {"name": NAME, "state": "absent"}, check_mode=True)

    assert result["changed"] is True, result
    stubbed.assert_all_used()


def test_stubbed_tags_update(stubbed, r53r):
    queue_reads(r53r, [association(VPC_A)], tags=[{"Key": "Environment", "Value": "test"}, {"Key": "Old", "Value": "x"}])
    r53r.add_response("untag_resource", {}, {"ResourceArn": CONFIG_ARN, "TagKeys": ["Old"]})
    r53r.add_response("tag_resource", {}, {"ResourceArn": CONFIG_ARN, "Tags": [{"Key": "Environment", "Value": "prod"}]})

    result = stubbed.run(qlc.main, args(vpc_ids=[VPC_A], tags={"Environment": "prod"}))

    assert result["changed"] is True, result
    assert result["query_log_config"]["tags"] == {"Environment": "prod"}
    stubbed.assert_all_used()


def test_stubbed_tags_no_change(stubbed, r53r):
    queue_reads(r53r, [association(VPC_A)], tags=[{"Key": "Environment", "Value": "prod"}])

    result = stubbed.run(qlc.main, args(vpc_ids=[VPC_A], tags={"Environment": "prod"}))

    assert result["changed"] is False, result
    stubbed.assert_all_used()


def test_stubbed_create_with_tags_waits_for_active(stubbed, r53r):
    r53r.add_response("list_resolver_query_log_configs", {"ResolverQueryLogConfigs": []}, {"Filters": NAME_FILTER})
    r53r.add_response(
        "create_resolver_query_log_config",
        {"ResolverQueryLogConfig": config(Status="CREATING", AssociationCount=0)},
        {"Name": NAME, "DestinationArn": LOG_GROUP_ARN, "CreatorRequestId": ANY, "Tags": [{"Key": "Environment", "Value": "prod"}]},
    )
    r53r.add_response("get_resolver_query_log_config", {"ResolverQueryLogConfig": config(Status="CREATING")}, {"ResolverQueryLogConfigId": CONFIG_ID})
    r53r.add_response("get_resolver_query_log_config", {"ResolverQueryLogConfig": config()}, {"ResolverQueryLogConfigId": CONFIG_ID})
    r53r.add_response(
        "associate_resolver_query_log_config",
        {"ResolverQueryLogConfigAssociation": association(VPC_A, "CREATING")},
        {"ResolverQueryLogConfigId": CONFIG_ID, "ResourceId": VPC_A},
    )
    assoc_id = association(VPC_A)["Id"]
    r53r.add_response(
        "get_resolver_query_log_config_association",
        {"ResolverQueryLogConfigAssociation": association(VPC_A)},
        {"ResolverQueryLogConfigAssociationId": assoc_id},
    )
    r53r.add_response("list_resolver_query_log_config_associations", {"ResolverQueryLogConfigAssociations": [association(VPC_A)]}, {"Filters": CONFIG_FILTER})

    result = stubbed.run(qlc.main, args(vpc_ids=[VPC_A], tags={"Environment": "prod"}))

    assert result["changed"] is True, result
    assert result["query_log_config"]["tags"] == {"Environment": "prod"}
    assert result["query_log_config"]["vpc_ids"] == [VPC_A]
    assert r53r.pauses == [1]
    stubbed.assert_all_used()


def test_stubbed_association_needing_action_fails_with_reason(stubbed, r53r):
    queue_reads(r53r, [])
    r53r.add_response(
        "associate_resolver_query_log_config",
        {"ResolverQueryLogConfigAssociation": association(VPC_A, "CREATING")},
        {"ResolverQueryLogConfigId": CONFIG_ID, "ResourceId": VPC_A},
    )
    r53r.add_response(
        "get_resolver_query_log_config_association",
        {"ResolverQueryLogConfigAssociation": association(VPC_A, "ACTION_NEEDED", Error="ACCESS_DENIED", ErrorMessage="bucket policy denies delivery")},
        {"ResolverQueryLogConfigAssociationId": association(VPC_A)["Id"]},
    )

    result = stubbed.run(qlc.main, args(vpc_ids=[VPC_A]))

    assert result.failed
    assert "ACTION_NEEDED" in result["msg"] and "bucket policy denies delivery" in result["msg"]
    stubbed.assert_all_used()


def test_stubbed_wait_is_bounded(stubbed, r53r, monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(route53resolver, "_now", lambda: clock[0])
    monkeypatch.setattr(route53resolver, "_pause", lambda seconds: clock.__setitem__(0, clock[0] + seconds))
    queue_reads(r53r, [])
    r53r.add_response(
        "associate_resolver_query_log_config",
        {"ResolverQueryLogConfigAssociation": association(VPC_A, "CREATING")},
        {"ResolverQueryLogConfigId": CONFIG_ID, "ResourceId": VPC_A},
    )
    # 1 + 2 + 4 s of polling fit in 10 s; the next 8 s would not
    for _poll in range(4):
        r53r.add_response(
            "get_resolver_query_log_config_association",
            {"ResolverQueryLogConfigAssociation": association(VPC_A, "CREATING")},
            {"ResolverQueryLogConfigAssociationId": association(VPC_A)["Id"]},
        )

    result = stubbed.run(qlc.main, args(vpc_ids=[VPC_A], wait_timeout=10))

    assert result.failed
    assert "timed out after 10 s" in result["msg"] and "wait_timeout" in result["msg"]
    assert clock[0] == 7
    stubbed.assert_all_used()


def test_stubbed_info_with_tags(stubbed, r53r):
    r53r.add_response("list_resolver_query_log_configs", {"ResolverQueryLogConfigs": [config()]}, {})
    r53r.add_response("list_resolver_query_log_config_associations", {"ResolverQueryLogConfigAssociations": [association(VPC_A, "DELETING")]}, {})
    r53r.add_response("list_tags_for_resource", {"Tags": [{"Key": "Environment", "Value": "prod"}]}, {"ResourceArn": CONFIG_ARN})

    result = stubbed.run(qlc_info.main, {"include_tags": True})

    (item,) = result["query_log_configs"]
    assert item["tags"] == {"Environment": "prod"}
    assert item["vpc_ids"] == [], "an association being deleted does not count"
    stubbed.assert_all_used()
