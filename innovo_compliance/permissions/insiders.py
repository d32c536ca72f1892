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

from django.db.models import Q

from innovo_compliance.permissions.common import is_audit_member, is_compliance_officer, person, roles
from insiders.models import ListEntry, Project, Request, Window
from policy.insiders import Status, is_designated_insider
from policy.routing import Decider


def may_ask(user, obj=None) -> bool:
    """INS-4: designated insiders ask before trading; so does anyone on an insider
    list (INS-1, INS-3), who will be told why not while the project is open."""
    me = person(user)
    if me is None:
        return False
    return is_designated_insider(roles(user)) or ListEntry.objects.filter(person=me).exists()


def has_page(user, obj=None) -> bool:
    """ "Insider trading" for the people it concerns: insiders, list members, and
    anyone who has asked before."""
    me = person(user)
    return me is not None and (may_ask(user) or Request.objects.filter(requester=me).exists())


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
