from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from innovo_compliance.permissions import can
from people.forms import RosterUploadForm
from people.roster_import import RosterImportError, import_roster


@login_required
def roster_import(request):
    """HR's upload page: the same all-or-nothing import as `manage.py import_roster`."""
    if not can(request.user, "roster.import"):
        raise PermissionDenied
    result = None
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = import_roster(form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"], actor=request.user)
        except RosterImportError as error:
            for message in error.errors:
                form.add_error("file", message)
    return render(request, "people/roster_import.html", {"form": form, "result": result})


@login_required
@require_GET
def roster_search(request):
    """The roster picker's suggestions (names, current titles, employee ids) for
    people on the roster; never for visitors who are not logged in."""
    from people.matching import picker_label, search_roster
    from people.selectors import titles_on

    if not can(request.user, "roster.search"):
        raise PermissionDenied
    today = timezone.localdate()
    people = search_roster(request.GET.get("q", "")[:100])
    results = [{"label": picker_label(p, ", ".join(titles_on(p, today)))} for p in people]
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-store"
    return response
