"""Speak up through the web: named and anonymous intake, follow-up with the key,
bad input, and nothing about the anonymous reporter's connection kept (REP-1)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Attachment, Case, CaseMessage
from cases.services import message_to_reporter
from tests.cases.factories import report
from tests.pow import hidden, pow_ok

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form(**extra):
    data = {
        "category": "fair_dealing",
        "title": "Supplier kickbacks",
        "description": "A fictional supplier pays a fictional buyer.",
        "when_where": "Warehouse, last month",
        "people_about": "Jordan Brooks\nSomeone Outside",
        "how_known": "I saw the envelope.",
    }
    data.update(extra)
    return data


def test_rep1_anyone_can_report_without_login_and_gets_a_key_once(client, demo):
    upload = SimpleUploadedFile("evidence.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("report_new"), {**form(), **pow_ok(), "files": [upload]}, HTTP_USER_AGENT="UA-probe/1.0"
    )
    page = response.content.decode()
    assert response.status_code == 200 and "receipt-key" in page
    case = Case.objects.get()
    assert case.anonymous and case.filer is None and case.decider == "compliance_officer"
    assert "sessionid" not in response.cookies
    # The likely subject (Jordan Brooks is on the roster) and the typed name.
    assert sorted((str(p), p.status) for p in case.parties.all()) == [
        ("Jordan Brooks", "likely"),
        ("Someone Outside", "confirmed"),
    ]
    attachment = Attachment.objects.get()
    path = Path(attachment.file.path)
    assert path.read_bytes() == PDF and str(path).startswith(str(settings.PRIVATE_STORAGE_DIR))
    assert not str(path).startswith(str(settings.BASE_DIR / "static"))


def test_named_report_goes_to_the_case_page(client, employee):
    client.force_login(employee)
    response = client.post(reverse("report_new"), form())
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("case_detail", args=[case.pk])
    assert case.filer.user == employee and not case.anonymous
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ....", "this type of file is not accepted"),
        ("fake.pdf", b"not a pdf", "is not really a .pdf file"),
        ("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "larger than 10 MB"),
    ],
)
def test_bad_attachment_is_refused_and_what_was_typed_is_kept(client, demo, name, content, message):
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("report_new"), {**form(), **pow_ok(), "files": [upload]})
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert "Supplier kickbacks" in page and "I saw the envelope." in page
    assert not Case.objects.exists()


def test_empty_report_gets_field_errors(client, demo):
    response = client.post(reverse("report_new"), {"category": "", "title": "", "description": "", **pow_ok()})
    page = response.content.decode()
    assert page.count("This field is required.") >= 3
    assert not Case.objects.exists()


def test_question_uses_the_same_intake(client, employee):
    client.force_login(employee)
    client.post(reverse("question_new"), {"title": "May I accept a calendar?", "description": "From a supplier."})
    case = Case.objects.get()
    assert case.kind == "question" and case.decider == "compliance_officer"


def test_follow_up_with_the_key_reads_and_answers(client, compliance_officer):
    case, key = report(anonymous=True)
    from cases.services import case_transition

    case_transition(case_id=case.pk, actor=compliance_officer, to_status="acknowledged")
    message_to_reporter(case_id=case.pk, actor=compliance_officer, body="Which warehouse?")
    response = client.post(reverse("follow_up"), {"key": key, **pow_ok("follow-up")})
    assert "Which warehouse?" in response.content.decode()
    # The page the key opened carries a pass: answering needs no second proof of work.
    answer = {"key": key, "body": "The north one.", "follow_up_pass": hidden(response, "follow_up_pass")}
    response = client.post(reverse("follow_up"), answer)
    assert response.status_code == 200 and "The north one." in response.content.decode()
    assert CaseMessage.objects.filter(case=case, from_reporter=True, body="The north one.").exists()
    assert "sessionid" not in response.cookies


def test_wrong_receipt_key_gets_a_clear_message(client, demo):
    report(anonymous=True)
    response = client.post(reverse("follow_up"), {"key": "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", **pow_ok("follow-up")})
    assert "does not open any report" in response.content.decode()


def test_the_report_form_takes_no_text_from_the_url(client, employee):
    """Text in a URL ends up in access logs and browser history: a certification
    exception pre-fills the form by id instead (tests/certifications/test_sign.py)."""
    client.force_login(employee)
    page = client.get(reverse("report_new"), {"description": "I did not disclose a supplier dinner."}).content.decode()
    assert "I did not disclose a supplier dinner." not in page
