"""Case work through the services and pages: the transition table, assignment,
notes, messages, tasks, merges, findings (REP-4), retaliation check-ins (REP-5),
exports, and the queue's fixed query count."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseTask
from cases.services import (
    CaseError,
    CaseNotFound,
    case_assign,
    case_merge,
    case_transition,
    finding_record,
    message_to_reporter,
    note_add,
)
from policy.workflow import TransitionError
from tests.cases.factories import person, report

pytestmark = pytest.mark.django_db


def walk(case, actor, *statuses):
    for status in statuses:
        case_transition(case_id=case.pk, actor=actor, to_status=status)


def test_rep4_full_life_of_a_report(compliance_officer, investigator):
    case, _ = report(by=person("jbrooks").user)
    case_assign(case_id=case.pk, actor=compliance_officer, assignee=person("rchen"))
    walk(case, investigator, "acknowledged", "triage", "investigating")
    finding_record(
        case_id=case.pk,
        actor=investigator,
        finding="substantiated",
        actions=[("training", "Buyer retrained on gifts.")],
    )
    walk(case, investigator, "decision", "closed")
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_at and case.finding == "substantiated"
    assert case.corrective_actions.get().kind == "training"
    # REP-5: retaliation check-ins with the named reporter at 30 and 90 days.
    dues = sorted(t.due for t in case.tasks.filter(kind=CaseTask.RETALIATION_CHECKIN))
    today = timezone.localdate()
    assert dues == [today + timedelta(days=30), today + timedelta(days=90)]
    actions = list(case.events.values_list("action", flat=True))
    assert actions[:2] == ["received", "assigned"] and "finding" in actions and "checkins" in actions
    case_transition(case_id=case.pk, actor=compliance_officer, to_status="triage", note="New evidence arrived.")
    case.refresh_from_db()
    assert case.status == "triage" and case.closed_at is None


def test_refused_transition_says_why(compliance_officer):
    case, _ = report(by=person("jbrooks").user)
    with pytest.raises(TransitionError, match="received cannot move to closed"):
        case_transition(case_id=case.pk, actor=compliance_officer, to_status="closed")
    assert Case.objects.get(pk=case.pk).status == "received"


def test_investigator_cannot_work_an_unassigned_case(investigator):
    """The investigator cannot see it: the service answers as for a missing case."""
    case, _ = report(by=person("jbrooks").user)
    with pytest.raises(CaseNotFound, match="was not found"):
        note_add(case_id=case.pk, actor=investigator, body="x")


def test_nobody_works_their_own_report(compliance_officer):
    case, _ = report(by=compliance_officer)
    assert case.decider == "audit_committee"
    with pytest.raises(PermissionDenied):
        case_transition(case_id=case.pk, actor=compliance_officer, to_status="acknowledged")


def test_cannot_assign_a_subject(compliance_officer):
    case, _ = report(by=person("jbrooks").user, subjects=[person("rchen")])
    with pytest.raises(CaseError, match="named in it"):
        case_assign(case_id=case.pk, actor=compliance_officer, assignee=person("rchen"))


def test_merge_a_duplicate(compliance_officer):
    first, _ = report(by=person("jbrooks").user)
    dup, _ = report(by=person("aalvarez").user)
    case_merge(case_id=dup.pk, actor=compliance_officer, into=first, reason="Same incident, reported twice.")
    dup.refresh_from_db()
    assert dup.status == "merged" and dup.merged_into == first
    assert first.links.filter(other=dup).exists()


def test_internal_notes_never_reach_the_reporter(client, compliance_officer):
    case, _ = report(by=person("jbrooks").user)
    note_add(case_id=case.pk, actor=compliance_officer, body="Secret internal remark")
    message_to_reporter(case_id=case.pk, actor=compliance_officer, body="Could you say more?")
    client.force_login(person("jbrooks").user)
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Could you say more?" in page and "Secret internal remark" not in page and "Internal note" not in page
    pdf = client.get(reverse("case_pdf", args=[case.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    client.force_login(compliance_officer)
    assert "Secret internal remark" in client.get(reverse("case_detail", args=[case.pk])).content.decode()


def test_case_pdf_has_the_timeline_and_internal_notes_for_handlers(client, compliance_officer):
    from io import BytesIO

    from pypdf import PdfReader

    case, _ = report(by=person("jbrooks").user)
    note_add(case_id=case.pk, actor=compliance_officer, body="Checked the ledger")
    client.force_login(compliance_officer)
    response = client.get(reverse("case_pdf", args=[case.pk]))
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert case.reference in text and "Checked the ledger" in text and "Timeline" in text
    client.force_login(person("jbrooks").user)
    text = "".join(
        p.extract_text() for p in PdfReader(BytesIO(client.get(reverse("case_pdf", args=[case.pk])).content)).pages
    )
    assert "Checked the ledger" not in text


def test_register_csv_lists_visible_cases(client, compliance_officer):
    case, _ = report(by=person("jbrooks").user)
    client.force_login(compliance_officer)
    response = client.get(reverse("register_csv"))
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("reference,kind,category,status")
    assert case.reference in body


def test_queue_filters_and_bulk_assignment(client, compliance_officer):
    first, _ = report(by=person("jbrooks").user, category="accounting")
    second, _ = report(by=person("jbrooks").user, category="harassment")
    client.force_login(compliance_officer)
    page = client.get(reverse("queue"), {"category": "accounting"}).content.decode()
    assert f'href="/cases/{first.pk}/"' in page and f'href="/cases/{second.pk}/"' not in page
    rchen = person("rchen")
    client.post(reverse("bulk_assign"), {"case": [first.pk, second.pk], "assignee": rchen.pk})
    assert set(Case.objects.values_list("assignee", flat=True)) == {rchen.pk}
    page = client.get(reverse("queue"), {"assignee": str(rchen.pk)}).content.decode()
    assert "2 cases" in page
    client.post(reverse("filter_save"), {"name": "Riley's", "query": f"assignee={rchen.pk}"})
    assert "Riley&#x27;s" in client.get(reverse("queue")).content.decode()


def test_queue_bad_date_filter_says_so(client, compliance_officer):
    client.force_login(compliance_officer)
    page = client.get(reverse("queue"), {"date_from": "yesterday"}, follow=True).content.decode()
    assert "is not a date" in page


def test_queue_query_count_does_not_grow_with_cases(client, compliance_officer, django_assert_max_num_queries):
    """Pinned: the same number of queries for 10 cases as for 60 (issue 6 budget: 12)."""
    client.force_login(compliance_officer)

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("queue")).status_code == 200
        return len(ctx)

    for _ in range(10):
        report(by=person("jbrooks").user)
    count_queries()  # warm the viewer's cached roles
    report(by=person("jbrooks").user)  # the first read after a write
    small = count_queries()
    for _ in range(50):
        report(by=person("aalvarez").user, category="accounting")
    assert count_queries() == small <= 12
    assert count_queries() == small  # kept counts: the same queries warm as on the first read
