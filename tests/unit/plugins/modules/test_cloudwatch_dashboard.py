# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""cloudwatch_dashboard and cloudwatch_dashboard_info against the moto server (PutDashboard,
GetDashboard, ListDashboards and DeleteDashboards work in moto 5.2.5)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import cloudwatch_dashboard
from ansible_collections.healthplatform.aws.plugins.modules import cloudwatch_dashboard_info

WIDGET = {
    "type": "metric",
    "x": 0,
    "y": 0,
    "width": 12,
    "height": 6,
    "properties": {"title": "ALB 5xx", "region": "us-east-1", "metrics": [["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", "app/x/1"]]},
}
BODY = {"widgets": [WIDGET]}


def live(aws, name="hp-test"):
    return json.loads(aws.client("cloudwatch").get_dashboard(DashboardName=name)["DashboardBody"])


def test_create(aws):
    result = aws.run(cloudwatch_dashboard.main, {"name": "hp-test", "body": BODY}, diff=True)

    assert result["changed"] is True
    assert live(aws) == BODY
    assert result["dashboard"]["dashboard_arn"].endswith(":dashboard/hp-test")
    assert result["dashboard"]["body"] == BODY
    assert result["diff"] == {"before": {}, "after": {"body": BODY}}


def test_no_change_json_text_and_key_order(aws):
    aws.run(cloudwatch_dashboard.main, {"name": "hp-test", "body": BODY})
    text = json.dumps({"widgets": [dict(reversed(list(WIDGET.items())))]}, indent=2)
    with aws.recording() as calls:
        result = aws.run(cloudwatch_dashboard.main, {"name": "hp-test", "body": text})
        checked = aws.run(cloudwatch_dashboard.main, {"name": "hp-test", "body": BODY}, check_mode=True)

    assert result["changed"] is False
    assert checked["changed"] is False
    assert calls
    assert aws.mutating(calls) == []


def test_update(aws):
    aws.run(cloudwatch_dashboard.main, {"name": "hp-test", "body": BODY})
    new = {"widgets": [WIDGET, dict(WIDGET, x=12)]}
    result = aws.run(cloudwatch_dashboard.main, {"name": "hp-test", "body": new}, diff=True)

    assert result["changed"] is True
    assert live(aws) == new
    assert result["diff"]["before"] == {"body": BODY}


def test_check_mode_changes_nothing(aws):
    with aws.recording() as calls:
        created = aws.run(cloudwatch_dashboard.main, {"name": "hp-test", "body": BODY}, check_mode=True)
    assert created["changed"] is True
    assert aws.mutating(calls) == []
    assert aws.client("cloudwatch").list_dashboards()["DashboardEntries"] == []

    aws.run(cloudwatch_dashboard.main, {"name": "hp-test", "body": BODY})
    with aws.recording() as calls:
        updated = aws.run(cloudwatch_dashboard.main, {"name": "hp-test", "body": {"widgets": []}}, check_mode=True)
        deleted = aws.run(cloudwatch_dashboard.main, {"name": "hp-test", "state": "absent"}, check_mode=True)
    assert updated["changed"] is True and deleted["changed"] is True
    assert aws.mutating(calls) == []
    assert live(aws) == BODY


def test_delete_and_delete_again(aws):
    aws.run(cloudwatch_dashboard.main, {"name": "hp-test", "body": BODY})
    assert aws.run(cloudwatch_dashboard.main, {"name": "hp-test", "state": "absent"})["changed"] is True
    assert aws.client("cloudwatch").list_dashboards()["DashboardEntries"] == []
    assert aws.run(cloudwatch_dashboard.main, {"name": "hp-test", "state": "absent"})["changed"] is False


@pytest.mark.parametrize(
    "args, option",
    [
        ({"name": "bad name", "body": BODY}, "name"),
        ({"name": "hp-test", "body": "{not json"}, "body"),
        ({"name": "hp-test", "body": ["widgets"]}, "body"),
        ({"name": "hp-test", "body": {"widget": []}}, "widgets"),
        ({"name": "hp-test"}, "body"),
    ],
)
def test_bad_input_fails_before_any_call(aws, args, option):
    with aws.recording() as calls:
        result = aws.run(cloudwatch_dashboard.main, args)
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info(aws):
    aws.run(cloudwatch_dashboard.main, {"name": "hp-test", "body": BODY})
    aws.run(cloudwatch_dashboard.main, {"name": "other", "body": {"widgets": []}})
    result = aws.run(cloudwatch_dashboard_info.main, {"name_prefix": "hp-"})
    assert [d["dashboard_name"] for d in result["dashboards"]] == ["hp-test"]
    assert result["dashboards"][0]["body"] == BODY
