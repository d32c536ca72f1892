"""Counts are right on the first read after every write (issue 9, finding 8): the
queue's counts and pager, the home page's panel and the inbox's tabs."""

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from approvals.selectors import _inbox_counts, inbox_counts
from cases.models import Case
from cases.selectors import QueueParams, queue
from cases.services import case_transition
from innovo_compliance.permissions import visible
from policy.workflow import OPEN_STATUSES
from tests.approvals.factories import filing
from tests.cases.factories import person, report

pytestmark = pytest.mark.django_db


def _true_counts(user):
    rows = visible(user, Case).order_by().values("status").annotate(n=Count("id"))
    return {r["status"]: r["n"] for r in rows}


def test_queue_counts_follow_every_write(compliance_officer):
    assert queue(compliance_officer, QueueParams()).counts == _true_counts(compliance_officer)  # cached now
    case, _ = report(by=person("jbrooks").user)
    assert queue(compliance_officer, QueueParams()).counts == _true_counts(compliance_officer)
    case_transition(case_id=case.pk, actor=compliance_officer, to_status="acknowledged")
    page = queue(compliance_officer, QueueParams())
    assert page.counts == _true_counts(compliance_officer) and page.counts.get("acknowledged") == 1


def test_every_case_can_be_reached_through_the_pager(compliance_officer):
    queue(compliance_officer, QueueParams())  # cache the counts of an empty queue
    made = {report(by=person("jbrooks").user, title=f"Case {n}")[0].pk for n in range(30)}
    first = queue(compliance_officer, QueueParams(page=1), per_page=25)
    second = queue(compliance_officer, QueueParams(page=2), per_page=25)
    assert first.total == 30 and first.pages == 2
    assert {c.pk for c in first.cases} | {c.pk for c in second.cases} == made


def test_home_counts_the_open_cases_right_after_a_report(client, compliance_officer):
    client.force_login(compliance_officer)
    client.get(reverse("home"))  # cached
    for _ in range(3):
        report(by=person("jbrooks").user)
    page = client.get(reverse("home")).content.decode()
    open_count = visible(compliance_officer, Case).filter(status__in=list(OPEN_STATUSES)).count()
    assert open_count >= 3 and f"{open_count} open cases" in page


def test_inbox_counts_follow_a_filing(compliance_officer, employee):
    assert inbox_counts(compliance_officer)["waiting"] == 0
    filing(employee, "gift", value="300")
    assert inbox_counts(compliance_officer) == _inbox_counts(compliance_officer, now=timezone.now())
    assert inbox_counts(compliance_officer)["waiting"] == 1


def test_next_and_previous_follow_a_cursor_and_meet_the_numbered_pages(client, compliance_officer):
    """Issue 12 item 2: Next and Previous carry the edge row (keyset); walking the
    queue by them shows every case once, in the same order as the numbered pages."""
    import re

    from cases.selectors import cursor_of, parse_params

    for n in range(60):
        report(by=person("jbrooks").user, title=f"Case {n}")
    numbered = [c.pk for p in (1, 2, 3) for c in queue(compliance_officer, QueueParams(page=p)).cases]
    client.force_login(compliance_officer)
    seen, url = [], reverse("queue")
    while url:
        html = client.get(url).content.decode()
        seen += [int(pk) for pk in re.findall(r'href="/cases/(\d+)/"', html)]
        found = re.search(r'href="\?([^"]*)" rel="next"', html)
        url = reverse("queue") + "?" + found.group(1).replace("&amp;", "&") if found else None
        if url:
            assert "after=" in url
    assert seen == numbered and len(set(seen)) == len(numbered)
    last = queue(compliance_officer, QueueParams(page=3))
    params, _ = parse_params({"page": "2", "before": cursor_of(last.cases[0])})
    back = queue(compliance_officer, params)
    assert [c.pk for c in back.cases] == numbered[25:50]


def test_counts_follow_a_roster_change_on_the_first_read(compliance_officer, executive):
    """The viewer's count queries are compiled once per roster version (cases.counts.
    run_compiled): a change to the roster is seen on the next read. An executive's
    conflict goes to the Board; with a board liaison the officer does not decide it,
    without one he records it."""
    from people.models import Designation, RoleDesignation

    board = filing(executive, "conflict", subkind="board_seat")
    assert board.decider == "board"
    before = inbox_counts(compliance_officer)
    assert before == _inbox_counts(compliance_officer, now=timezone.now())
    RoleDesignation.objects.filter(role=Designation.BOARD_LIAISON).delete()  # the roster changes
    after = inbox_counts(compliance_officer)
    assert after == _inbox_counts(compliance_officer, now=timezone.now())
    assert after["waiting"] == before["waiting"] + 1


def test_late_filings_are_counted_at_the_moment_of_the_read(vp, employee):
    """The compiled queries take "now" as a parameter at each run, never the moment
    they were compiled at: a filing becomes late when its day comes. A supervisor's
    inbox is made of such rows only (his report's outside work, COI-8)."""
    import time_machine

    case = filing(employee, "conflict", subkind="outside_employment")
    assert case.decider == "supervisor"
    assert inbox_counts(vp)["waiting"] == 1 and inbox_counts(vp)["overdue"] == 0  # compiled now
    with time_machine.travel(timezone.now() + timezone.timedelta(days=15)):
        assert inbox_counts(vp)["overdue"] == 1
        assert _inbox_counts(vp, now=timezone.now())["overdue"] == 1


def test_overdue_cases_are_counted_at_the_moment_of_the_read(compliance_officer):
    """The officer's overdue count (the queue's, on the home page) is compiled once;
    a report not acknowledged within seven days is counted when the eighth comes."""
    import time_machine

    from cases.counts import deadline_counts
    from cases.selectors import overdue_q

    report(by=person("jbrooks").user)
    before = deadline_counts(compliance_officer)["overdue"]  # compiled now
    assert before == visible(compliance_officer, Case).filter(overdue_q(timezone.now())).count()
    with time_machine.travel(timezone.now() + timezone.timedelta(days=8)):
        now = timezone.now()
        after = deadline_counts(compliance_officer)["overdue"]
        assert after == visible(compliance_officer, Case).filter(overdue_q(now)).count() and after > before
        assert deadline_counts(compliance_officer, ("late",)).keys() == {"late"}
