"""Pages for filings: the four guided forms with their live verdict, the filing's
page (verdict, answers, decisions, thread, timeline), "my filings", the
approver's inbox and the waiver disclosures.

Thin views: look up through permissions (404 for what the user may not see,
403 for what they see but may not do) → bind a form → call one service → turn
a domain error into a form error or a message → redirect. POST for every write.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from approvals import selectors, services
from approvals.forms import (
    FORMS,
    AnswerForm,
    DecisionForm,
    DisclosureForm,
    InboxFilterForm,
    RequestInfoForm,
)
from approvals.forms.work import MY_STATUS_CHOICES
from approvals.models import Decision, WaiverDisclosure
from approvals.rules import FILING_KIND_VALUES, KIND_TITLES
from cases.forms import PartyForm
from cases.models import Case, CaseParty
from cases.selectors import timeline_for
from cases.services.common import CaseError
from certifications.selectors import own_exception_initial
from core import keyset
from innovo_compliance.permissions import can, get_visible_or_404
from innovo_compliance.permissions.common import person
from policy.outcomes import Outcome, Verdict
from policy.routing import Decider
from policy.workflow import Status, TransitionError, can_transition

DOMAIN_ERRORS = (CaseError, TransitionError)


def _filing(request, pk: int) -> Case:
    """A filing the user may see, or 404 (missing and hidden look the same), with its
    parties read once (every permission check asks who the filing is about)."""
    case = get_visible_or_404(request.user, Case, pk=pk, kind__in=FILING_KIND_VALUES)
    prefetch_related_objects([case], "parties")
    return case


def _require(request, action: str, obj=None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied


def _form_class(kind: str):
    try:
        return FORMS[kind]
    except KeyError:
        raise Http404("No such kind of filing.") from None


# --- Filing forms ---------------------------------------------------------------


@login_required
@require_GET
def choose(request):
    """What would you like to file? Four guided forms."""
    _require(request, "filing.create")
    return render(request, "approvals/choose.html", {"kinds": KIND_TITLES})


def _render_form(request, *, form, kind, action_url, assessment=None, case=None, status=200):
    context = {
        "form": form,
        "kind": kind,
        "kind_title": KIND_TITLES[kind],
        "action_url": action_url,
        "assessment": assessment,
        "case": case,
    }
    template = "approvals/_filing_form.html" if request.htmx else "approvals/form.html"
    return render(request, template, context, status=status)


def _preview(request, kind: str, form, *, exclude_pk=None):
    """The verdict and the decider for what was typed, nothing saved."""
    try:
        return selectors.assess_filing(
            kind=kind,
            facts=form.facts(),
            filer=person(request.user),
            day=timezone.localdate(),
            exclude_pk=exclude_pk,
        )
    except (ValueError, TypeError, KeyError) as error:
        form.add_error(None, f"These answers cannot be assessed: {error}")
        return None


def _initial_from(request) -> dict:
    """Update a standing disclosure: a new draft starts from its answers."""
    source = request.GET.get("from", "")
    if not source.isdigit():
        # A certification exception opens a disclosure with its text, by id (CERT-2).
        return own_exception_initial(request)
    case = _filing(request, int(source))
    _require(request, "filing.reconfirm", case)
    return dict(case.facts)


@login_required
@require_http_methods(["GET", "POST"])
def new_filing(request, kind: str):
    """A guided form. "Check answer" shows the Code's verdict (htmx: in place);
    "Save and review" saves a draft and opens it for review before submitting."""
    form_class = _form_class(kind)
    _require(request, "filing.create")
    action_url = reverse("approvals:new_filing", args=[kind])
    if request.method == "GET":
        form = form_class(initial=_initial_from(request))
        return _render_form(request, form=form, kind=kind, action_url=action_url)
    form = form_class(request.POST)
    if not form.is_valid():
        return _render_form(request, form=form, kind=kind, action_url=action_url)
    if request.htmx or request.POST.get("action") != "save":
        assessment = _preview(request, kind, form)
        return _render_form(request, form=form, kind=kind, action_url=action_url, assessment=assessment)
    try:
        case = services.filing_create(actor=request.user, kind=kind, facts=form.facts())
    except DOMAIN_ERRORS as error:
        form.add_error(None, str(error))
        return _render_form(request, form=form, kind=kind, action_url=action_url)
    messages.success(request, "Draft saved. Review what the Code says, then submit it.")
    return redirect("approvals:filing", case.pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit_filing(request, pk: int):
    """Change a draft's answers (same form, same live verdict)."""
    case = _filing(request, pk)
    _require(request, "filing.edit", case)
    if case.status != Status.DRAFT:
        messages.error(request, "Only a draft can be edited; this filing was already sent.")
        return redirect("approvals:filing", case.pk)
    form_class = _form_class(case.kind)
    action_url = reverse("approvals:edit", args=[case.pk])
    if request.method == "GET":
        form = form_class(initial=form_class.initial_from(case.facts))
        return _render_form(request, form=form, kind=case.kind, action_url=action_url, case=case)
    form = form_class(request.POST)
    if not form.is_valid():
        return _render_form(request, form=form, kind=case.kind, action_url=action_url, case=case)
    if request.htmx or request.POST.get("action") != "save":
        assessment = _preview(request, case.kind, form, exclude_pk=case.pk)
        return _render_form(request, form=form, kind=case.kind, action_url=action_url, assessment=assessment, case=case)
    try:
        services.filing_update(case_id=case.pk, actor=request.user, facts=form.facts())
    except DOMAIN_ERRORS as error:
        form.add_error(None, str(error))
        return _render_form(request, form=form, kind=case.kind, action_url=action_url, case=case)
    messages.success(request, "Draft updated.")
    return redirect("approvals:filing", case.pk)


