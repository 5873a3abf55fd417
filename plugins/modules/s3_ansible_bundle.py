#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: s3_ansible_bundle
short_description: Keep a zip of Ansible collections and playbooks in S3, encrypted with SSE-KMS
version_added: 0.1.0
description:
  - Builds a zip of Ansible content (collections, playbooks, variable files) and keeps it as one S3 object,
    encrypted with SSE-KMS under a customer KMS key. This is the bundle the SSM document
    C(AWS-ApplyAnsiblePlaybooks) downloads (C(SourceType=S3), C(SourceInfo) the RV(bundle.url)) and unzips
    before it runs the playbook named by C(PlaybookFile) with C(ansible-playbook -i localhost, -c local).
  - Each collection is stored under C(collections/ansible_collections/<namespace>/<name>/), where
    C(ansible-playbook) finds the collections next to a playbook without any configuration; each file in
    O(files) is stored at its O(files[].dest).
  - The zip is reproducible (entries sorted, fixed timestamps and modes). The module identifies the content
    by a SHA-256 digest over every entry's path, mode and bytes, which it keeps in the object's metadata
    (C(x-amz-meta-content-sha256)), and uploads only when that digest, the encryption or the KMS key of the
    object differ. An unchanged bundle costs one C(HeadObject).
  - Bad input (a key that is not a C(.zip) path, a collection name that is not C(namespace.name), a source
    that does not exist or is not a built collection, a file path outside the bundle) fails before any API
    call is made.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  bucket:
    description: Name of the S3 bucket.
    type: str
    required: true
  key:
    description: Key of the object, a path ending in C(.zip) without a leading C(/).
    type: str
    required: true
  state:
    description: Whether the bundle should exist. C(absent) deletes the object (on a versioned bucket, a delete marker).
    type: str
    choices: [present, absent]
    default: present
  kms_key_id:
    description:
      - The customer KMS key that encrypts the object (SSE-KMS), as a key ARN, key ID, alias name
        (C(alias/...)) or alias ARN. IDs and aliases are resolved to the key ARN (C(DescribeKey)), which is
        what S3 reports and what bucket policies that require a key compare with.
      - Required when O(state=present).
    type: str
  collections:
    description:
      - The collections to bundle.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Fully qualified name, C(namespace.name).
        type: str
        required: true
      src:
        description:
          - A collection tarball built by C(ansible-galaxy collection build), or the directory of an
            installed collection (it holds C(MANIFEST.json)). A source checkout (C(galaxy.yml)) is refused -
            build it first, so that its C(build_ignore) applies.
        type: path
        required: true
  files:
    description: Other files to bundle, each from a local file (O(files[].src)) or given content (O(files[].content)).
    type: list
    elements: dict
    default: []
    suboptions:
      dest:
        description: Path in the bundle, relative, for example C(instance_local.yml) or C(group_vars/all/main.yml).
        type: str
        required: true
      src:
        description: Local file to copy. Exactly one of O(files[].src) and O(files[].content).
        type: path
      content:
        description: Content of the file. Never put a secret here, every instance that runs the bundle can read it.
        type: str
      mode:
        description: Mode of the file in the zip, C(0644) or C(0755). Omitted means the source file's executable bit (C(0644) for O(files[].content)).
        type: str
  exclude:
    description:
      - Glob patterns; a collection file is left out when any part of its path matches one (for example
        C(__pycache__), C(*.pyc), C(tests)).
    type: list
    elements: str
    default: ["__pycache__", "*.pyc", "*.pyo"]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) and C(diff); check mode builds the zip in memory and compares it, and uploads nothing.
  - The instances that run the bundle need C(s3:GetObject) on the object and C(kms:Decrypt) on the key.
seealso:
  - module: healthplatform.aws.ssm_association
  - module: amazon.aws.s3_object
"""

EXAMPLES = r"""
- name: Build this collection
  ansible.builtin.command:
    argv: [ansible-galaxy, collection, build, --force, --output-path, /tmp/hp-build, "{{ playbook_dir }}/.."]
  changed_when: false

- name: Keep the instance bundle in the artifacts bucket, encrypted with the objects key
  healthplatform.aws.s3_ansible_bundle:
    bucket: healthplatform-production-content-123456789012-us-east-1
    key: state-manager/healthplatform-production-instance-bundle.zip
    kms_key_id: alias/healthplatform-production-objects
    collections:
      - name: healthplatform.aws
        src: /tmp/hp-build/healthplatform-aws-0.1.0.tar.gz
      - name: amazon.aws
        src: /usr/lib/python3/dist-packages/ansible_collections/amazon/aws
    files:
      - src: "{{ playbook_dir }}/instance_local.yml"
        dest: instance_local.yml
      - dest: ansible.cfg
        content: |
          [defaults]
          interpreter_python = auto_silent
  register: bundle

