# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A throwaway moto server per test module for the playbook tests."""

from __future__ import annotations

import pytest
from awslab import MotoServer


@pytest.fixture(scope="module")
def moto_lab():
    server = MotoServer().start()
    yield server
    server.stop()
