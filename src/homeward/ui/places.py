"""Place names offered while typing a place (a ``<datalist>``): the project's place table
(``homeward.names.tables.PLACES``) in the user's script. Anything else may still be typed."""

from __future__ import annotations

from functools import lru_cache

from django.utils import translation

from homeward.names.tables import PLACES


def _cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


@lru_cache(maxsize=8)
def _for(lang: str) -> tuple[str, ...]:
    out = []
    for latin, variants in PLACES.items():
        cyr = [v for v in variants.split("|") if _cyrillic(v)]
        if lang == "uk" and cyr:
            out.append(cyr[0])
        elif lang == "ru" and cyr:
            russian = [v for v in cyr if not set(v.lower()) & set("іїєґ")]
            out.append(russian[0] if russian else cyr[0])
        else:
            out.append(latin)
    return tuple(sorted(set(out)))


def known_places() -> tuple[str, ...]:
    return _for((translation.get_language() or "en").split("-")[0])
