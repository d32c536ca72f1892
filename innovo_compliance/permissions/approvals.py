"""Access rules for filings (conflicts, gifts, pre-approvals, waivers) and decisions.

Seeing a filing is decided by `permissions.cases.visible_cases` (one rule for the
whole case family): the filer sees their own, drafts included; the compliance
officer sees every submitted filing not about themselves; the board liaison sees
those routed to the Board; audit committee members those routed to the committee;
a supervisor the outside-employment filings of their direct reports.

Deciding (BRIEF.md's routing table, by the decider stored at filing, which the
filer's roles on the filing date chose):

| filing routed to | who decides (today's role) |
|---|---|
| compliance officer (COI-1, COI-3, WAIVE-1) | the compliance officer |
| supervisor (COI-8) | the filer's supervisor, or the compliance officer |
| Board or its committee (COI-2, COI-7, WAIVE-2, RPT-1) | the board liaison records the Board's decision |
| audit committee (the compliance officer's own filings) | an audit committee member |

Nobody decides, or records a decision on, their own filing. Which status a filing
must be in for an action is the transition table's business (policy.workflow),
checked by the services, so a refused move reads as a clear message, not a 403.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from approvals.models import Decision, WaiverDisclosure
from cases.models import CaseParty
from cases.routing import about_ids, board_recorder_ids
from innovo_compliance.permissions.cases import about_q, routed_to, supervised_q, visible_cases, works
from innovo_compliance.permissions.common import person, roles
from people.models import Designation, RoleDesignation
from policy.routing import Decider
from policy.workflow import Status

FILING_KINDS = ("conflict", "gift", "preapproval", "waiver")


def is_filing(case) -> bool:
    return case is not None and case.kind in FILING_KINDS


def is_filer(user, case) -> bool:
    me = person(user)
    return is_filing(case) and me is not None and case.filer_id == me.id


def decides(user, case) -> bool:
    """May record the decision on this filing (approve, deny, ask for information).
    Nobody decides a filing they filed or that is about them (likely or not). The
    Board's decision is recorded by a board liaison, or by the next recorder when
    every liaison is conflicted (cases.routing.board_recorder_ids)."""
    me = person(user)
    if not is_filing(case) or me is None or case.filer_id == me.id or case.status == Status.DRAFT:
        return False
    if me.id in about_ids(case):
        return False
    r = roles(user)
    decider = case.decider
    if decider == Decider.COMPLIANCE_OFFICER:
        return r.is_compliance_officer
    if decider == Decider.SUPERVISOR:
        return r.is_compliance_officer or (case.filer is not None and case.filer.supervisor_id == me.id)
    if decider == Decider.BOARD:
        if r.is_board_liaison:
            return True
        return r.is_compliance_officer and me.id in board_recorder_ids(case, timezone.localdate())
    if decider == Decider.AUDIT_COMMITTEE:
        return r.is_audit_committee_member
    return False


def _every_liaison_conflicted_q() -> Q:
    """Board filings that every board liaison filed or is named in (the compliance
    officer records them: cases.routing.board_recorder_ids), as one condition: no
    liaison of today is free of the filing (also when there is no liaison)."""
    free = RoleDesignation.objects.on(timezone.localdate()).filter(role=Designation.BOARD_LIAISON)
    free = free.exclude(person_id=OuterRef("filer_id")).exclude(
        Exists(
            CaseParty.objects.filter(
                case_id=OuterRef(OuterRef("pk")),
                person_id=OuterRef("person_id"),
                role__in=CaseParty.EXCLUDING_ROLES,
                status__in=CaseParty.EXCLUDING_STATUSES,
            )
        )
    )
    return Q(decider=Decider.BOARD) & ~Exists(free)


def inbox_base_q(user) -> Q:
    """What the kept counts sum for the inbox: filings routed to a decider this user
    is by role, drafts aside (cases.counts corrects for the people involved)."""
    return Q(decider__in=deciding_deciders(user), kind__in=FILING_KINDS) & ~Q(status=Status.DRAFT)


def deciding_deciders(user) -> list[str]:
    """The deciders whose filings this user decides by role (the kept counts sum
    these; `deciding_q` adds the filings that depend on people, not columns)."""
    r = roles(user)
    deciders = []
    if r.is_compliance_officer:
        deciders += [Decider.COMPLIANCE_OFFICER, Decider.SUPERVISOR]
    if r.is_board_liaison:
        deciders.append(Decider.BOARD)
    if r.is_audit_committee_member:
        deciders.append(Decider.AUDIT_COMMITTEE)
    return deciders


def deciding_extra_q(user, me) -> Q:
    """Filings decided because of who is involved: a direct report's filing routed
    to its supervisor (COI-8), and, for the compliance officer, a Board filing every
    liaison is conflicted on."""
    q = supervised_q(me)
    r = roles(user)
    if r.is_compliance_officer and not r.is_board_liaison:
        q |= _every_liaison_conflicted_q()
    return q


def deciding_q(user, *, extra: Q | None = None) -> Q:
    """The filings `decides` answers yes for (status aside), as a query: the inbox.
    `extra`: `deciding_extra_q(user, me)` when the caller has it already."""
    me = person(user)
    if me is None:
        return Q(pk__in=[])
    q = deciding_extra_q(user, me) if extra is None else extra
    deciders = deciding_deciders(user)
    if deciders:
        q |= Q(decider__in=deciders)
    return q & Q(kind__in=FILING_KINDS) & ~Q(filer=me) & ~Q(status=Status.DRAFT) & ~about_q(me)


def has_inbox(user) -> bool:
    """Anyone who may decide filings: the deciding roles, and supervisors."""
    r = roles(user)
    return r.is_compliance_officer or r.is_board_liaison or r.is_audit_committee_member or r.supervises


def marks_disclosures(user, disclosure) -> bool:
    """WAIVE-2: the compliance officer (or the board liaison) records the public
    disclosure of a waiver, never the person the waiver was granted to."""
    r = roles(user)
    if not (r.is_compliance_officer or r.is_board_liaison):
        return False
    return disclosure is None or not is_filer(user, disclosure.case)


def _handles(user, case) -> bool:
    """Sees the internal side of a filing: whoever decides it, and the compliance
    officer and board liaison who see it by role."""
    if decides(user, case):
        return True
    me = person(user)
    if not is_filing(case) or me is None or case.filer_id == me.id:
        return False
    r = roles(user)
    return r.is_compliance_officer or (r.is_board_liaison and case.decider == Decider.BOARD)


ACTIONS = {
    "filing.create": lambda user, obj: person(user) is not None,
    "filing.edit": is_filer,
    "filing.submit": is_filer,
    "filing.withdraw": is_filer,
    "filing.answer": is_filer,
    "filing.renew": is_filer,
    "filing.reconfirm": is_filer,
    "filing.decide": decides,
    "filing.request_info": decides,
    "filing.see_internal": _handles,
    # People in a case: any handler adds them; confirming or clearing (a likely
    # match, or someone already on it) is for the role the case is routed to, or
    # for whoever decides a filing.
    "case.party_add": lambda user, case: works(user, case) or _handles(user, case),
    "case.party_review": lambda user, case: (
        (case is not None and not is_filing(case) and routed_to(user, case)) or _handles(user, case)
    ),
    "approvals.inbox": lambda user, obj: has_inbox(user),
    "disclosure.mark": marks_disclosures,
    "disclosure.list": lambda user, obj: marks_disclosures(user, None),
}


def _decisions(user):
    return Decision.objects.filter(case__in=visible_cases(user))


def _disclosures(user):
    return WaiverDisclosure.objects.filter(case__in=visible_cases(user))


VISIBLE = {Decision: _decisions, WaiverDisclosure: _disclosures}
