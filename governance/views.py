"""Pages for board governance (BOARD-1, BOARD-2) and the related-party register
(RPT-1). Thin views: look up through permissions (404 for anyone who may not
see governance, anonymous visitors included; 403 for an audit committee member
on a write) → bind a form → call one service → redirect. POST for every write.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import selectors, services
from governance.charts import board_chart
from governance.forms import AnnualMeetingForm, ApprovalForm, LetterForm, TransactionForm
from governance.models import AnnualMeeting, GovernanceCase, RelatedPartyApproval, RelatedPartyTransaction
from innovo_compliance.permissions import can, get_visible_or_404, visible
from policy.board import assess_board

ERRORS = (services.GovernanceError,)


def _see(request, action: str) -> None:
    """Governance is for the compliance officer, the board liaison and the audit
    committee: anyone else gets 404, as if the pages did not exist."""
    if not can(request.user, action):
        raise Http404("No such page.")


def _require(request, action: str) -> None:
    if not can(request.user, action):
        raise PermissionDenied


def _since(request, cases) -> date | None:
    raw = request.GET.get("since", "")
    if raw.isdigit() and 1900 <= int(raw) <= 2100:
        return date(int(raw), 1, 1)
    if raw == "all":
        return None
    firsts = [case.event_date for case in cases]
    return date(min(firsts).year - 2, 1, 1) if firsts else None


def _board_page(request, *, meeting_form=None, status=200):
    today = timezone.localdate()
    cases = list(visible(request.user, GovernanceCase).order_by("-event_date", "-id"))
    since = _since(request, cases)
    history = selectors.history(today)
    current = history[-1]
    context = {
        "today": today,
        "current": current,
        "checks": assess_board(current),
        "chart": board_chart(history, today, since),
        "chart_small": board_chart(history, today, since, width=360, ticks=4),
        "changes": [c for c in history if since is None or c.day >= since],
        "since": since,
        "cases": cases,
        "meetings": visible(request.user, AnnualMeeting).select_related("entered_by"),
        "meeting_form": meeting_form or (AnnualMeetingForm() if can(request.user, "governance.edit") else None),
        "can_edit": can(request.user, "governance.edit"),
    }
    return render(request, "governance/board.html", context, status=status)


@require_GET
def board(request):
    """BOARD-1, BOARD-2: the Board today, its composition over time (a chart),
    the governance cases and the annual meetings."""
    _see(request, "governance.view")
    return _board_page(request)


@require_POST
def meeting_add(request):
    _see(request, "governance.view")
    _require(request, "governance.edit")
    form = AnnualMeetingForm(request.POST)
    if form.is_valid():
        try:
            data = form.cleaned_data
            services.annual_meeting_add(actor=request.user, day=data["day"], note=data["note"])
        except ERRORS as error:
            form.add_error("day", str(error))
        else:
            messages.success(request, "Annual meeting entered; cure deadlines worked out again.")
            return redirect("governance:board")
    return _board_page(request, meeting_form=form, status=400)


def _case_page(request, case, *, letter_form=None, status=200):
    context = {
        "case": case,
        "events": case.events.select_related("actor__person"),
        "letter_form": letter_form
        or (
            LetterForm(initial={"received_on": case.letter_received_on})
            if can(request.user, "governance.edit") and case.is_open
            else None
        ),
        "today": timezone.localdate(),
    }
    return render(request, "governance/case.html", context, status=status)


@require_GET
def case_detail(request, pk: int):
    case = get_visible_or_404(request.user, GovernanceCase, pk=pk)
    return _case_page(request, case)


@require_POST
def case_letter(request, pk: int):
    case = get_visible_or_404(request.user, GovernanceCase, pk=pk)
    _require(request, "governance.edit")
    form = LetterForm(request.POST)
    if form.is_valid():
        try:
            services.letter_record(case_id=case.pk, actor=request.user, received_on=form.cleaned_data["received_on"])
        except ERRORS as error:
            form.add_error("received_on", str(error))
        else:
            messages.success(request, "Letter recorded: the disclosure deadline is set.")
            return redirect("governance:case", case.pk)
    return _case_page(request, case, letter_form=form, status=400)


# --- the related-party register (RPT-1) ---------------------------------------------


@require_GET
def register(request):
    """RPT-1: every related-party transaction with its latest decision (a fixed number
    of queries whatever the register's size)."""
    _see(request, "rpt.view")
    items = (
        visible(request.user, RelatedPartyTransaction)
        .select_related("counterparty", "source_case")
        .prefetch_related(Prefetch("approvals", queryset=RelatedPartyApproval.objects.order_by("date", "id")))
    )
    return render(
        request,
        "governance/register.html",
        {"items": items, "can_edit": can(request.user, "rpt.edit"), "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def rpt_new(request):
    _see(request, "rpt.view")
    _require(request, "rpt.edit")
    form = TransactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.rpt_create(
                actor=request.user,
                kind=data["kind"],
                counterparty=data["counterparty"],
                counterparty_name=data["counterparty_name"],
                relationship=data["relationship"],
                amount=data["amount"],
                currency=data["currency"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                description=data["description"],
            )
        except ERRORS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Entered in the register. The liaison records the Board's decision.")
            return redirect("governance:rpt", item.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "governance/rpt_form.html", {"form": form}, status=status)


def _rpt_page(request, item, *, approval_form=None, status=200):
    context = {
        "item": item,
        "approvals": item.approvals.select_related("recorded_by__person"),
        "events": item.events.select_related("actor__person"),
        "approval_form": approval_form or (ApprovalForm() if can(request.user, "rpt.approve") else None),
    }
    return render(request, "governance/rpt.html", context, status=status)


@require_GET
def rpt_detail(request, pk: int):
    item = get_visible_or_404(request.user, RelatedPartyTransaction, pk=pk)
    return _rpt_page(request, item)


@require_POST
def rpt_approve(request, pk: int):
    item = get_visible_or_404(request.user, RelatedPartyTransaction, pk=pk)
    _require(request, "rpt.approve")
    form = ApprovalForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.rpt_approval_record(
                actor=request.user,
                transaction_id=item.pk,
                body=data["body"],
                day=data["day"],
                outcome=data["outcome"],
                minutes_reference=data["minutes_reference"],
            )
        except ERRORS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Decision recorded.")
            return redirect("governance:rpt", item.pk)
    return _rpt_page(request, item, approval_form=form, status=400)
