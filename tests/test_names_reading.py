"""latin_reading: KMU 2010 for Ukrainian names, ICAO Doc 9303 for Russian ones; name_language decides."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from homeward.names import READING_SCHEMES, latin_reading, name_language


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


def test_ukrainian_reading_follows_every_kmu_2010_official_example(vectors: dict[str, Any]) -> None:
    pairs = vectors["ua_kmu55_2010_official"] + vectors["ua_kmu55_2010_translitua_doctests"]
    wrong = [(src, want, got) for src, want in pairs if (got := latin_reading(src, "uk")) != want]
    assert wrong == []


def test_russian_reading_follows_the_icao_9303_examples_of_three_sources(vectors: dict[str, Any]) -> None:
    pairs = [
        pair
        for source in ("ru_icao_doc_9303__romanization_net", "ru_icao_doc_9303__iuliia",
                       "ru_icao_doc_9303__kalenchukov_readme")
        for pair in vectors[source]
    ]
    wrong = [(src, want, got) for src, want in pairs if (got := latin_reading(src, "ru")) != want]
    assert wrong == []


def test_the_schemes_are_the_national_standard_and_the_passport_scheme() -> None:
    assert READING_SCHEMES == {"uk": "uk_kmu2010", "ru": "ru_icao2013"}


def test_a_ukrainian_letter_anywhere_makes_the_whole_name_ukrainian() -> None:
    assert latin_reading("Коваленко Марія Григорівна") == "Kovalenko Mariia Hryhorivna"
    assert latin_reading("Щербина Юлія") == "Shcherbyna Yuliia"


def test_a_russian_spelling_anywhere_makes_the_whole_name_russian() -> None:
    assert latin_reading("Коваленко Александр Григорьевич") == "Kovalenko Aleksandr Grigorevich"
    assert latin_reading("Щербина Юлия") == "Shcherbina Iuliia"
    assert latin_reading("Ильин Артём") == "Ilin Artem"


def test_dictionary_decides_names_without_distinctive_letters() -> None:
    assert name_language("Микола") == "uk"
    assert name_language("Николай") == "ru"
    assert latin_reading("Петренко Микола") == "Petrenko Mykola"
    assert latin_reading("Петренко Николай") == "Petrenko Nikolai"


def test_names_alike_in_both_languages_use_the_default_which_the_caller_may_set() -> None:
    assert name_language("Петренко Олег") == "unknown"
    assert latin_reading("Петренко Олег") == "Petrenko Oleh"
    assert latin_reading("Петренко Олег", default="ru") == "Petrenko Oleg"
    assert latin_reading("Петренко Олег", "ru") == "Petrenko Oleg"


def test_common_ukrainian_surnames_and_names_are_not_taken_for_russian() -> None:
    for name in ["Коваленко", "Мельник", "Бондаренко", "Ткаченко", "Щербина", "Олег", "Марина"]:
        assert name_language(name) != "ru", name


def test_capitalisation_is_kept_per_word() -> None:
    assert latin_reading("ЩЕРБИНА Юлія") == "SHCHERBYNA Yuliia"
    assert latin_reading("ПЕТРЕНКО-КОВАЛЕНКО ганна") == "PETRENKO-KOVALENKO hanna"


def test_punctuation_digits_and_latin_words_are_kept() -> None:
    assert latin_reading("Коваленко (Петренко), Марія 2015") == "Kovalenko (Petrenko), Mariia 2015"
    assert latin_reading("Kovalenko Maria") == "Kovalenko Maria"
    assert latin_reading("") == ""


def test_latin_look_alike_letters_inside_cyrillic_words_are_read_as_cyrillic() -> None:
    assert latin_reading("Koвaлeнкo Mapія") == "Kovalenko Mariia"


def test_letters_missing_from_the_chosen_scheme_are_still_romanised() -> None:
    # і (Ukrainian) and ё (Russian) in one name: no Cyrillic is left in the reading
    reading = latin_reading("Сергій Ёжиков")
    assert reading == "Serhii Ezhykov"


def test_stress_marks_and_apostrophes_are_not_written() -> None:
    assert latin_reading("Мар'яна", "uk") == "Mariana"
    assert latin_reading("Ма\u0301рія", "uk") == "Mariia"


def test_bad_language_is_rejected() -> None:
    with pytest.raises(ValueError):
        latin_reading("Олег", "en")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        latin_reading("Олег", default="be")  # type: ignore[arg-type]
