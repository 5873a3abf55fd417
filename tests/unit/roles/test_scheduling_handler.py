# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The app_services role's scheduling function (roles/app_services/files/scheduling/handler.py)
against the moto server's SNS.

The handler runs in-process with boto3 pointed at the emulator (AWS_ENDPOINT_URL, as the role
never sets credentials or endpoints in the function's environment). The patient notifications
topic has an SQS queue subscribed with raw delivery, so each test reads back exactly what a
subscriber would receive; the emulator's recorder proves that a refused request publishes nothing.
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import os

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
HANDLER = os.path.join(ROOT, "roles", "app_services", "files", "scheduling", "handler.py")


def load_handler():
    spec = importlib.util.spec_from_file_location("scheduling_handler", HANDLER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def scheduling(aws, monkeypatch):
    """(handler module, topic ARN, queue URL) with the handler's environment as the role sets it."""
    sns, sqs = aws.client("sns"), aws.client("sqs")
    topic = sns.create_topic(Name="hp-test-patient-notifications")["TopicArn"]
    queue = sqs.create_queue(QueueName="hp-test-subscriber")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws.endpoint)
    monkeypatch.setenv("NOTIFICATIONS_TOPIC_ARN", topic)
    for name, value in {"SLOT_MINUTES": "15", "OPENING_HOUR_UTC": "8", "CLOSING_HOUR_UTC": "18"}.items():
        monkeypatch.setenv(name, value)
    handler = load_handler()
    return handler, topic, queue


def received(aws, queue):
    messages = aws.client("sqs").receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def tomorrow_at(hour, minute=0):
    day = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=1)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=datetime.timezone.utc)


def booking(**extra):
    request = {
        "patient_id": "p-1042",
        "provider_id": "dr-7",
        "start": tomorrow_at(9, 30).isoformat(),
        "duration_minutes": 30,
        "reason": "follow-up of the knee",
    }
    request.update(extra)
    return request


def test_valid_booking_is_confirmed_on_the_topic(aws, scheduling):
    handler, _topic, queue = scheduling

    answer = handler.handler(booking())

    assert answer["statusCode"] == 201, answer
    body = json.loads(answer["body"])
    (message,) = received(aws, queue)
    assert message == {
        "event": "appointment.confirmed",
        "appointment_id": body["appointment_id"],
        "patient_id": "p-1042",
        "provider_id": "dr-7",
        "start": tomorrow_at(9, 30).isoformat(),
        "end": tomorrow_at(10, 0).isoformat(),
    }
    assert "reason" not in json.dumps(message) and "knee" not in json.dumps(message), "the free text is never published"
    assert body["message_id"]


def test_api_gateway_proxy_event_and_offset_times(aws, scheduling):
    handler, _topic, queue = scheduling
    start = tomorrow_at(14).astimezone(datetime.timezone(datetime.timedelta(hours=2)))  # 16:00+02:00

    answer = handler.handler({"body": json.dumps(booking(start=start.isoformat(), duration_minutes=45))})

    assert answer["statusCode"] == 201, answer
    (message,) = received(aws, queue)
    assert message["start"] == tomorrow_at(14).isoformat(), "times are published in UTC"
    assert message["end"] == tomorrow_at(14, 45).isoformat()


def test_a_retried_booking_confirms_the_same_appointment(aws, scheduling):
    handler, _topic, queue = scheduling
    first = json.loads(handler.handler(booking())["body"])
    second = json.loads(handler.handler(booking())["body"])
    assert first["appointment_id"] == second["appointment_id"]
    other = json.loads(handler.handler(booking(provider_id="dr-8"))["body"])
    assert other["appointment_id"] != first["appointment_id"]
    assert len(received(aws, queue)) == 3


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"patient_id": ""}, "patient_id"),
        ({"patient_id": "p 1042; drop"}, "patient_id"),
        ({"provider_id": None}, "provider_id"),
        ({"start": "tomorrow morning"}, "ISO 8601"),
        ({"start": tomorrow_at(9).replace(tzinfo=None).isoformat()}, "time zone"),
        ({"start": "2001-01-01T09:00:00+00:00"}, "in the future"),
        ({"start": tomorrow_at(9, 10).isoformat()}, "15-minute slot"),
        ({"start": tomorrow_at(7, 45).isoformat()}, "between 08:00 and 18:00"),
        ({"start": tomorrow_at(17, 45).isoformat()}, "between 08:00 and 18:00"),
        ({"duration_minutes": 20}, "duration_minutes"),
        ({"duration_minutes": True}, "duration_minutes"),
        ({"duration_minutes": 240}, "duration_minutes"),
        ({"reason": "x" * 501}, "reason"),
    ],
)
def test_invalid_booking_is_refused_and_nothing_is_published(aws, scheduling, change, problem):
    handler, _topic, queue = scheduling
    with aws.recording() as calls:
        answer = handler.handler(booking(**change))

    assert answer["statusCode"] == 400
    errors = json.loads(answer["body"])["errors"]
    assert any(problem in e for e in errors), errors
    assert aws.mutating(calls) == [], "a refused booking makes no call"
    assert received(aws, queue) == []


def test_every_problem_is_reported_at_once(scheduling):
    handler, _topic, _queue = scheduling
    errors = json.loads(handler.handler({"patient_id": "", "provider_id": "", "start": "soon"})["body"])["errors"]
    assert len(errors) == 3


def test_body_that_is_not_json_or_not_an_object(scheduling):
    handler, _topic, _queue = scheduling
    assert handler.handler({"body": "{not json"})["statusCode"] == 400
    assert json.loads(handler.handler({"body": "[1, 2]"})["body"]) == {"errors": ["the request must be a JSON object"]}


def test_publish_failure_is_not_swallowed(aws, scheduling, monkeypatch):
    handler, topic, _queue = scheduling
    monkeypatch.setenv("NOTIFICATIONS_TOPIC_ARN", topic + "-missing")
    with pytest.raises(Exception, match=r"NotFound|does not exist"):
        handler.handler(booking())
