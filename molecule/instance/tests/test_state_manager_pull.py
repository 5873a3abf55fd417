# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pull mode (side_effect.yml imports pull_mode.yml): the State Manager bundle that playbooks/state_manager.yml
uploaded, run on the instance the way AWS-ApplyAnsiblePlaybooks runs it, converged the instance."""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest

BUCKET = "hp-molecule-artifacts"
KEY = "state-manager/healthplatform-lab-instance-bundle.zip"


@pytest.fixture(scope="module")
def record():
    with open(os.path.join(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"], "state_manager_pull.json"), encoding="utf-8") as handle:
        return json.load(handle)


def test_bundle_is_encrypted_with_the_objects_key(emulator):
    head = emulator("s3").head_object(Bucket=BUCKET, Key=KEY)
    key_arn = emulator("kms").describe_key(KeyId="alias/hp-molecule-objects")["KeyMetadata"]["Arn"]
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"] == key_arn
    assert len(head["Metadata"]["content-sha256"]) == 64


def test_bundle_holds_the_playbook_and_the_collections_it_needs(emulator):
    body = emulator("s3").get_object(Bucket=BUCKET, Key=KEY)["Body"].read()
    names = set(zipfile.ZipFile(io.BytesIO(body)).namelist())
    assert {"instance_local.yml", "ansible.cfg", "group_vars/all/main.yml"} <= names
    for collection in ("healthplatform/aws", "amazon/aws", "community/crypto"):
        assert f"collections/ansible_collections/{collection}/MANIFEST.json" in names
    assert not [n for n in names if "/tests/" in n or n.endswith(".pyc")]


def test_bundle_holds_no_credentials(emulator):
    body = emulator("s3").get_object(Bucket=BUCKET, Key=KEY)["Body"].read()
    settings = zipfile.ZipFile(io.BytesIO(body)).read("group_vars/all/main.yml").decode()
    assert "endpoint_url" in settings
    assert "secret_key" not in settings and "access_key" not in settings


def test_first_run_repaired_the_instance_and_second_changed_nothing(record):
    ok, changed, unreachable, failed = record["second"]
    assert record["first"][1] > 0, "the first run must have repaired what was broken"
    assert (changed, unreachable, failed) == (0, 0, 0)
    assert ok > 20
    assert record["config_file"].endswith("/downloads/ansible.cfg"), "the bundle's own ansible.cfg"


def test_what_was_broken_is_back(host, record):
    assert record["nginx"] == "active"
    assert record["page"] is True
    assert host.service("nginx").is_running
    assert host.file("/var/www/healthplatform/index.html").exists
