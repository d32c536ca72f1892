"""Recompute every audit chain and name the first broken link of each.

    manage.py verify_audit_trail

Exit status 0 when every chain verifies, 1 otherwise (for cron or monitoring).
"""

from django.core.management.base import BaseCommand, CommandError

from core.chain import chained_models, verify_chain


class Command(BaseCommand):
    help = "Verify the hash chains of the audit tables (case, roster, certification and admin events)."

    def handle(self, *args, **options):
        broken = []
        for model in chained_models():
            checked, breaks = verify_chain(model)
            status = "OK" if not breaks else f"{len(breaks)} broken chain(s)"
            self.stdout.write(f"{model._meta.label}: {checked} events, {status}")
            for problem in breaks:
                self.stdout.write(f"  first broken link: {problem}")
            broken += breaks
        if broken:
            raise CommandError(f"The audit trail does not verify: {len(broken)} broken chain(s).")
        self.stdout.write(self.style.SUCCESS("The audit trail verifies."))
