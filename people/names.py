"""Finding roster people in text that names them, typed however it was typed.

Pure Python (no Django), so the rules are tested in tables. A person is matched
by any of their *forms*: first and last name, with or without middle names or
initials, an initial with the surname ("S. Whalen"), surname first ("Whalen,
Shane"), a nickname ("Jay Furrow" for "Samuel J. (Jay) Furrow, Jr.") and any
alias kept on the roster. Before comparing, text is folded: accents removed
("José" = "Jose"), case ignored, punctuation and extra spaces dropped, titles
and suffixes ignored ("Mr.", "Dr.", "Jr.", "(COO)"). A surname with one typing
slip ("Whalan") still matches when the first name or initial is right.

Two strengths of evidence:
- in a field that holds names (a "people involved" line, a related person's
  name) a surname alone is enough: the reporter meant a person;
- in running prose (a description) a name form of two words is needed, so the
  word "grant" in "grant access" does not name Jennifer Grant.
Every match is only *likely*: a handler confirms or clears it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "sir",
        "dame",
        "madam",
        "mme",
        "mlle",
        "herr",
        "frau",
        "sr",
        "jr",
        "ii",
        "iii",
        "iv",
        "esq",
        "phd",
        "md",
        "ceo",
        "coo",
        "cfo",
        "cto",
        "cio",
        "ciso",
        "vp",
        "svp",
        "evp",
        "gm",
        "hr",
    ]
)
"""Words that are never part of a name: honorifics, suffixes, common job titles."""

HONORIFICS = frozenset(["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame"])
"""A title right before a surname names a person even in running prose ("Mr. Whalen")."""

DIMINUTIVES = {
    "alexander": ("alex", "sandy"),
    "alexandra": ("alex", "sandra", "lexi"),
    "andrew": ("andy", "drew"),
    "anthony": ("tony",),
    "benjamin": ("ben", "benny"),
    "catherine": ("cathy", "kate", "katie"),
    "charles": ("charlie", "chuck"),
    "christopher": ("chris",),
    "daniel": ("dan", "danny"),
    "david": ("dave",),
    "deborah": ("deb", "debbie"),
    "edward": ("ed", "eddie", "ted"),
    "elizabeth": ("liz", "beth", "betty", "lizzie"),
    "gregory": ("greg",),
    "harold": ("harry", "hal"),
    "james": ("jim", "jimmy", "jamie"),
    "jennifer": ("jen", "jenny"),
    "jonathan": ("jon",),
    "joseph": ("joe", "joey"),
    "katherine": ("kathy", "kate", "katie"),
    "kenneth": ("ken", "kenny"),
    "margaret": ("maggie", "meg", "peggy"),
    "matthew": ("matt",),
    "michael": ("mike", "mick"),
    "nicholas": ("nick",),
    "patricia": ("pat", "patty", "trish"),
    "patrick": ("pat",),
    "peter": ("pete",),
    "rebecca": ("becky", "becca"),
    "richard": ("rick", "rich", "dick"),
    "robert": ("rob", "bob", "bobby"),
    "ronald": ("ron",),
    "samuel": ("sam", "sammy"),
    "stephen": ("steve",),
    "steven": ("steve",),
    "susan": ("sue", "suzy"),
    "thomas": ("tom", "tommy"),
    "timothy": ("tim",),
    "victoria": ("vicky", "tori"),
    "vincent": ("vince", "vinny"),
    "william": ("will", "bill", "billy"),
}
"""Common English short forms of given names; anything else goes in the roster's aliases."""

