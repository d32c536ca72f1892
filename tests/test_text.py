"""Sentences around names and typed text end with exactly one full stop (issue 10:
"Jr.." and "”." were printed)."""

import pytest

from innovo_compliance.text import sentence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Assigned to Robert Chen", "Assigned to Robert Chen."),
        ("Assigned to Samuel J. (Jay) Furrow, Jr.", "Assigned to Samuel J. (Jay) Furrow, Jr."),
        ("The Code says: “Allowed.”", "The Code says: “Allowed.”"),
        ("The Code says: “Allowed”", "The Code says: “Allowed”."),
        ("Really?", "Really?"),
        ("Done  ", "Done."),
        ("", ""),
    ],
)
def test_sentence_ends_with_one_full_stop(text, expected):
    assert sentence(text) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [("300", "USD", "$300.00"), ("1250.5", "EUR", "1,250.50 EUR"), ("0", "usd", "$0.00"), ("-3", "USD", "-$3.00")],
)
def test_money_is_written_one_way(amount, currency, expected):
    from policy.money import money

    assert money(amount, currency) == expected


def test_references_in_home_labels_never_break_and_text_stays_escaped():
    from cases.templatetags.case_tags import refs_unbroken

    html = refs_unbroken("Disclose the waiver W-2026-000046 for <b>Thomas</b>")
    assert html == 'Disclose the waiver <span class="ref">W-2026-000046</span> for &lt;b&gt;Thomas&lt;/b&gt;'
