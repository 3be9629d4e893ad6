"""Frequency-aware blocking keys for the name-group prediction rules.

Blocking on given-name group x surname group (or surname group x patronymic group) makes one block
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

from collections import Counter
from collections.abc import Sequence
from typing import Any

# Unrefined name-group blocks may hold this many pairs per record of the lists together.
BUDGET = 1.0
# (new column, first array column, second array column)
REFINED_RULES: tuple[tuple[str, str, str], ...] = (("gs_blk", "g_grp", "s_grp"), ("sp_blk", "s_grp", "p_grp"))
_SEP = "\x1f"


def _combos(first: Sequence[Any], second: Sequence[Any]) -> list[set[str]]:
    return [
        {f"{a}{_SEP}{b}" for a in (x or ()) for b in (y or ())} if x and y else set()
        for x, y in zip(first, second, strict=True)
    ]


def add_block_keys(tables: Sequence[Any]) -> list[Any]:
    """``tables`` (one for a de-duplication, left and right for a link) with the columns of
    :data:`REFINED_RULES` appended: per record the list of its blocking keys (None if it has none)."""
    import pyarrow as pa

    years = [[y for y in t.column("dob_y").to_pylist()] for t in tables]
    known = [y for ys in years for y in ys if y is not None]
    buckets = sorted({y // 2 for y in known}) if known else []
    budget = BUDGET * sum(t.num_rows for t in tables)
    out = list(tables)
    for column, a, b in REFINED_RULES:
        combos = [_combos(t.column(a).to_pylist(), t.column(b).to_pylist()) for t in tables]
        counts = [Counter(k for ks in cs for k in ks) for cs in combos]
        if len(tables) == 1:
            block = {k: n * (n - 1) / 2 for k, n in counts[0].items()}
        else:
            block = {k: n * counts[1].get(k, 0) for k, n in counts[0].items()}
        common: set[str] = set()
        left_over = sum(block.values())
        for k, pairs in sorted(block.items(), key=lambda kv: (-kv[1], kv[0])):
            if left_over <= budget:
                break
            common.add(k)
            left_over -= pairs
        for i, (cs, ys) in enumerate(zip(combos, years, strict=True)):
            keys: list[list[str] | None] = []
            for ks, y in zip(cs, ys, strict=True):
                row: list[str] = []
                for k in sorted(ks):
                    if k not in common:
                        row.append(k)
                    elif y is None:
                        row.extend(f"{k}{_SEP}a{bucket}" for bucket in buckets)
                    else:
                        row.extend((f"{k}{_SEP}a{y // 2}", f"{k}{_SEP}b{(y + 1) // 2}"))
                keys.append(row or None)
            out[i] = out[i].append_column(column, pa.array(keys, type=pa.list_(pa.string())))
    return out
