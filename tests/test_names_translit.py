"""Transliteration schemes against the official and published examples in the shared conformance vectors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from homeward.names import SCHEMES, transliterate


def _vectors_file() -> Path | None:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "conformance" / "transliteration_vectors.json"
        if candidate.is_file():
            return candidate
    return None


@pytest.fixture(scope="module")
def vectors() -> dict[str, Any]:
    path = _vectors_file()
    if path is None:
        pytest.skip("shared transliteration vectors not available")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _check(vectors: dict[str, Any], source: str, scheme: str) -> None:
    pairs = vectors[source]
    assert pairs, source
    wrong = [(src, want, transliterate(src, scheme)) for src, want in pairs if transliterate(src, scheme) != want]
    assert wrong == [], f"{scheme} disagrees with {source}"


def test_kmu_2010_official_examples(vectors: dict[str, Any]) -> None:
    assert len(vectors["ua_kmu55_2010_official"]) >= 76
    _check(vectors, "ua_kmu55_2010_official", "uk_kmu2010")


def test_kmu_2010_translitua_doctest_examples(vectors: dict[str, Any]) -> None:
    _check(vectors, "ua_kmu55_2010_translitua_doctests", "uk_kmu2010")


def test_russian_icao_2013_examples_from_three_sources(vectors: dict[str, Any]) -> None:
    for source in (
        "ru_icao_doc_9303__romanization_net",
        "ru_icao_doc_9303__iuliia",
        "ru_icao_doc_9303__kalenchukov_readme",
    ):
        _check(vectors, source, "ru_icao2013")


def test_russian_passport_1997_examples(vectors: dict[str, Any]) -> None:
    _check(vectors, "ru_passport_1997_translitua_doctests", "ru_passport1997")


def test_russian_mvd_310_examples(vectors: dict[str, Any]) -> None:
    _check(vectors, "ru_mvd_310__iuliia", "ru_mvd310")


def test_russian_mvd_782_examples(vectors: dict[str, Any]) -> None:
    _check(vectors, "ru_mvd_782__iuliia", "ru_mvd782")


def test_russian_gost_2006_passport_examples(vectors: dict[str, Any]) -> None:
    _check(vectors, "ru_gost_52535__iuliia", "ru_gost2006")


def test_stress_mark_is_stripped_before_transliteration() -> None:
    assert transliterate("ра\u0301дость", "ru_icao2013") == "radost"


def test_typographic_apostrophes_are_dropped_in_kmu() -> None:
    for apostrophe in "'’ʼ`":
        assert transliterate(f"Знам{apostrophe}янка", "uk_kmu2010") == "Znamianka"


def test_ukrainian_passport_2007_uses_g_for_h_and_no_word_initial_y() -> None:
    assert transliterate("Григорій Юрченко", "uk_passport2007") == "Grygorii Iurchenko"


def test_scheme_list_covers_the_required_schemes() -> None:
    required = {"uk_kmu2010", "uk_passport2007", "ru_icao2013", "ru_passport1997", "ru_gost2006"}
    assert required <= set(SCHEMES)
    for scheme in SCHEMES:
        out = transliterate("Щербина Юлія", scheme)
        assert out and "Щ" not in out


def test_unknown_scheme_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown transliteration scheme"):
        transliterate("Київ", "uk_klingon")
