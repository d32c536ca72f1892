"""Every change in insider trading is one function here: it locks what it
changes, checks `can()` and the rules (policy.insiders), saves, writes an Event
(who, what, why, rule id), and queues e-mails through the outbox in the same
transaction (insiders.notify).

INS-1/INS-3: projects and their insider lists; a closed project's list is
frozen. INS-4: blackout windows and pre-clearance. INS-5: the Form 4 reminder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from innovo_compliance.permissions import can
from innovo_compliance.permissions.common import person
from insiders import notify, selectors
from insiders.models import Event, ListEntry, Project, Request, Window
from people.models import Person
from people.selectors import roles_on
from policy import insiders as rules
from policy.outcomes import Outcome, Verdict


class InsiderError(Exception):
    """A refused change, with a message for the person who asked."""


def _require(actor, action: str, obj=None) -> None:
    if not can(actor, action, obj):
        raise InsiderError("You are not allowed to do that.")


def _label(user) -> str:
    me = person(user)
    return me.name if me else (user.get_username() if user else "system")


def _event(*, actor, action: str, detail: str = "", rule_id: str = "", project=None, request=None) -> Event:
    return Event.objects.create(
        actor=actor,
        actor_label=_label(actor),
        action=action,
        detail=detail,
        rule_id=rule_id,
        project=project,
        request=request,
    )


def _config(name: str) -> int:
    return settings.INNOVO[name]


# --- Projects and insider lists (INS-1, INS-2, INS-3) ---------------------------------


@dataclass
class ProjectInput:
    name: str
    kind: str
    description: str = ""
    other_company: str = ""
    other_ticker: str = ""


def project_open(*, actor, data: ProjectInput) -> Project:
    """Open a project with material non-public information (the compliance officer)."""
    _require(actor, "insiders.manage")
    if not data.name.strip():
        raise InsiderError("Give the project a name.")
    if data.kind == Project.Kind.OTHER_COMPANY and not (data.other_company.strip() or data.other_ticker.strip()):
        raise InsiderError("Name the other company or its ticker (INS-3).")
    with transaction.atomic():
        project = Project.objects.create(
            name=data.name.strip(),
            kind=data.kind,
            description=data.description.strip(),
            other_company=data.other_company.strip() if data.kind == Project.Kind.OTHER_COMPANY else "",
            other_ticker=data.other_ticker.strip().upper() if data.kind == Project.Kind.OTHER_COMPANY else "",
            opened_on=timezone.localdate(),
            opened_by=actor,
        )
        _event(actor=actor, action="project_opened", detail=project.name, project=project, rule_id="INS-1")
    return project


def _lock_open(project_id: int) -> Project:
    project = Project.objects.select_for_update().get(pk=project_id)
    if not project.is_open:
        raise InsiderError(
            f"{project.name} was closed on {project.public_on or project.closed_at.date()}: "
            "its insider list is frozen and cannot be changed."
        )
    return project


def insider_add(*, project_id: int, actor, person_id: int, reason: str) -> ListEntry:
    """INS-2: put someone on a project's list (who, when, by whom, why)."""
    _require(actor, "insiders.manage")
    if not reason.strip():
        raise InsiderError("Say why this person needs to know (INS-2).")
    with transaction.atomic():
        project = _lock_open(project_id)
        insider = Person.objects.filter(pk=person_id).first()
        if insider is None:
            raise InsiderError("Choose someone from the roster.")
        if ListEntry.objects.filter(project=project, person=insider).exists():
            raise InsiderError(f"{insider.name} is already on the list of {project.name}.")
        entry = ListEntry.objects.create(project=project, person=insider, added_by=actor, reason=reason.strip())
        _event(
            actor=actor,
            action="insider_added",
            detail=f"{insider.name}: {entry.reason}",
            project=project,
            rule_id="INS-2",
        )
        notify.added(entry)
    return entry


def insider_acknowledge(*, entry_id: int, actor) -> ListEntry:
    """INS-2, INS-3: the insider confirms they were told the information is
    material and non-public, and what that means for them."""
    with transaction.atomic():
        entry = ListEntry.objects.select_for_update().select_related("project", "person").get(pk=entry_id)
        _require(actor, "insider_list.acknowledge", entry)
        _lock_open(entry.project_id)
        entry.acknowledged_at = timezone.now()
        entry.save(update_fields=["acknowledged_at"])
        _event(
            actor=actor,
            action="insider_acknowledged",
            detail=entry.person.name,
            project=entry.project,
            rule_id="INS-3" if entry.project.about_other_company else "INS-2",
        )
    return entry


