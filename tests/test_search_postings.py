"""The list entries' postings (``NamePosting``) as ``index_list_version`` writes them: per name value of a version,
exactly the version's entries with that value, ascending, whatever the entries' ids look like (the opaque 53-bit
ids, the small sequential ids of older rows, both in one version) and with empty name fields left out."""

from __future__ import annotations

import random

import pytest

from homeward.registry import search
from homeward.registry.models import NamePosting, NameValue

pytestmark = pytest.mark.django_db

SURNAMES = ["Коваленко", "Шевченко", "Kovalenko", "Іваненко", ""]
GIVEN = ["Олександр", "Марія", "Софія", ""]
PATRONYMICS = ["Петрович", "Андріївна", "", ""]


def entries_with(ids: list[int], seed: int) -> list[tuple[int, str, str, str]]:
    rng = random.Random(seed)
    return [(i, rng.choice(SURNAMES), rng.choice(GIVEN), rng.choice(PATRONYMICS)) for i in ids]


def expected_postings(entries: list[tuple[int, str, str, str]]) -> dict[int, list[int]]:
    """The postings worked out the plain way: each entry's id under each of its non-empty values."""
    value_of = {(v.part, v.text): v.pk for v in NameValue.objects.all()}
    out: dict[int, list[int]] = {}
    for rid, *texts in entries:
        for letter, text in zip("sgp", texts, strict=True):
            if text:
                out.setdefault(value_of[(letter, text)], []).append(rid)
    return {vid: sorted(rids) for vid, rids in out.items()}


def stored_postings(version: int) -> dict[int, list[int]]:
    return {vid: list(search._unpack(blob))
            for vid, blob in NamePosting.objects.filter(version_id=version).values_list("value_id", "ids")}


@pytest.mark.parametrize("ids", [
    pytest.param(random.Random(1).sample(range(2**32, 2**53), 300), id="opaque-53-bit"),
    pytest.param(list(range(1, 301)), id="small-sequential"),
    pytest.param([*range(1, 151), *random.Random(2).sample(range(2**32, 2**53), 150)], id="mixed"),
    pytest.param([2**53 - 1], id="one-entry"),
])
def test_each_posting_holds_exactly_its_values_entries_ascending_whatever_the_ids(ids):
    entries = entries_with(ids, seed=len(ids))
    named = sum(1 for _rid, *texts in entries if any(texts))
    assert search.index_list_version(7, entries) == named
    assert stored_postings(7) == expected_postings(entries)


def test_entries_without_any_name_write_no_posting_and_are_not_counted():
    assert search.index_list_version(8, [(5, "", "", ""), (6, "", "", "")]) == 0
    assert search.index_list_version(9, []) == 0
    assert not NamePosting.objects.exists()


def test_a_second_version_with_the_same_names_gets_its_own_postings_and_leaves_the_first_alone():
    first = entries_with(random.Random(3).sample(range(2**32, 2**53), 50), seed=3)
    again = [(rid + 1, *texts) for rid, *texts in first]
    search.index_list_version(10, first)
    search.index_list_version(11, again)
    assert stored_postings(10) == expected_postings(first)
    assert stored_postings(11) == expected_postings(again)
