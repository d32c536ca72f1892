from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every other app relies on to keep its promises: the tamper-evident
    audit chain, the transactional outbox, one-time form tokens and the record
    of changes made in the Django admin."""

    name = "core"
    verbose_name = "Audit and delivery"