def project_close(*, project_id: int, actor, public_on: date) -> Project:
    """INS-1: the information is public: the project closes and its list is frozen."""
    _require(actor, "insiders.manage")
    with transaction.atomic():
        project = _lock_open(project_id)
        if public_on > timezone.localdate():
            raise InsiderError("The day it became public cannot be in the future.")
        if public_on < project.opened_on:
            raise InsiderError("The day it became public cannot be before the project was opened.")
        project.public_on = public_on
        project.closed_at = timezone.now()
        project.closed_by = actor
        project.save(update_fields=["public_on", "closed_at", "closed_by"])
        _event(actor=actor, action="project_closed", detail=f"public on {public_on}", project=project, rule_id="INS-1")
    return project


# --- Blackout windows (INS-4) --------------------------------------------------------------


def window_quarterly(*, actor, quarter_end: date, earnings_release: date) -> Window:
    """INS-4: the quarterly window from the configured days before the quarter ends
    until the configured trading day after the earnings release."""
    _require(actor, "insiders.manage")
    if rules.quarter_end(quarter_end) != quarter_end:
        raise InsiderError("Enter the last day of a quarter (March 31, June 30, September 30 or December 31).")
    try:
        start, end = rules.quarterly_blackout(
            quarter_ends_on=quarter_end,
            earnings_release=earnings_release,
            days_before=_config("BLACKOUT_DAYS_BEFORE_QUARTER_END"),
            trading_days_after=_config("BLACKOUT_TRADING_DAYS_AFTER_RELEASE"),
            holidays=selectors.holidays(),
        )
    except ValueError as error:
        raise InsiderError(str(error)) from None
    quarter = (quarter_end.month - 1) // 3 + 1
    try:
        with transaction.atomic():
            window = Window.objects.create(
                kind=Window.Kind.QUARTERLY,
                name=f"Q{quarter} {quarter_end.year} results",
                start=start,
                end=end,
                quarter_end=quarter_end,
                earnings_release=earnings_release,
                created_by=actor,
            )
            _event(actor=actor, action="window_created", detail=str(window), rule_id="INS-4")
    except IntegrityError:
        raise InsiderError(f"There is already a window for the quarter ending {quarter_end}.") from None
    return window


def window_event(*, actor, project_id: int, start: date, end: date) -> Window:
    """INS-4: a window tied to a project, covering its list."""
    _require(actor, "insiders.manage")
    if end < start:
        raise InsiderError("The window cannot end before it starts.")
    with transaction.atomic():
        project = _lock_open(project_id)
        window = Window.objects.create(
            kind=Window.Kind.EVENT, name=project.name, start=start, end=end, project=project, created_by=actor
        )
        _event(actor=actor, action="window_created", detail=str(window), project=project, rule_id="INS-4")
    return window


# --- Pre-clearance (INS-1, INS-3, INS-4, INS-5) -----------------------------------------------


def preclearance_assess(*, requester: Person, facts: rules.TradeFacts, today: date) -> Outcome:
    """The policy's verdict for `requester` (their roles today and on the planned date)."""
    roles_today = roles_on(requester, today)
    roles_then = roles_on(requester, facts.planned_date) if facts.planned_date != today else roles_today
    windows = [
        rules.Window(name=w.name, start=w.start, end=w.end)
        for w in selectors.windows_covering(requester, facts.planned_date, roles=roles_then)
    ]
    return rules.assess_preclearance(
        facts=facts,
        roles=roles_today,
        on_lists=selectors.policy_projects(requester),
        windows=windows,
        organisation=settings.INNOVO["ORGANISATION"],
    )


