"""name_keys: canonical ASCII key, equivalence groups and phonetic skeleton."""

from __future__ import annotations

import re

import pytest

from homeward.names import NameKeys, name_keys, transliterate
from homeward.names.translit import RU_SCHEMES, UK_SCHEMES


def groups(text: str, part: str = "given") -> set[str]:
    return set(name_keys(text, part).groups)  # type: ignore[arg-type]


def shares_group(a: str, b: str, part: str = "given") -> bool:
    return bool(groups(a, part) & groups(b, part))


# --- contract ---------------------------------------------------------------------------------------


def test_keys_are_short_lowercase_ascii_and_groups_sorted_and_unique() -> None:
    for text, part in [("Олександр", "given"), ("Ковальська", "surname"), ("Петрович", "patronymic"),
                       ("Schewtschenko", "surname"), ("Саша", "given"), ("Знам'янка", "surname")]:
        keys = name_keys(text, part)  # type: ignore[arg-type]
        assert isinstance(keys, NameKeys)
        assert re.fullmatch(r"[a-z ]+", keys.ascii), keys
        assert re.fullmatch(r"[a-z ]*", keys.phonetic), keys
        assert list(keys.groups) == sorted(set(keys.groups))
        assert keys.groups and all(re.fullmatch(r"[a-z\-]{1,40}", g) for g in keys.groups)


def test_empty_and_punctuation_only_give_empty_keys() -> None:
    assert name_keys("", "given") == NameKeys("", (), "")
    assert name_keys("  -- ", "surname") == NameKeys("", (), "")


def test_unknown_part_is_rejected() -> None:
    with pytest.raises(ValueError):
        name_keys("Олег", "nickname")  # type: ignore[arg-type]


def test_name_keys_is_cached() -> None:
    assert name_keys("Тарас", "given") is name_keys("Тарас", "given")


# --- given names across languages and schemes ------------------------------------------------------


def test_oleksandr_and_aleksandr_share_a_group() -> None:
    forms = ["Олександр", "Александр", "Oleksandr", "Aleksandr", "Alexander", "Саша", "Сашко", "OLEKSANDR"]
    common = set.intersection(*(groups(f) for f in forms))
    assert common == {"aleksandr"}


def test_olexandr_and_oleksii_do_not_share_a_group() -> None:
    assert not shares_group("Олександр", "Олексій")
    assert not shares_group("Oleksandr", "Oleksii")
    assert not shares_group("Александр", "Алексей")


def test_male_and_female_forms_of_a_given_name_do_not_share_a_group() -> None:
    for male, female in [("Олександр", "Олександра"), ("Євген", "Євгенія"), ("Валентин", "Валентина"),
                         ("Ярослав", "Ярослава"), ("Aleksandr", "Aleksandra")]:
        assert not shares_group(male, female), (male, female)


def test_unisex_diminutive_belongs_to_both_full_names() -> None:
    assert {"aleksandr", "aleksandra"} <= groups("Саша")
    assert {"evgeni", "evgenia"} <= groups("Женя")


def test_common_diminutives_join_their_full_name() -> None:
    pairs = [("Настя", "Анастасія"), ("Катя", "Катерина"), ("Сашко", "Олександр"), ("Женя", "Євген"),
             ("Маша", "Марія"), ("Діма", "Дмитро"), ("Вова", "Володимир"), ("Коля", "Микола"),
             ("Наташа", "Наталія"), ("Юра", "Юрій"), ("Ваня", "Іван"), ("Серёжа", "Сергій")]
    for short, full in pairs:
        assert shares_group(short, full), (short, full)


def test_latin_forms_of_diminutives_come_from_transliteration() -> None:
    for latin in ["Nastia", "Nastya", "Katia", "Katya", "Sashko", "Serezha"]:
        assert groups(latin) - {name_keys(latin, "given").ascii}, latin


