# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark the tag-grouped aws_ec2 dynamic inventory on a fresh emulator; print one JSON object.

Launches N emulated instances of the platform (tags Platform, Environment, Role, PatchGroup
spread over a few groups) and times `ansible-inventory --graph` with the lab's inventory
settings: uncached, then filling the jsonfile cache, then from the cache.

    python benchmarks/inventory.py [--instances 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import boto3
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))

from awslab import MotoServer  # noqa: E402  pylint: disable=wrong-import-position

ROLES = [("web", "web-al2023"), ("web", "web-ubuntu"), ("worker", "worker-al2023"), ("admin", "admin-al2023")]


def launch(endpoint, count):
    ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing")
    image = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-kernel-6.1-x86_64"]}])["Images"][0]["ImageId"]
    per_group = count // len(ROLES)
    for index, (role, patch_group) in enumerate(ROLES):
        remaining = per_group if index < len(ROLES) - 1 else count - per_group * (len(ROLES) - 1)
        while remaining > 0:
            batch = min(remaining, 500)
            tags = [
                {"Key": "Platform", "Value": "healthplatform"},
                {"Key": "Environment", "Value": "lab"},
                {"Key": "Role", "Value": role},
                {"Key": "PatchGroup", "Value": patch_group},
            ]
            spec = [{"ResourceType": "instance", "Tags": tags}]
            ec2.run_instances(ImageId=image, MinCount=batch, MaxCount=batch, InstanceType="t3.micro", TagSpecifications=spec)
            remaining -= batch


def inventory_file(directory, cache_dir):
    with open(os.path.join(ROOT, "inventories", "lab", "aws_ec2.yml"), encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    config.update({"cache": True, "cache_plugin": "ansible.builtin.jsonfile", "cache_connection": cache_dir, "cache_timeout": 3600})
    path = os.path.join(directory, "aws_ec2.yml")
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(config, handle)
    return path


def graph(endpoint, path, flush=False):
    env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"))
    command = ["ansible-inventory", "-i", path, "--graph"]
    if flush:
        command.append("--flush-cache")
    started = time.monotonic()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    seconds = round(time.monotonic() - started, 2)
    hosts = set(re.findall(r"\bi-[0-9a-f]+\b", result.stdout))
    groups = sorted(set(re.findall(r"@([\w-]+):", result.stdout)))
    return seconds, len(hosts), groups


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", type=int, default=2000)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="hp-inventory-bench-")
    server = MotoServer().start()
    try:
        started = time.monotonic()
        launch(server.endpoint, args.instances)
        launch_seconds = round(time.monotonic() - started, 1)
        path = inventory_file(work, os.path.join(work, "cache"))
        uncached, hosts, groups = graph(server.endpoint, path, flush=True)
        cached, cached_hosts, _groups = graph(server.endpoint, path)
        server.start_recording()
        again, _hosts, _groups = graph(server.endpoint, path)
        calls = len(server.stop_recording())
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    report = {
        "instances": args.instances,
        "launch_seconds": launch_seconds,
        "hosts_found": hosts,
        "groups": groups,
        "graph_uncached_seconds": uncached,
        "graph_cached_seconds": min(cached, again),
        "hosts_found_cached": cached_hosts,
        "api_calls_when_cached": calls,
    }
    print(json.dumps(report, indent=2))
    return 0 if hosts == args.instances == cached_hosts else 1


if __name__ == "__main__":
    sys.exit(main())
