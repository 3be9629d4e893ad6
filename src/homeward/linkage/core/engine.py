"""Linking two lists and deduplicating one list with Splink 5 on DuckDB.

Pipeline: canonical features (:mod:`.features`) -> u by random sampling -> m by EM (one pass
per training blocking rule) -> prior from the EM passes -> predict -> one-to-one best links
(or connected-component clusters for dedupe) -> an explanation of every pair read from the
comparison-level columns Splink returns.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import _splink, ambiguity, blocking, features, model, sanity
from .model import Reason

Progress = Callable[[str, float], None]

LEFT, RIGHT = "left_list", "right_list"
DEFAULT_THREADS = 2

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class Link:
    left_id: str
    right_id: str
    match_probability: float
    match_weight: float
    reasons: tuple[Reason, ...]

    @property
    def explanation(self) -> str:
        return "; ".join(str(r) for r in self.reasons)


@dataclass(frozen=True)
class AmbiguousPair:
    """A pair of an ambiguous group: ``group`` (``left:ID`` or ``right:ID``) is the record for which two
    or more records of the other list are about equally likely; each rival is one pair."""

    group: str
    left_id: str
    right_id: str
    match_probability: float
    match_weight: float
    reasons: tuple[Reason, ...]

    @property
    def explanation(self) -> str:
        return "; ".join(str(r) for r in self.reasons)


@dataclass
class LinkResult:
    links: list[Link]
    model: dict[str, Any]
    model_version: str
    stats: dict[str, Any] = field(default_factory=dict)
    ambiguous: list[AmbiguousPair] = field(default_factory=list)
    """Pairs of ambiguous groups (taken out of ``links``), by group, strongest rival first."""

    def model_json(self) -> str:
        return json.dumps(self.model, ensure_ascii=False, indent=2, sort_keys=True)


@dataclass
class DedupeResult:
    clusters: dict[str, list[str]]  # cluster_id -> record ids (singletons included)
    links: list[Link]
    model: dict[str, Any]
    model_version: str
    stats: dict[str, Any] = field(default_factory=dict)

    def model_json(self) -> str:
        return json.dumps(self.model, ensure_ascii=False, indent=2, sort_keys=True)


class LinkageError(ValueError):
    """Input the matcher cannot work with (e.g. duplicate record ids)."""


def _noop(stage: str, fraction: float) -> None:
    return None


# Share of the total run each stage takes (roughly as measured on the S and L benchmarks).
_STAGES = {
    "prepare": (0.00, 0.45),
    "estimate u": (0.45, 0.55),
    "estimate m": (0.55, 0.60),
    "check model": (0.60, 0.64),
    "predict": (0.64, 0.85),
    "best links": (0.85, 0.93),
    "explain": (0.93, 1.00),
}


class _Reporter:
    def __init__(self, progress: Progress | None) -> None:
        self._cb = progress or _noop
        self.timings: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._t = time.perf_counter()
        self._c = time.process_time()
        self._stage: str | None = None

    def stage(self, name: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        if self._stage is not None:
            self.timings[self._stage] = round(now - self._t, 3)
            self.cpu[self._stage] = round(cpu - self._c, 3)
        self._stage, self._t, self._c = name, now, cpu
        self._cb(name, _STAGES.get(name, (0.0, 0.0))[0])

    def within(self, start: float, end: float) -> Callable[[float], None]:
        """Progress inside the current stage: sub-fraction in [0, 1] -> [start, end] of it."""
        lo, hi = _STAGES.get(self._stage or "", (0.0, 0.0))
        name = self._stage or ""
        return lambda f: self._cb(name, lo + (hi - lo) * (start + (end - start) * f))

    def done(self) -> None:
        if self._stage is not None:
            self.timings[self._stage] = round(time.perf_counter() - self._t, 3)
            self.cpu[self._stage] = round(time.process_time() - self._c, 3)
        self._stage = None
        self._cb("done", 1.0)


def _from(table: str, columns: str, rest: str = "") -> str:
    """SQL over Splink's own intermediate tables (names are generated, never user input)."""
    return " ".join(("select", columns, "from", table, rest))


DEFAULT_MEMORY_LIMIT = "3GB"
"""DuckDB's memory limit unless ``HOMEWARD_LINKAGE_MEMORY_LIMIT`` says otherwise (e.g. ``"6GB"``);
beyond it DuckDB spills to :func:`spill_directory`. The Python side (features, names toolkit) comes on top."""


def spill_directory() -> Path:
    """Where DuckDB spills what does not fit in memory: ``$HOMEWARD_HOME/tmp/duckdb`` when
    ``HOMEWARD_HOME`` is set, else a per-user folder in the system's temporary directory."""
    import os
    import tempfile

    home = os.environ.get("HOMEWARD_HOME")
    if home:
        return Path(home).resolve() / "tmp" / "duckdb"
    return Path(tempfile.gettempdir()) / f"homeward-duckdb-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


def _connection(threads: int) -> Any:
    import os

    import duckdb

    con = duckdb.connect()
    con.execute(f"SET threads={int(threads)}")
    con.execute("SET preserve_insertion_order=false")
    limit = os.environ.get("HOMEWARD_LINKAGE_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT).strip()
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", limit, flags=re.IGNORECASE):
        raise LinkageError(f"HOMEWARD_LINKAGE_MEMORY_LIMIT: not a size such as 3GB: {limit!r}")
    con.execute(f"SET memory_limit = '{limit}'")  # validated above: digits and a unit only
    spill = spill_directory()
    spill.mkdir(parents=True, exist_ok=True, mode=0o700)
    con.execute(f"SET temp_directory = '{str(spill).replace(chr(39), chr(39) * 2)}'")
    return con


def _features(
    records: Iterable[Mapping[str, Any]],
    what: str,
    extra: Sequence[str] = (),
    on_step: Callable[[float], None] | None = None,
) -> Any:
    table = features.to_feature_table(records, extra, on_step)
    ids = table.column("unique_id").to_pylist()
    if any(i == "" for i in ids):
        raise LinkageError(f"{what}: a record has an empty record_id")
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        dup = next(i for i in ids if i in seen or seen.add(i))  # type: ignore[func-returns-value]
        raise LinkageError(f"{what}: record_id {dup!r} occurs more than once")
    return table


def _em_pass(linker: Any, rule: Any, full_training: Any, warnings: list[str]) -> bool:
    """One EM pass; True if it trained. Raises EMTrainingException if the rule finds no pairs."""
    import dataclasses

    # On small or near-separable inputs an m probability can underflow to exactly 0 late in
    # EM (Splink then refuses it); fewer iterations stop before that happens.
    for iterations, fix_prior in ((full_training.max_iterations, False), (8, True), (3, True)):
        _splink.set_training_settings(linker, dataclasses.replace(full_training, max_iterations=iterations))
        saved = _splink.core_model_settings(linker)
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule,
                estimate_without_term_frequencies=True,
                fix_probability_two_random_records_match=fix_prior,
            )
            return True
        except ValueError as exc:
            _splink.restore_core_model_settings(linker, saved)  # a failed pass may leave it half-edited
            warnings.append(f"EM pass ({iterations} iterations) failed: {exc}")
        except Exception:
            _splink.restore_core_model_settings(linker, saved)
            raise
        finally:
            _splink.set_training_settings(linker, full_training)
    return False


def _train(
    linker: Any,
    twin: Any,
    n_pairs_u: float,
    seed: int,
    rep: _Reporter,
    warnings: list[str],
    max_prior: float,
    tables: Sequence[Any] = (),
) -> None:
    rep.stage("estimate u")
    _estimate_u(linker, twin, n_pairs_u, seed, tables, tables[0].db_api.duckdb_con if tables else None)
    rep.stage("estimate m")
    em_training_exception = _splink.em_training_exception()

    sessions = 0
    full_training = _splink.training_settings(linker)
    for alternatives in model.training_blocking_rules():
        for rule in alternatives:
            try:
                if _em_pass(linker, rule, full_training, warnings):
                    sessions += 1
                break
            except em_training_exception:  # the rule finds no pairs: try the next one
                continue
    _splink.set_training_settings(linker, full_training)
    if sessions:
        _splink.prior_from_trained_values(linker)
    p = _splink.prior(linker)
    # One-to-one lists: at most min(n_l, n_r) true pairs among n_l * n_r, i.e. p <= 1 / max(n).
    if not sessions:
        p = 0.5 * max_prior
    if not 0 < p <= max_prior:  # capped (documented), checked again by the guard
        log.debug("prior %r outside (0, %.3g]; capped", p, max_prior)
        p = min(max(p, 1e-12), max_prior)
    _splink.set_prior(linker, p)


# --- training that cannot silently collapse ------------------------------------------------------

EVAL_MAX_PAIRS = 250_000  # pairs of each evaluation block scored per candidate (left records sampled)
CRITERION = (
    "one-to-one score of the match probabilities on held-apart blocks (same birth date; same given name and"
    " surname): expected matches minus twice the mass no one-to-one pairing can hold"
)


