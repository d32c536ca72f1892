"""Pages for insider trading (INS-1..INS-5). Thin: look up through permissions
(404 for what the user may not see; pages of a role they do not hold are 404 too)
→ bind a form → call one service → a refused change is a form error → redirect."""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innovo_compliance.permissions import can, get_visible_or_404, visible
from innovo_compliance.permissions.common import person, roles
from insiders import selectors, services
from insiders.forms import (
    AddInsiderForm,
    CloseForm,
    DecideForm,
    EventWindowForm,
    ProjectForm,
    QuarterlyWindowForm,
    ReportForm,
    RequestForm,
)
from insiders.models import Event, ListEntry, Project, Request, Window
from insiders.services import InsiderError
from policy.insiders import Status, is_designated_insider
from policy.outcomes import Outcome


def _page(request, action: str) -> None:
    """A page of a role the user does not hold is 404, like a hidden object."""
    if not can(request.user, action):
        raise Http404("No such page.")


def _require(request, action: str, obj=None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied


# --- The insider's own page ---------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    """My pre-clearance requests, my insider lists (to acknowledge), the blackout
    windows that cover me, and Form 4 reminders."""
    _page(request, "insiders.page")
    me = person(request.user)
    today = timezone.localdate()
    requests = list(selectors.requests_for(Request.objects.filter(requester=me))[:50])
    entries = list(ListEntry.objects.filter(person=me).select_related("project").order_by("-added_at")[:50])
    insider = is_designated_insider(roles(request.user))
    q = Q(kind=Window.Kind.EVENT, project__entries__person=me)
    if insider:
        q |= Q(kind=Window.Kind.QUARTERLY)
    windows = list(Window.objects.filter(q, end__gte=today).distinct().order_by("start")[:10])
    return render(
        request,
        "insiders/mine.html",
        {
            "requests": requests,
            "entries": entries,
            "windows": windows,
            "today": today,
            "insider": insider,
            "restricted": any(e.project.is_open for e in entries),
            "may_ask": can(request.user, "preclearance.create"),
        },
    )


# --- Pre-clearance ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request):
    _page(request, "preclearance.create")
    if request.method == "GET":
        initial = {"planned_date": request.GET.get("planned_date") or timezone.localdate()}
        return render(request, "insiders/request_form.html", {"form": RequestForm(initial=initial)})
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            pre = services.preclearance_request(actor=request.user, facts=form.facts(), note=form.cleaned_data["note"])
        except (InsiderError, ValueError) as error:
            form.add_error(None, str(error))
        else:
            if pre.status == Status.REFUSED:
                messages.error(request, f"Refused ({', '.join(pre.rule_ids)}): do not trade.")
            else:
                messages.success(request, "Sent for pre-clearance. Do not trade until it is approved.")
            return redirect("insiders:request", pre.pk)
    return render(request, "insiders/request_form.html", {"form": form}, status=200)


def _request_page(request, pre: Request, *, decide_form=None, report_form=None, status=200):
    events = list(Event.objects.filter(request=pre).order_by("at", "id"))
    return render(
        request,
        "insiders/request.html",
        {
            "pre": pre,
            "outcome": Outcome.from_dict(pre.outcome) if pre.outcome else None,
            "events": events,
            "may_decide": can(request.user, "preclearance.decide", pre),
            "may_report": can(request.user, "preclearance.report", pre) and pre.status == Status.APPROVED,
            "decide_form": decide_form or DecideForm(),
            "report_form": report_form or ReportForm(),
            "today": timezone.localdate(),
        },
        status=status,
    )


def _visible_request(request, pk: int) -> Request:
    return get_visible_or_404(request.user, Request, pk=pk)


@login_required
@require_GET
def request_detail(request, pk: int):
    return _request_page(request, _visible_request(request, pk))


@login_required
@require_POST
def request_decide(request, pk: int):
    pre = _visible_request(request, pk)
    _require(request, "preclearance.decide", pre)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.preclearance_decide(
                request_id=pre.pk, actor=request.user, approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except InsiderError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Decision recorded.")
            return redirect("insiders:request", pre.pk)
    return _request_page(request, pre, decide_form=form)


@login_required
@require_POST
def request_report(request, pk: int):
    pre = _visible_request(request, pk)
    _require(request, "preclearance.report", pre)
    form = ReportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.preclearance_report(
                request_id=pre.pk, actor=request.user, traded=data["traded"] == "yes", trade_date=data["trade_date"],
                quantity=data["quantity"], price=data["price"],
            )  # fmt: skip
        except InsiderError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Reported. Thank you.")
            return redirect("insiders:request", pre.pk)
    return _request_page(request, pre, report_form=form)


@login_required
@require_GET
def inbox(request):
    """Requests for the compliance officer (all) or the audit committee (routed to it)."""
    _page(request, "preclearance.inbox")
    waiting = request.GET.get("status", "pending")
    rows = selectors.requests_for(visible(request.user, Request))
    if waiting in {s.value for s in Status}:
        rows = rows.filter(status=waiting)
    return render(
        request,
        "insiders/inbox.html",
        {"rows": list(rows[:200]), "status": waiting, "statuses": [(s.value, s.label) for s in Status]},
    )


# --- Insider lists ---------------------------------------------------------------------------


@login_required
@require_GET
def entry_detail(request, pk: int):
    entry = get_visible_or_404(request.user, ListEntry, pk=pk)
    return render(
        request,
        "insiders/entry.html",
        {
            "entry": entry,
            "may_acknowledge": can(request.user, "insider_list.acknowledge", entry) and entry.project.is_open,
        },
    )


@login_required
@require_POST
def entry_acknowledge(request, pk: int):
    entry = get_visible_or_404(request.user, ListEntry, pk=pk)
    _require(request, "insider_list.acknowledge", entry)
    try:
        services.insider_acknowledge(entry_id=entry.pk, actor=request.user)
    except InsiderError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Acknowledged. Thank you.")
    return redirect("insiders:entry", entry.pk)


# --- Projects (the compliance officer) ------------------------------------------------------


@login_required
@require_GET
def projects(request):
    _page(request, "insiders.manage")
    rows = list(selectors.projects_list())
    return render(request, "insiders/projects.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request):
    _page(request, "insiders.manage")
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_open(actor=request.user, data=services.ProjectInput(**form.cleaned_data))
        except InsiderError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Project opened. Add the people who know.")
            return redirect("insiders:project", project.pk)
    return render(request, "insiders/project_form.html", {"form": form})


def _project_page(request, project: Project, **forms):
    entries = list(project.entries.select_related("person", "added_by__person").order_by("added_at", "id"))
    return render(
        request,
        "insiders/project.html",
        {
            "project": project,
            "entries": entries,
            "windows": list(project.windows.order_by("start")),
            "events": list(project.events.order_by("at", "id")),
            "add_form": forms.get("add_form") or AddInsiderForm(),
            "close_form": forms.get("close_form") or CloseForm(initial={"public_on": timezone.localdate()}),
            "window_form": forms.get("window_form") or EventWindowForm(),
            # A refused change reads at the top too (a closed project shows no forms).
            "refusals": [error for form in forms.values() for error in form.non_field_errors()],
        },
    )


def _project(request, pk: int) -> Project:
    return get_visible_or_404(request.user, Project, pk=pk)


@login_required
@require_GET
def project_detail(request, pk: int):
    return _project_page(request, _project(request, pk))


@login_required
@require_POST
def project_add(request, pk: int):
    project = _project(request, pk)
    form = AddInsiderForm(request.POST)
    if form.is_valid():
        try:
            services.insider_add(
                project_id=project.pk, actor=request.user, person_id=form.cleaned_data["person"].pk,
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except InsiderError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{form.cleaned_data['person'].name} added to the list.")
            return redirect("insiders:project", project.pk)
    return _project_page(request, project, add_form=form)


@login_required
@require_POST
def project_close(request, pk: int):
    project = _project(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.project_close(project_id=project.pk, actor=request.user, public_on=form.cleaned_data["public_on"])
        except InsiderError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Closed: the information is public and the list is frozen.")
            return redirect("insiders:project", project.pk)
    return _project_page(request, project, close_form=form)


@login_required
@require_POST
def project_window(request, pk: int):
    project = _project(request, pk)
    form = EventWindowForm(request.POST)
    if form.is_valid():
        try:
            services.window_event(actor=request.user, project_id=project.pk, **form.cleaned_data)
        except InsiderError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Event window added: it covers this project's list.")
            return redirect("insiders:project", project.pk)
    return _project_page(request, project, window_form=form)


@login_required
@require_GET
def project_export(request, pk: int):
    """The insider list as CSV: who, added when, by whom, why, acknowledged when."""
    project = _project(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="insider-list-{project.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["project", "person", "employee id", "added at", "added by", "reason", "acknowledged at"])
    for entry in project.entries.select_related("person", "added_by__person").order_by("added_at", "id"):
        added_by = getattr(entry.added_by, "person", None) if entry.added_by else None
        writer.writerow(
            [
                project.name,
                entry.person.name,
                entry.person.employee_id,
                entry.added_at.isoformat(),
                added_by.name if added_by else (entry.added_by.get_username() if entry.added_by else ""),
                entry.reason,
                entry.acknowledged_at.isoformat() if entry.acknowledged_at else "",
            ]
        )
    return response


# --- Windows (the compliance officer) -------------------------------------------------------


@login_required
@require_GET
def windows(request):
    _page(request, "insiders.manage")
    return render(request, "insiders/windows.html", _windows_context(QuarterlyWindowForm()))


def _windows_context(form) -> dict:
    today = timezone.localdate()
    return {
        "calendar": selectors.calendar(today),
        "today": today,
        "form": form,
        "days_before": settings.INNOVO["BLACKOUT_DAYS_BEFORE_QUARTER_END"],
        "trading_days_after": settings.INNOVO["BLACKOUT_TRADING_DAYS_AFTER_RELEASE"],
    }


@login_required
@require_POST
def window_new(request):
    _page(request, "insiders.manage")
    form = QuarterlyWindowForm(request.POST)
    if form.is_valid():
        try:
            services.window_quarterly(actor=request.user, **form.cleaned_data)
        except InsiderError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Quarterly window added.")
            return redirect("insiders:windows")
    return render(request, "insiders/windows.html", _windows_context(form))
