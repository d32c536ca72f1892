"""REP-4 closure rules (issue 10): every path to closed needs a finding or a closure
reason; closing with open tasks is confirmed; closed, withdrawn and merged cases are
read-only until reopened with a reason; the page offers each form only where its
action is allowed, says what was done, and keeps what was typed when it refuses."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cases.models import Case, CaseTask
from cases.services import (
    CaseError,
    case_assign,
    case_merge,
    case_transition,
    case_withdraw,
    finding_record,
    link_add,
    message_from_reporter,
    message_to_reporter,
    note_add,
    party_add,
    task_add,
    task_done,
)
from cases.services.work import OpenTasks
from policy.workflow import TransitionError
from tests.cases.factories import person, report

pytestmark = pytest.mark.django_db

REPORTER = "jbrooks"


def _at(status: str, actor, *, kind="report") -> Case:
    case, _ = report(by=person(REPORTER).user, kind=kind)
    path = ["acknowledged", "triage", "investigating", "decision"]
    for step in path[: path.index(status) + 1]:
        case_transition(case_id=case.pk, actor=actor, to_status=step)
    return case


def _closed(actor, **close) -> Case:
    case = _at("triage", actor)
    case_transition(case_id=case.pk, actor=actor, to_status="closed", **(close or {"closure_reason": "duplicate"}))
    return Case.objects.get(pk=case.pk)


@pytest.mark.parametrize("status", ["triage", "investigating", "decision"])
def test_rep4_no_path_closes_a_report_without_a_finding_or_reason(compliance_officer, status):
    case = _at(status, compliance_officer)
    with pytest.raises(TransitionError, match="needs a finding or a closure reason"):
        case_transition(case_id=case.pk, actor=compliance_officer, to_status="closed")
    assert Case.objects.get(pk=case.pk).status == status
    case_transition(
        case_id=case.pk, actor=compliance_officer, to_status="closed", closure_reason="insufficient_information"
    )
    case.refresh_from_db()
    assert case.status == "closed" and case.closure_reason == "insufficient_information" and case.closed_at
    closed_event = case.events.get(action="closed")
    assert "Not enough information to investigate" in closed_event.note and closed_event.internal
    assert closed_event.rule_ids == ["REP-4"]


@pytest.mark.parametrize("status", ["acknowledged", "triage"])
def test_rep4_a_question_closes_with_a_reason(compliance_officer, status):
    case = _at(status, compliance_officer, kind="question")
    with pytest.raises(TransitionError, match="needs a reason"):
        case_transition(case_id=case.pk, actor=compliance_officer, to_status="closed")
    case_transition(case_id=case.pk, actor=compliance_officer, to_status="closed", closure_reason="answered")
    assert Case.objects.get(pk=case.pk).closure_reason == "answered"


def test_rep4_a_finding_can_be_given_when_closing_but_only_after_investigation(compliance_officer):
    at_triage = _at("triage", compliance_officer)
    with pytest.raises(TransitionError, match="comes from an investigation"):
        case_transition(case_id=at_triage.pk, actor=compliance_officer, to_status="closed", finding="substantiated")
    investigating = _at("investigating", compliance_officer)
    case_transition(case_id=investigating.pk, actor=compliance_officer, to_status="closed", finding="unsubstantiated")
    assert Case.objects.get(pk=investigating.pk).finding == "unsubstantiated"
    # A finding recorded earlier is enough to close from the decision stage.
    decided = _at("investigating", compliance_officer)
    finding_record(case_id=decided.pk, actor=compliance_officer, finding="inconclusive")
    case_transition(case_id=decided.pk, actor=compliance_officer, to_status="decision")
    case_transition(case_id=decided.pk, actor=compliance_officer, to_status="closed")
    assert Case.objects.get(pk=decided.pk).status == "closed"


def test_rep4_closing_with_open_tasks_asks_to_confirm(compliance_officer):
    case = _at("triage", compliance_officer)
    task_add(case_id=case.pk, actor=compliance_officer, title="Interview the buyer")
    with pytest.raises(OpenTasks, match="1 open task on .*Interview the buyer"):
        case_transition(
            case_id=case.pk, actor=compliance_officer, to_status="closed", closure_reason="referred_elsewhere"
        )
    assert Case.objects.get(pk=case.pk).status == "triage"
    case_transition(
        case_id=case.pk,
        actor=compliance_officer,
        to_status="closed",
        closure_reason="referred_elsewhere",
        close_with_open_tasks=True,
    )
    assert "closed with 1 open task" in Case.objects.get(pk=case.pk).events.get(action="closed").note


def _ended(kind: str, actor) -> Case:
    if kind == "closed":
        return _closed(actor)
    if kind == "withdrawn":
        case = _at("triage", actor)
        case_withdraw(case_id=case.pk, actor=actor, reason="The reporter asked us to stop.")
        return Case.objects.get(pk=case.pk)
    case = _at("triage", actor)
    other, _ = report(by=person("aalvarez").user, title="The one that goes on")
    case_merge(case_id=case.pk, actor=actor, into=other, reason="Same incident.")
    return Case.objects.get(pk=case.pk)


ENDED = ["closed", "withdrawn", "merged"]


@pytest.mark.parametrize("ended", ENDED)
def test_rep4_an_ended_case_refuses_every_change_but_reopen(compliance_officer, ended):
    case = _ended(ended, compliance_officer)
    other, _ = report(by=person("aalvarez").user, title="Another")
    officer = compliance_officer
    changes = {
        "note": lambda: note_add(case_id=case.pk, actor=officer, body="More"),
        "message": lambda: message_to_reporter(case_id=case.pk, actor=officer, body="Hello"),
        "reporter message": lambda: message_from_reporter(case=case, body="More facts", user=person(REPORTER).user),
        "task": lambda: task_add(case_id=case.pk, actor=officer, title="Another task"),
        "assign": lambda: case_assign(case_id=case.pk, actor=officer, assignee=person("rchen")),
        "link": lambda: link_add(case_id=case.pk, actor=officer, other=other),
        "merge": lambda: case_merge(case_id=case.pk, actor=officer, into=other, reason="dup"),
        "finding": lambda: finding_record(case_id=case.pk, actor=officer, finding="substantiated"),
        "withdraw": lambda: case_withdraw(case_id=case.pk, actor=officer, reason="again"),
        "forward": lambda: case_transition(case_id=case.pk, actor=officer, to_status="investigating"),
        "close": lambda: case_transition(
            case_id=case.pk, actor=officer, to_status="closed", closure_reason="duplicate"
        ),
        "reopen without a reason": lambda: case_transition(case_id=case.pk, actor=officer, to_status="triage"),
    }
    events = case.events.count()
    for name, change in changes.items():
        with pytest.raises((CaseError, TransitionError, PermissionDenied)):
            change()
        assert Case.objects.get(pk=case.pk).status == ended, name
    assert case.events.count() == events  # nothing half-applied

    case_transition(case_id=case.pk, actor=officer, to_status="triage", note="The reporter sent new evidence.")
    case.refresh_from_db()
    assert case.status == "triage" and case.closure_reason == "" and case.merged_into is None and case.closed_at is None
    assert case.events.filter(action="reopened", note__contains="new evidence").exists()
    note_add(case_id=case.pk, actor=officer, body="Working again")


def test_rep5_retaliation_checkins_are_done_on_the_closed_case(compliance_officer):
    case = _closed(compliance_officer)
    checkin = case.tasks.filter(kind=CaseTask.RETALIATION_CHECKIN).first()
    assert checkin is not None
    task_done(task_id=checkin.pk, actor=compliance_officer)
    assert CaseTask.objects.get(pk=checkin.pk).done_at is not None


def test_people_can_still_be_named_on_a_closed_case(compliance_officer):
    """Who may see a case is access, not content: adding a subject to a closed case
    still takes it away from them (issue 9), without reopening it."""
    case = _closed(compliance_officer)
    party_add(case_id=case.pk, actor=compliance_officer, person=person("rchen"), role="subject")
    assert case.parties.filter(person=person("rchen")).exists()


def test_withdraw_and_merge_need_a_reason(compliance_officer):
    case = _at("triage", compliance_officer)
    with pytest.raises(CaseError, match="Say why"):
        case_withdraw(case_id=case.pk, actor=compliance_officer, reason=" ")
    other, _ = report(by=person("aalvarez").user)
    with pytest.raises(CaseError, match="Say why"):
        case_merge(case_id=case.pk, actor=compliance_officer, into=other, reason="")
    assert Case.objects.get(pk=case.pk).status == "triage"


def test_a_handlers_withdrawal_reason_stays_internal(client, compliance_officer):
    case = _at("triage", compliance_officer)
    case_withdraw(case_id=case.pk, actor=compliance_officer, reason="Handled by the works council instead")
    client.force_login(person(REPORTER).user)
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Withdrawn" in page and "works council" not in page


# --- The page ------------------------------------------------------------------


def _page(client, user, case) -> str:
    client.force_login(user)
    response = client.get(reverse("case_detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _action(case, name: str) -> str:
    return reverse("case_action", args=[case.pk, name])


@pytest.mark.parametrize("ended", ENDED)
def test_an_ended_case_page_offers_reopen_only(client, compliance_officer, ended):
    case = _ended(ended, compliance_officer)
    page = _page(client, compliance_officer, case)
    assert _action(case, "reopen") in page
    for name in ("note", "message", "task", "assign", "transition", "close", "finding", "link", "merge", "withdraw"):
        assert _action(case, name) not in page, name
    assert "read-only" in page


def test_a_merged_case_points_to_the_case_it_joined(client, compliance_officer):
    case = _ended("merged", compliance_officer)
    page = _page(client, compliance_officer, case)
    assert f'it continues as <a href="/cases/{case.merged_into_id}/">' in page


def test_finding_form_only_where_a_finding_can_be_recorded_and_has_no_default(client, compliance_officer):
    triage = _at("triage", compliance_officer)
    assert _action(triage, "finding") not in _page(client, compliance_officer, triage)
    investigating = _at("investigating", compliance_officer)
    page = _page(client, compliance_officer, investigating)
    assert _action(investigating, "finding") in page
    assert '<option value="" selected>Choose the finding</option>' in page


def test_closing_from_the_page_says_what_was_done(client, compliance_officer):
    case = _at("triage", compliance_officer)
    client.force_login(compliance_officer)
    response = client.post(_action(case, "close"), {"closure_reason": "no_investigation_warranted"}, follow=True)
    assert f"{case.reference} closed." in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_a_refused_action_keeps_what_was_typed(client, compliance_officer):
    case = _at("triage", compliance_officer)
    task_add(case_id=case.pk, actor=compliance_officer, title="Call the supplier")
    client.force_login(compliance_officer)
    typed = "Nothing more we can do; the supplier left the market."
    response = client.post(_action(case, "close"), {"closure_reason": "referred_elsewhere", "note": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "1 open task" in page and typed in page and "Close although tasks are still open" in page
    assert Case.objects.get(pk=case.pk).status == "triage"

    response = client.post(_action(case, "withdraw"), {"reason": ""})
    assert response.status_code == 400 and Case.objects.get(pk=case.pk).status == "triage"
    long_note = "A long internal note " * 20
    response = client.post(_action(case, "merge"), {"reference": "R-1999-000001", "reason": long_note.strip()})
    assert response.status_code == 400 and long_note.strip() in response.content.decode()


@pytest.mark.parametrize(
    ("action", "data", "says"),
    [
        ("note", {"body": "Checked the ledger"}, "Note added."),
        ("task", {"title": "Interview"}, "Task added."),
        ("message", {"body": "Can you say more?"}, "Message sent to the reporter."),
        ("withdraw", {"reason": "Reporter withdrew"}, "{ref} withdrawn."),
        ("transition", {"to_status": "investigating"}, "{ref} moved to under investigation."),
    ],
)
def test_every_action_says_what_it_did(client, compliance_officer, action, data, says):
    case = _at("triage", compliance_officer)
    client.force_login(compliance_officer)
    response = client.post(_action(case, action), data, follow=True)
    assert says.format(ref=case.reference) in response.content.decode()
    assert "Saved." not in response.content.decode()


def test_the_generic_transition_refuses_close_and_reopen(client, compliance_officer):
    case = _at("triage", compliance_officer)
    client.force_login(compliance_officer)
    response = client.post(_action(case, "transition"), {"to_status": "closed"})
    assert response.status_code == 400 and Case.objects.get(pk=case.pk).status == "triage"


def test_the_case_page_gives_every_element_its_own_id(client, compliance_officer):
    """The close form and the finding form both have a "finding" field: each label
    must point at its own control (the page once had two id_finding)."""
    import re
    from collections import Counter

    investigating = _at("investigating", compliance_officer)
    page = _page(client, compliance_officer, investigating)
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [name for name, n in ids.items() if n > 1] == []
    assert 'for="record_finding"' in page and 'for="id_finding"' in page
