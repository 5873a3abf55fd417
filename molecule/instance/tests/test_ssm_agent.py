# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ssm_agent on the container: verified install, running, proxy, hybrid activation without leaking the code."""

from __future__ import annotations

ACTIVATION_CODE = "hp-lab-activation-code-7Qx2Lm9Rv4"  # side_effect.yml, lab only


def test_agent_installed_running_and_enabled(host):
    assert host.package("amazon-ssm-agent").is_installed
    agent = host.service("amazon-ssm-agent")
    assert agent.is_running
    assert agent.is_enabled


def test_proxy_settings(host):
    environment = host.run("systemctl show amazon-ssm-agent -p Environment").stdout
    assert "https_proxy=http://proxy.lab.invalid:3128" in environment
    assert "no_proxy=169.254.169.254" in environment
    assert "http_proxy=" not in environment.replace("https_proxy=", "")


def test_hybrid_activation_registered_without_storing_the_code(host):
    registration = host.file("/var/lib/amazon/ssm/registration")
    assert registration.exists
    assert "mi-" in registration.content_string
    assert ACTIVATION_CODE not in registration.content_string


def test_activation_code_never_printed(ansible_log):
    assert "Register the agent with the activation" in ansible_log, "the side effect ran and was logged"
    assert ACTIVATION_CODE not in ansible_log
