"""Name dictionaries: equivalence groups built from names_translator plus the curated tables.

Everything is built lazily on first use, once per process, per part (given names, patronymics,
surnames), and is keyed by the canonical ASCII key (:func:`homeward.names.fold.ascii_key`), so one
lookup serves Ukrainian Cyrillic, Russian Cyrillic and Latin input alike.

Given names and patronymics: the ``names_translator`` dictionary pairs every Ukrainian name with its
ranked Russian equivalents.  The pairs are joined with union-find over keys; each connected component is
one group, named after its most common Russian form (so Олександр/Александр/Oleksandr share the group
``aleksandr``).  Every member is also transliterated under the Latin schemes and any Latin form that folds
to a different key is added to the index (the reverse lookup).  Diminutives and English forms join the
group of their full name.

Surnames: the group is the gender-neutral stem (:func:`homeward.names.fold.surname_stem`) of the key;
where the Ukrainian and Russian spellings of one surname have different stems (Білоус/Белоус) the
Ukrainian stem is aliased to the Russian one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from .diskcache import cached
from .fold import ascii_key, cyr_key, latin_key, surname_stem
from .tables import DIMINUTIVES, ENGLISH_FORMS
from .translit import transliterate

__all__ = [
    "GivenLexicon",
    "SurnameLexicon",
    "given_lexicon",
    "language_sets",
    "surname_lexicon",
]

log = logging.getLogger(__name__)

Pool = Literal["first", "patronymic"]

#: Schemes whose Latin forms of dictionary names are added to the index: the official ones that the product
#: itself writes (transliterate()).  Every other romanisation is read by the grapheme decoder
#: (fold.latin_readings) with the lexicon choosing among its readings, never by rendering the dictionary
#: under that scheme.
VARIANT_SCHEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "first": (
        ("uk_kmu2010",),
        ("ru_icao2013", "ru_passport1997"),
    ),
    "patronymic": (("uk_kmu2010",), ("ru_icao2013",)),
}

_lock = threading.RLock()


def _dicts() -> Any:
    from names_translator.dicts import default_dicts

    return default_dicts()


class _UnionFind:
    __slots__ = ("parent",)

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        root = parent.setdefault(x, x)
        while root != parent[root]:
            root = parent[root]
        while x != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


@dataclass(frozen=True, slots=True)
class GivenLexicon:
    """Key → groups for given names (``first``) or patronymics (``patronymic``)."""

    index: dict[str, tuple[str, ...]]
    build_seconds: float

    def groups(self, key: str) -> tuple[str, ...]:
        return self.index.get(key, ())

    def __contains__(self, key: object) -> bool:
        return key in self.index


def _latin_variants(names: Iterable[str], schemes: Iterable[str]) -> set[str]:
    forms: set[str] = set()
    schemes = tuple(schemes)
    for name in names:
        for scheme in schemes:
            forms.add(transliterate(name, scheme).lower())
    return forms


def _build_given(pool: Pool) -> GivenLexicon:
    started = time.perf_counter()
    table: dict[str, list[str]] = _dicts().as_dict(pool)
    uf = _UnionFind()
    primary_votes: Counter[str] = Counter()
    uk_names: list[str] = []
    ru_names: set[str] = set()
    for uk, translations in table.items():
        uk_key = cyr_key(uk)
        if not uk_key:
            continue
        uk_names.append(uk)
        uf.find(uk_key)
        for rank, ru in enumerate(translations):
            ru = ru.lower()
            ru_names.add(ru)
            ru_key = cyr_key(ru)
            if not ru_key:
                continue
            uf.union(uk_key, ru_key)
            if rank == 0:
                primary_votes[ru_key] += 1

    members: dict[str, list[str]] = defaultdict(list)
    for key in list(uf.parent):
        members[uf.find(key)].append(key)
    group_of: dict[str, str] = {}
    for keys in members.values():
        name = min(keys, key=lambda k: (-primary_votes[k], len(k), k))
        for k in keys:
            group_of[k] = name

    index: dict[str, set[str]] = {k: {g} for k, g in group_of.items()}

    def add(key: str, group: str) -> None:
        if key:
            index.setdefault(key, set()).add(group)

    # Reverse lookup: Latin forms of every dictionary name under every variant scheme.
    uk_schemes, ru_schemes = VARIANT_SCHEMES[pool]
    for schemes, names in ((uk_schemes, uk_names), (ru_schemes, sorted(ru_names))):
        for name in names:
            group = group_of.get(cyr_key(name))
            if group is None:
                continue
            for form in {transliterate(name, s).lower() for s in schemes}:
                key = latin_key(form)
                # A Latin form that folds onto the key of another dictionary name is read as that name:
                # a name's own spelling wins over another name's German/French rendering.
                if group_of.get(key, group) == group:
                    add(key, group)

    if pool == "first":
        for tables in (DIMINUTIVES, ENGLISH_FORMS):
            for full, variants in tables.items():
                full_key = cyr_key(full.lower())
                group = group_of.get(full_key, full_key)
                for variant in variants.split():
                    low = variant.lower()
                    variant_keys = {ascii_key(low)}
                    if not low.isascii():
                        variant_keys |= {latin_key(f) for f in _latin_variants([low], uk_schemes + ru_schemes)}
                    for key in variant_keys:
                        add(key, group)

    frozen = {k: tuple(sorted(v)) for k, v in index.items()}
    return GivenLexicon(index=frozen, build_seconds=time.perf_counter() - started)


_given: dict[str, GivenLexicon] = {}
_surnames: list[SurnameLexicon] = []


def given_lexicon(pool: Pool = "first") -> GivenLexicon:
    """The (lazily built, shared) lexicon of given names or patronymics; built once even under threads."""
    lex = _given.get(pool)
    if lex is None:
        with _lock:
            lex = _given.get(pool)
            if lex is None:
                lex = _given[pool] = cached(f"given-{pool}", lambda: _build_given(pool))
                log.debug("names lexicon %s built in %.2fs (%d keys)", pool, lex.build_seconds, len(lex.index))
    return lex


@dataclass(frozen=True, slots=True)
class SurnameLexicon:
    """Surname stems known to the dictionary, and Ukrainian → Russian stem aliases."""

    stems: frozenset[str]
    aliases: dict[str, tuple[str, ...]]
    build_seconds: float

    def groups(self, key: str) -> tuple[str, ...]:
        """Groups of a single-word surname key (its own stem plus dictionary aliases)."""
        stem = surname_stem(key)
        alias = self.aliases.get(stem)
        if alias is None:
            return (stem,) if stem else ()
        return tuple(sorted({stem, *alias}))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and surname_stem(key) in self.stems


def _build_surnames() -> SurnameLexicon:
    started = time.perf_counter()
    table: dict[str, list[str]] = _dicts().as_dict("last")
    stems: set[str] = set()
    aliases: dict[str, set[str]] = {}
    for uk, translations in table.items():
        uk_stem = surname_stem(cyr_key(uk))
        stems.add(uk_stem)
        if not translations:
            continue
        canon = surname_stem(cyr_key(translations[0].lower()))
        stems.add(canon)
        if uk_stem != canon and uk_stem and canon:
            aliases.setdefault(uk_stem, set()).add(canon)
        for ru in translations[1:]:
            ru_stem = surname_stem(cyr_key(ru.lower()))
            stems.add(ru_stem)
            if ru_stem != canon and ru_stem:
                aliases.setdefault(ru_stem, set()).add(canon)
    return SurnameLexicon(
        stems=frozenset(stems),
        aliases={k: tuple(sorted(v)) for k, v in aliases.items()},
        build_seconds=time.perf_counter() - started,
    )


def surname_lexicon() -> SurnameLexicon:
    """The (lazily built, shared) surname lexicon."""
    if not _surnames:
        with _lock:
            if not _surnames:
                _surnames.append(cached("surnames", _build_surnames))
                log.debug("names lexicon last built in %.2fs", _surnames[0].build_seconds)
    return _surnames[0]


_UK_LETTERS_AS_RU = str.maketrans("іє", "ие")


@cache
def language_sets() -> tuple[frozenset[str], frozenset[str]]:
    return cached("language-sets", _build_language_sets)


def _build_language_sets() -> tuple[frozenset[str], frozenset[str]]:
    """(Ukrainian-marked, Russian-marked) lowercase Cyrillic spellings from the dictionaries.

    A Ukrainian dictionary name is Ukrainian-marked when its most frequent Russian equivalent is spelled
    differently (Олександр → Александр); that equivalent is Russian-marked.  Names spelled the same in
    both languages (Петренко, Петров) are in neither set; nor is the equivalent of a Ukrainian-letter
    spelling of a Russian name (олєг → Олег), since Олег, Марина, Коваленко are Ukrainian names too.
    """
    uk: set[str] = set()
    ru: set[str] = set()
    d = _dicts()
    for pool in ("first", "patronymic", "last"):
        for key, translations in d.as_dict(pool).items():
            if not translations:
                continue
            ru_name = translations[0].lower()
            if ru_name == key:
                continue
            uk.add(key)
            # A Russian name written with Ukrainian letters (олєг, маріна, мельнік → Олег, Марина,
            # Мельник) is no evidence that the Russian spelling is not also Ukrainian.  The price: Іван →
            # Иван and Віктор → Виктор mark nothing either (Иван is caught by its spelling, see text.py).
            if key.replace("ій", "\0").translate(_UK_LETTERS_AS_RU).replace("\0", "ій") != ru_name:
                ru.add(ru_name)
    return frozenset(uk), frozenset(ru)
