"""Blocking figures of the prediction rules: pairs each rule generates and pair completeness.

    .venv/bin/python benchmarks/linkage/blocking.py --size S --seed 1 [--setting NAME]

For each prediction rule, the pairs it generates (the sum over its keys of left count x right
count: what the join produces before Splink removes duplicates) for the name-group rules as they
were (every group combination one block) and as they are (common combinations refined by birth
year, ``homeward.linkage.core.blocking``), and the share of true pairs that at least one rule
admits (pair completeness), for both rule sets. Counts only: no record content is printed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from run import load_generated  # noqa: E402

from homeward.linkage.core import blocking, features  # noqa: E402

OLD = {
    "g_grp x s_grp": "l.g_grp && r.g_grp AND l.s_grp && r.s_grp",
    "g_grp x s_ph": "l.g_grp && r.g_grp AND l.s_ph = r.s_ph",
    "s_grp x p_grp": "l.s_grp && r.s_grp AND l.p_grp && r.p_grp",
}
NEW = {"gs_blk": "l.gs_blk && r.gs_blk", "gph_blk": "l.gph_blk && r.gph_blk", "sp_blk": "l.sp_blk && r.sp_blk"}
COMMON = [
    "l.dob = r.dob",
    "l.dob_sw = r.dob",
    "l.g_can = r.s_can AND l.s_can = r.g_can",
    "l.g_grp && r.g_grp AND l.p_grp && r.p_grp AND l.dob_y = r.dob_y",
]


def _one(con, sql: str) -> int:  # type: ignore[no-untyped-def]
    return int(con.execute(sql).fetchone()[0])


def _pairs(con, column: str) -> int:  # type: ignore[no-untyped-def]
    """Pairs a rule exploding one array column generates (sum over its keys of left x right count)."""
    side = "select k, count(*) n from (select unnest({c}) k from {t}) group by k"
    return _one(
        con,
        f"select coalesce(sum(a.n * b.n), 0) from ({side.format(c=column, t='l')}) a "
        f"join ({side.format(c=column, t='r')}) b using (k)",
    )


def _pairs2(con, first: str, second: str) -> int:  # type: ignore[no-untyped-def]
    """The same for a rule exploding two array columns (every combination of their values)."""
    side = "select g, s, count(*) n from (select unnest({a}) g, {b} from {t}), unnest({b}) u(s) group by g, s"
    return _one(
        con,
        f"select coalesce(sum(a.n * b.n), 0) from ({side.format(a=first, b=second, t='l')}) a "
        f"join ({side.format(a=first, b=second, t='r')}) b using (g, s)",
    )


def _pairs_ph(con) -> int:  # type: ignore[no-untyped-def]
    """The same for given-name group x surname phonetic key (one key)."""
    side = "select g, s_ph, count(*) n from (select unnest(g_grp) g, s_ph from {t}) where s_ph is not null group by all"
    return _one(
        con,
        f"select coalesce(sum(a.n * b.n), 0) from ({side.format(t='l')}) a "
        f"join ({side.format(t='r')}) b using (g, s_ph)",
    )


def main() -> None:
    import duckdb
    import pyarrow as pa

    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="S")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--setting", default="")
    args = ap.parse_args()
    left_rows, right_rows, truth = load_generated(args.size, args.seed, args.setting)
    left, right = blocking.add_block_keys(
        [features.to_feature_table(left_rows, ()), features.to_feature_table(right_rows, ())]
    )
    con = duckdb.connect()
    con.execute("set threads=2")
    con.register("l", left)
    con.register("r", right)
    con.register("t", pa.table({"lid": [a for a, _ in truth], "rid": [b for _, b in truth]}))
    side = "select dob, count(*) n from {t} where dob is not null group by dob"
    dob = f"select sum(a.n * b.n) from ({side.format(t='l')}) a join ({side.format(t='r')}) b using (dob)"
    counts = {
        "dob": _one(con, dob),
        "g_grp x s_grp (as were)": _pairs2(con, "g_grp", "s_grp"),
        "s_grp x p_grp (as were)": _pairs2(con, "s_grp", "p_grp"),
        "g_grp x s_ph (as were)": _pairs_ph(con),
        "gs_blk (refined)": _pairs(con, "gs_blk"),
        "gph_blk (refined)": _pairs(con, "gph_blk"),
        "sp_blk (refined)": _pairs(con, "sp_blk"),
    }
    print(f"{args.size}-seed{args.seed} {args.setting or 'default'}: {left.num_rows} x {right.num_rows}")
    for k, v in counts.items():
        print(f"  pairs generated  {k:28s} {v:>14,d}")
    base = "select count(*) from t join l on l.unique_id = t.lid join r on r.unique_id = t.rid where "
    for label, extra in (("as were", OLD), ("refined", NEW)):
        cond = " OR ".join(f"coalesce({c}, false)" for c in COMMON + list(extra.values()))
        found = _one(con, base + cond)
        print(f"  pair completeness ({label}): {found / max(len(truth), 1):.4f} ({found} of {len(truth)} true pairs)")


if __name__ == "__main__":
    main()
