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
    FindingForm,
    PartyForm,
    PartyReviewForm,
    ReferenceForm,
    TaskForm,
    TransitionForm,
)
from cases.models import Case, CaseParty
from cases.selectors import links_for, other_cases_visible, timeline_for
from cases.services.holds import held_q, is_held
from cases.views.common import assignable_people
from innovo_compliance.permissions import can, get_visible_or_404, visible
from people.matching import match_name, picked_person, picker_label
from people.models import Person
from policy.workflow import TRANSITIONS, Status, TransitionError, family

SPECIAL = {Status.MERGED, Status.WITHDRAWN}


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


def _context(request, case: Case) -> dict:
    internal = can(request.user, "case.see_internal", case)
    merged_into = None
    if case.merged_into_id:
        merged_into = other_cases_visible(request.user, [case.merged_into_id]).get(case.merged_into_id)
    next_statuses = [
        (s.value, s.label)
        for s in sorted(TRANSITIONS[family(case.kind)].get(Status(case.status), ()))
        if s not in SPECIAL
    ]
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
        "notes": case.notes.select_related("author") if internal else [],
        "tasks": case.tasks.select_related("assignee") if internal else [],
        "links": links_for(request.user, case) if internal else [],
        "attachments": case.attachments.all(),
        "actions": case.corrective_actions.all() if internal and case.finding else [],
        "next_statuses": next_statuses,
        "deadline": case.next_deadline(),
        "transition_form": TransitionForm(),
        "assign_form": AssignForm(candidates=assignable_people(), initial={"assignee": case.assignee_id})
        if internal
        else None,
        "finding_form": FindingForm(),
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
    """Every write on a report or question: bind the form, call one service, report
    errors. Filings are changed only on their own pages (approvals.views)."""
    case = _case(request, pk)
    if case.is_filing and action not in PARTY_ACTIONS:
        raise Http404("No such action.")
    post = request.POST
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
        elif action in ("party-confirm", "party-clear"):
            form = PartyReviewForm(post)
            if form.is_valid():
                party = get_object_or_404(case.parties, pk=form.cleaned_data["party"])
                if action == "party-confirm":
                    services.party_confirm(party_id=party.pk, actor=request.user)
                else:
                    services.party_clear(party_id=party.pk, actor=request.user, reason=form.cleaned_data["reason"])
        elif action == "transition":
            form = TransitionForm(post)
            if form.is_valid():
                services.case_transition(
                    case_id=case.pk,
                    actor=request.user,
                    to_status=form.cleaned_data["to_status"],
                    note=form.cleaned_data["note"],
                )
        elif action == "assign":
            form = AssignForm(post, candidates=Person.objects.all())
            if form.is_valid():
                services.case_assign(case_id=case.pk, actor=request.user, assignee=form.cleaned_data["assignee"])
        elif action == "note":
            form = BodyForm(post)
            if form.is_valid():
                services.note_add(case_id=case.pk, actor=request.user, body=form.cleaned_data["body"])
        elif action == "message":
            form = BodyForm(post)
            if form.is_valid():
                if can(request.user, "case.message_as_filer", case):
                    services.message_from_reporter(case=case, body=form.cleaned_data["body"], user=request.user)
                else:
                    services.message_to_reporter(case_id=case.pk, actor=request.user, body=form.cleaned_data["body"])
        elif action == "task":
            form = TaskForm(post)
            if form.is_valid():
                services.task_add(
                    case_id=case.pk, actor=request.user, title=form.cleaned_data["title"], due=form.cleaned_data["due"]
                )
        elif action == "task-done":
            form = None
            task = get_object_or_404(case.tasks, pk=int(post.get("task", "0") or 0))
            services.task_done(task_id=task.pk, actor=request.user)
        elif action == "link":
            form = ReferenceForm(post)
            if form.is_valid():
                services.link_add(
                    case_id=case.pk, actor=request.user, other=_other(request, form.cleaned_data["reference"])
                )
        elif action == "merge":
            form = ReferenceForm(post)
            if form.is_valid():
                services.case_merge(
                    case_id=case.pk,
                    actor=request.user,
                    into=_other(request, form.cleaned_data["reference"]),
                    reason=post.get("reason", "")[:2000],
                )
        elif action == "finding":
            form = FindingForm(post)
            if form.is_valid():
                data = form.cleaned_data
                actions = [(data["action_kind"], data["action_description"])] if data["action_kind"] else []
                services.finding_record(case_id=case.pk, actor=request.user, finding=data["finding"], actions=actions)
        elif action == "withdraw":
            form = None
            services.case_withdraw(case_id=case.pk, actor=request.user, reason=post.get("reason", ""))
        else:
            raise Http404("No such action.")
    except (services.CaseError, TransitionError) as error:
        messages.error(request, str(error))
        return redirect(_page_of(case))
    if form is not None and not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{field}: {error}" if field != "__all__" else error)
    else:
        messages.success(request, "Saved.")
    return redirect(_page_of(case))


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
