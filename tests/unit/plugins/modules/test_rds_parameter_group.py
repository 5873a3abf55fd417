# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""rds_parameter_group against the moto server (DB and DB cluster parameter groups are
emulated; moto answers an unknown group with an empty list and lists only the parameters a
group sets).

With botocore's Stubber: a group as AWS describes it (engine-default parameters carry
Source=engine-default and must not be taken for the group's own settings).
"""

from __future__ import annotations

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import rds_parameter_group

NAME = "hp-test-postgres16"


def args(**extra):
    result = {"name": NAME, "family": "postgres16", "description": "TLS required", "parameters": {"rds.force_ssl": 1}, "tags": {"Environment": "test"}}
    result.update(extra)
    return result


def live(aws, name=NAME, cluster=False):
    rds = aws.client("rds")
    if cluster:
        params = rds.describe_db_cluster_parameters(DBClusterParameterGroupName=name)["Parameters"]
        arn = rds.describe_db_cluster_parameter_groups(DBClusterParameterGroupName=name)["DBClusterParameterGroups"][0]["DBClusterParameterGroupArn"]
    else:
        params = rds.describe_db_parameters(DBParameterGroupName=name)["Parameters"]
        arn = rds.describe_db_parameter_groups(DBParameterGroupName=name)["DBParameterGroups"][0]["DBParameterGroupArn"]
    tags = {t["Key"]: t["Value"] for t in rds.list_tags_for_resource(ResourceName=arn)["TagList"]}
    return {p["ParameterName"]: p["ParameterValue"] for p in params}, tags


def test_create_with_parameters_and_tags(aws):
    result = aws.run(rds_parameter_group.main, args())

    assert result["changed"] is True
    assert live(aws) == ({"rds.force_ssl": "1"}, {"Environment": "test"})
    assert result["parameter_group"]["parameters"] == {"rds.force_ssl": "1"}
    assert result["parameter_group"]["arn"].endswith(f":pg:{NAME}")


def test_no_change_makes_no_mutating_call(aws):
    aws.run(rds_parameter_group.main, args())
    with aws.recording() as calls:
        result = aws.run(rds_parameter_group.main, args())
    assert result["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_update_parameter_and_tags(aws):
    aws.run(rds_parameter_group.main, args())
    result = aws.run(rds_parameter_group.main, args(parameters={"rds.force_ssl": 1, "log_connections": True}, tags={"Owner": "dba"}), diff=True)
    assert result["changed"] is True
    assert live(aws) == ({"rds.force_ssl": "1", "log_connections": "1"}, {"Owner": "dba"})
    assert result["diff"]["before"]["parameters"] == {"rds.force_ssl": "1"}


def test_purge_parameters_resets_the_unlisted(stubbed):
    rds = stubbed("rds")
    group = {
        "DBParameterGroupName": NAME,
        "DBParameterGroupFamily": "postgres16",
        "Description": "x",
        "DBParameterGroupArn": f"arn:aws:rds:us-east-1:123456789012:pg:{NAME}",
    }
    rds.add_response("describe_db_parameter_groups", {"DBParameterGroups": [group]}, {"DBParameterGroupName": NAME})
    user_params = [
        {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "Source": "user"},
        {"ParameterName": "log_connections", "ParameterValue": "1", "Source": "user"},
    ]
    rds.add_response("describe_db_parameters", {"Parameters": user_params}, {"DBParameterGroupName": NAME, "Source": "user"})
    rds.add_response("list_tags_for_resource", {"TagList": []}, {"ResourceName": group["DBParameterGroupArn"]})
    rds.add_response(
        "reset_db_parameter_group",
        {"DBParameterGroupName": NAME},
        {"DBParameterGroupName": NAME, "Parameters": [{"ParameterName": "log_connections", "ApplyMethod": "pending-reboot"}]},
    )
    rds.add_response("describe_db_parameters", {"Parameters": user_params[:1]}, {"DBParameterGroupName": NAME, "Source": "user"})

    result = stubbed.run(rds_parameter_group.main, {"name": NAME, "parameters": {"rds.force_ssl": "1"}, "purge_parameters": True})

    assert result["changed"] is True
    assert result["parameter_group"]["parameters"] == {"rds.force_ssl": "1"}
    stubbed.assert_all_used()


def test_stubbed_engine_defaults_are_not_the_groups_settings(stubbed):
    rds = stubbed("rds")
    group = {
        "DBParameterGroupName": NAME,
        "DBParameterGroupFamily": "postgres16",
        "Description": "x",
        "DBParameterGroupArn": f"arn:aws:rds:us-east-1:123456789012:pg:{NAME}",
    }
    rds.add_response("describe_db_parameter_groups", {"DBParameterGroups": [group]}, {"DBParameterGroupName": NAME})
    answer = [{"ParameterName": "rds.force_ssl", "ParameterValue": "0", "Source": "engine-default"}]
    rds.add_response("describe_db_parameters", {"Parameters": answer}, {"DBParameterGroupName": NAME, "Source": "user"})
    rds.add_response("list_tags_for_resource", {"TagList": []}, {"ResourceName": group["DBParameterGroupArn"]})
    rds.add_response(
        "modify_db_parameter_group",
        {"DBParameterGroupName": NAME},
        {"DBParameterGroupName": NAME, "Parameters": [{"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}]},
    )
    rds.add_response(
        "describe_db_parameters",
        {"Parameters": [{"ParameterName": "rds.force_ssl", "ParameterValue": "1", "Source": "user"}]},
        {"DBParameterGroupName": NAME, "Source": "user"},
    )

    result = stubbed.run(rds_parameter_group.main, {"name": NAME, "parameters": {"rds.force_ssl": 1}})

    assert result["changed"] is True
    stubbed.assert_all_used()


def test_cluster_scope(aws):
    result = aws.run(rds_parameter_group.main, args(name="hp-test-aurora16", scope="cluster", family="aurora-postgresql16"))
    assert result["changed"] is True
    assert live(aws, "hp-test-aurora16", cluster=True) == ({"rds.force_ssl": "1"}, {"Environment": "test"})
    again = aws.run(rds_parameter_group.main, args(name="hp-test-aurora16", scope="cluster", family="aurora-postgresql16"))
    assert again["changed"] is False


def test_family_cannot_change(aws):
    aws.run(rds_parameter_group.main, args())
    result = aws.run(rds_parameter_group.main, args(family="postgres15"))
    assert result.failed
    assert "family" in result["msg"]


def test_create_needs_a_family(aws):
    result = aws.run(rds_parameter_group.main, args(family=None))
    assert result.failed
    assert "family" in result["msg"]


def test_delete_and_delete_again(aws):
    aws.run(rds_parameter_group.main, args())
    result = aws.run(rds_parameter_group.main, {"name": NAME, "state": "absent"})
    assert result["changed"] is True
    assert aws.client("rds").describe_db_parameter_groups(DBParameterGroupName=NAME)["DBParameterGroups"] == []
    assert aws.run(rds_parameter_group.main, {"name": NAME, "state": "absent"})["changed"] is False


def test_check_mode_changes_nothing(aws):
    with aws.recording() as calls:
        create = aws.run(rds_parameter_group.main, args(), check_mode=True)
    assert create["changed"] is True
    assert aws.client("rds").describe_db_parameter_groups(DBParameterGroupName=NAME)["DBParameterGroups"] == []
    aws.run(rds_parameter_group.main, args())
    with aws.recording() as more:
        update = aws.run(rds_parameter_group.main, args(parameters={"rds.force_ssl": 0}), check_mode=True)
        delete = aws.run(rds_parameter_group.main, {"name": NAME, "state": "absent"}, check_mode=True)
    assert update["changed"] is True and delete["changed"] is True
    assert aws.mutating(calls + more) == []
    assert live(aws)[0] == {"rds.force_ssl": "1"}


@pytest.mark.parametrize(
    "extra, option",
    [
        ({"name": "1-starts-with-a-digit"}, "name"),
        ({"name": "double--hyphen"}, "name"),
        ({"family": "  "}, "family"),
        ({"scope": "global"}, "scope"),
    ],
)
def test_bad_input_fails_before_any_call(aws, extra, option):
    with aws.recording() as calls:
        result = aws.run(rds_parameter_group.main, args(**extra))
    assert result.failed
    assert option in result["msg"]
    assert calls == []
