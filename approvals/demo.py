"""The demo's filings (cases/demo.py runs them): every kind and most sub-kinds of
conflict, gift, pre-approval and waiver, in every status, waiting for each
decider (the compliance officer, the Board through the board liaison, a
supervisor, and cases sent one level up), with the Board's waiver to a director
approved and its public disclosure due (WAIVE-2).

The answers go through each kind's form, as if typed, and the filings through
the approvals services. Filers are fictional employees and directors.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from approvals.forms import FORMS
from approvals.models import Decision
from approvals.rules import title_for
from approvals.services import (
    DecisionInput,
    filing_answer,
    filing_create,
    filing_decide,
    filing_request_info,
    filing_submit,
    filing_withdraw,
)
from cases.demo import Demo, on, person, user
from cases.models import Case

CO, LIAISON = "swhalen", "mellis"


class Filing:
    """One filing, step by step, each step on its day."""

    def __init__(self, demo: Demo, case: Case, day: int):
        self.demo, self.case, self.day, self.hour = demo, case, day, 10

    def _at(self, days_ago: int | None):
        if days_ago is None or days_ago == self.day:
            self.hour = min(self.hour + 1, 18)
        else:
            assert days_ago < self.day, f"{self.case.title}: step {days_ago} days ago is before the last one"
            self.day, self.hour = days_ago, 9
        return on(self.demo.ago(self.day), self.hour)

    def submit(self, *, days_ago: int | None = None) -> Filing:
        with self._at(days_ago):
            self.case = filing_submit(case_id=self.case.pk, actor=self.case.filer.user)
        return self

    def decide(self, decision: str, *, by: str, days_ago: int | None = None, board_meeting: int | None = None, **kw):
        """Approve or deny; for the Board, the liaison records the meeting
        `board_meeting` days ago and its resolution."""
        with self._at(days_ago):
            if board_meeting is not None:
                meeting = self.demo.ago(board_meeting)
                while meeting.weekday() >= 5:  # the Board meets on a weekday
                    meeting -= timedelta(days=1)
                kw.setdefault("meeting_date", meeting)
                kw.setdefault("resolution_reference", f"BR-{meeting:%Y}-{self.case.pk:03d}")
            filing_decide(case_id=self.case.pk, actor=user(by), data=DecisionInput(decision=decision, **kw))
        return self

    def ask(self, question: str, *, by: str, days_ago: int | None = None) -> Filing:
        with self._at(days_ago):
            filing_request_info(case_id=self.case.pk, actor=user(by), question=question)
        return self

    def answer(self, body: str, *, days_ago: int | None = None) -> Filing:
        with self._at(days_ago):
            filing_answer(case_id=self.case.pk, actor=self.case.filer.user, body=body)
        return self

    def withdraw(self, reason: str, *, days_ago: int | None = None) -> Filing:
        with self._at(days_ago):
            filing_withdraw(case_id=self.case.pk, actor=self.case.filer.user, reason=reason)
        return self


DATE_FIELDS = ("starts_on", "event_date", "maturity", "period_start", "period_end")
"""Given to `draft` as days after the filing day (negative: before it)."""


def draft(demo: Demo, *, by: str, kind: str, days_ago: int, **answers) -> Filing | None:
    """Fill in the kind's form as `by` would, on that day, and save the draft;
    None when the demo already has this filing."""
    day = demo.ago(days_ago)
    data = {key: ("on" if value is True else value) for key, value in answers.items() if value is not False}
    for key, value in data.items():
        if key in DATE_FIELDS:
            data[key] = (day + timedelta(days=value)).isoformat()  # an offset in days from the filing day
    with on(day, 9):
        form = FORMS[kind](data=data, today=day)
        if not form.is_valid():
            raise ValueError(f"Demo {kind} by {by}: {form.errors.as_json()}")
        facts = form.facts()
        filer = person(by)
        if Case.objects.filter(kind=kind, filer=filer, title=title_for(kind, facts)).exists():
            return None
        case = filing_create(actor=user(by), kind=kind, facts=facts)
    demo.created.append(case)
    return Filing(demo, case, days_ago)


# --- Conflicts of interest ---------------------------------------------------------


def conflicts(demo: Demo) -> None:
    # COI-3, COI-6: a VP's stake in a supplier, waiting for the compliance officer (and overdue).
    f = draft(
        demo,
        by="gkim",
        kind="conflict",
        days_ago=18,
        subkind="financial_interest",
        counterparty="Loomworks Textiles",
        counterparty_relationship="supplier",
        holder="self",
        stock_percent="3",
        description="I have owned 3% of Loomworks Textiles since before joining; they now weave our denim.",
    )
    if f:
        f.submit()
    # COI-5: a sister who works at a customer and deals with us: approved with conditions.
    f = draft(
        demo,
        by="qgarcia",
        kind="conflict",
        days_ago=40,
        subkind="family_at_business_partner",
        counterparty="Harbor Street Outfitters",
        counterparty_relationship="customer",
        relation="sibling",
        employee_deals_with_it=True,
        description="My sister is the buyer for denim at Harbor Street Outfitters, one of my accounts.",
    )
    if f:
        f.submit().decide(
            Decision.APPROVED_WITH_CONDITIONS,
            by=CO,
            days_ago=35,
            conditions="Another account manager negotiates prices with Harbor Street Outfitters.",
            review_date=demo.ago(35) + timedelta(days=365),
        )
    # COI-8: outside employment of a staff employee: waiting for the supervisor (Dana Whitfield).
    f = draft(
        demo,
        by="ksato",
        kind="conflict",
        days_ago=6,
        subkind="outside_employment",
        counterparty="Northside Community College",
        starts_on=30,
        description="Teaching a pattern-making evening class, Tuesdays, from next month.",
    )
    if f:
        f.submit()
    # More outside employment waiting for supervisors: the finance and HR department heads.
    for filer, employer, what, days in (
        ("jbianchi", "St. Mark's Community Kitchen", "Bookkeeping for a charity kitchen, two evenings a month.", 3),
        ("hkowalski", "Riverside Pottery Studio", "Teaching a weekend pottery class.", 2),
    ):
        f = draft(
            demo,
            by=filer,
            kind="conflict",
            days_ago=days,
            subkind="outside_employment",
            counterparty=employer,
            starts_on=21,
            description=what,
        )
        if f:
            f.submit()
    # One level up: the supervisor is named in it, so the compliance officer decides.
    f = draft(
        demo,
        by="gyilmaz",
        kind="conflict",
        days_ago=10,
        subkind="outside_employment",
        counterparty="Cedar Hill Vineyard",
        starts_on=20,
        description="Weekend shifts at Cedar Hill Vineyard, which my supervisor Dana Whitfield owns with her family.",
    )
    if f:
        f.submit()
    # COI-9: a VP's seat on a nonprofit board: approved.
    f = draft(
        demo,
        by="ohaddad",
        kind="conflict",
        days_ago=50,
        subkind="board_seat",
        counterparty="Eastside Food Bank",
        starts_on=14,
        description="Unpaid seat on the board of the Eastside Food Bank.",
    )
    if f:
        f.submit().decide(Decision.APPROVED, by=CO, days_ago=47)
    # COI-10: a relative in the reporting line: more information asked, then answered.
    f = draft(
        demo,
        by="pnakamura",
        kind="conflict",
        days_ago=15,
        subkind="relative_in_reporting_line",
        relation="close_friend",
        related_person="Jordan Brooks",
        description="My close friend Jordan Brooks joined Operations and may be placed on my team.",
    )
    if f:
        f.submit().ask("Would your friend report to you directly, or to someone on your team?", by=CO, days_ago=12)
        f.answer("To one of my team leads, who reports to me.", days_ago=11)
    # COI-11: a business opportunity: denied.
    f = draft(
        demo,
        by="cueda",
        kind="conflict",
        days_ago=28,
        subkind="business_opportunity",
        counterparty="A boutique in Silver Lake",
        description="A boutique asked me to design a private label for them on my own time.",
    )
    if f:
        f.submit().decide(
            Decision.DENIED,
            by=CO,
            days_ago=24,
            reason="Private-label design for a retailer is Innovo's business (COI-11); we passed the lead to Sales.",
        )
    # LOAN-1: a guarantee asked of the company: waiting.
    f = draft(
        demo,
        by="iabbott",
        kind="conflict",
        days_ago=3,
        subkind="loan",
        loan_direction="from_company",
        principal="8000",
        currency="USD",
        description="An advance on salary to cover a relocation deposit, repaid over twelve months.",
    )
    if f:
        f.submit().ask("Would the advance be repaid from your salary, and over how many months?", by=CO, days_ago=1)
    # RPT-1: a director's fund offers the company a note: always the Board's (the liaison's inbox).
    f = draft(
        demo,
        by="tokafor",
        kind="conflict",
        days_ago=8,
        subkind="related_party_transaction",
        counterparty="Okafor Capital Partners",
        principal="500000",
        currency="USD",
        interest_rate_percent="6.5",
        maturity=730,
        conversion_terms="Convertible into common stock at the holder's option after one year.",
        description="A fund I advise offers the company a two-year convertible note.",
    )
    if f:
        f.submit()
    # COI-7: a non-employee director's stake in a customer, approved by the Board with recusal.
    f = draft(
        demo,
        by="areyes",
        kind="conflict",
        days_ago=45,
        subkind="financial_interest",
        counterparty="Pacific Denim Retail",
        counterparty_relationship="customer",
        holder="self",
        stock_percent="2",
        description="I hold 2% of Pacific Denim Retail, a customer, through a family trust.",
    )
    if f:
        f.submit().decide(
            Decision.APPROVED_WITH_CONDITIONS,
            by=LIAISON,
            days_ago=30,
            board_meeting=31,
            conditions="Ms. Reyes recuses herself from every Board matter about Pacific Denim Retail.",
        )
    # Every liaison is named: the compliance officer records the Board's decision.
    f = draft(
        demo,
        by="praman",
        kind="conflict",
        days_ago=7,
        subkind="other",
        counterparty="Marina Loft LLC",
        description="Morgan Ellis and I co-own a rental flat through Marina Loft LLC.",
    )
    if f:
        f.submit()


# --- Gifts and entertainment ---------------------------------------------------------

GIFT = {"direction": "received", "currency": "USD", "business_relationship": "supplier"}


def gifts(demo: Demo) -> None:
    # GIFT-3: modest, occasional, unsolicited: recorded at once.
    f = draft(
        demo,
        by="lmoreau",
        kind="gift",
        days_ago=14,
        **GIFT,
        gift_kind="gift",
        counterparty="Coastline Trims",
        event_date=-2,
        value="60.00",
        occasion="Holiday basket",
    )
    if f:
        f.submit()
    # Over $250: waiting for the compliance officer.
    f = draft(
        demo,
        by="btanaka",
        kind="gift",
        days_ago=4,
        **GIFT,
        gift_kind="gift",
        counterparty="Loomworks Textiles",
        event_date=-1,
        value="420.00",
        occasion="Ten years as a supplier",
        description="A leather weekend bag.",
    )
    if f:
        f.submit()
    # GIFT-2: a gift card is cash: prohibited, denied with what to do.
    f = draft(
        demo,
        by="dvarga",
        kind="gift",
        days_ago=22,
        **GIFT,
        gift_kind="gift",
        counterparty="Summit Freight",
        event_date=-1,
        value="100.00",
        cash_or_equivalent=True,
        occasion="Thank-you card",
    )
    if f:
        f.submit().decide(
            Decision.DENIED,
            by=CO,
            days_ago=21,
            reason="A gift card is a cash equivalent (GIFT-2): please return it to Summit Freight with our thanks.",
        )
    # GIFT-5: a meal a new hire gave a customer, still a draft (only she sees it).
    draft(
        demo,
        by="aalvarez",
        kind="gift",
        days_ago=1,
        direction="given",
        currency="USD",
        business_relationship="customer",
        gift_kind="meal",
        counterparty="Harbor Street Outfitters",
        event_date=0,
        value="180.00",
        business_purpose="Introduction to the new account manager",
    )
    # COI-7: a director's tickets: the Board decides (the liaison's inbox).
    f = draft(
        demo,
        by="praman",
        kind="gift",
        days_ago=5,
        **GIFT,
        gift_kind="entertainment",
        counterparty="Summit Freight",
        event_date=-3,
        value="600.00",
        business_purpose="Season opener with Summit Freight's management",
        giver_representative_present="yes",
    )
    if f:
        f.submit()


# --- Pre-approvals -------------------------------------------------------------------


def preapprovals(demo: Demo) -> None:
    # TRADE-1: a trade association, waiting for the compliance officer.
    f = draft(
        demo,
        by="rholm",
        kind="preapproval",
        days_ago=9,
        subkind="trade_association",
        counterparty="American Apparel & Footwear Association",
        starts_on=30,
        description="Membership for the sourcing working group.",
    )
    if f:
        f.submit()
    # GOV-1: a gift to a foreign official: approved with conditions.
    f = draft(
        demo,
        by="jfontaine",
        kind="preapproval",
        days_ago=25,
        subkind="government_official",
        counterparty="Port of Ensenada customs office",
        starts_on=10,
        value="40.00",
        currency="USD",
        foreign_official=True,
        description="Company-branded calendars for the customs office at the year-end visit.",
    )
    if f:
        f.submit().decide(
            Decision.APPROVED_WITH_CONDITIONS,
            by=CO,
            days_ago=23,
            conditions="Calendars only, handed to the office, not to a person; log it as a gift given.",
        )
    # COI-8: outside employment of a warehouse associate: approved by the supervisor (Omar Haddad).
    f = draft(
        demo,
        by="frossi",
        kind="preapproval",
        days_ago=33,
        subkind="outside_employment",
        counterparty="Saturday farmers' market",
        starts_on=21,
        description="Selling my own pottery at the farmers' market on Saturdays.",
    )
    if f:
        f.submit().decide(Decision.APPROVED, by="ohaddad", days_ago=31)
    # COI-9: a VP's board seat: waiting for the compliance officer.
    f = draft(
        demo,
        by="dwhitfield",
        kind="preapproval",
        days_ago=2,
        subkind="board_seat",
        counterparty="Westside Youth Soccer League",
        starts_on=40,
        description="Volunteer treasurer of the league's board.",
    )
    if f:
        f.submit()


# --- Waivers ---------------------------------------------------------------------------


def waivers(demo: Demo) -> None:
    # WAIVE-2: a director's waiver, granted by the Board three days ago: disclosure due.
    f = draft(
        demo,
        by="tokafor",
        kind="waiver",
        days_ago=12,
        provision_anchor="business-opportunities",
        reason=(
            "A company I advise may bid for the same retail space in Vernon that Innovo considered and declined "
            "in March; I ask the Board to confirm I may take part."
        ),
        period_start=1,
        period_end=180,
    )
    if f:
        f.submit().decide(
            Decision.APPROVED_WITH_CONDITIONS,
            by=LIAISON,
            days_ago=3,
            board_meeting=3,
            conditions="Mr. Okafor takes no part in any Board discussion of retail space.",
        )
    # WAIVE-1: an employee's waiver, waiting for the compliance officer.
    f = draft(
        demo,
        by="sibarra",
        kind="waiver",
        days_ago=5,
        provision_anchor="outside-employment",
        reason="I would like to finish a freelance illustration job for a children's book started before I joined.",
        period_start=1,
        period_end=60,
    )
    if f:
        f.submit()
    # Withdrawn by the filer.
    f = draft(
        demo,
        by="tdubois",
        kind="waiver",
        days_ago=27,
        provision_anchor="accepting-gifts-and-entertainment",
        reason="My wedding: suppliers I have worked with for years may send gifts above $250.",
        period_start=20,
        period_end=40,
    )
    if f:
        f.submit().withdraw("We asked guests for charity donations instead.", days_ago=20)


def seed_filings(demo: Demo) -> None:
    for part in (conflicts, gifts, preapprovals, waivers):
        with transaction.atomic():
            part(demo)
