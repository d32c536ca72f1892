"""One case: its page, the actions on it, its files and its PDF export.

Every view looks the case up through the permissions module (not visible → 404)
and checks the action (visible but not allowed → 403) before calling a service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cases import services
from cases.forms import (
    AssignForm,
    BodyForm,
    CloseForm,
    FindingForm,
    MergeForm,
    PartyForm,
    PartyReviewForm,
    ReasonForm,
    ReferenceForm,
    TaskForm,
    TransitionForm,
)
from cases.models import Case, CaseParty
from cases.selectors import links_for, other_cases_visible, timeline_for
from cases.services.holds import held_q, is_held
from cases.views.common import assignable_people
from innovo_compliance.permissions import can, get_visible_or_404, visible
from innovo_compliance.text import sentence
from people.matching import match_name, picked_person, picker_label
from people.models import Person
from policy.workflow import (
    FINDING_STATUSES,
    REPORT,
    TRANSITIONS,
    CaseFinding,
    ClosureReason,
    Status,
    TransitionError,
    family,
    is_reopen,
)

SPECIAL = {Status.MERGED, Status.WITHDRAWN}
FINDING_IDS = "record_%s"


def _case(request, pk: int, *, page: bool = False) -> Case:
    """The case if the user may see it (else 404); for the page, with its parties
    (each permission answer reads them) and its hold status in the same queries."""
    if not page:
        return get_visible_or_404(request.user, Case, pk=pk)
    qs = (
        visible(request.user, Case)
        .select_related("filer", "assignee", "merged_into")
        .prefetch_related(Prefetch("parties", queryset=CaseParty.objects.select_related("person")))
        .annotate(held=held_q())
    )
    case = qs.filter(pk=pk).first()
    if case is None:
        raise Http404("No such case.")
    return case


def _context(request, case: Case, bound: dict | None = None) -> dict:
    """The page's context; `bound` holds a form that failed (by action), so what was
    typed is shown again with its errors."""
    internal = can(request.user, "case.see_internal", case)
    merged_into = None
    if case.merged_into_id:
        merged_into = other_cases_visible(request.user, [case.merged_into_id]).get(case.merged_into_id)
    onward = TRANSITIONS[family(case.kind)].get(Status(case.status), frozenset())
    next_statuses = [
        (s.value, s.label)
        for s in sorted(onward, key=list(Status).index)
        if s not in SPECIAL and s != Status.CLOSED and not is_reopen(case.status, s)
    ]
    works = internal and can(request.user, "case.work", case)
    is_open = case.is_open
    bound = bound or {}
    tasks = list(case.tasks.select_related("assignee")) if internal else []
    return {
        "case": case,
        "internal": internal,
        "can_assign": can(request.user, "case.assign", case),
        "can_withdraw": can(request.user, "case.withdraw", case),
        "can_reply": can(request.user, "case.message_as_filer", case),
        "can_hold": can(request.user, "case.hold", case),
        "held": internal and (case.held if hasattr(case, "held") else is_held(case)),
        "parties": [p for p in case.parties.all() if p.status != CaseParty.CLEARED] if internal else [],
        "likely": [p for p in case.parties.all() if p.is_likely and p.person_id] if internal else [],
        "can_add_party": can(request.user, "case.party_add", case),
        "can_review_party": can(request.user, "case.party_review", case),
        "party_form": PartyForm(),
        "merged_into": merged_into,
        "events": timeline_for(request.user, case, internal=internal),
        "messages_": case.messages.all(),
        "notes": case.notes.select_related("author__person") if internal else [],
        "tasks": tasks,
        "links": links_for(request.user, case) if internal else [],
        "attachments": case.attachments.all(),
        "actions": case.corrective_actions.all() if internal and case.finding else [],
        "next_statuses": next_statuses,
        "deadline": case.next_deadline(),
        "is_open": is_open,
        "works": works,
        # REP-4: each form only where its action is allowed; an ended case offers Reopen only.
        "can_close": works and Status.CLOSED in onward,
        "can_reopen": works and any(is_reopen(case.status, s) for s in onward),
        "can_record_finding": works and family(case.kind) == REPORT and Status(case.status) in FINDING_STATUSES,
        "can_merge": works and Status.MERGED in onward,
        "open_tasks": [t for t in tasks if t.done_at is None] if works else [],
        "closure_reason": ClosureReason(case.closure_reason).label if case.closure_reason else "",
        "finding_label": CaseFinding(case.finding).label if case.finding else "",
        "bound": bound,
        "transition_form": bound.get("transition") or TransitionForm(),
        "close_form": bound.get("close") or CloseForm(kind=case.kind, status=case.status),
        "assign_form": (
            bound.get("assign") or AssignForm(candidates=assignable_people(), initial={"assignee": case.assignee_id})
        )
        if internal
        else None,
        # Its own ids: the close form has a "finding" field too, on the same page.
        "finding_form": bound.get("finding") or FindingForm(auto_id=FINDING_IDS),
    }


@login_required
@require_GET
def case_detail(request, pk: int):
    case = _case(request, pk, page=True)
    if case.is_filing:
        try:
            return redirect(reverse("approvals:filing", args=[case.pk]))
        except NoReverseMatch:
            pass
    return render(request, "cases/case_detail.html", _context(request, case))


def _other(request, reference: str) -> Case:
    other = visible(request.user, Case).filter(reference__iexact=reference.strip()).first()
    if other is None:
        raise services.CaseError(f"No case {reference} that you can see.")
    return other


def _party_person(request, case: Case, form) -> Person | None:
    """The person a handler picked (by employee id from the picker), or the only
    roster match for what they typed; several matches are an error listing them."""
    text = form.cleaned_data["person"]
    person = picked_person(text)
    if person is not None:
        return person
    matches = [p for p, _ in match_name(text)]
    if len(matches) > 1:
        names = "; ".join(picker_label(p) for p in matches[:8])
        raise services.CaseError(f"Several people on the roster match “{text}”: {names}. Pick one from the list.")
    return matches[0] if matches else None


@login_required
@require_POST
def case_action(request, pk: int, action: str):
    """Every write on a report or question: bind the form, call one service, say
    what was done ("R-2026-000004 withdrawn"), or report the errors. Filings are
    changed only on their own pages (approvals.views)."""
    case = _case(request, pk)
    if case.is_filing and action not in PARTY_ACTIONS:
        raise Http404("No such action.")
    post = request.POST
    ref = case.reference
    done = ""
    try:
        if action == "party-add":
            form = PartyForm(post)
            if form.is_valid():
                person = _party_person(request, case, form)
                services.party_add(
                    case_id=case.pk,
                    actor=request.user,
                    person=person,
                    name="" if person else form.cleaned_data["person"],
                    role=form.cleaned_data["role"],
                )
                done = f"{person.name if person else form.cleaned_data['person']} added to {ref}."
        elif action in ("party-confirm", "party-clear"):
            form = PartyReviewForm(post)
            if form.is_valid():
                party = get_object_or_404(case.parties, pk=form.cleaned_data["party"])
                if action == "party-confirm":
                    services.party_confirm(party_id=party.pk, actor=request.user)
                    done = f"{party} confirmed on {ref}."
                else:
                    services.party_clear(party_id=party.pk, actor=request.user, reason=form.cleaned_data["reason"])
                    done = f"{party} cleared from {ref}."
        elif action == "transition":
            form = TransitionForm(post)
            if form.is_valid():
                to_status = Status(form.cleaned_data["to_status"])
                if to_status == Status.CLOSED or is_reopen(case.status, to_status):
                    raise services.CaseError("Use the Close or Reopen form: they ask for the reason.")
                services.case_transition(
                    case_id=case.pk, actor=request.user, to_status=to_status, note=form.cleaned_data["note"]
                )
                done = f"{ref} moved to {to_status.label.lower()}."
        elif action == "close":
            form = CloseForm(post, kind=case.kind, status=case.status)
            if form.is_valid():
                data = form.cleaned_data
                services.case_transition(
                    case_id=case.pk,
                    actor=request.user,
                    to_status=Status.CLOSED,
                    finding=data.get("finding", ""),
                    closure_reason=data["closure_reason"],
                    note=data["note"],
                    close_with_open_tasks=data["close_with_open_tasks"],
                )
                done = f"{ref} closed."
        elif action == "reopen":
            form = ReasonForm(post)
            if form.is_valid():
                services.case_transition(
                    case_id=case.pk, actor=request.user, to_status=Status.TRIAGE, note=form.cleaned_data["reason"]
                )
                done = f"{ref} reopened: it is in triage again."
        elif action == "assign":
            form = AssignForm(post, candidates=Person.objects.all())
            if form.is_valid():
                assignee = form.cleaned_data["assignee"]
                services.case_assign(case_id=case.pk, actor=request.user, assignee=assignee)
                done = sentence(f"{ref} assigned to {assignee.name}") if assignee else f"{ref} is unassigned."
        elif action == "note":
            form = BodyForm(post)
            if form.is_valid():
                services.note_add(case_id=case.pk, actor=request.user, body=form.cleaned_data["body"])
                done = "Note added."
        elif action == "message":
            form = BodyForm(post)
            if form.is_valid():
                if can(request.user, "case.message_as_filer", case):
                    services.message_from_reporter(case=case, body=form.cleaned_data["body"], user=request.user)
                    done = "Your message was sent to the compliance team."
                else:
                    services.message_to_reporter(case_id=case.pk, actor=request.user, body=form.cleaned_data["body"])
                    done = "Message sent to the reporter."
        elif action == "task":
            form = TaskForm(post)
            if form.is_valid():
                services.task_add(
                    case_id=case.pk, actor=request.user, title=form.cleaned_data["title"], due=form.cleaned_data["due"]
                )
                done = "Task added."
        elif action == "task-done":
            form = None
            task = get_object_or_404(case.tasks, pk=int(post.get("task", "0") or 0))
            services.task_done(task_id=task.pk, actor=request.user)
            done = sentence(f"Task done: {task.title}")
        elif action == "link":
            form = ReferenceForm(post)
            if form.is_valid():
                other = _other(request, form.cleaned_data["reference"])
                services.link_add(case_id=case.pk, actor=request.user, other=other)
                done = f"{ref} linked to {other.reference}."
        elif action == "merge":
            form = MergeForm(post)
            if form.is_valid():
                into = _other(request, form.cleaned_data["reference"])
                services.case_merge(case_id=case.pk, actor=request.user, into=into, reason=form.cleaned_data["reason"])
                done = f"{ref} merged into {into.reference}."
        elif action == "finding":
            form = FindingForm(post, auto_id=FINDING_IDS)
            if form.is_valid():
                data = form.cleaned_data
                actions = [(data["action_kind"], data["action_description"])] if data["action_kind"] else []
                services.finding_record(case_id=case.pk, actor=request.user, finding=data["finding"], actions=actions)
                done = "Finding recorded."
        elif action == "withdraw":
            form = ReasonForm(post)
            if form.is_valid():
                services.case_withdraw(case_id=case.pk, actor=request.user, reason=form.cleaned_data["reason"])
                done = f"{ref} withdrawn."
        else:
            raise Http404("No such action.")
    except (services.CaseError, TransitionError) as error:
        return _refused(request, case, action, form, [str(error)])
    if form is not None and not form.is_valid():
        problems = []
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else None
            label = label or field.replace("_", " ").capitalize()
            problems += [error if field == "__all__" else f"{label}: {error}" for error in errors]
        return _refused(request, case, action, form, problems)
    messages.success(request, done or "Saved.")
    return redirect(_page_of(case))


def _refused(request, case: Case, action: str, form, problems: list[str]):
    """The action could not be done: say why, and keep what was typed. A filing's
    page (party actions) is another view, so there the message goes with a redirect."""
    if case.is_filing:
        for problem in problems:
            messages.error(request, problem)
        return redirect(_page_of(case))
    page = _case(request, case.pk, page=True)
    context = _context(request, page, bound={action: form} if form is not None else {})
    context["problems"] = problems
    context["failed_action"] = action
    return render(request, "cases/case_detail.html", context, status=400)


PARTY_ACTIONS = ("party-add", "party-confirm", "party-clear")


def _page_of(case: Case) -> str:
    return reverse("approvals:filing", args=[case.pk]) if case.is_filing else reverse("case_detail", args=[case.pk])


@login_required
@require_GET
def attachment_download(request, pk: int, attachment_id: int):
    case = _case(request, pk)
    attachment = get_object_or_404(case.attachments, pk=attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def case_pdf(request, pk: int):
    """One case as a PDF with its timeline; internal notes only for those allowed to see them."""
    from certifications.pdf import render_pdf

    case = _case(request, pk, page=True)
    context = _context(request, case)
    context["generated_at"] = timezone.now()
    html = render_to_string("pdf/case.html", context, request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
