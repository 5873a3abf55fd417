# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collection metadata stays in step with the plugins."""

from __future__ import annotations

import os

import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def test_every_module_is_in_the_aws_action_group():
    """module_defaults: {group/healthplatform.aws.aws: ...} must reach every module of the collection."""
    with open(os.path.join(REPO, "meta", "runtime.yml"), encoding="utf-8") as handle:
        runtime = yaml.safe_load(handle)
    modules = sorted(name[:-3] for name in os.listdir(os.path.join(REPO, "plugins", "modules")) if name.endswith(".py") and name != "__init__.py")
    assert sorted(runtime["action_groups"]["aws"]) == modules


def test_galaxy_dependencies_match_requirements():
    with open(os.path.join(REPO, "galaxy.yml"), encoding="utf-8") as handle:
        galaxy = yaml.safe_load(handle)
    with open(os.path.join(REPO, "requirements.yml"), encoding="utf-8") as handle:
        requirements = {c["name"]: c["version"] for c in yaml.safe_load(handle)["collections"]}
    for name, version in galaxy["dependencies"].items():
        assert requirements.get(name) == version, name