_SPLIT = re.compile(r"[^\w]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case, accents removed, apostrophes dropped ("O'Brien" -> "obrien")."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold().replace("'", "").replace("\u2019", "")


def words_of(text: str) -> list[str]:
    """The words of `text`, folded; "_" splits and numbers are dropped."""
    return [w for w in _SPLIT.split(fold(text).replace("_", " ")) if w and not w.isdigit()]


def tokens(text: str) -> list[str]:
    """The words of `text`, folded, without titles."""
    return [w for w in words_of(text) if w not in TITLES]


@dataclass(frozen=True)
class RosterName:
    """One person's name as the roster holds it, and every form it may be typed in."""

    person_id: int
    given: tuple[str, ...]  # first name, then middle names or initials
    surname: str
    nicknames: tuple[str, ...] = ()
    aliases: tuple[tuple[str, ...], ...] = ()
    forms: frozenset[tuple[str, ...]] = field(default=frozenset(), compare=False)

    @classmethod
    def parse(cls, person_id: int, name: str, aliases: Iterable[str] = ()) -> RosterName:
        """ "Samuel J. (Jay) Furrow, Jr." -> given (samuel, j), nickname jay, surname furrow."""
        nicknames = tuple(t for part in re.findall(r"\(([^)]*)\)|\"([^\"]*)\"", name) for p in part for t in tokens(p))
        plain = re.sub(r"\([^)]*\)|\"[^\"]*\"", " ", name)
        if "," in plain:
            head, _, tail = plain.partition(",")
            # "Whalen, Shane" on the roster; "Furrow, Jr." is a suffix (dropped by tokens()).
            tail_tokens = tokens(tail)
            words = tail_tokens + tokens(head) if tail_tokens else tokens(head)
        else:
            words = tokens(plain)
        if not words:
            return cls(person_id, (), "", nicknames)
        surname, given = words[-1], tuple(words[:-1])
        last_word = re.split(r"\s+", plain.partition(",")[0].strip())[-1] if plain.strip() else ""
        if "-" in last_word and len(tokens(last_word)) > 1 and not ("," in plain and tokens(plain.partition(",")[2])):
            # A double-barrelled surname: "Álvarez-Núñez" is typed whole, or as either part.
            parts = tokens(last_word)
            given = tuple(words[: len(words) - len(parts)])
            surname = parts[-1]
            aliases = [*aliases, " ".join(parts), *(f"{g} {p}" for g in given[:1] for p in parts[:-1])]
        if given:
            nicknames += DIMINUTIVES.get(given[0], ())
        alias_forms = tuple(tuple(tokens(a)) for a in aliases if tokens(a))
        entry = cls(person_id, given, surname, nicknames, alias_forms)
        return cls(person_id, given, surname, nicknames, alias_forms, frozenset(entry._forms()))

    def _forms(self) -> set[tuple[str, ...]]:
        """Every way of writing the name with at least two words."""
        forms: set[tuple[str, ...]] = set()
        last = self.surname
        firsts = [self.given[0]] if self.given else []
        firsts += list(self.nicknames)
        for first in firsts:
            forms |= {(first, last), (first[0], last), (last, first), (last, first[0])}
        if len(self.given) > 1:
            forms.add((*self.given, last))
            initials = tuple(g[0] for g in self.given)
            forms |= {(*initials, last), (self.given[0], *initials[1:], last), (last, *self.given)}
        for alias in self.aliases:
            if len(alias) >= 2:
                forms.add(alias)
                forms.add((alias[-1], *alias[:-1]))
        return {f for f in forms if len(f) >= 2}

    def keys(self) -> set[str]:
        """Words to look the person up by: surname, given names, nicknames, alias
        words, and the initials of given names and nicknames ("S. Whalen")."""
        words = {self.surname, *self.given, *self.nicknames, *(w for a in self.aliases for w in a)}
        initials = {w[0] for w in (*self.given, *self.nicknames) if w}
        return {w for w in words if w} | initials


def _one_slip(a: str, b: str) -> bool:
    """Equal but for one inserted, deleted, changed or swapped letter."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _form_matches(form: tuple[str, ...], window: tuple[str, ...]) -> bool:
    """Exact, or one slip in the surname (at least 5 letters) with the rest exact."""
    if form == window:
        return True
    if len(form) != len(window):
        return False
    for i, (want, got) in enumerate(zip(form, window, strict=True)):
        if want == got:
            continue
        if len(want) < 5 or not _one_slip(want, got):
            return False
        return not any(w != g for j, (w, g) in enumerate(zip(form, window, strict=True)) if j != i)
    return True


@dataclass(frozen=True)
class Match:
    person_id: int
    text: str  # the words that matched, as found
    how: str  # "name", "surname"


def titled_words(text: str) -> set[str]:
    """Words right after an honorific ("Mr. Whalen" -> whalen): surnames even in prose."""
    raw = words_of(text)
    return {raw[i + 1] for i in range(len(raw) - 1) if raw[i] in HONORIFICS and raw[i + 1] not in TITLES}


def find_in_text(text: str, roster: Iterable[RosterName]) -> list[Match]:
    """People named in running prose: two-word forms and longer, or a title
    before the surname ("Mr. Whalen")."""
    words = tokens(text)
    titled = titled_words(text)
    found: dict[int, Match] = {}
    for entry in roster:
        if entry.surname in titled:
            found[entry.person_id] = Match(entry.person_id, entry.surname, "title and surname")
            continue
        for form in sorted(entry.forms, key=len, reverse=True):
            size = len(form)
            for start in range(len(words) - size + 1):
                window = tuple(words[start : start + size])
                if _form_matches(form, window):
                    found.setdefault(entry.person_id, Match(entry.person_id, " ".join(window), "name"))
                    break
            if entry.person_id in found:
                break
    return list(found.values())


def find_name(line: str, roster: Iterable[RosterName]) -> list[Match]:
    """People a name typed on its own may mean: any name form, or a surname alone."""
    words = tuple(tokens(line))
    if not words:
        return []
    roster = list(roster)
    found = find_in_text(line, roster)
    if found:
        return found
    if len(words) == 1:
        return [Match(e.person_id, words[0], "surname") for e in roster if _form_matches((e.surname,), words)]
    return []


def lookup_keys(text: str) -> set[str]:
    """The words of `text` to look up in the roster's name index. A one-slip
    surname is left to the matcher: the index is searched by given name and
    initial as well, so "Shane Whalan" still finds Shane Whalen."""
    return set(tokens(text))
