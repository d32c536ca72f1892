"""The demo's reports and questions (cases/demo.py tells them): every category
and every status, named and anonymous, with messages both ways, internal notes,
tasks open, done and overdue, findings, corrective actions, a merge, a
withdrawal and a legal hold. Fictional employees only, on both sides."""

from __future__ import annotations

from django.db import transaction

from cases.demo import Demo, report
from policy.routing import Category as C
from policy.routing import FilingKind
from policy.workflow import ClosureReason
from policy.workflow import Status as S

CO, HR, AUDIT, INVESTIGATOR = "swhalen", "jgrant", "areyes", "rchen"
QUESTION = FilingKind.QUESTION


def expense_padding(demo: Demo) -> None:
    """Accounting (REP-2): the audit committee's case, worked by the investigator."""
    story = report(
        demo,
        days_ago=34,
        by="ejensen",
        category=C.ACCOUNTING,
        title="Expense reports padded with personal dinners",
        description=(
            "For three quarters a colleague in Finance has filed client dinners that were family dinners. "
            "The receipts show four guests on weekends, with no client named."
        ),
        subjects=("hpetrov",),
        when_where="Expense claims from January to September, Finance department",
        how_known="I reconcile the expense claims every month.",
    )
    if story is None:
        return
    story.move(S.ACKNOWLEDGED, by=AUDIT, days_ago=33)
    story.ask(
        "Thank you for raising this. Could you list the claim numbers you noticed? Nobody will learn who asked.",
        by=AUDIT,
    )
    story.reply("Claims EX-1042, EX-1077, EX-1131 and EX-1190; all on Saturdays.", days_ago=31)
    story.move(S.TRIAGE, by=AUDIT, days_ago=30)
    story.assign("rchen", by=AUDIT)
    story.move(S.INVESTIGATING, by=INVESTIGATOR, days_ago=28)
    story.note(
        "Pulled the four claims and the card statements; the restaurants are near the claimant's home.",
        by=INVESTIGATOR,
    )
    story.task("Interview the claimant's manager", by=INVESTIGATOR, due_in=7, assignee="rchen", done_days_ago=20)
    story.task("Ask Finance for the full year of claims", by=INVESTIGATOR, due_in=10, assignee="rchen", days_ago=19)


def inventory_writeoffs(demo: Demo) -> None:
    """Anonymous accounting concern, just received: the audit committee's queue."""
    report(
        demo,
        days_ago=2,
        category=C.ACCOUNTING,
        title="Inventory write-offs booked before quarter end",
        description=(
            "Damaged stock is written off in the last week of each quarter and written back in the first week "
            "of the next, which moves the margin between quarters."
        ),
        when_where="Main warehouse, last week of June and of September",
        how_known="I count the damaged stock.",
    )


def age_comments(demo: Demo) -> None:
    """Harassment (REP-3): the HR director's case, in triage."""
    story = report(
        demo,
        days_ago=16,
        by="soduya",
        category=C.HARASSMENT,
        title="Comments about age in team meetings",
        description=(
            "In the Monday meetings a team lead keeps saying older designers cannot learn the new tools, "
            "and has twice asked when I plan to retire."
        ),
        subjects=("ccastillo",),
        witnesses=("iabbott",),
        when_where="Design team meetings, Mondays since August",
        how_known="It was said to me, in front of the team.",
    )
    if story is None:
        return
    story.move(S.ACKNOWLEDGED, by=HR, days_ago=15)
    story.ask("Thank you for telling us. Would you be willing to talk with me this week? You choose the time.", by=HR)
    story.reply("Yes, Thursday afternoon works for me.", days_ago=14)
    story.move(S.TRIAGE, by=HR, days_ago=13)
    story.note("Met the reporter on Thursday; a colleague was present at two of the meetings.", by=HR, days_ago=10)
    story.task("Talk with the witness", by=HR, due_in=5, days_ago=10)


