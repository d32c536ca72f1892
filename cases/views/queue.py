"""The compliance officer's main screen: every case the user may see, with
filters, search, sorting, counts per status, saved filters and bulk assignment."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cases import selectors
from cases.models import SavedFilter
from cases.selectors import cursor_of, filtered, parse_params, queue, saved_filters
from cases.services import cases_bulk_assign
from cases.views.common import assignable_people
from innovo_compliance.permissions import can
from people.models import Person
from policy.routing import CATEGORY_CHOICES, FilingKind
from policy.workflow import Status


def _moved(params, result, step: int) -> str:
    """The next or previous page: by cursor from the row at the edge of this one
    (keyset) when the sort allows it, else by number; the first page needs none."""
    page = result.page + step
    if page == 1 or params.sort not in ("newest", "oldest") or not result.cases:
        return params.querystring(page=page, after="", before="")
    if step > 0:
        return params.querystring(page=page, after=cursor_of(result.cases[-1]), before="")
    return params.querystring(page=page, before=cursor_of(result.cases[0]), after="")


@login_required
@require_GET
def queue_view(request):
    if not can(request.user, "queue.view"):
        raise PermissionDenied
    params, errors = parse_params(request.GET)
    for error in errors:
        messages.error(request, error)
    result = queue(request.user, params)
    now = timezone.now()
    # Bulk assignment is offered only for the rows this user may assign (never to
    # investigators; never a filing): the parties decide who the case is about.
    may_assign = can(request.user, "queue.assign")
    if may_assign:
        prefetch_related_objects(result.cases, "parties")
    rows = [
        (case, case.next_deadline(now), may_assign and can(request.user, "case.assign", case)) for case in result.cases
    ]
    context = {
        "result": result,
        "rows": rows,
        "params": params,
        "kinds": [(k.value, k.label.capitalize()) for k in FilingKind],
        "categories": CATEGORY_CHOICES,
        # Past the search's count cap the per-status numbers are partial: none is shown.
        "statuses": [
            (s.value, s.label, "" if result.capped else result.counts.get(s.value, 0), s.value in params.status)
            for s in Status
        ],
        "search_cap": f"{selectors.SEARCH_COUNT_CAP:,}",
        "saved": saved_filters(request.user),
        "assignees": [(p.pk, p.name, str(p.pk) == params.assignee) for p in assignable_people()],
        "querystring": params.querystring(),
        "bulk": any(assignable for _, _, assignable in rows),
        "can_hold": can(request.user, "hold.manage"),
        "filters_on": bool(params.querystring(page=1, sort="newest")),
        # The pager offers only the moves that lead somewhere.
        "first_qs": params.querystring(page=1) if result.page > 2 else None,
        "prev_qs": _moved(params, result, -1) if result.page > 1 else None,
        "next_qs": _moved(params, result, +1) if result.page < result.pages else None,
        "last_qs": params.querystring(page=result.pages)
        if result.page < result.pages - 1 and not result.capped
        else None,
        "sort_choices": [
            ("newest", "Newest first"),
            ("oldest", "Oldest first"),
            ("due", "Feedback due"),
            ("reference", "Reference"),
            ("status", "Status"),
        ],
        "can_export": can(request.user, "register.export"),
    }
    template = (
        "cases/_queue_table.html" if request.htmx and request.htmx.target == "queue-table" else "cases/queue.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def bulk_assign(request):
    if not can(request.user, "queue.view"):
        raise PermissionDenied
    ids = [int(i) for i in request.POST.getlist("case") if i.isdigit()]
    raw = request.POST.get("assignee", "")
    # No default: "Choose…" is empty and refused; unassigning is chosen explicitly ("none").
    assignee = get_object_or_404(Person, pk=int(raw)) if raw.isdigit() else None
    if not ids:
        messages.error(request, "Select at least one case to assign.")
    elif raw != "none" and assignee is None:
        messages.error(request, "Choose who to assign the selected cases to (or “Nobody” to unassign them).")
    else:
        done, problems = cases_bulk_assign(case_ids=ids, actor=request.user, assignee=assignee)
        if done:
            what = f"{done} case{pluralize(done)}"
            messages.success(request, f"{what} assigned to {assignee}." if assignee else f"{what} unassigned.")
        for problem in problems[:10]:
            messages.error(request, problem)
    return redirect(f"{request.path.rsplit('bulk-assign/', 1)[0]}?{request.POST.get('querystring', '')}")


@login_required
@require_POST
def filter_save(request):
    if not can(request.user, "queue.view"):
        raise PermissionDenied
    name = request.POST.get("name", "").strip()[:80]
    query = request.POST.get("query", "")[:1000]
    if not name:
        messages.error(request, "Give the filter a name.")
    else:
        SavedFilter.objects.update_or_create(user=request.user, name=name, defaults={"query": query})
        messages.success(request, f"Filter “{name}” saved.")
    return redirect(f"/cases/?{query}")


@login_required
@require_POST
def filter_delete(request, pk: int):
    get_object_or_404(SavedFilter, pk=pk, user=request.user).delete()
    return redirect("queue")


class _Echo:
    def write(self, value):
        return value


@login_required
@require_GET
def register_csv(request):
    """The case register for auditors and the Board: only cases the user may see,
    with the queue's filters; no narrative text (it stays in the app)."""
    if not can(request.user, "register.export"):
        raise PermissionDenied
    params, _ = parse_params(request.GET)
    rows = filtered(request.user, params).select_related("assignee").order_by("created_at", "id")
    header = [
        "reference",
        "kind",
        "category",
        "status",
        "received",
        "filed_on",
        "routed_to",
        "assignee",
        "anonymous",
        "finding",
        "closure_reason",
        "closed",
    ]
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for case in rows.iterator(chunk_size=1000):
            yield writer.writerow(
                [
                    case.reference,
                    case.kind,
                    case.category,
                    case.status,
                    timezone.localtime(case.created_at).isoformat(timespec="minutes"),
                    case.filed_on.isoformat(),
                    case.decider,
                    case.assignee.name if case.assignee else "",
                    "yes" if case.anonymous else "no",
                    case.finding,
                    case.closure_reason,
                    timezone.localtime(case.closed_at).isoformat(timespec="minutes") if case.closed_at else "",
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="case-register-{timezone.localdate()}.csv"'
    return response
