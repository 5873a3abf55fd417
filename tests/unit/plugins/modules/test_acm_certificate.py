# -*- coding: utf-8 -*-
# Copyright: healthplatform.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""acm_certificate and acm_certificate_info against the moto server (ACM import and request are emulated)."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.healthplatform.aws.plugins.modules import acm_certificate
from ansible_collections.healthplatform.aws.plugins.modules import acm_certificate_info


def self_signed(common_name):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(common_name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    return cert_pem, key_pem


@pytest.fixture(scope="module")
def pems():
    return {"first": self_signed("portal.lab.example"), "second": self_signed("portal.lab.example")}


def import_args(pems, which="first", **extra):
    cert, key = pems[which]
    args = {"name": "hp-portal", "certificate": cert, "private_key": key, "tags": {"Tier": "edge"}}
    args.update(extra)
    return args


def request_args(**extra):
    args = {"name": "hp-portal-acm", "domain_name": "portal.example.org", "subject_alternative_names": ["www.portal.example.org"]}
    args.update(extra)
    return args


def certificates(aws):
    acm = aws.client("acm")
    return acm.list_certificates(Includes={"keyTypes": ["RSA_2048", "EC_prime256v1"]})["CertificateSummaryList"]


def test_import_and_read_back(aws, pems):
    result = aws.run(acm_certificate.main, import_args(pems))

    assert result["changed"] is True and result["imported"] is True
    (summary,) = certificates(aws)
    assert summary["CertificateArn"] == result["certificate_arn"]
    body = aws.client("acm").get_certificate(CertificateArn=summary["CertificateArn"])["Certificate"]
    assert body.strip() == pems["first"][0].strip()
    tags = aws.client("acm").list_tags_for_certificate(CertificateArn=summary["CertificateArn"])["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"Name": "hp-portal", "Tier": "edge"}
    assert "private_key" not in str(result["certificate"]).lower()


def test_same_certificate_is_not_imported_again(aws, pems):
    aws.run(acm_certificate.main, import_args(pems))
    # the same certificate with another PEM line layout is the same certificate
    cert, key = pems["first"]
    relaid = "\n".join(cert.strip().splitlines()) + "\n\n"
    with aws.recording() as calls:
        result = aws.run(acm_certificate.main, import_args(pems, certificate=relaid, private_key=key))
    assert result["changed"] is False and result["imported"] is False
    assert calls
    assert aws.mutating(calls) == []
    assert len(certificates(aws)) == 1


def test_new_certificate_is_imported_into_the_same_arn(aws, pems):
    first = aws.run(acm_certificate.main, import_args(pems))
    result = aws.run(acm_certificate.main, import_args(pems, "second"), diff=True)

    assert result["changed"] is True and result["imported"] is True
    assert result["certificate_arn"] == first["certificate_arn"]
    assert len(certificates(aws)) == 1
    body = aws.client("acm").get_certificate(CertificateArn=first["certificate_arn"])["Certificate"]
    assert body.strip() == pems["second"][0].strip()
    assert result["diff"]["before"]["serial"] != result["diff"]["after"]["serial"]


def test_tags_update_without_reimport(aws, pems):
    aws.run(acm_certificate.main, import_args(pems))
    result = aws.run(acm_certificate.main, import_args(pems, tags={"Tier": "public"}))
    assert result["changed"] is True and result["imported"] is False
    assert result["certificate"]["tags"] == {"Name": "hp-portal", "Tier": "public"}


def test_request_returns_validation_records_and_is_idempotent(aws):
    result = aws.run(acm_certificate.main, request_args())

    assert result["changed"] is True
    live = aws.client("acm").describe_certificate(CertificateArn=result["certificate_arn"])["Certificate"]
    assert live["Type"] == "AMAZON_ISSUED"
    assert set(live["SubjectAlternativeNames"]) == {"portal.example.org", "www.portal.example.org"}
    assert sorted(r["domain_name"] for r in result["validation_records"]) == ["portal.example.org", "www.portal.example.org"]
    assert all(r["type"] == "CNAME" and r["name"] and r["value"] for r in result["validation_records"])

    with aws.recording() as calls:
        again = aws.run(acm_certificate.main, request_args())
    assert again["changed"] is False
    assert again["certificate_arn"] == result["certificate_arn"]
    assert again["validation_records"] == result["validation_records"]
    assert aws.mutating(calls) == []


def test_requested_certificate_cannot_change(aws):
    aws.run(acm_certificate.main, request_args())
    with aws.recording() as calls:
        result = aws.run(acm_certificate.main, request_args(subject_alternative_names=["api.portal.example.org"]))
    assert result.failed
    assert "cannot be changed" in result["msg"] and "subject_alternative_names" in result["msg"]
    assert aws.mutating(calls) == []


def test_imported_and_requested_of_the_same_name_are_told_apart(aws, pems):
    aws.run(acm_certificate.main, request_args(name="hp-portal"))
    result = aws.run(acm_certificate.main, import_args(pems))
    assert result["changed"] is True
    assert aws.run(acm_certificate.main, import_args(pems))["changed"] is False
    assert aws.run(acm_certificate.main, request_args(name="hp-portal"))["changed"] is False


def test_delete_and_delete_again(aws, pems):
    aws.run(acm_certificate.main, import_args(pems))
    assert aws.run(acm_certificate.main, {"name": "hp-portal", "state": "absent"})["changed"] is True
    assert certificates(aws) == []
    assert aws.run(acm_certificate.main, {"name": "hp-portal", "state": "absent"})["changed"] is False


def test_check_mode_changes_nothing(aws, pems):
    with aws.recording() as calls:
        create = aws.run(acm_certificate.main, import_args(pems), check_mode=True)
        request = aws.run(acm_certificate.main, request_args(), check_mode=True)
    assert create["changed"] is True and create["imported"] is True
    assert request["changed"] is True and request["certificate"]["domain_name"] == "portal.example.org"
    assert certificates(aws) == []
    assert aws.mutating(calls) == []

    first = aws.run(acm_certificate.main, import_args(pems))
    with aws.recording() as calls:
        reimport = aws.run(acm_certificate.main, import_args(pems, "second"), check_mode=True)
        delete = aws.run(acm_certificate.main, {"name": "hp-portal", "state": "absent"}, check_mode=True)
        same = aws.run(acm_certificate.main, import_args(pems), check_mode=True)
    assert reimport["changed"] is True and reimport["imported"] is True
    assert delete["changed"] is True
    assert same["changed"] is False
    body = aws.client("acm").get_certificate(CertificateArn=first["certificate_arn"])["Certificate"]
    assert body.strip() == pems["first"][0].strip()
    assert aws.mutating(calls) == []


def test_private_key_is_never_returned(aws, pems):
    result = aws.run(acm_certificate.main, import_args(pems))
    secret_line = pems["first"][1].splitlines()[1]
    assert secret_line not in str(result)


@pytest.mark.parametrize(
    "args, option",
    [
        ({"certificate": None}, "certificate"),
        ({"private_key": None}, "private_key"),
        ({"private_key": "not a key"}, "private_key"),
        ({"certificate": "-----BEGIN CERTIFICATE-----"}, "certificate"),
        ({"certificate_chain": "garbage"}, "certificate_chain"),
        ({"wait": True}, "wait"),
        ({"subject_alternative_names": ["a.example.org"]}, "subject_alternative_names"),
    ],
)
def test_bad_import_input_fails_before_any_call(aws, pems, args, option):
    with aws.recording() as calls:
        result = aws.run(acm_certificate.main, {**import_args(pems), **args})
    assert result.failed
    assert option in result["msg"]
    assert calls == []


@pytest.mark.parametrize(
    "args, option",
    [
        ({"domain_name": "portal_example.org"}, "domain_name"),
        ({"subject_alternative_names": ["-bad-.example.org"]}, "subject_alternative_names"),
        ({"key_algorithm": "DSA"}, "key_algorithm"),
        ({"validation_method": "HTTP"}, "validation_method"),
    ],
)
def test_bad_request_input_fails_before_any_call(aws, args, option):
    with aws.recording() as calls:
        result = aws.run(acm_certificate.main, request_args(**args))
    assert result.failed
    assert option in result["msg"]
    assert calls == []


def test_info_by_name(aws, pems):
    aws.run(acm_certificate.main, import_args(pems))
    aws.run(acm_certificate.main, request_args())

    result = aws.run(acm_certificate_info.main, {"names": ["hp-portal"]})
    assert result["changed"] is False
    (cert,) = result["certificates"]
    assert cert["type"] == "IMPORTED" and cert["tags"]["Name"] == "hp-portal"
    by_domain = aws.run(acm_certificate_info.main, {"domain_name": "portal.example.org"})
    assert [c["tags"]["Name"] for c in by_domain["certificates"]] == ["hp-portal-acm"]
    everything = aws.run(acm_certificate_info.main, {})
    assert [c["tags"]["Name"] for c in everything["certificates"]] == ["hp-portal", "hp-portal-acm"]
