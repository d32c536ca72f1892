"""The queue's screens (issue 10, items 4 and 6): bulk assignment only where it can
be used, select-all, no default assignee, a pager only when useful, counts in words,
references that never wrap, filters that fold on phones."""

import pytest
from django.urls import reverse

from cases.models import Case
from tests.cases.factories import person, report

pytestmark = pytest.mark.django_db


def _queue(client, **params) -> str:
    return client.get(reverse("queue"), params).content.decode()


def test_investigator_is_offered_no_bulk_assignment(client, investigator, compliance_officer):
    from cases.services import case_assign

    case, _ = report(by=person("jbrooks").user)
    case_assign(case_id=case.pk, actor=compliance_officer, assignee=person("rchen"))
    client.force_login(investigator)
    page = _queue(client)
    assert f'href="/cases/{case.pk}/"' in page
    assert 'action="/cases/bulk-assign/"' not in page and 'name="case"' not in page and "data-select-all" not in page


def test_officer_gets_select_all_and_a_box_only_for_cases_they_may_assign(client, compliance_officer):
    from tests.approvals.factories import filing

    case, _ = report(by=person("jbrooks").user)
    gift = filing(person("aalvarez").user, "gift", value="400.00")
    client.force_login(compliance_officer)
    page = _queue(client)
    assert "data-select-all" in page and 'action="/cases/bulk-assign/"' in page
    assert f'name="case" value="{case.pk}"' in page
    assert f'name="case" value="{gift.pk}"' not in page  # a filing is decided on its own page, never assigned


def test_bulk_assignment_has_no_default_assignee(client, compliance_officer):
    report(by=person("jbrooks").user)
    client.force_login(compliance_officer)
    page = _queue(client)
    assert '<option value="" selected>Choose…</option>' in page
    assert '<option value="none">Nobody (unassign)</option>' in page


def test_bulk_assignment_without_a_choice_is_refused_with_a_message(client, compliance_officer):
    case, _ = report(by=person("jbrooks").user)
    client.force_login(compliance_officer)
    page = client.post(reverse("bulk_assign"), {"case": [case.pk], "assignee": ""}, follow=True).content.decode()
    assert "Choose who to assign the selected cases to" in page
    case.refresh_from_db()
    assert case.assignee is None and "assigned to" not in page


def test_bulk_assignment_says_how_many_in_words(client, compliance_officer):
    one, _ = report(by=person("jbrooks").user)
    two, _ = report(by=person("jbrooks").user)
    rchen = person("rchen")
    client.force_login(compliance_officer)
    page = client.post(reverse("bulk_assign"), {"case": [one.pk], "assignee": rchen.pk}, follow=True).content.decode()
    assert "1 case assigned to Riley Chen." in page and "(s)" not in page
    page = client.post(
        reverse("bulk_assign"), {"case": [one.pk, two.pk], "assignee": "none"}, follow=True
    ).content.decode()
    assert "2 cases unassigned." in page
    assert set(Case.objects.values_list("assignee", flat=True)) == {None}


def test_one_page_shows_no_pager(client, compliance_officer):
    report(by=person("jbrooks").user)
    client.force_login(compliance_officer)
    page = _queue(client)
    assert 'aria-label="Pages"' not in page and ">First<" not in page and ">Last<" not in page


def test_pager_offers_only_the_moves_that_lead_somewhere(client, compliance_officer, monkeypatch):
    monkeypatch.setattr("cases.selectors.queue.__kwdefaults__", {"per_page": 1})  # one case a page
    for _ in range(4):
        report(by=person("jbrooks").user)
    client.force_login(compliance_officer)
    first = _queue(client)
    assert "Page 1 of 4" in first and ">Next<" in first and ">Last<" in first
    assert ">First<" not in first and ">Previous<" not in first
    second = _queue(client, page=2)
    assert ">Previous<" in second and ">First<" not in second and ">Next<" in second and ">Last<" in second
    last = _queue(client, page=4)
    assert ">First<" in last and ">Previous<" in last and ">Next<" not in last and ">Last<" not in last


def test_references_never_wrap_and_rows_become_cards(client, compliance_officer):
    case, _ = report(by=person("jbrooks").user)
    client.force_login(compliance_officer)
    page = _queue(client)
    assert f'<a class="ref" href="/cases/{case.pk}/">{case.reference}</a>' in page
    assert "table-cards" in page and 'data-label="Status"' in page
    assert '<details class="filter-panel" open data-open-from="992">' in page


def test_home_counts_open_cases_in_words(client, compliance_officer):
    client.force_login(compliance_officer)
    report(by=person("jbrooks").user)
    assert "1 open case<" in client.get(reverse("home")).content.decode()
    report(by=person("jbrooks").user)
    assert "2 open cases<" in client.get(reverse("home")).content.decode()
