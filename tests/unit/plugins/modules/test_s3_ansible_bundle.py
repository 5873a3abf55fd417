# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""s3_ansible_bundle against the moto server (S3 objects with SSE-KMS, KMS aliases: moto 5.2.5 emulates
PutObject, HeadObject, GetObject, DeleteObject, HeadBucket and DescribeKey), with its request recorder
proving that an unchanged bundle, check mode and bad input make no mutating call."""

from __future__ import annotations

import io
import json
import os
import tarfile
import zipfile

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import s3_ansible_bundle

BUCKET = "hp-test-artifacts"
KEY = "state-manager/bundle.zip"
ALIAS = "alias/hp-test-objects"


def manifest(namespace, name, version):
    return json.dumps({"collection_info": {"namespace": namespace, "name": name, "version": version}, "file_manifest_file": {"name": "FILES.json"}})


@pytest.fixture
def sources(tmp_path):
    """A built collection tarball, an installed collection directory and a playbook."""
    # what ansible-galaxy collection build writes: members at the top, no leading folder
    tarball = tmp_path / "hp-one-1.2.3.tar.gz"
    members = {
        "MANIFEST.json": (manifest("hp", "one", "1.2.3"), 0o644),
        "roles/web/tasks/main.yml": ("---\n- name: A task\n  ansible.builtin.ping:\n", 0o644),
        "plugins/modules/thing.py": ("# a module\n", 0o644),
        "scripts/run.sh": ("#!/bin/sh\nexit 0\n", 0o755),
    }
    with tarfile.open(tarball, "w:gz") as tar:
        for name, (text, mode) in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), mode
            tar.addfile(info, io.BytesIO(data))
    installed = tmp_path / "installed" / "ansible_collections" / "hp" / "two"
    (installed / "plugins" / "module_utils" / "__pycache__").mkdir(parents=True)
    (installed / "MANIFEST.json").write_text(manifest("hp", "two", "4.5.6"))
    (installed / "plugins" / "module_utils" / "util.py").write_text("VALUE = 1\n")
    (installed / "plugins" / "module_utils" / "__pycache__" / "util.cpython-311.pyc").write_bytes(b"\0compiled")
    playbook = tmp_path / "site.yml"
    playbook.write_text("---\n- name: Play\n  hosts: localhost\n  roles: [hp.one.web]\n")
    return {"tarball": str(tarball), "installed": str(installed), "playbook": str(playbook), "root": tmp_path}


@pytest.fixture
def lab(aws):
    """The bucket and the objects key (with its alias), as the data and kms tiers leave them."""
    aws.client("s3").create_bucket(Bucket=BUCKET)
    kms = aws.client("kms")
    key = kms.create_key(Description="objects")["KeyMetadata"]
    kms.create_alias(AliasName=ALIAS, TargetKeyId=key["KeyId"])
    aws.key_arn = key["Arn"]
    return aws


def args(sources, **extra):
    result = {
        "bucket": BUCKET,
        "key": KEY,
        "kms_key_id": ALIAS,
        "collections": [{"name": "hp.one", "src": sources["tarball"]}, {"name": "hp.two", "src": sources["installed"]}],
        "files": [
            {"src": sources["playbook"], "dest": "site.yml"},
            {"dest": "group_vars/all/main.yml", "content": "web_port: 443\n"},
        ],
    }
    result.update(extra)
    return result


def download(aws, key=KEY):
    body = aws.client("s3").get_object(Bucket=BUCKET, Key=key)["Body"].read()
    return body, zipfile.ZipFile(io.BytesIO(body))


def test_create_uploads_an_encrypted_reproducible_zip(lab, sources):
    result = lab.run(s3_ansible_bundle.main, args(sources), diff=True)

    assert result["changed"] is True, result.get("msg")
    bundle = result["bundle"]
    head = lab.client("s3").head_object(Bucket=BUCKET, Key=KEY)
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"] == lab.key_arn, "the alias is resolved to the key ARN that S3 reports"
    assert head["Metadata"] == {"content-sha256": bundle["content_sha256"]}
    assert head["ContentType"] == "application/zip"
    body, archive = download(lab)
    names = archive.namelist()
    assert names == sorted(names)
    assert set(names) == {
        "collections/ansible_collections/hp/one/MANIFEST.json",
        "collections/ansible_collections/hp/one/plugins/modules/thing.py",
        "collections/ansible_collections/hp/one/roles/web/tasks/main.yml",
        "collections/ansible_collections/hp/one/scripts/run.sh",
        "collections/ansible_collections/hp/two/MANIFEST.json",
        "collections/ansible_collections/hp/two/plugins/module_utils/util.py",
        "group_vars/all/main.yml",
        "site.yml",
    }, "compiled files are excluded"
    infos = {i.filename: i for i in archive.infolist()}
    assert infos["collections/ansible_collections/hp/one/scripts/run.sh"].external_attr >> 16 & 0o777 == 0o755
    assert infos["site.yml"].external_attr >> 16 & 0o777 == 0o644
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert archive.read("group_vars/all/main.yml") == b"web_port: 443\n"
    assert bundle["size"] == len(body)
    assert bundle["files"] == 8
    assert bundle["collections"] == {"hp.one": "1.2.3", "hp.two": "4.5.6"}
    assert bundle["kms_key_arn"] == lab.key_arn
    assert bundle["uploaded"] is True
    assert bundle["url"] == f"https://{BUCKET}.s3.us-east-1.amazonaws.com/{KEY}"
    assert bundle["s3_uri"] == f"s3://{BUCKET}/{KEY}"
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["content_sha256"] == bundle["content_sha256"]

    # the same content makes the same zip, byte for byte
    again = lab.run(s3_ansible_bundle.main, args(sources, key="state-manager/copy.zip"))
    assert again["bundle"]["content_sha256"] == bundle["content_sha256"]
    assert download(lab, "state-manager/copy.zip")[0] == body


def test_unchanged_bundle_is_not_uploaded_again(lab, sources):
    lab.run(s3_ansible_bundle.main, args(sources))
    os.utime(sources["playbook"], (0, 0))  # a new timestamp is not a change

    with lab.recording() as calls:
        result = lab.run(s3_ansible_bundle.main, args(sources))

    assert result["changed"] is False, result.get("msg")
    assert result["bundle"]["uploaded"] is False
    assert calls, "the module must read the object"
    assert lab.mutating(calls) == []


def test_changed_content_is_uploaded(lab, sources):
    first = lab.run(s3_ansible_bundle.main, args(sources))
    with open(sources["playbook"], "a", encoding="utf-8") as handle:
        handle.write("# changed\n")

    with lab.recording() as calls:
        result = lab.run(s3_ansible_bundle.main, args(sources), diff=True)

    assert result["changed"] is True
    # one PUT of the object (the recorder's classifier cannot tell PutObject from CopyObject: same route)
    assert len(lab.mutating(calls)) == 1
    assert lab.mutating(calls)[0] in ("s3:PutObject", "s3:CopyObject")
    assert result["bundle"]["content_sha256"] != first["bundle"]["content_sha256"]
    assert result["diff"]["before"]["content_sha256"] == first["bundle"]["content_sha256"]
    assert download(lab)[1].read("site.yml").endswith(b"# changed\n")


def test_another_key_re_encrypts_the_same_content(lab, sources):
    first = lab.run(s3_ansible_bundle.main, args(sources))
    other = lab.client("kms").create_key(Description="other")["KeyMetadata"]["Arn"]

    result = lab.run(s3_ansible_bundle.main, args(sources, kms_key_id=other))

    assert result["changed"] is True
    assert result["bundle"]["content_sha256"] == first["bundle"]["content_sha256"]
    assert lab.client("s3").head_object(Bucket=BUCKET, Key=KEY)["SSEKMSKeyId"] == other


def test_an_object_without_sse_kms_is_replaced(lab, sources):
    result = lab.run(s3_ansible_bundle.main, args(sources))
    lab.client("s3").put_object(Bucket=BUCKET, Key=KEY, Body=b"x", Metadata={"content-sha256": result["bundle"]["content_sha256"]})

    again = lab.run(s3_ansible_bundle.main, args(sources))

    assert again["changed"] is True
    assert lab.client("s3").head_object(Bucket=BUCKET, Key=KEY)["ServerSideEncryption"] == "aws:kms"


def test_check_mode_uploads_nothing(lab, sources):
    with lab.recording() as calls:
        create = lab.run(s3_ansible_bundle.main, args(sources), check_mode=True)
    assert create["changed"] is True
    assert create["bundle"]["uploaded"] is True
    assert lab.mutating(calls) == []
    assert lab.client("s3").list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0

    lab.run(s3_ansible_bundle.main, args(sources))
    with open(sources["playbook"], "a", encoding="utf-8") as handle:
        handle.write("# changed\n")
    with lab.recording() as calls:
        update = lab.run(s3_ansible_bundle.main, args(sources), check_mode=True)
    assert update["changed"] is True
    assert lab.mutating(calls) == []


def test_delete_and_delete_again(lab, sources):
    lab.run(s3_ansible_bundle.main, args(sources))
    absent = {"bucket": BUCKET, "key": KEY, "state": "absent"}

    with lab.recording() as calls:
        check = lab.run(s3_ansible_bundle.main, absent, check_mode=True)
    assert check["changed"] is True
    assert lab.mutating(calls) == []

    result = lab.run(s3_ansible_bundle.main, absent, diff=True)
    again = lab.run(s3_ansible_bundle.main, absent)

    assert result["changed"] is True
    assert result["bundle"] == {}
    assert result["diff"]["before"]["server_side_encryption"] == "aws:kms"
    assert again["changed"] is False
    assert lab.client("s3").list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0


def test_missing_bucket_and_key_are_named(aws, sources):
    kms = aws.client("kms")
    kms.create_alias(AliasName=ALIAS, TargetKeyId=kms.create_key()["KeyMetadata"]["KeyId"])

    no_bucket = aws.run(s3_ansible_bundle.main, args(sources))
    aws.client("s3").create_bucket(Bucket=BUCKET)
    no_key = aws.run(s3_ansible_bundle.main, args(sources, kms_key_id="alias/hp-no-such-key"))

    assert no_bucket.failed
    assert f"bucket {BUCKET} does not exist" in no_bucket["msg"]
    assert no_key.failed
    assert "kms_key_id alias/hp-no-such-key does not exist" in no_key["msg"]


@pytest.mark.parametrize(
    "change, option",
    [
        ({"key": "state-manager/bundle.tar.gz"}, "key must be a relative object key ending in .zip"),
        ({"key": "/bundle.zip"}, "key must be"),
        ({"bucket": "Not_A_Bucket"}, "bucket must be an S3 bucket name"),
        ({"kms_key_id": None}, "kms_key_id is required"),
        ({"collections": [{"name": "hp-one", "src": "TARBALL"}]}, "collections[0].name must be namespace.name"),
        ({"collections": [{"name": "hp.one", "src": "TARBALL"}, {"name": "hp.one", "src": "TARBALL"}]}, "collections[1].name hp.one is listed more than once"),
        ({"collections": [{"name": "hp.one", "src": "/nonexistent/hp-one.tar.gz"}]}, "collections[0].src /nonexistent/hp-one.tar.gz does not exist"),
        ({"collections": [{"name": "hp.one", "src": "CHECKOUT"}]}, "is a source checkout: build it"),
        ({"collections": [{"name": "hp.one", "src": "PLAYBOOK"}]}, "must be a collection tarball"),
        ({"files": [{"dest": "../escape.yml", "content": "x"}]}, "files[0].dest must be a relative path"),
        ({"files": [{"dest": "collections/ansible_collections/x/y/z.yml", "content": "x"}]}, "files[0].dest must not be under collections/"),
        ({"files": [{"dest": "a.yml", "content": "x", "src": "PLAYBOOK"}]}, "files[0] needs exactly one of src and content"),
        ({"files": [{"dest": "a.yml", "src": "/nonexistent.yml"}]}, "files[0].src /nonexistent.yml is not a file"),
        ({"files": [{"dest": "a.yml", "content": "x", "mode": "0777"}]}, "files[0].mode must be 0644 or 0755"),
        ({"files": [{"dest": "a.yml", "content": "x"}, {"dest": "a.yml", "content": "y"}]}, "files[1].dest a.yml is listed more than once"),
        ({"collections": [], "files": []}, "there is nothing to bundle"),
    ],
)
def test_bad_input_fails_before_any_call(aws, sources, change, option):
    checkout = sources["root"] / "checkout"
    checkout.mkdir()
    (checkout / "galaxy.yml").write_text("namespace: hp\nname: one\n")
    placeholders = {"TARBALL": sources["tarball"], "CHECKOUT": str(checkout), "PLAYBOOK": sources["playbook"]}
    change = json.loads(json.dumps(change), object_hook=lambda d: {k: placeholders.get(v, v) if isinstance(v, str) else v for k, v in d.items()})

    with aws.recording() as calls:
        result = aws.run(s3_ansible_bundle.main, args(sources, **change))

    assert result.failed
    assert option in result["msg"], result["msg"]
    assert calls == [], "validation must happen before any API call"
