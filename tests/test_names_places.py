"""canonical_place: settlements across Ukrainian, Russian and Latin spellings."""

from __future__ import annotations

from homeward.names import canonical_place


def test_kharkiv_in_four_spellings_has_one_key() -> None:
    keys = {canonical_place(t) for t in ["Харків", "Харьков", "Kharkiv", "Kharkov"]}
    assert len(keys) == 1


def test_settlement_type_prefixes_are_stripped() -> None:
    key = canonical_place("Харків")
    for text in ["м. Харків", "м.Харків", "г. Харьков", "city of Kharkov", "Kharkov city", "місто Харків"]:
        assert canonical_place(text) == key, text
    assert canonical_place("с. Іванівка") == canonical_place("село Іванівка") == canonical_place("Іванівка")


def test_region_after_comma_is_dropped() -> None:
    assert canonical_place("с. Сухий Яр, Київська обл.") == canonical_place("Сухий Яр")


def test_cities_with_different_ukrainian_and_russian_names() -> None:
    for variants in [["Київ", "Киев", "Kyiv", "Kiev"], ["Миколаїв", "Николаев", "Mykolaiv", "Nikolaev"],
                     ["Рівне", "Ровно", "Rivne"], ["Бахмут", "Артемовск"], ["Біла Церква", "Белая Церковь"],
                     ["Одеса", "Одесса", "Odesa", "Odessa"]]:
        assert len({canonical_place(v) for v in variants}) == 1, variants


def test_different_cities_keep_different_keys() -> None:
    keys = [canonical_place(t) for t in ["Київ", "Харків", "Херсон", "Маріуполь", "Мелітополь", "Львів"]]
    assert len(set(keys)) == len(keys)


def test_place_key_is_ascii() -> None:
    assert canonical_place("Кам'янець-Подільський").isascii()


def test_regular_ukrainian_russian_place_name_correspondences() -> None:
    for variants in [["Іванівка", "Ивановка", "Ivanivka", "Ivanovka"], ["Покровське", "Покровское"],
                     ["Зелене", "Зеленое"], ["Іванків", "Иванков"], ["Кривий Ріг", "Кривой Рог", "Kryvyi Rih"],
                     ["Нова Каховка", "Новая Каховка"]]:
        assert len({canonical_place(v) for v in variants}) == 1, variants


def test_unknown_village_keeps_its_own_key() -> None:
    assert canonical_place("с. Сухий Яр") == canonical_place("Sukhyi Yar") != canonical_place("Сухий Лиман")
