"""Legal holds (REC-1): the compliance officer places and releases them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms import HoldForm, ReleaseForm
from cases.models import Case, LegalHold
from cases.services import CaseError, hold_create, hold_release
from innovo_compliance.permissions import can, visible


@login_required
@require_http_methods(["GET", "POST"])
def holds(request):
    if not can(request.user, "hold.manage"):
        raise PermissionDenied
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refs = [line.strip() for line in form.cleaned_data["references"].splitlines() if line.strip()]
        cases = list(visible(request.user, Case).filter(reference__in=refs))
        missing = sorted(set(refs) - {c.reference for c in cases})
        if missing:
            form.add_error("references", f"No case you can see with reference {', '.join(missing)}.")
        else:
            try:
                hold = hold_create(
                    actor=request.user,
                    matter=form.cleaned_data["matter"],
                    reason=form.cleaned_data["reason"],
                    cases=cases,
                    people=form.cleaned_data["people"],
                )
            except CaseError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Legal hold “{hold.matter}” placed.")
                return redirect("holds")
    listing = LegalHold.objects.prefetch_related("cases", "people").select_related(
        "created_by__person", "released_by__person"
    )
    return render(request, "cases/holds.html", {"form": form, "holds": listing, "release_form": ReleaseForm()})


@login_required
@require_POST
def hold_release_view(request, pk: int):
    if not can(request.user, "hold.manage"):
        raise PermissionDenied
    hold = get_object_or_404(LegalHold, pk=pk)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the hold is released.")
    else:
        try:
            hold_release(actor=request.user, hold=hold, reason=form.cleaned_data["reason"])
            messages.success(request, f"Legal hold “{hold.matter}” released.")
        except CaseError as error:
            messages.error(request, str(error))
    return redirect("holds")
