"""Bad input is a 400 with a message, and a body over the limit is refused before
it is read (issue 9, finding 12).

`RequestLimitsMiddleware` sits after authentication (so its pages show the
app's shell, with the user's menu) and before anything reads the body: CSRF and
the views read `request.POST` later, in the view phase.

1. A declared body over MAX_REQUEST_BYTES gets 413 without a byte of it read;
   gunicorn then closes the connection. (A chunked body has no length: Django's
   WSGI handler reads none of it, and `innovo_compliance.uploads` caps what a
   parser could receive.)
2. The form is parsed here, once: a parser refusal (too many fields, a malformed
   multipart body, more non-file data than DATA_UPLOAD_MAX_MEMORY_SIZE) is a 400
   with a message instead of Django's bare page.
3. NUL characters and lone surrogates in the path, the query string, field names
   or values are a 400: no field of this app accepts them, and PostgreSQL refuses
   NUL in text (a 500, before).

Numbers too large for the database, malformed dates and overlong text are the
forms' business (each field has bounds); tests/test_bad_input.py walks every URL
of the project with such values and checks that nothing answers 500.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from innovo_compliance.uploads import MAX_REQUEST_BYTES, UploadTooBig, describe_bytes

# NUL and lone UTF-16 surrogates (which no UTF-8 text can hold).
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")

MSG_TOO_BIG = (
    "This request is larger than we accept ({limit} in all; each attachment at most 10 MB), "
    "so it was refused before it was read. Nothing was saved: go back, attach fewer or smaller files "
    "and send again."
)
MSG_TEXT_TOO_BIG = (
    "The text of this form is longer than we accept ({limit} without the attachments). "
    "Nothing was saved: shorten it, or attach it as a file, and send again."
)
MSG_FORBIDDEN_CHARACTER = (
    "This request contains a character that no field here accepts (a NUL byte or half of a UTF-16 pair). "
    "Nothing was saved: remove it and send again."
)
MSG_MALFORMED = "This request could not be read ({reason}). Nothing was saved: go back and send the form again."


def bad_request(request, message: str, *, status: int = 400):
    return render(request, "400.html", {"message": message, "status": status}, status=status)


def handler400(request, exception=None):
    """Django's own 400s (a disallowed host, a suspicious request) in the same page,
    rendered with the request so the shell shows the hotline."""
    return bad_request(request, "")


def _has_forbidden(querydict) -> bool:
    return any(
        _FORBIDDEN.search(key) or any(_FORBIDDEN.search(value) for value in values if isinstance(value, str))
        for key, values in querydict.lists()
    )


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self.refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def refusal(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return bad_request(request, MSG_MALFORMED.format(reason="its Content-Length is not a number"))
        if declared > MAX_REQUEST_BYTES:
            return bad_request(request, MSG_TOO_BIG.format(limit=describe_bytes(MAX_REQUEST_BYTES)), status=413)
        if _FORBIDDEN.search(request.path_info):
            return bad_request(request, MSG_FORBIDDEN_CHARACTER)
        try:
            if _has_forbidden(request.GET):
                return bad_request(request, MSG_FORBIDDEN_CHARACTER)
            if request.method == "POST" and (
                _has_forbidden(request.POST) or any(_FORBIDDEN.search(name) for name in request.FILES)
            ):
                return bad_request(request, MSG_FORBIDDEN_CHARACTER)
        except UploadTooBig:
            return bad_request(request, MSG_TOO_BIG.format(limit=describe_bytes(MAX_REQUEST_BYTES)), status=413)
        except RequestDataTooBig:
            limit = describe_bytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            return bad_request(request, MSG_TEXT_TOO_BIG.format(limit=limit), status=413)
        except (SuspiciousOperation, MultiPartParserError) as error:
            return bad_request(request, MSG_MALFORMED.format(reason=_reason(error)))
        return None


def _reason(error: Exception) -> str:
    name = type(error).__name__
    return {
        "TooManyFieldsSent": "too many fields",
        "TooManyFilesSent": "too many files",
    }.get(name, "the form's data is malformed")
