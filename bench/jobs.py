"""The certificate and reminder benchmarks, run inside the app through its own
services: `python -m bench.jobs <command> [options]` in a subprocess with the
benchmark's environment (`bench.run` starts them).

With `--wait`, a command prepares (imports, warm-up), prints `READY` and waits
for a line on stdin before the timed part, so that several processes start
together. The result is the last line on stdout: `BENCH-RESULT {json}`.
Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import datetime, timedelta

RESULT = "BENCH-RESULT "
WARMUP = 3


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovo_compliance.settings")
    import django

    django.setup()


def _memory_mb() -> dict[str, float]:
    """This process's resident memory now and at its peak (VmRSS, VmHWM)."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, amount = line.split(":")
                values[name] = round(int(amount.split()[0]) / 1024, 1)
    return {"rss_mb": values.get("VmRSS"), "peak_mb": values.get("VmHWM")}


def _barrier(wait: bool) -> None:
    if wait:
        print("READY", flush=True)
        sys.stdin.readline()


def _progress(message: str) -> None:
    print(f"    {message}", file=sys.stderr, flush=True)


# --- Certificates: render and sign ---------------------------------------------------


def render(args) -> dict:
    """Render and sign certificates of existing certifications (read-only: nothing
    is stored), each through the app's `certificate_context` and
    `render_signed_certificate`, as `certificate_issue_pdf` does."""
    from certifications.models import Certification
    from certifications.services.certify import certificate_context, render_signed_certificate

    start = args.worker * (args.count + WARMUP)
    certifications = list(
        Certification.objects.select_related("obligation__campaign", "obligation__person", "code_version").order_by(
            "id"
        )[start : start + args.count + WARMUP]
    )
    if len(certifications) < args.count + WARMUP:
        raise SystemExit(f"Only {len(certifications)} certifications to render; need {args.count + WARMUP}.")
    for certification in certifications[:WARMUP]:  # fonts, templates, the signing key
        render_signed_certificate(certificate_context(certification))
    _barrier(args.wait)
    started = time.time()
    samples = []
    for certification in certifications[WARMUP:]:
        t0 = time.perf_counter()
        data = render_signed_certificate(certificate_context(certification))
        samples.append((time.perf_counter() - t0) * 1000)
        if not data.startswith(b"%PDF"):
            raise SystemExit("render_signed_certificate did not return a PDF")
    result = {"count": len(samples), "samples_ms": [round(s, 2) for s in samples], "start": started, "end": time.time()}
    if args.breakdown:
        result["breakdown_ms"] = _breakdown(certifications[: args.breakdown])
    result["memory"] = _memory_mb()
    return result


