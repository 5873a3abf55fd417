# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Role-level tests: ansible-playbook runs of playbooks/site.yml against a throwaway moto server.

- ``lab``: one moto server for the test module (with the AWS managed IAM policies the instance
  role attaches), its recorder, and ``lab.run(*args)`` that runs site.yml with the lab's
  group_vars but without the aws_ec2 inventory source (the tiers here only need localhost),
  returning (rc, output, classified API calls).
"""

from __future__ import annotations

import os
import subprocess
import tempfile

import pytest
from awslab import MotoServer

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


class Lab:
    def __init__(self, server, inventory):
        self.server = server
        self.endpoint = server.endpoint
        self.inventory = inventory

    def client(self, service):
        import boto3

        return boto3.client(service, region_name="us-east-1", endpoint_url=self.endpoint, aws_access_key_id="testing", aws_secret_access_key="testing")

    def run(self, *args, playbook="playbooks/site.yml"):
        """Run a playbook against the emulator; return (rc, stdout + stderr, recorded calls)."""
        env = dict(os.environ, AWS_ENDPOINT_URL=self.endpoint, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_FORCE_COLOR="0", ANSIBLE_NOCOLOR="1")
        env.pop("ANSIBLE_CALLBACKS_ENABLED", None)
        command = ["ansible-playbook", "-i", self.inventory, os.path.join(REPO, playbook), *args]
        self.server.start_recording()
        try:
            result = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, check=False, timeout=900)
        finally:
            calls = self.server.stop_recording()
        return result.returncode, result.stdout + result.stderr, calls

    @staticmethod
    def mutating(calls):
        return [f"{c['service']}:{c['operation']}" for c in calls if c["mutating"]]


@pytest.fixture(scope="module")
def lab():
    with tempfile.TemporaryDirectory(prefix="hp-roles-") as inventory:
        with open(os.path.join(inventory, "hosts.yml"), "w", encoding="utf-8") as handle:
            handle.write("all:\n  hosts:\n    localhost:\n      ansible_connection: local\n      ansible_python_interpreter: '{{ ansible_playbook_python }}'\n")
        os.symlink(os.path.join(REPO, "inventories", "lab", "group_vars"), os.path.join(inventory, "group_vars"))
        server = MotoServer(managed_policies=True).start()
        try:
            yield Lab(server, inventory)
        finally:
            server.stop()
