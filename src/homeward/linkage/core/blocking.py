"""Frequency-aware blocking keys for the name-group prediction rules.

Blocking on given-name group x surname group (or x surname phonetic key, or surname group x patronymic
group) makes one block
per combination of groups; with concentrated names a few combinations (Олександр Коваленко) hold
most of the pairs and the prediction cost grows with the product of the two lists' counts. The
largest blocks are *common*: taken largest first until the blocks left hold at most
:data:`BUDGET` pairs per record of the lists (left + right records), so the rule's cost grows with
the lists' length, not with its square. A common combination is refined by the birth year, as two
keys over two-year buckets offset by one year (``y // 2`` and ``(y + 1) // 2``): two records share
a key exactly when their years differ by at most one. A record without a birth year gets every
bucket of the years present, so it still meets the whole block. Other combinations keep one
unrefined key. The birth-date rules are not touched: no pair sharing the birth date (or its
day-month swap) is lost.

Keys are in-memory join values only (group keys joined by a unit separator); they never leave the
DuckDB connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# Unrefined name-group blocks may hold this many pairs per record of the lists together.
BUDGET = 1.0
# (new column, first column, second column); a column is an array of keys or one key (s_ph)
REFINED_RULES: tuple[tuple[str, str, str], ...] = (
    ("gs_blk", "g_grp", "s_grp"),
    ("gph_blk", "g_grp", "s_ph"),
    ("sp_blk", "s_grp", "p_grp"),
)
_SEP = "\x1f"


def add_block_keys(tables: Sequence[Any], con: Any = None) -> list[Any]:
    """``tables`` (one for a de-duplication, left and right for a link) with the columns of
    :data:`REFINED_RULES` appended: per record the list of its blocking keys (None if it has none).

    Computed in DuckDB (``con``, or a connection of its own): the combinations, their counts, the
    common ones and every record's keys are set operations, not a Python loop per record."""
    import duckdb
    import pyarrow as pa

    own = con is None
    con = duckdb.connect() if own else con
    try:
        return _add_block_keys(list(tables), con, pa)
    finally:
        if own:
            con.close()


