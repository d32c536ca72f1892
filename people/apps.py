from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "Roster"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from people import models
        from people.selectors import roles_cache_bump

        # Any write to a dated role (admin, import, seed, tests) forgets cached role look-ups.
        for model in (
            models.Person,
            models.Position,
            models.DirectorSeat,
            models.CommitteeMembership,
            models.RoleDesignation,
        ):
            for signal in (post_save, post_delete):
                signal.connect(
                    lambda **kw: roles_cache_bump(),
                    sender=model,
                    weak=False,
                    dispatch_uid=f"roles-cache-{signal}-{model.__name__}",
                )

        def reindex_name(sender, instance, raw=False, **kwargs):
            # Reports are matched to people by their names and aliases (people.matching).
            if not raw:
                from people.matching import reindex

                reindex([instance])

        post_save.connect(reindex_name, sender=models.Person, weak=False, dispatch_uid="people-name-index")
