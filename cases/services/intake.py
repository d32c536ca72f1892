"""Intake: reports and questions, named or anonymous (REP-1, REP-2, REP-3, ASK-1).

A report is saved, with its attachments and the people it names, in one short
transaction; the notices it owes go into the outbox in the same transaction
and are sent after the commit (core.outbox), so e-mail or a broker that is down
cannot lose it. For anonymous reports nothing about the reporter's connection
is stored; the receipt key is shown once and kept only as an argon2 hash.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cases.models import KIND_PREFIX, Attachment, Case, CaseParty, CategorySetting
from cases.notify import notify_new
from cases.routing import route_case
from cases.services import parties
from cases.services.common import CaseError, record_event
from cases.services.parties import Party
from cases.services.receipts import case_save_with_receipt, new_receipt_key
from cases.services.search import refresh_search_text, search_text  # noqa: F401 (search_text: filings)
from innovo_compliance.text import sentence
from policy.deadlines import add_months
from policy.routing import Category, FilingKind
from policy.workflow import INITIAL_STATUS, family


@dataclass
class Upload:
    name: str
    content_type: str
    data: bytes


@dataclass
class ReportInput:
    kind: FilingKind
    category: Category
    title: str
    description: str
    when_where: str = ""
    how_known: str = ""
    parties: list[Party] = field(default_factory=list)  # picked from the roster
    people_about: str = ""  # names typed, one per line: who the report is about
    witnesses: str = ""  # names typed, one per line
    files: list[Upload] = field(default_factory=list)


def case_deadlines(category: str, received: datetime) -> dict[str, datetime]:
    setting = CategorySetting.objects.filter(category=category).first() if category else None
    ack = setting.acknowledge_days if setting else 7
    investigate = setting.investigate_days if setting else 14
    months = setting.feedback_months if setting else 3
    return {
        "acknowledge_due": received + timedelta(days=ack),
        "investigate_due": received + timedelta(days=investigate),
        "feedback_due": add_months(received, months),
    }


def assign_reference(case: Case) -> None:
    case.reference = f"{KIND_PREFIX[FilingKind(case.kind)]}-{case.created_at:%Y}-{case.pk:06d}"
    Case.objects.filter(pk=case.pk).update(reference=case.reference)


def _store(case: Case, upload: Upload, *, from_reporter: bool, user=None) -> Attachment:
    digest = hashlib.sha256(upload.data).hexdigest()
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else "bin"
    attachment = Attachment(
        case=case,
        original_name=upload.name[:255],
        content_type=upload.content_type,
        size=len(upload.data),
        sha256=digest,
        from_reporter=from_reporter,
        uploaded_by=user,
    )
    attachment.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(upload.data), save=False)
    attachment.save()
    return attachment


def attachments_add(case: Case, files: list[Upload], *, from_reporter: bool, user=None) -> list[Attachment]:
    return [_store(case, f, from_reporter=from_reporter, user=user) for f in files]


def report_submit(*, data: ReportInput, reporter=None, anonymous: bool) -> tuple[Case, str | None]:
    """Save a report or question. Returns the case and, for an anonymous report,
    the receipt key (shown once, never stored)."""
    if not data.title.strip() or not data.description.strip():
        raise CaseError("Say briefly what happened: a title and a description are needed.")
    filer = None
    if not anonymous:
        filer = reporter.person if reporter is not None and hasattr(reporter, "person") else None
        if filer is None:
            raise CaseError("A named report needs a login that is on the roster; you can report anonymously.")
    now = timezone.now()
    today = timezone.localdate(now)
    people = parties.resolve(
        picked=data.parties,
        typed={CaseParty.SUBJECT: data.people_about, CaseParty.WITNESS: data.witnesses},
        prose=[data.title, data.description, data.when_where, data.how_known],
        skip={filer.pk} if filer else set(),
    )
    subjects = parties.about(people)
    decider = route_case(data.kind, filer=filer, day=today, category=data.category, subjects=subjects)
    key = new_receipt_key() if anonymous else None
    with transaction.atomic():
        case = Case(
            kind=data.kind,
            category=data.category,
            status=INITIAL_STATUS[family(data.kind)],
            title=data.title.strip()[:200],
            description=data.description.strip(),
            filer=filer,
            anonymous=anonymous,
            filed_on=today,
            decider=decider,
            facts={"when_where": data.when_where, "how_known": data.how_known},
            **case_deadlines(data.category, now),
        )
        setting = CategorySetting.objects.filter(category=data.category).select_related("auto_assignee").first()
        if (
            setting
            and setting.auto_assignee_id
            and setting.auto_assignee_id not in subjects | {getattr(filer, "id", 0)}
        ):
            case.assignee = setting.auto_assignee
        if key:
            key = case_save_with_receipt(case, key)
        else:
            case.save()
        assign_reference(case)
        stored = parties.store(case, people)
        attachments_add(case, data.files, from_reporter=True, user=None if anonymous else reporter)
        refresh_search_text(case)
        record_event(
            case,
            actor=None if anonymous else reporter,
            action="received",
            to_status=case.status,
            note=f"Routed to {case.get_decider_display().lower()}.",
            rule_ids=_routing_rules(data.category, data.kind),
            internal=False,
        )
        if case.assignee_id:
            record_event(
                case, actor=None, label="System", action="assigned", note=sentence(f"Auto-assigned to {case.assignee}")
            )
        likely = [p for p in stored if p.status == CaseParty.LIKELY and p.person_id]
        if likely:
            record_event(
                case,
                actor=None,
                label="System",
                action="party-added",
                note="Likely named, to confirm or clear: "
                + ", ".join(f"{p.person} (“{p.matched_from}”)" for p in likely),
            )
        notify_new(case)
    return case, key


def _routing_rules(category: str, kind: str) -> list[str]:
    if kind == FilingKind.QUESTION:
        return ["ASK-1"]
    if category == Category.ACCOUNTING:
        return ["REP-1", "REP-2"]
    if category == Category.HARASSMENT:
        return ["REP-1", "REP-3"]
    return ["REP-1"]