- name: Run it on the web servers with State Manager
  healthplatform.aws.ssm_association:
    association_name: healthplatform-production-instance-local-web
    document_name: AWS-ApplyAnsiblePlaybooks
    parameters:
      SourceType: [S3]
      SourceInfo: ["{{ {'path': bundle.bundle.url} | to_json }}"]
      PlaybookFile: [instance_local.yml]
    targets:
      - key: tag:Role
        values: [web]
    schedule_expression: rate(30 minutes)
"""

RETURN = r"""
bundle:
  description: The bundle after the run (in check mode, what it would be). Empty when O(state=absent).
  returned: always
  type: dict
  contains:
    bucket:
      description: The bucket.
      type: str
      sample: healthplatform-production-content-123456789012-us-east-1
    key:
      description: The object key.
      type: str
      sample: state-manager/healthplatform-production-instance-bundle.zip
    s3_uri:
      description: The object as an C(s3://) URI.
      type: str
      sample: s3://healthplatform-production-content-123456789012-us-east-1/state-manager/bundle.zip
    url:
      description: The object's HTTPS URL in its region, the C(path) of the C(SourceInfo) of C(AWS-ApplyAnsiblePlaybooks).
      type: str
      sample: https://healthplatform-production-content-123456789012-us-east-1.s3.us-east-1.amazonaws.com/state-manager/bundle.zip
    content_sha256:
      description: SHA-256 digest of the bundle's content (every entry's path, mode and bytes).
      type: str
      sample: 5f2b0c8e4f1d8d0c6b1c7e0b5a3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c
    size:
      description: Size of the zip in bytes.
      type: int
      sample: 3145728
    files:
      description: Number of files in the zip.
      type: int
      sample: 1654
    collections:
      description: Version of each bundled collection (from its C(MANIFEST.json)).
      type: dict
      sample: {"healthplatform.aws": "0.1.0", "amazon.aws": "10.1.2"}
    kms_key_arn:
      description: ARN of the KMS key that encrypts the object.
      type: str
      sample: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    version_id:
      description: Version of the object when the bucket is versioned.
      type: str
      sample: 3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY
    uploaded:
      description: Whether this run uploaded the bundle (or would, in check mode).
      type: bool
      sample: false
