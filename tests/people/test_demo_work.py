"""The demo that `make run` loads (`manage.py seed_demo`): a few weeks of work done
through the services, so that every persona's pages show real rows; idempotent,
and the audit trail verifies afterwards (issue 10, item 9)."""

from __future__ import annotations

import html
import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from approvals.models import Decision, WaiverDisclosure
from cases.models import Case, CaseEvent, CaseMessage, CaseNote, CaseTask, CorrectiveAction, LegalHold
from certifications.models import Audience, Campaign, Certification, CertificationEvent, Kind, Obligation
from core.models import OutboxItem
from people.demo import DEMO_PASSWORD
from policy.routing import Category, Decider, FilingKind
from policy.workflow import Status

pytestmark = [pytest.mark.django_db, pytest.mark.services]

REFERENCE = re.compile(r"\b[RQCGPW]-\d{4}-\d{6}\b")


def load() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    models = (
        Case,
        CaseEvent,
        CaseMessage,
        CaseNote,
        CaseTask,
        CorrectiveAction,
        Decision,
        WaiverDisclosure,
        LegalHold,
        Obligation,
        Certification,
        CertificationEvent,
        OutboxItem,
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module (it takes seconds) and rolled back after it."""
    from django.conf import settings
    from django.db import transaction

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("DATABASE_URL is not a PostgreSQL URL")
    with django_db_blocker.unblock(), transaction.atomic():
        yield load()
        transaction.set_rollback(True)


@pytest.fixture
def full_demo(_loaded, db):
    return _loaded


def test_the_demo_has_every_kind_status_and_category(full_demo):
    cases = Case.objects.all()
    assert 40 <= cases.count() <= 60
    kinds = Counter(cases.values_list("kind", flat=True))
    assert set(kinds) == {k.value for k in FilingKind}
    statuses = set(cases.values_list("status", flat=True))
    assert statuses == {s.value for s in Status}
    reports = cases.filter(kind=FilingKind.REPORT)
    assert set(reports.values_list("category", flat=True)) == {c.value for c in Category}
    assert cases.filter(kind__in=["report", "question"], anonymous=True).count() >= 4
    assert set(cases.filter(kind="conflict").values_list("subkind", flat=True)) >= {
        "financial_interest",
        "family_at_business_partner",
        "outside_employment",
        "board_seat",
        "relative_in_reporting_line",
        "business_opportunity",
        "loan",
        "related_party_transaction",
        "other",
    }
    assert set(cases.filter(kind="preapproval").values_list("subkind", flat=True)) == {
        "trade_association",
        "government_official",
        "outside_employment",
        "board_seat",
    }


def test_the_demo_has_the_work_a_case_manager_does(full_demo):
    assert CaseMessage.objects.filter(from_reporter=True, case__anonymous=True).exists()
    assert CaseMessage.objects.filter(from_reporter=True, case__anonymous=False).exists()
    assert CaseMessage.objects.filter(from_reporter=False).count() >= 8
    assert CaseNote.objects.count() >= 6
    tasks, today = CaseTask.objects.all(), timezone.localdate()
    assert tasks.filter(done_at__isnull=False).exists(), "a task done"
    assert tasks.filter(done_at__isnull=True, due__gte=today).exists(), "a task open"
    assert tasks.filter(done_at__isnull=True, due__lt=today).exists(), "a task overdue"
    assert set(Case.objects.exclude(finding="").values_list("finding", flat=True)) == {
        "substantiated",
        "unsubstantiated",
        "inconclusive",
    }
    assert CorrectiveAction.objects.count() >= 3
    hold = LegalHold.objects.get()
    assert hold.released_at is None and hold.cases.count() == 1
    merged = Case.objects.get(status=Status.MERGED)
    assert merged.merged_into.status == Status.CLOSED
    closed = Case.objects.filter(status=Status.CLOSED)
    assert all(case.finding or case.closure_reason for case in closed), "REP-4: closed with a finding or a reason"
    assert closed.exclude(finding="").exists() and closed.exclude(closure_reason="").exists()


def test_the_demo_has_filings_waiting_for_every_decider(full_demo):
    waiting = Case.objects.filter(status=Status.SUBMITTED)
    assert set(waiting.values_list("decider", flat=True)) >= {
        Decider.COMPLIANCE_OFFICER,
        Decider.BOARD,
        Decider.SUPERVISOR,
    }
    # One level up: a supervisor named in an outside-employment disclosure, and a
    # Board filing naming the liaison (the compliance officer records that one).
    vineyard = Case.objects.get(counterparty="Cedar Hill Vineyard")
    assert vineyard.decider == Decider.COMPLIANCE_OFFICER
    assert vineyard.parties.filter(person__user__username="dwhitfield").exists()
    loft = Case.objects.get(counterparty="Marina Loft LLC")
    assert loft.decider == Decider.BOARD and loft.parties.filter(person__user__username="mellis").exists()


def test_the_demo_has_a_board_waiver_with_its_disclosure_due(full_demo):
    disclosure = WaiverDisclosure.objects.select_related("case", "decision").get()
    assert disclosure.case.kind == FilingKind.WAIVER and disclosure.case.decider == Decider.BOARD
    assert disclosure.decision.meeting_date and disclosure.decision.resolution_reference
    assert not disclosure.is_disclosed
    assert disclosure.due_on >= disclosure.decision.meeting_date


def test_the_demo_campaign_is_half_signed_with_one_exception(full_demo):
    campaign = Campaign.objects.get(kind=Kind.ANNUAL, audience=Audience.VP_AND_ABOVE, status="open")
    obligations = campaign.obligations.all()
    signed = obligations.filter(status=Obligation.Status.SIGNED).count()
    assert 0.4 <= signed / obligations.count() <= 0.6
    exception = Certification.objects.exclude(exception="").get()
    assert exception.answers["conflicts_disclosed"] is False
    assert exception.obligation.person.user.username == "gkim"


def test_the_demo_is_dated_in_the_recent_past(full_demo):
    now = timezone.now()
    created = sorted(Case.objects.values_list("created_at", flat=True))
    assert created[-1] <= now
    assert (now - created[0]).days >= 30, "weeks of work, not one afternoon"
    assert (now - created[0]).days <= 90


def test_the_demo_is_by_and_about_fictional_people_only(full_demo):
    """BRIEF.md: the officers named in the seeds play their roles; sample filings,
    reports and accusations are by and about fictional employees only."""
    documented = {"jfurrow", "swhalen", "mcrossman", "jgrant"}
    filers = set(Case.objects.exclude(filer=None).values_list("filer__user__username", flat=True))
    assert not filers & documented
    from cases.models import CaseParty

    named = set(CaseParty.objects.exclude(person=None).values_list("person__user__username", flat=True))
    assert not named & documented


def test_seed_demo_twice_creates_nothing_new(full_demo):
    first = snapshot()
    out = load()
    assert snapshot() == first
    assert "nothing added" in out


def test_the_audit_trail_verifies_after_the_demo(full_demo):
    out = io.StringIO()
    call_command("verify_audit_trail", stdout=out)
    assert "The audit trail verifies." in out.getvalue()


# --- Every persona's pages show real rows -------------------------------------------------

OPEN_CASES = r"\b[1-9]\d* open case"
WAITING = r"\b[1-9]\d* waiting for your decision"
SIGN = r"Read and sign"
PAGES = {
    # username: {url: a pattern that only real rows give}
    "swhalen": {
        "/": [OPEN_CASES, WAITING, r"Disclose the waiver W-\d{4}-\d{6}"],
        "/cases/": ["Customs forms show a lower value", "Next season.s designs posted"],
        "/approvals/inbox/": ["Loomworks Textiles", "Cedar Hill Vineyard", "Marina Loft LLC"],
        "/approvals/disclosures/": [r"W-\d{4}-\d{6}"],
        "/cases/holds/": ["OSHA inspection"],
    },
    "jgrant": {
        "/": [OPEN_CASES, WAITING, r"Annual certification \d{4}: [1-9]\d* of \d+ signed"],
        "/cases/": ["Comments about age in team meetings", "Unwanted messages from a colleague"],
        "/approvals/inbox/": ["Riverside Pottery Studio"],
        "/certifications/campaigns/": ["Annual certification"],
    },
    "mellis": {
        "/": [OPEN_CASES, WAITING],
        "/cases/": ["Okafor Capital Partners"],
        "/approvals/inbox/": ["Okafor Capital Partners", "Summit Freight"],
        "/approvals/disclosures/": [r"W-\d{4}-\d{6}"],
    },
    "areyes": {
        "/": [OPEN_CASES, "Pacific Denim Retail"],
        "/cases/": ["Expense reports padded with personal dinners", "Inventory write-offs"],
    },
    "rchen": {
        "/": [OPEN_CASES],
        "/cases/": ["Shares bought the week before the earnings release", "Expense reports padded"],
    },
    "dwhitfield": {
        "/": [WAITING, "Westside Youth Soccer League"],
        "/approvals/inbox/": ["Northside Community College"],
    },
    "mcrossman": {
        "/": [WAITING, SIGN],
        "/approvals/inbox/": ["St. Mark"],
    },
    "jfurrow": {"/": [SIGN]},
    "aalvarez": {
        "/": [SIGN, "May I accept a supplier", "Harbor Street Outfitters"],
        "/approvals/": ["Harbor Street Outfitters"],
    },
}


@pytest.mark.parametrize("username", sorted(PAGES))
def test_every_persona_sees_the_demo(full_demo, client, username):
    assert client.login(username=username, password=DEMO_PASSWORD)
    for url, patterns in PAGES[username].items():
        response = client.get(url)
        assert response.status_code == 200, url
        body = html.unescape(re.sub(r'<span class="ref">([^<]*)</span>', r"\1", response.content.decode()))
        for pattern in patterns:
            assert re.search(pattern, body), f"{username} on {url}: nothing matches {pattern!r}"
        if url != "/":
            assert REFERENCE.search(body) or "Annual certification" in body, f"{username} on {url}: no rows"


def test_hr_campaign_page_lists_signatures_and_the_exception(full_demo, client):
    assert client.login(username="jgrant", password=DEMO_PASSWORD)
    campaign = Campaign.objects.get(kind=Kind.ANNUAL, status="open")
    body = client.get(f"/certifications/campaigns/{campaign.pk}/").content.decode()
    for name in ("Grace Kim", "Morgan Ellis", "Dana Whitfield", "Samuel J. (Jay) Furrow"):
        assert name in body
    assert "my 3% holding in Loomworks Textiles" in html.unescape(body), "the exception's explanation"


def test_the_administrator_sees_the_hold_in_the_admin(full_demo, client):
    assert client.login(username="admin", password=DEMO_PASSWORD)
    assert "OSHA inspection" in client.get("/admin/cases/legalhold/").content.decode()