def _linker_from_splink(splink_model: Mapping[str, Any], tables: list[Any], **overrides: Any) -> Any:
    import copy

    from splink import Linker

    settings = copy.deepcopy(dict(splink_model))
    settings.update(overrides)
    settings.pop("linker_uid", None)
    return Linker(tables, settings, log_level=None, validate_settings=False)  # the matcher's own settings


def _block_pairs(con: Any, tables: Sequence[Any], keys: Sequence[str]) -> int:
    """How many pairs a block on ``keys`` holds (from key counts; nothing is materialised)."""
    a, b = (t.physical_name for t in tables[:2]) if len(tables) > 1 else (tables[0].physical_name,) * 2
    cols = ", ".join(keys)
    not_null = " and ".join(f"{k} is not null" for k in keys)
    # table and column names are Splink's and the model's own, never user input
    sql = f"""select coalesce(sum(x.n * y.n), 0) from
        (select {cols}, count(*) n from {a} where {not_null} group by all) x
        join (select {cols}, count(*) n from {b} where {not_null} group by all) y using ({cols})"""  # noqa: S608
    return int(con.execute(sql).fetchall()[0][0])


def _evaluation_patterns(base: Mapping[str, Any], tables: list[Any], con: Any) -> list[dict[str, Any]]:
    """For every evaluation block: its comparison-vector patterns (comparison -> level label) with their
    counts, left records sampled so that at most :data:`EVAL_MAX_PAIRS` pairs are compared. Computed
    once in one SQL query per block from the model's own level conditions, shared by every candidate
    (they differ only in m)."""
    a, b = (t.physical_name for t in tables[:2])
    columns = [c[0] for c in con.execute(_from(a, "*", "limit 0")).description]
    pairs = ", ".join(f'l."{c}" as "{c}_l", r."{c}" as "{c}_r"' for c in columns)
    out = []
    for keys, skip in model.EVALUATION_BLOCKS:
        n = _block_pairs(con, tables, keys)
        if n == 0:
            continue
        every = max(1, -(-n // EVAL_MAX_PAIRS))
        on = " and ".join(f"l.{k} = r.{k}" for k in keys)
        if every > 1:
            on += f" and hash(l.unique_id) % {every} = 0"
        cases, names = [], []
        for c in base.get("comparisons", []):
            name = str(c["output_column_name"])
            if name in skip:
                continue
            whens = []
            for lv in c["comparison_levels"]:
                text = str(lv["label_for_charts"]).replace("'", "''")
                label = "NULL" if lv.get("is_null_level") else f"'{text}'"
                cond = str(lv["sql_condition"])
                whens.append(f"else {label}" if cond.strip().upper() == "ELSE" else f"when {cond} then {label}")
            cases.append(f"case {' '.join(whens)} end as \"{name}\"")
            names.append(name)
        # level conditions come from the model (model.py), names from Splink: never user input;
        # '' stands for a comparison left out of the pattern (null level), so patterns join on equality
        cols = ", ".join(f'"{x}"' for x in names)
        con.execute(f"""create or replace temp table homeward_eval_pairs as
            select lid, rid, {", ".join(f"coalesce({c}, '') as {c}" for c in (f'"{x}"' for x in names))} from
            (select lid, rid, {", ".join(cases)} from
             (select l.unique_id as lid, r.unique_id as rid, {pairs} from {a} l join {b} r on {on}))""")  # noqa: S608
        con.execute(f"""create or replace temp table homeward_eval_patterns as
            select *, (row_number() over ()) - 1 as pid from
            (select {cols}, count(*) as n from homeward_eval_pairs group by all)""")  # noqa: S608
        patterns = [
            ({name: label for name, label in zip(names, row[:-2], strict=True) if label != ""}, int(row[-2]))
            for row in con.execute(f"select {cols}, n, pid from homeward_eval_patterns order by pid").fetchall()  # noqa: S608
        ]
        ids = con.execute(f"""select dense_rank() over (order by lid) - 1 as li,
            dense_rank() over (order by rid) - 1 as ri, pid
            from homeward_eval_pairs join homeward_eval_patterns using ({cols})""").fetchnumpy()  # noqa: S608
        con.execute("drop table homeward_eval_pairs")
        con.execute("drop table homeward_eval_patterns")
        out.append({"block": "+".join(keys), "pairs": n, "sampled_every": every, "patterns": patterns,
                    "left": ids["li"], "right": ids["ri"], "pattern": ids["pid"]})
    return out


SELECTION = "one_to_one"
"""Which score picks the candidate: ``"one_to_one"`` (:func:`sanity.one_to_one_score`) or ``"log_likelihood"``."""


def _log_likelihood(candidate: Mapping[str, Any], evaluation: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The candidate's mixture log-likelihood and its one-to-one score, each summed over the evaluation
    blocks (scaled back by the sampling), and the share of matches fitted in each block."""
    total, one_to_one, blocks = 0.0, 0.0, {}
    for block in evaluation:
        histogram = sanity.bayes_histogram(candidate, block["patterns"])
        ll, lam = sanity.mixture_log_likelihood(histogram)
        score = sanity.one_to_one_score(histogram, lam, block["pattern"], block["left"], block["right"])
        total += ll * block["sampled_every"]
        one_to_one += score * block["sampled_every"]
        blocks[block["block"]] = {"pairs": block["pairs"], "sampled_every": block["sampled_every"], "match_share": lam}
    return {"log_likelihood": round(total, 1), "one_to_one": round(one_to_one, 1), "blocks": blocks}


def _refit(
    comparison: str,
    trained: Mapping[str, Any],
    start: Mapping[str, Any],
    twin_tables: list[Any],
    warnings: list[str],
) -> tuple[dict[str, Any], str] | None:
    """EM for one comparison on a higher-precision block, starting from ``start``'s m, on a model
    without the fixed levels; the comparison's refitted levels, or None if no block could train it."""
    em_training_exception = _splink.em_training_exception()
    base, _ = sanity.with_m_from(trained, start)
    base["comparisons"] = [c for c in base["comparisons"] if c["output_column_name"] != "names_swapped"]
    for c in base["comparisons"]:
        c["comparison_levels"] = [lv for lv in c["comparison_levels"] if not lv.get("fix_m_probability")]
    for rule in model.refit_blocking_rules(comparison):
        linker = _linker_from_splink(base, twin_tables)
        full = _splink.training_settings(linker)
        try:
            if not _em_pass(linker, rule, full, warnings):
                continue
        except em_training_exception:
            continue
        refitted = sanity.comparison(linker.misc.save_model_to_json(), comparison)
        if refitted is not None:
            return refitted, rule.get_blocking_rule("duckdb").blocking_rule_sql
    return None


def _guard(
    linker: Any, tables: list[Any], con: Any, n_left: int, n_right: int, warnings: list[str], link_type: str
) -> tuple[Any, dict[str, Any]]:
    """Check the EM-trained model, repair what failed, and choose between the candidates (trained,
    repaired, the reference model's m on this data's u) by their likelihood on held-apart blocks.
    Returns the linker to predict with and the training report recorded in the model."""
    as_trained = linker.misc.save_model_to_json()
    as_trained.pop("linker_uid", None)
    # Levels EM did not observe next to trained ones get a small m (Splink would use a default).
    trained, filled = sanity.fill_untrained(as_trained)
    prior_range = sanity.plausible_prior(n_left, n_right)
    issues = sanity.check(trained, prior_range=prior_range)
    reference = reference_model()["splink_model"]
    report: dict[str, Any] = {"checks": [{**i.as_dict(), "title": _title(i.comparison)} for i in issues],
                              "actions": [], "criterion": CRITERION, "selection": SELECTION, "filled_levels": filled}
    candidates: dict[str, dict[str, Any]] = {}
    if not issues:
        candidates["trained"] = trained
    else:
        for issue in issues:
            warnings.append(f"training check failed: {issue}")
        repaired = copy.deepcopy(trained)
        for name in sanity.failing_comparisons(issues):
            # The reference model's m first: a refit on a narrower block of the same concentrated
            # names was measured to land below it (F1 0.890 vs 0.906 on 300 x 8,000, Zipf 2 / 1.3).
            repaired, changed = sanity.with_m_from(repaired, reference, [name])
            if changed:
                report["actions"].append({"comparison": name, "title": _title(name), "action": "reference model's m",
                                          "detail": ""})
                continue
            refit = _refit(name, trained, reference, tables, warnings)  # e.g. an extra column
            if refit is not None and not sanity.check_comparison(refit[0]):
                repaired = sanity.replace_comparison(repaired, refit[0])
                report["actions"].append({"comparison": name, "title": _title(name), "action": "refit",
                                          "detail": refit[1]})
            else:
                report["actions"].append({"comparison": name, "title": _title(name),
                                          "action": "left as trained (the reference model lacks it)", "detail": ""})
        candidates["repaired"] = sanity.fill_untrained(repaired)[0]
    candidates["reference"], _ = sanity.with_m_from(trained, reference)
    evaluation = _evaluation_patterns(trained, tables, con)
    scores = {name: _log_likelihood(candidate, evaluation) for name, candidate in candidates.items()}
    chosen = max(scores, key=lambda k: scores[k][SELECTION]) if scores else "trained"
    report["candidates"] = {
        name: {**score, "issues": len(sanity.check(candidates[name]))} for name, score in scores.items()
    }
    report["chosen"] = chosen
    best = candidates[chosen]
    p = float(best.get("probability_two_random_records_match") or 0.0)
    low, high = prior_range
    if not low <= p <= high:
        p = _prior_from_block(best, scores[chosen], n_left, n_right) or 0.5 * high
        p = min(max(p, low), high)
        report["actions"].append({"comparison": "", "title": "", "action": "prior from the birth-date block",
                                  "detail": f"{p:.3g}"})
        best = {**best, "probability_two_random_records_match": p}
    if chosen != "trained":
        what = "one-to-one score" if SELECTION == "one_to_one" else "log-likelihood"
        warnings.append(
            f"model chosen: {chosen} ({what} {scores[chosen][SELECTION]}"
            + "".join(f"; {k} {v[SELECTION]}" for k, v in scores.items() if k != chosen)
            + ")"
        )
    if chosen == "trained" and not filled and best is trained:
        return linker, report
    _apply(linker, best)
    return linker, report


def _apply(linker: Any, splink_model: Mapping[str, Any]) -> None:
    """Put a candidate's m (and prior) on the linker, level by level (matched by label)."""
    wanted = {
        (str(c["output_column_name"]), str(lv["label_for_charts"])): lv.get("m_probability")
        for c in splink_model.get("comparisons", [])
        for lv in sanity.free_levels(c)
    }
    for cc in _splink.comparisons(linker):
        for cl in _splink.levels(cc, with_null=False):
            m = wanted.get((_splink.comparison_name(cc), _splink.level_key(cl)[1]))
            if isinstance(m, int | float) and not isinstance(m, bool):
                _splink.set_m(cl, float(m))
    _splink.set_prior(linker, float(splink_model["probability_two_random_records_match"]))


def _title(comparison: str) -> str:
    if not comparison:
        return ""
    return model.COMPARISON_TITLES.get(comparison, comparison.removeprefix("x_").replace("_", " "))


def _prior_from_block(candidate: Mapping[str, Any], score: Mapping[str, Any], n_left: int, n_right: int) -> float:
    """Probability that two random records match, from the match share fitted in the birth-date block
    and the candidate's probability that a true pair has the same birth date (Splink's reversal)."""
    block = score.get("blocks", {}).get("dob")
    bd = sanity.comparison(candidate, "birth_date")
    if not block or bd is None:
        return 0.0
    levels = sanity.free_levels(bd)
    m_same = levels[0].get("m_probability") if levels else None
    if not isinstance(m_same, int | float) or m_same <= 0:
        return 0.0
    matches = block["match_share"] * block["pairs"] / float(m_same)
    return float(matches / (n_left * n_right))


def _level_labels(linker: Any) -> dict[str, dict[int, tuple[str, bool]]]:
    out: dict[str, dict[int, tuple[str, bool]]] = {}
    for cc in _splink.comparisons(linker):
        out[_splink.comparison_name(cc)] = {
            value: (label, is_null) for value, label, is_null in map(_splink.level_key, _splink.levels(cc))
        }
    return out


def _reasons(row: Mapping[str, Any], labels: Mapping[str, Mapping[int, tuple[str, bool]]]) -> tuple[Reason, ...]:
    out = []
    for name, levels in labels.items():
        gamma = row.get(f"gamma_{name}")
        if gamma is None:
            continue
        label, is_null = levels.get(int(gamma), ("?", False))
        if is_null or label in model.SILENT_LABELS:
            continue
        if label == model.SAME_NAME and name in model.SAME_NAME_WORDING:
            key, same, forms = model.SAME_NAME_WORDING[name]
            label = same if row.get(f"{key}_l") == row.get(f"{key}_r") else forms
        weight = float(row.get(f"mw_{name}") or 0.0) + float(row.get(f"mw_tf_adj_{name}") or 0.0)
        title = model.COMPARISON_TITLES.get(name, name.removeprefix("x_").replace("_", " "))
        out.append(Reason(title, label, round(weight, 2)))
    return tuple(out)


def _model_dict(linker: Any, meta: dict[str, Any]) -> tuple[dict[str, Any], str]:
    splink_model = linker.misc.save_model_to_json()
    splink_model.pop("linker_uid", None)
    return _model_dict_of(splink_model, meta)


def _model_dict_of(splink_model: dict[str, Any], meta: dict[str, Any]) -> tuple[dict[str, Any], str]:
    from homeward import __version__

    body = json.dumps(splink_model, sort_keys=True, default=str)
    version = hashlib.sha256(body.encode()).hexdigest()[:12]
    return (
        {
            "format": model.MODEL_FORMAT,
            "model_version": version,
            "homeward_version": __version__,
            "name_keys": features.backend_name(),
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            **meta,
            "splink_model": splink_model,
        },
        version,
    )


def _identifier_like(tables: list[Any], column: str) -> bool:
    """An extra column is a blocking key if it nearly identifies a record (document numbers),
    i.e. its distinct values number at least half the filled rows; addresses or regions are not."""
    import pyarrow.compute as pc

    for t in tables:
        col = t.column(column).drop_null()
        if len(col) == 0 or pc.count_distinct(col).as_py() < 0.5 * len(col):
            return False
    return True


FIELD_PAIR_PAIRS_PER_RECORD = 4
"""Two agreeing non-name fields (birth place and the extra columns that do not identify a record: address,
postcode, street number...) make a blocking rule when that block holds at most this many pairs per record of
the longer list; a record whose names and birth date all changed is still found by where it lives."""


def _block_size(tables: Sequence[Any], keys: Sequence[str]) -> int:
    """Pairs a block on ``keys`` holds (link: across the two tables; dedupe: within the one), from key counts."""
    import pyarrow.compute as pc

    counts = [t.select(list(keys)).drop_null().group_by(list(keys)).aggregate([([], "count_all")]) for t in tables]
    if len(counts) == 1:
        n = counts[0].column("count_all")
        return int(pc.sum(pc.divide(pc.multiply(n, pc.subtract(n, 1)), 2)).as_py() or 0)
    joined = counts[0].join(counts[1], list(keys), right_suffix="_r")
    return int(pc.sum(pc.multiply(joined.column("count_all"), joined.column("count_all_r"))).as_py() or 0)


def _field_pair_blocks(tables: Sequence[Any], columns: Sequence[str]) -> list[tuple[str, str]]:
    """The pairs of ``columns`` and the birth place whose block is small (:data:`FIELD_PAIR_PAIRS_PER_RECORD`)."""
    import itertools

    if not columns or not tables:
        return []
    longest = max(t.num_rows for t in tables)
    fields = ["place", *columns]
    return [
        (a, b)
        for a, b in itertools.combinations(fields, 2)
        if _block_size(tables, (a, b)) <= FIELD_PAIR_PAIRS_PER_RECORD * longest
    ]


def _make_linker(
    db_api: Any,
    tables: list[Any],
    link_type: str,
    extra: Sequence[str] = (),
    arrow: Sequence[Any] = (),
    *,
    fixed_levels: bool = True,
) -> Any:
    from splink import Linker, SettingsCreator

    logging.getLogger("splink").setLevel(logging.ERROR)
    extra_cols = [(c, features.extra_column_name(c)) for c in extra]
    identifiers = [col for _, col in extra_cols if _identifier_like(list(arrow), col)]
    others = [col for _, col in extra_cols if col not in identifiers]
    blocking = [(col,) for col in identifiers] + _field_pair_blocks(list(arrow), others)
    settings = model.settings(link_type, extra_cols, blocking, fixed_levels=fixed_levels)
    # Splink's settings validation (sqlglot over every level, ~0.1-0.25 s CPU a linker; its warnings are silenced
    # above anyway) is skipped: these are the matcher's own settings, checked once by a test instead.
    return Linker(tables, SettingsCreator(**settings), log_level=None, validate_settings=False)


EXACT_U_MAX_COMBINATIONS = 1_000_000
"""A comparison whose columns take at most this many distinct value combinations on the left times on the right
(sex, birth place, a region...) gets its u exactly, over every pair of the two lists (each pair of distinct
values weighted by their counts): cheaper than random sampling's pairs and without its noise -- a level rarer
than 100 in a sample (a place spelled slightly differently) otherwise keeps Splink sampling all its pairs."""
EXACT_U = "u counted exactly over every pair"
_SIDE_COLUMN = re.compile(r"\b([a-z][a-z0-9_]*?)_[lr]\b")


def _exact_u(con: Any, tables: Sequence[Any], comparison: Mapping[str, Any]) -> dict[str, float | None] | None:
    """A comparison's u per level label (None: no pair at that level), counted over every pair of the two
    tables from their distinct values; None when its columns are not plain table columns or take too many
    distinct combinations (:data:`EXACT_U_MAX_COMBINATIONS`)."""
    a, b = (t.physical_name for t in tables[:2])
    have = {c[0] for c in con.execute(_from(a, "*", "limit 0")).description}
    levels = list(comparison.get("comparison_levels", []))
    conditions = [str(lv["sql_condition"]) for lv in levels]
    cols = sorted({m for cond in conditions for m in _SIDE_COLUMN.findall(cond)})
    if not cols or not set(cols) <= have:
        return None
    keys = ", ".join(f'"{c}"' for c in cols)  # the model's own feature columns (checked above), never user input
    d_left, d_right = (
        con.execute(f"select count(*) from (select distinct {keys} from {t})").fetchall()[0][0] for t in (a, b)  # noqa: S608
    )
    if d_left * d_right > EXACT_U_MAX_COMBINATIONS:
        return None
    whens = []
    for i, (lv, cond) in enumerate(zip(levels, conditions, strict=True)):
        value = -1 if lv.get("is_null_level") else i
        whens.append(f"else {value}" if cond.strip().upper() == "ELSE" else f"when {cond} then {value}")
    side = {s: ", ".join(f'"{c}" as "{c}_{s}"' for c in cols) for s in "lr"}
    # level conditions come from the model (model.py), never user input
    rows = con.execute(f"""select lvl, sum(w)::double from
        (select case {' '.join(whens)} end as lvl, l.n * r.n as w from
         (select {side['l']}, count(*) as n from {a} group by all) l,
         (select {side['r']}, count(*) as n from {b} group by all) r) group by lvl""").fetchall()  # noqa: S608
    counts = {int(lvl): float(n) for lvl, n in rows if lvl is not None and int(lvl) >= 0}
    total = sum(counts.values())
    if total <= 0:
        return None
    return {
        str(lv["label_for_charts"]): (counts[i] / total if counts.get(i) else None)
        for i, lv in enumerate(levels)
        if not lv.get("is_null_level")
    }


def _keyed_u(
    con: Any, tables: Sequence[Any], comparison: Mapping[str, Any], spec: model.KeyedU
) -> dict[str, float | None] | None:
    """A comparison's u per level label (None: no pair at that level), counted exactly over every pair of the two
    tables by :class:`model.KeyedU`: the levels before ``spec.remainder`` on the distinct value pairs that agree on
    one of ``spec.keys``, the remainder from its count over all pairs (few distinct values) less the joined pairs
    it holds, the else level as the rest. None when the comparison does not have that shape or its columns are not
    plain table columns."""
    a, b = (t.physical_name for t in tables[:2])
    have = {c[0] for c in con.execute(_from(a, "*", "limit 0")).description}
    levels = list(comparison.get("comparison_levels", []))
    conditions = [str(lv["sql_condition"]) for lv in levels]
    if len(levels) < 3 or conditions[-1].strip().upper() != "ELSE" or levels[-2]["label_for_charts"] != spec.remainder:
        return None
    key_sql = [k for pair in spec.keys for k in pair]
    cols = sorted({m for cond in [*conditions, *key_sql] for m in _SIDE_COLUMN.findall(cond)})
    if not cols or not set(cols) <= have:
        return None
    null_sql = " or ".join(f"({c})" for c, lv in zip(conditions, levels, strict=True) if lv.get("is_null_level"))
    null_sql = f"coalesce({null_sql or 'false'}, false)"
    rem_sql = f"coalesce({conditions[-2]}, false)"
    small = sorted({m for cond in (null_sql, rem_sql) for m in _SIDE_COLUMN.findall(cond)})
    if not small or not set(small) <= have:
        return None
    # column names come from the model's own conditions (checked above), never user input
    grouped = {s: ", ".join(f'"{c}" as "{c}_{s}"' for c in small) for s in "lr"}
    distinct = [con.execute(f"select count(*) from (select {grouped[s]} from {t} group by all)").fetchall()[0][0]  # noqa: S608
                for s, t in (("l", a), ("r", b))]
    if distinct[0] * distinct[1] > EXACT_U_MAX_COMBINATIONS:
        return None
    nonnull, remainder = con.execute(f"""select coalesce(sum(w) filter (where not {null_sql}), 0)::double,
        coalesce(sum(w) filter (where not {null_sql} and {rem_sql}), 0)::double from
        (select l.n * r.n as w, * exclude (n) from
         (select {grouped['l']}, count(*) as n from {a} group by all) l,
         (select {grouped['r']}, count(*) as n from {b} group by all) r)""").fetchall()[0]  # noqa: S608
    side = {s: ", ".join(f'"{c}" as "{c}_{s}"' for c in cols) for s in "lr"}
    values = {s: f"(select {side[s]}, count(*) as n_{s} from {t} group by all)"  # noqa: S608
              for s, t in (("l", a), ("r", b))}
    joined = " union ".join(
        f"select * from {values['l']} l join {values['r']} r on {kl} = {kr}" for kl, kr in spec.keys  # noqa: S608
    )
    whens = []
    for i, (lv, cond) in enumerate(zip(levels, conditions, strict=True)):
        value = -1 if lv.get("is_null_level") else i
        whens.append(f"else {value}" if cond.strip().upper() == "ELSE" else f"when {cond} then {value}")
    rows = con.execute(f"""select lvl, sum(w)::double,
        coalesce(sum(w) filter (where not {null_sql} and {rem_sql}), 0)::double from
        (select case {' '.join(whens)} end as lvl, n_l * n_r as w, * from ({joined})) group by lvl""").fetchall()  # noqa: S608
    if nonnull <= 0:
        return None
    counts = {int(lvl): float(n) for lvl, n, _ in rows if lvl is not None and int(lvl) >= 0}
    in_remainder = sum(float(r) for lvl, _, r in rows if lvl is not None and int(lvl) >= 0)
    rem, other = len(levels) - 2, len(levels) - 1
    outside_remainder = max(0.0, float(remainder) - in_remainder)
    counts[rem] = counts.get(rem, 0.0) + outside_remainder
    counts[other] = max(0.0, float(nonnull) - sum(counts.values()) + counts.get(other, 0.0))
    return {
        str(lv["label_for_charts"]): (counts[i] / float(nonnull) if counts.get(i) else None)
        for i, lv in enumerate(levels)
        if not lv.get("is_null_level")
    }


CONDITIONAL_U_MAX_PAIRS = 1_000_000
"""Pairs (of distinct value combinations) :func:`_conditional_u` evaluates in each stratum; beyond that both lists'
records are sampled (the same share of each, as Splink's random sampling does) and the level shares scaled up."""
CONDITIONAL_U_DESCRIPTION = "u from the same-surname block and value frequencies"


def _sample_filter(fraction: float, seed: int) -> str:
    """SQL: a deterministic share ``fraction`` of a table's records (by a hash of the record id and the seed)."""
    if fraction >= 1.0:
        return "true"
    return f"hash(unique_id || ':{int(seed)}') % 1000000 < {int(fraction * 1_000_000)}"


def _level_counts(
    con: Any,
    tables: Sequence[Any],
    conditions: Sequence[str],
    *,
    join_on: str = "",
    seed: int = 42,
) -> tuple[dict[int, float], float]:
    """Pairs of the two tables at each level (index of the first condition that holds; ``ELSE`` last), counted
    over distinct value combinations, optionally only the pairs with equal ``join_on`` values; and how many pairs
    that is in all. Beyond :data:`CONDITIONAL_U_MAX_PAIRS` combinations the records are sampled and the counts
    scaled to the pairs' total (counted from key frequencies)."""
    a, b = (t.physical_name for t in tables[:2])
    cols = sorted({m for cond in conditions for m in _SIDE_COLUMN.findall(cond)})
    keys = [*([join_on] if join_on else []), *[c for c in cols if c != join_on]]
    group = ", ".join(f'"{c}"' for c in keys)  # the model's own feature columns, never user input
    where = f'"{join_on}" is not null' if join_on else "true"
    if join_on:
        total = _block_pairs(con, tables, [join_on])
        combinations = con.execute(f"""select coalesce(sum(x.n * y.n), 0) from
            (select "{join_on}" k, count(*) n from (select distinct {group} from {a} where {where}) group by k) x
            join (select "{join_on}" k, count(*) n from (select distinct {group} from {b} where {where}) group by k) y
            using (k)""").fetchall()[0][0]  # noqa: S608
    else:
        n_a, n_b = (con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in (a, b))  # noqa: S608
        total = n_a * n_b
        combinations = 1
        for t in (a, b):
            combinations *= con.execute(f"select count(*) from (select distinct {group} from {t})").fetchall()[0][0]  # noqa: S608
    if not total:
        return {}, 0.0
    fraction = min(1.0, (CONDITIONAL_U_MAX_PAIRS / combinations) ** 0.5) if combinations else 1.0
    sample = _sample_filter(fraction, seed)
    whens = [f"else {i}" if c.strip().upper() == "ELSE" else f"when {c} then {i}" for i, c in enumerate(conditions)]
    side = {s: ", ".join(f'"{c}" as "{c}_{s}"' for c in keys) for s in "lr"}
    on = f'l."{join_on}_l" = r."{join_on}_r"' if join_on else "true"
    # level conditions come from the model (model.py), never user input
    rows = con.execute(f"""select lvl, sum(w)::double from
        (select case {' '.join(whens)} end as lvl, l.n * r.n as w from
         (select {side['l']}, count(*) as n from {a} where {where} and {sample} group by all) l join
         (select {side['r']}, count(*) as n from {b} where {where} and {sample} group by all) r on {on})
        group by lvl""").fetchall()  # noqa: S608
    counts = {int(lvl): float(n) for lvl, n in rows if lvl is not None}
    counted = sum(counts.values())
    scale = float(total) / counted if counted else 0.0
    return {lvl: n * scale for lvl, n in counts.items()}, float(total)


def _conditional_u(
    con: Any,
    tables: Sequence[Any],
    comparison: Mapping[str, Any],
    spec: model.ConditionalU,
    given_u: Mapping[str, float],
    seed: int,
) -> dict[str, float | None]:
    """A comparison's u per level label (None: no pair at that level) by the two strata of
    :class:`model.ConditionalU`: counted on the block of pairs with equal ``spec.block``, and from the counts over
    all pairs outside the block, weighed by the share of those pairs where ``spec.given`` does not differ (its
    missing values counted, its ``near_levels`` from ``given_u``, the given comparison's u)."""
    levels = list(comparison.get("comparison_levels", []))
    conditions = [spec.own_null if lv.get("is_null_level") else str(lv["sql_condition"]) for lv in levels]
    kept = [i for i, lv in enumerate(levels) if not lv.get("is_null_level")]
    block, n_block = _level_counts(con, tables, conditions, join_on=spec.block, seed=seed)
    every, n_all = _level_counts(con, tables, conditions, seed=seed)
    a, b = (t.physical_name for t in tables[:2])
    present = " and ".join(f'"{c}" is not null' for c in spec.given_missing) or "true"
    full = [con.execute(f"select count(*) from {t} where {present}").fetchall()[0][0] for t in (a, b)]  # noqa: S608
    n_given = float(full[0]) * float(full[1])  # pairs where the given comparison has both sides
    near = (n_all - n_given) + n_given * sum(float(given_u.get(label) or 0.0) for label in spec.near_levels)
    weight = min(1.0, max(0.0, near - n_block) / (n_all - n_block)) if n_all > n_block else 0.0
    estimate = {i: block.get(i, 0.0) + weight * max(0.0, every.get(i, 0.0) - block.get(i, 0.0)) for i in kept}
    total = sum(estimate.values())
    return {
        str(levels[i]["label_for_charts"]): (estimate[i] / total if total > 0 and estimate[i] > 0 else None)
        for i in kept
    }


def _estimate_u(
    linker: Any, twin: Any, max_pairs: float, seed: int, tables: Sequence[Any] = (), con: Any = None
) -> None:
    """u on a twin of the model without its fixed-parameter levels: exactly (:func:`_exact_u`) for the
    comparisons with few distinct values when two ``tables`` are linked, by strata (:func:`_conditional_u`) for
    those of :data:`model.CONDITIONAL_U`, by random sampling for the rest.

    The fixed levels (twin guard, swapped names) are so rare among random pairs that Splink's
    early stop (100 observations per level) would never fire for the given-name comparison;
    their u is fixed anyway. The other levels' u values are copied over by label.
    """
    exact: dict[tuple[str, str], float | None] = {}
    conditional: list[dict[str, Any]] = []
    if len(tables) == 2 and con is not None:
        twin_model = twin.misc.save_model_to_json()
        names = {str(c["output_column_name"]) for c in twin_model.get("comparisons", [])}
        sampled = []
        for c in twin_model.get("comparisons", []):
            name = str(c["output_column_name"])
            spec = model.CONDITIONAL_U.get(name)
            if spec is not None and spec.given in names:
                conditional.append(c)
                continue
            keyed = model.KEYED_U.get(name)
            found = _keyed_u(con, tables, c, keyed) if keyed is not None else None
            if found is None:
                found = _exact_u(con, tables, c)
            if found is None:
                sampled.append(c)
            else:
                exact.update({(name, label): u for label, u in found.items()})
        if exact or conditional:
            twin = _linker_from_splink({**twin_model, "comparisons": sampled}, list(tables)) if sampled else None
    source = {}
    if twin is not None:
        chunks = 1 if max_pairs < 3e6 else 10  # small inputs: one pass, no probe overhead
        twin.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed, num_chunks=chunks)
        source = {
            (_splink.comparison_name(cc), _splink.level_key(cl)[1]): cl
            for cc in _splink.comparisons(twin)
            for cl in _splink.levels(cc, with_null=False)
        }
    estimated: dict[tuple[str, str], tuple[float | None, str]] = {
        key: (u, EXACT_U) for key, u in exact.items()
    }
    for c in conditional:
        name = str(c["output_column_name"])
        spec = model.CONDITIONAL_U[name]
        given_u: dict[str, float] = {}
        for (comparison, label), cl in source.items():
            if comparison == spec.given:
                trained = [float(p) for p, _ in _splink.trained_u(cl) if isinstance(p, int | float)]
                given_u[label] = trained[-1] if trained else 0.0
        given_u.update({label: u or 0.0 for (comparison, label), u in exact.items() if comparison == spec.given})
        for label, u in _conditional_u(con, tables, c, spec, given_u, seed).items():
            estimated[(name, label)] = (u, CONDITIONAL_U_DESCRIPTION)
    for cc in _splink.comparisons(linker):
        for cl in _splink.levels(cc, with_null=False):
            if _splink.u_is_fixed(cl):
                continue
            key = (_splink.comparison_name(cc), _splink.level_key(cl)[1])
            if key in estimated:
                u, description = estimated[key]
                _splink.add_trained_u(cl, _splink.LEVEL_NOT_OBSERVED if u is None else u, description)
            elif (src := source.get(key)) is not None:
                for probability, description in _splink.trained_u(src):
                    _splink.add_trained_u(cl, probability, description)
    _splink.populate_m_u(linker)


def _u_pairs(n_pairs_possible: float) -> float:
    # Enough random pairs that rare levels (exact birth date ~1e-4) are seen >100 times.
    return float(min(max(n_pairs_possible, 1.0), 3e6))


def link(
    left_records: Iterable[Mapping[str, Any]],
    right_records: Iterable[Mapping[str, Any]],
    *,
    threshold: float = 0.5,
    one_to_one: bool = True,
    progress: Progress | None = None,
    threads: int = DEFAULT_THREADS,
    seed: int = 42,
    extra_columns: Sequence[str] = (),
    trained_model: Mapping[str, Any] | None = None,
    guard: bool = True,
    labels: Iterable[tuple[str, str, bool]] = (),
    scorer: str = "auto",
) -> LinkResult:
    """Link two lists; by default one best link per record (each record in at most one pair).

    Records are mappings with the keys of :data:`features.INPUT_COLUMNS` (names in any
    script). ``extra_columns`` names optional further identifiers present in the records
    (document number, address...), each compared by a generic exact / typo / similar level.
    Returns the pairs with ``match_probability >= threshold``, each with an
    explanation, plus the trained model (JSON-able) and its version hash.

    ``trained_model`` (a ``LinkResult.model`` saved earlier) reuses that model's m and u
    probabilities instead of training. Inputs too small to train on (fewer than
    :data:`MIN_TRAINING_PAIRS` pairs, e.g. one tracing request against a small registry) use the
    shipped reference model (:func:`reference_model`) unless a model is given.

    ``scorer``: a run of fewer than :data:`SMALL_MAX_PAIRS` pairs with a saved (or the reference) model, no
    ``extra_columns`` and no ``labels`` is blocked and scored in pure Python (:mod:`.small`: the same pairs and
    probabilities, without Splink's fixed cost) unless ``scorer="splink"``; ``scorer="python"`` insists on it
    (:class:`LinkageError` where it does not apply).
    """
    from splink import DuckDBAPI

    if scorer not in ("auto", "splink", "python"):
        raise LinkageError(f"scorer: not auto, splink or python: {scorer!r}")
    rep = _Reporter(progress)
    rep.stage("prepare")
    labels = [(str(a), str(b), bool(same)) for a, b, same in labels]
    training_report: dict[str, Any] | None = None
    left = _features(left_records, "left list", extra_columns, rep.within(0.0, 0.2))
    right = _features(right_records, "right list", extra_columns, rep.within(0.2, 1.0))
    if scorer != "splink":
        found = _small_link(left, right, trained_model, labels, extra_columns, threshold, one_to_one, rep)
        if found is not None:
            return found
        if scorer == "python":
            raise LinkageError("scorer='python': this run needs Splink (too many pairs, extra columns, labels, no"
                               " saved model, or SQL the Python scorer does not know)")
    con = _connection(threads)
    left, right = blocking.add_block_keys([left, right], con)
    warnings: list[str] = []
    db_api = DuckDBAPI(con)
    t_left = db_api.register(left, dataset_display_name=LEFT)
    t_right = db_api.register(right, dataset_display_name=RIGHT)
    if left.num_rows == 0 or right.num_rows == 0:
        linker = _make_linker(db_api, [t_left, t_right], "link_only", extra_columns, [left, right])
        model_dict, version = _model_dict(linker, {"trained": False})
        rep.done()
        return LinkResult([], model_dict, version, {"left": left.num_rows, "right": right.num_rows})

    max_prior = 1.0 / max(left.num_rows, right.num_rows)
    if trained_model is None and left.num_rows * right.num_rows < MIN_TRAINING_PAIRS and not extra_columns:
        trained_model = reference_model()
        warnings.append("too few pairs to train on: the reference model's parameters were used")
    # A linker of the matcher's settings only where it is trained: with a saved model it was built and thrown
    # away (~0.2-0.4 s CPU of Splink's settings, a third of a small list's run).
    if trained_model is not None:
        linker = _linker_from_model(trained_model, [t_left, t_right], n_pairs=left.num_rows * right.num_rows)
        # As many true pairs as half the shorter list, at most one per record (one-to-one lists).
        _splink.set_prior(linker, 0.5 * max_prior)
        if labels:
            warnings.append("labels not trained on: no training on these lists (a saved or the reference model is"
                            " used); the labelled pairs are still decided as labelled")
    else:
        linker = _make_linker(db_api, [t_left, t_right], "link_only", extra_columns, [left, right])
        twin = _make_linker(db_api, [t_left, t_right], "link_only", extra_columns, [left, right], fixed_levels=False)
        _train(linker, twin, _u_pairs(left.num_rows * right.num_rows), seed, rep, warnings, max_prior=max_prior,
               tables=[t_left, t_right])
        if guard:
            rep.stage("check model")
            linker, training_report = _guard(
                linker, [t_left, t_right], db_api.duckdb_con, left.num_rows, right.num_rows, warnings, "link_only"
            )

    rep.stage("predict")
    # Rivals of an ambiguous group may each be below the threshold: predict down to the floor.
    floor = min(threshold, ambiguity.FLOOR)
    predictions = linker.inference.predict(threshold_match_probability=floor, warning_mode="never")
    con = db_api.duckdb_con
    pred = predictions.physical_name
    if labels and trained_model is None and _fit_labels(linker, con, pred, labels, warnings):
        # the labels moved m: every pair is scored again with the moved model
        predictions = linker.inference.predict(threshold_match_probability=floor, warning_mode="never")
        pred = predictions.physical_name
    decided = _decide_labelled(con, pred, labels, warnings) if labels else set()
    above = f"match_probability >= {float(threshold)!r}"
    n_candidates = con.execute(_from(pred, "count(*)", f"where {above}")).fetchall()[0][0]

    rep.stage("best links")
    # Splink orders each pair by source dataset; make sure "l" is the left list.
    oriented = _from(pred, "*", f"where source_dataset_l = '{LEFT}' and {above}")
    groups: list[ambiguity.Group] = []
    if n_candidates:
        rows = con.execute(
            _from(pred, "unique_id_l, unique_id_r, source_dataset_l, match_probability, match_weight")
        ).fetchall()
        groups = ambiguity.groups(
            (
                ambiguity.Candidate(str(a), str(b), float(p), float(w))
                if sl == LEFT
                else ambiguity.Candidate(str(b), str(a), float(p), float(w))
                for a, b, sl, p, w in rows
            ),
            threshold,
        )
    ambiguous_keys = ambiguity.ambiguous_pairs(groups)
    best: set[tuple[str, str]] | None = None
    if one_to_one and n_candidates:
        best = single_best_links(
            ((str(a), str(b), float(p)) if sl == LEFT else (str(b), str(a), float(p)) for a, b, sl, p, _ in rows),
            threshold,
        )
    sql = oriented + " order by match_probability desc, unique_id_l, unique_id_r"

    rep.stage("explain")
    level_labels = _level_labels(linker)
    rel = con.sql(sql)
    cols = rel.columns
    links = []
    for tup in rel.fetchall():
        row = dict(zip(cols, tup, strict=True))
        key = (str(row["unique_id_l"]), str(row["unique_id_r"]))
        if best is not None and key not in best:
            continue
        if one_to_one and key in ambiguous_keys:
            continue  # not picked at random among equally likely rivals: sent to review with them
        reasons = _reasons(row, level_labels)
        if key in decided:
            reasons = (REVIEWED_SAME, *reasons)
        links.append(Link(*key, float(row["match_probability"]), float(row["match_weight"]), reasons))
    ambiguous = _ambiguous_pairs(con, pred, groups, level_labels)
    stats = {
        "left": left.num_rows,
        "right": right.num_rows,
        "candidates_above_threshold": n_candidates,
        "links": len(links),
        "ambiguous_groups": len(groups),
        "ambiguous_pairs": len(ambiguous),
        "prior": _splink.prior(linker),
        "warnings": warnings,
    }
    meta: dict[str, Any] = {"link_type": "link_only", "threshold": threshold}
    if trained_model is not None:
        meta.update(trained=False, parameters_from=trained_model.get("model_version", ""))
    if training_report is not None:
        meta["training_report"] = training_report
        stats["training_report"] = training_report
    model_dict, version = _model_dict(linker, meta)
    rep.done()
    stats["timings"] = rep.timings
    stats["cpu"] = rep.cpu
    return LinkResult(links, model_dict, version, stats, ambiguous)


@functools.lru_cache(maxsize=8)
def _saved_model_template(settings_text: str) -> str:
    """What Splink saves of a linker of these settings (its ``save_model_to_json``), built once per model on
    one-record tables: the model JSON the small path records, the same as a Splink run's but for the prior."""
    from splink import DuckDBAPI, Linker

    settings = json.loads(settings_text)
    con = _connection(1)
    try:
        tables = blocking.add_block_keys([_features([{"record_id": "x"}], "template")] * 2, con)
        db_api = DuckDBAPI(con)
        registered = [db_api.register(t, dataset_display_name=n) for t, n in zip(tables, (LEFT, RIGHT), strict=True)]
        logging.getLogger("splink").setLevel(logging.ERROR)
        saved = Linker(registered, settings, log_level=None, validate_settings=False).misc.save_model_to_json()
    finally:
        con.close()
    saved.pop("linker_uid", None)
    return json.dumps(saved)


def _small_link(
    left: Any,
    right: Any,
    trained_model: Mapping[str, Any] | None,
    labels: Sequence[tuple[str, str, bool]],
    extra_columns: Sequence[str],
    threshold: float,
    one_to_one: bool,
    rep: _Reporter,
) -> LinkResult | None:
    """:func:`link` scored in Python (:mod:`.small`) where it applies (see :data:`SMALL_MAX_PAIRS`), else None."""
    from . import small

    n_left, n_right = left.num_rows, right.num_rows
    n_pairs = n_left * n_right
    if labels or extra_columns or not n_left or not n_right or n_pairs >= SMALL_MAX_PAIRS:
        return None
    warnings: list[str] = []
    if trained_model is None:
        trained_model = reference_model()
        warnings.append("too few pairs to train on: the reference model's parameters were used")
    settings = _saved_settings(trained_model, "link_only", n_pairs)
    try:
        scorer = small.compile_model(settings)
    except small.Unsupported as exc:
        log.info("event=small_link_unsupported reason=%s", type(exc).__name__)
        return None
    prior = 0.5 * (1.0 / max(n_left, n_right))  # as the Splink path: half the shorter list, one-to-one
    lrows, rrows = left.to_pylist(), right.to_pylist()
    rep.stage("predict")
    try:
        scored = small.predict(scorer, lrows, rrows, prior, min(threshold, ambiguity.FLOOR))
    except small.Unsupported as exc:  # e.g. a value the SQL would refuse: Splink says so as before
        log.info("event=small_link_unsupported reason=%s", type(exc).__name__)
        return None
    ids = {id(s): (str(lrows[s.left]["unique_id"]), str(rrows[s.right]["unique_id"])) for s in scored}
    above = [s for s in scored if s.match_probability >= threshold]
    rep.stage("best links")
    groups = ambiguity.groups(
        (ambiguity.Candidate(*ids[id(s)], s.match_probability, s.match_weight) for s in scored), threshold
    ) if above else []
    ambiguous_keys = ambiguity.ambiguous_pairs(groups)
    best = single_best_links(((*ids[id(s)], s.match_probability) for s in scored), threshold) \
        if one_to_one and above else None
    rep.stage("explain")
    level_labels = small.level_labels(scorer)

    def reasons(s: Any) -> tuple[Reason, ...]:
        return _reasons(small.explanation_row(scorer, s, lrows[s.left], rrows[s.right]), level_labels)

    links = []
    for s in sorted(above, key=lambda s: (-s.match_probability, *ids[id(s)])):
        key = ids[id(s)]
        if best is not None and key not in best:
            continue
        if one_to_one and key in ambiguous_keys:
            continue
        links.append(Link(*key, s.match_probability, s.match_weight, reasons(s)))
    by_key = {ids[id(s)]: s for s in scored}
    ambiguous = [
        AmbiguousPair(g.group_id, c.left_id, c.right_id, c.match_probability, c.match_weight,
                      reasons(by_key[(c.left_id, c.right_id)]))
        for g in groups
        for c in g.rivals
    ]
    stats: dict[str, Any] = {
        "left": n_left,
        "right": n_right,
        "candidates_above_threshold": len(above),
        "links": len(links),
        "ambiguous_groups": len(groups),
        "ambiguous_pairs": len(ambiguous),
        "prior": prior,
        "warnings": warnings,
        "scorer": "python",
    }
    splink_model = json.loads(_saved_model_template(json.dumps(settings, sort_keys=True)))
    splink_model["probability_two_random_records_match"] = prior
    meta: dict[str, Any] = {"link_type": "link_only", "threshold": threshold, "trained": False,
                            "parameters_from": trained_model.get("model_version", "")}
    model_dict, version = _model_dict_of(splink_model, meta)
    rep.done()
    stats["timings"] = rep.timings
    stats["cpu"] = rep.cpu
    return LinkResult(links, model_dict, version, stats, ambiguous)


def single_best_links(pairs: Iterable[tuple[str, str, float]], threshold: float) -> set[tuple[str, str]]:
    """One-to-one links of (left id, right id, probability) pairs: in rounds, every pair at or above
    ``threshold`` that is the best of both its records among those still unlinked (ties: the lowest id of the
    other side) is linked. Splink's ``cluster_using_single_best_links`` for two duplicate-free lists (same
    rounds, same tie rule), without its tables and queries over every record of both lists."""
    remaining = [(p, a, b) for a, b, p in pairs if p >= threshold]
    linked: set[tuple[str, str]] = set()
    while remaining:
        best_left: dict[str, tuple[float, str]] = {}
        best_right: dict[str, tuple[float, str]] = {}
        for p, a, b in remaining:
            if (k := (-p, b)) < best_left.get(a, (1.0, "")):
                best_left[a] = k
            if (k := (-p, a)) < best_right.get(b, (1.0, "")):
                best_right[b] = k
        new = {(a, b) for p, a, b in remaining if best_left[a] == (-p, b) and best_right[b] == (-p, a)}
        if not new:
            break
        linked |= new
        done_left, done_right = {a for a, _ in new}, {b for _, b in new}
        remaining = [(p, a, b) for p, a, b in remaining if a not in done_left and b not in done_right]
    return linked


def _ambiguous_pairs(
    con: Any, pred: str, groups: Sequence[ambiguity.Group], level_labels: Mapping[str, Mapping[int, tuple[str, bool]]]
) -> list[AmbiguousPair]:
    """Every rival of every ambiguous group, with its explanation (rows read back from the predictions)."""
    if not groups:
        return []
    import pyarrow as pa

    wanted = sorted({(c.left_id, c.right_id) for g in groups for c in g.rivals})
    keys = pa.table({"l_id": [a for a, _ in wanted], "r_id": [b for _, b in wanted]})
    con.register("homeward_ambiguous_keys", keys)
    try:
        rel = con.sql(
            _from(
                pred,
                "p.*",
                """p join homeward_ambiguous_keys k on
                (p.source_dataset_l = 'left_list' and cast(p.unique_id_l as varchar) = k.l_id
                 and cast(p.unique_id_r as varchar) = k.r_id)
                or (p.source_dataset_l = 'right_list' and cast(p.unique_id_r as varchar) = k.l_id
                 and cast(p.unique_id_l as varchar) = k.r_id)""",
            )
        )
        cols = rel.columns
        reasons: dict[tuple[str, str], tuple[Reason, ...]] = {}
        for tup in rel.fetchall():
            row = dict(zip(cols, tup, strict=True))
            if row["source_dataset_l"] != LEFT:  # explain from the left list's side
                row = {_swap(k): v for k, v in row.items()}
            reasons[(str(row["unique_id_l"]), str(row["unique_id_r"]))] = _reasons(row, level_labels)
    finally:
        con.unregister("homeward_ambiguous_keys")
    return [
        AmbiguousPair(g.group_id, c.left_id, c.right_id, c.match_probability, c.match_weight,
                      reasons.get((c.left_id, c.right_id), ()))
        for g in groups
        for c in g.rivals
    ]


def _swap(column: str) -> str:
    if column.endswith("_l"):
        return column[:-2] + "_r"
    if column.endswith("_r"):
        return column[:-2] + "_l"
    return column


REVIEWED_SAME = Reason("reviewer", "same child", 0.0)
"""First reason of a pair a reviewer labelled the same child: the decision is theirs, not the weights'."""
LABELLED_WEIGHT = 60.0
"""Match weight of a pair labelled the same child (probability 1 at any prior): above every other pair."""


def _decide_labelled(
    con: Any, pred: str, labels: Sequence[tuple[str, str, bool]], warnings: list[str]
) -> set[tuple[str, str]]:
    """Reviewers' decisions are final: a pair labelled the same child is linked (probability 1, ahead of
    every rival in the one-to-one step), a pair labelled different children is never linked. A pair with
    both labels is left to the model. Returns the pairs decided the same child that are candidates."""
    import pyarrow as pa

    verdicts: dict[tuple[str, str], set[bool]] = {}
    for a, b, same in labels:
        verdicts.setdefault((a, b), set()).add(same)
    conflicting = [k for k, v in verdicts.items() if len(v) > 1]
    if conflicting:
        warnings.append(f"labels: {len(conflicting)} pair(s) labelled both ways; left to the model")
    decided = {k: next(iter(v)) for k, v in verdicts.items() if len(v) == 1}
    con.register("homeward_decisions", pa.table({
        "lid": [a for a, _ in decided], "rid": [b for _, b in decided], "same": list(decided.values()),
    }))  # fmt: skip
    # Splink orders each pair by source dataset: match either orientation (names are Splink's own)
    pair = f"""((p.source_dataset_l = '{LEFT}' and p.unique_id_l = d.lid and p.unique_id_r = d.rid)
        or (p.source_dataset_l = '{RIGHT}' and p.unique_id_l = d.rid and p.unique_id_r = d.lid))"""
    try:
        found = con.execute(f"select count(*) from {pred} p join homeward_decisions d on {pair}").fetchall()[0][0]  # noqa: S608
        con.execute(f"delete from {pred} p using homeward_decisions d where not d.same and {pair}")  # noqa: S608
        con.execute(f"""update {pred} p set match_probability = 1.0,
            match_weight = greatest(p.match_weight, {LABELLED_WEIGHT}) from homeward_decisions d
            where d.same and {pair}""")  # noqa: S608
    finally:
        con.unregister("homeward_decisions")
    if found < len(decided):
        warnings.append(f"labels: {len(decided) - found} labelled pair(s) are not among the candidate pairs")
    return {k for k, same in decided.items() if same}


def m_with_labels(
    m: Sequence[float | None], fixed: Sequence[bool], expected: float, shifts: Mapping[int, float]
) -> list[float | None]:
    """One comparison's m after reviewers' labels, as the M step of EM with the labelled pairs' match
    status known (Larsen & Rubin's clerical review inside the mixture model).

    EM's m for a level is its share of the expected true pairs: ``expected * m``. A label replaces one
    pair's posterior ``p`` by its status ``y`` (1 same child, 0 different), so the counts move by
    ``y - p`` at that pair's level (``shifts``: level index -> summed ``y - p``). Reviewers are shown the
    pairs nearest the threshold, not a random sample of true pairs: m taken from the labels alone would
    give the disagreement levels of borderline pairs far too much (measured: "same surname" 0.83 -> 0.58
    on the flat grid setting, 17 new false links); this way a label corrects only its own pair's share.
    Fixed levels (``fixed``) keep their m and levels without one stay without; the other levels share
    the rest of the mass as before."""
    free = [k for k, v in enumerate(m) if v is not None and not fixed[k]]
    if not free or expected <= 0:
        return list(m)
    mass = sum(float(m[k] or 0.0) for k in free)
    counts = {k: max(expected * float(m[k] or 0.0) + shifts.get(k, 0.0), 0.0) for k in free}
    total = sum(counts.values())
    if total <= 0:
        return list(m)
    out = list(m)
    for k in free:
        out[k] = max(mass * counts[k] / total, 1e-9)
    return out


def _fit_labels(
    linker: Any, con: Any, pred: str, labels: Sequence[tuple[str, str, bool]], warnings: list[str]
) -> bool:
    """Move the trained m by reviewers' labels (:func:`m_with_labels`): each labelled candidate pair's
    level and posterior are read from the predictions ``pred``; the expected number of true pairs is the
    sum of the posteriors there. Pairs labelled both ways and pairs that are not candidates are left out.
    Returns whether m moved."""
    import pyarrow as pa

    verdicts: dict[tuple[str, str], set[bool]] = {}
    for a, b, same in labels:
        verdicts.setdefault((a, b), set()).add(same)
    decided = {k: next(iter(v)) for k, v in verdicts.items() if len(v) == 1}
    if not decided:
        return False
    comparisons = _splink.comparisons(linker)
    names = [_splink.comparison_name(cc) for cc in comparisons]
    con.register("homeward_label_fit", pa.table({
        "lid": [a for a, _ in decided], "rid": [b for _, b in decided], "same": list(decided.values()),
    }))  # fmt: skip
    pair = f"""((p.source_dataset_l = '{LEFT}' and p.unique_id_l = d.lid and p.unique_id_r = d.rid)
        or (p.source_dataset_l = '{RIGHT}' and p.unique_id_l = d.rid and p.unique_id_r = d.lid))"""
    gammas = ", ".join(f"p.gamma_{n}" for n in names)
    try:
        rows = con.execute(f"select d.same, p.match_probability, {gammas} from {pred} p "  # noqa: S608
                           f"join homeward_label_fit d on {pair}").fetchall()
        expected = float(con.execute(f"select coalesce(sum(match_probability), 0) from {pred}").fetchall()[0][0])  # noqa: S608
    finally:
        con.unregister("homeward_label_fit")
    if not rows:
        return False
    moved = False
    for c, (cc, _name) in enumerate(zip(comparisons, names, strict=True)):
        cls = _splink.levels(cc, with_null=False)
        index = {_splink.level_key(cl)[0]: k for k, cl in enumerate(cls)}
        shifts: dict[int, float] = {}
        for same, p, *gamma in rows:
            k = index.get(int(gamma[c])) if gamma[c] is not None else None
            if k is not None:  # the null level has no m
                shifts[k] = shifts.get(k, 0.0) + (1.0 if same else 0.0) - float(p)
        if not shifts:
            continue
        before = [_splink.level_m_u(cl)[0] for cl in cls]
        after = m_with_labels(before, [_splink.m_is_fixed(cl) for cl in cls], expected, shifts)
        for cl, old, new in zip(cls, before, after, strict=True):
            if new is not None and new != old:
                _splink.set_m(cl, float(new))
                moved = True
    return moved


# Below this many candidate pairs EM has too little to learn from (a handful of records).
MIN_TRAINING_PAIRS = 20_000
SMALL_MAX_PAIRS = MIN_TRAINING_PAIRS
"""Runs of fewer pairs (left records times right records) with a saved model are scored in Python
(:mod:`.small`); they are exactly the runs that use a saved model without term-frequency adjustments. Larger
runs train (or use the adjustments) and stay on Splink and DuckDB, whose fixed cost is small beside their work."""
REFERENCE_MODEL = Path(__file__).with_name("reference_model.json")


def reference_model() -> dict[str, Any]:
    """The shipped starting model: parameters trained once on a synthetic cross-border list pair
    (``benchmarks/linkage/make_reference_model.py``; seed 7, not one the benchmark scores on).
    Used only for inputs too small to train on; a model trained on the operator's own data
    (``trained_model=``) replaces it."""
    loaded: dict[str, Any] = json.loads(REFERENCE_MODEL.read_text(encoding="utf-8"))
    if loaded.get("format") != model.MODEL_FORMAT:
        raise LinkageError(f"{REFERENCE_MODEL.name}: not a {model.MODEL_FORMAT} model")
    return loaded


def _saved_settings(trained: Mapping[str, Any], link_type: str, n_pairs: float) -> dict[str, Any]:
    """The Splink settings of a saved model for a run of ``n_pairs`` pairs (see :func:`_linker_from_model`)."""
    import copy

    if trained.get("format") != model.MODEL_FORMAT or "splink_model" not in trained:
        raise LinkageError(f"not a {model.MODEL_FORMAT} model")
    settings = copy.deepcopy(dict(trained["splink_model"]))
    settings["link_type"] = link_type
    if n_pairs < MIN_TRAINING_PAIRS:
        for c in settings.get("comparisons", []):
            for lv in c.get("comparison_levels", []):
                for key in ("tf_adjustment_column", "tf_adjustment_weight", "tf_minimum_u_value"):
                    lv.pop(key, None)
    return settings


def _linker_from_model(
    trained: Mapping[str, Any], tables: list[Any], link_type: str = "link_only", *, n_pairs: float = float("inf")
) -> Any:
    """A linker with the settings and trained parameters of a saved model (no training).

    Below :data:`MIN_TRAINING_PAIRS` pairs the term-frequency adjustments are left out: a handful of
    records cannot say how common a name is (three Петрович among four records would make "same
    patronymic" count against a pair), as the duplicate scorer (``homeward.registry.scoring``) does."""
    from splink import Linker

    settings = _saved_settings(trained, link_type, n_pairs)
    logging.getLogger("splink").setLevel(logging.ERROR)
    # Splink's settings validation (sqlglot over every level; it only logs, and its log is silenced above) is
    # skipped as in _make_linker: a saved model carries the matcher's own settings (a test validates them).
    return Linker(tables, settings, log_level=None, validate_settings=False)


def dedupe(
    records: Iterable[Mapping[str, Any]],
    *,
    threshold: float = 0.5,
    progress: Progress | None = None,
    threads: int = DEFAULT_THREADS,
    seed: int = 42,
    extra_columns: Sequence[str] = (),
    trained_model: Mapping[str, Any] | None = None,
) -> DedupeResult:
    """Find records of one list that describe the same child; clusters by connected components.

    As in :func:`link`, a list too small to train on uses ``trained_model`` or the reference model,
    with a prior of one duplicate per twenty records.
    """
    from splink import DuckDBAPI

    rep = _Reporter(progress)
    rep.stage("prepare")
    con = _connection(threads)
    (table,) = blocking.add_block_keys([_features(records, "list", extra_columns, rep.within(0.0, 1.0))], con)
    warnings: list[str] = []
    db_api = DuckDBAPI(con)
    t = db_api.register(table, dataset_display_name="list")
    ids = table.column("unique_id").to_pylist()
    if table.num_rows < 2:
        linker = _make_linker(db_api, [t], "dedupe_only", extra_columns, [table])
        model_dict, version = _model_dict(linker, {"trained": False})
        rep.done()
        return DedupeResult({i: [i] for i in ids}, [], model_dict, version, {"records": table.num_rows})

    n = table.num_rows
    if trained_model is None and n * (n - 1) / 2 < MIN_TRAINING_PAIRS and not extra_columns:
        trained_model = reference_model()
        warnings.append("too few pairs to train on: the reference model's parameters were used")
    if trained_model is not None:
        linker = _linker_from_model(trained_model, [t], link_type="dedupe_only", n_pairs=n * (n - 1) / 2)
        _splink.set_prior(linker, min(0.5, (n / 20) / (n * (n - 1) / 2)))
    else:
        linker = _make_linker(db_api, [t], "dedupe_only", extra_columns, [table])
        twin = _make_linker(db_api, [t], "dedupe_only", extra_columns, [table], fixed_levels=False)
        _train(linker, twin, _u_pairs(n * (n - 1) / 2), seed, rep, warnings, max_prior=0.5)
    rep.stage("predict")
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    rep.stage("best links")
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    con = db_api.duckdb_con
    clusters: dict[str, list[str]] = {}
    members = _from(clustered.physical_name, "cluster_id, unique_id", "order by cluster_id, unique_id")
    for cid, uid in con.execute(members).fetchall():
        clusters.setdefault(str(cid), []).append(str(uid))
    rep.stage("explain")
    labels = _level_labels(linker)
    rel = con.sql(_from(predictions.physical_name, "*", "order by match_probability desc"))
    cols = rel.columns
    links = []
    for tup in rel.fetchall():
        row = dict(zip(cols, tup, strict=True))
        links.append(
            Link(
                str(row["unique_id_l"]),
                str(row["unique_id_r"]),
                float(row["match_probability"]),
                float(row["match_weight"]),
                _reasons(row, labels),
            )
        )
    meta: dict[str, Any] = {"link_type": "dedupe_only", "threshold": threshold}
    if trained_model is not None:
        meta.update(trained=False, parameters_from=trained_model.get("model_version", ""))
    model_dict, version = _model_dict(linker, meta)
    rep.done()
    stats = {
        "records": table.num_rows,
        "clusters": len(clusters),
        "warnings": warnings,
        "timings": rep.timings,
        "cpu": rep.cpu,
    }
    return DedupeResult(clusters, links, model_dict, version, stats)
