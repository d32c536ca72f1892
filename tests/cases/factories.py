"""Cases built through the services, as the house style asks."""

from __future__ import annotations

from cases.models import CaseParty
from cases.services import Party, ReportInput, report_submit
from people.models import Person
from policy.routing import Category, FilingKind


def person(username: str) -> Person:
    return Person.objects.get(user__username=username)


def report(
    *,
    by=None,
    anonymous: bool = False,
    category: str = Category.FAIR_DEALING,
    kind: str = FilingKind.REPORT,
    subjects=(),
    title: str = "Supplier kickbacks",
    description: str = "A fictional supplier pays a buyer.",
    files=(),
    people_about: str = "",
    witnesses: str = "",
):
    data = ReportInput(
        kind=FilingKind(kind),
        category=Category(category),
        title=title,
        description=description,
        parties=[Party(person=p, role=CaseParty.SUBJECT) for p in subjects],
        people_about=people_about,
        witnesses=witnesses,
        files=list(files),
    )
    return report_submit(data=data, reporter=by, anonymous=anonymous)
