"""The text the case queue's search reads (cases.selectors), kept on the case."""

from __future__ import annotations

from cases.models import Case, CaseParty


def search_text(case: Case, people=None) -> str:
    """What the queue's search finds a case by: reference, title, description, the
    other party, the people in it (roster names, or as typed; not those cleared), the
    filer (never for an anonymous report), every typed answer (when and where, how the
    reporter knows, a filing's answers) and the messages with the reporter. Only cases
    the searcher may see are searched (cases.selectors)."""
    if people is None:
        people = list(case.parties.select_related("person")) if case.pk else []
    names = [p.person.name if p.person_id else p.name for p in people if p.status != CaseParty.CLEARED]
    filer = case.filer.name if case.filer_id and not case.anonymous else ""
    answers = [value for value in (case.facts or {}).values() if isinstance(value, str)]
    messages = list(case.messages.values_list("body", flat=True)) if case.pk else []
    parts = [case.reference, case.title, case.description, case.counterparty, filer, *names, *answers, *messages]
    return " ".join(part.strip() for part in parts if part and part.strip())


def refresh_search_text(case: Case) -> None:
    """After messages or people change (the case is locked by the caller)."""
    case.search_text = search_text(case)
    Case.objects.filter(pk=case.pk).update(search_text=case.search_text)
