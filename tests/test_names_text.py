"""Script and language detection, homoglyph repair."""

from __future__ import annotations

from homeward.names import detect_language, detect_script, repair_homoglyphs


def test_detect_script_of_cyrillic_latin_mixed_and_empty_tokens() -> None:
    assert detect_script("Олександр") == "cyrillic"
    assert detect_script("Oleksandr") == "latin"
    assert detect_script("Oлeксандр") == "mixed"
    assert detect_script("Zinaïda") == "latin"
    assert detect_script("123 -") == "none"
    assert detect_script("") == "none"


def test_latin_homoglyphs_inside_a_cyrillic_word_are_repaired() -> None:
    repaired = repair_homoglyphs("Oлeксандр Пeтрoвич")
    assert repaired == "Олександр Петрович"
    assert detect_script(repaired) == "cyrillic"


def test_cyrillic_homoglyphs_inside_a_latin_word_are_repaired() -> None:
    assert repair_homoglyphs("Kоvalenkо") == "Kovalenko"
    assert repair_homoglyphs("ОLЕKSANDR") == "OLEKSANDR"


def test_cyrillic_i_homoglyph_is_ukrainian_i() -> None:
    assert repair_homoglyphs("Bасиль Пiдгорний") == "Василь Підгорний"


def test_word_that_cannot_be_made_single_script_is_left_alone() -> None:
    assert repair_homoglyphs("Жw") == "Жw"


def test_clean_text_is_unchanged() -> None:
    for text in ["Олександр", "Kovalenko", "Мар'яна", "Петренко-Коваленко", ""]:
        assert repair_homoglyphs(text) == text


def test_ukrainian_letters_mean_ukrainian() -> None:
    for token in ["Олексій", "Їжакевич", "Євген", "Ґалаґан", "Іван"]:
        assert detect_language(token) == "uk", token


def test_russian_letters_mean_russian() -> None:
    for token in ["Лысенко", "Эдуард", "Подъячев", "Артём"]:
        assert detect_language(token) == "ru", token


def test_apostrophe_and_soft_sign_spelling_mean_ukrainian() -> None:
    assert detect_language("Мар'яна") == "uk"
    assert detect_language("Ковальська") == "uk"
    assert detect_language("Ковальский") == "ru"


def test_language_without_distinctive_letters_comes_from_the_dictionary() -> None:
    assert detect_language("Микола") == "uk"
    assert detect_language("Николай") == "ru"
    assert detect_language("Александр") == "ru"
    assert detect_language("Олександр") == "uk"


def test_names_spelled_alike_in_both_languages_and_latin_are_unknown() -> None:
    assert detect_language("Петренко") == "unknown"
    assert detect_language("Kovalenko") == "unknown"
    assert detect_language("") == "unknown"
