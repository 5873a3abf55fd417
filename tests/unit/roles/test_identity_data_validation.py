# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input to the kms, identity and data tiers fails before any change, naming the variable.

Each case runs playbooks/site.yml (lab group_vars, tags kms,identity,data) against a throwaway
moto server with its request recorder on, and asserts: the run fails, the failure names the
variable, and the emulator saw no mutating call at all. A first case with good input proves the
recorder does see the changes a run makes.
"""

from __future__ import annotations

import json

import pytest

TAGS = ["--tags", "kms,identity,data"]
PRODUCTION = {"data_environment": "production"}


def extra(variables):
    return ["-e", json.dumps(variables)]


def test_the_recorder_sees_the_changes_of_a_good_run(lab):
    rc, output, calls = lab.run("--tags", "kms")
    assert rc == 0, output[-3000:]
    assert "kms:CreateKey" in lab.mutating(calls)


@pytest.mark.parametrize(
    "variables, named",
    [
        pytest.param(
            {"data_records_object_lock_min_days": 30, "data_records_object_lock_days": 7}, "data_records_object_lock_days", id="retention-below-minimum"
        ),
        pytest.param(dict(PRODUCTION, data_records_object_lock_enabled=False), "data_records_object_lock_enabled", id="object-lock-off-in-production"),
        pytest.param(dict(PRODUCTION, data_records_object_lock_mode="GOVERNANCE"), "data_records_object_lock_mode", id="governance-in-production"),
        pytest.param(dict(PRODUCTION, data_db_storage_encrypted=False), "data_db_storage_encrypted", id="unencrypted-database-in-production"),
        pytest.param(dict(PRODUCTION, data_db_publicly_accessible=True), "data_db_publicly_accessible", id="public-database-in-production"),
        pytest.param(
            {"identity_duty_extra_statements": {"security": [{"Sid": "Everything", "Effect": "Allow", "Action": "*", "Resource": "*"}]}},
            "identity_duty_extra_statements.security",
            id="policy-with-action-star-on-resource-star",
        ),
        pytest.param(
            {
                "identity_duty_extra_statements": {
                    "system-administration": [{"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"}]
                }
            },
            "identity_duty_extra_statements.system-administration",
            id="policy-with-privilege-escalation",
        ),
        pytest.param(
            {
                "identity_password_policy": {
                    "min_length": 8,
                    "require_uppercase": True,
                    "require_lowercase": True,
                    "require_numbers": True,
                    "require_symbols": True,
                    "reuse_prevention": 24,
                    "max_age_days": 90,
                }
            },
            "identity_password_policy.min_length",
            id="password-policy-below-the-floor",
        ),
        pytest.param(
            {"identity_user_pool_password_policy": {"minimum_length": 10}},
            "identity_user_pool_password_policy.minimum_length",
            id="pool-password-below-the-floor",
        ),
    ],
)
def test_bad_input_fails_before_any_change(lab, variables, named):
    rc, output, calls = lab.run(*TAGS, *extra(variables))

    assert rc != 0, f"the run must fail on {named}"
    assert named in output, output[-3000:]
    assert lab.mutating(calls) == [], "validation must come before the first change of any tier"
