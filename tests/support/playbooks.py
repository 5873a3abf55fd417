# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the collection's playbooks through the lab inventory against a given emulator."""

from __future__ import annotations

import os
import re
import subprocess
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RECAP = re.compile(r"^localhost\s+:\s+ok=\d+\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", re.MULTILINE)


class PlaybookRun:
    def __init__(self, completed):
        self.rc = completed.returncode
        self.output = completed.stdout + completed.stderr
        match = RECAP.search(completed.stdout)
        self.changed = int(match.group(1)) if match else None

    def __repr__(self):
        return f"PlaybookRun(rc={self.rc}, changed={self.changed})\n{self.output[-3000:]}"


def run_playbook(endpoint, playbook, *args):
    """ansible-playbook -i inventories/lab playbooks/<playbook> args... with AWS_ENDPOINT_URL=endpoint."""
    bindir = os.path.dirname(sys.executable)
    env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_FORCE_COLOR="0")
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    command = [os.path.join(bindir, "ansible-playbook"), "-i", os.path.join(REPO, "inventories", "lab"), os.path.join(REPO, "playbooks", playbook), *args]
    return PlaybookRun(subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=REPO))
