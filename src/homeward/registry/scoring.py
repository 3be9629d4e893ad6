"""Score one child description against a few candidate records, with the matcher's own model.

Pure Python (no Django). The batch matcher (``homeward.linkage.core``) runs Splink on DuckDB, which costs
about a second per call however small the input; a warning at registration must answer in milliseconds.
So this module evaluates the *same* comparison levels (``homeward.linkage.core.model``: same labels, same
canonical features from ``homeward.linkage.core.features``) in Python, with the m and u probabilities of
the model in use (the reference model, or the installation's own trained model), and sums the match
weights the Fellegi–Sunter way, as Splink does:

    weight = log2(prior / (1 - prior)) + Σ log2(m / u)       probability = 2^w / (1 + 2^w)

Two differences from a batch run, both documented in docs/duplicates.md: the term-frequency adjustment
of common names takes its frequencies from the caller (``Model.score(..., tf=...)``: the duplicate warning
counts them in the caller's scope through the name index; without them a level keeps its average weight),
and the prior is the chance that a new registration repeats one given child of the N it is compared with
(``share / N``; the duplicate warning passes the size of the caller's scope), not the one-to-one prior of
two lists.

A model whose levels this module does not know raises :class:`UnknownLevel` (a test loads the shipped
reference model, so a change of the model's levels is caught).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jellyfish import jaro_winkler_similarity

from homeward.linkage.core import features
from homeward.linkage.core import model as core_model
from homeward.linkage.core.model import Reason

#: Share of new registrations that repeat a child already registered (the prior's numerator).
DUPLICATE_SHARE = 0.05


class UnknownLevel(ValueError):
    """The model has a comparison level this scorer cannot evaluate."""


@dataclass(frozen=True, slots=True)
class Score:
    match_probability: float
    match_weight: float
    reasons: tuple[Reason, ...]

    @property
    def explanation(self) -> str:
        return "; ".join(str(r) for r in self.reasons)

    def evidence(self) -> list[tuple[str, str]]:
        """Which level each comparison took: what a pair's evidence digest is computed from."""
        return [(r.comparison, r.level) for r in self.reasons]


Features = dict[str, Any]


def features_of(record: Mapping[str, Any]) -> Features:
    """Canonical features of one raw record (keys of ``features.INPUT_COLUMNS``), as the matcher computes them."""
    def text(key: str) -> str:
        value = record.get(key)
        return "" if value is None else str(value).strip()

    g = features.name_key(text("given_name"), "given")
    s = features.name_key(text("surname"), "surname")
    p = features.name_key(text("patronymic"), "patronymic")
    d = features.birth_date(text("birth_date"))
    return {
        "g_key": g.ascii or None, "g_grp": frozenset(g.groups), "g_can": _canonical(g),
        "g_first": g.groups[0] if g.groups else None,  # g_grp[1] in the model's SQL
        "s_key": s.ascii or None, "s_grp": frozenset(s.groups), "s_can": _canonical(s),
        "p_key": p.ascii or None, "p_grp": frozenset(p.groups), "p_can": _canonical(p),
        "p_first": p.groups[0] if p.groups else None,  # p_grp[1] in the model's SQL
        "dob": d.value.isoformat() if d.value else None,
        "dob_sw": d.swapped.isoformat() if d.swapped else None,
        "dob_y": d.year,
        "sex": features.sex_code(text("sex")) or None,
        "place": features.place_key(text("birth_place")) or None,
    }


def _canonical(k: features.Keys) -> str | None:
    return k.groups[0] if k.groups else (k.ascii or None)


def _jw(a: str | None, b: str | None, at_least: float) -> bool:
    return a is not None and b is not None and jaro_winkler_similarity(a, b) >= at_least


def _eq(a: Any, b: Any) -> bool:
    return a is not None and b is not None and a == b


def _hamming1(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) <= 1


def _same_family(left: Features, right: Features) -> bool:
    return (_eq(left["s_key"], right["s_key"]) or bool(left["s_grp"] & right["s_grp"])
            or _jw(left["s_key"], right["s_key"], 0.9)) and _eq(left["dob"], right["dob"])


def _name_levels(key: str, grp: str, can: str, *, merged: bool, first: str | None = None) -> dict[str, Any]:
    def same(a: Features, b: Features) -> bool:
        return _eq(a[can], b[can]) or (merged and bool(a[grp] & b[grp]))

    def typo(a: Features, b: Features) -> bool:
        """A typo in the key, or (``first``: the given name) in the canonical form (``model.CANONICAL_TYPO``)."""
        return _jw(a[key], b[key], 0.9) or (first is not None and _jw(a[first], b[first], core_model.CANONICAL_TYPO))

    return {
        core_model.SAME_NAME: same,
        "one name: diminutive or variant form": lambda a, b: bool(a[grp] & b[grp]),
        "one surname: variant form": lambda a, b: bool(a[grp] & b[grp]),
        "spelling differs by a typo": typo,
        "similar spelling": lambda a, b: _jw(a[key], b[key], 0.80),
        "different names in one family (twin or sibling)": _same_family,
        # reached only when the surname differs (earlier levels take every agreement)
        core_model.SURNAME_CHANGED_PATRONYMIC_AGREES: lambda a, b: _patronymics(a, b) and _patronymic_agrees(a, b),
        core_model.SURNAME_AND_PATRONYMIC_CHANGED: _patronymics,
    }