# --- The filing's page ------------------------------------------------------------


def _buttons(user, case: Case, disclosure) -> dict:
    """What this user may do here: permission (who) and transition table (when)."""
    status, kind = case.status, case.kind

    def allowed(action, to=None, obj=case):
        return can(user, action, obj) and (to is None or can_transition(kind, status, to))

    standing = kind == "conflict" and status in selectors.STANDING_STATUSES and can(user, "filing.reconfirm", case)
    reconfirm_due = standing and selectors.standing_disclosures_due(filer=case.filer).filter(pk=case.pk).exists()
    return {
        "submit": allowed("filing.submit") and status == Status.DRAFT,
        "edit": allowed("filing.edit") and status == Status.DRAFT,
        "withdraw": allowed("filing.withdraw", Status.WITHDRAWN),
        "decide": allowed("filing.decide") and status == Status.SUBMITTED,
        "request_info": allowed("filing.request_info", Status.INFO_REQUESTED),
        "answer": allowed("filing.answer") and status == Status.INFO_REQUESTED,
        "renew": allowed("filing.renew", Status.SUBMITTED) and case.review_date is not None,
        "reconfirm": reconfirm_due,
        "update": standing,
        "mark_disclosure": disclosure is not None
        and not disclosure.is_disclosed
        and can(user, "disclosure.mark", disclosure),
    }


def _filing_page(request, case: Case, *, status: int = 200, **forms):
    user = request.user
    internal = can(user, "filing.see_internal", case)
    disclosure = WaiverDisclosure.objects.filter(case=case).select_related("decision").first()
    buttons = _buttons(user, case, disclosure)
    today = timezone.localdate()
    outcome = Outcome.from_dict(case.outcome) if case.outcome else None
    context = {
        "case": case,
        "outcome": outcome,
        "decider": Decider(case.decider),
        "answers": FORMS[case.kind]().labelled(case.facts),
        "decisions": list(Decision.objects.filter(case=case).prefetch_related("recused")),
        "disclosure": disclosure,
        "disclosure_overdue": disclosure is not None and disclosure.is_overdue(today),
        "thread": case.messages.select_related("author__person").all(),
        "events": timeline_for(user, case, internal=internal),
        "internal": internal,
        "parties": [p for p in case.parties.all() if p.status != CaseParty.CLEARED] if internal else [],
        "likely": [p for p in case.parties.all() if p.is_likely and p.person_id] if internal else [],
        "can_add_party": can(user, "case.party_add", case),
        "can_review_party": can(user, "case.party_review", case),
        "party_form": PartyForm(),
        "buttons": buttons,
        "is_filer": can(user, "filing.submit", case),
        "decision_form": forms.get("decision_form") or (DecisionForm(case=case) if buttons["decide"] else None),
        "info_form": forms.get("info_form") or (RequestInfoForm() if buttons["request_info"] else None),
        "answer_form": forms.get("answer_form") or (AnswerForm() if buttons["answer"] else None),
        "disclosure_form": forms.get("disclosure_form") or (DisclosureForm() if buttons["mark_disclosure"] else None),
        "prohibited": case.verdict == Verdict.PROHIBITED,
    }
    return render(request, "approvals/filing.html", context, status=status)


@login_required
@require_GET
def filing_detail(request, pk: int):
    """The filing: verdict, answers, decisions (APP-1), thread and timeline."""
    return _filing_page(request, _filing(request, pk))


def _simple_action(request, pk: int, action: str, service, done: str, **kwargs):
    """A button that calls one service: 403 if not allowed, a message if refused."""
    case = _filing(request, pk)
    _require(request, action, case)
    try:
        service(case_id=case.pk, actor=request.user, **kwargs)
    except DOMAIN_ERRORS as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done.format(ref=case.reference))
    return redirect("approvals:filing", case.pk)


@login_required
@require_POST
def submit_filing(request, pk: int):
    return _simple_action(request, pk, "filing.submit", services.filing_submit, "Sent. You can follow it here.")