"""

import fnmatch
import hashlib
import io
import json
import os
import re
import stat
import tarfile
import urllib.parse
import zipfile

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client

BUCKET = re.compile(r"^[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]$")
COLLECTION = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
KEY_ARN = re.compile(r"^arn:aws[a-z\-]*:kms:[a-z0-9\-]+:\d{12}:key/[A-Za-z0-9\-]+$")
MODES = {"0644": 0o644, "644": 0o644, "0755": 0o755, "755": 0o755}
COLLECTIONS_DIR = "collections/ansible_collections"
DIGEST_METADATA = "content-sha256"
# The DOS epoch: every entry gets it, so the same content always makes the same zip.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def bundle_path_error(path, option):
    """A relative path inside the bundle, without '..' or empty parts."""
    parts = path.split("/")
    if not path or path.startswith("/") or any(part in ("", ".", "..") for part in parts):
        return f"{option} must be a relative path inside the bundle without '.' or '..' parts, got {path!r}"
    return None


def validate(module):
    """Check what argument_spec cannot; fail before any API call."""
    p = module.params
    problems = []
    if not BUCKET.match(p["bucket"]) or ".." in p["bucket"]:
        problems.append(f"bucket must be an S3 bucket name (3 to 63 lowercase letters, digits, '.' or '-'), got {p['bucket']!r}")
    if not p["key"].endswith(".zip") or len(p["key"]) > 1024 or bundle_path_error(p["key"], "key"):
        problems.append(f"key must be a relative object key ending in .zip (AWS-ApplyAnsiblePlaybooks unzips only .zip files), got {p['key']!r}")
    if p["state"] == "present":
        if not p["kms_key_id"]:
            problems.append("kms_key_id is required when state is present: the bundle is always encrypted with SSE-KMS")
        names = [c["name"] for c in p["collections"]]
        for index, collection in enumerate(p["collections"]):
            option = f"collections[{index}]"
            if not COLLECTION.match(collection["name"]):
                problems.append(f"{option}.name must be namespace.name in lowercase, got {collection['name']!r}")
            elif names.count(collection["name"]) > 1:
                problems.append(f"{option}.name {collection['name']} is listed more than once")
            problems.append(collection_source_error(collection["src"], f"{option}.src"))
        dests = [f["dest"] for f in p["files"]]
        for index, entry in enumerate(p["files"]):
            option = f"files[{index}]"
            problems.append(bundle_path_error(entry["dest"], f"{option}.dest"))
            if entry["dest"] == "collections" or entry["dest"].startswith("collections/"):
                problems.append(f"{option}.dest must not be under collections/, which holds the bundled collections")
            if dests.count(entry["dest"]) > 1:
                problems.append(f"{option}.dest {entry['dest']} is listed more than once")
            if (entry["src"] is None) == (entry["content"] is None):
                problems.append(f"{option} needs exactly one of src and content")
            elif entry["src"] is not None and not os.path.isfile(entry["src"]):
                problems.append(f"{option}.src {entry['src']} is not a file")
            if entry["mode"] is not None and entry["mode"] not in MODES:
                problems.append(f"{option}.mode must be 0644 or 0755, got {entry['mode']!r}")
        if not p["collections"] and not p["files"]:
            problems.append("collections and files are both empty: there is nothing to bundle")
    problems = [problem for problem in problems if problem]
    if problems:
        module.fail_json(msg="; ".join(problems))


def collection_source_error(src, option):
    if os.path.isdir(src):
        if os.path.isfile(os.path.join(src, "MANIFEST.json")):
            return None
        if os.path.isfile(os.path.join(src, "galaxy.yml")):
            return f"{option} {src} is a source checkout: build it with ansible-galaxy collection build and give the tarball, so that its build_ignore applies"
        return f"{option} {src} is not an installed collection (no MANIFEST.json)"
    if os.path.isfile(src):
        if src.endswith((".tar.gz", ".tgz")):
            return None
        return f"{option} {src} must be a collection tarball (.tar.gz) or an installed collection directory"
    return f"{option} {src} does not exist"


def excluded(path, patterns):
    return any(fnmatch.fnmatch(part, pattern) for part in path.split("/") for pattern in patterns) or any(
        fnmatch.fnmatch(path, pattern) for pattern in patterns
    )


def file_mode(executable):
    return 0o755 if executable else 0o644


def read_tarball(src, patterns):
    """{relative path: (mode, bytes)} of the regular files (and links to them) of a built collection tarball."""
    entries = {}
    with tarfile.open(src, "r:gz") as tar:
        for member in tar.getmembers():
            path = member.name[2:] if member.name.startswith("./") else member.name
            if not (member.isfile() or member.issym() or member.islnk()) or excluded(path, patterns) or bundle_path_error(path, "path"):
                continue
            handle = tar.extractfile(member)  # follows links inside the archive
            if handle is None:
                continue
            with handle:
                entries[path] = (file_mode(member.mode & 0o111), handle.read())
    return entries


def read_directory(src, patterns):
    """{relative path: (mode, bytes)} of the files under an installed collection directory."""
    entries = {}
    for root, dirs, files in os.walk(src, followlinks=True):
        relative_root = os.path.relpath(root, src)
        dirs[:] = sorted(d for d in dirs if not excluded(d if relative_root == "." else f"{relative_root}/{d}", patterns))
        for name in files:
            path = name if relative_root == "." else f"{relative_root}/{name}".replace(os.sep, "/")
            full = os.path.join(root, name)
            if excluded(path, patterns) or not os.path.isfile(full):
                continue
            with open(full, "rb") as handle:
                entries[path] = (file_mode(os.stat(full).st_mode & stat.S_IXUSR), handle.read())
    return entries


def manifest_version(entries):
    try:
        return json.loads(entries["MANIFEST.json"][1])["collection_info"]["version"]
    except (KeyError, ValueError, TypeError):
        return None


def bundle_entries(module):
    """Every entry of the bundle: ({path: (mode, bytes)}, {collection: version})."""
    p = module.params
    entries, versions = {}, {}
    for collection in p["collections"]:
        src = collection["src"]
        files = read_directory(src, p["exclude"]) if os.path.isdir(src) else read_tarball(src, p["exclude"])
        version = manifest_version(files)
        if version is None:
            module.fail_json(msg=f"collections: {src} has no readable MANIFEST.json: it is not a built or installed collection ({collection['name']})")
        versions[collection["name"]] = version
        prefix = f"{COLLECTIONS_DIR}/{collection['name'].replace('.', '/')}/"
        entries.update({prefix + path: value for path, value in files.items()})
    for entry in p["files"]:
        if entry["src"] is not None:
            with open(entry["src"], "rb") as handle:
                data = handle.read()
            executable = bool(os.stat(entry["src"]).st_mode & stat.S_IXUSR)
        else:
            data, executable = entry["content"].encode("utf-8"), False
        mode = MODES[entry["mode"]] if entry["mode"] is not None else file_mode(executable)
        entries[entry["dest"]] = (mode, data)
    return entries, versions


def content_digest(entries):
    digest = hashlib.sha256()
    for path in sorted(entries):
        mode, data = entries[path]
        digest.update(f"{path}\0{mode:o}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    return digest.hexdigest()


def build_zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(entries):
            mode, data = entries[path]
            info = zipfile.ZipInfo(path, date_time=ZIP_TIME)
            info.create_system = 3  # unix: the mode below is honoured by unzip
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def resolve_key_arn(module, kms_key_id):
    if KEY_ARN.match(kms_key_id):
        return kms_key_id
    client = retrying_client(module, "kms")
    try:
        return client.describe_key(KeyId=kms_key_id, aws_retry=True)["KeyMetadata"]["Arn"]
    except is_boto3_error_code("NotFoundException"):
        module.fail_json(msg=f"kms_key_id {kms_key_id} does not exist in this account and region")
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Failed to read the KMS key {kms_key_id}")
    return None


def head(module, client):
    p = module.params
    try:
        return client.head_object(Bucket=p["bucket"], Key=p["key"], aws_retry=True)
    except is_boto3_error_code(["404", "NoSuchKey", "NotFound"]):
        return None
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Failed to read s3://{p['bucket']}/{p['key']}")
    return None


def bucket_exists_error(module, client):
    """A clear message when the bucket is missing (HeadObject only says 404)."""
    bucket = module.params["bucket"]
    try:
        client.head_bucket(Bucket=bucket, aws_retry=True)
    except is_boto3_error_code(["404", "NoSuchBucket", "NotFound"]):
        return f"bucket {bucket} does not exist (create it first, e.g. with the data tier's content bucket)"
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError):  # pylint: disable=duplicate-except
        return None  # no permission to check: let the upload report it
    return None


def object_url(module, bucket, key):
    region = module.region or "us-east-1"
    domain = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"https://{bucket}.s3.{region}.{domain}/{urllib.parse.quote(key)}"


def state_of(existing):
    """What the diff shows of an object."""
    if existing is None:
        return {}
    return {
        "content_sha256": (existing.get("Metadata") or {}).get(DIGEST_METADATA),
        "server_side_encryption": existing.get("ServerSideEncryption"),
        "kms_key_arn": existing.get("SSEKMSKeyId"),
        "size": existing.get("ContentLength"),
    }


def main():
    argument_spec = dict(
        bucket=dict(type="str", required=True),
        key=dict(type="str", required=True, no_log=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        kms_key_id=dict(type="str", no_log=False),
        collections=dict(
            type="list",
            elements="dict",
            default=[],
            options=dict(name=dict(type="str", required=True), src=dict(type="path", required=True)),
        ),
        files=dict(
            type="list",
            elements="dict",
            default=[],
            options=dict(
                dest=dict(type="str", required=True),
                src=dict(type="path"),
                content=dict(type="str"),
                mode=dict(type="str"),
            ),
        ),
        exclude=dict(type="list", elements="str", default=["__pycache__", "*.pyc", "*.pyo"]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    p = module.params
    client = retrying_client(module, "s3")
    location = {"bucket": p["bucket"], "key": p["key"], "s3_uri": f"s3://{p['bucket']}/{p['key']}", "url": object_url(module, p["bucket"], p["key"])}

    if p["state"] == "absent":
        existing = head(module, client)
        if existing is not None and not module.check_mode:
            try:
                client.delete_object(Bucket=p["bucket"], Key=p["key"], aws_retry=True)
            except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
                module.fail_json_aws(e, msg=f"Failed to delete {location['s3_uri']}")
        module.exit_json(changed=existing is not None, bundle={}, diff=diff_of(state_of(existing), {}))

    entries, versions = bundle_entries(module)
    digest = content_digest(entries)
    key_arn = resolve_key_arn(module, p["kms_key_id"])
    existing = head(module, client)
    if existing is None:
        problem = bucket_exists_error(module, client)
        if problem:
            module.fail_json(msg=problem)
    current = state_of(existing)
    wanted = {"content_sha256": digest, "server_side_encryption": "aws:kms", "kms_key_arn": key_arn}
    upload = any(current.get(k) != v for k, v in wanted.items())

    body = build_zip(entries)
    version_id = (existing or {}).get("VersionId")
    if upload and not module.check_mode:
        try:
            response = client.put_object(
                Bucket=p["bucket"],
                Key=p["key"],
                Body=body,
                ContentType="application/zip",
                ServerSideEncryption="aws:kms",
                SSEKMSKeyId=key_arn,
                Metadata={DIGEST_METADATA: digest},
                aws_retry=True,
            )
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            module.fail_json_aws(e, msg=f"Failed to upload the bundle to {location['s3_uri']}")
        version_id = response.get("VersionId")

    after = dict(wanted, size=len(body)) if upload else current
    bundle = dict(
        location,
        content_sha256=digest,
        size=len(body),
        files=len(entries),
        collections=versions,
        kms_key_arn=key_arn,
        uploaded=upload,
    )
    if version_id:
        bundle["version_id"] = version_id
    module.exit_json(changed=upload, bundle=bundle, diff=diff_of(current, after))


if __name__ == "__main__":
    main()