def _add_block_keys(tables: list[Any], con: Any, pa: Any) -> list[Any]:
    names = [f"__hw_blk_{i}" for i in range(len(tables))]
    used = sorted({a for _, a, _ in REFINED_RULES} | {b for _, _, b in REFINED_RULES})
    for name, t in zip(names, tables, strict=True):
        columns = {"rn": pa.array(range(t.num_rows), type=pa.int64()), "dob_y": t.column("dob_y")}
        view = pa.table({**columns, **{c: t.column(c) for c in used}})
        con.register(name, view)
    # one key is a list of one key (a missing one an empty list): every rule explodes two lists
    one_key = {c for c in used if not pa.types.is_list(tables[0].schema.field(c).type)}

    def keys_of(c: str) -> str:
        return f"(case when {c} is null then [] else [{c}] end)" if c in one_key else c

    try:
        budget = BUDGET * sum(t.num_rows for t in tables)
        years = " union all ".join(f"select dob_y from {n} where dob_y is not null" for n in names)  # noqa: S608 - generated names only
        buckets = f"(select distinct dob_y // 2 as bucket from ({years}))"  # noqa: S608 - generated names only
        out = list(tables)
        for column, first, second in REFINED_RULES:
            a, b = keys_of(first), keys_of(second)
            combos = [
                f"""(select distinct rn, dob_y, ga || chr(31) || gb as k from (
                       select rn, dob_y, ga, unnest(kb) as gb from (
                         select rn, dob_y, kb, unnest(ka) as ga from (select rn, dob_y, {a} as ka, {b} as kb from {n})
                         where len(ka) > 0 and len(kb) > 0)))"""  # noqa: S608 - generated names only
                for n in names
            ]
            for i, c in enumerate(combos):
                con.execute(f"create or replace temp table __hw_combos_{i} as {c}")
            combos = [f"__hw_combos_{i}" for i in range(len(tables))]
            counts = [f"(select k, count(*) as n from {c} group by k)" for c in combos]  # noqa: S608 - generated names only
            if len(tables) == 1:
                block = f"select k, n * (n - 1) / 2 as pairs from {counts[0]}"  # noqa: S608 - generated names only
            else:
                block = f"select c0.k, c0.n * c1.n as pairs from {counts[0]} c0 join {counts[1]} c1 using (k)"  # noqa: S608 - generated names only
            # Largest blocks first until what is left holds at most the budget.
            common = f"""select k from (
                select k, sum(pairs) over () - sum(pairs) over (order by pairs desc, k
                    rows between unbounded preceding and 1 preceding) as left_over
                from __hw_block)
                where coalesce(left_over, (select sum(pairs) from __hw_block)) > {float(budget)!r}"""  # noqa: S608 - generated names only
            con.execute(f"create or replace temp table __hw_block as {block}")
            con.execute(f"create or replace temp table __hw_common as {common}")
            for i, c in enumerate(combos):
                keys = f"""
                    with c as (select c.*, m.k is not null as is_common from {c} c
                               left join __hw_common m using (k)),
                    keyed as (
                      select rn, k as key from c where not is_common
                      union all
                      select rn, k || chr(31) || 'a' || cast(dob_y // 2 as varchar) from c
                        where is_common and dob_y is not null
                      union all
                      select rn, k || chr(31) || 'b' || cast((dob_y + 1) // 2 as varchar) from c
                        where is_common and dob_y is not null
                      union all
                      select rn, k || chr(31) || 'a' || cast(bucket as varchar) from c, {buckets}
                        where is_common and dob_y is null)
                    select list(key order by key) filter (where key is not null) as keys from {names[i]} t
                    left join keyed using (rn) group by t.rn order by t.rn"""  # noqa: S608 - generated names only
                col = con.sql(keys).to_arrow_table().column("keys")
                out[i] = out[i].append_column(column, col.cast(pa.list_(pa.string())))
            for table in ("__hw_common", "__hw_block", *combos):
                con.execute(f"drop table if exists {table}")
        return out
    finally:
        for name in names:
            con.unregister(name)


def add_block_keys_rows(tables: Sequence[list[dict[str, Any]]]) -> None:
    """:func:`add_block_keys` on feature rows (dicts) in pure Python, in place: the same keys per record, for
    the small runs scored without DuckDB (:mod:`.small`; a test compares the two on generated lists)."""
    from collections import Counter

    budget = BUDGET * sum(len(t) for t in tables)
    buckets = sorted({r["dob_y"] // 2 for t in tables for r in t if r.get("dob_y") is not None})

    def keys_of(value: Any) -> list[Any]:
        if value is None:
            return []
        return [v for v in value if v is not None] if isinstance(value, list | tuple) else [value]

    for column, first, second in REFINED_RULES:
        combos = [
            [{f"{a}{_SEP}{b}" for a in keys_of(r.get(first)) for b in keys_of(r.get(second))} for r in t]
            for t in tables
        ]
        counts = [Counter(k for ks in per for k in ks) for per in combos]
        block: dict[str, float]
        if len(tables) == 1:
            block = {k: n * (n - 1) / 2 for k, n in counts[0].items()}
        else:
            block = {k: n * counts[1][k] for k, n in counts[0].items() if k in counts[1]}
        # Largest blocks first until what is left holds at most the budget (as the SQL's window).
        left_over = sum(block.values())
        common: set[str] = set()
        for k, pairs in sorted(block.items(), key=lambda kv: (-kv[1], kv[0])):
            if left_over > budget:
                common.add(k)
            left_over -= pairs
        for t, per in zip(tables, combos, strict=True):
            for r, ks in zip(t, per, strict=True):
                out: list[str] = []
                year = r.get("dob_y")
                for k in ks:
                    if k not in common:
                        out.append(k)
                    elif year is not None:
                        out += [f"{k}{_SEP}a{year // 2}", f"{k}{_SEP}b{(year + 1) // 2}"]
                    else:
                        out += [f"{k}{_SEP}a{b}" for b in buckets]
                r[column] = sorted(out) or None
