"""Pages for the person who signs: Read the Code, my certificates, read-and-sign,
download. Thin: look up through permissions, bind a form, call one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from certifications import pdf, selectors
from certifications.codetext import sections
from certifications.forms import SignForm
from certifications.models import Certification, CodeVersion, Kind, Obligation
from certifications.services.certify import certificate_issue_pdf, certification_sign
from certifications.services.events import CertificationError
from certifications.services.obligations import obligation_code_opened
from innovo_compliance.permissions import can, get_visible_or_404, visible

# Filing pages of other apps; the exception link opens them pre-filled, passing the
# certification's id (selectors.own_exception_initial), never the text.
REPORT_URL = "/report/"
CONFLICT_URL = "/approvals/new/conflict/"


@require_GET
def read_code(request):
    """The current Code in full, with a table of contents and an anchor per section:
    public, so a visitor who wants to speak up can read what the Code says first.
    `?obligation=<id>` reads it for a certificate to sign (recorded as opened; that
    page needs a login)."""
    if request.GET.get("obligation", "").isdigit():
        return redirect("cert_read", obligation_id=int(request.GET["obligation"]))
    code = CodeVersion.current()
    if code is None:
        raise Http404("No Code has been published yet.")
    parts = sections(code.text)
    return render(request, "certifications/code.html", {"code": code, "sections": parts})


def _obligation(request, obligation_id) -> Obligation:
    queryset = visible(request.user, Obligation).select_related("person", "campaign", "code_version")
    try:
        return queryset.get(pk=obligation_id)
    except Obligation.DoesNotExist:
        raise Http404("No such certificate.") from None


@login_required
@require_GET
def my_certificates(request):
    """Everything I was asked to sign, pending first, with my certificates."""
    obligations = list(selectors.obligations_of(request.person))
    return render(
        request,
        "certifications/mine.html",
        {"obligations": obligations, "today": timezone.localdate()},
    )


@login_required
@require_GET
def obligation_read(request, obligation_id):
    """The Code version this certificate is about. Opening it is recorded: signing
    needs it (CERT-1: the person has read the Code)."""
    obligation = _obligation(request, obligation_id)
    if obligation.person.user_id == request.user.pk and obligation.is_pending and obligation.code_opened_at is None:
        obligation = obligation_code_opened(obligation_id=obligation.pk, actor=request.user)
    code = obligation.code_version
    return render(
        request,
        "certifications/code.html",
        {"code": code, "sections": sections(code.text), "obligation": obligation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def obligation_sign(request, obligation_id):
    """Read-and-sign: the Code link, the questionnaire (annual), typed name and password."""
    obligation = _obligation(request, obligation_id)
    own = obligation.person.user_id == request.user.pk
    if request.method == "POST" and not own:
        raise PermissionDenied("Only the person named can sign this certificate.")
    form = SignForm(request.POST or None, user=request.user, obligation=obligation) if own else None
    if request.method == "POST" and form.is_valid():
        try:
            certification_sign(
                obligation_id=obligation.pk,
                actor=request.user,
                typed_name=form.cleaned_data["typed_name"],
                answers=form.answers(),
                exception=form.cleaned_data.get("exception", ""),
                ip_address=request.META.get("REMOTE_ADDR"),
                user_agent=request.headers.get("user-agent", ""),
            )
        except CertificationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Signed. Your certificate is ready to download.")
            return redirect("cert_sign", obligation_id=obligation.pk)
    certification = Certification.objects.filter(obligation=obligation).first()
    kind = obligation.campaign.kind
    return render(
        request,
        "certifications/sign.html",
        {
            "obligation": obligation,
            "certification": certification,
            "form": form,
            "own": own,
            "annual": kind == Kind.ANNUAL,
            "wording": pdf.ANNUAL_CERTIFICATION_WORDING
            if kind == Kind.ANNUAL
            else pdf.confirmation_wording(obligation.code_version.text),
            "overdue": obligation.is_overdue(timezone.localdate()),
            "can_sign": can(request.user, "certifications.sign", obligation),
            "can_download": can(request.user, "certifications.download", obligation),
            "exception_links": _exception_links(certification) if own else [],
            "followup_case": _followup_case(request, certification),
        },
    )


def _followup_case(request, certification):
    """CERT-2: the exception's follow-up case, for whoever may see it (the signer, as
    its filer, and the compliance officer); nobody else learns its reference."""
    if certification is None or not certification.followup_case_id:
        return None
    from cases.models import Case

    return visible(request.user, Case).filter(pk=certification.followup_case_id).first()


def _exception_links(certification) -> list[tuple[str, str]]:
    """An explained exception opens a pre-filled report or conflict disclosure."""
    if certification is None or not certification.has_exception:
        return []
    links = [("Disclose a conflict of interest", f"{CONFLICT_URL}?exception={certification.pk}")]
    if not certification.followup_case_id:  # signed before follow-up cases were opened
        links.insert(0, ("Report a concern about it", f"{REPORT_URL}?exception={certification.pk}"))
    return links


@login_required
@require_GET
def certificate_download(request, obligation_id):
    """The signed certificate PDF (rendered now if its task has not run yet)."""
    obligation = get_visible_or_404(request.user, Obligation, pk=obligation_id)
    if not can(request.user, "certifications.download", obligation):
        raise Http404("This certificate has not been signed.")
    certification = obligation.certification
    if not (certification.pdf and certification.pdf_sha256):
        certification = certificate_issue_pdf(certification_id=certification.pk)
    return FileResponse(
        certification.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certification.certificate_number}.pdf",
        content_type="application/pdf",
    )
