# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the unit tests of the collection's plugins.

- ``moto``: one moto server per test session (per xdist worker) on a free
  loopback port, reset before each test that uses ``aws``.
- ``aws``: run a module in-process against that server and read the result;
  ``aws.client(service)`` for setting up and reading back state; and
  ``aws.recording()`` to capture the API calls a module makes.
- ``stubbed``: botocore Stubber clients handed to the module under test, for
  the APIs the emulator does not implement (see LAB.md). The Stubber validates
  every request against the real API model and fails on any unexpected call.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "support"))


def _make_collection_importable():
    """Expose the repository as ansible_collections.healthplatform.aws (unless ansible-test already did)."""
    marker = os.path.join("ansible_collections", "healthplatform", "aws")
    if REPO.endswith(marker):
        return
    root = os.path.join(REPO, ".lab", "collections")
    link = os.path.join(root, marker)
    if not os.path.islink(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        try:
            os.symlink(REPO, link)
        except FileExistsError:
            pass
    if root not in sys.path:
        sys.path.insert(0, root)


_make_collection_importable()

from ansible.module_utils.testing import patch_module_args  # noqa: E402  pylint: disable=wrong-import-position
from awslab import MotoServer  # noqa: E402  pylint: disable=wrong-import-position

REGION = "us-east-1"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch):
    """Never let a test reach a real AWS account or the user's own lab settings."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL", "AWS_URL", "EC2_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", CREDENTIALS["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", CREDENTIALS["aws_secret_access_key"])
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)


@pytest.fixture(scope="session")
def moto():
    server = MotoServer().start()
    yield server
    server.stop()


class ModuleResult(dict):
    """The JSON a module printed, with .failed for convenience."""

    @property
    def failed(self):
        return bool(self.get("failed"))


def run_module(capsys, main, args, check_mode=False, diff=False):
    """Run a module's main() in-process with ``args``; return what it printed as JSON."""
    module_args = dict(args)
    module_args["_ansible_check_mode"] = check_mode
    module_args["_ansible_diff"] = diff
    capsys.readouterr()
    with patch_module_args(module_args):
        with pytest.raises(SystemExit):
            main()
    out = capsys.readouterr().out
    return ModuleResult(json.loads(out))


class AwsLab:
    """Per-test handle on the emulator."""

    def __init__(self, server, capsys):
        self.server = server
        self.capsys = capsys
        self.endpoint = server.endpoint

    def client(self, service):
        import boto3

        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint, **CREDENTIALS)

    def run(self, main, args, check_mode=False, diff=False):
        connection = {"endpoint_url": self.endpoint, "region": REGION, "access_key": "testing", "secret_key": "testing"}
        return run_module(self.capsys, main, {**connection, **args}, check_mode=check_mode, diff=diff)

    @contextlib.contextmanager
    def recording(self):
        """Collect the API calls made inside the block: ``with aws.recording() as calls: ...``."""
        calls = []
        self.server.start_recording()
        try:
            yield calls
        finally:
            calls.extend(self.server.stop_recording())

    @staticmethod
    def mutating(calls):
        return [f"{c['service']}:{c['operation']}" for c in calls if c["mutating"]]


@pytest.fixture
def aws(moto, capsys):
    moto.reset()
    return AwsLab(moto, capsys)


class StubbedClients:
    """Botocore Stubber clients returned by AnsibleAWSModule.client() for the test's module."""

    def __init__(self):
        self.clients = {}

    def __call__(self, service):
        """Create (or return) the stubbed client of ``service``; queue responses on the returned Stubber."""
        import boto3
        from botocore.stub import Stubber

        if service not in self.clients:
            client = boto3.client(service, region_name=REGION, **CREDENTIALS)
            stubber = Stubber(client)
            stubber.activate()
            self.clients[service] = (client, stubber)
        return self.clients[service][1]

    def client_for(self, module, service, retry_decorator=None, **kwargs):  # pylint: disable=unused-argument
        from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

        if service not in self.clients:
            raise AssertionError(f"module asked for an unstubbed {service} client")
        client = self.clients[service][0]
        return RetryingBotoClientWrapper(client, retry_decorator) if retry_decorator else client

    def assert_all_used(self):
        for _client, stubber in self.clients.values():
            stubber.assert_no_pending_responses()


@pytest.fixture
def stubbed(monkeypatch, capsys):
    """``stubbed("route53resolver").add_response(...)`` then ``stubbed.run(main, args)``."""
    from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

    clients = StubbedClients()
    monkeypatch.setattr(AnsibleAWSModule, "client", lambda self, service, retry_decorator=None, **kw: clients.client_for(self, service, retry_decorator, **kw))
    clients.run = lambda main, args, check_mode=False, diff=False: run_module(capsys, main, {"region": REGION, **args}, check_mode=check_mode, diff=diff)
    yield clients
