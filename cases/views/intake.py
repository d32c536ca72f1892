"""Speak up: the report and question forms (logged in or not) and the anonymous
follow-up with a receipt key (REP-1, ASK-1).

For anonymous use nothing here stores or logs the client's address or user
agent, and no session is created: the receipt key is shown once in the response
to the POST (never redirected through a URL or a session) and travels back in
the body of each follow-up POST. Abuse controls (innovo_compliance/abuse.py): a
proof of work or the no-JavaScript lane, and wrong keys counted per look-up id;
never per address.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cases.forms import ReceiptKeyForm, ReporterReplyForm, ReportForm
from cases.models import Attachment, CaseEvent, CaseMessage
from cases.services import CaseError, ReportInput, case_for_receipt_key, message_from_reporter, report_submit
from cases.services.receipts import lookup_of
from certifications.selectors import own_exception_initial
from core.once import once_done
from innovo_compliance import abuse
from policy.routing import FilingKind


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
    as_anonymous = form.is_bound and (not logged_in or form["anonymous"].data)
    refusal = abuse.anonymous_gate(request, purpose=abuse.REPORT) if as_anonymous else None
    if refusal:
        form.add_error(None, refusal.message)
    if request.method == "POST" and form.is_valid():
        anonymous = not logged_in or form.cleaned_data.get("anonymous", False)
        data = ReportInput(
            kind=FilingKind(kind),
            category=form.cleaned_data["category"],
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            when_where=form.cleaned_data.get("when_where", ""),
            how_known=form.cleaned_data.get("how_known", ""),
            parties=[] if question else form.picked(confirmed=logged_in),
            people_about="" if question else form.typed("people_about"),
            witnesses="" if question else form.typed("witnesses"),
            files=form.cleaned_data.get("files", []),
        )
        try:
            case, key = report_submit(data=data, reporter=None if anonymous else request.user, anonymous=anonymous)
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            if key:
                once_done(request, "receipt")  # a reload never files it twice (core.once)
                return render(request, "cases/receipt.html", {"case": case, "key": key})
            messages.success(request, f"Thank you. {case.reference} was received; you can follow it here.")
            return redirect("case_detail", pk=case.pk)
    return render(
        request,
        "cases/report_form.html",
        {"form": form, "question": question, "kind": kind},
        status=refusal.status if refusal else 200,
    )


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
    refusal = None
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["key"]
        lookup = lookup_of(key)
        refusal = abuse.follow_up_gate(request, lookup=lookup)
        case = None if refusal else case_for_receipt_key(key)
        if refusal:
            form.add_error(None, refusal.message)
        elif case is None:
            abuse.receipt_key_failed(lookup)
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
            once_done(request, "reply")  # a reload never adds the answer twice (core.once)
            return _reporter_view(request, case, key)
        else:
            return _reporter_view(request, case, key)
    return render(request, "cases/follow_up.html", {"form": form}, status=refusal.status if refusal else 200)
