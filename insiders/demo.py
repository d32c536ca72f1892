"""The demo's insider trading (cases/demo.py runs it after the filings): a
designated employee, last quarter's blackout window and the next one, an open
acquisition with its insider list (one acknowledgement missing) and a closed
contract whose list is frozen, and pre-clearance requests in every state: refused
(INS-1), waiting for the compliance officer, the compliance officer's own waiting
for the audit committee, and an approved trade with its Form 4 reminder (INS-5).

Everything goes through the services, on the days it would have happened.
Idempotent: nothing is added when the demo's first project exists.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from cases.demo import Demo, on, person, user
from insiders import services
from insiders.models import Project, Window
from people.models import Designation, RoleDesignation
from policy.insiders import Status, TradeFacts, quarter_end

CO = "swhalen"


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _ask(username: str, planned: date, **kw):
    facts = TradeFacts(security="company", side=kw.pop("side", "buy"), quantity=kw.pop("quantity", 1000),
                       planned_date=planned, **kw)  # fmt: skip
    return services.preclearance_request(actor=user(username), facts=facts)


def seed_insiders(demo: Demo) -> None:
    if Project.objects.filter(name="Project Falcon").exists():
        return
    today = demo.today
    RoleDesignation.objects.get_or_create(
        person=person("ohaddad"), role=Designation.DESIGNATED_INSIDER, defaults={"start_date": demo.ago(400)}
    )
    from people.selectors import roles_cache_bump

    roles_cache_bump()

    last_quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1) - timedelta(days=1)
    with on(demo.ago(60)):
        for ends in (last_quarter, quarter_end(today)):
            if not Window.objects.filter(quarter_end=ends).exists():
                services.window_quarterly(
                    actor=user(CO), quarter_end=ends, earnings_release=_weekday(ends + timedelta(days=36))
                )

    with on(demo.ago(45)):
        heron = services.project_open(
            actor=user(CO),
            data=services.ProjectInput(
                name="Project Heron", kind="contract", description="A five-year supply contract."
            ),
        )
        services.insider_add(project_id=heron.pk, actor=user(CO), person_id=person("ohaddad").pk,
                             reason="Negotiates the contract.")  # fmt: skip
    with on(demo.ago(44)):
        services.insider_acknowledge(entry_id=heron.entries.get().pk, actor=user("ohaddad"))
    with on(demo.ago(30)):
        services.project_close(project_id=heron.pk, actor=user(CO), public_on=demo.ago(30))

    with on(demo.ago(12)):
        falcon = services.project_open(
            actor=user(CO),
            data=services.ProjectInput(
                name="Project Falcon", kind="acquisition", description="Buying a competitor (code name)."
            ),
        )
        for username, why in (("mcrossman", "Runs the valuation."), ("dwhitfield", "Customer overlap analysis.")):
            services.insider_add(project_id=falcon.pk, actor=user(CO), person_id=person(username).pk, reason=why)
    with on(demo.ago(11)):
        services.insider_acknowledge(entry_id=falcon.entries.get(person=person("dwhitfield")).pk,
                                     actor=user("dwhitfield"))  # fmt: skip

    # The CEO's trade, approved and reported: Form 4 due two business days later.
    traded_on = _weekday(demo.ago(1))
    with on(traded_on, 9):
        pre = _ask("jfurrow", traded_on, side="sell", quantity=2500)
        if pre.status == Status.PENDING:
            services.preclearance_decide(request_id=pre.pk, actor=user(CO), approve=True, note="Cleared.")
            services.preclearance_report(request_id=pre.pk, actor=user("jfurrow"), traded=True, trade_date=traded_on,
                                         quantity=2500, price=Decimal("14.20"))  # fmt: skip
    with on(today, 8):
        _ask("mcrossman", today)  # on Project Falcon's list: refused (INS-1)
        _ask("ohaddad", today, quantity=300)  # waiting for the compliance officer
        _ask(CO, today, side="sell", quantity=800)  # the compliance officer's own: the audit committee
