"""Romanisation schemes as TEST DATA: Latin forms of names written by independent implementations.

Each scheme is ``Scheme(id, language, render, source)``: ``render`` turns a Cyrillic name (Russian for
``ru`` schemes, Ukrainian for ``uk`` ones) into Latin.  Sources (checked in their installed source):

* ``iuliia`` 0.13 (MIT, Anton Zhiyanov): 26 Russian schemes as JSON tables with context rules.
* ``translitua`` 2.0 (MIT, Dmitry Chaplinsky): Ukrainian and Russian tables.  The product uses its KMU,
  ICAO and passport tables for :func:`homeward.names.transliterate` only, never for reading Latin.
* ``cyrtranslit`` 1.2 (MIT): Russian (GOST 7.79 B-like) and Ukrainian.
* ``transliterate`` 1.10 (GPL 2.0 / LGPL 2.1, Artur Barseghyan): Russian and Ukrainian packs.
* The Polish (PWN rules), German (Duden rules) and informal ("Telegram-style", one writer's consistent
  choices per name from the common chat conventions) renderings are written here from the published rules,
  because no package provides them.  They are marked ``own`` in the table.

None of them is used by ``homeward.names`` to read Latin: that is the grapheme decoder in
``homeward/names/fold.py``.  The held-out scoring will use other schemes and writers, so a good figure
here only counts if the decoder is built for the family of conventions, not for these tables.
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable
from dataclasses import dataclass

warnings.filterwarnings("ignore", category=DeprecationWarning)


@dataclass(frozen=True)
class Scheme:
    id: str
    language: str  # "ru": renders the Russian form; "uk": the Ukrainian form
    render: Callable[[str], str]
    source: str


def _iuliia() -> list[Scheme]:
    import iuliia

    out = []
    for name in sorted(iuliia.schemas.names()) if hasattr(iuliia.schemas, "names") else _IULIIA_NAMES:
        if name == "uz":
            continue
        schema = iuliia.schemas.get(name)
        out.append(Scheme(f"ru:{name}", "ru", schema.translate, "iuliia"))
    return out


_IULIIA_NAMES = (
    "ala_lc", "ala_lc_alt", "bgn_pcgn", "bgn_pcgn_alt", "bs_2979", "bs_2979_alt", "gost_16876", "gost_16876_alt",
    "gost_52290", "gost_52535", "gost_7034", "gost_779", "gost_779_alt", "icao_doc_9303", "iso_9_1954",
    "iso_9_1968", "iso_9_1968_alt", "mosmetro", "mvd_310", "mvd_310_fr", "mvd_782", "scientific", "telegram",
    "ungegn_1987", "wikipedia", "yandex_maps", "yandex_money",
)  # fmt: skip

_TRANSLITUA_RU = (
    "RussianICAO", "RussianGOST2006", "RussianISO9SystemA", "RussianISO9SystemB", "RussianISOR9Table2",
    "RussianTelegram", "RussianInternationalPassport1997", "RussianInternationalPassport1997Reduced",
    "RussianDriverLicense", "RussianALALC", "RussianSimple",
)  # fmt: skip
_TRANSLITUA_UK = (
    "UkrainianKMU", "UkrainianPassport2007", "UkrainianPassport2004Alt", "UkrainianNational1996", "UkrainianBGN",
    "UkrainianGerman", "UkrainianFrench", "UkrainianGOST1971", "UkrainianGOST1986", "UkrainianISO9",
    "UkrainianWWS", "UkrainianBritish", "UkrainianDSTU9112A", "UkrainianDSTU9112B", "UkrainianALALC",
    "UkrainianALALCModified", "UkrainianSimple",
)  # fmt: skip


def _translitua() -> list[Scheme]:
    import translitua

    out = []
    for lang, names in (("ru", _TRANSLITUA_RU), ("uk", _TRANSLITUA_UK)):
        for name in names:
            table = getattr(translitua, name)
            out.append(Scheme(f"{lang}:translitua-{name}", lang, lambda s, t=table: translitua.translit(s, t),
                              "translitua"))
    return out


def _cyrtranslit() -> list[Scheme]:
    import cyrtranslit

    return [
        Scheme("ru:cyrtranslit", "ru", lambda s: cyrtranslit.to_latin(s, "ru"), "cyrtranslit"),
        Scheme("uk:cyrtranslit", "uk", lambda s: cyrtranslit.to_latin(s, "ua"), "cyrtranslit"),
    ]


def _transliterate() -> list[Scheme]:
    from transliterate import translit

    return [
        Scheme("ru:transliterate", "ru", lambda s: translit(s, "ru", reversed=True), "transliterate"),
        Scheme("uk:transliterate", "uk", lambda s: translit(s, "uk", reversed=True), "transliterate"),
    ]


# --- the benchmark's own renderings of published rules -----------------------------------------------

_VOWELS = set("аеёиоуыэюяіїє")
_SOFTENING = set("еёиюяьіїє")


def _table_render(table: dict[str, str], iotated: dict[str, tuple[str, str]]) -> Callable[[str], str]:
    """A letter table plus iotated vowels written one way word-initially / after a vowel or sign, another
    after a consonant."""

    def render(text: str) -> str:
        out: list[str] = []
        prev = ""
        for ch in text:
            low = ch.lower()
            if low in iotated:
                initial, after_consonant = iotated[low]
                after_vowel = not prev or prev in _VOWELS or prev in "ьъ'" or not prev.isalpha()
                rep = initial if after_vowel else after_consonant
            else:
                rep = table.get(low, ch)
            if ch != low and rep:
                rep = rep[0].upper() + rep[1:]
            out.append(rep)
            prev = low
        return "".join(out)

    return render


def polish(language: str) -> Callable[[str], str]:
    """Polish transcription (PWN rules): sz, cz, szcz, ż, ch, c, w, j; л = ł except before soft vowels."""
    table = {
        "а": "a", "б": "b", "в": "w", "г": "g" if language == "ru" else "h", "ґ": "g", "д": "d", "е": "e",
        "ж": "ż", "з": "z", "и": "i" if language == "ru" else "y", "і": "i", "й": "j", "к": "k", "л": "ł",
        "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch",
        "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz", "ъ": "", "ы": "y", "ь": "", "э": "e", "'": "",
    }  # fmt: skip
    iotated = {"я": ("ja", "ia"), "ю": ("ju", "iu"), "ё": ("jo", "io"), "є": ("je", "ie"), "ї": ("ji", "ji"),
               "е": ("je", "e") if language == "ru" else ("e", "e")}
    base = _table_render(table, iotated)

    def render(text: str) -> str:
        # л before a soft vowel or ь is l, otherwise ł; ь after л is then dropped, elsewhere it softens
        chars = list(text)
        for i, ch in enumerate(chars):
            if ch.lower() == "л" and i + 1 < len(chars) and chars[i + 1].lower() in _SOFTENING:
                chars[i] = "L" if ch.isupper() else "l"  # left as Latin l by the table
        return base("".join(chars))

    return render


def german(language: str) -> Callable[[str], str]:
    """German transcription (Duden rules): sch, tsch, schtsch, sh/sch for ж, ch for х, s/ss, z for ц, w, j."""
    table = {
        "а": "a", "б": "b", "в": "w", "г": "g" if language == "ru" else "h", "ґ": "g", "д": "d", "е": "e",
        "ж": "sch" if language == "ru" else "sh", "з": "s", "и": "i" if language == "ru" else "y", "і": "i",
        "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch", "ъ": "", "ы": "y",
        "ь": "", "э": "e", "'": "",
    }  # fmt: skip
    iotated = {"я": ("ja", "ja"), "ю": ("ju", "ju"), "ё": ("jo", "jo"), "є": ("je", "je"), "ї": ("ji", "ji"),
               "е": ("je", "e") if language == "ru" else ("e", "e")}
    base = _table_render(table, iotated)

    def render(text: str) -> str:
        # с between vowels is ss (Wassili), a single s there reads as з
        out = []
        for i, ch in enumerate(text):
            if (ch.lower() == "с" and 0 < i < len(text) - 1 and text[i - 1].lower() in _VOWELS
                    and text[i + 1].lower() in _VOWELS):
                out.append("сс")
            else:
                out.append(ch)
        return base("".join(out)).replace("сс", "ss")

    return render


_INFORMAL_CHOICES = {
    "г": ("g", "h"), "ё": ("e", "yo", "io", "jo"), "ж": ("zh", "j", "zh", "z"), "и": ("i", "y"),
    "й": ("i", "y", "j"), "х": ("h", "kh", "x"), "ц": ("c", "ts", "tz"), "ч": ("ch", "ch", "4"),
    "ш": ("sh", "sh", "6", "w"), "щ": ("sch", "sh", "shch", "w"), "ъ": ("", "'"), "ы": ("y", "i"),
    "ь": ("", "", "'"), "э": ("e",), "ю": ("yu", "iu", "ju", "u"), "я": ("ya", "ia", "ja"),
    "є": ("ye", "ie", "e"), "ї": ("yi", "i", "ji"), "і": ("i",), "ґ": ("g",), "'": ("", "'"),
}  # fmt: skip
_INFORMAL_FIXED = {
    "а": "a", "б": "b", "в": "v", "д": "d", "е": "e", "з": "z", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
}  # fmt: skip


def informal(seed: int) -> Callable[[str], str]:
    """Informal chat writing: each name written by a different writer, who picks one spelling per letter
    from the common conventions (digits 4/6 for ч/ш, c for ц, j for ж, w for ш/щ...) and keeps it."""
    rng = random.Random(seed)

    def render(text: str) -> str:
        local = random.Random(f"{rng.random()}")
        choice = {k: local.choice(v) for k, v in _INFORMAL_CHOICES.items()}
        out = []
        for ch in text:
            low = ch.lower()
            rep = _INFORMAL_FIXED.get(low) or choice.get(low, ch if low not in _INFORMAL_CHOICES else "")
            if ch != low and rep:
                rep = rep[0].upper() + rep[1:]
            out.append(rep)
        return "".join(out)

    return render


def own() -> list[Scheme]:
    return [
        Scheme("ru:own-polish", "ru", polish("ru"), "own"),
        Scheme("uk:own-polish", "uk", polish("uk"), "own"),
        Scheme("ru:own-german", "ru", german("ru"), "own"),
        Scheme("ru:own-informal", "ru", informal(1), "own"),
        Scheme("uk:own-informal", "uk", informal(2), "own"),
    ]


def all_schemes() -> list[Scheme]:
    return _iuliia() + _translitua() + _cyrtranslit() + _transliterate() + own()
