"""E-mail as subject/text/html template triplets under templates/email/certifications/,
queued in the outbox (core.outbox) in the caller's transaction."""

from __future__ import annotations

from innovo_compliance.mail import send_templated as _send


def send_templated(name: str, *, to: list[str], context: dict, key: str | None = None) -> int:
    """Queue `certifications/<name>` to `to` (once per `key`). The outbox sends it
    after the commit and retries while the mail server refuses."""
    return _send(f"certifications/{name}", context, to, key=key)
