"""Demo certifications, called at the end of `people.demo.seed_demo`. Idempotent.

This year's annual certification for officers VP and above (CERT-2), open from
the seed day and due 30 days later, and the new hires' confirmation
certificates (CERT-1: the demo roster has two people hired in the last weeks).
Nothing is signed: signing is what the demo shows.
"""

from __future__ import annotations

from datetime import date, timedelta


def seed_certifications(*, today: date) -> None:
    from certifications.models import Audience, Campaign, Kind
    from certifications.services.campaigns import campaign_create
    from certifications.services.obligations import obligations_sync

    annual = Campaign.objects.filter(kind=Kind.ANNUAL, audience=Audience.VP_AND_ABOVE, year=today.year)
    if not annual.exists():
        campaign_create(
            actor=None,
            kind=Kind.ANNUAL,
            audience=Audience.VP_AND_ABOVE,
            year=today.year,
            due_date=today + timedelta(days=30),
            today=today,
        )
    obligations_sync(today=today)
