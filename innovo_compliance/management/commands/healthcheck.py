import json

from django.core.management.base import BaseCommand, CommandError

from innovo_compliance.health import readiness


class Command(BaseCommand):
    help = (
        "The readiness checks of /healthz/ready (database, cache, broker, storage, signing key, "
        "beat heartbeat) for processes that serve no HTTP: exit status 0 when all pass, 1 otherwise. "
        "Compose's beat health check runs it."
    )
    requires_system_checks = []

    def handle(self, *args, **options):
        ok, checks = readiness()
        self.stdout.write(json.dumps({"status": "ok" if ok else "fail", "checks": checks}))
        if not ok:
            raise CommandError("not ready")