def after_hours_messages(demo: Demo) -> None:
    """Anonymous harassment report with a conversation through the receipt key."""
    story = report(
        demo,
        days_ago=9,
        category=C.HARASSMENT,
        title="Unwanted messages from a colleague after hours",
        description=(
            "A colleague in the warehouse sends me personal messages late at night although I asked him to stop."
        ),
        when_where="Text messages, most nights over the last month",
        how_known="The messages are sent to me.",
    )
    if story is None:
        return
    story.move(S.ACKNOWLEDGED, by=HR, days_ago=8)
    story.ask(
        "We are sorry this is happening. Could you upload screenshots of the messages, without your number? "
        "Come back with your receipt key to answer.",
        by=HR,
    )
    story.reply("I will. They started after the summer party; the last one was on Sunday.", days_ago=6)


def steered_orders(demo: Demo) -> None:
    """Anonymous report, investigated, finding and corrective actions recorded: awaiting decision."""
    story = report(
        demo,
        days_ago=48,
        category=C.CONFLICTS,
        title="Buyer steering orders to a supplier owned by a friend",
        description=(
            "Since spring, every zipper order goes to Coastline Trims although their quotes are higher. "
            "The buyer and the owner of Coastline Trims go on holiday together."
        ),
        subjects=("rholm",),
        when_where="Purchasing, orders since March",
        how_known="I see the quotes that come in.",
    )
    if story is None:
        return
    story.move(S.ACKNOWLEDGED, by=CO, days_ago=47)
    story.move(S.TRIAGE, by=CO, days_ago=45)
    story.assign("rchen", by=CO)
    story.move(S.INVESTIGATING, by=INVESTIGATOR, days_ago=44)
    story.ask("Do you know whether other buyers were asked to use Coastline Trims?", by=INVESTIGATOR)
    story.reply("I do not think so; only this buyer places the zipper orders.", days_ago=41)
    story.task("Compare the last ten quotes for zippers", by=INVESTIGATOR, due_in=7, done_days_ago=37)
    story.note("Coastline Trims was chosen on 11 of 12 orders at prices 14% above the lowest quote.", by=INVESTIGATOR)
    story.note("The buyer disclosed no conflict of interest (COI-1).", by=CO, days_ago=30)
    story.finding(
        "substantiated",
        by=CO,
        actions=[
            ("discipline", "Written warning; the buyer no longer approves orders alone."),
            ("policy_change", "Every order above $5,000 needs two quotes and a second approver."),
        ],
        days_ago=12,
    )
    story.move(S.DECISION, by=CO)
    story.task("Check the second-approver rule is in the purchasing system", by=CO, due_in=21, assignee="rchen")


def trade_show_pricing(demo: Demo) -> None:
    """Antitrust, named, in triage with the investigator."""
    story = report(
        demo,
        days_ago=11,
        by="lmoreau",
        category=C.ANTITRUST,
        title="Competitor's pricing discussed at a trade show dinner",
        description=(
            "At the buyers' dinner of the Las Vegas apparel show, a sales manager from a competitor talked about "
            "next season's wholesale prices with two of our account managers."
        ),
        witnesses=("gyilmaz",),
        when_where="Trade show dinner, Las Vegas",
        how_known="I was at the table.",
    )
    if story is None:
        return
    story.move(S.ACKNOWLEDGED, by=CO, days_ago=10)
    story.move(S.TRIAGE, by=CO, days_ago=9)
    story.assign("rchen", by=CO)
    story.note("Antitrust counsel to be told before anyone is interviewed.", by=CO)


def customs_values(demo: Demo) -> None:
    """Received nine days ago and not acknowledged: overdue (7 days)."""
    report(
        demo,
        days_ago=9,
        by="frossi",
        category=C.IMPORT_EXPORT,
        title="Customs forms show a lower value for sample shipments",
        description="Sample shipments to Mexico are declared at $10 a box although each box holds about $400 of goods.",
        when_where="Shipping desk, since July",
        how_known="I pack the boxes and see the forms.",
    )


