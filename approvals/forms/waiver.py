"""WAIVE-1, WAIVE-2: the waiver request form, for a named provision of the Code."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from crispy_forms.layout import Fieldset, Layout
from django import forms

from approvals.forms.base import BLANK, FilingForm, legend


@lru_cache(maxsize=4)
def _provisions(text_hash: str, text: str) -> tuple[tuple[str, str], ...]:
    from certifications.codetext import sections

    skip = {"note", "foreword", "introduction", "helpful-phone-numbers", "confirmation-certificate"}
    choices, parent, in_admin = [], "", False
    for section in sections(text):
        if section.level == 1:
            parent, in_admin = section.title, section.anchor == "administration-of-the-code"
        if section.anchor in skip or in_admin:
            continue
        label = section.title if section.level == 1 else f"{parent} — {section.title}"
        choices.append((section.anchor, label))
    return tuple(choices)


def provision_choices() -> list[tuple[str, str]]:
    """WAIVE-1: the provisions of the current Code that a waiver can name."""
    from certifications.models import CodeVersion

    code = CodeVersion.current()
    return list(_provisions(code.sha256, code.text)) if code else []


class WaiverForm(FilingForm):
    """WAIVE-1, WAIVE-2: a waiver of a named provision of the Code, with a reason and a period."""

    kind = "waiver"
    subkind_field = "provision_anchor"

    provision_anchor = forms.ChoiceField(label="Provision of the Code to waive", choices=[])
    reason = forms.CharField(label="Why a waiver is needed", widget=forms.Textarea(attrs={"rows": 4}))
    period_start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="Until", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provision_anchor"].choices = BLANK + provision_choices()

    def layout(self) -> Layout:
        return Layout("provision_anchor", "reason", Fieldset(legend("Period"), "period_start", "period_end"))

    def facts(self) -> dict:
        data = self.cleaned_data
        anchor = data["provision_anchor"]
        return {
            "provision_anchor": anchor,
            "provision": dict(self.fields["provision_anchor"].choices).get(anchor, anchor),
            "reason": data["reason"].strip(),
            "period_start": data["period_start"].isoformat(),
            "period_end": data["period_end"].isoformat(),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        self._not_far_ahead("period_start", "The start of the period")
        self._not_far_ahead("period_end", "The end of the period")
        if start and end and end < start:
            self.add_error("period_end", "The period cannot end before it starts.")
        if start and start < self.today - timedelta(days=365):
            self.add_error("period_start", "A waiver is asked for in advance; that start is over a year ago.")
        return data
