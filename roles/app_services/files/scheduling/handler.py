# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Appointment scheduling: validate a booking request and publish its confirmation.

The function is invoked with a booking request, either directly or through an API Gateway
proxy integration (the request is then the JSON ``body`` of the event)::

    {"patient_id": "p-1042", "provider_id": "dr-7", "start": "2030-03-04T09:30:00+00:00",
     "duration_minutes": 30, "reason": "follow-up"}

A valid request is confirmed: the confirmation is published to the patient notifications topic
(``NOTIFICATIONS_TOPIC_ARN``) and the answer is ``201`` with the appointment ID. An invalid one
is answered ``400`` with every problem found, and nothing is published.

The confirmation carries only what the notification needs (the minimum necessary): the
appointment, patient and provider IDs and the time, never the free-text reason. The appointment
ID is derived from the patient, provider and start, so a retried request confirms the same
appointment.

Settings come from the environment, which holds no secrets (control HP-07):
NOTIFICATIONS_TOPIC_ARN (required), SLOT_MINUTES (15), OPENING_HOUR_UTC (8),
CLOSING_HOUR_UTC (18), MAX_DAYS_AHEAD (180).
"""

import datetime
import functools
import json
import os
import re
import uuid

import boto3

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")
NAMESPACE = uuid.UUID("6f0c3b8e-5a4e-4f3b-9a67-3f1d7c1f9a20")


@functools.lru_cache(maxsize=1)
def _client():
    """One SNS client per container, reused by every invocation (boto3 honours AWS_ENDPOINT_URL)."""
    return boto3.client("sns")


def _setting(name, default):
    return int(os.environ.get(name, default))


def validate(request, now=None):
    """The problems of a booking request ([] when it is valid) and the parsed start (or None)."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    slot = _setting("SLOT_MINUTES", 15)
    opening, closing = _setting("OPENING_HOUR_UTC", 8), _setting("CLOSING_HOUR_UTC", 18)
    errors = []
    if not isinstance(request, dict):
        return ["the request must be a JSON object"], None
    for field in ("patient_id", "provider_id"):
        value = request.get(field)
        if not isinstance(value, str) or not ID.match(value):
            errors.append(f"{field} must be 1-64 letters, digits and dashes")
    duration = request.get("duration_minutes", slot)
    if not isinstance(duration, int) or isinstance(duration, bool) or not slot <= duration <= 120 or duration % slot:
        errors.append(f"duration_minutes must be a multiple of {slot} between {slot} and 120")
        duration = None
    reason = request.get("reason", "")
    if not isinstance(reason, str) or len(reason) > 500:
        errors.append("reason must be text of at most 500 characters")
    start = None
    try:
        start = datetime.datetime.fromisoformat(str(request.get("start", "")))
    except ValueError:
        errors.append("start must be an ISO 8601 date and time, for example 2030-03-04T09:30:00+00:00")
    if start is not None:
        if start.tzinfo is None:
            errors.append("start must include its time zone offset")
            start = None
        else:
            start = start.astimezone(datetime.timezone.utc)
            if start <= now:
                errors.append("start must be in the future")
            elif start > now + datetime.timedelta(days=_setting("MAX_DAYS_AHEAD", 180)):
                errors.append("start is too far ahead")
            if start.minute % slot or start.second or start.microsecond:
                errors.append(f"start must fall on a {slot}-minute slot")
            if duration is not None:
                end = start + datetime.timedelta(minutes=duration)
                if start.hour < opening or (end.hour, end.minute) > (closing, 0) or end.date() != start.date():
                    errors.append(f"the appointment must fall between {opening:02d}:00 and {closing:02d}:00 UTC")
    return errors, start


def confirmation(request, start):
    """The confirmation message (no free text, only IDs and times)."""
    appointment_id = str(uuid.uuid5(NAMESPACE, f"{request['patient_id']}|{request['provider_id']}|{start.isoformat()}"))
    duration = request.get("duration_minutes", _setting("SLOT_MINUTES", 15))
    return {
        "event": "appointment.confirmed",
        "appointment_id": appointment_id,
        "patient_id": request["patient_id"],
        "provider_id": request["provider_id"],
        "start": start.isoformat(),
        "end": (start + datetime.timedelta(minutes=duration)).isoformat(),
    }


def _answer(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def handler(event, _context=None):
    """Lambda entry point."""
    request = event
    if isinstance(event, dict) and "body" in event:
        try:
            request = json.loads(event["body"] or "null")
        except (TypeError, ValueError):
            return _answer(400, {"errors": ["the body must be JSON"]})
    errors, start = validate(request)
    if errors:
        return _answer(400, {"errors": errors})
    message = confirmation(request, start)
    response = _client().publish(
        TopicArn=os.environ["NOTIFICATIONS_TOPIC_ARN"],
        Subject="Appointment confirmed",
        Message=json.dumps(message),
        MessageAttributes={"event": {"DataType": "String", "StringValue": message["event"]}},
    )
    return _answer(201, {"appointment_id": message["appointment_id"], "message_id": response["MessageId"]})
