"""Signing a certificate (CERT-1, CERT-2, CERT-3) and issuing its signed PDF.

`certification_sign` stores the evidence in one transaction; the PDF is
rendered and digitally signed by a task after the commit
(`certificate_issue_pdf`), which does nothing if the PDF exists, so running it
twice is harmless. The download view calls it directly when the task has not
run yet.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from certifications import pdf, rules, signing
from certifications.models import Certification, Kind, Obligation
from certifications.services.campaigns import RULE_FOR_KIND
from certifications.services.events import CertificationError, record
from core import outbox
from people.selectors import titles_on

NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud, typed from paper
NUMBER_PREFIX = {Kind.CONFIRMATION: "CC", Kind.ANNUAL: "AC", Kind.DISTRIBUTION: "UC"}
CERTIFICATE_TITLE = {
    Kind.CONFIRMATION: "Confirmation Certificate",
    Kind.ANNUAL: "Annual Certification of Compliance",
    Kind.DISTRIBUTION: "Confirmation Certificate",
}


def new_certificate_number(*, kind: str, year: int) -> str:
    """A random, unguessable number such as CC-2026-7K3M-Q9TX.

    Random rather than sequential: the public verification page answers "who
    signed this?" for a number, and sequential numbers would let anyone list
    every certificate.
    """
    while True:
        token = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
        number = f"{NUMBER_PREFIX[Kind(kind)]}-{year}-{token[:4]}-{token[4:]}"
        if not Certification.objects.filter(certificate_number=number).exists():
            return number


def normalise_number(text: str) -> str:
    return "".join(text.split()).upper()


def certification_sign(
    *,
    obligation_id: int,
    actor,
    typed_name: str,
    answers: dict | None = None,
    exception: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
    now: datetime | None = None,
) -> Certification:
    """The person signs their own pending obligation.

    The password was checked by the form (it is the person's login password);
    here: the obligation is theirs and still open, they opened the Code, the typed
    name is their roster name, and for an annual certification every question is
    answered and any "no" explained. On any refusal nothing is written.
    """
    now = now or timezone.now()
    with transaction.atomic():
        obligation = (
            Obligation.objects.select_for_update(of=("self",))
            .select_related("person", "campaign", "code_version")
            .get(pk=obligation_id)
        )
        if obligation.person.user_id != getattr(actor, "pk", None):
            raise PermissionDenied("Only the person named can sign their certificate.")
        if obligation.status == Obligation.Status.SIGNED:
            existing = Certification.objects.get(obligation=obligation)
            raise CertificationError(
                f"You already signed this certificate on {timezone.localtime(existing.signed_at):%B %-d, %Y} "
                f"(certificate {existing.certificate_number}). It cannot be signed twice."
            )
        if not obligation.is_pending or not obligation.campaign.is_open:
            raise CertificationError("This certificate can no longer be signed: the request was withdrawn or closed.")
        if obligation.code_opened_at is None:
            raise CertificationError("Open and read the Code (step 1) before you sign.")
        if not rules.names_match(typed_name, obligation.person.name):
            raise CertificationError(
                f"The name you typed does not match the name on the roster ({obligation.person.name}).",
                field="typed_name",
            )
        kind = obligation.campaign.kind
        answers = dict(answers or {})
        exception = (exception or "").strip()
        if kind == Kind.ANNUAL:
            missing = [key for key, _ in rules.ANNUAL_QUESTIONS if not isinstance(answers.get(key), bool)]
            if missing:
                raise CertificationError("Answer every question of the annual certification.", field=missing[0])
            if rules.answers_need_exception(answers) and not exception:
                raise CertificationError("You answered “no”: explain the exception.", field="exception")
        else:
            answers = {"read_and_understood": True}
            exception = ""
        day = timezone.localdate(now)
        certification = Certification.objects.create(
            obligation=obligation,
            certificate_number=new_certificate_number(kind=kind, year=day.year),
            signed_at=now,
            code_version=obligation.code_version,
            code_sha256=obligation.code_version.sha256,
            person_name=obligation.person.name,
            person_title=", ".join(titles_on(obligation.person, day)),
            typed_name=" ".join(typed_name.split()),
            answers=answers,
            exception=exception,
            ip_address=ip_address or None,
            user_agent=(user_agent or "")[:500],
        )
        obligation.status = Obligation.Status.SIGNED
        obligation.save(update_fields=["status"])
        record(
            "signed",
            actor=actor,
            obligation=obligation,
            rule=RULE_FOR_KIND[Kind(kind)],
            detail=f"Certificate {certification.certificate_number}"
            + (" with an exception explained." if exception else "."),
        )
        if exception:
            case = _exception_followup(certification, obligation, actor, answers)
            record(
                "exception-case",
                actor=actor,
                obligation=obligation,
                rule="CERT-2",
                detail=f"Follow-up case {case.reference} opened for the exception.",
            )
        # Rendered and signed after the commit by the outbox (a broker that is down delays it).
        outbox.job(
            "certifications.services.certify.certificate_issue_pdf",
            key=f"certificate-pdf:{certification.pk}",
            certification_id=certification.pk,
        )
    return certification


def _exception_followup(certification: Certification, obligation: Obligation, actor, answers: dict):
    """CERT-2: an exception explained on the annual certification is work for the
    compliance officer: a case filed in the signer's name, routed like any report
    (one level up when it names the compliance officer or is his own), in the same
    transaction as the signature."""
    from cases.services import ReportInput, report_submit
    from policy.routing import Category, FilingKind

    noes = [text for key, text in rules.ANNUAL_QUESTIONS if answers.get(key) is False]
    only_conflicts = [key for key, _ in rules.ANNUAL_QUESTIONS if answers.get(key) is False] == ["conflicts_disclosed"]
    description = (
        f"{obligation.person.name} signed “{obligation.campaign.title}” (certificate "
        f"{certification.certificate_number}) and answered “no” to:\n"
        + "\n".join(f"- {text}" for text in noes)
        + f"\n\nTheir explanation:\n{certification.exception}"
    )
    case, _ = report_submit(
        data=ReportInput(
            kind=FilingKind.REPORT,
            category=Category.CONFLICTS if only_conflicts else Category.OTHER,
            title=f"Annual certification exception: {obligation.person.name}",
            description=description,
        ),
        reporter=actor,
        anonymous=False,
    )
    certification.followup_case = case
    certification.save(update_fields=["followup_case"])
    return case


def verify_url(number: str) -> str:
    return settings.SITE_URL + reverse("cert_verify_number", args=[number])


def certificate_context(certification: Certification) -> dict:
    """Everything `templates/pdf/certificate.html` needs, as plain values."""
    obligation = certification.obligation
    kind = obligation.campaign.kind
    code = certification.code_version
    url = verify_url(certification.certificate_number)
    return {
        "kind": kind,
        "title": CERTIFICATE_TITLE[Kind(kind)],
        "wording": pdf.ANNUAL_CERTIFICATION_WORDING if kind == Kind.ANNUAL else pdf.confirmation_wording(code.text),
        "person_name": certification.person_name,
        "person_title": certification.person_title,
        "typed_name": certification.typed_name,
        "signed_at": timezone.localtime(certification.signed_at),
        "code_title": code.title,
        "code_version": code.number,
        "code_effective": code.effective_date,
        "code_sha256": certification.code_sha256,
        "certificate_number": certification.certificate_number,
        "verify_url": url,
        "qr_png": pdf.qr_png(url),
        "has_exception": certification.has_exception,
        "organisation": settings.INNOVO["ORGANISATION"],
    }


def render_signed_certificate(context: dict) -> bytes:
    """Render the certificate template to PDF and sign it with the organisation's key.

    Needs no database: the bulk-export tests call it from worker processes."""
    html = render_to_string("pdf/certificate.html", context)
    signer = signing.load_signer(settings.INNOVO["SIGNING_KEY"], settings.INNOVO["SIGNING_CERT"])
    return signing.sign_pdf(
        pdf.render_certificate_pdf(html),
        signer=signer,
        reason=f"{context['title']} {context['certificate_number']}",
        location=context.get("organisation") or None,
    )


def certificate_issue_pdf(*, certification_id: int) -> Certification:
    """Render, sign and store the certificate PDF, and record its SHA-256. Does
    nothing when the PDF already exists: the stored file is the certificate."""
    with transaction.atomic():
        certification = (
            Certification.objects.select_for_update(of=("self",))
            .select_related("obligation__campaign", "obligation__person", "code_version")
            .get(pk=certification_id)
        )
        if certification.pdf and certification.pdf_sha256:
            return certification
        data = render_signed_certificate(certificate_context(certification))
        certification.pdf.save(f"{certification.certificate_number}.pdf", ContentFile(data), save=False)
        certification.pdf_sha256 = signing.sha256_hex(data)
        certification.pdf_issued_at = timezone.now()
        certification.save(update_fields=["pdf", "pdf_sha256", "pdf_issued_at"])
        record(
            "pdf-issued",
            obligation=certification.obligation,
            detail=f"{certification.certificate_number}: SHA-256 {certification.pdf_sha256}",
        )
    return certification