def _breakdown(certifications) -> dict[str, float]:
    """Median ms of each step of one certificate: context (with the QR code),
    template to HTML, WeasyPrint to PDF, pyHanko signature."""
    from django.conf import settings
    from django.template.loader import render_to_string

    from certifications import pdf, signing
    from certifications.services.certify import certificate_context

    steps: dict[str, list[float]] = {"context_and_qr": [], "html": [], "weasyprint": [], "sign": []}
    for certification in certifications:
        t0 = time.perf_counter()
        context = certificate_context(certification)
        t1 = time.perf_counter()
        html = render_to_string("pdf/certificate.html", context)
        t2 = time.perf_counter()
        raw = pdf.render_certificate_pdf(html)
        t3 = time.perf_counter()
        signer = signing.load_signer(settings.INNOVO["SIGNING_KEY"], settings.INNOVO["SIGNING_CERT"])
        signing.sign_pdf(raw, signer=signer, reason=context["title"], location=context["organisation"])
        t4 = time.perf_counter()
        for name, seconds in zip(steps, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            steps[name].append(seconds * 1000)
    return {name: round(statistics.median(values), 1) for name, values in steps.items()}


# --- Bulk export ------------------------------------------------------------------------


def export_setup(args) -> dict:
    """A closed campaign with `count` signed certifications (PDFs not issued yet)."""
    from django.db import transaction
    from django.utils import timezone

    from certifications.models import Campaign, Certification, CodeVersion, Obligation
    from people.models import Person

    code = CodeVersion.current()
    year = timezone.localdate().year - 1
    people = list(Person.objects.order_by("id").values_list("id", "name")[: args.count])
    if len(people) < args.count:
        raise SystemExit(f"Only {len(people)} people for an export of {args.count} certificates.")
    signed_at = datetime(year, 2, 10, 10, 0, tzinfo=timezone.get_current_timezone())
    with transaction.atomic():
        campaign = Campaign.objects.create(
            kind="annual",
            audience="everyone",
            year=year,
            title=f"Benchmark export of {args.count} certificates",
            code_version=code,
            opens_on=signed_at.date() - timedelta(days=20),
            due_date=signed_at.date() + timedelta(days=40),
            status="closed",
        )
        obligations = Obligation.objects.bulk_create(
            [
                Obligation(
                    person_id=person_id,
                    campaign=campaign,
                    code_version=code,
                    assigned_on=campaign.opens_on,
                    due_date=campaign.due_date,
                    status="signed",
                )
                for person_id, _ in people
            ],
            batch_size=2000,
        )
        names = dict(people)
        Certification.objects.bulk_create(
            [
                Certification(
                    obligation=obligation,
                    certificate_number=f"AC-{year}-BX{obligation.pk:08d}",
                    signed_at=signed_at,
                    code_version=code,
                    code_sha256=code.sha256,
                    person_name=names[obligation.person_id],
                    person_title="Associate",
                    typed_name=names[obligation.person_id],
                    answers={},
                )
                for obligation in obligations
            ],
            batch_size=2000,
        )
    return {"campaign": campaign.pk, "certifications": len(obligations)}


def issue(args) -> dict:
    """Issue (render, sign, store) the PDFs of one worker's share of a campaign's
    certificates with the app's `certificate_issue_pdf`."""
    from certifications.models import Certification
    from certifications.services.certify import certificate_issue_pdf

    ids = list(
        Certification.objects.filter(obligation__campaign_id=args.campaign).order_by("id").values_list("id", flat=True)
    )
    mine = ids[args.worker :: args.workers]
    _barrier(args.wait)
    started = time.time()
    for done, pk in enumerate(mine, start=1):
        certificate_issue_pdf(certification_id=pk)
        if done % 500 == 0:
            _progress(f"[issue {args.worker}] {done}/{len(mine)} PDFs ({time.time() - started:.0f}s)")
    return {"count": len(mine), "start": started, "end": time.time()}


def export(args) -> dict:
    """HR asks for the export (`export_request`) and this process, as the worker,
    builds it (`export_build`): wall time and this process's peak memory."""
    import zipfile

    from django.contrib.auth import get_user_model

    from certifications.services.exports import export_build, export_request

    hr = get_user_model().objects.get(username="jgrant")
    job = export_request(campaign_id=args.campaign, actor=hr)
    before = _memory_mb()
    started = time.perf_counter()
    job = export_build(job_id=job.pk)
    seconds = time.perf_counter() - started
    after = _memory_mb()
    with zipfile.ZipFile(job.file.path) as archive:
        members = archive.namelist()
    return {
        "job": job.pk,
        "status": job.status,
        "certificates": job.done,
        "zip_members": len(members),
        "pdf_members": sum(1 for name in members if name.endswith(".pdf")),
        "zip_mb": round(job.size / 1024 / 1024, 1),
        "seconds": round(seconds, 2),
        "memory_before": before,
        "memory_after": after,
    }


# --- Reminders ----------------------------------------------------------------------------


def reminders_setup(args) -> dict:
    """One open campaign whose `people` pending obligations each have three reminder
    steps due today (assigned ten days ago, due tomorrow: "assigned", "due_minus_7",
    "due_minus_1"). Every other campaign is closed and its pending obligations
    cancelled, and mail still queued is set aside, so that the dispatch sends only
    for this one."""
    from django.utils import timezone

    from certifications.models import Campaign, Obligation
    from certifications.services.campaigns import campaign_create
    from certifications.services.obligations import obligations_sync
    from core.models import OutboxItem
    from policy.deadlines import due_reminder_steps

    today = timezone.localdate()

    def only_ours():
        Obligation.objects.filter(status="pending").update(status="cancelled")
        Campaign.objects.filter(status="open").update(status="closed")
        # Mail other work left queued in this copy (the page runs' reports notify the
        # officer): the dispatch would send it too, and the check would count it.
        OutboxItem.objects.filter(status__in=["pending", "running"]).update(
            status="failed", last_error="Set aside by the reminders benchmark: not one of its messages."
        )

    only_ours()
    obligations_sync(today=today)  # the roster's catch-up (new hires, leavers), before the timing
    only_ours()
    assigned, due = today - timedelta(days=10), today + timedelta(days=1)
    started = time.perf_counter()
    campaign = campaign_create(
        actor=None, kind="annual", audience="everyone", year=today.year, due_date=due, today=assigned, title=args.title
    )
    open_seconds = time.perf_counter() - started
    pending = list(campaign.obligations.filter(status="pending").order_by("id").values_list("id", flat=True))
    Obligation.objects.filter(id__in=pending[args.people :]).update(status="cancelled")
    steps = due_reminder_steps(assigned_on=assigned, due=due, today=today)
    people = min(len(pending), args.people)
    return {
        "campaign": campaign.pk,
        "people": people,
        "audience": len(pending),
        "open_seconds": round(open_seconds, 2),
        "steps": steps,
        "expected": people * len(steps),
    }


def reminders_dispatch(args) -> dict:
    """The beat's task body, `reminders_dispatch()` (steps recorded and their e-mails
    queued in the outbox), then the outbox dispatcher that the run's kick starts on
    a worker (`outbox.dispatch()`: the e-mails sent), both in this process and timed
    together: with two such processes, two of each run at once."""
    from certifications.services.reminders import ReminderDeliveryError
    from certifications.services.reminders import reminders_dispatch as dispatch
    from core import outbox

    _barrier(args.wait)
    started = time.time()
    error = None
    try:
        sent = dispatch()
    except ReminderDeliveryError as failure:
        sent, error = None, str(failure)
    queued = time.time()
    mailed = outbox.dispatch()
    return {
        "sent": sent,
        "mailed": mailed,
        "error": error,
        "start": started,
        "queued_seconds": round(queued - started, 2),
        "end": time.time(),
        "memory": _memory_mb(),
    }


def reminders_check(args) -> dict:
    """Count what was recorded and what was sent: rows per (obligation, step) more than
    once, messages beyond the recorded rows, identical messages."""
    from django.db.models import Count

    from certifications.models import ReminderSent

    rows = ReminderSent.objects.filter(obligation__campaign_id=args.campaign)
    twice = rows.values("obligation_id", "step").annotate(n=Count("id")).filter(n__gt=1).count()
    by_step = dict(rows.order_by().values_list("step").annotate(n=Count("id")))
    lines = []
    if os.path.exists(args.mail_log):
        with open(args.mail_log, encoding="utf-8") as log:
            lines = [line for line in log if line.strip()]
    with_recipients = rows.exclude(recipients="").count()
    return {
        "rows": rows.count(),
        "rows_with_recipients": with_recipients,
        "by_step": by_step,
        "rows_recorded_twice": twice,
        "messages": len(lines),
        "messages_beyond_rows": max(0, len(lines) - with_recipients),
        "identical_messages": len(lines) - len(set(lines)),
    }


COMMANDS = {
    "render": render,
    "export-setup": export_setup,
    "issue": issue,
    "export": export,
    "reminders-setup": reminders_setup,
    "reminders-dispatch": reminders_dispatch,
    "reminders-check": reminders_check,
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.jobs")
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--worker", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--breakdown", type=int, default=0)
    parser.add_argument("--campaign", type=int, default=0)
    parser.add_argument("--people", type=int, default=0)
    parser.add_argument("--title", default="Benchmark reminders")
    parser.add_argument("--mail-log", default="")
    parser.add_argument("--wait", action="store_true")
    args = parser.parse_args(argv)
    _setup()
    result = COMMANDS[args.command](args)
    print(RESULT + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
