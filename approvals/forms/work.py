"""Forms for deciding and following up a filing, and the inbox filters."""

from __future__ import annotations

from datetime import date, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils import timezone

from approvals.forms.base import legend
from approvals.models import Decision
from approvals.rules import KIND_TITLES
from approvals.services.decisions import MAX_REVIEW_YEARS, DecisionInput
from people.selectors import committee_members_on
from policy.routing import Decider
from policy.workflow import Status

DATE = {"type": "date"}


def _helper(layout=None) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    if layout is not None:
        helper.layout = layout
    return helper


class DecisionForm(forms.Form):
    """APP-1: the decision, conditions, reason and review date; for the Board also
    the meeting date, resolution reference and recusals (COI-7)."""

    decision = forms.ChoiceField(label="Decision", choices=Decision.CHOICES, widget=forms.RadioSelect)
    conditions = forms.CharField(
        label="Conditions", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed for an approval with conditions; the filer reads them.",
    )  # fmt: skip
    reason = forms.CharField(
        label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed for a denial; the filer reads it.",
    )  # fmt: skip
    review_date = forms.DateField(
        label="Review date", required=False, widget=forms.DateInput(attrs=DATE),
        help_text="For an approval that must be renewed: the filer is reminded before it.",
    )  # fmt: skip

    def __init__(self, *args, case, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.today = today or timezone.localdate()
        self.board = case.decider == Decider.BOARD
        if case.verdict == "prohibited":
            self.fields["decision"].choices = [(Decision.DENIED, "Deny (the Code prohibits it)")]
        layout = ["decision", "conditions", "reason", "review_date"]
        if self.board:
            directors = committee_members_on("board", self.today).order_by("name")
            self.fields["meeting_date"] = forms.DateField(
                label="Board meeting date", widget=forms.DateInput(attrs=DATE)
            )
            self.fields["resolution_reference"] = forms.CharField(label="Resolution reference", max_length=100)
            self.fields["recused"] = forms.ModelMultipleChoiceField(
                label="Directors who recused themselves (COI-7)",
                queryset=directors,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            if case.filer_id and directors.filter(pk=case.filer_id).exists():
                self.fields["recused"].initial = [case.filer_id]
            layout.insert(
                0, Fieldset(legend("The Board's resolution"), "meeting_date", "resolution_reference", "recused")
            )
        self.helper = _helper(Layout(*layout))

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == Decision.APPROVED_WITH_CONDITIONS and not data.get("conditions", "").strip():
            self.add_error("conditions", "Write the conditions of the approval.")
        if decision == Decision.DENIED and not data.get("reason", "").strip():
            self.add_error("reason", "Say why it is denied.")
        review = data.get("review_date")
        if review and review <= self.today:
            self.add_error("review_date", "The review date must be after today.")
        elif review and review > self.today + timedelta(days=366 * MAX_REVIEW_YEARS):
            self.add_error("review_date", f"The review date must be within {MAX_REVIEW_YEARS} years.")
        meeting = data.get("meeting_date")
        if meeting and meeting > self.today:
            self.add_error("meeting_date", "The meeting date cannot be in the future.")
        elif meeting and meeting < self.case.filed_on:
            self.add_error("meeting_date", "The meeting cannot be before the filing date.")
        return data

    def to_input(self) -> DecisionInput:
        data = self.cleaned_data
        return DecisionInput(
            decision=data["decision"],
            conditions=data.get("conditions", ""),
            reason=data.get("reason", ""),
            review_date=data.get("review_date"),
            meeting_date=data.get("meeting_date"),
            resolution_reference=data.get("resolution_reference", ""),
            recused=list(data.get("recused") or []),
        )


class RequestInfoForm(forms.Form):
    question = forms.CharField(
        label="Question for the filer", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class AnswerForm(forms.Form):
    answer = forms.CharField(label="Your answer", widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class DisclosureForm(forms.Form):
    """WAIVE-2: where and when the waiver was disclosed publicly."""

    reference = forms.CharField(
        label="Filing number or web address", max_length=300, help_text="For example a Form 8-K number or a URL."
    )
    disclosed_on = forms.DateField(label="Disclosed on", widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        if not self.is_bound:
            self.initial.setdefault("disclosed_on", self.today.isoformat())
        self.helper = _helper()

    def clean_disclosed_on(self):
        day = self.cleaned_data["disclosed_on"]
        if day > self.today:
            raise forms.ValidationError("The disclosure date cannot be in the future.")
        return day


INBOX_STATUS_CHOICES = [
    ("waiting", "Waiting for a decision"),
    ("info_requested", "Information requested"),
    ("decided", "Decided"),
    ("all", "All"),
]


class InboxFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "All kinds"), *KIND_TITLES.items()],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=INBOX_STATUS_CHOICES,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    overdue = forms.BooleanField(
        label="Overdue only", required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {"kind": "", "status": "waiting", "overdue": False}
        data = self.cleaned_data
        return {"kind": data["kind"], "status": data["status"] or "waiting", "overdue": data["overdue"]}


MY_STATUS_CHOICES = [("", "All"), ("open", "Open"), *[(s.value, s.label) for s in (
    Status.DRAFT, Status.SUBMITTED, Status.INFO_REQUESTED, Status.APPROVED, Status.APPROVED_WITH_CONDITIONS,
    Status.DENIED, Status.RECORDED, Status.WITHDRAWN)]]  # fmt: skip
