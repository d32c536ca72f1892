"""A tamper-evident audit trail (issue 9, finding 6): every event is sealed in a
hash chain, the database refuses UPDATE and DELETE on event tables, and
`verify_audit_trail` names the first broken link of a forged chain."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from cases.models import Case, CaseEvent
from cases.services import case_transition, message_to_reporter, note_add
from certifications.models import CertificationEvent
from core.chain import GENESIS, verify_chain
from core.models import AdminChange
from people.models import RosterEvent
from people.services import position_change
from tests.cases.factories import person, report

pytestmark = pytest.mark.django_db


def _verify() -> str:
    out = io.StringIO()
    call_command("verify_audit_trail", stdout=out)
    return out.getvalue()


def test_each_case_event_is_a_link_in_the_cases_chain(compliance_officer):
    case, _ = report(by=person("jbrooks").user)
    case_transition(case_id=case.pk, actor=compliance_officer, to_status="acknowledged")
    note_add(case_id=case.pk, actor=compliance_officer, body="Called the supplier.")
    events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    assert all(e.hash == e.expected_hash() for e in events)
    assert "The audit trail verifies." in _verify()


def test_roster_certification_and_admin_events_are_chained_too(demo):
    position_change(person=person("jbrooks"), title="Senior Buyer", rank="staff", effective=demo["code"].effective_date)
    for model in (RosterEvent, CertificationEvent):
        checked, breaks = verify_chain(model)
        assert checked > 0 and breaks == []


def test_an_event_cannot_be_saved_twice(compliance_officer):
    case, _ = report(by=person("jbrooks").user)
    event = case.events.first()
    event.note = "changed"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


@pytest.mark.services
def test_tamper_update_or_delete_from_plain_sql_is_refused(postgres_required, compliance_officer):
    """With the app's own credentials, on a plain SQL connection: refused by trigger."""
    case, _ = report(by=person("jbrooks").user)
    event = case.events.first()
    position_change(person=person("jbrooks"), title="Senior Buyer", rank="staff", effective=date.today())
    AdminChange.objects.create(model="people.Person", object_id="1", action="change", before={}, after={})
    assert RosterEvent.objects.exists() and CertificationEvent.objects.exists()
    for statement, args in (
        ("UPDATE cases_caseevent SET note = 'nothing happened' WHERE id = %s", [event.pk]),
        ("DELETE FROM cases_caseevent WHERE id = %s", [event.pk]),
        ("UPDATE people_rosterevent SET detail = 'x'", []),
        ("DELETE FROM certifications_certificationevent", []),
        ("UPDATE core_adminchange SET after = NULL", []),
    ):
        with (
            pytest.raises(DatabaseError, match="append-only|purge"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, args)
    assert CaseEvent.objects.filter(pk=event.pk, note=event.note).exists()


@pytest.mark.services
def test_tamper_a_row_forged_with_triggers_disabled_is_reported(postgres_required, compliance_officer):
    """A superuser can switch triggers off (session_replication_role); the chain
    still shows the forgery, naming the case and the link."""
    case, _ = report(by=person("jbrooks").user)
    case_transition(case_id=case.pk, actor=compliance_officer, to_status="acknowledged")
    case_transition(case_id=case.pk, actor=compliance_officer, to_status="triage")
    second = CaseEvent.objects.get(case=case, seq=2)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE cases_caseevent SET note = 'forged' WHERE id = %s", [second.pk])
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    with pytest.raises(CommandError, match="does not verify"):
        _verify()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit_trail", stdout=out)
    report_text = out.getvalue()
    assert f"case {case.pk}, link 2 (row id {second.pk})" in report_text and "was changed" in report_text


@pytest.mark.services
def test_tamper_a_deleted_link_in_the_middle_is_reported(postgres_required, compliance_officer):
    case, _ = report(by=person("jbrooks").user)
    for status in ("acknowledged", "triage", "investigating"):
        case_transition(case_id=case.pk, actor=compliance_officer, to_status=status)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM cases_caseevent WHERE case_id = %s AND seq = 2", [case.pk])
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    _, breaks = verify_chain(CaseEvent)
    assert len(breaks) == 1 and breaks[0].scope == case.pk and "missing" in breaks[0].problem


@pytest.mark.services
def test_rec1_the_database_keeps_held_rows_and_refuses_deletes_outside_the_purge(postgres_required, compliance_officer):
    from cases.services import hold_create

    case, _ = report(by=person("jbrooks").user, witnesses="Riley Chen")
    message_to_reporter(case_id=case.pk, actor=compliance_officer, body="Which day was it?")
    free, _ = report(by=person("jbrooks").user, title="Not held")
    hold = hold_create(actor=compliance_officer, matter="Subpoena 17", reason="DOJ", cases=[case])
    for statement, args in (
        ("DELETE FROM cases_case WHERE id = %s", [case.pk]),
        ("DELETE FROM cases_casemessage WHERE case_id = %s", [case.pk]),
        ("DELETE FROM cases_caseparty WHERE case_id = %s", [case.pk]),
        ("DELETE FROM cases_case WHERE id = %s", [free.pk]),  # not held, but not the purge either
        ("DELETE FROM cases_legalhold WHERE id = %s", [hold.pk]),
        ("DELETE FROM cases_legalhold_cases WHERE legalhold_id = %s", [hold.pk]),
        ("UPDATE cases_legalhold SET released_at = now() WHERE id = %s", [hold.pk]),  # no reason
        ("UPDATE cases_legalhold SET matter = 'other' WHERE id = %s", [hold.pk]),
    ):
        with pytest.raises(DatabaseError, match="innovo"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, args)
    assert Case.objects.filter(pk__in=[case.pk, free.pk]).count() == 2
    assert case.legal_holds.filter(released_at__isnull=True).exists()


def test_verify_audit_trail_is_clean_after_the_demo(demo):
    assert "The audit trail verifies." in _verify()
