"""`{% field form.name %}`: one form field in Bootstrap 5 markup, written in Python.

The same markup as crispy-forms' bootstrap5 pack for the widgets the hot pages use
(text, number, date, textarea, select, checkbox): a wrapper `div_<id>`, the
label, the widget with `form-control` / `form-select` / `form-check-input` and
`is-invalid` when it has errors, each error as `error_<n>_<id>`, the help text.
crispy renders a field through a dozen nested templates (about 1 ms a field); this
is a few string joins, for the case page and the filing page (issue 12, lean
rendering). Other widgets still go through crispy."""

from __future__ import annotations

from django import forms, template
from django.forms.widgets import Input
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _widget_class(widget) -> str | None:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return None
    if isinstance(widget, forms.Select):
        return "form-select"
    if isinstance(widget, Input | forms.Textarea):
        return "form-control"
    return None


@register.simple_tag
def field(bound):
    if bound is None or bound == "":
        return ""
    widget = bound.field.widget
    if widget.is_hidden:
        return bound.as_hidden()
    css = _widget_class(widget)
    if css is None:  # a widget this tag does not draw: crispy's own markup
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(bound)
    classes = [widget.attrs.get("class", ""), css, "is-invalid" if bound.errors else ""]
    widget_html = bound.as_widget(attrs={"class": " ".join(c for c in classes if c)})
    auto_id = bound.auto_id
    errors = format_html_join(
        "",
        '<p id="error_{}_{}" class="invalid-feedback"><strong>{}</strong></p>',
        ((n, auto_id, error) for n, error in enumerate(bound.errors, start=1)),
    )
    help_html = (
        format_html('<div id="{}_helptext" class="form-text">{}</div>', auto_id, bound.help_text)
        if bound.help_text
        else ""
    )
    required = bound.field.required
    if css == "form-check-input":
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}'
            '<label for="{}" class="form-check-label">{}{}</label>{}{}</div></div>',
            auto_id,
            widget_html,
            auto_id,
            bound.label,
            mark_safe('<span class="asteriskField">*</span>') if required else "",  # noqa: S308 (a constant)
            errors,
            help_html,
        )
    label = (
        format_html(
            '<label for="{}" class="form-label{}">{}{}</label>',
            auto_id,
            " requiredField" if required else "",
            conditional_escape(bound.label),
            mark_safe('<span class="asteriskField">*</span>') if required else "",  # noqa: S308 (a constant)
        )
        if bound.label
        else ""
    )
    return format_html('<div id="div_{}" class="mb-3">{}{}{}{}</div>', auto_id, label, widget_html, errors, help_html)
