"""Who sees and works which case (BRIEF.md's routing table; issue "Speak up" §9).

Seeing:
- everyone sees their own filings (as the filer), drafts included;
- the compliance officer sees every submitted case, except cases about themselves;
- the HR director sees harassment cases and cases routed to them (REP-3);
- audit committee members see accounting cases and cases routed to the
  committee (REP-2);
- the board liaison sees cases routed to the Board (COI-2, WAIVE-2);
- a supervisor sees outside-employment filings of their direct reports routed
  to them (COI-8);
- an investigator, like anyone, sees the cases assigned to them;
- a person named as a subject never sees the case, nor learns it exists.
Working (acting on) a case needs a handling role for that case, and nobody works
a case they filed or are a subject of.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from cases.models import Case, CaseParty
from cases.routing import about_ids
from innovo_compliance.permissions.common import person, roles
from policy.routing import Category, Decider
from policy.workflow import Status

CASE_KINDS = ("report", "question")
_ALL = Q(pk__isnull=False)
_NONE = Q(pk__in=[])


def about_q(me) -> Exists:
    """Cases about `me`: a subject or related person, confirmed or likely."""
    return Exists(
        CaseParty.objects.filter(
            case=OuterRef("pk"),
            person=me,
            role__in=CaseParty.EXCLUDING_ROLES,
            status__in=CaseParty.EXCLUDING_STATUSES,
        )
    )


def handling_clauses(user, me) -> list[dict]:
    """Cases this user handles by role or assignment, as equalities on the columns
    the kept counts are grouped by (cases.counts): any clause may match; `[{}]` is
    every case. Cases routed to a supervisor depend on the filer's supervisor, which
    is not such a column: `supervised_q` adds them."""
    r = roles(user)
    if r.is_compliance_officer:
        return [{}]
    clauses = [{"assignee_id": me.pk}]
    if r.is_hr_director:
        clauses += [{"decider": Decider.HR_DIRECTOR}, {"category": Category.HARASSMENT}]
    if r.is_audit_committee_member:
        clauses += [{"decider": Decider.AUDIT_COMMITTEE}, {"category": Category.ACCOUNTING}]
    if r.is_board_liaison:
        clauses += [{"decider": Decider.BOARD}]
    return clauses


def clauses_q(clauses: list[dict]) -> Q:
    q = _NONE
    for clause in clauses:
        q |= Q(**clause) if clause else _ALL
    return q


def supervised_q(me) -> Q:
    """Filings of `me`'s direct reports routed to their supervisor (COI-8)."""
    return Q(decider=Decider.SUPERVISOR, filer__supervisor=me)


def _handling_q(user, me) -> Q:
    """Cases this user handles by role or assignment (before the subject exclusion)."""
    clauses = handling_clauses(user, me)
    if {} in clauses:  # every case: no join to the filer's supervisor
        return _ALL
    return clauses_q(clauses) | supervised_q(me)


def visible_q(user) -> Q:
    """The cases `user` sees, as a query condition (`visible_cases` is its queryset)."""
    me = person(user)
    if me is None:
        return _NONE
    return Q(filer=me) | (_handling_q(user, me) & ~Q(status=Status.DRAFT) & ~about_q(me))


def visible_cases(user):
    if person(user) is None:
        return Case.objects.none()
    return Case.objects.filter(visible_q(user))


def _excluded(me, case) -> bool:
    """Nobody works a case they filed, a case about them (likely or not), or a draft."""
    return me is None or case.filer_id == me.id or me.id in about_ids(case) or case.status == Status.DRAFT


def routed_to(user, case) -> bool:
    """The case is routed to this user's role (not merely assigned to them)."""
    me = person(user)
    if _excluded(me, case):
        return False
    r = roles(user)
    if r.is_compliance_officer:
        return True
    if r.is_hr_director and (case.decider == Decider.HR_DIRECTOR or case.category == Category.HARASSMENT):
        return True
    if r.is_audit_committee_member and (
        case.decider == Decider.AUDIT_COMMITTEE or case.category == Category.ACCOUNTING
    ):
        return True
    if r.is_board_liaison and case.decider == Decider.BOARD:
        return True
    return case.decider == Decider.SUPERVISOR and case.filer is not None and case.filer.supervisor_id == me.id


def is_handler(user, case) -> bool:
    """May work this case: routed to their role, or assigned to them."""
    me = person(user)
    return not _excluded(me, case) and (case.assignee_id == me.id or routed_to(user, case))


def _is_report_or_question(case) -> bool:
    """Filings (conflicts, gifts, pre-approvals, waivers) change state only through
    the filing services (permissions.approvals); the case actions do not apply."""
    return case is not None and case.kind in CASE_KINDS


def works(user, case) -> bool:
    """May change a report or question: status, notes, messages, tasks, links."""
    return _is_report_or_question(case) and is_handler(user, case)


def _is_filer(user, case) -> bool:
    me = person(user)
    return me is not None and case.filer_id == me.id


def works_cases(user) -> bool:
    """Has a queue: a handling role, or cases assigned."""
    r = roles(user)
    return (
        r.is_compliance_officer
        or r.is_hr_director
        or r.is_audit_committee_member
        or r.is_board_liaison
        or r.is_investigator
    )


def assigns_cases(user) -> bool:
    """Has a role that cases are routed to, so may assign some (docs/access.md)."""
    r = roles(user)
    return r.is_compliance_officer or r.is_hr_director or r.is_audit_committee_member or r.is_board_liaison


ACTIONS = {
    "case.work": works,
    "case.see_internal": lambda user, case: is_handler(user, case),
    "case.assign": lambda user, case: _is_report_or_question(case) and routed_to(user, case),
    "case.withdraw": lambda user, case: (
        _is_report_or_question(case) and case.is_open and (_is_filer(user, case) or is_handler(user, case))
    ),
    "case.message_as_filer": lambda user, case: _is_filer(user, case) and not case.anonymous,
    "case.hold": lambda user, case: roles(user).is_compliance_officer and is_handler(user, case),
    "queue.view": lambda user, obj: works_cases(user),
    # Bulk assignment in the queue: the roles cases are routed to (not investigators,
    # who only work what they are given); each case still answers "case.assign".
    "queue.assign": lambda user, obj: assigns_cases(user),
    "register.export": lambda user, obj: roles(user).is_compliance_officer or roles(user).is_audit_committee_member,
    "hold.manage": lambda user, obj: roles(user).is_compliance_officer,
}
VISIBLE = {Case: visible_cases}
