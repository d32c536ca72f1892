"""A Django e-mail backend for the reminder benchmark: sends nothing, appends one
line per message (recipients, subject, a digest of the body) to the file named
by BENCH_MAIL_LOG, so that messages sent by several processes can be counted
and duplicates found. Lines are short and the file is opened for appending, so
concurrent writers do not interleave."""

import hashlib
import json
import os

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        messages = list(email_messages)
        lines = []
        for message in messages:
            digest = hashlib.sha256(str(message.body).encode()).hexdigest()[:16]
            lines.append(json.dumps({"to": sorted(message.to), "subject": message.subject, "body": digest}) + "\n")
        path = os.environ.get("BENCH_MAIL_LOG")
        if path and lines:
            with open(path, "a", encoding="utf-8") as log:
                log.write("".join(lines))
        return len(messages)
