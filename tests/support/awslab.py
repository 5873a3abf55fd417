# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test and benchmark support for the local lab's AWS emulator (moto server).

- MotoServer: start one moto server on a free loopback port, reset it, record
  the API calls made to it (moto's request recorder).
- classify(): name each recorded request (service, operation) and say whether
  it reads or mutates, using botocore's own service models so that REST APIs
  whose reads are POSTs (Inspector2 BatchGetAccountStatus, ...) are named right.

Used by tests/unit/conftest.py and benchmarks/platform.py.
"""

from __future__ import annotations

import base64
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from functools import cache

READ_PREFIXES = ("Describe", "Get", "List", "Head", "Lookup", "Search", "BatchGet", "Check", "Select", "Scan", "Query", "Estimate")
_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")

# The signing name in the Authorization header is not always the botocore service name.
_SIGNING_TO_SERVICE = {
    "email": "ses",
    "cognito-idp": "cognito-idp",
    "monitoring": "cloudwatch",
    "elasticloadbalancing": "elbv2",
    "route53resolver": "route53resolver",
    "execute-api": "apigateway",
    "states": "stepfunctions",
    "events": "events",
}


def free_port(host="127.0.0.1"):
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class MotoServer:
    """One moto server process on a free loopback port."""

    def __init__(self, host="127.0.0.1", port=None, recorder_path=None, managed_policies=False):
        # Loading the ~1,200 AWS-managed IAM policies makes every reset cost over a
        # second; only tests and runs that attach managed policies need them.
        self.managed_policies = managed_policies
        self.host = host
        self.port = port or free_port(host)
        self.endpoint = f"http://{host}:{self.port}"
        self._own_recorder = recorder_path is None
        if recorder_path is None:
            handle, recorder_path = tempfile.mkstemp(prefix="moto-recorder-", suffix=".jsonl")
            os.close(handle)
        self.recorder_path = recorder_path
        self.process = None

    def server_command(self):
        """The command that runs the server (a subclass may run moto through a wrapper)."""
        moto_server = os.path.join(os.path.dirname(sys.executable), "moto_server")
        return [moto_server] if os.path.exists(moto_server) else [sys.executable, "-m", "moto.server"]

    def start(self, timeout=60):
        env = dict(os.environ, MOTO_RECORDER_FILEPATH=self.recorder_path)
        env["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true" if self.managed_policies else "false"
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            self.server_command() + ["-H", self.host, "-p", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto server exited with {self.process.returncode}")
            try:
                self._post("/moto-api/reset")
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto server did not answer at {self.endpoint}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._own_recorder and os.path.exists(self.recorder_path):
            os.unlink(self.recorder_path)

    def _post(self, path):
        request = urllib.request.Request(self.endpoint + path, method="POST", data=b"")
        with urllib.request.urlopen(request, timeout=30) as response:  # nosec - loopback emulator only
            return response.read()

    def reset(self):
        self._post("/moto-api/reset")

    def start_recording(self):
        self._post("/moto-api/recorder/reset-recording")
        self._post("/moto-api/recorder/start-recording")

    def stop_recording(self):
        """Stop recording and return the recorded requests, classified."""
        self._post("/moto-api/recorder/stop-recording")
        return read_recording(self.recorder_path)


def read_recording(path):
    calls = []
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            if raw.strip():
                calls.append(classify(json.loads(raw)))
    return calls


def _header(headers, name):
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


@cache
def _rest_routes(service):
    """(method, compiled path regex, operation name) for a REST service, most specific first."""
    import botocore.session  # imported late: only the REST services need the models

    try:
        model = botocore.session.get_session().get_service_model(service)
    except Exception:  # pylint: disable=broad-except
        return ()
    routes = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        uri = http.get("requestUri", "/")
        path, _sep, query = uri.partition("?")
        pattern = re.sub(r"\\\{[^}]+\\\+\\\}", ".+", re.escape(path))
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", pattern)
        query_keys = tuple(k for k in re.split(r"&", query) if k)
        routes.append((http.get("method", "POST"), re.compile("^" + pattern + "/?$"), query_keys, name, len(path)))
    routes.sort(key=lambda r: (-len(r[2]), -r[4]))
    return tuple(routes)


def _rest_operation(service, method, url):
    parsed = urllib.parse.urlsplit(url)
    path = urllib.parse.unquote(parsed.path) or "/"
    query_keys = {k.split("=")[0] for k in parsed.query.split("&") if k}
    for route_method, regex, needed, name, _length in _rest_routes(service):
        if route_method != method or not regex.match(path):
            continue
        if all(k.split("=")[0] in query_keys for k in needed):
            return name
    return None


def classify(record):
    """Return {'service', 'operation', 'mutating'} for one recorded request."""
    headers = record.get("headers", {})
    body = record.get("body") or ""
    if record.get("body_encoded"):
        body = base64.b64decode(body).decode("utf-8", "replace")
    match = _CREDENTIAL_SCOPE.search(_header(headers, "Authorization") or "")
    signing = match.group(1) if match else "unknown"
    service = _SIGNING_TO_SERVICE.get(signing, signing)
    method = record.get("method", "GET").upper()

    operation = None
    target = _header(headers, "X-Amz-Target")
    if target:
        operation = target.rsplit(".", 1)[-1]
    if operation is None:
        form = urllib.parse.parse_qs(body) if "Action=" in body else urllib.parse.parse_qs(urllib.parse.urlsplit(record.get("url", "")).query)
        if "Action" in form:
            operation = form["Action"][0]
    if operation is None and service != "unknown":
        operation = _rest_operation(service, method, record.get("url", "/"))
    if operation is None:
        mutating = method not in ("GET", "HEAD")
        operation = f"{method} {urllib.parse.urlsplit(record.get('url', '')).path}"
    else:
        mutating = not operation.startswith(READ_PREFIXES)
    return {"service": service, "operation": operation, "mutating": mutating}


def summarize(calls):
    """Counts for a benchmark report."""
    mutating = [c for c in calls if c["mutating"]]
    return {
        "total": len(calls),
        "read": len(calls) - len(mutating),
        "mutating": len(mutating),
        "mutating_operations": sorted({f"{c['service']}:{c['operation']}" for c in mutating}),
    }
