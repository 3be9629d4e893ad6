"""Internals of the canonical key that the documentation promises."""

from __future__ import annotations

from homeward.names.fold import _CYR_TRANS, _NON_KEY_RE, _core, cyr_key, latin_key, surname_stem


def test_fast_cyrillic_path_equals_folding_the_base_romanisation_over_the_dictionary() -> None:
    from names_translator.dicts import default_dicts

    words: set[str] = set()
    for pool in ("first", "patronymic"):
        for key, translations in default_dicts().as_dict(pool).items():
            words.add(key)
            words.update(t.lower() for t in translations)
    assert len(words) > 20_000
    differ = [w for w in words if cyr_key(w) != _core(_NON_KEY_RE.sub("", w.translate(_CYR_TRANS)))]
    assert differ == []


def test_base_romanisation_is_a_fixed_point_of_the_latin_path() -> None:
    for word in ["олександр", "щербина", "юлія", "згурський", "хмельницький", "в'ячеслав", "їжакевич"]:
        base = word.translate(_CYR_TRANS)
        assert latin_key(base) == cyr_key(word), word


def test_surname_stem_drops_gender_endings_but_keeps_short_stems() -> None:
    assert surname_stem("kovalska") == surname_stem("kovalski") == surname_stem("kovalskaia") == "kovalsk"
    assert surname_stem("petrova") == "petrov"
    assert surname_stem("ia") == "ia"