def _patronymics(a: Features, b: Features) -> bool:
    return a["p_key"] is not None and b["p_key"] is not None


def _patronymic_agrees(a: Features, b: Features) -> bool:
    """``model.PATRONYMIC_AGREES_SQL``: same key, a shared group, or a typo in the key or the canonical form."""
    return _eq(a["p_key"], b["p_key"]) or bool(a["p_grp"] & b["p_grp"]) or _patronymic_typo(a, b)


def _patronymic_typo(a: Features, b: Features) -> bool:
    """A typo in the patronymic's key or in its canonical form."""
    return _jw(a["p_key"], b["p_key"], 0.88) or _jw(a["p_first"], b["p_first"], 0.88)


def _surname_differs(a: Features, b: Features) -> bool:
    """``model.SURNAME_DIFFERS_SQL``: both surnames present and no surname level short of "different" holds."""
    if a["s_key"] is None or b["s_key"] is None:
        return False
    return not (_eq(a["s_can"], b["s_can"]) or bool(a["s_grp"] & b["s_grp"]) or _jw(a["s_key"], b["s_key"], 0.8))


# comparison -> (null test, {level label -> test}); the ELSE level is the last level of the comparison.
_LEVELS: dict[str, tuple[Any, dict[str, Any]]] = {
    "given_name": (lambda a, b: a["g_key"] is None or b["g_key"] is None,
                   _name_levels("g_key", "g_grp", "g_can", merged=False, first="g_first")),
    "surname": (lambda a, b: a["s_key"] is None or b["s_key"] is None,
                _name_levels("s_key", "s_grp", "s_can", merged=True)),
    "patronymic": (lambda a, b: a["p_key"] is None or b["p_key"] is None or _surname_differs(a, b), {
        "same patronymic": lambda a, b: _eq(a["p_key"], b["p_key"]),
        "one patronymic: other language or transliteration": lambda a, b: bool(a["p_grp"] & b["p_grp"]),
        "patronymic differs by a typo": _patronymic_typo,
    }),
    "birth_date": (lambda a, b: a["dob_y"] is None or b["dob_y"] is None, {
        "same date": lambda a, b: _eq(a["dob"], b["dob"]),
        "day and month swapped": lambda a, b: _eq(a["dob"], b["dob_sw"]),
        "one digit differs": lambda a, b: _hamming1(a["dob"], b["dob"]),
        "same month and year": lambda a, b: a["dob"] is not None and b["dob"] is not None
        and a["dob"][:7] == b["dob"][:7],
        "birth year equal or one year apart": lambda a, b: abs(a["dob_y"] - b["dob_y"]) <= 1,
    }),
    "sex": (lambda a, b: a["sex"] is None or b["sex"] is None, {"same": lambda a, b: _eq(a["sex"], b["sex"])}),
    "birth_place": (lambda a, b: a["place"] is None or b["place"] is None, {
        "same place": lambda a, b: _eq(a["place"], b["place"]),
        "place spelled slightly differently": lambda a, b: _jw(a["place"], b["place"], 0.9),
    }),
    "names_swapped": (
        lambda a, b: any(x[k] is None for x in (a, b) for k in ("g_can", "s_can")),
        {"given name and surname swapped between the columns":
         lambda a, b: _eq(a["g_can"], b["s_can"]) and _eq(a["s_can"], b["g_can"])}),
}


@dataclass(frozen=True)
class _Level:
    label: str
    weight: float  # log2(m / u)
    test: Any  # None: the ELSE level
    u: float = 1.0
    tf_column: str | None = None  # the feature whose term frequency adjusts this level (the model's own)
    tf_weight: float = 0.0
    tf_min_u: float = 0.0


#: How common each feature value is among the records a description is compared with:
#: ``{feature column: {value: share of the records}}`` (``Model.score(..., tf=...)``).
Frequencies = Mapping[str, Mapping[str, float]]