def forklift(demo: Demo) -> None:
    """Health and safety: under investigation and under a legal hold (REC-1)."""
    story = report(
        demo,
        days_ago=26,
        by="fxu",
        category=C.HEALTH_SAFETY_ENVIRONMENT,
        title="Forklift driven without the required certification",
        description="Temporary staff drive the forklifts on the night shift although none of them is certified.",
        when_where="Warehouse night shift",
        how_known="I work the night shift.",
    )
    if story is None:
        return
    story.move(S.ACKNOWLEDGED, by=CO, days_ago=25)
    story.move(S.TRIAGE, by=CO, days_ago=22)
    story.move(S.INVESTIGATING, by=CO, days_ago=20)
    story.hold(
        "OSHA inspection of the main warehouse",
        "The state's occupational safety office opened an inspection of the warehouse; keep every related record.",
        by=CO,
        days_ago=18,
    )
    story.task("Collect the forklift training records", by=CO, due_in=5, assignee="rchen", days_ago=18)
    story.ask("Thank you. Did anyone get hurt, as far as you know?", by=CO, days_ago=17)
    story.reply("No one got hurt, but a rack was hit last month.", days_ago=16)


def laptops(demo: Demo) -> None:
    """Company assets: investigated, substantiated, corrective action, closed."""
    story = report(
        demo,
        days_ago=60,
        by="hzamora",
        category=C.COMPANY_ASSETS,
        title="Laptops taken home and not returned",
        description="Four laptops signed out for a trade show were not returned to the equipment room.",
        when_where="Equipment room, after the spring trade show",
        how_known="I keep the sign-out sheet.",
    )
    if story is None:
        return
    story.move(S.ACKNOWLEDGED, by=CO, days_ago=59)
    story.move(S.TRIAGE, by=CO, days_ago=57)
    story.assign("rchen", by=CO)
    story.move(S.INVESTIGATING, by=INVESTIGATOR, days_ago=55)
    story.task("Match the serial numbers with the asset register", by=INVESTIGATOR, due_in=7, done_days_ago=50)
    story.finding(
        "substantiated",
        by=CO,
        actions=[("training", "Equipment sign-out training for the events team; laptops now returned.")],
        days_ago=40,
    )
    story.move(S.DECISION, by=CO)
    story.close(by=CO, days_ago=38)


def supplier_gift_cards(demo: Demo) -> None:
    """Gifts: a duplicate merged in, then closed unsubstantiated."""
    first = report(
        demo,
        days_ago=44,
        by="qgarcia",
        category=C.GIFTS,
        title="Gift cards from a supplier handed out to the team",
        description="A supplier's representative left a stack of $50 gift cards for the sales team at the reception.",
        when_where="Reception, before the holidays",
        how_known="I saw the envelope.",
    )
    second = report(
        demo,
        days_ago=43,
        category=C.GIFTS,
        title="Envelope of gift cards at the reception",
        description="An envelope of gift cards from a supplier was at the reception with the sales team's names on it.",
        when_where="Reception",
        how_known="I work at the reception.",
    )
    if first is None or second is None:
        return
    first.move(S.ACKNOWLEDGED, by=CO, days_ago=42)
    second.move(S.ACKNOWLEDGED, by=CO, days_ago=42)
    second.merge_into(first.case, "The same envelope of gift cards as the earlier report.", by=CO)
    first.move(S.TRIAGE, by=CO, days_ago=40)
    first.move(S.INVESTIGATING, by=CO, days_ago=39)
    first.note("The cards were returned to the supplier unopened the next morning (GIFT-2).", by=CO, days_ago=36)
    first.finding("unsubstantiated", by=CO, days_ago=35)
    first.move(S.DECISION, by=CO)
    first.ask("The gift cards were returned unused; thank you for speaking up.", by=CO)
    first.close(by=CO, days_ago=34)


