"""HR's pages: campaigns (list, open, close), the dashboard of one campaign, and
bulk exports with a progress bar. Only the director of human resources uses
them: anyone else gets 403 (they may know the pages exist, not open them)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from certifications import selectors
from certifications.charts import department_chart
from certifications.forms import CampaignForm
from certifications.models import Campaign, ExportJob
from certifications.services.campaigns import campaign_close, campaign_create
from certifications.services.events import CertificationError
from certifications.services.exports import export_request
from core import keyset
from innovo_compliance.permissions import can, get_visible_or_404

PEOPLE_PER_PAGE = 50


def _require_hr(request) -> None:
    if not can(request.user, "certifications.manage"):
        raise PermissionDenied("Certification campaigns are for the director of human resources.")


@login_required
@require_GET
def campaign_list(request):
    _require_hr(request)
    campaigns = selectors.campaigns_with_counts(timezone.localdate())
    return render(request, "certifications/campaigns.html", {"campaigns": campaigns})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    _require_hr(request)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_create(
                actor=request.user,
                kind=data["kind"],
                audience=data["audience"],
                year=data["year"],
                due_date=data["due_date"],
                title=data["title"],
                reminder_plan=data["reminder_plan"],
            )
        except CertificationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"{campaign.title} is open: {campaign.obligations.count()} people to sign.")
            return redirect("cert_campaign", campaign_id=campaign.pk)
    return render(request, "certifications/campaign_new.html", {"form": form})


@login_required
@require_GET
def campaign_detail(request, campaign_id):
    """The dashboard: signed / pending / overdue, by department with a chart, and the
    people (paginated, filterable). A fixed number of queries whatever the size."""
    _require_hr(request)
    campaign = get_visible_or_404(request.user, Campaign, pk=campaign_id)
    today = timezone.localdate()
    status = request.GET.get("status", "all")
    if status not in selectors.STATUS_FILTERS:
        status = "all"
    departments = selectors.campaign_by_department(campaign, today)
    # Keyset pages (core.keyset): Next and Previous carry the row they start from, so
    # the last of 50,000 people costs what the first does (no OFFSET, no count).
    page = keyset.rows_page(
        selectors.campaign_people(campaign, today, status),
        ["person__department", "person__name", "id"],
        lambda o: (o.person.department, o.person.name, o.pk),
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        per_page=PEOPLE_PER_PAGE,
    )
    return render(
        request,
        "certifications/campaign_detail.html",
        {
            "campaign": campaign,
            "summary": selectors.campaign_summary(campaign, today),
            "departments": departments,
            "chart": department_chart(departments),
            "page": page,
            "status": status,
            "statuses": [(key, key.replace("_", " ").capitalize()) for key in selectors.STATUS_FILTERS],
            "exports": list(campaign.exports.all()[:5]),
            "today": today,
            "now": timezone.now(),
            "can_close": can(request.user, "certifications.close", campaign),
            "can_export": can(request.user, "certifications.export", campaign),
        },
    )


@login_required
@require_POST
def campaign_close_view(request, campaign_id):
    _require_hr(request)
    campaign = get_visible_or_404(request.user, Campaign, pk=campaign_id)
    try:
        campaign_close(campaign_id=campaign.pk, actor=request.user)
    except CertificationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{campaign.title} is closed. Unsigned certificates are recorded as not signed.")
    return redirect("cert_campaign", campaign_id=campaign.pk)


@login_required
@require_POST
def campaign_export(request, campaign_id):
    _require_hr(request)
    campaign = get_visible_or_404(request.user, Campaign, pk=campaign_id)
    job = export_request(campaign_id=campaign.pk, actor=request.user)
    return redirect("cert_export", job_id=job.pk)


def _job(request, job_id) -> ExportJob:
    _require_hr(request)
    return get_visible_or_404(request.user, ExportJob, pk=job_id)


@login_required
@require_GET
def export_detail(request, job_id):
    job = _job(request, job_id)
    return render(request, "certifications/export.html", {"job": job, "now": timezone.now()})


@login_required
@require_GET
def export_progress(request, job_id):
    """The progress partial that htmx polls every second while the job runs."""
    job = _job(request, job_id)
    return render(request, "certifications/_export_progress.html", {"job": job, "now": timezone.now()})


@login_required
@require_GET
def export_download(request, job_id):
    job = _job(request, job_id)
    if job.expired(timezone.now()):
        return render(request, "certifications/export_expired.html", {"job": job}, status=410)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404("This export is not ready.")
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=f"certificates-{job.campaign_id}-{job.pk}.zip",
        content_type="application/zip",
    )
