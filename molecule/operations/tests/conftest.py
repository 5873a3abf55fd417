# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the operations scenario's tests (molecule verify, after side_effect).

What the scenario left behind in HP_OPS_STATE (molecule's ephemeral folder):
  reports/patch-window-*.json   the patch window's summaries, one per run, in run order:
                                converge, the no-op re-run (idempotence), --check, the failing run
  recording-<run>.jsonl         the emulator's API recording of converge (+ re-run), check, failing
  check-run.log failing-run.log the output of the two side-effect runs
  broken-host                   the host whose health endpoint side_effect broke
The instances themselves are read through podman (testinfra) and the emulator (boto3).
"""

from __future__ import annotations

import base64
import datetime
import glob
import json
import os
import sys
import urllib.parse

import pytest
import testinfra

STATE = os.environ.get("HP_OPS_STATE", "")
ROOT = os.environ.get("MOLECULE_PROJECT_DIRECTORY", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..")))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))

from awslab import classify  # noqa: E402  pylint: disable=wrong-import-position

PACKAGE = "hp-lab-security-fixture"
TARGET_GROUP = "healthplatform-lab-web"
RUNS = ("converge", "rerun", "check", "failing")


def batch_size(hosts, serial="25%"):
    """The batch size Ansible uses for a percentage serial: rounded down, at least one host."""
    return max(1, int(serial.rstrip("%")) * hosts // 100)


def parse_time(text):
    """An ISO 8601 UTC time with up to nanoseconds ('...T07:03:33.379526088Z' or '+00:00')."""
    text = text.strip().replace("Z", "+00:00")
    head, sep, tail = text.partition(".")
    if sep:
        digits = tail[: len(tail) - len(tail.lstrip("0123456789"))]
        zone = tail[len(digits) :]
        text = f"{head}.{digits[:6]}{zone}"
    return datetime.datetime.fromisoformat(text)


@pytest.fixture(scope="session")
def emulator():
    """boto3 clients for the scenario's emulator."""
    import boto3

    endpoint = os.environ["AWS_ENDPOINT_URL"]

    def client(service):
        return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")

    return client


@pytest.fixture(scope="session")
def instances(emulator):
    """The web instances' IDs, sorted."""
    filters = [
        {"Name": "tag:Role", "Values": ["web"]},
        {"Name": "tag:Environment", "Values": ["lab"]},
        {"Name": "instance-state-name", "Values": ["running"]},
    ]
    reservations = emulator("ec2").describe_instances(Filters=filters)["Reservations"]
    found = sorted(i["InstanceId"] for r in reservations for i in r["Instances"])
    assert len(found) >= 3, f"the scenario runs at least three web instances, found {found}"
    return found


@pytest.fixture(scope="session")
def target_group_arn(emulator):
    return emulator("elbv2").describe_target_groups(Names=[TARGET_GROUP])["TargetGroups"][0]["TargetGroupArn"]


@pytest.fixture(scope="session")
def reports():
    """The patch window's JSON summaries by run: converge, rerun, check, failing."""
    paths = sorted(glob.glob(os.path.join(STATE, "reports", "patch-window-*.json")))
    assert len(paths) == len(RUNS), f"expected one report per run {RUNS}, found {paths}"
    loaded = {}
    for run, path in zip(RUNS, paths):
        with open(path, encoding="utf-8") as handle:
            loaded[run] = json.load(handle)
    return loaded


def read_events(path):
    """The recorded requests of one run, in order, each classified and with the instances it names."""
    events = []
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            if not raw.strip():
                continue
            record = json.loads(raw)
            event = classify(record)
            body = record.get("body") or ""
            if record.get("body_encoded"):
                body = base64.b64decode(body).decode("utf-8", "replace")
            form = urllib.parse.parse_qs(body) if "Action=" in body else {}
            event["instances"] = sorted(
                value for key, values in form.items() for value in values if key.endswith(".Id") or key == "InstanceSpecification.InstanceId"
            )
            event["path"] = urllib.parse.urlsplit(record.get("url", "")).path
            events.append(event)
    return events


@pytest.fixture(scope="session")
def recordings():
    """API calls (and the instances' package downloads through the emulator) per run: converge, check, failing."""
    loaded = {}
    for run in ("converge", "check", "failing"):
        path = os.path.join(STATE, f"recording-{run}.jsonl")
        assert os.path.exists(path), f"side_effect did not save the {run} recording ({path})"
        loaded[run] = read_events(path)
    return loaded


@pytest.fixture(scope="session")
def broken_host():
    with open(os.path.join(STATE, "broken-host"), encoding="utf-8") as handle:
        return handle.read().strip()


@pytest.fixture(scope="session")
def run_log():
    def read(run):
        with open(os.path.join(STATE, f"{run}-run.log"), encoding="utf-8", errors="replace") as handle:
            return handle.read()

    return read


@pytest.fixture(scope="session")
def hosts(instances):
    """testinfra hosts for the instances' containers (podman exec)."""
    return {instance: testinfra.get_host(f"podman://{instance}") for instance in instances}


def history(host):
    """[(time, version, previous version)] of the test package's configurations on a host."""
    content = host.file(f"/var/lib/{PACKAGE}/history").content_string
    entries = []
    for line in content.splitlines():
        # 2026-11-24T07:03:33.379526088Z configured 2.0 (was 1.0)
        stamp, _word, version, rest = line.split(" ", 3)
        entries.append((parse_time(stamp), version, rest.strip("()").split()[-1]))
    return entries


def health_status(host):
    """HTTP status of the instance's own https://127.0.0.1/healthz."""
    script = (
        "import ssl, urllib.request, urllib.error\n"
        "try:\n"
        "    print(urllib.request.urlopen('https://127.0.0.1/healthz', context=ssl._create_unverified_context(), timeout=5).status)\n"
        "except urllib.error.HTTPError as error:\n"
        "    print(error.code)\n"
    )
    return int(host.check_output("python3 -c %s", script))


def replay_out_of_service(events):
    """Replay target (de)registrations: the largest set of instances out of service at once, and the set at the end."""
    out, largest = set(), 0
    for event in events:
        if event["operation"] == "DeregisterTargets":
            out.update(event["instances"])
        elif event["operation"] == "RegisterTargets":
            out.difference_update(event["instances"])
        largest = max(largest, len(out))
    return largest, out


def call_index(events, operation, instance, start=0):
    """Position of the first call of ``operation`` naming ``instance`` at or after ``start``; None if there is none."""
    for index in range(start, len(events)):
        if events[index]["operation"] == operation and instance in events[index]["instances"]:
            return index
    return None


def download_index(events, version, start=0):
    """Position of the first download of the test package's ``version`` at or after ``start``; None if there is none."""
    name = f"/{PACKAGE}_{version}_all.deb"
    for index in range(start, len(events)):
        if events[index]["path"].endswith(name):
            return index
    return None
