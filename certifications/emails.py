"""E-mail as subject/text/html template triplets under templates/email/certifications/."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_templated(name: str, *, to: list[str], context: dict) -> None:
    """Render `<name>_subject.txt`, `<name>.txt` and `<name>.html` and send one message.

    Raises whatever the mail backend raises: callers that must not lose a message
    send inside the transaction that records it, so a failure rolls the record back.
    """
    base = f"email/certifications/{name}"
    context = {"organisation": settings.INNOVO["ORGANISATION"], "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    message = EmailMultiAlternatives(subject, render_to_string(f"{base}.txt", context), None, to)
    message.attach_alternative(render_to_string(f"{base}.html", context), "text/html")
    message.send()
