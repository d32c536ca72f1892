"""`{% field %}` (core/templatetags/fields.py): the markup the case page's forms are
drawn with instead of crispy's (issue 12, lean rendering): a label tied to its
widget, Bootstrap's classes, each error next to the field with crispy's ids, the
help text, what was typed kept."""

from django import forms
from django.template import Context, Template


class Sample(forms.Form):
    name = forms.CharField(max_length=5, help_text="Five letters at most.")
    reason = forms.ChoiceField(choices=[("", "Choose"), ("a", "A <b>")], required=False, label="Why & how")
    note = forms.CharField(widget=forms.Textarea, required=False)
    agree = forms.BooleanField(label="I agree")
    when = forms.ChoiceField(choices=[("x", "X")], widget=forms.RadioSelect)


def draw(form, name) -> str:
    return Template("{% load fields %}{% field f %}").render(Context({"f": form[name]}))


def test_a_field_with_an_error_keeps_what_was_typed_and_says_why():
    form = Sample(data={"name": "toolong<script>", "reason": "a"})
    assert not form.is_valid()
    html = draw(form, "name")
    assert '<div id="div_id_name" class="mb-3">' in html
    assert '<label for="id_name" class="form-label requiredField">Name<span class="asteriskField">*</span>' in html
    assert 'class="form-control is-invalid"' in html and 'value="toolong&lt;script&gt;"' in html
    assert '<p id="error_1_id_name" class="invalid-feedback"><strong>' in html
    assert '<div id="id_name_helptext" class="form-text">Five letters at most.</div>' in html
    assert "<script>" not in html


def test_select_textarea_and_checkbox_get_their_classes():
    form = Sample(data={"reason": "a"})
    form.is_valid()
    select = draw(form, "reason")
    assert 'class="form-select"' in select and "Why &amp; how" in select and "A &lt;b&gt;" in select
    assert '<option value="a" selected>' in select
    assert 'class="form-control"' in draw(form, "note")
    checkbox = draw(form, "agree")
    assert '<div id="div_id_agree" class="form-check">' in checkbox
    assert 'class="form-check-input is-invalid"' in checkbox
    assert '<label for="id_agree" class="form-check-label">I agree' in checkbox
    assert 'id="error_1_id_agree"' in checkbox


def test_a_widget_it_does_not_draw_goes_to_crispy():
    html = draw(Sample(), "when")
    assert 'id="div_id_when"' in html and 'type="radio"' in html
