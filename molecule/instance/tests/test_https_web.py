# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The https_web role on a real container: nginx serves HTTPS the way HP-14 asks."""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
import urllib.error
import urllib.request

import pytest

CONTAINER = "hp-molecule-web"


@pytest.fixture(scope="module")
def address():
    """The container's address on its podman network (reached from the host like a load balancer would)."""
    out = subprocess.run(["podman", "inspect", CONTAINER], check=True, capture_output=True, text=True).stdout
    networks = json.loads(out)[0]["NetworkSettings"]["Networks"]
    return next(iter(networks.values()))["IPAddress"]


def tls_context(version):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # self-signed on purpose: the ALB does not verify target certificates either
    context.minimum_version = version
    context.maximum_version = version
    if version < ssl.TLSVersion.TLSv1_2:
        context.set_ciphers("ALL:@SECLEVEL=0")
    return context


def handshake(address, version):
    with socket.create_connection((address, 443), timeout=5) as sock:
        with tls_context(version).wrap_socket(sock) as tls:
            return tls.version()


def test_nginx_running_and_enabled(host):
    nginx = host.service("nginx")
    assert nginx.is_running
    assert nginx.is_enabled


def test_configuration_is_valid(host):
    assert host.run("nginx -t").rc == 0


@pytest.mark.parametrize("version, name", [(ssl.TLSVersion.TLSv1_2, "TLSv1.2"), (ssl.TLSVersion.TLSv1_3, "TLSv1.3")])
def test_modern_tls_accepted(address, version, name):
    assert handshake(address, version) == name


@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1])
def test_old_tls_refused(address, version):
    try:
        context = tls_context(version)
    except (ValueError, ssl.SSLError):
        pytest.skip("this host's OpenSSL cannot even offer the old version")
    with pytest.raises((ssl.SSLError, ConnectionResetError)):
        with socket.create_connection((address, 443), timeout=5) as sock:
            with context.wrap_socket(sock):
                pass


def test_http_redirects_with_308(address):
    request = urllib.request.Request(f"http://{address}/records?id=1")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(request, timeout=5)
    assert answer.value.code == 308
    assert answer.value.headers["Location"] == f"https://{address}/records?id=1"


def https_get(address, path):
    context = tls_context(ssl.TLSVersion.TLSv1_3)
    return urllib.request.urlopen(f"https://{address}{path}", context=context, timeout=5)


def test_health_endpoint(address):
    with https_get(address, "/healthz") as response:
        assert response.status == 200
        assert response.read() == b"ok\n"


def test_security_headers(address):
    with https_get(address, "/") as response:
        headers = response.headers
        assert headers["Strict-Transport-Security"] == "max-age=63072000"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["Server"] == "nginx", "server_tokens off: no version in the Server header"


def test_reverse_proxy_to_the_application(address):
    with https_get(address, "/api/") as response:
        assert response.status == 200
        assert response.read() == b"healthplatform lab application\n"
        assert response.headers["Strict-Transport-Security"] == "max-age=63072000"


def test_private_key_protected(host):
    key = host.file("/etc/ssl/private/healthplatform-web.key")
    assert key.user == "root"
    assert key.mode == 0o600


def test_service_hardening_drop_in(host):
    properties = host.run("systemctl show nginx -p NoNewPrivileges -p ProtectSystem -p PrivateTmp").stdout
    assert "NoNewPrivileges=yes" in properties
    assert "ProtectSystem=full" in properties
    assert "PrivateTmp=yes" in properties
