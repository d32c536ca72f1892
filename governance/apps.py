from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Board governance"

    def ready(self):
        from governance import receivers

        receivers.connect()
