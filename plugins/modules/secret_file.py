#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: secret_file
short_description: Write a Secrets Manager secret into a file on the managed host
version_added: 0.1.0
description:
  - Reads one secret from AWS Secrets Manager B(on the managed host), with that
    host's own credentials (on EC2, the instance role), and writes it into
    O(dest) as raw text, JSON or C(KEY=value) lines, all keys or one key of a
    JSON secret. The controller never receives the value.
  - The file is written atomically (a temporary file in the same directory, with
    its owner, group and mode set before any content is written, renamed over
    O(dest)) and only when its content or attributes differ. The result reports
    C(changed) and what changed, never the value, its length or a checksum of it.
  - O(mode) may not give any access to other users; bad input (such a mode, an
    unknown O(owner) or O(group), a missing directory) fails before any API call.
  - Reads are GetSecretValue only; the module never changes the secret.
author:
  - healthplatform.aws founding engineers (@healthplatform)
options:
  secret_id:
    description: Name or ARN of the secret.
    type: str
    required: true
  version_stage:
    description:
      - Staging label of the version to read, for example C(AWSCURRENT), C(AWSPREVIOUS),
        C(AWSPENDING) or a custom label.
      - Defaults to C(AWSCURRENT) when O(version_id) is not given.
    type: str
  version_id:
    description: ID of the version to read, instead of O(version_stage).
    type: str
  dest:
    description: Path of the file to write. Its directory must exist.
    type: path
    required: true
  state:
    description: C(present) writes the file; C(absent) removes it (no API call).
    type: str
    choices: [present, absent]
    default: present
  format:
    description:
      - C(raw) writes the secret string as it is (or the value of O(key)), C(SecretBinary) as bytes.
      - C(json) writes the secret's JSON object (or only O(key) in an object), sorted and indented.
      - C(env) writes one C(NAME="value") line per key of the secret's JSON object (or only O(key)),
        readable by a shell and by systemd's C(EnvironmentFile=). C(NAME) is O(env_prefix) plus the key
        in upper case with every other character than letters, digits and C(_) replaced by C(_).
    type: str
    choices: [raw, json, env]
    default: raw
  key:
    description: Write only this key of a JSON secret (all keys when omitted).
    type: str
  env_prefix:
    description: Prefix of the variable names for O(format=env), for example C(DB_).
    type: str
    default: ""
  owner:
    description: Owner of the file (name or UID). Defaults to the user the module runs as for a new file; unchanged for an existing one.
    type: str
  group:
    description: Group of the file (name or GID). Defaults as O(owner) does.
    type: str
  mode:
    description:
      - Permissions of the file, as an octal string such as C("0600") or C("0640") (or the integer YAML makes of an unquoted C(0600)).
      - Must not grant any permission to other users; symbolic modes are not accepted.
    type: raw
    default: "0600"
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports C(check_mode) (reads the secret, compares, writes nothing) and C(diff) (owner, group, mode
    and whether the content changed; the content itself is never shown).
  - Works with the AWS SDK of the distribution (for example python3-boto3 1.26 on Debian 12); it only
    needs GetSecretValue.
  - Use C(no_log) on the task anyway; the module also registers the value so that Ansible masks it
    should it ever appear in output.
seealso:
  - module: amazon.aws.secretsmanager_secret
"""

EXAMPLES = r"""
- name: Write the application's database credentials as an environment file
  healthplatform.aws.secret_file:
    secret_id: healthplatform/production/app/database
    dest: /etc/healthplatform/app/database.env
    format: env
    env_prefix: DB_
    owner: healthplatform
    group: healthplatform
    mode: "0600"
  no_log: true

- name: Write only the password, from the previous version while a rotation is checked
  healthplatform.aws.secret_file:
    secret_id: arn:aws:secretsmanager:us-east-1:123456789012:secret:healthplatform/app/database-AbCdEf
    version_stage: AWSPREVIOUS
    key: password
    dest: /etc/healthplatform/app/db-password
    owner: root
    group: healthplatform
    mode: "0640"
  no_log: true

