"""What a user may not see never leaks through another object (issue 9, findings
3 and 4): links, merges, timelines, PDFs, e-mails and bulk assignment name a
hidden case to nobody who may not see it, and missing and hidden read alike."""

import pytest
from django.urls import reverse

from cases.models import CaseEvent
from cases.services import case_merge, cases_bulk_assign, link_add
from core.models import OutboxItem
from tests.cases.factories import person, report

pytestmark = pytest.mark.django_db


def _page(client, user, case):
    client.force_login(user)
    return client.get(reverse("case_detail", args=[case.pk])).content.decode()


def _pdf_text(client, user, case) -> str:
    import io

    from pypdf import PdfReader

    client.force_login(user)
    response = client.get(reverse("case_pdf", args=[case.pk]))
    assert response.status_code == 200
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_a_link_shows_the_other_case_only_to_those_who_may_see_it(client, compliance_officer, hr_director):
    """The harassment case is the HR director's to see; the other is about her."""
    about_hr, _ = report(by=person("jbrooks").user, subjects=[person("jgrant")], title="About the HR director")
    harassment, _ = report(by=person("aalvarez").user, category="harassment", title="At the warehouse")
    link_add(case_id=harassment.pk, actor=compliance_officer, other=about_hr)
    # Both timelines hold the link, by reference to the case, never as text.
    for event in CaseEvent.objects.filter(action="linked"):
        assert about_hr.reference not in event.note and harassment.reference not in event.note
    officer_page = _page(client, compliance_officer, harassment)
    assert about_hr.reference in officer_page
    hr_page = _page(client, hr_director, harassment)
    assert "Linked to another case" in hr_page and about_hr.reference not in hr_page
    assert about_hr.reference not in _pdf_text(client, hr_director, harassment)
    assert about_hr.reference in _pdf_text(client, compliance_officer, harassment)


def test_a_merge_names_the_surviving_case_only_to_those_who_may_see_it(client, compliance_officer, hr_director):
    survivor, _ = report(by=person("jbrooks").user, subjects=[person("jgrant")], title="The original")
    duplicate, _ = report(by=person("aalvarez").user, category="harassment", title="The duplicate")
    case_merge(case_id=duplicate.pk, actor=compliance_officer, into=survivor, reason="Same events.")
    hr_page = _page(client, hr_director, duplicate)
    assert "Merged into another case" in hr_page and survivor.reference not in hr_page
    officer_page = _page(client, compliance_officer, duplicate)
    assert f'merged into <a class="ref" href="/cases/{survivor.pk}/">{survivor.reference}</a>' in officer_page


def test_bulk_assignment_answers_a_hidden_case_like_a_missing_one(client, hr_director):
    """Finding 4: the HR director, subject of a case she cannot see, learns nothing."""
    about_her, _ = report(by=person("jbrooks").user, subjects=[person("jgrant")])
    missing = about_her.pk + 1000
    done, problems = cases_bulk_assign(case_ids=[about_her.pk, missing], actor=hr_director, assignee=None)
    assert done == 0
    assert problems == [f"Case #{about_her.pk} was not found.", f"Case #{missing} was not found."]
    client.force_login(hr_director)
    response = client.post(reverse("bulk_assign"), {"case": [about_her.pk], "assignee": "none"}, follow=True)
    hidden_page = response.content.decode()
    response = client.post(reverse("bulk_assign"), {"case": [missing], "assignee": "none"}, follow=True)
    missing_page = response.content.decode()
    assert "was not found" in hidden_page and "was not found" in missing_page
    assert "may not" not in hidden_page


def test_e_mails_about_a_link_never_reach_the_subject(compliance_officer):
    about_hr, _ = report(by=person("jbrooks").user, subjects=[person("jgrant")])
    harassment, _ = report(by=person("aalvarez").user, category="harassment")
    link_add(case_id=harassment.pk, actor=compliance_officer, other=about_hr)
    for item in OutboxItem.objects.filter(recipients__contains="jgrant@"):
        assert about_hr.reference not in item.subject + item.body_text + item.body_html
