"""A small link scored in pure Python with a saved model's parameters, instead of Splink on DuckDB.

Every list upload starts a run of its few names against the registry (a few hundred records), with the
installation's saved model (or the reference model): too few pairs to train on, so nothing is estimated and
the run only blocks and scores. Splink's cost there is fixed -- a linker, DuckDB tables, SQL written through
sqlglot -- about half a second of CPU whatever the lists' length. Here the same steps run in Python:

* the saved model's prediction blocking rules, read from its SQL (:mod:`.sqlexpr`) and applied as hash joins
  on their equality conditions (with the frequency-aware name-group keys of :mod:`.blocking`, computed the
  same way in Python);
* every comparison's levels, in order, from the same SQL conditions (CASE semantics: the first level whose
  condition is true);
* the match weight as Splink sums it -- the prior's weight, then each comparison's ``log2(m / u)`` with m and
  u clamped at 1e-300 and Splink's default for a level without one -- and its probability by Splink's formula,
  so the candidates and probabilities are the same floating-point values (``tests/test_linkage_small.py``
  compares the two paths on generated and demo data, several seeds).

Only without term-frequency adjustments (fewer than :data:`engine.MIN_TRAINING_PAIRS` pairs, where the engine
leaves them out as well), without extra identifier columns and without reviewers' labels; a model whose SQL
this module does not know raises :class:`sqlexpr.Unsupported`, and the engine runs Splink.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from . import blocking, sqlexpr
from .sqlexpr import Column, Node, Unsupported

LEVEL_NOT_OBSERVED = "level not observed in training dataset"
M_U_CLAMP_MIN = 1e-300  # Splink's comparison_level.M_U_CLAMP_MIN
TF_KEYS = ("tf_adjustment_column", "tf_adjustment_weight", "tf_minimum_u_value")


@dataclass(frozen=True)
class Level:
    test: sqlexpr.Value | None  # None: the ELSE level
    gamma: int  # Splink's comparison vector value (-1: the null level)
    weight: float  # log2(m / u); 0 for the null level
    label: str
    is_null: bool


@dataclass(frozen=True)
class Comparison:
    name: str
    levels: tuple[Level, ...]

    def level(self, a: Mapping[str, Any], b: Mapping[str, Any]) -> Level:
        for lv in self.levels:
            if lv.test is None or lv.test(a, b) is True:
                return lv
        raise Unsupported(f"comparison {self.name!r}: no level holds (no ELSE level)")


@dataclass(frozen=True)
class Rule:
    """A prediction blocking rule: equality conditions (one expression of each side) joined by hash, the
    rest checked on each pair so found; ``explode`` names array columns whose elements are joined."""

    left_keys: tuple[sqlexpr.Value, ...]
    right_keys: tuple[sqlexpr.Value, ...]
    residual: sqlexpr.Value | None
    explode: tuple[str, ...]

    def keys(self, row: Mapping[str, Any], side: str) -> set[tuple[Any, ...]]:
        fns = self.left_keys if side == "l" else self.right_keys
        views: Iterable[Mapping[str, Any]] = (row,)
        if self.explode:
            lists: list[Any] = [row.get(c) for c in self.explode]
            if any(not v for v in lists):
                return set()  # unnest of an empty or missing array: no rows
            views = ({**row, **dict(zip(self.explode, combo, strict=True))} for combo in itertools.product(*lists))
        out = set()
        for view in views:
            key = tuple(f(view, view) for f in fns)
            if all(k is not None for k in key):
                out.add(key)
        return out


def _default_m(n: int) -> list[float]:
    rest = (1 - 0.95) / (n - 1)
    return [rest] * (n - 1) + [0.95]


def _default_u(n: int) -> list[float]:
    if n == 2:
        weights: list[float] = [-5]
    else:
        step = (3 - (-5)) / (n - 2)
        weights = [-5 + i * step for i in range(n - 1)]
    weights = weights + [10]
    return [m / 2**w for m, w in zip(_default_m(n), weights, strict=True)]


def _probability(value: Any, default: float) -> float:
    if value == LEVEL_NOT_OBSERVED:
        return 1e-6
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Unsupported(f"a probability that is not a number: {value!r}")
    return float(value)


def _comparison(c: Mapping[str, Any]) -> Comparison:
    raw = list(c.get("comparison_levels", []))
    n = sum(1 for lv in raw if not lv.get("is_null_level"))
    if n < 2 or not raw or str(raw[-1].get("sql_condition", "")).strip().upper() != "ELSE":
        raise Unsupported(f"comparison {c.get('output_column_name')!r}: not ending in an ELSE level")
    dm, du = _default_m(n), _default_u(n)
    levels, gamma = [], n - 1
    for lv in raw:
        sql = str(lv["sql_condition"]).strip()
        if any(lv.get(k) is not None for k in TF_KEYS):
            raise Unsupported("term-frequency adjustments")
        test = None if sql.upper() == "ELSE" else sqlexpr.condition(sql)
        label = str(lv.get("label_for_charts", ""))
        if lv.get("is_null_level"):
            levels.append(Level(test, -1, 0.0, label, True))
            continue
        m = max(_probability(lv.get("m_probability"), dm[gamma]), M_U_CLAMP_MIN)
        u = max(_probability(lv.get("u_probability"), du[gamma]), M_U_CLAMP_MIN)
        levels.append(Level(test, gamma, math.log2(m / u), label, False))
        gamma -= 1
    return Comparison(str(c["output_column_name"]), tuple(levels))


def _conjuncts(node: Node) -> list[Node]:
    return list(node[1:]) if node[0] == "and" else [node]


def _sides(node: Node) -> set[str]:
    return {col.side for col in sqlexpr.columns(node)}


def _rule(spec: Mapping[str, Any]) -> Rule:
    explode = tuple(str(c) for c in spec.get("arrays_to_explode", []) or [])
    tree = sqlexpr.parse(str(spec["blocking_rule"]), suffixed=False)
    left: list[sqlexpr.Value] = []
    right: list[sqlexpr.Value] = []
    rest: list[Node] = []
    for part in _conjuncts(tree):
        if part[0] == "cmp" and part[1] == "=":
            a, b = part[2], part[3]
            if _sides(a) == {"r"} and _sides(b) == {"l"}:
                a, b = b, a
            if _sides(a) == {"l"} and _sides(b) == {"r"}:
                left.append(sqlexpr.compile_node(a))
                right.append(sqlexpr.compile_node(b))
                continue
        if {c.name for c in sqlexpr.columns(part)} & set(explode):
            raise Unsupported("an exploded array outside an equality")
        rest.append(part)
    if explode and not left:
        raise Unsupported("an exploded array without an equality")
    residual = None
    if rest:
        residual = sqlexpr.compile_node(rest[0] if len(rest) == 1 else ("and", *rest))
    return Rule(tuple(left), tuple(right), residual, explode)


@dataclass(frozen=True)
class Model:
    comparisons: tuple[Comparison, ...]
    rules: tuple[Rule, ...]
    columns: frozenset[str]  # every feature column a level or rule reads

    def pairs(self, left: Sequence[Mapping[str, Any]], right: Sequence[Mapping[str, Any]]) -> list[tuple[int, int]]:
        """Indices of the candidate pairs any rule admits (Splink's union over its rules), in order."""
        found: set[tuple[int, int]] = set()
        for rule in self.rules:
            if not rule.left_keys:  # no equality to join on: every pair is checked
                candidates: Iterable[tuple[int, int]] = itertools.product(range(len(left)), range(len(right)))
            else:
                index: dict[tuple[Any, ...], list[int]] = {}
                for j, r in enumerate(right):
                    for key in rule.keys(r, "r"):
                        index.setdefault(key, []).append(j)
                candidates = {(i, j) for i, row in enumerate(left) for key in rule.keys(row, "l")
                              for j in index.get(key, ())}
            for i, j in candidates:
                if (i, j) not in found and (rule.residual is None or rule.residual(left[i], right[j]) is True):
                    found.add((i, j))
        return sorted(found)


_OWN_COLUMNS = {"unique_id_column_name": "unique_id", "source_dataset_column_name": "source_dataset"}


def _check_columns(splink_model: Mapping[str, Any]) -> None:
    for key, ours in _OWN_COLUMNS.items():
        if splink_model.get(key, ours) != ours:
            raise Unsupported(f"{key} other than Homeward's")


@lru_cache(maxsize=8)
def _compiled(text: str) -> Model:
    splink_model = json.loads(text)
    _check_columns(splink_model)
    comparisons = tuple(_comparison(c) for c in splink_model.get("comparisons", []))
    specs = splink_model.get("blocking_rules_to_generate_predictions", [])
    rules = tuple(_rule(r) for r in specs)
    if not rules:
        raise Unsupported("no blocking rules")
    read = {col.name for c in splink_model.get("comparisons", []) for lv in c.get("comparison_levels", [])
            if str(lv["sql_condition"]).strip().upper() != "ELSE"
            for col in sqlexpr.columns(sqlexpr.parse(str(lv["sql_condition"])))}
    read |= {col.name for r in specs for col in sqlexpr.columns(sqlexpr.parse(str(r["blocking_rule"]), suffixed=False))}
    return Model(comparisons, rules, frozenset(read))


def compile_model(splink_model: Mapping[str, Any]) -> Model:
    """The saved model's levels and rules ready to score (cached by the model's text)."""
    return _compiled(json.dumps(splink_model, sort_keys=True, default=str))


def match_weight_of(probability: float) -> float:
    """Splink's ``prob_to_match_weight``."""
    return math.log2(probability / (1 - probability)) if probability != 1 else math.inf


def probability_of(weight: float) -> float:
    """Splink's match probability of a match weight (its SQL: stable on both signs)."""
    if weight >= 0:
        return 1.0 / (1.0 + 2.0 ** -weight)
    return 2.0**weight / (1.0 + 2.0**weight)


@dataclass(frozen=True)
class Scored:
    left: int
    right: int
    match_weight: float
    match_probability: float
    levels: tuple[Level, ...]


def predict(
    model: Model,
    left: list[dict[str, Any]],
    right: list[dict[str, Any]],
    prior: float,
    floor: float,
) -> list[Scored]:
    """Splink's ``predict(threshold_match_probability=floor)`` of a link of ``left`` and ``right`` feature rows
    (``features.to_feature_table(...).to_pylist()``): the block-key columns are added in place."""
    blocking.add_block_keys_rows([left, right])
    missing = model.columns - (set(left[0]) & set(right[0]) if left and right else model.columns)
    if missing:
        raise Unsupported(f"columns the records lack: {sorted(missing)}")  # Splink's SQL would fail on them
    start = match_weight_of(prior)
    cut = match_weight_of(floor) if floor != 0 else -math.inf
    out = []
    for i, j in model.pairs(left, right):
        a, b = left[i], right[j]
        levels = tuple(c.level(a, b) for c in model.comparisons)
        weight = start
        for lv in levels:
            weight += lv.weight
        if weight >= cut:
            out.append(Scored(i, j, weight, probability_of(weight), levels))
    return out


def explanation_row(model: Model, scored: Scored, a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """The columns of Splink's prediction row that the engine's explanation reads (gamma, match weight and the
    compared columns of each side)."""
    row: dict[str, Any] = {f"{k}_l": v for k, v in a.items()}
    row.update({f"{k}_r": v for k, v in b.items()})
    for c, lv in zip(model.comparisons, scored.levels, strict=True):
        row[f"gamma_{c.name}"] = lv.gamma
        row[f"mw_{c.name}"] = lv.weight
    return row


def level_labels(model: Model) -> dict[str, dict[int, tuple[str, bool]]]:
    """``engine._level_labels`` of the model: comparison -> vector value -> (label, is the null level)."""
    return {c.name: {lv.gamma: (lv.label, lv.is_null) for lv in c.levels} for c in model.comparisons}


__all__ = ["Column", "Model", "Unsupported", "compile_model", "explanation_row", "level_labels", "predict"]
