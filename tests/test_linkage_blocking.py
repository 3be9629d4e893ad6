"""Frequency-aware blocking: common name-group combinations are refined by birth year (no Django)."""

from __future__ import annotations

import pyarrow as pa

from homeward.linkage.core import blocking


def _table(rows: list[tuple[str, str, str, int | None]]) -> pa.Table:
    """(id, given-name group, surname group, birth year) rows as the feature columns the keys use."""
    return pa.table(
        {
            "unique_id": [r[0] for r in rows],
            "g_grp": pa.array([[r[1]] for r in rows], type=pa.list_(pa.string())),
            "s_grp": pa.array([[r[2]] for r in rows], type=pa.list_(pa.string())),
            "p_grp": pa.array([None for _ in rows], type=pa.list_(pa.string())),
            "s_ph": pa.array([f"ph-{r[2]}" for r in rows], type=pa.string()),
            "dob_y": pa.array([r[3] for r in rows], type=pa.int32()),
        }
    )


def _lists() -> tuple[pa.Table, pa.Table]:
    # One common combination (g1, s1: 20 x 60 = 1,200 pairs, over the budget of 10 x 90 = 900 pairs)
    # and rare ones (g2/s2 .. : one record a side each).
    left = [(f"L{i}", "g1", "s1", 2005 + i % 10) for i in range(20)]
    left += [(f"L{i}", f"g{i}", f"s{i}", 2010) for i in range(20, 30)]
    right = [(f"R{i}", "g1", "s1", 2005 + i % 10) for i in range(60)]
    right += [(f"R{i}", f"g{i - 40}", f"s{i - 40}", 2012) for i in range(60, 70)]
    right.append(("Rnone", "g1", "s1", None))
    return _table(left), _table(right)


def _keys(table: pa.Table, record: str) -> set[str]:
    row = table.column("unique_id").to_pylist().index(record)
    return set(table.column("gs_blk")[row].as_py() or ())


def test_a_common_combination_is_refined_so_only_years_at_most_one_apart_share_a_key():
    left, right = blocking.add_block_keys(list(_lists()))
    l_ids = left.column("unique_id").to_pylist()
    l_years = left.column("dob_y").to_pylist()
    r_ids = right.column("unique_id").to_pylist()
    r_years = right.column("dob_y").to_pylist()
    for lid, ly in zip(l_ids[:20], l_years[:20], strict=True):
        for rid, ry in zip(r_ids[:60], r_years[:60], strict=True):
            assert bool(_keys(left, lid) & _keys(right, rid)) == (abs(ly - ry) <= 1)


def test_a_record_without_a_birth_year_still_meets_its_whole_common_block():
    left, right = blocking.add_block_keys(list(_lists()))
    for lid in left.column("unique_id").to_pylist()[:20]:
        assert _keys(left, lid) & _keys(right, "Rnone")


def test_rare_combinations_keep_one_unrefined_key_whatever_the_years():
    left, right = blocking.add_block_keys(list(_lists()))
    # L20..L29 (born 2010) and R60..R69 (born 2012) share rare combinations g20/s20 ..
    for i in range(20, 30):
        assert _keys(left, f"L{i}") & _keys(right, f"R{i + 40}")
        assert len(_keys(left, f"L{i}")) == 1


def test_lists_within_the_budget_are_not_refined():
    left, right = _lists()
    small_right = right.slice(0, 1)  # 20 x 1 = 20 pairs in the common block: within 31 records' budget
    out_left, out_right = blocking.add_block_keys([left, small_right])
    for t in (out_left, out_right):
        assert all(len(k) == 1 for k in t.column("gs_blk").to_pylist() if k)


def test_records_missing_a_group_get_no_key():
    table = _table([("A", "g", "s", 2010)]).set_column(1, "g_grp", pa.array([None], type=pa.list_(pa.string())))
    (out,) = blocking.add_block_keys([table])
    assert out.column("gs_blk").to_pylist() == [None]


def test_the_surname_phonetic_key_rule_is_refined_like_the_group_rules():
    left, right = blocking.add_block_keys(list(_lists()))

    def keys(table: pa.Table, record: str) -> set[str]:
        row = table.column("unique_id").to_pylist().index(record)
        return set(table.column("gph_blk")[row].as_py() or ())

    for i in range(20):
        for j in range(60):
            years = (2005 + i % 10, 2005 + j % 10)
            assert bool(keys(left, f"L{i}") & keys(right, f"R{j}")) == (abs(years[0] - years[1]) <= 1)
    assert keys(left, "L20") & keys(right, "R60") and len(keys(left, "L20")) == 1


def test_a_record_without_a_phonetic_key_gets_no_phonetic_key_block():
    table = _table([("A", "g", "s", 2010)]).set_column(4, "s_ph", pa.array([None], type=pa.string()))
    (out,) = blocking.add_block_keys([table])
    assert out.column("gph_blk").to_pylist() == [None] and out.column("gs_blk").to_pylist() == [["g\x1fs"]]
