"""People in a case: roster links with a role (subject, witness, related person).

At intake, people picked from the roster are confirmed parties; names typed by
the reporter and names found in the description are matched against the roster
(people.matching) and recorded as *likely* parties. A likely subject or related
person counts for routing and visibility (the case goes one level up and they
never see it) until a handler one level up confirms or clears it, with an event.
After filing, handlers add people and clear them; every change re-routes the
case at once, and a case about its assignee loses its assignee.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from cases import notify
from cases.models import Case, CaseParty
from cases.routing import about_ids, route_case
from cases.services.common import CaseError, CaseNotFound, lock, record_event, require
from cases.services.search import refresh_search_text
from innovo_compliance.text import sentence
from people.matching import match_name, match_prose
from people.models import Person
from policy.routing import Category, filing_routing_flags

MAX_CANDIDATES = 10
"""A typed name that could be more people than this is kept as typed, for a handler to link."""
MAX_LINES = 20


@dataclass
class Party:
    person: Person | None = None
    name: str = ""
    role: str = CaseParty.SUBJECT
    status: str = CaseParty.CONFIRMED
    matched_from: str = ""

    @property
    def excludes(self) -> bool:
        return (
            self.person is not None
            and self.role in CaseParty.EXCLUDING_ROLES
            and self.status in CaseParty.EXCLUDING_STATUSES
        )


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()][:MAX_LINES]


def resolve(
    *,
    picked: list[Party] = (),
    typed: dict[str, str] | None = None,
    prose: list[str] = (),
    prose_role: str = CaseParty.SUBJECT,
    skip: set[int] = frozenset(),
    keep_unmatched: bool = True,
) -> list[Party]:
    """Intake's parties: `picked` from the roster (confirmed), `typed` names per role
    ({role: "one name per line"}, matched: likely), names found in `prose`
    (likely, with `prose_role`). People in `skip` (the filer) are left out."""
    parties: list[Party] = []
    seen: set[tuple[int, str]] = set()

    def add(party: Party) -> None:
        if party.person is not None:
            if party.person.pk in skip or (party.person.pk, party.role) in seen:
                return
            seen.add((party.person.pk, party.role))
        parties.append(party)

    for party in picked:
        add(Party(person=party.person, role=party.role, status=party.status, matched_from=party.matched_from))
    for role, text in (typed or {}).items():
        for line in lines(text):
            matches = [(p, t) for p, t in match_name(line) if p.pk not in skip]
            if matches and len(matches) <= MAX_CANDIDATES:
                for person, _ in matches:
                    add(Party(person=person, name=line[:200], role=role, status=CaseParty.LIKELY, matched_from=line))
            elif keep_unmatched:
                add(Party(name=line[:200], role=role, status=CaseParty.CONFIRMED))
    for text in prose:
        for person, found in match_prose(text):
            if not any(p.person is not None and p.person.pk == person.pk for p in parties):
                add(Party(person=person, role=prose_role, status=CaseParty.LIKELY, matched_from=found[:300]))
    return parties


def about(parties: list[Party]) -> set[int]:
    return {p.person.pk for p in parties if p.excludes}


def store(case: Case, parties: list[Party]) -> list[CaseParty]:
    return [
        CaseParty.objects.create(
            case=case,
            person=p.person,
            name=p.name.strip()[:200],
            role=p.role,
            status=p.status,
            matched_from=p.matched_from[:300],
        )
        for p in parties
        if p.person is not None or p.name.strip()
    ]


# --- after filing ------------------------------------------------------------------


def new_decider(case: Case) -> str:
    """Where the case goes today with the people it is about now (routing on the
    filing date's roles, ROLE-1)."""
    subjects = about_ids(case)
    if case.is_filing:
        flags = filing_routing_flags(
            case.kind,
            subkind=(case.facts or {}).get("subkind", ""),
            rule_ids=[f["rule_id"] for f in (case.outcome or {}).get("findings", [])],
        )
        return route_case(case.kind, filer=case.filer, day=case.filed_on, subjects=subjects, **flags).value
    category = Category(case.category) if case.category else None
    return route_case(case.kind, filer=case.filer, day=case.filed_on, category=category, subjects=subjects).value


def reroute(case: Case, *, actor) -> bool:
    """Route the (locked) case again after its people changed; unassign an
    assignee it is now about. True when the decider changed."""
    if hasattr(case, "_prefetched_objects_cache"):
        case._prefetched_objects_cache.pop("parties", None)
    excluded = about_ids(case)
    if case.assignee_id and case.assignee_id in excluded:
        case.assignee = None
        case.save(update_fields=["assignee", "updated_at"])
        record_event(case, actor=actor, action="assigned", note="Unassigned: the case is about its assignee.")
    decider = new_decider(case)
    if decider == case.decider or not case.is_open:
        return False
    before = case.get_decider_display().lower()
    case.decider = decider
    case.save(update_fields=["decider", "updated_at"])
    event = record_event(
        case,
        actor=actor,
        action="rerouted",
        note=f"From {before} to {case.get_decider_display().lower()}: the people it is about changed.",
    )
    notify.notify_rerouted(case, event_id=event.pk)
    return True


def _lock_party(party_id: int, actor) -> tuple[Case, CaseParty]:
    party = CaseParty.objects.filter(pk=party_id).only("case_id").first()
    if party is None:
        raise CaseNotFound("That person is not on this case.")
    case = lock(party.case_id, actor=actor)
    party = CaseParty.objects.select_for_update(of=("self",)).select_related("person").get(pk=party_id)
    return case, party


def _describe(party: CaseParty) -> str:
    role = dict(CaseParty.ROLE_CHOICES)[party.role].split(" (")[0].lower()
    return f"{role} {party}"


def party_add(*, case_id: int, actor, person: Person | None = None, name: str = "", role: str) -> CaseParty:
    """A handler adds a subject, witness or related person (picked from the roster,
    or a name not on it). Adding someone the case is about re-routes it at once."""
    if role not in dict(CaseParty.ROLE_CHOICES):
        raise CaseError("Choose subject, witness or related person.")
    if person is None and not name.strip():
        raise CaseError("Pick someone from the roster or type a name.")
    with transaction.atomic():
        case = lock(case_id, actor=actor)
        require(actor, "case.party_add", case)
        if (
            person is not None
            and case.parties.filter(person=person, role=role).exclude(status=CaseParty.CLEARED).exists()
        ):
            raise CaseError(f"{person} is already on this case as a {role}.")
        party = CaseParty.objects.create(
            case=case, person=person, name=name.strip()[:200], role=role, status=CaseParty.CONFIRMED
        )
        record_event(case, actor=actor, action="party-added", note=sentence(f"Added {_describe(party)}"))
        refresh_search_text(case)
        reroute(case, actor=actor)
    return party


def party_confirm(*, party_id: int, actor) -> CaseParty:
    """A handler one level up confirms that a likely match is the person meant."""
    with transaction.atomic():
        case, party = _lock_party(party_id, actor)
        require(actor, "case.party_review", case)
        if party.status != CaseParty.LIKELY:
            raise CaseError("Only a likely match can be confirmed.")
        party.status = CaseParty.CONFIRMED
        party.save(update_fields=["status"])
        record_event(case, actor=actor, action="party-confirmed", note=sentence(f"Confirmed: {_describe(party)}"))
    return party


def party_clear(*, party_id: int, actor, reason: str) -> CaseParty:
    """Clear a likely match (not this person) or take someone off the case; the case
    is routed again at once (it may come back to the person cleared)."""
    if not reason.strip():
        raise CaseError("Say why this person is cleared.")
    with transaction.atomic():
        case, party = _lock_party(party_id, actor)
        require(actor, "case.party_review", case)
        if party.status == CaseParty.CLEARED:
            raise CaseError("This person was already cleared.")
        was = "likely match" if party.status == CaseParty.LIKELY else party.get_status_display().lower()
        party.status = CaseParty.CLEARED
        party.save(update_fields=["status"])
        record_event(
            case, actor=actor, action="party-cleared", note=f"Cleared {_describe(party)} ({was}): {reason.strip()}"
        )
        refresh_search_text(case)
        reroute(case, actor=actor)
    return party


def likely_parties(case: Case) -> list[CaseParty]:
    return [p for p in case.parties.all() if p.status == CaseParty.LIKELY and p.person_id]


__all__ = [
    "Party",
    "about",
    "likely_parties",
    "party_add",
    "party_clear",
    "party_confirm",
    "reroute",
    "resolve",
    "store",
]
