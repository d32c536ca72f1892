"""The system checks that stop an install with a missing, unreadable, expired or
mismatched signing key, or with a placeholder SECRET_KEY (innovo_compliance/checks.py)."""

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from django.core.checks import Error, Warning

from certifications.signing import generate_demo_keypair
from innovo_compliance.checks import check_secret_key, check_shared_secret_key, check_signing_key, is_placeholder_secret


def _use(settings, key, cert):
    settings.INNOVO = {**settings.INNOVO, "SIGNING_KEY": Path(key), "SIGNING_CERT": Path(cert)}


def _pair(directory, **kwargs):
    key, cert = directory / "key.pem", directory / "cert.pem"
    generate_demo_keypair(key, cert, **kwargs)
    return key, cert


def _cert_for(key_path, cert_path, *, not_before, not_after):
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test signing")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .sign(key, hashes.SHA256())
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _ids(messages):
    return sorted((type(m).__name__, m.id) for m in messages)


def test_a_valid_pair_passes(settings, tmp_path):
    _use(settings, *_pair(tmp_path))
    assert check_signing_key() == []


def test_missing_key_and_certificate_are_errors_in_production(settings, tmp_path):
    settings.DEBUG = False
    _use(settings, tmp_path / "nope.pem", tmp_path / "nope-cert.pem")
    messages = check_signing_key()
    assert _ids(messages) == [("Error", "innovo.E001"), ("Error", "innovo.E003")]
    assert "does not exist" in messages[0].msg


def test_missing_key_is_only_a_warning_in_development(settings, tmp_path):
    settings.DEBUG = True
    _use(settings, tmp_path / "nope.pem", tmp_path / "nope-cert.pem")
    assert all(isinstance(m, Warning) for m in check_signing_key())


def test_unreadable_key_is_an_error(settings, tmp_path, monkeypatch):
    key, cert = _pair(tmp_path)
    _use(settings, key, cert)
    real = Path.read_bytes

    def refuse(path):
        if path == key:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    messages = check_signing_key()
    assert _ids(messages) == [("Error", "innovo.E001")] and "cannot be read" in messages[0].msg


def test_garbage_instead_of_pem_is_an_error(settings, tmp_path):
    key, cert = _pair(tmp_path)
    key.write_text("not a key")
    cert.write_text("not a certificate")
    _use(settings, key, cert)
    assert _ids(check_signing_key()) == [("Error", "innovo.E002"), ("Error", "innovo.E004")]


def test_key_of_another_certificate_is_an_error(settings, tmp_path):
    key, _ = _pair(tmp_path / "a")
    _, cert = _pair(tmp_path / "b")
    _use(settings, key, cert)
    messages = check_signing_key()
    assert _ids(messages) == [("Error", "innovo.E007")] and "does not belong" in messages[0].msg


def test_expired_certificate_is_an_error(settings, tmp_path):
    key, cert = _pair(tmp_path)
    now = dt.datetime.now(dt.UTC)
    _cert_for(key, cert, not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(days=1))
    _use(settings, key, cert)
    messages = check_signing_key()
    assert _ids(messages) == [("Error", "innovo.E005")] and "expired" in messages[0].msg


def test_certificate_not_yet_valid_is_an_error(settings, tmp_path):
    key, cert = _pair(tmp_path)
    now = dt.datetime.now(dt.UTC)
    _cert_for(key, cert, not_before=now + dt.timedelta(days=2), not_after=now + dt.timedelta(days=400))
    _use(settings, key, cert)
    assert _ids(check_signing_key()) == [("Error", "innovo.E005")]


def test_certificate_expiring_within_30_days_is_a_warning(settings, tmp_path):
    settings.DEBUG = False
    key, cert = _pair(tmp_path)
    now = dt.datetime.now(dt.UTC)
    _cert_for(key, cert, not_before=now - dt.timedelta(days=300), not_after=now + dt.timedelta(days=10))
    _use(settings, key, cert)
    assert _ids(check_signing_key()) == [("Warning", "innovo.W006")]


@pytest.mark.parametrize(
    "value",
    ["change-me-to-50-random-characters", "changeme", "CHANGE_ME_PLEASE", "django-insecure-abc", "secret", "x" * 60],
)
def test_placeholder_secret_keys_are_refused(settings, value):
    settings.SECRET_KEY = value
    assert is_placeholder_secret(value)
    assert [type(m) for m in check_secret_key()] == [Error]


def test_a_random_secret_key_passes(settings):
    settings.SECRET_KEY = "q8W2v_Lr0-9fPZk3TnD1YhVx7sGcMa4EoJbKuIiNe6RtQ5lHyU"
    assert check_secret_key() == []


def test_object_storage_without_a_shared_secret_key_warns(settings, monkeypatch):
    settings.S3_BUCKET = "innovo"
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY_FILE", raising=False)
    assert [m.id for m in check_shared_secret_key()] == ["innovo.W011"]
    monkeypatch.setenv("SECRET_KEY_FILE", "/run/secrets/secret_key")
    assert check_shared_secret_key() == []
