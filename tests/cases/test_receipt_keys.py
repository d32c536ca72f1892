"""Finding 10 of issue 9: receipt keys whose look-up part cannot collide (REP-1).

Before, the look-up part was the key's first 5 characters: two keys collided with
1.7% chance at 1,000 anonymous reports and 50% at about 6,300, and then the older
reporter's key stopped working."""

import importlib
import math

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from cases.models import Case
from cases.services import receipts
from cases.services.receipts import (
    KEY_ALPHABET,
    LOOKUP_CHARS,
    case_for_receipt_key,
    hash_key,
    lookup_of,
    new_receipt_key,
)
from tests.cases.factories import report

pytestmark = pytest.mark.django_db


def test_finding10_lookup_is_15_characters_so_no_two_keys_collide_in_the_life_of_an_installation():
    key = new_receipt_key()
    assert len(key) == 29 and key.count("-") == 4
    assert len(lookup_of(key)) == LOOKUP_CHARS == 15
    # Birthday bound: the chance that any two of a million anonymous reports share a look-up.
    space = len(KEY_ALPHABET) ** LOOKUP_CHARS
    assert math.log2(space) > 74
    assert 1_000_000**2 / (2 * space) < 1e-9


def test_finding10_the_lookup_is_stored_and_unique_by_a_database_constraint(employee):
    case, key = report(anonymous=True)
    assert case.receipt_lookup == key.replace("-", "")[:15]
    duplicate, _ = report(anonymous=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=duplicate.pk).update(receipt_lookup=case.receipt_lookup)
    # Named reports have no look-up; any number of them may share the empty value.
    report(by=employee)
    report(by=employee)
    assert Case.objects.filter(receipt_lookup="").count() == 2


def test_finding10_a_lookup_clash_at_creation_draws_another_key(demo, monkeypatch):
    first, taken = report(anonymous=True)
    fresh = new_receipt_key()
    drawn = iter([taken, fresh])
    monkeypatch.setattr(receipts, "new_receipt_key", lambda: next(drawn))
    monkeypatch.setattr("cases.services.intake.new_receipt_key", lambda: next(drawn))
    second, key = report(anonymous=True)
    assert key == fresh and second.receipt_lookup == lookup_of(fresh)
    assert case_for_receipt_key(taken) == first
    assert case_for_receipt_key(fresh) == second


def _legacy_case(key: str) -> Case:
    """A case as the former code left it: a 5-character look-up, after migration 0003."""
    case, _ = report(anonymous=True)
    Case.objects.filter(pk=case.pk).update(
        receipt_lookup=f"{key[:5]}.{case.pk}", receipt_hash=hash_key(key), anonymous=True
    )
    return Case.objects.get(pk=case.pk)


def test_finding10_keys_issued_before_still_open_their_reports_even_when_their_lookups_collided(demo):
    older_key = "ABCDE-FGHJK-MNPQR-STUVW-XYZ23"
    newer_key = "ABCDE-23456-789AB-CDEFG-HJKMN"  # the same 5-character look-up: the old bug
    older, newer = _legacy_case(older_key), _legacy_case(newer_key)
    assert case_for_receipt_key(older_key) == older
    assert case_for_receipt_key(newer_key) == newer
    assert case_for_receipt_key("ABCDE-FGHJK-MNPQR-STUVW-XYZ24") is None


def test_migration_0004_makes_former_lookups_unique_and_keeps_them_readable(demo):
    migration = importlib.import_module("cases.migrations.0004_receipt_lookup_unique")
    key = "QRSTU-VWXYZ-23456-789AB-CDEFG"
    case, _ = report(anonymous=True)
    Case.objects.filter(pk=case.pk).update(receipt_lookup=key[:5], receipt_hash=hash_key(key))
    migration.legacy_lookups_unique(apps, None)
    case.refresh_from_db()
    assert case.receipt_lookup == f"QRSTU.{case.pk}"
    assert case_for_receipt_key(key) == case
    new_case, new_key = report(anonymous=True)
    migration.lookups_back_to_five(apps, None)
    assert Case.objects.get(pk=new_case.pk).receipt_lookup == new_key[:5]


def test_a_key_check_does_the_same_work_whether_its_lookup_exists_or_not(demo, monkeypatch, django_assert_num_queries):
    case, key = report(anonymous=True)
    verifications = []

    class Counting:
        def verify(self, stored, key):
            verifications.append(stored)
            return real.verify(stored, key)

    real = receipts.hasher
    monkeypatch.setattr(receipts, "hasher", Counting())
    wrong_secret = key[:-1] + ("2" if key[-1] != "2" else "3")
    unknown = new_receipt_key()
    for attempt, expected in [(key, case), (wrong_secret, None), (unknown, None)]:
        verifications.clear()
        with django_assert_num_queries(2):
            assert case_for_receipt_key(attempt) == expected
        assert len(verifications) == 1
    verifications.clear()
    assert case_for_receipt_key("not a key") is None and len(verifications) == 1
