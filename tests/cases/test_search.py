"""Issue 10: the queue's search finds a case by its filer's name, by what was typed
in every answer ("how do you know", "when and where") and by the messages with the
reporter; never an anonymous reporter's name, and only among cases one may see."""

import pytest
from django.urls import reverse

from cases.services import ReportInput, message_from_reporter, message_to_reporter, party_add, report_submit
from policy.routing import Category, FilingKind
from tests.cases.factories import person

pytestmark = pytest.mark.django_db


def _found(client, user, text) -> str:
    client.force_login(user)
    return client.get(reverse("queue"), {"q": text}).content.decode()


def _report(by, anonymous=False, **extra):
    data = ReportInput(
        kind=FilingKind.REPORT,
        category=Category.FAIR_DEALING,
        title="Supplier kickbacks",
        description="A buyer takes money.",
        when_where="Warehouse loading dock, Tuesday night",
        how_known="Overheard the forklift driver",
        **extra,
    )
    case, _ = report_submit(data=data, reporter=by, anonymous=anonymous)
    return case


def test_search_finds_the_filer_typed_answers_and_messages(client, compliance_officer):
    case = _report(person("jbrooks").user)
    message_to_reporter(case_id=case.pk, actor=compliance_officer, body="Which invoice number was it?")
    message_from_reporter(case=case, body="Invoice zebracorn-42", user=person("jbrooks").user)
    party_add(case_id=case.pk, actor=compliance_officer, person=person("rchen"), role="witness")
    for text in ("Brooks", "forklift", "loading dock", "zebracorn", "invoice number", "Chen"):
        assert case.reference in _found(client, compliance_officer, text), text


def test_search_never_names_an_anonymous_reporter(client, compliance_officer):
    case = _report(person("jbrooks").user, anonymous=True)
    case.refresh_from_db()
    assert "Brooks" not in case.search_text
    assert case.reference not in _found(client, compliance_officer, "Brooks")


def test_search_only_among_cases_one_may_see(client, investigator):
    case = _report(person("jbrooks").user)
    assert case.reference not in _found(client, investigator, "forklift")


def test_a_broad_search_counts_up_to_the_cap_and_pages_on(client, compliance_officer, monkeypatch):
    """Issue 12: a search counts its matches up to SEARCH_COUNT_CAP; past it the queue
    says "more than", shows no per-status numbers and no last page, and Next still
    walks every match once. Under the cap the counts are exact."""
    import re

    from cases import selectors

    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 4)
    monkeypatch.setattr(selectors, "PER_PAGE", 3)
    made = {_report(person("jbrooks").user).reference for _ in range(7)}
    client.force_login(compliance_officer)
    response = client.get(reverse("queue"), {"q": "forklift"})
    body = response.content.decode()
    assert "More than 4 cases matching “forklift”" in body and "add a word or a filter" in body
    assert "Page 1</span>" in body and ">Last<" not in body
    assert not re.search(r'for="st-received">Received <span class="badge', body)
    seen = []
    while True:
        seen += re.findall(r'class="ref" href="/cases/\d+/">([^<]+)<', body)
        link = re.search(r'href="\?([^"]*)" rel="next"', body)
        if not link:
            break
        body = client.get(reverse("queue") + "?" + link.group(1).replace("&amp;", "&")).content.decode()
    assert sorted(seen) == sorted(made)
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 1000)
    body = client.get(reverse("queue"), {"q": "forklift", "page": 1}).content.decode()
    assert "7 cases matching “forklift”" in body and "Page 1 of 3" in body
