from django.apps import AppConfig
from django.db.models.signals import pre_delete


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self):
        from cases.models import Case
        from cases.services.holds import guard_delete

        # REC-1: no path deletes a held case, the admin's and the ORM's included.
        pre_delete.connect(
            lambda sender, instance, **kw: guard_delete(instance),
            sender=Case,
            weak=False,
            dispatch_uid="cases-legal-hold",
        )
