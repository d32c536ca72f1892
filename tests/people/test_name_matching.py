"""Names typed however they were typed find the roster person (people.names):
initials, surname first, extra spaces and punctuation, titles, accents, nicknames,
aliases, one typing slip. Pure tables: no database."""

import pytest

from people.names import RosterName, find_in_text, find_name, fold, tokens

ROSTER = [
    RosterName.parse(1, "Shane Whalen"),
    RosterName.parse(2, "Samuel J. (Jay) Furrow, Jr.", ["Sammy Furrow"]),
    RosterName.parse(3, "Jennifer Grant"),
    RosterName.parse(4, "José Álvarez-Núñez"),
    RosterName.parse(5, "Riley Chen"),
    RosterName.parse(6, "Morgan Ellis", ["Morgan Ellis-Park"]),
]


@pytest.mark.parametrize(
    "typed, who",
    [
        ("Shane Whalen", {1}),
        ("S. Whalen", {1}),
        ("Whalen, Shane", {1}),
        ("Whalen, S.", {1}),
        ("Shane  Whalen", {1}),
        ("  shane whalen  ", {1}),
        ("Shane Whalen (COO)", {1}),
        ("Mr. Shane Whalen", {1}),
        ("Whalen", {1}),  # a surname alone, in a field that holds names
        ("Mr Whalen", {1}),
        ("Shane Whalan", {1}),  # one slip in the surname
        ("SHANE WHALEN", {1}),
        ("Jay Furrow", {2}),  # the nickname in parentheses
        ("Samuel Furrow", {2}),
        ("S. J. Furrow", {2}),
        ("Sam Furrow", {2}),  # a common short form
        ("Sammy Furrow", {2}),  # an alias kept on the roster
        ("Furrow, Samuel", {2}),
        ("Jen Grant", {3}),
        ("Jose Alvarez-Nunez", {4}),  # accents folded
        ("Jose Nunez", {4}),
        ("Álvarez Núñez", {4}),
        ("Dr. Chen", {5}),
        ("Morgan Ellis-Park", {6}),
        ("Shane", set()),  # a first name alone is too weak
        ("Acme Corporation", set()),
        ("Grant Thornton LLP", set()),  # a firm, not Jennifer Grant
        ("Shawn Walsh", set()),  # two slips: somebody else
        ("", set()),
    ],
)
def test_a_typed_name_finds_the_roster_person(typed, who):
    assert {m.person_id for m in find_name(typed, ROSTER)} == who


@pytest.mark.parametrize(
    "text, who",
    [
        ("Yesterday Shane Whalen told me to sign it.", {1}),
        ("I told Mr. Whalen and Dr Grant about it.", {1, 3}),
        ("The invoice was approved by whalen, shane on Friday.", {1}),
        ("Please grant access to the folder.", set()),  # "grant" is a word here
        ("The COO was there.", set()),
        ("Jay Furrow and Riley Chen met the supplier.", {2, 5}),
    ],
)
def test_names_in_running_text_need_a_full_name_form(text, who):
    assert {m.person_id for m in find_in_text(text, ROSTER)} == who


def test_folding_removes_accents_case_and_apostrophes():
    assert fold("José O'Brien-NÚÑEZ") == "jose obrien-nunez"
    assert tokens("Dr. José (COO), Jr.") == ["jose"]


def test_a_roster_name_written_surname_first_is_understood():
    entry = RosterName.parse(9, "Whalen, Shane")
    assert (entry.given, entry.surname) == (("shane",), "whalen")
    assert {m.person_id for m in find_name("S. Whalen", [entry])} == {9}
