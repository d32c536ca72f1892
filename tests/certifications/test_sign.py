"""Signing: the evidence stored, the signed PDF issued once, and bad input refused
with a clear message that changes nothing (wrong password, wrong name, a second
signature, the Code not opened, an unexplained "no")."""

import io
import re
from urllib.parse import quote_plus

import pypdf
import pytest
from django.urls import reverse

from certifications import signing
from certifications.models import Certification, CertificationEvent, Obligation
from certifications.services.certify import certificate_issue_pdf
from tests.certifications.helpers import PASSWORD, annual_obligation, new_hire_obligation, sign

pytestmark = pytest.mark.django_db


def _state(obligation):
    obligation.refresh_from_db()
    return (
        obligation.status,
        Certification.objects.count(),
        CertificationEvent.objects.filter(action="signed").count(),
    )


def _open_code(client, obligation):
    assert client.get(reverse("cert_read", args=[obligation.pk])).status_code == 200


def _post(client, obligation, **data):
    fields = {"typed_name": obligation.person.name, "password": PASSWORD} | data
    return client.post(
        reverse("cert_sign", args=[obligation.pk]),
        fields,
        REMOTE_ADDR="198.51.100.4",
        HTTP_USER_AGENT="Mozilla/5.0 (Test)",
    )


def test_new_hire_signs_and_the_evidence_is_stored(client, employee, django_capture_on_commit_callbacks, settings):
    """CERT-1: who, when, which Code text (its hash), IP and user agent."""
    obligation = new_hire_obligation()
    client.force_login(employee)
    _open_code(client, obligation)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, obligation, typed_name="  avery   ALVAREZ ")
    assert response.status_code == 302 and response["Location"] == reverse("cert_sign", args=[obligation.pk])
    obligation.refresh_from_db()
    assert obligation.status == Obligation.Status.SIGNED
    certification = obligation.certification
    assert certification.code_sha256 == obligation.code_version.sha256
    assert certification.ip_address == "198.51.100.4"
    assert certification.user_agent == "Mozilla/5.0 (Test)"
    assert certification.typed_name == "avery ALVAREZ"
    assert certification.person_name == "Avery Alvarez"
    assert certification.person_title == "Account Manager"
    assert certification.certificate_number.startswith("CC-")
    event = CertificationEvent.objects.get(obligation=obligation, action="signed")
    assert event.actor == employee and event.rule == "CERT-1"
    # The PDF was rendered and signed after the commit, and its hash stored.
    data = certification.pdf.read()
    assert certification.pdf_sha256 == signing.sha256_hex(data)
    result = signing.verify_pdf(data, trust_cert_path=settings.INNOVO["SIGNING_CERT"])
    assert result.valid, result.reason
    assert result.metadata["certificate_number"] == certification.certificate_number
    text = " ".join(pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "Avery Alvarez" in text and "Code version 1, effective May 31, 2003" in text


def test_issuing_the_pdf_twice_keeps_the_first_one(employee):
    certification = sign(new_hire_obligation())
    first = certificate_issue_pdf(certification_id=certification.pk)
    second = certificate_issue_pdf(certification_id=certification.pk)
    assert first.pdf.name == second.pdf.name and first.pdf_sha256 == second.pdf_sha256
    assert CertificationEvent.objects.filter(action="pdf-issued").count() == 1


def test_wrong_password_is_refused_and_changes_nothing(client, employee):
    obligation = new_hire_obligation()
    client.force_login(employee)
    _open_code(client, obligation)
    before = _state(obligation)
    response = _post(client, obligation, password="not-my-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "That is not your password" in page
    assert 'value="Avery Alvarez"' in page  # what was typed is kept...
    assert "not-my-password" not in page  # ...except the password
    assert _state(obligation) == before


def test_typed_name_that_does_not_match_the_roster_is_refused(client, employee):
    obligation = new_hire_obligation()
    client.force_login(employee)
    _open_code(client, obligation)
    before = _state(obligation)
    response = _post(client, obligation, typed_name="Avery Alvares")
    page = response.content.decode()
    assert response.status_code == 200
    assert "does not match the name on the roster" in page
    assert 'value="Avery Alvares"' in page
    assert _state(obligation) == before


def test_second_signature_of_the_same_obligation_is_refused(client, employee):
    obligation = new_hire_obligation()
    certification = sign(obligation)
    client.force_login(employee)
    before = _state(obligation)
    response = _post(client, obligation)
    page = response.content.decode()
    assert response.status_code == 200
    assert "You already signed this certificate" in page and certification.certificate_number in page
    assert _state(obligation) == before
    assert Certification.objects.get(obligation=obligation) == certification


def test_signing_before_opening_the_code_is_refused(client, employee):
    obligation = new_hire_obligation()
    client.force_login(employee)
    before = _state(obligation)
    page = _post(client, obligation).content.decode()
    assert "Open and read the Code" in page
    assert _state(obligation) == before


def test_opening_the_code_is_recorded_once(client, employee):
    obligation = new_hire_obligation()
    client.force_login(employee)
    page = client.get(reverse("cert_read", args=[obligation.pk])).content.decode()
    assert "Continue to sign" in page and "Conflicts of Interest" in page
    obligation.refresh_from_db()
    opened = obligation.code_opened_at
    assert opened is not None
    client.get(f"/code/?obligation={obligation.pk}", follow=True)
    obligation.refresh_from_db()
    assert obligation.code_opened_at == opened
    assert CertificationEvent.objects.filter(obligation=obligation, action="code-opened").count() == 1


def test_hr_reading_someones_code_page_does_not_count_as_their_reading(client, hr_director):
    obligation = new_hire_obligation()
    client.force_login(hr_director)
    assert client.get(reverse("cert_read", args=[obligation.pk])).status_code == 200
    obligation.refresh_from_db()
    assert obligation.code_opened_at is None


def test_annual_certification_stores_the_answers(client, vp, django_capture_on_commit_callbacks):
    """CERT-2: the questionnaire, all "yes"."""
    obligation = annual_obligation("dwhitfield")
    client.force_login(vp)
    page = client.get(reverse("cert_sign", args=[obligation.pk])).content.decode()
    assert "I complied with the Code" in page and "conflict of interest" in page
    _open_code(client, obligation)
    yes = {"complied": "yes", "no_unreported_violation": "yes", "conflicts_disclosed": "yes"}
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, obligation, **yes)
    assert response.status_code == 302
    certification = Certification.objects.get(obligation=obligation)
    assert certification.answers == {"complied": True, "no_unreported_violation": True, "conflicts_disclosed": True}
    assert certification.certificate_number.startswith("AC-")
    assert certification.person_title == "Vice President, Sales"
    text = pypdf.PdfReader(certification.pdf.open("rb")).pages[0].extract_text()
    assert "Annual Certification of Compliance" in text


def test_annual_no_without_explanation_is_refused(client, vp):
    obligation = annual_obligation("dwhitfield")
    client.force_login(vp)
    _open_code(client, obligation)
    before = _state(obligation)
    page = _post(
        client, obligation, complied="yes", no_unreported_violation="yes", conflicts_disclosed="no"
    ).content.decode()
    assert "explain the exception" in page
    assert re.search(r'name="conflicts_disclosed" value="no"[^>]*checked', page)  # the answer is kept
    assert _state(obligation) == before


def test_annual_unanswered_question_is_refused(client, vp):
    obligation = annual_obligation("dwhitfield")
    client.force_login(vp)
    _open_code(client, obligation)
    before = _state(obligation)
    response = _post(client, obligation, complied="yes")
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert _state(obligation) == before


def test_annual_exception_opens_a_prefilled_report_or_disclosure(client, vp):
    obligation = annual_obligation("dwhitfield")
    client.force_login(vp)
    _open_code(client, obligation)
    exception = "My brother-in-law owns 3% of Acme Freight, a carrier we use."
    response = _post(
        client,
        obligation,
        complied="yes",
        no_unreported_violation="yes",
        conflicts_disclosed="no",
        exception=exception,
    )
    assert response.status_code == 302
    certification = Certification.objects.get(obligation=obligation)
    assert certification.exception == exception and certification.answers["conflicts_disclosed"] is False
    page = client.get(reverse("cert_sign", args=[obligation.pk])).content.decode()
    # The links carry the certification's id, never the text (URLs end up in access
    # logs, browser history and proxies).
    assert quote_plus(exception) not in page.replace("&amp;", "&")
    # CERT-2: the exception is already a case for the compliance officer, linked for
    # the signer (its filer); the page offers the conflict disclosure, not a second report.
    case = certification.followup_case
    assert f'href="/cases/{case.pk}/">{case.reference}</a>' in page
    assert f"/report/?exception={certification.pk}" not in page.replace("&amp;", "&")
    assert f"/approvals/new/conflict/?exception={certification.pk}" in page.replace("&amp;", "&")
    links = [f"/report/?exception={certification.pk}", f"/approvals/new/conflict/?exception={certification.pk}"]
    for url in links:
        # Both forms still open pre-filled with the exception (the report form for
        # certificates signed before follow-up cases existed).
        assert exception in client.get(url).content.decode()


def test_nobody_else_can_open_a_form_prefilled_with_someone_elses_exception(client, vp, employee):
    obligation = annual_obligation("dwhitfield")
    client.force_login(vp)
    _open_code(client, obligation)
    exception = "My brother-in-law owns 3% of Acme Freight, a carrier we use."
    _post(
        client, obligation, complied="yes", no_unreported_violation="yes", conflicts_disclosed="no", exception=exception
    )
    certification = Certification.objects.get(obligation=obligation)
    links = [f"/report/?exception={certification.pk}", f"/approvals/new/conflict/?exception={certification.pk}"]
    client.force_login(employee)
    for url in links:
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(links[0]).status_code == 404  # the public report form too
    client.force_login(vp)
    assert client.get("/report/?exception=abc").status_code == 404
    # The old text parameter pre-fills nothing any more.
    assert "Acme" not in client.get("/report/?description=Acme+Freight").content.decode()
