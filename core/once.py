"""Forms that cannot file twice: a one-time token in every form.

Every `<form method="post">` the app renders gets a hidden `_once` field with a
fresh random token (added to the HTML on the way out, so no form can forget
it). When a POST carries a token, the token is claimed before the view runs
(a unique row); a second POST with the same token, from a reload or a double
click, does not run the view again:

- if the first answer was a redirect (POST-redirect-GET, as every form here
  does), the second is sent to the same place, waiting a few seconds for the
  first to finish when both arrive together;
- if the first answer was a page shown once (the anonymous receipt), the second
  says that it was already sent and shows nothing secret;
- if the first answer was the form again with its errors, the token is released
  (the re-rendered form carries a new one) and nothing was filed.

A view marks a 200 answer as "done" (filed) with `once_done(request)`. POSTs
without a token (API clients, tests) are handled as before.
"""

from __future__ import annotations

import re
import secrets
import time

from django.db import IntegrityError, transaction
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from core.models import FormToken

FIELD = "_once"
SHOWN_ONCE = "shown-once"
WAIT_SECONDS = 10.0
_FORM = re.compile(rb"(<form\b[^>]*\bmethod=[\"']?post[\"']?[^>]*>)", re.IGNORECASE)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def once_done(request, what: str = "receipt") -> None:
    """The view filed something and answers 200 (not a redirect): a repeat of this
    POST must not file it again. `what` says what the repeat is told: "receipt"
    (an anonymous report: the key was shown once) or "reply" (a follow-up)."""
    request._once_done = f"{SHOWN_ONCE}:{what}"


def _inject(content: bytes) -> bytes:
    def add(match):
        token = secrets.token_urlsafe(24).encode()
        return match.group(1) + b'<input type="hidden" name="' + FIELD.encode() + b'" value="' + token + b'">'

    return _FORM.sub(add, content)


class OnceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if token and _TOKEN.match(token):
            repeat = self._claim(request, token)
            if repeat is not None:
                return repeat
            try:
                response = self.get_response(request)
            except Exception:
                FormToken.objects.filter(token=token).delete()
                raise
            self._settle(request, token, response)
        else:
            response = self.get_response(request)
        return self._with_tokens(response)

    def _claim(self, request, token: str):
        """None when this request is the first with `token`; else the answer to a repeat."""
        try:
            with transaction.atomic():
                FormToken.objects.create(token=token)
            return None
        except IntegrityError:
            pass
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            row = FormToken.objects.filter(token=token).values_list("result_url", flat=True).first()
            if row is None:  # the first attempt failed and released it: this one may go ahead
                return self._claim(request, token)
            if row.startswith(SHOWN_ONCE):
                what = row.partition(":")[2] or "receipt"
                return self._with_tokens(render(request, "core/already_sent.html", {"shown_once": what}))
            if row:
                from django.shortcuts import redirect

                return redirect(row)
            if time.monotonic() > deadline:
                return self._with_tokens(render(request, "core/already_sent.html", {"shown_once": ""}))
            time.sleep(0.2)

    def _settle(self, request, token: str, response) -> None:
        if 300 <= response.status_code < 400 and response.has_header("Location"):
            location = response["Location"]
            if not url_has_allowed_host_and_scheme(location, allowed_hosts={request.get_host()}):
                location = "/"
            FormToken.objects.filter(token=token).update(result_url=location[:300])
        elif response.status_code == 200 and getattr(request, "_once_done", None):
            FormToken.objects.filter(token=token).update(result_url=request._once_done)
        else:
            FormToken.objects.filter(token=token).delete()

    def _with_tokens(self, response):
        if getattr(response, "streaming", False) or not response.get("Content-Type", "").startswith("text/html"):
            return response
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        content = response.content
        if b"<form" not in content.lower():
            return response
        response.content = _inject(content)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
