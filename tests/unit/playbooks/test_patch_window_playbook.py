# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/patch_window.yml: settings it refuses before touching any host.

The lab inventory finds two emulated web instances in a throwaway moto server
(no containers behind them: no host may be contacted). A refused setting must
stop the run in the first play, naming the variable, before the rolling play
starts. Accepted settings are run with a tag no task has (--tags
validation-only), so that the always-tagged check and summary plays run and
the rolling play starts without contacting a host. The rolling window itself
runs in the molecule `operations` scenario.
"""

from __future__ import annotations

import json

import boto3
import pytest
from awslab import MotoServer

from playbooks import run_playbook

TAGS = [
    {"Key": "Platform", "Value": "healthplatform"},
    {"Key": "Environment", "Value": "lab"},
    {"Key": "Role", "Value": "web"},
    {"Key": "PatchGroup", "Value": "web-debian12"},
]
ROLLING_PLAY = "PLAY [Rolling patch window]"


@pytest.fixture(scope="module")
def lab():
    server = MotoServer().start()
    ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=server.endpoint, aws_access_key_id="testing", aws_secret_access_key="testing")
    image = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-kernel-6.1-x86_64"]}])["Images"][0]["ImageId"]
    ec2.run_instances(ImageId=image, MinCount=2, MaxCount=2, TagSpecifications=[{"ResourceType": "instance", "Tags": TAGS}])
    yield server
    server.stop()


def run(server, extra, *args):
    return run_playbook(server.endpoint, "patch_window.yml", "-e", json.dumps(extra), "--tags", "validation-only", *args)


@pytest.mark.parametrize(
    ("extra", "args", "message"),
    [
        ({"hp_environment": "production", "patch_window_serial": "100%"}, [], "patch_window_serial=100% takes all 2 production hosts"),
        # --limit narrows the window; it must not skip the check (a play on localhost would be skipped)
        ({"hp_environment": "production", "patch_window_serial": 2}, ["--limit", "env_lab"], "patch_window_serial=2 takes all 2 production hosts"),
        ({"patch_window_serial": "150%"}, [], "patch_window_serial must be a positive count or a percentage"),
        ({"patch_window_max_failures": "-1"}, [], "patch_window_max_failures and patch_window_health_retries must be counts"),
    ],
)
def test_bad_settings_stop_the_run_before_any_host(lab, extra, args, message):
    result = run(lab, extra, *args)
    assert result.rc != 0, result
    assert message in " ".join(result.output.split()), result
    assert ROLLING_PLAY not in result.output, "no host may be contacted after a refused setting"


@pytest.mark.parametrize(
    "extra",
    [
        {"hp_environment": "production"},
        {"hp_environment": "production", "patch_window_serial": "100%", "patch_window_allow_full_batch": True},
    ],
)
def test_accepted_settings_start_the_rolling_play(lab, extra):
    result = run(lab, extra)
    assert result.rc == 0, result
    assert ROLLING_PLAY in result.output, result
    assert '"hosts_failed": []' in result.output, result
