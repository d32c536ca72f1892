"""Speak up: the report and question forms (logged in or not) and the anonymous
follow-up with a receipt key (REP-1, ASK-1).

For anonymous use nothing here stores or logs the client's address or user
agent, and no session is created: the receipt key is shown once in the response
to the POST (never redirected through a URL or a session) and travels back in
the body of each follow-up POST. Rate limits count requests per minute for the
whole site (and per key look-up id), never per address.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cases.forms import ReceiptKeyForm, ReporterReplyForm, ReportForm
from cases.models import Attachment, CaseEvent, CaseMessage
from cases.services import CaseError, ReportInput, case_for_receipt_key, message_from_reporter, report_submit
from certifications.selectors import own_exception_initial
from policy.routing import FilingKind

KEY_ATTEMPTS_PER_MINUTE = 60
KEY_ATTEMPTS_PER_LOOKUP_PER_HOUR = 10


def _over_limit(name: str, limit: int, window: int = 60) -> bool:
    """A counter per time window in the cache, with no client information in the key."""
    bucket = int(timezone.now().timestamp() // window)
    key = f"rate:{name}:{bucket}"
    cache.add(key, 0, window * 2)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window * 2)
        count = 1
    return count > limit


def _too_many(request):
    return render(request, "cases/too_many.html", status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def report_new(request, kind: str = FilingKind.REPORT):
    question = kind == FilingKind.QUESTION
    logged_in = request.user.is_authenticated
    # A certification exception links here by id (certifications.views); 404 unless it is the signer's own.
    initial = own_exception_initial(request) if request.method == "GET" else None
    form = ReportForm(
        request.POST or None, request.FILES or None, question=question, logged_in=logged_in, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        anonymous = not logged_in or form.cleaned_data.get("anonymous", False)
        limit = settings.INNOVO["ANONYMOUS_REPORTS_PER_MINUTE"]
        if anonymous and _over_limit("anonymous-report", limit):
            return _too_many(request)
        data = ReportInput(
            kind=FilingKind(kind),
            category=form.cleaned_data["category"],
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            when_where=form.cleaned_data.get("when_where", ""),
            how_known=form.cleaned_data.get("how_known", ""),
            parties=[] if question else form.parties(),
            files=form.cleaned_data.get("files", []),
        )
        try:
            case, key = report_submit(data=data, reporter=None if anonymous else request.user, anonymous=anonymous)
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            if key:
                return render(request, "cases/receipt.html", {"case": case, "key": key})
            messages.success(request, f"Thank you. {case.reference} was received; you can follow it here.")
            return redirect("case_detail", pk=case.pk)
    return render(request, "cases/report_form.html", {"form": form, "question": question, "kind": kind})


def _reporter_view(request, case, key, reply_form=None, status=200):
    context = {
        "case": case,
        "key": key,
        "events": CaseEvent.objects.filter(case=case, internal=False).order_by("at", "id"),
        "messages_": CaseMessage.objects.filter(case=case).order_by("at", "id"),
        "files": Attachment.objects.filter(case=case, from_reporter=True).order_by("at"),
        "reply_form": reply_form or ReporterReplyForm(),
    }
    return render(request, "cases/follow_up_case.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def follow_up(request):
    """Come back with the receipt key: read messages, answer, add files."""
    form = ReceiptKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["key"]
        lookup = "".join(ch for ch in key.upper() if ch.isalnum())[:5]
        if _over_limit("receipt-key", KEY_ATTEMPTS_PER_MINUTE) or _over_limit(
            f"receipt-key:{lookup}", KEY_ATTEMPTS_PER_LOOKUP_PER_HOUR, window=3600
        ):
            return _too_many(request)
        case = case_for_receipt_key(key)
        if case is None:
            form.add_error("key", "This receipt key does not open any report. Check it and try again.")
        elif "body" in request.POST or request.FILES:
            reply = ReporterReplyForm(request.POST, request.FILES)
            if not reply.is_valid():
                return _reporter_view(request, case, key, reply, status=400)
            try:
                message_from_reporter(case=case, body=reply.cleaned_data["body"], files=reply.cleaned_data["files"])
            except CaseError as error:
                reply.add_error(None, str(error))
                return _reporter_view(request, case, key, reply, status=400)
            return _reporter_view(request, case, key)
        else:
            return _reporter_view(request, case, key)
    return render(request, "cases/follow_up.html", {"form": form})
