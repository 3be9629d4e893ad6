"""Latin forms under every romanisation in real use read as the Cyrillic name (issue 11 item 5).

The decoder (homeward.names.fold: graphemes and their readings across the romanisation family, the
lexicon choosing the cheapest reading that is a known name) is checked on hand-picked forms of each
family and, where the packages are installed, on Latin forms written by independent implementations
(iuliia, translitua's Ukrainian tables) -- test data only; the product never calls them to read Latin.
"""

from __future__ import annotations

import random

import pytest

from homeward.names import name_keys
from homeward.names.fold import latin_family, latin_key, latin_readings


def same(latin: str, cyrillic: str, part: str) -> bool:
    a = name_keys(latin, part).groups  # type: ignore[arg-type]
    b = name_keys(cyrillic, part).groups  # type: ignore[arg-type]
    if part == "given":  # the matcher's "same name" level compares the first group
        return bool(a and b and a[0] == b[0])
    return bool(set(a) & set(b))


@pytest.mark.parametrize(
    ("latin", "cyrillic", "part"),
    [
        # ALA-LC with tie ligatures and primes, ISO 9 / GOST 7.79 with diacritics
        ("Usi͡uk", "Усюк", "surname"), ("Tatʹi͡ana", "Татьяна", "given"), ("I͡ulii͡a", "Юлія", "given"),
        ("T͡sapenko", "Цапенко", "surname"), ("Podʺi͡achev", "Подъячев", "surname"),
        ("Ûliâ", "Юлия", "given"), ("Ŝerbina", "Щербина", "surname"), ("Ėduard", "Эдуард", "given"),
        # scientific
        ("Ščerbčuk", "Щербчук", "surname"), ("Xoxlov", "Хохлов", "surname"), ("Mixail", "Михаил", "given"),
        # GOST 7.79 B
        ("Czapenko", "Цапенко", "surname"), ("Shherbina", "Щербина", "surname"), ("E`duard", "Эдуард", "given"),
        # French
        ("Demtchouk", "Демчук", "surname"), ("Artemovitch", "Артемович", "patronymic"),
        ("Evguenii", "Евгений", "given"), ("Bacharine", "Башарин", "surname"), ("Iouliia", "Юлия", "given"),
        # German and Polish
        ("Schewtschenko", "Шевченко", "surname"), ("Szewczenko", "Шевченко", "surname"),
        ("Chochlow", "Хохлов", "surname"), ("Wolodymyr", "Володимир", "given"),
        # telegraph and informal writing
        ("Stecenko", "Стеценко", "surname"), ("Kapica", "Капица", "surname"), ("Borscik", "Борщик", "surname"),
        ("Gri6a", "Гриша", "given"), ("4ernenko", "Черненко", "surname"), ("Ludmila", "Людмила", "given"),
        # passports of each era
        ("Tcapenko", "Цапенко", "surname"), ("Yevheniya", "Євгенія", "given"), ("Ievgeniia", "Євгенія", "given"),
        ("Coval's'cyi", "Ковальський", "surname"),
    ],
)
def test_latin_form_of_each_scheme_family_reads_as_the_cyrillic_name(latin: str, cyrillic: str, part: str) -> None:
    assert same(latin, cyrillic, part)


def test_common_english_forms_still_read_as_before() -> None:
    for latin, cyrillic in [("Victor", "Віктор"), ("Nicolai", "Николай"), ("Maxim", "Максим"),
                            ("Aleksandr", "Олександр"), ("Oleksandr", "Олександр"), ("Shevchenko", "Шевченко")]:
        part = "surname" if cyrillic == "Шевченко" else "given"
        assert same(latin, cyrillic, part), latin


