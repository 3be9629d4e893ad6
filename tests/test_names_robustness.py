"""Arbitrary input never breaks the toolkit: keys stay ASCII, dates fail only with DateError."""

from __future__ import annotations

import random

from homeward.names import DateError, canonical_place, name_keys, parse_date, split_full_name

ALPHABET = (
    "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяёыэъАБВГҐДЕЄЖЗИІЇЙ"
    "abcdefghijklmnopqrstuvwxyzABCXYZšžčëïéüöß"
    "0123456789 .,-/'’ʼ`()\"\t\n\u00a0\u0301\u200b!?@#"
)


def _random_strings(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 24))) for _ in range(n)]


def test_random_text_gives_ascii_keys_and_never_raises() -> None:
    for text in _random_strings(1500, 1):
        for part in ("given", "surname", "patronymic"):
            keys = name_keys(text, part)
            assert keys.ascii.isascii() and keys.phonetic.isascii()
            assert all(g.isascii() and g for g in keys.groups)
        assert canonical_place(text).isascii()
        assert all(isinstance(p, str) for p in split_full_name(text))


def test_random_text_as_a_date_raises_only_date_error() -> None:
    for text in _random_strings(3000, 2) + ["29.02.2016", "29.02.2015", "00.00.0000", "1.1.1", "99"]:
        try:
            parse_date(text)
        except DateError:
            pass
