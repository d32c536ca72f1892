"""Insider trading objects built through the services, as the people would."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from insiders import services
from people.models import Person
from policy.insiders import TradeFacts


def user(username: str):
    return get_user_model().objects.get(username=username)


def person(username: str) -> Person:
    return Person.objects.get(user__username=username)


def project(name="Project Falcon", *, by="swhalen", kind="acquisition", insiders=(), **kw):
    made = services.project_open(actor=user(by), data=services.ProjectInput(name=name, kind=kind, **kw))
    for username in insiders:
        services.insider_add(project_id=made.pk, actor=user(by), person_id=person(username).pk, reason="Works on it")
    return made


def trade(*, planned: date | None = None, security="company", side="buy", quantity=100, **kw) -> TradeFacts:
    return TradeFacts(
        security=security, side=side, quantity=quantity, planned_date=planned or next_weekday(date.today()), **kw
    )


def next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def ask(username: str, **kw):
    return services.preclearance_request(actor=user(username), facts=trade(**kw))


def window(start: date, end: date, *, name="Q test window"):
    from insiders.models import Window

    return Window.objects.create(kind=Window.Kind.QUARTERLY, name=name, start=start, end=end)