@login_required
@require_POST
def withdraw_filing(request, pk: int):
    reason = request.POST.get("reason", "")[:500]
    return _simple_action(request, pk, "filing.withdraw", services.filing_withdraw, "{ref} withdrawn.", reason=reason)


@login_required
@require_POST
def renew_filing(request, pk: int):
    return _simple_action(request, pk, "filing.renew", services.filing_renew, "Renewal requested.")


@login_required
@require_POST
def reconfirm_filing(request, pk: int):
    return _simple_action(
        request, pk, "filing.reconfirm", services.filing_reconfirm, "Thank you: your disclosure is re-confirmed."
    )


@login_required
@require_POST
def decide_filing(request, pk: int):
    """APP-1: approve, approve with conditions, or deny (the Board's decision is
    recorded by the board liaison with the meeting date and resolution)."""
    case = _filing(request, pk)
    _require(request, "filing.decide", case)
    form = DecisionForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.filing_decide(case_id=case.pk, actor=request.user, data=form.to_input())
        except DOMAIN_ERRORS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Decision recorded.")
            return redirect("approvals:filing", case.pk)
    return _filing_page(request, case, decision_form=form)


@login_required
@require_POST
def request_info(request, pk: int):
    case = _filing(request, pk)
    _require(request, "filing.request_info", case)
    form = RequestInfoForm(request.POST)
    if form.is_valid():
        try:
            services.filing_request_info(case_id=case.pk, actor=request.user, question=form.cleaned_data["question"])
        except DOMAIN_ERRORS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Question sent to the filer.")
            return redirect("approvals:filing", case.pk)
    return _filing_page(request, case, info_form=form)


@login_required
@require_POST
def answer_filing(request, pk: int):
    case = _filing(request, pk)
    _require(request, "filing.answer", case)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.filing_answer(case_id=case.pk, actor=request.user, body=form.cleaned_data["answer"])
        except DOMAIN_ERRORS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Answer sent; the filing is back with the decider.")
            return redirect("approvals:filing", case.pk)
    return _filing_page(request, case, answer_form=form)


# --- Lists --------------------------------------------------------------------------


@login_required
@require_GET
def my_filings(request):
    """Everything the user filed, with its status and last change; drafts can be withdrawn."""
    status = request.GET.get("status", "")
    if status not in dict(MY_STATUS_CHOICES):
        status = ""
    filings = selectors.my_filings(request.user, status=status)
    return render(
        request,
        "approvals/mine.html",
        {"filings": filings, "status": status, "status_choices": MY_STATUS_CHOICES, "kinds": KIND_TITLES},
    )


INBOX_PAGE_SIZE = 50


@login_required
@require_GET
def inbox(request):
    """The approver's filings, filtered by kind, status and overdue, with counts."""
    _require(request, "approvals.inbox")
    form = InboxFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {"kind": "", "status": "waiting", "overdue": False}
    now = timezone.now()
    # Keyset pages (core.keyset): Next and Previous carry the row they start from, so
    # a page costs the same whatever its depth and the number of filings waiting.
    found = keyset.page(
        selectors.inbox(request.user, now=now, **filters),
        "waiting_since",
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        per_page=INBOX_PAGE_SIZE,
    )
    rows = [(case, selectors.is_overdue(case, now=now)) for case in found.rows]
    query = request.GET.copy()
    for name in ("after", "before", "page"):
        query.pop(name, None)
    return render(
        request,
        "approvals/inbox.html",
        {
            "form": form,
            "filters": filters,
            "rows": rows,
            "counts": selectors.inbox_counts(request.user, alone=True),
            "decision_days": selectors.DECISION_WITHIN_DAYS,
            "next_cursor": found.next,
            "previous_cursor": found.previous,
            "paged": bool(request.GET.get("after") or request.GET.get("before")),
            "base_query": query.urlencode(),
        },
    )


@login_required
@require_GET
def disclosures(request):
    """WAIVE-2: waivers granted to directors and executive officers, and their
    public disclosure (overdue in red)."""
    _require(request, "disclosure.list")
    today = timezone.localdate()
    items = WaiverDisclosure.objects.filter(case__in=selectors.visible_filings(request.user)).select_related(
        "case", "case__filer", "decision"
    )
    return render(request, "approvals/disclosures.html", {"items": items, "today": today})


@login_required
@require_POST
def mark_disclosure(request, pk: int):
    disclosure = get_visible_or_404(request.user, WaiverDisclosure, pk=pk)
    case = disclosure.case
    _require(request, "disclosure.mark", disclosure)
    form = DisclosureForm(request.POST)
    if form.is_valid():
        try:
            services.disclosure_mark(
                disclosure_id=disclosure.pk,
                actor=request.user,
                reference=form.cleaned_data["reference"],
                disclosed_on=form.cleaned_data["disclosed_on"],
            )
        except DOMAIN_ERRORS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Disclosure recorded.")
            return redirect("approvals:filing", case.pk)
    return _filing_page(request, _filing(request, case.pk), disclosure_form=form)