def test_english_forms_join_their_group() -> None:
    for english, native in [("Eugene", "Євген"), ("Helen", "Олена"), ("Alexander", "Олександр"),
                            ("Michael", "Михайло"), ("Catherine", "Катерина"), ("Peter", "Петро")]:
        assert shares_group(english, native), english


def test_ukrainian_and_russian_forms_share_a_group() -> None:
    for uk, ru in [("Микола", "Николай"), ("Олена", "Елена"), ("Ганна", "Анна"), ("Дмитро", "Дмитрий"),
                   ("Кирило", "Кирилл"), ("Тетяна", "Татьяна"), ("Григорій", "Григорий"), ("Павло", "Павел")]:
        assert shares_group(uk, ru), (uk, ru)


def test_a_given_name_maps_to_few_groups() -> None:
    for name in ["Олександр", "Олексій", "Марія", "Іван", "Ганна", "Дмитро", "Oleksandr", "Mariia", "Sasha"]:
        assert 1 <= len(groups(name)) <= 3, name


@pytest.mark.parametrize("scheme", UK_SCHEMES)
def test_ukrainian_given_names_under_every_scheme_find_their_group(scheme: str) -> None:
    names = ["Олександр", "Олексій", "Юлія", "Євген", "Наталія", "Дмитро", "Андрій", "Ганна", "Сергій"]
    misses = [n for n in names if not (groups(transliterate(n, scheme)) & groups(n))]
    assert misses == [], (scheme, [transliterate(n, scheme) for n in misses])


@pytest.mark.parametrize("scheme", RU_SCHEMES)
def test_russian_given_names_under_every_scheme_find_their_group(scheme: str) -> None:
    names = ["Александр", "Алексей", "Юлия", "Евгений", "Наталья", "Дмитрий", "Андрей", "Анна", "Сергей",
             "Артём", "Фёдор"]
    misses = [n for n in names if not (groups(transliterate(n, scheme)) & groups(n))]
    assert misses == [], (scheme, [transliterate(n, scheme) for n in misses])


def test_patronymics_across_languages_share_a_group_and_keep_sex_apart() -> None:
    assert shares_group("Олександрович", "Александрович", "patronymic")
    assert shares_group("Oleksandrovych", "Aleksandrovich", "patronymic")
    assert shares_group("Миколайович", "Николаевич", "patronymic")
    assert not shares_group("Олександрович", "Олександрівна", "patronymic")


# --- canonical ASCII key -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variants",
    [
        ["Юрій", "Юрий", "Yurii", "Yuriy", "Iurii", "Jurij", "Youri"],
        ["Юлія", "Юлия", "Yuliia", "Iuliia", "Yuliya", "Julija", "Julia"],
        ["Наталія", "Наталья", "Nataliia", "Natalya", "Natalia"],
        ["Щербина", "Shcherbyna", "Shcherbina", "Scherbina", "Schtscherbyna"],
        ["Євген", "Yevhen", "Jewgen", "Evgen"],
        ["Харків", "Kharkiv", "Harkiv"],
        ["Артём", "Artyom", "Artem", "Artjom", "Artëm"],
        ["Ковальський", "Ковальский", "Kovalskyi", "Kovalskiy", "Kowalski", "Kovalsky"],
        ["Лисенко", "Лысенко", "Lysenko", "Lisenko"],
        ["Шевченко", "Shevchenko", "Schewtschenko"],
        ["Зінаїда", "Зинаида", "Zinaida", "Zinaïda"],
        ["Цой", "Tsoi", "Tsoy", "Tzoi"],
    ],
)
def test_spelling_variants_fold_to_one_ascii_key(variants: list[str]) -> None:
    keys = {name_keys(v, "surname").ascii for v in variants}
    assert len(keys) == 1, keys


def test_kmu_zgh_is_not_confused_with_zh() -> None:
    assert name_keys("Згурський", "surname").ascii != name_keys("Журський", "surname").ascii
    assert name_keys("Zghurskyi", "surname").ascii == name_keys("Згурський", "surname").ascii


