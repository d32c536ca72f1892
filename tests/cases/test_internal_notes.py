"""Text the reporter will see is labelled so where it is typed; the note typed with
a status change is internal (issue 9, finding 13)."""

import pytest
from django.urls import reverse

from cases.models import CaseEvent
from cases.services import case_transition
from tests.cases.factories import person, report
from tests.pow import pow_ok

pytestmark = pytest.mark.django_db


def test_the_why_of_a_status_change_never_reaches_the_anonymous_reporter(client, compliance_officer):
    case, key = report(anonymous=True)
    case_transition(
        case_id=case.pk, actor=compliance_officer, to_status="acknowledged", note="Reporter sounds like J. in Sales"
    )
    status = case.events.get(action="status")
    assert status.internal is False and status.note == ""
    assert case.events.get(action="note").internal is True
    page = client.post(reverse("follow_up"), {"key": key, **pow_ok("follow-up")}).content.decode()
    assert "Acknowledged" in page and "sounds like" not in page
    assert not CaseEvent.objects.filter(case=case, internal=False, note__contains="sounds like").exists()


def test_the_status_form_says_the_note_is_internal(client, compliance_officer):
    case, _ = report(by=person("jbrooks").user)
    client.force_login(compliance_officer)
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Why (internal note, optional)" in page and "the reporter sees the new status, never this note" in page
    assert "Message or question to the reporter (they will see it)" in page
