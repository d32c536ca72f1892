"""Services of insider trading on PostgreSQL: lists (INS-1, INS-2), pre-clearance
(INS-1, INS-3, INS-4), reporting trades and Form 4 (INS-5), window notices (INS-4)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from core.models import OutboxItem
from insiders import notify, services
from insiders.models import Event, ListEntry, Request, Window
from insiders.services import InsiderError
from people.models import Designation, RoleDesignation
from policy.insiders import Status
from policy.routing import Decider
from tests.insiders.factories import ask, next_weekday, person, project, user, window

pytestmark = pytest.mark.django_db


def test_designated_insider_on_an_open_projects_list_is_refused_with_ins1_and_the_reason(demo):
    project("Project Falcon", insiders=["mcrossman"])
    pre = ask("mcrossman")
    assert pre.status == Status.REFUSED
    assert pre.rule_ids == ["INS-1"]
    assert pre.decider == ""
    reasons = " ".join(f["reason"] for f in pre.outcome["findings"])
    assert "insider list of Project Falcon" in reasons
    assert Event.objects.filter(request=pre, action="refused", rule_id="INS-1").exists()
    assert not OutboxItem.objects.filter(dedupe_key=f"insiders:request:{pre.pk}:requested").exists()


def test_once_the_project_is_public_the_same_insider_is_routed_to_the_compliance_officer_ins1(demo):
    falcon = project("Project Falcon", insiders=["mcrossman"])
    services.project_close(project_id=falcon.pk, actor=user("swhalen"), public_on=timezone.localdate())
    pre = ask("mcrossman")
    assert pre.status == Status.PENDING and pre.decider == Decider.COMPLIANCE_OFFICER
    mail = OutboxItem.objects.get(dedupe_key=f"insiders:request:{pre.pk}:requested")
    assert mail.recipients == person("swhalen").email


def test_other_companys_list_refuses_that_companys_stock_ins3(demo):
    project("Project Roadrunner", kind="other_company", other_company="Acme Corp", other_ticker="acme",
            insiders=["mcrossman"])  # fmt: skip
    refused = ask("mcrossman", security="other", ticker="ACME")
    assert refused.status == Status.REFUSED and refused.rule_ids == ["INS-3"]
    assert ask("mcrossman").status == Status.PENDING  # the company's own stock is not about Acme


def test_inside_a_blackout_window_a_designated_insider_is_refused_ins4(demo):
    today = next_weekday(date.today())
    window(today - timedelta(days=3), today + timedelta(days=3), name="Q4 results")
    pre = ask("mcrossman", planned=today)
    assert pre.status == Status.REFUSED and pre.rule_ids == ["INS-4"]
    assert ask("mcrossman", planned=next_weekday(today + timedelta(days=4))).status == Status.PENDING


def test_a_quarterly_window_does_not_cover_an_employee_who_is_only_on_a_closed_list_ins4(demo):
    falcon = project(insiders=["jbrooks"])
    services.project_close(project_id=falcon.pk, actor=user("swhalen"), public_on=timezone.localdate())
    today = next_weekday(date.today())
    window(today - timedelta(days=3), today + timedelta(days=3))
    assert ask("jbrooks", planned=today).status == Status.PENDING


def test_an_event_window_covers_its_projects_list_ins4(demo):
    falcon = project(insiders=["jbrooks"])
    today = next_weekday(date.today())
    services.window_event(actor=user("swhalen"), project_id=falcon.pk, start=today, end=today + timedelta(days=5))
    services.project_close(project_id=falcon.pk, actor=user("swhalen"), public_on=timezone.localdate())
    pre = ask("jbrooks", planned=today)
    assert pre.status == Status.REFUSED and pre.rule_ids == ["INS-4"]


def test_a_designated_employee_by_dated_designation_is_covered_ins4(demo):
    today = next_weekday(date.today())
    window(today - timedelta(days=3), today + timedelta(days=3))
    jbrooks = person("jbrooks")
    with pytest.raises(InsiderError):
        ask("jbrooks", planned=today)  # not an insider, on no list: may not ask
    RoleDesignation.objects.create(person=jbrooks, role=Designation.DESIGNATED_INSIDER, start_date=today)
    from people.selectors import roles_cache_bump

    roles_cache_bump()
    assert ask("jbrooks", planned=today).rule_ids == ["INS-4"]


def test_the_compliance_officers_own_request_goes_to_the_audit_committee_ins4(demo):
    pre = ask("swhalen")
    assert pre.status == Status.PENDING and pre.decider == Decider.AUDIT_COMMITTEE
    mail = OutboxItem.objects.get(dedupe_key=f"insiders:request:{pre.pk}:requested")
    assert person("areyes").email in mail.recipients.split("\n")
    assert person("swhalen").email not in mail.recipients
    with pytest.raises(InsiderError):
        services.preclearance_decide(request_id=pre.pk, actor=user("swhalen"), approve=True)
    decided = services.preclearance_decide(request_id=pre.pk, actor=user("areyes"), approve=True)
    assert decided.status == Status.APPROVED and decided.decided_by_label == "Alexandra Reyes"


def test_the_audit_committee_does_not_decide_the_compliance_officers_queue(demo):
    pre = ask("mcrossman")
    with pytest.raises(InsiderError):
        services.preclearance_decide(request_id=pre.pk, actor=user("areyes"), approve=True)


def test_denial_needs_a_note_and_the_requester_is_told(demo):
    pre = ask("mcrossman")
    with pytest.raises(InsiderError, match="why"):
        services.preclearance_decide(request_id=pre.pk, actor=user("swhalen"), approve=False)
    services.preclearance_decide(request_id=pre.pk, actor=user("swhalen"), approve=False, note="Earnings next week.")
    assert (
        OutboxItem.objects.get(dedupe_key=f"insiders:request:{pre.pk}:decided").recipients == person("mcrossman").email
    )


def _approved_on(day: date, settings, trading_days=3):
    settings.INNOVO = {**settings.INNOVO, "PRECLEARANCE_VALID_TRADING_DAYS": trading_days, "HOLIDAYS": []}
    with time_machine.travel(timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
                             + timedelta(hours=10)):  # fmt: skip
        pre = ask("mcrossman", planned=day)
        return services.preclearance_decide(request_id=pre.pk, actor=user("swhalen"), approve=True)


def test_an_approval_outside_its_window_cannot_be_used_to_report_a_trade_ins4(demo, settings):
    monday = date(2026, 11, 30)
    pre = _approved_on(monday, settings)
    assert (pre.valid_from, pre.valid_through) == (monday, date(2026, 12, 2))
    with time_machine.travel(date(2026, 12, 4)):
        with pytest.raises(InsiderError, match="cannot be reported against it"):
            services.preclearance_report(
                request_id=pre.pk, actor=user("mcrossman"), traded=True, trade_date=date(2026, 12, 3), quantity=100,
                price=Decimal("12.50"),
            )  # fmt: skip
        assert Request.objects.get(pk=pre.pk).status == Status.APPROVED
        reported = services.preclearance_report(
            request_id=pre.pk, actor=user("mcrossman"), traded=True, trade_date=date(2026, 12, 2), quantity=100,
            price=Decimal("12.50"),
        )  # fmt: skip
    assert reported.status == Status.TRADED


def test_a_directors_trade_gets_the_form4_reminder_over_a_weekend_ins5(demo, settings):
    thursday = date(2026, 12, 3)
    pre = _approved_on(thursday, settings)
    with time_machine.travel(date(2026, 12, 4)):
        reported = services.preclearance_report(
            request_id=pre.pk, actor=user("mcrossman"), traded=True, trade_date=thursday, quantity=50,
            price=Decimal("9.99"),
        )  # fmt: skip
    assert reported.form4_due == date(2026, 12, 7)
    mail = OutboxItem.objects.get(dedupe_key=f"insiders:request:{pre.pk}:form4")
    assert "Form 4" in mail.subject and mail.recipients == person("mcrossman").email


def test_not_trading_is_reported_and_nothing_else_can_follow(demo):
    pre = ask("mcrossman")
    with pytest.raises(InsiderError, match="only an approval"):
        services.preclearance_report(request_id=pre.pk, actor=user("mcrossman"), traded=False)
    services.preclearance_decide(request_id=pre.pk, actor=user("swhalen"), approve=True)
    done = services.preclearance_report(request_id=pre.pk, actor=user("mcrossman"), traded=False)
    assert done.status == Status.NOT_TRADED and done.form4_due is None
    with pytest.raises(InsiderError):
        services.preclearance_decide(request_id=pre.pk, actor=user("swhalen"), approve=True)


def test_insider_list_records_who_when_by_whom_why_and_the_acknowledgement_ins2(demo):
    falcon = project(insiders=["mcrossman", "dwhitfield"])
    entry = ListEntry.objects.get(project=falcon, person=person("dwhitfield"))
    assert entry.added_by == user("swhalen") and entry.reason == "Works on it" and entry.acknowledged_at is None
    assert OutboxItem.objects.filter(dedupe_key=f"insiders:entry:{entry.pk}").exists()
    with pytest.raises(InsiderError):
        services.insider_acknowledge(entry_id=entry.pk, actor=user("mcrossman"))  # not theirs
    services.insider_acknowledge(entry_id=entry.pk, actor=user("dwhitfield"))
    assert ListEntry.objects.get(pk=entry.pk).acknowledged_at is not None
    with pytest.raises(InsiderError, match="already on the list"):
        services.insider_add(project_id=falcon.pk, actor=user("swhalen"), person_id=person("dwhitfield").pk, reason="x")


def test_a_frozen_list_refuses_every_change_ins1(demo):
    falcon = project(insiders=["dwhitfield"])
    entry = falcon.entries.get()
    services.project_close(project_id=falcon.pk, actor=user("swhalen"), public_on=timezone.localdate())
    with pytest.raises(InsiderError, match="frozen"):
        services.insider_add(project_id=falcon.pk, actor=user("swhalen"), person_id=person("jbrooks").pk, reason="x")
    with pytest.raises(InsiderError, match="frozen"):
        services.insider_acknowledge(entry_id=entry.pk, actor=user("dwhitfield"))
    with pytest.raises(InsiderError, match="frozen"):
        services.project_close(project_id=falcon.pk, actor=user("swhalen"), public_on=timezone.localdate())
    with pytest.raises(InsiderError, match="frozen"):
        services.window_event(actor=user("swhalen"), project_id=falcon.pk, start=date.today(), end=date.today())
    assert falcon.entries.count() == 1


def test_only_the_compliance_officer_manages_projects(demo):
    with pytest.raises(InsiderError):
        project(by="jgrant")
    with pytest.raises(InsiderError):
        project(by="areyes")


def test_quarterly_window_from_the_configured_numbers_ins4(demo, settings):
    settings.INNOVO = {
        **settings.INNOVO, "BLACKOUT_DAYS_BEFORE_QUARTER_END": 15, "BLACKOUT_TRADING_DAYS_AFTER_RELEASE": 2,
        "HOLIDAYS": [date(2027, 2, 15)],
    }  # fmt: skip
    made = services.window_quarterly(
        actor=user("swhalen"), quarter_end=date(2026, 12, 31), earnings_release=date(2027, 2, 11)
    )
    assert (made.start, made.end, made.name) == (date(2026, 12, 16), date(2027, 2, 16), "Q4 2026 results")
    with pytest.raises(InsiderError, match="already a window"):
        services.window_quarterly(
            actor=user("swhalen"), quarter_end=date(2026, 12, 31), earnings_release=date(2027, 2, 11)
        )
    with pytest.raises(InsiderError, match="last day of a quarter"):
        services.window_quarterly(
            actor=user("swhalen"), quarter_end=date(2026, 12, 30), earnings_release=date(2027, 2, 11)
        )


def test_window_open_and_close_notices_are_sent_once_ins4(demo):
    today = date.today()
    current = window(today - timedelta(days=1), today + timedelta(days=2), name="Current")
    ended = window(today - timedelta(days=10), today - timedelta(days=2), name="Ended")
    old = window(today - timedelta(days=60), today - timedelta(days=30), name="Long ago")
    assert notify.dispatch_window_notices(today=today) == 2
    assert notify.dispatch_window_notices(today=today) == 0  # a second run sends nothing
    opened = OutboxItem.objects.get(dedupe_key=f"insiders:window:{current.pk}:opened")
    closed = OutboxItem.objects.get(dedupe_key=f"insiders:window:{ended.pk}:closed")
    assert not OutboxItem.objects.filter(dedupe_key__startswith=f"insiders:window:{old.pk}:").exists()
    covered = opened.recipients.split("\n")
    assert person("mcrossman").email in covered and person("areyes").email in covered  # officer, director
    assert person("jbrooks").email not in covered and person("jgrant").email not in covered
    assert "Blackout window open" in opened.subject and "closed" in closed.subject
    # The day after the current window ends: its "closed" notice, once.
    later = today + timedelta(days=3)
    assert notify.dispatch_window_notices(today=later) == 1
    assert notify.dispatch_window_notices(today=later) == 0
    assert Window.objects.count() == 3


def test_the_beat_task_runs_the_notices(demo):
    from insiders.tasks import dispatch_window_notices

    window(date.today(), date.today() + timedelta(days=1))
    assert dispatch_window_notices.delay().get() == 1
    assert dispatch_window_notices.delay().get() == 0