def preclearance_request(*, actor, facts: rules.TradeFacts, note: str = "") -> Request:
    """Ask before trading. The policy decides first: refused with its rule ids and
    reasons (INS-1, INS-3, INS-4), or routed to the compliance officer (the audit
    committee for the compliance officer's own request)."""
    _require(actor, "preclearance.create")
    requester = person(actor)
    today = timezone.localdate()
    if facts.planned_date < today:
        raise InsiderError("The planned date cannot be in the past.")
    outcome = preclearance_assess(requester=requester, facts=facts, today=today)
    refused = outcome.verdict == Verdict.PROHIBITED
    with transaction.atomic():
        request = Request.objects.create(
            requester=requester,
            security=facts.security,
            other_company=facts.company.strip(),
            other_ticker=facts.ticker.strip().upper(),
            side=facts.side,
            quantity=facts.quantity,
            planned_date=facts.planned_date,
            trading_plan=facts.trading_plan,
            note=note.strip(),
            status=rules.Status.REFUSED if refused else rules.Status.PENDING,
            outcome=outcome.to_dict(),
            rule_ids=list(outcome.deciding_rule_ids),
            decider="" if refused else outcome.approver.value,
        )
        _event(
            actor=actor,
            action="refused" if refused else "requested",
            detail=" ".join(outcome.reasons),
            rule_id=", ".join(outcome.deciding_rule_ids),
            request=request,
        )
        if not refused:
            notify.requested(request)
    return request


def _lock_request(request_id: int) -> Request:
    return Request.objects.select_for_update().select_related("requester").get(pk=request_id)


def preclearance_decide(*, request_id: int, actor, approve: bool, note: str = "") -> Request:
    """The compliance officer (or the audit committee) approves or denies, with a
    note. An approval is valid for the configured trading days (INS-4)."""
    with transaction.atomic():
        request = _lock_request(request_id)
        _require(actor, "preclearance.decide", request)
        status = rules.Status.APPROVED if approve else rules.Status.DENIED
        if not rules.can_transition(request.status, status):
            raise InsiderError(f"This request is {request.status_label.lower()}: it cannot be decided now.")
        if not approve and not note.strip():
            raise InsiderError("Say why it is denied: the requester reads the note.")
        today = timezone.localdate()
        if approve:
            request.valid_from, request.valid_through = rules.clearance_window(
                approved_on=today,
                planned_date=request.planned_date,
                trading_days=_config("PRECLEARANCE_VALID_TRADING_DAYS"),
                holidays=selectors.holidays(),
            )
        request.status = status
        request.decided_by = actor
        request.decided_by_label = _label(actor)
        request.decided_at = timezone.now()
        request.decision_note = note.strip()
        request.save()
        detail = f"valid {request.valid_from} to {request.valid_through}" if approve else request.decision_note
        _event(actor=actor, action=status.value, detail=detail, rule_id="INS-4", request=request)
        notify.decided(request)
    return request


def preclearance_report(
    *,
    request_id: int,
    actor,
    traded: bool,
    trade_date: date | None = None,
    quantity: int | None = None,
    price: Decimal | None = None,
) -> Request:
    """The requester reports the trade (date, quantity, price) or that it did not
    happen. A trade outside the approval's window is refused (INS-4). Directors
    and executive officers are reminded that Form 4 is due (INS-5)."""
    with transaction.atomic():
        request = _lock_request(request_id)
        _require(actor, "preclearance.report", request)
        status = rules.Status.TRADED if traded else rules.Status.NOT_TRADED
        if not rules.can_transition(request.status, status):
            raise InsiderError(f"This request is {request.status_label.lower()}: only an approval can be reported on.")
        if traded:
            if trade_date is None or not quantity or price is None:
                raise InsiderError("Enter the trade's date, quantity and price.")
            if not rules.trade_within(trade_date, request.valid_from, request.valid_through):
                raise InsiderError(
                    f"This approval was valid from {request.valid_from:%B} {request.valid_from.day} through "
                    f"{request.valid_through:%B} {request.valid_through.day}, {request.valid_through.year}; a trade on "
                    f"{trade_date:%B} {trade_date.day}, {trade_date.year} cannot be reported against it (INS-4). "
                    "Ask for a new pre-clearance."
                )
            if trade_date > timezone.localdate():
                raise InsiderError("A trade cannot be reported before it happens.")
            if quantity > request.quantity:
                raise InsiderError(f"The approval covers at most {request.quantity} shares.")
            request.trade_date, request.trade_quantity, request.trade_price = trade_date, quantity, price
            if rules.form4_required(roles_on(request.requester, trade_date)):
                request.form4_due = rules.form4_due(trade_date, selectors.holidays())
        request.status = status
        request.reported_at = timezone.now()
        request.save()
        detail = f"{quantity} at {price} on {trade_date}" if traded else "did not trade"
        _event(
            actor=actor,
            action=status.value,
            detail=detail,
            rule_id="INS-5" if request.form4_due else "INS-4",
            request=request,
        )
        if request.form4_due:
            notify.form4_reminder(request)
    return request
