"""The shell pages: home (or the public speak-up page), get help, health check, error pages."""

from importlib import import_module

from django.conf import settings
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from people.models import Designation
from people.selectors import committee_members_on, designee_on

HOME_PROVIDERS = ["certifications.home", "cases.home", "approvals.home", "insiders.home"]


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


@require_GET
def home(request):
    """Each person's start page: my tasks, my filings; for officers, their queues.
    A visitor (no login: an anonymous reporter) gets the public speak-up page."""
    if not request.user.is_authenticated:
        return render(request, "public_home.html")
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


# --- Error pages in the app's shell ------------------------------------------------


def permission_denied(request, exception=None):
    """403: visible but not allowed. The exception's text names an action code
    ("case.assign"), which is for the logs, not for the page."""
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    """404: missing and hidden read alike."""
    return render(request, "404.html", status=404)


def server_error(request):
    """500: static. No request context, so no context processor, no session and no
    database query runs: it renders when the database is down."""
    html = render_to_string(
        "500.html", {"organisation": settings.INNOVO["ORGANISATION"], "hotline": settings.INNOVO["HOTLINE"]}
    )
    return HttpResponseServerError(html)
