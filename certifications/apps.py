import logging

from django.apps import AppConfig


class CertificationsConfig(AppConfig):
    name = "certifications"

    def ready(self):
        from certifications.receivers import on_roster_changed
        from people.signals import roster_changed

        roster_changed.connect(on_roster_changed, dispatch_uid="certifications.obligations_sync")
        # WeasyPrint logs every rendering step at INFO; an export renders thousands.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
