from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

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
