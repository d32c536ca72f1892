"""Certificate PDFs: render, sign, verify, and reject anything tampered with (CERT-1, CERT-2).

No database. The template is rendered with Django's standalone template Engine,
so these tests run with or without pytest-django.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import stat
from pathlib import Path

import pypdf
import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from certifications import pdf, signing

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = ROOT / "templates"
CODE_PATH = Path("/work/shared/seeds/code-of-business-conduct-and-ethics-2003.txt")
if not CODE_PATH.exists():  # a checkout may carry the seeds itself
    CODE_PATH = ROOT / "seeds" / "code-of-business-conduct-and-ethics-2003.txt"

CERT_NUMBER = "CC-2024-000123"
VERIFY_URL = f"https://compliance.innovo.example/verify/{CERT_NUMBER}"


def _render_certificate_html(**overrides) -> str:
    from django.conf import settings
    from django.template import Context, Engine

    if not settings.configured:
        if os.environ.get("DJANGO_SETTINGS_MODULE"):
            import django

            django.setup()
        else:
            settings.configure(USE_TZ=True, TIME_ZONE="UTC", USE_I18N=False)

    code_text = CODE_PATH.read_text()
    context = {
        "kind": "confirmation",
        "title": "Confirmation Certificate",
        "wording": pdf.confirmation_wording(code_text),
        "person_name": "Dana Example",
        "person_title": "Merchandising Assistant",
        "typed_name": "Dana Example",
        "signed_at": dt.datetime(2024, 3, 5, 14, 7, tzinfo=dt.UTC),
        "code_title": "Code of Business Conduct and Ethics",
        "code_version": 1,
        "code_effective": dt.date(2003, 5, 31),
        "code_sha256": signing.sha256_hex(code_text.encode()),
        "certificate_number": CERT_NUMBER,
        "verify_url": VERIFY_URL,
        "qr_png": pdf.qr_png(VERIFY_URL),
    } | overrides
    engine = Engine(dirs=[str(TEMPLATES_DIR)])
    return engine.get_template("pdf/certificate.html").render(Context(context))


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    directory = tmp_path_factory.mktemp("keys")
    key_path, cert_path = directory / "signing-key.pem", directory / "signing-cert.pem"
    signing.generate_demo_keypair(key_path, cert_path)
    return key_path, cert_path


@pytest.fixture(scope="module")
def unsigned_pdf():
    return pdf.render_certificate_pdf(_render_certificate_html())


@pytest.fixture(scope="module")
def signed_pdf(keys, unsigned_pdf):
    return signing.sign_pdf(unsigned_pdf, signer=signing.load_signer(*keys))


def _verify(data: bytes, keys) -> signing.VerifyResult:
    return signing.verify_pdf(data, trust_cert_path=keys[1])


def _flip(data: bytes, offset: int) -> bytes:
    changed = bytearray(data)
    changed[offset] ^= 0x01
    return bytes(changed)


def _contents_gap(data: bytes) -> tuple[int, int]:
    """Start and end offsets of the unsigned `<hex>` /Contents string."""
    embedded = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures[0]
    start, first_len, second_start, _ = embedded.byte_range
    return start + first_len, second_start


# --- keys ------------------------------------------------------------------


def test_demo_keypair_is_private_and_not_regenerated(keys):
    key_path, cert_path = keys
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    before = key_path.read_bytes(), cert_path.read_bytes()
    signing.generate_demo_keypair(key_path, cert_path)
    assert (key_path.read_bytes(), cert_path.read_bytes()) == before


def test_signer_is_loaded_once_per_key(keys):
    assert signing.load_signer(*keys) is signing.load_signer(*keys)


def test_load_signer_raises_on_missing_files(tmp_path):
    with pytest.raises(ValueError):
        signing.load_signer(tmp_path / "missing-key.pem", tmp_path / "missing-cert.pem")


# --- the happy path ----------------------------------------------------------


def test_signed_certificate_is_valid_trusted_and_intact(keys, signed_pdf):
    result = _verify(signed_pdf, keys)
    assert result.valid, result.reason
    assert result.intact
    assert result.trusted
    assert "Innovo Group Inc." in result.signer_subject
    assert result.signed_at is not None
    assert result.sha256 == signing.sha256_hex(signed_pdf)
    assert result.reason == signing.REASON_VALID


def test_certificate_metadata_is_recoverable(keys, signed_pdf):
    metadata = _verify(signed_pdf, keys).metadata
    assert metadata["certificate_number"] == CERT_NUMBER
    assert metadata["keywords"] == f"certificate:{CERT_NUMBER}"
    assert metadata["author"] == "Dana Example"
    assert "Confirmation Certificate" in metadata["title"]
    assert "version 1" in metadata["subject"]


def test_certificate_is_one_page_with_name_number_and_code_version(signed_pdf):
    reader = pypdf.PdfReader(io.BytesIO(signed_pdf))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Dana Example" in text
    assert CERT_NUMBER in text
    assert "Code version" in text
    assert "I have been provided with a copy of the Code" in text
    assert f"verify at {VERIFY_URL}" in text


def test_annual_certificate_renders_on_one_page(keys):
    html = _render_certificate_html(
        kind="annual",
        title="Annual Certification of Compliance",
        wording=pdf.ANNUAL_CERTIFICATION_WORDING,
        person_title="Vice President, Sales",
    )
    signed = signing.sign_pdf(pdf.render_certificate_pdf(html), signer=signing.load_signer(*keys))
    assert _verify(signed, keys).valid
    reader = pypdf.PdfReader(io.BytesIO(signed))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Annual Certification of Compliance" in text
    assert "OFFICER NAME" in text.upper()


# --- tampering -------------------------------------------------------------


def test_changed_byte_in_signed_content_is_invalid(keys, signed_pdf):
    gap_start, _ = _contents_gap(signed_pdf)
    for offset in (200, len(signed_pdf) // 3, gap_start - 50):
        result = _verify(_flip(signed_pdf, offset), keys)
        assert not result.valid, offset
        assert result.reason, offset


def test_changed_byte_in_signature_is_invalid(keys, signed_pdf):
    gap_start, gap_end = _contents_gap(signed_pdf)
    # In the DER signature itself, and in the zero padding after it (which a
    # CMS parser would otherwise ignore).
    for offset in (gap_start + 20, gap_start + 300, gap_end - 10):
        result = _verify(_flip(signed_pdf, offset), keys)
        assert not result.valid, offset
        assert result.reason, offset


def test_case_changed_hex_digit_in_signature_is_invalid(keys, signed_pdf):
    gap_start, _ = _contents_gap(signed_pdf)
    offset = next(i for i in range(gap_start + 1, gap_start + 200) if chr(signed_pdf[i]) in "ABCDEF")
    changed = bytearray(signed_pdf)
    changed[offset] = ord(chr(changed[offset]).lower())
    result = _verify(bytes(changed), keys)
    assert not result.valid
    assert result.reason == signing.REASON_BAD_SIGNATURE


def test_changed_last_byte_is_invalid(keys, signed_pdf):
    result = _verify(_flip(signed_pdf, len(signed_pdf) - 1), keys)
    assert not result.valid
    assert result.reason


def test_any_single_changed_byte_is_invalid(keys, signed_pdf):
    """A sweep across the whole file: no byte can change without detection."""
    step = max(1, len(signed_pdf) // 60)
    for offset in range(0, len(signed_pdf), step):
        result = _verify(_flip(signed_pdf, offset), keys)
        assert not result.valid, f"byte {offset} changed but still valid"
        assert result.reason


def test_appended_garbage_is_invalid(keys, signed_pdf):
    result = _verify(signed_pdf + b"\n% appended later\n", keys)
    assert not result.valid
    assert result.reason == signing.REASON_APPENDED


def test_incremental_update_after_signing_is_invalid(keys, signed_pdf):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf))
    info = writer.trailer["/Info"]
    info[generic.pdf_name("/Author")] = generic.pdf_string("Somebody Else")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    result = _verify(out.getvalue(), keys)
    assert not result.valid
    assert not result.intact
    assert result.reason == signing.REASON_APPENDED


def test_truncated_pdf_is_invalid(keys, signed_pdf):
    for length in (len(signed_pdf) // 2, len(signed_pdf) - 20, 10):
        result = _verify(signed_pdf[:length], keys)
        assert not result.valid, length
        assert result.reason, length


# --- wrong input ------------------------------------------------------------


def test_non_pdf_is_not_a_pdf(keys):
    for data in (b"", b"hello, world", b"\x89PNG\r\n\x1a\n" + bytes(200)):
        result = _verify(data, keys)
        assert not result.valid
        assert result.reason == signing.REASON_NOT_PDF


def test_unsigned_pdf_has_no_signature(keys, unsigned_pdf):
    result = _verify(unsigned_pdf, keys)
    assert not result.valid
    assert result.reason == signing.REASON_NO_SIGNATURE
    assert result.metadata["certificate_number"] == CERT_NUMBER


def test_pdf_signed_by_another_key_is_not_trusted(keys, unsigned_pdf, tmp_path):
    other_key, other_cert = tmp_path / "other-key.pem", tmp_path / "other-cert.pem"
    signing.generate_demo_keypair(other_key, other_cert, organisation="Innovo Group Inc.")
    forged = signing.sign_pdf(unsigned_pdf, signer=signing.load_signer(other_key, other_cert))
    result = _verify(forged, keys)
    assert not result.valid
    assert not result.trusted
    assert result.intact
    assert result.reason == signing.REASON_UNTRUSTED
    # ...while the same file checks out against its own certificate.
    assert signing.verify_pdf(forged, trust_cert_path=other_cert).valid


# --- wording and QR -----------------------------------------------------------


def test_confirmation_wording_comes_from_the_codes_last_page():
    wording = pdf.confirmation_wording(CODE_PATH.read_text())
    assert wording.startswith(
        "I have been provided with a copy of the Code of Business Conduct and Ethics of Innovo Group Inc."
    )
    assert wording.endswith("if I have any questions or concerns.")
    assert "  " not in wording and "\n" not in wording


def test_confirmation_wording_missing_raises():
    with pytest.raises(ValueError):
        pdf.confirmation_wording("A code of conduct with no certificate page.")


def test_annual_wording_names_the_code_and_conflicts():
    assert "Code of Business Conduct and Ethics of Innovo Group Inc." in (pdf.ANNUAL_CERTIFICATION_WORDING)
    assert "conflict of interest" in pdf.ANNUAL_CERTIFICATION_WORDING
