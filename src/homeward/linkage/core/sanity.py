"""Training that cannot silently collapse: sanity checks on a trained model and the choice between
candidate models by a criterion computed from the data itself (pure Python: no Django, no Splink).

EM fits a two-class mixture to the pairs of a blocking rule's block. When names are concentrated
(a few given names and surnames cover many children) a block holds large groups of non-matching
pairs that agree on everything the block does not fix, and EM may take one of those groups for the
matches: "same given name" then ends up with m below u, i.e. as evidence *against* a match. These
functions read a Splink model dictionary (``linker.misc.save_model_to_json()``) and say what is
wrong with it, without looking at any benchmark truth:

* :func:`check` -- every comparison: the first (agreeing) level's m must exceed its u, the last
  (disagreeing) level's m must be below its u, below one half and below the first level's m (records
  of one child agree on a field more often than not, and agree exactly more often than they disagree
  entirely), the comparison must be trained; the prior must be plausible for the list sizes.
* :func:`with_m_from` -- a copy of a model with some comparisons' m taken from another model (the
  shipped reference model), u left as estimated on the data.
* :func:`mixture_log_likelihood` -- how well a model explains the pairs of a block it was not
  trained on as a whole: the Fellegi-Sunter mixture likelihood with the mixing weight fitted on that
  block. Candidates share the data's u, so only their Bayes factors are needed (as a histogram).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

UNTRAINED = "untrained"
AGREEMENT_BELOW_CHANCE = "agreement not above chance"
DISAGREEMENT_ABOVE_CHANCE = "disagreement not below chance"
MOSTLY_DIFFERENT = "true pairs mostly disagree"
PRIOR = "implausible prior"
MAX_DISAGREEMENT_M = 0.5
"""Records of one child agree on each field more often than not (domain fact, not fitted): a model in
which a true pair's given name, birth date or place is "different" half the time or more has taken
a group of non-matching pairs (namesakes, siblings) for the matches."""


@dataclass(frozen=True)
class Issue:
    """One failed check (plain words; never a record's data)."""

    comparison: str  # Splink output column name, "" for the prior
    kind: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.comparison or 'prior'}: {self.kind} ({self.detail})"


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def free_levels(comparison: Mapping[str, Any]) -> list[Any]:
    """The comparison's levels EM estimates (not the null level, not fixed ones)."""
    return [
        lv
        for lv in comparison.get("comparison_levels", [])
        if not lv.get("is_null_level") and not lv.get("fix_m_probability")
    ]


def check_comparison(comparison: Mapping[str, Any]) -> list[Issue]:
    name = str(comparison.get("output_column_name", ""))
    levels = free_levels(comparison)
    if not levels:
        return []
    out: list[Issue] = []
    untrained = [str(lv.get("label_for_charts", "")) for lv in levels if _number(lv.get("m_probability")) is None]
    if untrained:
        what = "every level" if len(untrained) == len(levels) else ", ".join(untrained)
        out.append(Issue(name, UNTRAINED, f"no m estimated for {what}"))
        if len(untrained) == len(levels):
            return out
    first, last = levels[0], levels[-1]
    m, u = _number(first.get("m_probability")), _number(first.get("u_probability"))
    if m is not None and u is not None and m <= u:
        out.append(Issue(name, AGREEMENT_BELOW_CHANCE, f"'{first.get('label_for_charts')}': m {m:.3g} <= u {u:.3g}"))
    if len(levels) > 1:
        m, u = _number(last.get("m_probability")), _number(last.get("u_probability"))
        if m is not None and u is not None and m >= u:
            out.append(
                Issue(name, DISAGREEMENT_ABOVE_CHANCE, f"'{last.get('label_for_charts')}': m {m:.3g} >= u {u:.3g}")
            )
        elif m is not None and m >= MAX_DISAGREEMENT_M:
            label = last.get("label_for_charts")
            out.append(Issue(name, MOSTLY_DIFFERENT, f"'{label}': m {m:.3g} >= {MAX_DISAGREEMENT_M}"))
        elif m is not None and (m_first := _number(first.get("m_probability"))) is not None and m >= m_first:
            out.append(Issue(name, MOSTLY_DIFFERENT, f"'{last.get('label_for_charts')}': m {m:.3g} >= "
                                                     f"'{first.get('label_for_charts')}': m {m_first:.3g}"))
    return out