@dataclass(frozen=True)
class Model:
    """The levels and weights of a saved matcher model (``homeward-linkage/1``), ready to score."""

    version: str
    comparisons: tuple[tuple[str, tuple[_Level, ...]], ...]

    @classmethod
    def from_dict(cls, saved: Mapping[str, Any]) -> Model:
        if saved.get("format") != core_model.MODEL_FORMAT or "splink_model" not in saved:
            raise UnknownLevel(f"not a {core_model.MODEL_FORMAT} model")
        out = []
        for comparison in saved["splink_model"]["comparisons"]:
            name = comparison["output_column_name"]
            if name not in _LEVELS:
                continue  # an extra identifier column (document number): records here have none
            tests = _LEVELS[name][1]
            levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
            out.append((name, tuple(_level(name, lv, len(levels) - 1 - i, len(levels), tests)
                                    for i, lv in enumerate(levels))))
        return cls(str(saved.get("model_version", "")), tuple(out))

    def tf_columns(self) -> frozenset[str]:
        """The feature columns whose term frequencies this model's levels are adjusted by."""
        return frozenset(lv.tf_column for _name, levels in self.comparisons for lv in levels if lv.tf_column)

    def score(self, left: Features, right: Features, registry_size: int, tf: Frequencies | None = None,
              tf_floor: Mapping[str, float] | None = None) -> Score:
        """``left`` against ``right``. With ``tf`` (how common ``left``'s values are: ``{column: {value: share}}``),
        a level the model adjusts by term frequency weighs ``log2(m / max(share, minimum u))`` instead of
        ``log2(m / u)`` (Splink's adjustment, weight 1): an agreeing rare name counts for more than a common one.
        A column or value missing from ``tf`` keeps the level's average weight. ``tf_floor`` (``{column: share}``)
        replaces the model's minimum u of a column whose shares the caller counted exactly (the model's bound
        is for frequencies estimated on its training lists; an exact count's smallest share is one record)."""
        prior = min(0.5, DUPLICATE_SHARE / max(registry_size, 1))
        weight = math.log2(prior / (1 - prior))
        reasons = []
        for name, levels in self.comparisons:
            if _LEVELS[name][0](left, right):
                continue  # missing on one side: no evidence either way
            level = next(lv for lv in levels if lv.test is None or lv.test(left, right))
            level_weight = level.weight
            if tf is not None and level.tf_column is not None:
                share = tf.get(level.tf_column, {}).get(left.get(level.tf_column) or "")
                if share is not None:
                    floor = level.tf_min_u if tf_floor is None else tf_floor.get(level.tf_column, level.tf_min_u)
                    level_weight += level.tf_weight * math.log2(level.u / max(share, floor, 1e-12))
            weight += level_weight
            if level.label in core_model.SILENT_LABELS:
                continue
            label = level.label
            if label == core_model.SAME_NAME and name in core_model.SAME_NAME_WORDING:
                key, same, forms = core_model.SAME_NAME_WORDING[name]
                label = same if left[key] == right[key] else forms
            title = core_model.COMPARISON_TITLES.get(name, name)
            reasons.append(Reason(title, label, round(level_weight, 2)))
        probability = 1.0 / (1.0 + 2.0 ** -weight) if weight > -1000 else 0.0
        return Score(probability, weight, tuple(reasons))

    def best(self, lefts: Sequence[Features], rights: Iterable[Features], registry_size: int,
             tf: Sequence[Frequencies | None] = (), tf_floor: Mapping[str, float] | None = None) -> Score:
        """The best score over every name form of one record against every name form of another (``tf``: the
        term frequencies of each of ``lefts``, and ``tf_floor``, see :meth:`score`)."""
        tfs = list(tf) + [None] * (len(lefts) - len(tf))
        scores = [self.score(a, b, registry_size, t, tf_floor) for a, t in zip(lefts, tfs, strict=False)
                  for b in rights]
        return max(scores, key=lambda s: s.match_weight)


def _probability(value: Any, default: float) -> float:
    if value is None:
        return default
    if isinstance(value, str):  # Splink's "level not observed in training dataset"
        return 1e-6
    return max(float(value), 1e-300)


def _default_m(vector_value: int, n_levels: int) -> float:
    """Splink's default m of a level it has no trained value for (0.95 for the top level)."""
    return 0.95 if vector_value == n_levels - 1 else 0.05 / (n_levels - 1)


def _default_u(vector_value: int, n_levels: int) -> float:
    weights = [-5.0] if n_levels == 2 else [-5 + 8 * i / (n_levels - 2) for i in range(n_levels - 1)]
    weights.append(10.0)
    return _default_m(vector_value, n_levels) / (2 ** weights[vector_value])


def _level(name: str, level: Mapping[str, Any], vector_value: int, n_levels: int,
           tests: Mapping[str, Any]) -> _Level:
    label = str(level.get("label_for_charts", ""))
    is_else = level.get("sql_condition") == "ELSE"
    if not is_else and label not in tests:
        raise UnknownLevel(f"comparison {name!r}: unknown level {label!r}")
    m = _probability(level.get("m_probability"), _default_m(vector_value, n_levels))
    u = _probability(level.get("u_probability"), _default_u(vector_value, n_levels))
    tf_column = level.get("tf_adjustment_column")
    return _Level(label, math.log2(m / u), None if is_else else tests[label], u,
                  str(tf_column) if tf_column and not is_else else None,
                  float(level.get("tf_adjustment_weight", 1.0)), float(level.get("tf_minimum_u_value", 0.0)))


@lru_cache(maxsize=4)
def _cached(version: str, text: str) -> Model:
    import json

    return Model.from_dict(json.loads(text))


def model_from(saved: Mapping[str, Any]) -> Model:
    """A scorer for a saved model (cached by its version)."""
    import json

    return _cached(str(saved.get("model_version", "")), json.dumps(saved, sort_keys=True))
