"""Forms for reports, follow-up and case work. They parse and validate; the
services write."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import CaseParty, CorrectiveAction
from cases.services.intake import Upload
from people.matching import picked_person
from people.models import Person
from policy.routing import CATEGORY_CHOICES, Category
from policy.workflow import (
    FINDING_STATUSES,
    REPORT,
    CaseFinding,
    ClosureReason,
    Status,
    closure_reasons,
    family,
)

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
# Extension -> (content types we accept, the file's first bytes, or None when text).
ALLOWED_FILES = {
    "pdf": b"%PDF-",
    "png": b"\x89PNG\r\n\x1a\n",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
    "gif": b"GIF8",
    "txt": None,
    "csv": None,
    "docx": b"PK\x03\x04",
    "xlsx": b"PK\x03\x04",
    "eml": None,
}
TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "txt": "text/plain",
    "csv": "text/csv",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "eml": "message/rfc822",
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def read_uploads(files) -> list[Upload]:
    """Check type (by extension and content) and size; read into memory (<= 10 MB each)."""
    if len(files) > MAX_FILES:
        raise ValidationError(f"Attach at most {MAX_FILES} files.")
    uploads = []
    for f in files:
        extension = f.name.rsplit(".", 1)[-1].lower() if "." in f.name else ""
        if extension not in ALLOWED_FILES:
            allowed = ", ".join(sorted(ALLOWED_FILES))
            raise ValidationError(f"{f.name}: this type of file is not accepted (allowed: {allowed}).")
        if f.size > MAX_FILE_BYTES:
            raise ValidationError(f"{f.name} is larger than 10 MB.")
        data = f.read()
        magic = ALLOWED_FILES[extension]
        if magic is not None and not data.startswith(magic):
            raise ValidationError(f"{f.name} is not really a .{extension} file.")
        if magic is None and b"\x00" in data[:4096]:
            raise ValidationError(f"{f.name} is not a text file.")
        uploads.append(Upload(name=f.name, content_type=TYPES[extension], data=data))
    return uploads


class ReportForm(forms.Form):
    """The speak-up intake (REP-1): the same form for questions (ASK-1)."""

    category = forms.ChoiceField(
        choices=[("", "Choose the area of the Code")] + CATEGORY_CHOICES,
        help_text="Accounting and audit concerns go to the audit committee; harassment to the director of "
        "human resources; everything else to the compliance officer.",
    )
    title = forms.CharField(max_length=200, label="In a few words, what is it about?")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="What happened?")
    when_where = forms.CharField(max_length=500, required=False, label="When and where did it happen?")
    people_about = forms.CharField(
        max_length=2000,
        required=False,
        label="Who is it about? (names, one per line)",
        help_text="People named here never see this report, and it never goes to them: it goes one level up. "
        "Names are matched to the roster, however they are spelled.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    witnesses = forms.CharField(
        max_length=2000,
        required=False,
        label="Witnesses (names, one per line)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    how_known = forms.CharField(
        max_length=1000, required=False, label="How do you know?", widget=forms.Textarea(attrs={"rows": 2})
    )
    files = MultipleFileField(
        required=False,
        label="Attachments",
        help_text="Up to 5 files, 10 MB each: PDF, images, text, CSV, Word, Excel or e-mail.",
    )
    anonymous = forms.BooleanField(
        required=False,
        label="Report anonymously",
        help_text="We will not know who you are. You get a receipt key to read our questions and answer them.",
    )

    def __init__(self, *args, question: bool = False, logged_in: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        if question:
            self.fields["category"].required = False
            self.fields["category"].help_text = "Optional: the area of the Code your question is about."
            self.fields["title"].label = "Your question, in a few words"
            self.fields["description"].label = "Your question"
            for name in ("when_where", "people_about", "witnesses", "how_known"):
                del self.fields[name]
        if logged_in and not question:
            # The roster picker (static/js/roster-picker.js): suggestions from the roster
            # for people who are logged in; typed names are matched either way.
            for name in ("people_about", "witnesses"):
                self.fields[name].widget.attrs["data-roster-picker"] = reverse("roster_search")
        if not logged_in:
            self.fields["anonymous"].initial = True
            self.fields["anonymous"].disabled = True
            self.fields[
                "anonymous"
            ].help_text = "You are not logged in, so this report is anonymous. Keep the receipt key you will get."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*[Field(name) for name in self.fields])

    def clean_files(self):
        return read_uploads(self.cleaned_data.get("files") or [])

    def clean_category(self):
        value = self.cleaned_data.get("category")
        return Category(value) if value else Category.OTHER

    def picked(self, *, confirmed: bool):
        """Lines chosen from the roster picker (they end with the employee id), as
        parties: confirmed for a reporter who is logged in, likely otherwise."""
        from cases.services.parties import Party, lines

        people = []
        for name, role in (("people_about", CaseParty.SUBJECT), ("witnesses", CaseParty.WITNESS)):
            for line in lines(self.cleaned_data.get(name, "")):
                person = picked_person(line)
                if person is not None:
                    status = CaseParty.CONFIRMED if confirmed else CaseParty.LIKELY
                    people.append(Party(person=person, role=role, status=status, matched_from=line))
        return people

    def typed(self, name: str) -> str:
        """The lines of a names field that were typed, not picked."""
        from cases.services.parties import lines

        return "\n".join(line for line in lines(self.cleaned_data.get(name, "")) if picked_person(line) is None)


class ReceiptKeyForm(forms.Form):
    key = forms.CharField(
        max_length=60,
        label="Receipt key",
        help_text="The key you got when you reported, e.g. ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class ReporterReplyForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Your answer")
    files = MultipleFileField(required=False, label="Add files")

    def clean_files(self):
        return read_uploads(self.cleaned_data.get("files") or [])

    def clean(self):
        data = super().clean()
        if not data.get("body", "").strip() and not data.get("files"):
            raise ValidationError("Write an answer or add a file.")
        return data


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=[(s.value, s.label) for s in Status])
    note = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why (internal note, optional)",
        help_text="For the team only: the reporter sees the new status, never this note. "
        "To tell the reporter something, send them a message.",
    )


class PartyForm(forms.Form):
    """A handler adds someone to the case: picked from the roster or typed."""

    person = forms.CharField(
        max_length=200,
        label="Person",
        help_text="Type a name or an employee id; pick from the roster's suggestions to be exact.",
    )
    role = forms.ChoiceField(choices=CaseParty.ROLE_CHOICES, initial=CaseParty.SUBJECT, label="Role")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].widget.attrs["data-roster-picker"] = reverse("roster_search")


class PartyReviewForm(forms.Form):
    party = forms.IntegerField(min_value=1, max_value=2**62)
    reason = forms.CharField(required=False, max_length=2000)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label="Assign to", empty_label="Nobody (unassigned)"
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = candidates if candidates is not None else Person.objects.none()


class BodyForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class TaskForm(forms.Form):
    title = forms.CharField(max_length=200)
    due = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ReferenceForm(forms.Form):
    reference = forms.CharField(max_length=24, label="Case reference", help_text="e.g. R-2026-000123")


FINDING_CHOICES = [("", "Choose the finding")] + [(f.value, f.label) for f in CaseFinding]


class FindingForm(forms.Form):
    """REP-4: the finding of an investigation (no default: the investigator chooses)."""

    finding = forms.ChoiceField(choices=FINDING_CHOICES)
    action_kind = forms.ChoiceField(
        choices=[("", "No corrective action")] + CorrectiveAction.KIND_CHOICES,
        required=False,
        label="Corrective action",
    )
    action_description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="What was done"
    )

    def clean(self):
        data = super().clean()
        if data.get("action_kind") and not data.get("action_description", "").strip():
            self.add_error("action_description", "Describe the corrective action.")
        return data


class CloseForm(forms.Form):
    """REP-4: closing a report or question, with a finding or a closure reason."""

    finding = forms.ChoiceField(choices=FINDING_CHOICES, required=False, label="Finding")
    closure_reason = forms.ChoiceField(choices=[], required=False, label="Or close without a finding, because")
    note = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why (internal note, optional)",
    )
    close_with_open_tasks = forms.BooleanField(required=False, label="Close although tasks are still open")

    def __init__(self, *args, kind=None, status=None, **kwargs):
        super().__init__(*args, **kwargs)
        reasons = closure_reasons(kind) if kind else list(ClosureReason)
        self.fields["closure_reason"].choices = [("", "Choose a reason")] + [(r.value, r.label) for r in reasons]
        if kind is not None and (family(kind) != REPORT or Status(status) not in FINDING_STATUSES):
            # Questions have no finding, and a report has one only after an investigation began.
            del self.fields["finding"]
            self.fields["closure_reason"].label = "Close because"

    def clean(self):
        data = super().clean()
        if not data.get("finding") and not data.get("closure_reason"):
            if "finding" in self.fields:
                raise ValidationError("Choose the finding, or a reason to close without one.")
            raise ValidationError("Choose a reason for closing.")
        return data


class ReasonForm(forms.Form):
    """Withdraw and reopen: actions that need a reason on the record."""

    reason = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 2}), label="Why")


class MergeForm(ReferenceForm):
    reason = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="Why is this a duplicate of it?"
    )


class HoldForm(forms.Form):
    matter = forms.CharField(max_length=200, help_text="The subpoena or government investigation.")
    reason = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why the records must be kept",
        help_text="What the matter is about; recorded on every held case's timeline.",
    )
    references = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Case references (one per line)"
    )
    people = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="People whose cases are held (employee ids, one per line)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Fieldset("", "matter", "reason", "references", "people"))

    def clean_people(self):
        ids = [line.strip() for line in self.cleaned_data.get("people", "").splitlines() if line.strip()]
        people = list(Person.objects.filter(employee_id__in=ids))
        unknown = sorted(set(ids) - {p.employee_id for p in people})
        if unknown:
            raise ValidationError(f"Not on the roster: {', '.join(unknown)}")
        return people


class ReleaseForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why is the hold released?")