def plausible_prior(n_left: int, n_right: int) -> tuple[float, float]:
    """(lowest, highest) plausible probability that two random records match, for two lists each
    free of duplicates: at most every record of the shorter list has its pair (1 / max(n)), at least
    one in a thousand of them (lists exchanged to be matched share more than that)."""
    low, high = max(1, min(n_left, n_right)), max(1, n_left, n_right)
    return max(1e-3 * low, 1.0) / (low * high), 1.0 / high


def check(splink_model: Mapping[str, Any], *, prior_range: tuple[float, float] | None = None) -> list[Issue]:
    """Everything wrong with a trained model (empty when it passes)."""
    out: list[Issue] = []
    for comparison in splink_model.get("comparisons", []):
        out += check_comparison(comparison)
    if prior_range is not None:
        p = _number(splink_model.get("probability_two_random_records_match"))
        low, high = prior_range
        if p is None or not low <= p <= high:
            out.append(Issue("", PRIOR, f"{p!r} outside [{low:.3g}, {high:.3g}]"))
    return out


def failing_comparisons(issues: Iterable[Issue]) -> list[str]:
    return list(dict.fromkeys(i.comparison for i in issues if i.comparison))


def comparison(splink_model: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    for c in splink_model.get("comparisons", []):
        if c.get("output_column_name") == name:
            return dict(c)
    return None


def with_m_from(
    splink_model: Mapping[str, Any], source: Mapping[str, Any], names: Sequence[str] | None = None
) -> tuple[dict[str, Any], list[str]]:
    """A copy of ``splink_model`` whose free levels take ``source``'s m (matched by comparison and
    level label) for the comparisons ``names`` (all when None); u stays as estimated on the data.
    Returns the copy and the comparisons actually changed (those ``source`` has trained m for)."""
    out = copy.deepcopy(dict(splink_model))
    changed: list[str] = []
    for c in out.get("comparisons", []):
        name = c.get("output_column_name")
        if names is not None and name not in names:
            continue
        src = comparison(source, str(name))
        if src is None:
            continue
        src_m = {lv.get("label_for_charts"): _number(lv.get("m_probability")) for lv in free_levels(src)}
        levels = free_levels(c)
        if not levels or any(src_m.get(lv.get("label_for_charts")) is None for lv in levels):
            continue  # the source does not know this comparison's levels
        for lv in levels:
            lv["m_probability"] = src_m[lv.get("label_for_charts")]
        changed.append(str(name))
    return out, changed


def replace_comparison(splink_model: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``splink_model`` with the free levels' m of one comparison taken from ``new``."""
    out = copy.deepcopy(dict(splink_model))
    for c in out.get("comparisons", []):
        if c.get("output_column_name") == new.get("output_column_name"):
            src = {lv.get("label_for_charts"): lv.get("m_probability") for lv in free_levels(new)}
            for lv in free_levels(c):
                if lv.get("label_for_charts") in src:
                    lv["m_probability"] = src[lv.get("label_for_charts")]
    return out


def fill_untrained(splink_model: Mapping[str, Any], default_share: float = 1e-3) -> tuple[dict[str, Any], list[str]]:
    """Untrained levels next to trained ones (EM never saw them in its blocks) get a small m (what the
    trained levels leave, shared evenly, at least ``default_share``); the trained levels are scaled so
    each comparison sums to 1. Returns the copy and the "comparison: level" entries filled."""
    out = copy.deepcopy(dict(splink_model))
    filled: list[str] = []
    for c in out.get("comparisons", []):
        levels = free_levels(c)
        known = [_number(lv.get("m_probability")) for lv in levels]
        if all(k is None for k in known) or all(k is not None for k in known):
            continue
        fixed = sum(
            float(lv.get("m_probability") or 0.0)
            for lv in c.get("comparison_levels", [])
            if lv.get("fix_m_probability") and not lv.get("is_null_level")
        )
        total = sum(k for k in known if k is not None)
        missing = sum(1 for k in known if k is None)
        fill = max((1.0 - fixed - total) / missing, default_share)
        scale = (1.0 - fixed - fill * missing) / total if total > 0 else 0.0
        for lv, k in zip(levels, known, strict=True):
            lv["m_probability"] = fill if k is None else max(k * scale, 1e-9)
            if k is None:
                filled.append(f"{c.get('output_column_name')}: {lv.get('label_for_charts')}")
    return out, filled


def bayes_histogram(
    splink_model: Mapping[str, Any], patterns: Iterable[tuple[Mapping[str, str], int]]
) -> list[tuple[float, int]]:
    """(log2 Bayes factor, pairs) of comparison-vector patterns under a model. A pattern maps a
    comparison to its level label (comparisons missing from it -- null levels, or fixed by the block --
    do not count); term-frequency adjustments are left out, as in EM."""
    weights: dict[tuple[str, str], float] = {}
    for c in splink_model.get("comparisons", []):
        for lv in c.get("comparison_levels", []):
            if lv.get("is_null_level"):
                continue
            m, u = _number(lv.get("m_probability")), _number(lv.get("u_probability"))
            m, u = max(m or 0.0, 1e-12), max(u or 0.0, 1e-12)
            weights[(str(c.get("output_column_name")), str(lv.get("label_for_charts")))] = math.log2(m / u)
    out = []
    for levels, n in patterns:
        out.append((sum(weights.get((name, label), 0.0) for name, label in levels.items()), n))
    return out


def mixture_log_likelihood(histogram: Iterable[tuple[float, int]], *, iterations: int = 200) -> tuple[float, float]:
    """Log-likelihood (natural log, relative to the non-match likelihood) of a block's pairs under a
    Fellegi-Sunter model, and the fitted share of matches in the block.

    ``histogram`` holds (log2 Bayes factor, number of pairs); each pair's likelihood is
    ``lam * BF + (1 - lam)`` times the u product, which all candidates share. ``lam`` is fitted by EM
    (the likelihood is concave in it)."""
    bins = [(2.0 ** min(max(w, -200.0), 200.0), n) for w, n in histogram if n > 0]
    total = sum(n for _, n in bins)
    if not total:
        return 0.0, 0.0
    lam = 0.01
    for _ in range(iterations):
        new = sum(n * lam * bf / (lam * bf + 1.0 - lam) for bf, n in bins) / total
        new = min(max(new, 1e-12), 1.0 - 1e-12)
        if abs(new - lam) < 1e-10:
            lam = new
            break
        lam = new
    ll = sum(n * math.log(lam * bf + 1.0 - lam) for bf, n in bins)
    return ll, lam


def one_to_one_score(
    histogram: Sequence[tuple[float, int]], match_share: float, pattern: Any, left: Any, right: Any
) -> float:
    """How well a model's match probabilities fit a one-to-one exchange on a block: the expected number
    of matches minus twice the probability mass no one-to-one pairing can hold (what a record's pairs
    sum to beyond one, on either side). A model that takes namesakes or siblings for matches gives
    records several likely pairs and loses; one that is merely cautious loses only what it does not
    find.

    ``histogram`` is :func:`bayes_histogram` of the block's patterns (in pattern order), ``match_share``
    the block's fitted share of matches; ``pattern``, ``left``, ``right`` (integer arrays, one entry per
    pair) give each pair's pattern and its left and right record (numbered from 0)."""
    import numpy as np

    if not len(pattern):
        return 0.0
    lam = min(max(match_share, 1e-12), 1.0 - 1e-12)
    bf = np.exp2(np.clip(np.array([w for w, _ in histogram], dtype=float), -200.0, 200.0))
    p = (lam * bf / (lam * bf + 1.0 - lam))[np.asarray(pattern)]
    excess = sum(
        float(np.maximum(np.bincount(np.asarray(ids), weights=p) - 1.0, 0.0).sum()) for ids in (left, right)
    )
    return float(p.sum()) - 2.0 * excess
