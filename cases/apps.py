from django.apps import AppConfig
from django.db.models.signals import pre_delete


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self):
        from cases.models import Attachment, Case, CaseEvent
        from cases.services.holds import guard_child_delete, guard_delete

        # REC-1: no path deletes a case, its events or its files but the retention
        # purge, and nothing deletes a held case (the admin's and the ORM's paths
        # included; on PostgreSQL the database refuses too).
        pre_delete.connect(
            lambda sender, instance, **kw: guard_delete(instance),
            sender=Case,
            weak=False,
            dispatch_uid="cases-legal-hold",
        )
        # Deleting a person unassigns their cases through the queryset, so the kept
        # counts follow (the SET_NULL of the foreign key would bypass them).
        from people.models import Person

        pre_delete.connect(
            lambda sender, instance, **kw: Case.objects.filter(assignee=instance).update(assignee=None),
            sender=Person,
            weak=False,
            dispatch_uid="cases-unassign-deleted-person",
        )
        for model in (CaseEvent, Attachment):
            pre_delete.connect(
                lambda sender, instance, **kw: guard_child_delete(instance),
                sender=model,
                weak=False,
                dispatch_uid=f"cases-purge-only-{model.__name__}",
            )
