"""Insider trading (INS-1..INS-5): projects and their lists are the compliance
officer's; a pre-clearance request is seen by its requester, the compliance
officer, and the audit committee members when it was routed to them (the
compliance officer's own requests); an insider sees their own list entries.
Nobody else sees anything (404).

- designated insider, or someone on a list: sees their own requests and list
  entries; asks for pre-clearance, acknowledges, reports the trade;
- compliance officer: sees every project, list, window and request; manages
  projects, lists and windows; decides requests (never their own);
- audit committee member: sees the requests routed to the committee and decides
  them (never their own).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from innovo_compliance.permissions.common import is_audit_member, is_compliance_officer, person, roles
from insiders.models import ListEntry, Project, Request, Window
from people.models import Person
from policy.insiders import Status, is_designated_insider
from policy.routing import Decider


def _listed_or_asked(user, me) -> tuple[bool, bool]:
    """(on an insider list, asked for pre-clearance before): one query, kept on the
    user object for the request (the menu and the home page both ask)."""
    cached = getattr(user, "_innovo_insider_facts", None)
    if cached is None or cached[0] != me.pk:
        facts = (
            Person.objects.filter(pk=me.pk)
            .annotate(
                listed=Exists(ListEntry.objects.filter(person=OuterRef("pk"))),
                asked=Exists(Request.objects.filter(requester=OuterRef("pk"))),
            )
            .values_list("listed", "asked")
            .get()
        )
        cached = (me.pk, facts)
        user._innovo_insider_facts = cached
    return cached[1]


def may_ask(user, obj=None) -> bool:
    """INS-4: designated insiders ask before trading; so does anyone on an insider
    list (INS-1, INS-3), who will be told why not while the project is open."""
    me = person(user)
    if me is None:
        return False
    return is_designated_insider(roles(user)) or _listed_or_asked(user, me)[0]


def has_page(user, obj=None) -> bool:
    """The "Insider trading" page is for the people it concerns: insiders, list
    members, and anyone who has asked before."""
    me = person(user)
    if me is None:
        return False
    return is_designated_insider(roles(user)) or any(_listed_or_asked(user, me))


def decides(user, request) -> bool:
    me = person(user)
    if me is None or request is None or request.requester_id == me.id or request.status != Status.PENDING:
        return False
    if request.decider == Decider.COMPLIANCE_OFFICER:
        return is_compliance_officer(user)
    if request.decider == Decider.AUDIT_COMMITTEE:
        return is_audit_member(user)
    return False


def reports(user, request) -> bool:
    me = person(user)
    return me is not None and request is not None and request.requester_id == me.id


def acknowledges(user, entry) -> bool:
    me = person(user)
    return me is not None and entry is not None and entry.person_id == me.id and entry.acknowledged_at is None


def has_inbox(user, obj=None) -> bool:
    return is_compliance_officer(user) or is_audit_member(user)


ACTIONS = {
    "insiders.page": has_page,
    # The menu entry costs no query (it is on every page): designated insiders only;
    # someone who is only on a list reaches the page from their home page and e-mail.
    "insiders.menu": lambda user, obj=None: person(user) is not None and is_designated_insider(roles(user)),
    "preclearance.create": may_ask,
    "preclearance.decide": decides,
    "preclearance.report": reports,
    "preclearance.inbox": has_inbox,
    "insiders.manage": lambda user, obj=None: is_compliance_officer(user),
    "insider_list.acknowledge": acknowledges,
}


def _requests(user):
    me = person(user)
    if me is None:
        return Request.objects.none()
    q = Q(requester=me)
    if is_compliance_officer(user):
        q = Q()
    elif is_audit_member(user):
        q |= Q(decider=Decider.AUDIT_COMMITTEE)
    return Request.objects.filter(q)


def _entries(user):
    me = person(user)
    if me is None:
        return ListEntry.objects.none()
    if is_compliance_officer(user):
        return ListEntry.objects.all()
    return ListEntry.objects.filter(person=me)


def _manager_only(model):
    def rule(user):
        return model.objects.all() if is_compliance_officer(user) else model.objects.none()

    return rule


VISIBLE = {
    Request: _requests,
    ListEntry: _entries,
    Project: _manager_only(Project),
    Window: _manager_only(Window),
}
