"""E-mail from subject/text/html template triplets (templates/email/<area>/<name>_subject.txt,
<name>.txt, <name>.html).

Nothing sends mail directly: `send_templated` renders the message now and puts it
in the outbox (core.outbox), in the caller's transaction; the dispatcher sends
it with retries once the transaction has committed."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string


def render_templated(name: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of e-mail template `name`."""
    context = {"site_url": settings.SITE_URL, "organisation": settings.INNOVO["ORGANISATION"], **context}
    subject = " ".join(render_to_string(f"email/{name}_subject.txt", context).split())
    text = render_to_string(f"email/{name}.txt", context)
    html = render_to_string(f"email/{name}.html", context)
    return subject, text, html


def send_templated(name: str, context: dict, to: list[str], *, key: str | None = None) -> int:
    """Queue e-mail `name` to `to` (once per `key`, when given). Returns 1 if queued now."""
    from core import outbox

    return 1 if outbox.email(name, context, to, key=key) is not None else 0
