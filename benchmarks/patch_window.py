# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark the patch window's own time per batch, beyond the package installs; print one JSON object.

Sets up the lab web tier of the molecule `operations` scenario (its create and
prepare steps: emulated ALB target group, N web instances backed by podman
containers running https_web, the lab's security repository with the test
package 1.0 installed and 2.0 pending) against a fresh emulator, then runs
playbooks/patch_window.yml as a sysadmin does (ansible-playbook, lab inventory)
with Ansible's JSON callback (ansible.posix.json), which times every task of
every batch. For each batch (a play of the serial window):

  seconds           first task start to last task end of the batch
  install_seconds   the package-install task(s) (apt: "Upgrade the security updates only (apt)")
  overhead_seconds  seconds - install_seconds: what the window itself costs per batch
                    (facts, pending list, snapshot, drain, reboot stand-in, health gate,
                    re-registration, bookkeeping)

plus the overhead's split by task (mean seconds per batch), the same window
re-run with nothing pending (the cost of a batch that finds nothing to do), the
whole run's wall seconds and its AWS API calls. The build machines are shared:
the load average before and after is reported with the figures.

    python benchmarks/patch_window.py [--hosts 3] [--serial 25%]

Do not run it while `scripts/molecule.sh operations` runs: both use the
scenario's network (hp-molecule-operations) and ephemeral folder.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))

from awslab import MotoServer  # noqa: E402  pylint: disable=wrong-import-position
from awslab import summarize  # noqa: E402  pylint: disable=wrong-import-position

BATCH_PLAY = "Rolling patch window"
INSTALL_TASKS = {"Upgrade the security updates only (apt)", "Upgrade the security updates only (dnf)"}


def run(command, env, log_path):
    started = time.monotonic()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = round(time.monotonic() - started, 1)
    with open(log_path, "w", encoding="utf-8") as log:
        log.write(result.stdout + result.stderr)
    return result.returncode, seconds, result.stdout


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def batches(document):
    """Per batch: hosts, seconds, install seconds, and seconds per task name."""
    found = []
    for play in document["plays"]:
        if play["play"]["name"] != BATCH_PLAY:
            continue
        # tasks that ran on some host (skipped ones cost next to nothing and only clutter the split)
        tasks = [t for t in play["tasks"] if t["task"]["duration"].get("end") and not all(r.get("skipped") for r in t["hosts"].values())]
        if not tasks:
            continue
        start = min(parse_time(t["task"]["duration"]["start"]) for t in tasks)
        end = max(parse_time(t["task"]["duration"]["end"]) for t in tasks)
        per_task = collections.Counter()
        hosts = set()
        for task in tasks:
            duration = parse_time(task["task"]["duration"]["end"]) - parse_time(task["task"]["duration"]["start"])
            per_task[task["task"]["name"]] += duration.total_seconds()
            hosts.update(task["hosts"])
        seconds = (end - start).total_seconds()
        install = sum(v for k, v in per_task.items() if k in INSTALL_TASKS)
        found.append(
            {
                "hosts": sorted(h for h in hosts if h != "localhost"),
                "seconds": round(seconds, 2),
                "install_seconds": round(install, 2),
                "overhead_seconds": round(seconds - install, 2),
                "per_task": per_task,
                "start": start,
                "end": end,
            }
        )
    return found


def figures(document, rc, seconds, calls):
    found = batches(document)
    overheads = [b["overhead_seconds"] for b in found]
    split = collections.Counter()
    for batch in found:
        for name, value in batch["per_task"].items():
            if name not in INSTALL_TASKS:
                split[name] += value / len(found)
    span = (found[-1]["end"] - found[0]["start"]).total_seconds() if found else 0
    report = {
        "rc": rc,
        "seconds": seconds,
        "batches": [{k: b[k] for k in ("hosts", "seconds", "install_seconds", "overhead_seconds")} for b in found],
        "overhead_seconds_per_batch": {
            "mean": round(statistics.mean(overheads), 2) if overheads else None,
            "median": round(statistics.median(overheads), 2) if overheads else None,
            "min": min(overheads, default=None),
            "max": max(overheads, default=None),
        },
        # includes Ansible's own work between batches (starting the next batch's play)
        "seconds_per_batch_including_gaps": round(span / len(found), 2) if found else None,
        "overhead_split_mean_seconds": {k: round(v, 2) for k, v in split.most_common(12)},
        "api_calls": summarize(calls),
    }
    return report


