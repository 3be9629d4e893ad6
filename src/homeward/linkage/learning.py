"""Refitting a saved matching model from reviewers' decisions (pure Python: no Django, no Splink).

Every reviewer decision is a label. A pair judged *same child* shows, for each comparison, which level a
true pair falls in: the same counts Splink's ``estimate_m_from_pairwise_labels`` takes. Those counts are
combined with the model's EM-trained m probabilities as a Dirichlet prior worth ``prior_pairs`` pairs, so a
handful of labels nudges the model and hundreds of labels outweigh EM. u (chance agreement, from random
pairs), fixed levels (the twin guard, swapped names) and null levels are left as they are. *Different
children* and *unsure* labels do not move m; they are counted in the lineage.

Labels are read from the explanation stored with each pair (comparison title + level label), so the
refit needs neither the records nor the database.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from homeward.linkage.core import model as core_model

PRIOR_PAIRS = 20.0
"""How many labelled pairs EM's m estimate is worth: with 20 labels, labels and EM weigh equally."""


def _title(output_column: str) -> str:
    return core_model.COMPARISON_TITLES.get(output_column, output_column.removeprefix("x_").replace("_", " "))


def _level_of(label: str) -> str:
    """The model's level label for an explanation's wording ("same name" is worded two ways)."""
    for _key, *wordings in core_model.SAME_NAME_WORDING.values():
        if label in wordings:
            return core_model.SAME_NAME
    return label


def _prior_m(levels: Sequence[Mapping[str, Any]], free: Sequence[Mapping[str, Any]]) -> list[float]:
    """EM's m for each free level; levels EM left untrained share what the others leave (evenly)."""
    fixed = sum(float(lv.get("m_probability") or 0.0) for lv in levels if lv.get("fix_m_probability"))
    known = [float(lv["m_probability"]) if lv.get("m_probability") is not None else None for lv in free]
    missing = sum(1 for m in known if m is None)
    rest = max(1.0 - fixed - sum(m for m in known if m is not None), 0.0)
    fill = max(rest / missing, 1e-3) if missing else 0.0
    return [m if m is not None else fill for m in known]


def version_of(splink_model: Mapping[str, Any]) -> str:
    body = json.dumps(splink_model, sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()[:12]


def refit(
    model: Mapping[str, Any],
    matches: Iterable[Sequence[Mapping[str, Any]]],
    *,
    prior_pairs: float = PRIOR_PAIRS,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A new model whose m probabilities combine ``model``'s with the levels of ``matches`` (the
    explanations of pairs reviewers judged the same child). Returns ``(model, report)``; the report says
    how many labelled pairs each comparison used and how each level's m moved."""
    if prior_pairs <= 0:
        raise ValueError("prior_pairs must be positive")
    new = copy.deepcopy(dict(model))
    splink = new["splink_model"]
    by_title = {_title(c["output_column_name"]): c for c in splink["comparisons"]}
    counts: dict[str, dict[str, int]] = {t: {} for t in by_title}
    n_pairs = 0
    for reasons in matches:
        n_pairs += 1
        for r in reasons:
            table = counts.get(str(r.get("comparison", "")))
            if table is not None:
                level = _level_of(str(r.get("level", "")))
                table[level] = table.get(level, 0) + 1
    changes: list[dict[str, Any]] = []
    used: dict[str, int] = {}
    for title, comparison in by_title.items():
        seen = counts[title]
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        free = [lv for lv in levels if not lv.get("fix_m_probability")]
        labels = {lv["label_for_charts"] for lv in free}
        n = sum(c for label, c in seen.items() if label in labels)
        used[title] = n
        if n == 0 or not free:
            continue
        prior = _prior_m(levels, free)
        mass = sum(prior)
        for lv, old in zip(free, prior, strict=True):
            before = lv.get("m_probability")
            # Dirichlet posterior mean; the free levels keep the share of m they had (fixed levels unchanged).
            share = (seen.get(lv["label_for_charts"], 0) + prior_pairs * old / mass) / (n + prior_pairs)
            lv["m_probability"] = max(share * mass, 1e-9)
            changes.append({"comparison": title, "level": lv["label_for_charts"], "m_before": before,
                            "m_after": lv["m_probability"], "labelled": seen.get(lv["label_for_charts"], 0)})
    version = version_of(splink)
    new.update(model_version=version, trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
               refit_from=str(model.get("model_version", "")), labelled_matches=n_pairs)
    new.pop("parameters_from", None)
    return new, {"labelled_matches": n_pairs, "prior_pairs": prior_pairs, "per_comparison": used,
                 "changes": changes}


def parameters(model: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every comparison level of a saved model with its m, u and match weight (log2 m/u, in bits)."""
    rows = []
    for comparison in model.get("splink_model", {}).get("comparisons", []):
        title = _title(comparison["output_column_name"])
        for lv in comparison["comparison_levels"]:
            if lv.get("is_null_level"):
                continue
            m, u = lv.get("m_probability"), lv.get("u_probability")
            weight = math.log2(float(m) / float(u)) if m and u else None
            rows.append({"comparison": title, "level": lv["label_for_charts"], "m": m, "u": u, "weight": weight,
                         "fixed": bool(lv.get("fix_m_probability"))})
    return rows
