"""The public verification page: a number or an uploaded PDF is valid (who, what,
when) or not, and why; a file that is not a PDF gets a clear message."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certifications.selectors import REASON_NOT_ISSUED
from certifications.services.certify import certificate_context, certificate_issue_pdf, render_signed_certificate
from certifications.signing import REASON_CHANGED, REASON_NO_SIGNATURE
from tests.certifications.helpers import new_hire_obligation, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(demo):
    certification = sign(new_hire_obligation())
    return certificate_issue_pdf(certification_id=certification.pk)


def _upload(client, data, name="certificate.pdf"):
    return client.post(reverse("cert_verify"), {"file": SimpleUploadedFile(name, data, content_type="application/pdf")})


def test_number_shows_who_what_when(client, certificate):
    page = client.get(reverse("cert_verify_number", args=[certificate.certificate_number])).content.decode()
    assert "Valid certificate" in page
    assert "Avery Alvarez" in page and "Confirmation Certificate" in page
    assert "version 1" in page and certificate.signed_at.strftime("%Y") in page


def test_number_is_found_whatever_its_case_and_spacing(client, certificate):
    typed = " " + certificate.certificate_number.lower() + " "
    response = client.get(reverse("cert_verify"), {"number": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("cert_verify_number", args=[certificate.certificate_number])


def test_unknown_number_says_no_such_certificate(client, demo):
    response = client.get(reverse("cert_verify_number", args=["CC-2026-AAAA-BBBB"]))
    assert response.status_code == 404
    assert "No such certificate" in response.content.decode()


def test_uploaded_certificate_is_valid(client, certificate):
    page = _upload(client, certificate.pdf.read()).content.decode()
    assert "Valid certificate" in page
    assert "Avery Alvarez" in page and certificate.certificate_number in page


def test_uploaded_certificate_with_one_byte_changed_is_invalid(client, certificate):
    data = bytearray(certificate.pdf.read())
    data[len(data) // 3] ^= 0x01
    page = _upload(client, bytes(data)).content.decode()
    assert "Not valid" in page and "Valid certificate" not in page
    assert REASON_CHANGED in page or "damaged" in page


def test_uploaded_file_that_is_not_a_pdf_gets_a_clear_message(client, certificate):
    response = _upload(client, b"Just some text, not a certificate.", name="notes.txt")
    page = response.content.decode()
    assert response.status_code == 200
    assert "This file is not a PDF" in page
    assert "Not valid" not in page and "Valid certificate" not in page


def test_empty_upload_is_refused(client, demo):
    page = _upload(client, b"").content.decode()
    assert "The submitted file is empty" in page


def test_pdf_signed_by_us_but_never_issued_is_invalid(client, certificate):
    """Re-rendering gives a PDF with a valid signature but another fingerprint."""
    forged = render_signed_certificate(certificate_context(certificate) | {"typed_name": "Someone Else"})
    page = _upload(client, forged).content.decode()
    assert "Not valid" in page and REASON_NOT_ISSUED.split(":")[0] in page


def test_unsigned_pdf_is_invalid(client, certificate):
    from certifications.pdf import render_pdf

    page = _upload(client, render_pdf("<p>Confirmation Certificate</p>")).content.decode()
    assert "Not valid" in page and REASON_NO_SIGNATURE in page


def test_the_certificate_points_to_its_verification_page(client, certificate, settings):
    from certifications.signing import verify_pdf

    metadata = verify_pdf(certificate.pdf.read(), trust_cert_path=settings.INNOVO["SIGNING_CERT"]).metadata
    assert metadata["certificate_number"] == certificate.certificate_number
    url = certificate_context(certificate)["verify_url"]
    assert url == settings.SITE_URL + f"/certifications/verify/{certificate.certificate_number}/"