def patch_run(server, env, serial, log_path):
    server.start_recording()
    command = ["ansible-playbook", "-i", "inventories/lab", "playbooks/patch_window.yml", "-e", f"patch_window_serial={serial}"]
    rc, seconds, output = run(command, env, log_path)
    calls = server.stop_recording()
    try:
        document, _end = json.JSONDecoder().raw_decode(output[output.index("{") :])
    except ValueError as error:
        raise SystemExit(f"the JSON callback's output did not parse ({error}), see {os.path.relpath(log_path, ROOT)}") from error
    report = figures(document, rc, seconds, calls)
    report["log"] = os.path.relpath(log_path, ROOT)
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, default=3, help="web instances (default 3)")
    parser.add_argument("--serial", default="25%", help="patch_window_serial (default 25%%)")
    args = parser.parse_args()

    log_dir = os.path.join(ROOT, ".lab", "bench")
    state = os.path.join(ROOT, ".lab", "bench-patch-window")
    os.makedirs(log_dir, exist_ok=True)
    os.makedirs(state, exist_ok=True)
    subprocess.run([os.path.join(ROOT, "scripts", "lab.sh"), "image"], check=True, cwd=ROOT)

    server = MotoServer(recorder_path=os.path.join(log_dir, "patch-window-recorder.jsonl")).start()
    env = dict(
        os.environ,
        AWS_ENDPOINT_URL=server.endpoint,
        HP_LAB_STATE=state,
        HP_OPS_WEB_INSTANCES=str(args.hosts),
        ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"),
        CONTAINERS_CONF=os.path.join(ROOT, ".lab", "containers.conf"),
        ANSIBLE_FORCE_COLOR="0",
        PY_COLORS="0",
    )
    env.pop("ANSIBLE_VERBOSITY", None)
    # The JSON document on stdout; ansible.cfg's profile_tasks would print into it
    # (ansible-core refuses an empty list, and timer prints only after the document).
    playbook_env = dict(env, ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_CALLBACKS_ENABLED="ansible.posix.timer")
    report = {"scenario": "operations", "hosts": args.hosts, "serial": args.serial, "emulator": "moto_server (fresh)"}
    report["load_average_before"] = os.getloadavg()
    try:
        for step in ("destroy", "create"):  # create runs the scenario's prepare.yml too
            rc, seconds, _output = run(["molecule", step, "-s", "operations"], env, os.path.join(log_dir, f"patch-window-{step}.log"))
            report[f"molecule_{step}_seconds"] = seconds
            if rc != 0:
                raise SystemExit(f"molecule {step} failed, see .lab/bench/patch-window-{step}.log")
        report["patch"] = patch_run(server, playbook_env, args.serial, os.path.join(log_dir, "patch-window-patch.log"))
        report["nothing_pending"] = patch_run(server, playbook_env, args.serial, os.path.join(log_dir, "patch-window-rerun.log"))
    finally:
        run(["molecule", "destroy", "-s", "operations"], env, os.path.join(log_dir, "patch-window-destroy-after.log"))
        subprocess.run([os.path.join(ROOT, "scripts", "lab.sh"), "stop"], env=env, cwd=ROOT, check=False, capture_output=True)
        server.stop()
    report["load_average_after"] = os.getloadavg()
    print(json.dumps(report, indent=2))
    return 0 if report["patch"]["rc"] == 0 and report["nothing_pending"]["rc"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
