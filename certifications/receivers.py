"""The roster tells us who changed (after its transaction committed); a background
job works out their certification obligations, so a large import does not wait
for it. The job goes through the outbox: a broker that is down delays it."""


def on_roster_changed(sender, person_ids, **kwargs):
    from core import outbox

    if person_ids:
        outbox.job("certifications.services.obligations.obligations_sync", person_ids=sorted(person_ids))
