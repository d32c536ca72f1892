"""The public verification page (no login): a certificate number, or an uploaded
PDF, is valid (who, what, when) or not (and why). It shows nothing else."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from certifications import selectors
from certifications.forms import VerifyNumberForm, VerifyUploadForm
from certifications.services.certify import normalise_number

NOT_A_PDF = "This file is not a PDF. Upload the certificate PDF exactly as you downloaded it."


@require_http_methods(["GET", "POST"])
def verify(request):
    """GET ?number=... looks a number up; POST checks an uploaded PDF."""
    number_form = VerifyNumberForm(request.GET if "number" in request.GET else None)
    if number_form.is_bound and number_form.is_valid():
        return redirect("cert_verify_number", number=normalise_number(number_form.cleaned_data["number"]))
    upload_form = VerifyUploadForm(request.POST or None, request.FILES or None)
    verdict = None
    if request.method == "POST" and upload_form.is_valid():
        verdict = selectors.verify_upload(upload_form.cleaned_data["file"])
        if verdict.not_a_pdf:
            upload_form.add_error("file", NOT_A_PDF)
            verdict = None
    return render(
        request,
        "certifications/verify.html",
        {"number_form": number_form, "upload_form": upload_form, "verdict": verdict},
    )


@require_GET
def verify_number(request, number):
    """Where the certificate's QR code points."""
    number = normalise_number(number)
    certification = selectors.certificate_by_number(number)
    return render(
        request,
        "certifications/verify_number.html",
        {"number": number, "certification": certification, "number_form": VerifyNumberForm()},
        status=200 if certification else 404,
    )