def test_ascii_key_never_contains_cyrillic_and_is_close_for_variants() -> None:
    a = name_keys("Олександр", "given").ascii
    b = name_keys("Alexander", "given").ascii
    assert a.isascii() and b.isascii()
    assert a == "oleksandr"
    assert sum(x != y for x, y in zip(a, b, strict=False)) + abs(len(a) - len(b)) <= 3


def test_different_names_keep_different_ascii_keys() -> None:
    names = ["Олександр", "Олексій", "Олег", "Ольга", "Олена", "Оксана", "Марія", "Марина", "Мирон"]
    assert len({name_keys(n, "given").ascii for n in names}) == len(names)


def test_phonetic_skeleton_folds_vowels_and_voicing() -> None:
    assert name_keys("Oleksandr", "given").phonetic == name_keys("Aleksandr", "given").phonetic
    assert name_keys("Grigorii", "given").phonetic == name_keys("Krikorii", "given").phonetic
    assert name_keys("Олександр", "given").phonetic != name_keys("Олексій", "given").phonetic


# --- input hygiene ------------------------------------------------------------------------------------


def test_homoglyphs_inside_a_name_do_not_change_its_keys() -> None:
    clean = name_keys("Олександр", "given")
    assert name_keys("Oлeксандр", "given") == clean  # Latin O and e
    assert name_keys("Kоvalenko", "surname") == name_keys("Kovalenko", "surname")  # Cyrillic о


def test_apostrophe_variants_case_and_whitespace_do_not_change_keys() -> None:
    base = name_keys("Мар'яна", "given")
    for variant in ["Мар’яна", "Марʼяна", "Мар`яна", "  МАР'ЯНА ", "мар'яна"]:
        assert name_keys(variant, "given") == base, variant


def test_initial_carries_no_group() -> None:
    assert name_keys("О.", "given").groups == ()
    assert name_keys("О.", "given").ascii == "o"


# --- surnames -----------------------------------------------------------------------------------------


def test_feminine_and_masculine_surname_forms_share_a_group() -> None:
    for a, b in [("Ковальський", "Ковальська"), ("Ковальский", "Ковальская"), ("Петров", "Петрова"),
                 ("Кузьмін", "Кузьміна"), ("Білий", "Біла"), ("Kovalskyi", "Kovalska"), ("Ivanov", "Ivanova"),
                 ("Ковальська", "Kovalskaya")]:
        assert shares_group(a, b, "surname"), (a, b)


def test_surname_groups_shared_across_scripts_and_languages() -> None:
    assert groups("Коваленко", "surname") == groups("Kovalenko", "surname")
    assert shares_group("Лисенко", "Лысенко", "surname") and shares_group("Лисенко", "Lysenko", "surname")
    assert shares_group("Шевченко", "Schewtschenko", "surname")
    assert shares_group("Ковальська", "Kovalskyi", "surname")
    assert shares_group("Білоус", "Белоус", "surname") and shares_group("Bilous", "Белоус", "surname")


def test_different_surnames_do_not_share_a_group() -> None:
    assert not shares_group("Коваленко", "Коваль", "surname")
    assert not shares_group("Петренко", "Петров", "surname")
    assert not shares_group("Шевченко", "Шевчук", "surname")


def test_hyphenated_and_double_surnames_keep_both_parts() -> None:
    keys = name_keys("Петренко-Коваленко", "surname")
    assert keys.ascii == "petrenko kovalenko"
    assert groups("Петренко", "surname") <= set(keys.groups)
    assert groups("Коваленко", "surname") <= set(keys.groups)
    assert name_keys("Petrenko Kovalenko", "surname").groups == keys.groups