- name: Remove a secret file that is no longer used
  healthplatform.aws.secret_file:
    secret_id: healthplatform/production/app/legacy-token
    dest: /etc/healthplatform/app/legacy-token
    state: absent
"""

RETURN = r"""
dest:
  description: The file written or removed.
  returned: always
  type: str
  sample: /etc/healthplatform/app/database.env
content_changed:
  description: Whether the content of the file was (or in check mode would be) replaced.
  returned: always
  type: bool
  sample: true
attributes_changed:
  description: Whether owner, group or mode were (or would be) changed on a file whose content was kept.
  returned: always
  type: bool
  sample: false
owner:
  description: Owner of the file afterwards (absent when O(state=absent)).
  returned: when state is present
  type: str
  sample: healthplatform
group:
  description: Group of the file afterwards.
  returned: when state is present
  type: str
  sample: healthplatform
mode:
  description: Mode of the file afterwards.
  returned: when state is present
  type: str
  sample: "0600"
secret:
  description: Which secret version was written (identifiers only, never the value).
  returned: when state is present
  type: dict
  contains:
    arn:
      description: ARN of the secret.
      type: str
      sample: arn:aws:secretsmanager:us-east-1:123456789012:secret:healthplatform/app/database-AbCdEf
    name:
      description: Name of the secret.
      type: str
      sample: healthplatform/app/database
    version_id:
      description: ID of the version read.
      type: str
      sample: 6d7f3a51-8c0e-4f5e-9d7e-2b3c4d5e6f70
    version_stages:
      description: Staging labels of that version.
      type: list
      elements: str
      sample: [AWSCURRENT]
"""

import grp
import json
import os
import pwd
import re
import stat
import tempfile

try:
    import botocore
except ImportError:
    pass  # reported by main()

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.common.text.converters import to_bytes
from ansible_collections.amazon.aws.plugins.module_utils.botocore import HAS_BOTO3
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.healthplatform.aws.plugins.module_utils.common import diff_of
from ansible_collections.healthplatform.aws.plugins.module_utils.common import retrying_client

OCTAL_MODE = re.compile(r"^0?[0-7]{3,4}$")
NOT_FOUND = ("ResourceNotFoundException",)
DENIED = ("AccessDeniedException", "AccessDenied", "UnrecognizedClientException")


class SecretShapeError(Exception):
    """The secret's value does not fit the requested format/key (message names the option, never the value)."""


def parse_mode(module):
    value = module.params["mode"]
    if isinstance(value, int) and not isinstance(value, bool):
        mode = value
    elif isinstance(value, str) and OCTAL_MODE.match(value.strip()):
        mode = int(value.strip(), 8)
    else:
        module.fail_json(msg=f"mode must be an octal mode such as '0600' or '0640', got {value!r} (symbolic modes are not accepted)")
    if mode & ~0o7777:
        module.fail_json(msg=f"mode {value!r} is not a file mode")
    if mode & 0o007:
        module.fail_json(msg=f"mode {mode:04o} grants access to other users; a secret file must not be world-readable (use 0600 or 0640)")
    return mode


def resolve_id(module, option, value, by_name, by_id):
    """UID/GID of an owner/group given by name or number (None when not given)."""
    if value is None:
        return None
    try:
        return by_name(value)[2]
    except KeyError:
        pass
    if value.isdigit():
        try:
            by_id(int(value))
        except KeyError:
            module.fail_json(msg=f"{option} {value!r} does not exist on this host")
        return int(value)
    module.fail_json(msg=f"{option} {value!r} does not exist on this host")
    return None


