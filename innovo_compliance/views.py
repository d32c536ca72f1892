"""The shell pages: home, get help, health check."""

from importlib import import_module

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from people.models import Designation
from people.selectors import committee_members_on, designee_on

HOME_PROVIDERS = ["certifications.home", "cases.home", "approvals.home"]


def _home_panels(request) -> dict:
    """Each app may offer a `home` module with tasks(request), filings(request) and
    queues(request), each returning a list of dicts (label, url, due, overdue, status...)."""
    panels = {"tasks": [], "filings": [], "queues": []}
    for name in HOME_PROVIDERS:
        try:
            module = import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        for key in panels:
            provider = getattr(module, key, None)
            if provider:
                panels[key].extend(provider(request))
    return panels


@login_required
@require_GET
def home(request):
    """Each person's start page: my tasks, my filings; for officers, their queues."""
    return render(request, "home.html", _home_panels(request))


@require_GET
def get_help(request):
    """The Code's contacts (from the roster, today) and the audit-committee hotline."""
    today = timezone.localdate()
    contacts = [
        ("Compliance officer", designee_on(Designation.COMPLIANCE_OFFICER, today)),
        ("Director of Human Resources", designee_on(Designation.HR_DIRECTOR, today)),
    ]
    audit = list(committee_members_on("audit", today))
    return render(request, "help.html", {"contacts": contacts, "audit_committee": audit})


@require_GET
def healthz(request):
    return JsonResponse({"ok": True})
