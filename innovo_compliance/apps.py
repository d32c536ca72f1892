from django.apps import AppConfig


class InnovoComplianceConfig(AppConfig):
    """The project package as an app: its system checks (checks.py) and its
    operator commands (management/commands: backup, restore)."""

    name = "innovo_compliance"
    verbose_name = "Innovo Compliance (deployment)"

    def ready(self):
        from innovo_compliance import checks  # noqa: F401 (registers the checks)