def validate(module):
    """Everything that can be checked without AWS; fails naming the option. Returns (uid, gid, mode)."""
    p = module.params
    if p["version_id"] and p["version_stage"]:
        module.fail_json(msg="give either version_id or version_stage, not both")
    dest = p["dest"]
    if os.path.isdir(dest):
        module.fail_json(msg=f"dest {dest!r} is a directory; give the path of the file to write")
    if p["state"] == "present" and not os.path.isdir(os.path.dirname(dest) or "."):
        module.fail_json(msg=f"dest: the directory {os.path.dirname(dest)!r} does not exist (create it first, with the permissions it needs)")
    if p["env_prefix"] and p["format"] != "env":
        module.fail_json(msg="env_prefix applies only to format env")
    uid = resolve_id(module, "owner", p["owner"], pwd.getpwnam, pwd.getpwuid)
    gid = resolve_id(module, "group", p["group"], grp.getgrnam, grp.getgrgid)
    return uid, gid, parse_mode(module)


def env_name(prefix, key):
    return prefix + re.sub(r"[^A-Za-z0-9_]", "_", key).upper()


def env_value(value):
    """A double-quoted value that a shell and systemd's EnvironmentFile= read back unchanged."""
    if not isinstance(value, str):
        value = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return '"' + re.sub(r'(["\\$`])', r"\\\1", value) + '"'


def secret_object(secret):
    if "SecretString" not in secret:
        raise SecretShapeError("the secret holds binary data (SecretBinary); only format raw without key can write it")
    try:
        value = json.loads(secret["SecretString"])
    except ValueError:
        raise SecretShapeError("the secret is not a JSON object; use format raw without key") from None
    if not isinstance(value, dict):
        raise SecretShapeError("the secret is JSON but not an object; use format raw without key")
    return value


def render(params, secret):
    """The bytes to write for this secret version."""
    fmt, key = params["format"], params["key"]
    if fmt == "raw" and key is None:
        if "SecretString" in secret:
            return to_bytes(secret["SecretString"])
        return secret["SecretBinary"]
    document = secret_object(secret)
    if key is not None:
        if key not in document:
            raise SecretShapeError(f"key {key!r} is not in the secret (its keys: {', '.join(sorted(document))})")
        document = {key: document[key]}
    if fmt == "raw":
        value = document[key]
        return to_bytes(value if isinstance(value, str) else json.dumps(value, sort_keys=True))
    if fmt == "json":
        return to_bytes(json.dumps(document, indent=2, sort_keys=True) + "\n")
    lines = [f"{env_name(params['env_prefix'], k)}={env_value(v)}" for k, v in sorted(document.items())]
    return to_bytes("\n".join(lines) + "\n")


def read_secret(module, client):
    p = module.params
    request = {"SecretId": p["secret_id"]}
    if p["version_id"]:
        request["VersionId"] = p["version_id"]
    else:
        request["VersionStage"] = p["version_stage"] or "AWSCURRENT"
    try:
        return client.get_secret_value(aws_retry=True, **request)
    except botocore.exceptions.ClientError as e:
        code = e.response.get("Error", {}).get("Code", "")
        which = f"version {p['version_id']}" if p["version_id"] else f"stage {request['VersionStage']}"
        if code in NOT_FOUND:
            module.fail_json(msg=f"secret_id: the secret {p['secret_id']!r} ({which}) does not exist in region {module.region}")
        if code in DENIED:
            module.fail_json(msg=f"secret_id: this host's credentials may not read the secret {p['secret_id']!r} ({code})")
        module.fail_json_aws(e, msg=f"secret_id: could not read the secret {p['secret_id']!r}")
    except botocore.exceptions.BotoCoreError as e:
        module.fail_json_aws(e, msg=f"secret_id: could not read the secret {p['secret_id']!r}")
    return None


def current_state(dest):
    """(content bytes or None, stat or None) of the existing file."""
    try:
        st = os.lstat(dest)
    except FileNotFoundError:
        return None, None
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
        return None, st
    with open(dest, "rb") as handle:
        return handle.read(), st


def user_name(uid):
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def group_name(gid):
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def view(st, content_note):
    if st is None:
        return {"state": "absent"}
    return {
        "state": "file",
        "owner": user_name(st.st_uid),
        "group": group_name(st.st_gid),
        "mode": f"{stat.S_IMODE(st.st_mode):04o}",
        "content": content_note,
    }


