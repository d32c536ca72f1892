"""Rotating the signing key (docs/deploy.md): certificates signed before the rotation
still verify once the earlier certificate is listed in SIGNING_PREVIOUS_CERTS_PATHS;
new certificates are signed with the new key."""

import pytest

from certifications import signing
from certifications.selectors import verify_upload
from certifications.services.certify import certificate_issue_pdf
from innovo_compliance.checks import signing_key_problems
from tests.certifications.helpers import annual_obligation, new_hire_obligation, sign

pytestmark = pytest.mark.django_db


def _pdf(certification) -> bytes:
    with certification.pdf.open("rb") as handle:
        return handle.read()


def _use(settings, key, cert, previous=()):
    settings.INNOVO = {**settings.INNOVO, "SIGNING_KEY": key, "SIGNING_CERT": cert, "SIGNING_PREVIOUS_CERTS": previous}
    signing.load_signer.cache_clear()


def test_old_certificates_verify_after_a_rotation(settings, tmp_path, demo):
    old_key, old_cert = tmp_path / "old-key.pem", tmp_path / "old-cert.pem"
    new_key, new_cert = tmp_path / "new-key.pem", tmp_path / "new-cert.pem"
    signing.generate_demo_keypair(old_key, old_cert)
    signing.generate_demo_keypair(new_key, new_cert)

    _use(settings, old_key, old_cert)
    before = _pdf(certificate_issue_pdf(certification_id=sign(new_hire_obligation()).pk))
    assert verify_upload(before).valid

    # Rotated, the earlier certificate forgotten: the old PDF no longer verifies.
    _use(settings, new_key, new_cert)
    assert not verify_upload(before).valid
    # Rotated as the runbook says: the earlier certificate kept (appended to a bundle).
    bundle = tmp_path / "previous.pem"
    bundle.write_bytes(old_cert.read_bytes())
    _use(settings, new_key, new_cert, previous=(bundle,))
    assert verify_upload(before).valid
    assert signing_key_problems() == []
    after = _pdf(certificate_issue_pdf(certification_id=sign(annual_obligation("dwhitfield")).pk))
    assert signing.verify_pdf(after, trust_cert_path=new_cert).valid  # new ones use the new key
    assert not signing.verify_pdf(after, trust_cert_path=old_cert).valid


def test_an_empty_previous_bundle_is_fine_and_garbage_is_an_error(settings, tmp_path, signing_keys):
    empty = tmp_path / "previous.pem"
    empty.write_text("")
    settings.INNOVO = {**settings.INNOVO, "SIGNING_PREVIOUS_CERTS": (empty,)}
    assert signing_key_problems() == []
    empty.write_text("not a certificate")
    assert [ident for ident, _, _ in signing_key_problems()] == ["innovo.E008"]
    settings.INNOVO = {**settings.INNOVO, "SIGNING_PREVIOUS_CERTS": (tmp_path / "missing.pem",)}
    assert [ident for ident, _, _ in signing_key_problems()] == ["innovo.E008"]
