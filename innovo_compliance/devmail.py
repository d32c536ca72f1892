"""The development mailbox: in development (`DEBUG`, `make run`) every e-mail, from
the web process and from the Celery worker alike, is written as one `.eml` file to
one folder (`VAR_DIR/mail/`), and `/dev/mailbox/` lists them newest first.

Production sends by SMTP and never uses this backend; the page answers 404
without `DEBUG` (innovo_compliance/mailbox_views.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.core.mail import InvalidMailer
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

BACKEND = "innovo_compliance.devmail.MailboxBackend"


class MailboxBackend(BaseEmailBackend):
    """Writes each message to `directory` as `<time>-<random>.eml` (written under a
    temporary name, then renamed, so the page never reads half a message)."""

    def __init__(self, *args, directory: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not directory:
            raise InvalidMailer("OPTIONS must define 'directory'.", alias=self.alias)
        self.directory = Path(directory)

    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            name = f"{timezone.now():%Y%m%d-%H%M%S-%f}-{uuid.uuid4().hex[:8]}.eml"
            partial = self.directory / f".{name}.part"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(self.directory / name)
            sent += 1
        return sent


def mailbox_directory() -> Path | None:
    """The folder the default mailer writes to, or None when mail goes elsewhere."""
    default = getattr(settings, "MAILERS", {}).get("default", {})
    if default.get("BACKEND") != BACKEND:
        return None
    return Path(default.get("OPTIONS", {}).get("directory", ""))


@dataclass(frozen=True)
class Mail:
    name: str
    sent_at: datetime | None
    sender: str
    to: list[str]
    subject: str
    body: str


def _read(path: Path) -> Mail:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    text = message.get_body(preferencelist=("plain", "html"))
    recipients = getaddresses(message.get_all("To", []) + message.get_all("Cc", []) + message.get_all("Bcc", []))
    try:
        sent_at = parsedate_to_datetime(message["Date"]) if message["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    return Mail(
        name=path.name,
        sent_at=sent_at,
        sender=str(message["From"] or ""),
        to=[address for _, address in recipients if address],
        subject=str(message["Subject"] or ""),
        body=text.get_content() if text is not None else "",
    )


def mailbox(directory: Path, *, limit: int = 100) -> tuple[list[Mail], int]:
    """The newest `limit` messages, newest first, and how many there are."""
    if not directory.is_dir():
        return [], 0
    files = sorted(directory.glob("*.eml"), reverse=True)
    return [_read(path) for path in files[:limit]], len(files)