def test_different_common_names_stay_apart_in_every_family() -> None:
    givens = ["Олександр", "Олексій", "Сергій", "Андрій", "Дмитро", "Микола", "Іван", "Юрій", "Євген", "Максим",
              "Марія", "Олена", "Ганна", "Наталія", "Юлія", "Тетяна", "Катерина", "Софія", "Дарина", "Вікторія"]
    forms = {
        "Олександр": ["Aleksandr", "Alexandre", "Oleksandr"], "Олексій": ["Alexei", "Aleksej", "Oleksij"],
        "Сергій": ["Sergueï", "Serhij", "Sergej", "Serhiy"], "Юрій": ["Iouri", "Jurij", "Yuriy"],
        "Євген": ["Evgueni", "Jewgeni", "Jevhen", "Ievgen"], "Марія": ["Mariia", "Marija", "Maria"],
        "Наталія": ["Natalia", "Nataliya", "Natalja"], "Тетяна": ["Tatiana", "Tatjana", "Tetiana"],
        "Катерина": ["Ekaterina", "Jekaterina", "Kateryna"], "Софія": ["Sofiia", "Sofija", "Sophia"],
    }
    for cyrillic, latins in forms.items():
        others = [name for name in givens if name != cyrillic]
        for latin in latins:
            assert same(latin, cyrillic, "given"), latin
            assert not any(same(latin, other, "given") for other in others), latin


def test_family_is_recognised_from_its_conventions() -> None:
    assert latin_family("demtchouk") == "fr"
    assert latin_family("ščerbčuk") == "cs"
    assert latin_family("szewczenko") == "pl"
    assert latin_family("schewtschenko") == "de"
    assert latin_family("shevchenko") == ""


def test_default_reading_is_not_repeated_among_the_other_readings() -> None:
    for word in ["chokal", "stecenko", "jermena", "xoxlov", "schukow"]:
        readings = latin_readings(word)
        keys = [key for _, key in readings]
        assert latin_key(word) not in keys
        assert len(keys) == len(set(keys))
        assert [cost for cost, _ in readings] == sorted(cost for cost, _ in readings)
        assert all(cost >= 1 for cost, _ in readings)


def test_readings_are_bounded_for_long_ambiguous_words() -> None:
    assert len(latin_readings("schtschjczxchjczxchjczxchjczxchjczx")) <= 400


def test_a_minority_reading_applies_to_every_occurrence_of_its_grapheme() -> None:
    # a writer keeps one convention: both c as к cost one step, not two
    assert (1, "kovalkenko") in latin_readings("coval'cenco")


def test_apostrophe_separates_graphemes() -> None:
    assert latin_key("bezbat'ko") == "bezbatko"
    assert latin_key("bezbatko") == latin_key("bezbat'ko")
    assert "bezbatko" in {key for _, key in latin_readings("bezbat'co")}


def _sample(pool: str, n: int, seed: int) -> list[tuple[str, str]]:
    from names_translator.dicts import default_dicts

    table = default_dicts().as_dict(pool)
    keys = sorted(k for k, v in table.items() if v and k.isalpha())
    random.Random(seed).shuffle(keys)
    return [(k, table[k][0]) for k in keys[:n]]


IULIIA_SCHEMES = ["ala_lc", "bgn_pcgn", "gost_779", "gost_779_alt", "icao_doc_9303", "iso_9_1968", "mosmetro",
                  "mvd_310", "mvd_310_fr", "scientific", "telegram", "wikipedia", "yandex_money"]


@pytest.mark.parametrize("scheme", IULIIA_SCHEMES)
def test_russian_names_under_iuliia_schemes_meet_their_ukrainian_original(scheme: str) -> None:
    iuliia = pytest.importorskip("iuliia")
    schema = iuliia.schemas.get(scheme)
    found = total = 0
    for pool, part in (("first", "given"), ("last", "surname"), ("patronymic", "patronymic")):
        for uk, ru in _sample(pool, 150, 5):
            total += 1
            found += same(schema.translate(ru), uk, part)
    assert found / total >= 0.97, f"{scheme}: {found}/{total}"


@pytest.mark.parametrize("table", ["UkrainianALALC", "UkrainianWWS", "UkrainianFrench", "UkrainianGerman",
                                   "UkrainianDSTU9112A", "UkrainianPassport2004Alt", "UkrainianISO9"])
def test_ukrainian_names_under_translitua_tables_meet_the_original(table: str) -> None:
    import translitua

    found = total = 0
    for pool, part in (("first", "given"), ("last", "surname"), ("patronymic", "patronymic")):
        for uk, _ in _sample(pool, 150, 6):
            total += 1
            found += same(translitua.translit(uk, getattr(translitua, table)), uk, part)
    assert found / total >= 0.95, f"{table}: {found}/{total}"
