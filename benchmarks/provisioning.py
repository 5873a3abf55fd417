# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark the provisioning run on a fresh emulator and print one JSON object.

Figures (no pass/fail: the issues name the targets, the note reports them):
  converge  first `site.yml` run on an empty emulator
  rerun     the same run again (should be changed=0, zero mutating calls)
  check     `--check` on the converged platform (should report changed=0)
For each: wall seconds, changed count from the play recap, and the AWS API
calls the emulator recorded, split into read and mutating.

    python benchmarks/provisioning.py [--playbook playbooks/site.yml] [--tags network]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))

from awslab import MotoServer  # noqa: E402  pylint: disable=wrong-import-position
from awslab import summarize  # noqa: E402  pylint: disable=wrong-import-position

RECAP = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)


def run_playbook(server, playbook, extra_args, log_path):
    env = dict(os.environ, AWS_ENDPOINT_URL=server.endpoint, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_FORCE_COLOR="0")
    env.pop("ANSIBLE_CALLBACKS_ENABLED", None)
    command = ["ansible-playbook", "-i", os.path.join(ROOT, "inventories", "lab"), os.path.join(ROOT, playbook), *extra_args]
    server.start_recording()
    started = time.monotonic()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = round(time.monotonic() - started, 1)
    calls = server.stop_recording()
    with open(log_path, "w", encoding="utf-8") as log:
        log.write(result.stdout + result.stderr)
    recap = {m.group(1): {"changed": int(m.group(3)), "failed": int(m.group(5)), "unreachable": int(m.group(4))} for m in RECAP.finditer(result.stdout)}
    return {
        "seconds": seconds,
        "rc": result.returncode,
        "changed": sum(h["changed"] for h in recap.values()),
        "failed": sum(h["failed"] + h["unreachable"] for h in recap.values()),
        "api_calls": summarize(calls),
        "log": os.path.relpath(log_path, ROOT),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--playbook", default="playbooks/site.yml")
    parser.add_argument("--tags", help="only these tags (a tier)")
    args = parser.parse_args()

    extra = ["--tags", args.tags] if args.tags else []
    log_dir = os.path.join(ROOT, ".lab", "bench")
    os.makedirs(log_dir, exist_ok=True)
    server = MotoServer(managed_policies=True).start()  # its own recorder file: runs may overlap
    try:
        report = {"playbook": args.playbook, "tags": args.tags, "emulator": "moto_server (fresh)"}
        report["converge"] = run_playbook(server, args.playbook, extra, os.path.join(log_dir, "converge.log"))
        report["rerun"] = run_playbook(server, args.playbook, extra, os.path.join(log_dir, "rerun.log"))
        report["check"] = run_playbook(server, args.playbook, [*extra, "--check"], os.path.join(log_dir, "check.log"))
    finally:
        server.stop()
    print(json.dumps(report, indent=2))
    return 0 if all(report[k]["rc"] == 0 for k in ("converge", "rerun", "check")) else 1


if __name__ == "__main__":
    sys.exit(main())