DISTINCT_GIVEN_NAMES = [
    "Олександр", "Олександра", "Олексій", "Олег", "Ольга", "Олена", "Оксана", "Марія", "Марина", "Мирон",
    "Іван", "Іванна", "Яна", "Данило", "Денис", "Дарина", "Віктор", "Вікторія", "Валентин", "Валентина",
    "Ярослав", "Ярослава", "Владислав", "Станіслав", "Мирослава", "Богдан", "Богдана", "Роман", "Назар",
    "Тарас", "Ілля", "Ігор", "Юрій", "Юлія", "Юліан", "Євген", "Євгенія", "Катерина", "Анна", "Аліна",
    "Олеся", "Лариса", "Софія", "Анастасія", "Надія", "Діана", "Володимир", "Василь", "Михайло", "Петро",
]


def test_common_distinct_given_names_never_share_a_group_in_cyrillic_or_kmu_latin() -> None:
    for render in (lambda n: n, lambda n: transliterate(n, "uk_kmu2010")):
        seen: dict[str, str] = {}
        for name in DISTINCT_GIVEN_NAMES:
            for group in groups(render(name)):
                assert group not in seen, (name, seen.get(group), group)
                seen[group] = name


def test_no_given_name_or_patronymic_key_has_more_than_three_groups() -> None:
    from homeward.names.lexicon import given_lexicon

    for pool in ("first", "patronymic"):
        wide = {k: v for k, v in given_lexicon(pool).index.items() if len(v) > 3}  # type: ignore[arg-type]
        assert wide == {}, pool


def test_lexicon_is_built_once_under_concurrent_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    from homeward.names import lexicon

    calls: list[str] = []

    def slow_build(pool: str) -> lexicon.GivenLexicon:
        calls.append(pool)
        time.sleep(0.05)
        return lexicon.GivenLexicon(index={"x": ("x",)}, build_seconds=0.05)

    monkeypatch.setenv("HOMEWARD_NAMES_CACHE", "off")  # a fake lexicon must never reach the disk cache
    monkeypatch.setattr(lexicon, "_given", {})
    monkeypatch.setattr(lexicon, "_build_given", slow_build)
    threads = [threading.Thread(target=lexicon.given_lexicon, args=("first",)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ["first"]


def test_german_and_french_renderings_of_surnames_find_their_group() -> None:
    for latin, cyrillic in [("Schljachtjuk", "Шляхтюк"), ("Chliakhtiouk", "Шляхтюк"), ("Dolshykowa", "Должикова"),
                            ("Protasowyzkyj", "Протасовицький"), ("Kouzmenko", "Кузьменко")]:
        assert shares_group(latin, cyrillic, "surname"), latin


@pytest.mark.parametrize("pool", ["first", "patronymic", "last"])
def test_dictionary_names_in_official_schemes_find_their_group(pool: str) -> None:
    import random

    from names_translator.dicts import default_dicts

    part = {"first": "given", "patronymic": "patronymic", "last": "surname"}[pool]
    table = default_dicts().as_dict(pool)
    sample = random.Random(7).sample(sorted(table), 400)
    misses = []
    for uk_key in sample:
        uk, ru = uk_key.title(), table[uk_key][0]
        own = groups(uk, part)
        renderings = [ru, transliterate(uk, "uk_kmu2010"), transliterate(uk, "uk_passport2007"),
                      transliterate(ru, "ru_icao2013"), transliterate(ru, "ru_passport1997")]
        misses += [r for r in renderings if not (own & groups(r, part))]
    assert len(misses) <= 4, misses[:10]  # measured: 0 of 2,000 per pool


def test_every_full_name_in_the_curated_tables_is_a_dictionary_name() -> None:
    from homeward.names.fold import cyr_key
    from homeward.names.lexicon import given_lexicon
    from homeward.names.tables import DIMINUTIVES, ENGLISH_FORMS

    lexicon = given_lexicon("first")
    unknown = [full for full in {*DIMINUTIVES, *ENGLISH_FORMS} if cyr_key(full.lower()) not in lexicon]
    assert unknown == []
