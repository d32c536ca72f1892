from django.conf import settings
from django.core.management.base import BaseCommand

from certifications.signing import generate_demo_keypair


class Command(BaseCommand):
    help = (
        "Create a self-signed EC P-256 key and certificate for signing certificate PDFs "
        "at SIGNING_KEY_PATH / SIGNING_CERT_PATH, unless both exist. For demos: production "
        "should configure the organisation's own key and certificate."
    )

    # It provisions what the signing-key check looks for, so it must run without it.
    requires_system_checks = []

    def handle(self, *args, **options):
        key, cert = settings.INNOVO["SIGNING_KEY"], settings.INNOVO["SIGNING_CERT"]
        existed = key.exists() and cert.exists()
        key.parent.mkdir(parents=True, exist_ok=True)
        cert.parent.mkdir(parents=True, exist_ok=True)
        generate_demo_keypair(key, cert, organisation=settings.INNOVO["ORGANISATION"])
        self.stdout.write(f"Signing key {'kept' if existed else 'created'}: {key} / {cert}")