def backdated_document(demo: Demo) -> None:
    """Record retention: withdrawn by the reporter."""
    story = report(
        demo,
        days_ago=21,
        by="btanaka",
        category=C.RECORD_RETENTION,
        title="Asked to backdate a shipping document",
        description="I was asked to put last month's date on a bill of lading for a late shipment.",
        when_where="Shipping office",
        how_known="I was asked.",
    )
    if story is None:
        return
    story.move(S.ACKNOWLEDGED, by=CO, days_ago=20)
    story.withdraw(
        "It was a misunderstanding: my manager wanted the original date written in the notes field.",
        by="btanaka",
        days_ago=18,
    )


def fundraiser(demo: Demo) -> None:
    """Political activity (POL-1): inconclusive finding, awaiting decision."""
    story = report(
        demo,
        days_ago=30,
        by="dvarga",
        category=C.POLITICAL,
        title="Company card used for a candidate's fundraiser",
        description="A dinner for a city council candidate appears on a company card as a customer event.",
        when_where="Company card statement, September",
        how_known="I process the card statements.",
    )
    if story is None:
        return
    story.move(S.ACKNOWLEDGED, by=CO, days_ago=29)
    story.move(S.TRIAGE, by=CO, days_ago=27)
    story.move(S.INVESTIGATING, by=CO, days_ago=25)
    story.note("The card holder says the candidate attended a customer event by chance.", by=CO, days_ago=15)
    story.finding("inconclusive", by=CO, days_ago=8)
    story.move(S.DECISION, by=CO)


def trading_ahead(demo: Demo) -> None:
    """Insider trading (INS-1), anonymous, investigating with an overdue task."""
    story = report(
        demo,
        days_ago=19,
        category=C.INSIDER_TRADING,
        title="Shares bought the week before the earnings release",
        description="Someone in Finance told the team he bought shares just before the results were published.",
        when_where="Finance floor, the week before the third-quarter results",
        how_known="He said so at lunch.",
    )
    if story is None:
        return
    story.move(S.ACKNOWLEDGED, by=CO, days_ago=18)
    story.move(S.TRIAGE, by=CO, days_ago=17)
    story.assign("rchen", by=CO)
    story.move(S.INVESTIGATING, by=INVESTIGATOR, days_ago=15)
    story.task("Ask the transfer agent for trades by employees", by=INVESTIGATOR, due_in=5, assignee="rchen")
    story.ask("Do you remember which day he said it?", by=INVESTIGATOR, days_ago=14)


def night_shift(demo: Demo) -> None:
    """Retaliation (REP-5): named, in triage."""
    story = report(
        demo,
        days_ago=6,
        by="rlindqvist",
        category=C.RETALIATION,
        title="Moved to the night shift after a safety report",
        description="Two weeks after I reported the blocked fire exit I was moved to nights without a reason.",
        when_where="Warehouse, this month",
        how_known="It happened to me.",
    )
    if story is None:
        return
    story.move(S.ACKNOWLEDGED, by=CO, days_ago=5)
    story.move(S.TRIAGE, by=CO, days_ago=4)
    story.task("Ask the warehouse for the shift plans of the last two months", by=CO, due_in=3)


def kickback(demo: Demo) -> None:
    """Anticorruption, named: acknowledged."""
    story = report(
        demo,
        days_ago=4,
        by="ksato",
        category=C.ANTICORRUPTION,
        title="Customer's buyer asks for a payment to keep the account",
        description="A buyer at a retail customer hinted that a personal payment would keep our line on their shelves.",
        when_where="Customer visit, last week",
        how_known="He said it to me.",
    )
    if story is not None:
        story.move(S.ACKNOWLEDGED, by=CO, days_ago=3)


def fair_dealing(demo: Demo) -> None:
    """Fair dealing: received today, untouched."""
    report(
        demo,
        days_ago=1,
        by="jbianchi",
        category=C.FAIR_DEALING,
        title="Misleading delivery dates promised to a customer",
        description="We keep promising a customer delivery dates we already know we will miss.",
        how_known="I handle the customer's orders.",
    )


