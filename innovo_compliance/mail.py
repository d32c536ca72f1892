"""E-mail from subject/text/html template triplets (templates/email/<area>/<name>_subject.txt,
<name>.txt, <name>.html). Sending raises on failure so that a task can retry."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_templated(name: str, context: dict, to: list[str]) -> int:
    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    context = {"site_url": settings.SITE_URL, "organisation": settings.INNOVO["ORGANISATION"], **context}
    subject = " ".join(render_to_string(f"email/{name}_subject.txt", context).split())
    text = render_to_string(f"email/{name}.txt", context)
    html = render_to_string(f"email/{name}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, recipients)
    message.attach_alternative(html, "text/html")
    return message.send()
