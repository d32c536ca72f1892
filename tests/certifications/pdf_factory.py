"""Render many real signed certificate PDFs in worker processes (bulk-export tests).

No Django import at module level: `spawn` workers import this module before
Django is set up; `init_worker` sets it up with the test settings and the
session's signing key.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

BULK_DIR = "certificates/bulk"


def number(n: int) -> str:
    return f"CC-2099-{n:04d}-BULK"


def init_worker(key_path: str, cert_path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.INNOVO = {**settings.INNOVO, "SIGNING_KEY": Path(key_path), "SIGNING_CERT": Path(cert_path)}


def render(n: int, wording: str, code_sha256: str) -> tuple[int, str, str]:
    """Render and sign certificate n straight into private storage: (n, name, sha256)."""
    from django.conf import settings
    from django.core.files.storage import default_storage

    from certifications import pdf, signing
    from certifications.services.certify import render_signed_certificate

    url = f"{settings.SITE_URL}/certifications/verify/{number(n)}/"
    data = render_signed_certificate(
        {
            "kind": "confirmation",
            "title": "Confirmation Certificate",
            "wording": wording,
            "person_name": f"Bulk Person {n}",
            "person_title": "Clerk",
            "typed_name": f"Bulk Person {n}",
            "signed_at": dt.datetime(2099, 1, 5, 14, 7, tzinfo=dt.UTC),
            "code_title": "Code of Business Conduct and Ethics",
            "code_version": 1,
            "code_effective": dt.date(2003, 5, 31),
            "code_sha256": code_sha256,
            "certificate_number": number(n),
            "verify_url": url,
            "qr_png": pdf.qr_png(url),
            "organisation": "Innovo Group Inc.",
        }
    )
    name = f"{BULK_DIR}/{number(n)}.pdf"
    path = Path(default_storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return n, name, signing.sha256_hex(data)


def verify_member(zip_path: str, member: str) -> tuple[str, bool, str, str, str]:
    """(member, valid, reason, certificate number from the PDF, sha256) for one ZIP member."""
    from django.conf import settings

    from certifications import signing

    with zipfile.ZipFile(zip_path) as archive:
        data = archive.read(member)
    result = signing.verify_pdf(data, trust_cert_path=settings.INNOVO["SIGNING_CERT"])
    return member, result.valid, result.reason, result.metadata.get("certificate_number", ""), result.sha256
