# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures of the instance scenario's tests (run by molecule verify, host podman://hp-molecule-web)."""

from __future__ import annotations

import hashlib
import json
import os

import pytest

CONTAINER = "hp-molecule-web"
DATABASE_SECRET = "healthplatform/lab/app/database"


@pytest.fixture(scope="session")
def emulator():
    """boto3 clients for the scenario's emulator (the controller's view of it)."""
    import boto3

    endpoint = os.environ["AWS_ENDPOINT_URL"]

    def client(service):
        return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")

    return client


@pytest.fixture(scope="session")
def database_secret(emulator):
    """The database secret as the emulator holds it (the test's own copy; never printed)."""
    return json.loads(emulator("secretsmanager").get_secret_value(SecretId=DATABASE_SECRET)["SecretString"])


@pytest.fixture(scope="session")
def ansible_log():
    """Everything Ansible printed in this scenario run since prepare, at -vvv (ANSIBLE_LOG_PATH)."""
    path = os.path.join(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"], "ansible.log")
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read()


def digest(data):
    """Compare secrets by digest, so that a failing assertion never prints one."""
    if isinstance(data, str):
        data = data.encode()
    return hashlib.sha256(data).hexdigest()
