"""The roster tells us who changed (after its transaction committed); a task works
out their certification obligations, so a large import does not wait for it."""


def on_roster_changed(sender, person_ids, **kwargs):
    # Imported here: tasks pull in WeasyPrint, which every manage.py command need not load.
    from certifications.tasks import sync_obligations

    if person_ids:
        sync_obligations.delay(list(person_ids))