def social_media(demo: Demo) -> None:
    """Press: anonymous, received today."""
    report(
        demo,
        days_ago=0,
        hour=8,
        category=C.PRESS,
        title="Next season's designs posted on social media",
        description="Photos of unreleased designs were posted on a public account that looks like an employee's.",
        how_known="I saw the post.",
    )


def badge_sharing(demo: Demo) -> None:
    """Other: closed at triage, no investigation warranted."""
    story = report(
        demo,
        days_ago=52,
        by="eweiss",
        category=C.OTHER,
        title="Building badges shared at the side door",
        description="People lend their badges to colleagues who forgot theirs at the side door.",
        how_known="I have seen it several times.",
    )
    if story is None:
        return
    story.move(S.ACKNOWLEDGED, by=CO, days_ago=51)
    story.move(S.TRIAGE, by=CO, days_ago=50)
    story.ask("Thank you. Facilities will remind everyone that badges are personal.", by=CO, days_ago=47)
    story.close(
        by=CO,
        reason=ClosureReason.NO_INVESTIGATION,
        note="A reminder from Facilities is enough; nobody without a badge was let in.",
    )


def questions(demo: Demo) -> None:
    """ASK-1: questions to the compliance officer, open and answered."""
    story = report(
        demo,
        days_ago=1,
        by="aalvarez",
        kind=QUESTION,
        category=C.GIFTS,
        title="May I accept a supplier's invitation to a basketball game?",
        description="A supplier invited me to a game next month; they will be there too. Is that allowed?",
    )
    story = report(
        demo,
        days_ago=20,
        by="pnakamura",
        kind=QUESTION,
        category=C.CONFLICTS,
        title="Can I sit on my condominium association's board?",
        description="I was asked to join the board of my condominium association. Do I need an approval?",
    )
    if story is not None:
        story.move(S.ACKNOWLEDGED, by=CO, days_ago=19)
        story.ask(
            "No approval is needed: a residents' association is not a business and has no dealings with Innovo "
            "(COI-9 is about organisations that do). Ask again if that changes.",
            by=CO,
        )
        story.close(by=CO, reason=ClosureReason.ANSWERED)
    story = report(
        demo,
        days_ago=8,
        kind=QUESTION,
        category=C.GIFTS,
        title="Is a team lunch paid by a vendor a gift?",
        description="A vendor offered to pay for our team's lunch after the project ends. Do we need to log it?",
    )
    if story is not None:
        story.move(S.ACKNOWLEDGED, by=CO, days_ago=7)
        story.ask(
            "A meal is entertainment (GIFT-4): fine if occasional and reasonable and the vendor is there. "
            "Log it as a meal afterwards. Was the vendor planning to join?",
            by=CO,
        )
        story.reply("Yes, their project manager would join us.", days_ago=6)
    story = report(
        demo,
        days_ago=5,
        by="kcoelho",
        kind=QUESTION,
        category=C.CONFLICTS,
        title="Do I need to disclose my spouse's job at a customer?",
        description="My spouse started working for one of our retail customers. I do not deal with that customer.",
    )
    if story is not None:
        story.move(S.ACKNOWLEDGED, by=CO, days_ago=4)
        story.move(S.TRIAGE, by=CO, days_ago=3)


STORIES = (
    expense_padding,
    inventory_writeoffs,
    age_comments,
    after_hours_messages,
    steered_orders,
    trade_show_pricing,
    customs_values,
    forklift,
    laptops,
    supplier_gift_cards,
    backdated_document,
    fundraiser,
    trading_ahead,
    night_shift,
    kickback,
    fair_dealing,
    social_media,
    badge_sharing,
    questions,
)


def seed_reports(demo: Demo) -> None:
    for story in STORIES:
        with transaction.atomic():
            story(demo)
