"""Feature preparation canonicalises each distinct value once and gives every row its value's keys."""

from __future__ import annotations

from homeward.linkage.core import features


def _rows(table) -> list[dict]:  # type: ignore[no-untyped-def]
    return table.to_pylist()


def test_every_row_gets_the_keys_of_its_own_value_whatever_the_order():
    records = [
        {"record_id": str(i), "given_name": g, "surname": s, "birth_date": d}
        for i, (g, s, d) in enumerate(
            [("Олександр", "Коваленко", "01.02.2015"), ("Марія", "Шевченко", "2016-03-04"),
             ("Олександр", "Шевченко", ""), ("Марія", "Коваленко", "01.02.2015")]
        )
    ]  # fmt: skip
    table = _rows(features.to_feature_table(records))
    one_by_one = [features.to_features(r) for r in records]
    assert table == one_by_one
    assert table[0]["g_can"] == table[2]["g_can"] != table[1]["g_can"]
    assert table[0]["s_can"] == table[3]["s_can"] != table[1]["s_can"]
    assert table[0]["dob"] == table[3]["dob"] == "2015-02-01" and table[2]["dob"] is None


def test_values_differing_only_by_surrounding_spaces_are_one_value():
    rows = _rows(features.to_feature_table([
        {"record_id": "a", "given_name": "Anna ", "surname": " Koval", "sex": "F"},
        {"record_id": "b", "given_name": "Anna", "surname": "Koval", "sex": "f "},
    ]))  # fmt: skip
    assert {k: v for k, v in rows[0].items() if k != "unique_id"} == {
        k: v for k, v in rows[1].items() if k != "unique_id"
    }


def test_numbers_dates_and_missing_values_are_read_as_their_text():
    from datetime import date

    rows = _rows(features.to_feature_table([
        {"record_id": 1, "given_name": None, "surname": "Koval", "birth_date": date(2015, 2, 1), "sex": 1},
        {"record_id": 2, "given_name": "Anna", "surname": None, "birth_date": "2015-02-01", "sex": 1.0},
        {"record_id": "3", "given_name": ["not", "a", "name"], "surname": "Koval"},
    ]))  # fmt: skip
    assert [r["unique_id"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["g_key"] is None and rows[1]["s_key"] is None
    assert rows[0]["dob"] == rows[1]["dob"] == "2015-02-01"
    assert rows[0]["sex"] == "m" and rows[1]["sex"] is None  # "1" is a sex code, "1.0" is not
    assert rows[2]["s_key"] == rows[0]["s_key"]


def test_a_text_column_is_indexed_in_first_seen_order_with_none_a_value_of_its_own():
    values = ["Коваленко", None, "Koval", "Коваленко", None, "", "Koval"]
    fast, fast_idx = features._distinct_strings(values)
    slow, slow_idx = features._distinct(values)
    assert fast == slow == ["Коваленко", None, "Koval", ""]
    assert fast_idx.to_pylist() == slow_idx.to_pylist() == [0, 1, 2, 0, 1, 3, 2]


def test_a_column_with_numbers_is_read_as_text_like_any_other():
    rows = features.to_feature_table([
        {"record_id": "a", "given_name": "Anna", "birth_date": 2015},
        {"record_id": "b", "given_name": "Anna", "birth_date": "2015"},
    ]).to_pylist()  # fmt: skip
    assert rows[0]["dob_y"] == rows[1]["dob_y"] == 2015