def write_atomically(dest, content, uid, gid, mode):
    """Temporary file beside dest: attributes first, then content, fsync, rename."""
    directory = os.path.dirname(dest) or "."
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(dest)}.", suffix=".tmp", dir=directory)
    try:
        os.fchown(fd, uid, gid)
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            fd = None
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(tmp, dest)
        tmp = None
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    finally:
        if fd is not None:
            os.close(fd)
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def ensure_absent(module):
    dest = module.params["dest"]
    exists = os.path.lexists(dest)
    before = view(os.lstat(dest), "(secret, hidden)") if exists else {"state": "absent"}
    if exists and not module.check_mode:
        os.unlink(dest)
    module.exit_json(changed=exists, dest=dest, content_changed=exists, attributes_changed=False, diff=diff_of(before, {"state": "absent"}))


def main():
    argument_spec = dict(
        secret_id=dict(type="str", required=True, no_log=False),
        version_stage=dict(type="str"),
        version_id=dict(type="str"),
        dest=dict(type="path", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        format=dict(type="str", choices=["raw", "json", "env"], default="raw"),
        key=dict(type="str", no_log=False),
        env_prefix=dict(type="str", default=""),
        owner=dict(type="str"),
        group=dict(type="str"),
        mode=dict(type="raw", default="0600"),
    )
    # The distribution's boto3 (Debian 12: 1.26) is older than amazon.aws tests
    # with, and GetSecretValue is all this module needs: no version warning.
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True, check_boto3=False)
    if not HAS_BOTO3:
        module.fail_json(msg=missing_required_lib("boto3 and botocore (python3-boto3 from the distribution)"))
    uid, gid, mode = validate(module)
    p = module.params
    if p["state"] == "absent":
        ensure_absent(module)

    client = retrying_client(module, "secretsmanager")
    secret = read_secret(module, client)
    # Should the value ever reach the output, Ansible masks it.
    if len(secret.get("SecretString", "")) >= 4:
        module.no_log_values.add(secret["SecretString"])
    try:
        content = render(p, secret)
    except SecretShapeError as e:
        module.fail_json(msg=f"format {p['format']}{' / key' if p['key'] is not None else ''}: {e} (secret {p['secret_id']!r})")
    if len(content) >= 4:
        module.no_log_values.add(content.decode("utf-8", errors="replace").strip())

    dest = p["dest"]
    old_content, st = current_state(dest)
    if st is not None and old_content is None:
        module.fail_json(msg=f"dest {dest!r} exists and is not a regular file; remove it first")
    want_uid = uid if uid is not None else (st.st_uid if st else os.geteuid())
    want_gid = gid if gid is not None else (st.st_gid if st else os.getegid())
    content_changed = old_content != content
    attributes_changed = st is not None and not content_changed and (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) != (want_uid, want_gid, mode)

    if not module.check_mode:
        if content_changed:
            write_atomically(dest, content, want_uid, want_gid, mode)
        elif attributes_changed:
            os.chown(dest, want_uid, want_gid)
            os.chmod(dest, mode)

    before = view(st, "(secret, hidden)")
    after = {
        "state": "file",
        "owner": user_name(want_uid),
        "group": group_name(want_gid),
        "mode": f"{mode:04o}",
        "content": "(secret, hidden, changed)" if content_changed and st is not None else "(secret, hidden)",
    }
    module.exit_json(
        changed=content_changed or attributes_changed,
        dest=dest,
        content_changed=content_changed,
        attributes_changed=attributes_changed,
        owner=after["owner"],
        group=after["group"],
        mode=after["mode"],
        secret={
            "arn": secret.get("ARN"),
            "name": secret.get("Name"),
            "version_id": secret.get("VersionId"),
            "version_stages": secret.get("VersionStages", []),
        },
        diff=diff_of(before, after),
    )


if __name__ == "__main__":
    main()
