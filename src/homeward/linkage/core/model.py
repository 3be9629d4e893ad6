"""The Homeward matching model described as data: a Splink settings dictionary.

Every comparison compares canonical ASCII columns produced by :mod:`.features` (never raw
Cyrillic: DuckDB's string distances count UTF-8 bytes). Each level carries a plain-words
``label_for_charts`` that the explanation of a pair quotes verbatim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MODEL_FORMAT = "homeward-linkage/1"


@dataclass(frozen=True)
class Reason:
    """One comparison's contribution to a pair's match weight (the batch matcher's and the duplicate scorer's)."""

    comparison: str
    level: str
    weight: float

    def __str__(self) -> str:
        return f"{self.comparison}: {self.level}, {self.weight:+.1f}"

# Comparison output column -> what the explanation calls it.
COMPARISON_TITLES: dict[str, str] = {
    "names_swapped": "names",
    "given_name": "given name",
    "surname": "surname",
    "patronymic": "patronymic",
    "birth_date": "birth date",
    "sex": "sex",
    "birth_place": "birth place",
}


SAME_NAME = "same name"
TYPO, SIMILAR = "spelling differs by a typo", "similar spelling"
# How the explanation words a "same name" level: identical ASCII keys or two forms of one name.
SAME_NAME_WORDING = {
    "given_name": ("g_key", "same name", "one name: other language, transliteration or diminutive"),
    "surname": ("s_key", "same name", "one surname: other language, transliteration or gender form"),
}


def _null(col: str, label: str = "missing on one side") -> dict[str, Any]:
    return {
        "sql_condition": f"{col}_l IS NULL OR {col}_r IS NULL",
        "label_for_charts": label,
        "is_null_level": True,
    }


def _level(sql: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, **extra}


def _else(label: str) -> dict[str, Any]:
    return {"sql_condition": "ELSE", "label_for_charts": label}


def _intersect_sql(col: str) -> str:
    return f"list_has_any({col}_l, {col}_r)"


_intersect = _intersect_sql


def _jw(col: str, at_least: float) -> str:
    return f"jaro_winkler_similarity({col}_l, {col}_r) >= {at_least}"


# Twin / sibling guard. Fellegi-Sunter treats fields as independent given match status, but
# children of one family share surname, patronymic, birth place -- and twins the birth date.
# u from random pairs cannot see that, so a twin would score like a match whose given name
# is "just different". Domain fact used instead: a child keeps its given name across lists
# up to the forms the name keys recognise (language, transliteration, diminutive) and typos.
# So a clearly different given name inside one family (same surname and birth date) is a
# veto level with a FIXED weight (not trained, not tuned to any data set).
SAME_FAMILY_SQL = f"(s_key_l = s_key_r OR {_intersect_sql('s_grp')} OR {_jw('s_key', 0.9)}) AND dob_l = dob_r"
TWIN_GUARD_M, TWIN_GUARD_U = 1e-8, 1e-1  # log2(m/u) ~ -23 bits: a veto
SWAP_M, SWAP_U = 5e-3, 1e-7
CANONICAL_TYPO = 0.88
"""Jaro-Winkler similarity of two canonical forms (first group keys) from which they count as one name with a typo."""
NOT_SWAPPED = "not swapped"
SILENT_LABELS = frozenset({NOT_SWAPPED})  # levels the explanation leaves out (~0 bits)


def _name_comparison(
    name: str,
    key: str,
    groups: str,
    canonical: str,
    *,
    group_label: str,
    else_label: str,
    tf: bool,
    fixed_levels: bool = False,
    merge_variants: bool = False,
    canonical_typo: bool = False,
    before_else: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    # "Same name" = same canonical key: identical spelling, or the Ukrainian / Russian / Latin
    # forms of one name. One level (not two), so that the term-frequency adjustment -- common
    # names (Олександр = Александр = Oleksandr, Коваленко) weigh less than rare ones -- is
    # counted per name across scripts and stays consistent with the level's u.
    same: dict[str, Any] = _level(f"{canonical}_l = {canonical}_r", SAME_NAME)
    if merge_variants:
        # Rare extra group overlaps count as the same name: a level almost never seen among
        # random pairs would keep u sampling from stopping early (measured: 1.4 s of 2.4 s).
        same = _level(f"{canonical}_l = {canonical}_r OR {_intersect(groups)}", SAME_NAME)
    if tf:
        same.update(
            tf_adjustment_column=canonical,
            tf_adjustment_weight=1.0,
            tf_minimum_u_value=0.001,
            # the TF adjustment is relative to this level's own u (it is not a plain equality)
            disable_tf_exact_match_detection=merge_variants,
        )
    levels = [_null(key), same]
    if not merge_variants:
        levels.append(_level(_intersect(groups), group_label))
    typo = _jw(key, 0.9)
    if canonical_typo:
        # a typo in either script: the written keys, or the canonical forms (first group keys: "Екатергна" ->
        # ekatergna against Катерина -> ekaterina), as for the patronymic; otherwise such a pair of one child
        # falls to "different names", or to the twin guard's veto when surname and birth date agree
        typo = f"{typo} OR jaro_winkler_similarity({groups}_l[1], {groups}_r[1]) >= {CANONICAL_TYPO}"
    levels += [
        # Jaro-Winkler only: DuckDB's damerau_levenshtein is ~10x slower per pair.
        _level(typo, TYPO),
    ]
    levels.append(_level(_jw(key, 0.80), SIMILAR))
    if fixed_levels:
        levels.append(
            _level(
                SAME_FAMILY_SQL,
                "different names in one family (twin or sibling)",
                m_probability=TWIN_GUARD_M,
                u_probability=TWIN_GUARD_U,
                fix_m_probability=True,
                fix_u_probability=True,
            )
        )
    levels += [dict(lv) for lv in before_else]
    levels.append(_else(else_label))
    return {
        "output_column_name": name,
        "comparison_description": COMPARISON_TITLES[name],
        "comparison_levels": levels,
    }


def extra_comparison(name: str, column: str) -> dict[str, Any]:
    """A generic comparison for an optional extra identifier (document number, address)."""
    return {
        "output_column_name": column,
        "comparison_description": name,
        "comparison_levels": [
            _null(column),
            _level(f"{column}_l = {column}_r", "same"),
            _level(f"levenshtein({column}_l, {column}_r) <= 1", "one character differs"),
            _level(_jw(column, 0.88), "similar"),
            _else("different"),
        ],
    }


def comparisons(extra: Sequence[tuple[str, str]] = (), *, fixed_levels: bool = True) -> list[dict[str, Any]]:
    swapped = [swapped_names_comparison()] if fixed_levels else []
    return _core_comparisons(fixed_levels) + swapped + [extra_comparison(n, c) for n, c in extra]


def swapped_names_comparison() -> dict[str, Any]:
    """Given name and surname written into each other's columns ("KOVALENKO OLEKSANDR" copied
    field by field). Its own comparison with fixed m and u -- random pairs practically never do
    this and EM blocks never contain such pairs: a swap in 1 of 200 true pairs, 1 in 10 million
    random pairs (+15.6 bits, about what two agreeing names give; the given-name and surname
    comparisons then say "different"). Otherwise ~0 bits, and the explanation omits it."""
    return {
        "output_column_name": "names_swapped",
        "comparison_description": "names swapped",
        "comparison_levels": [
            {
                "sql_condition": "g_can_l IS NULL OR g_can_r IS NULL OR s_can_l IS NULL OR s_can_r IS NULL",
                "label_for_charts": "a name missing on one side",
                "is_null_level": True,
            },
            _level(
                "g_can_l = s_can_r AND s_can_l = g_can_r",
                "given name and surname swapped between the columns",
                m_probability=SWAP_M,
                u_probability=SWAP_U,
                fix_m_probability=True,
                fix_u_probability=True,
            ),
            {
                "sql_condition": "ELSE",
                "label_for_charts": NOT_SWAPPED,
                "m_probability": 1 - SWAP_M,
                "u_probability": 1 - SWAP_U,
                "fix_m_probability": True,
                "fix_u_probability": True,
            },
        ],
    }


# A changed surname and a changed patronymic go together (an adoption gives both: the adoptive father's
# surname and name), so the two are not independent given a match: among true pairs, "both different" is
# far more common than the product of "surname different" and "patronymic different" (measured on the
# generated L pair: about 25 times). Fellegi-Sunter multiplies the two comparisons, so where the surname
# differs the patronymic is weighed inside the surname comparison (its levels below, m and u estimated
# jointly, by EM like every other level), and the patronymic comparison says nothing (its null level).
PATRONYMIC_AGREES_SQL = (
    "p_key_l = p_key_r OR list_has_any(p_grp_l, p_grp_r) OR jaro_winkler_similarity(p_key_l, p_key_r) >= 0.88"
    " OR jaro_winkler_similarity(p_grp_l[1], p_grp_r[1]) >= 0.88"
)
SURNAME_DIFFERS_SQL = (
    "s_key_l IS NOT NULL AND s_key_r IS NOT NULL AND NOT coalesce(s_can_l = s_can_r OR list_has_any(s_grp_l, s_grp_r)"
    " OR jaro_winkler_similarity(s_key_l, s_key_r) >= 0.8, false)"
)
SURNAME_CHANGED_PATRONYMIC_AGREES = "different surname, patronymic agrees (e.g. adoption)"
SURNAME_AND_PATRONYMIC_CHANGED = "different surname and patronymic (e.g. adoption by a new father)"
PATRONYMIC_WITH_SURNAME = "missing on one side, or weighed with a different surname"
_CHANGED_SURNAME_LEVELS = (
    _level(f"p_key_l IS NOT NULL AND p_key_r IS NOT NULL AND ({PATRONYMIC_AGREES_SQL})",
           SURNAME_CHANGED_PATRONYMIC_AGREES),
    _level("p_key_l IS NOT NULL AND p_key_r IS NOT NULL", SURNAME_AND_PATRONYMIC_CHANGED),
)


PATRONYMIC_MISSING_SQL = "p_key_l IS NULL OR p_key_r IS NULL"


def _null_or_changed_surname() -> dict[str, Any]:
    return {
        "sql_condition": f"{PATRONYMIC_MISSING_SQL} OR ({SURNAME_DIFFERS_SQL})",
        "label_for_charts": PATRONYMIC_WITH_SURNAME,
        "is_null_level": True,
    }


@dataclass(frozen=True)
class ConditionalU:
    """A comparison whose null level also holds the pairs where another comparison (``given``) differs, so that its
    u is the share of each level among the pairs where ``given`` does not differ -- for the patronymic given the
    surname about 1 in 80 random pairs, and its rarest level (same written patronymic) about 1 in 16,000: random
    sampling needs ~1.6 million pairs for 100 of them. Estimated instead in two strata (``engine._conditional_u``):
    the pairs with equal ``block`` values (same canonical surname: siblings share their father's name), counted;
    and the other pairs where ``given`` does not differ (its ``near_levels``, or ``given_missing`` on one side),
    in which the comparison is taken as independent of ``given`` (Fellegi-Sunter's own assumption) and counted
    from all pairs outside the block, weighed by that stratum's size (from ``given``'s own u)."""

    own_null: str  # the null level's condition without the part about ``given``
    given: str  # the other comparison (output column name)
    block: str  # feature column: pairs with equal values are the counted stratum (inside ``given``'s first level)
    near_levels: tuple[str, ...]  # labels of ``given``'s non-null levels where it does not differ
    given_missing: tuple[str, ...]  # feature columns: one missing on a side puts a pair in ``given``'s null level


CONDITIONAL_U: dict[str, ConditionalU] = {
    "patronymic": ConditionalU(PATRONYMIC_MISSING_SQL, "surname", "s_can", (SAME_NAME, TYPO, SIMILAR), ("s_key",)),
}


@dataclass(frozen=True)
class KeyedU:
    """A comparison whose levels before ``remainder`` hold only pairs that agree on one of ``keys`` (SQL over the
    ``_l`` and the ``_r`` columns): its u is counted exactly over every pair (``engine._keyed_u``) -- those levels
    over the distinct value pairs the key joins find, ``remainder`` (the level before the else level) from its
    count over all pairs less what the joined pairs hold, the else level as the rest. For the birth date the
    joined pairs are ~100,000 distinct value pairs at S, where random sampling needs ~2 million pairs (a swapped
    day and month is ~1 in 18,000 random pairs)."""

    keys: tuple[tuple[str, str], ...]
    remainder: str  # label of the level before the else level


BIRTH_YEAR_NEAR = "birth year equal or one year apart"
KEYED_U: dict[str, KeyedU] = {
    "birth_date": KeyedU(
        (
            ("dob_l", "dob_r"),
            ("dob_l", "dob_sw_r"),
            ("substr(dob_l, 1, 7)", "substr(dob_r, 1, 7)"),
            # one character differs (hamming <= 1 on equal-length ISO dates): equal once that character is left out
            *((f"substr(dob_l, 1, {i - 1}) || substr(dob_l, {i + 1})",
               f"substr(dob_r, 1, {i - 1}) || substr(dob_r, {i + 1})") for i in range(1, 11)),
        ),
        BIRTH_YEAR_NEAR,
    ),
}


# Term-frequency adjustment of the patronymic's agreeing levels; neither level is an equality on p_can,
# so the adjustment is relative to the level's own u.
_PATRONYMIC_TF: dict[str, Any] = {
    "tf_adjustment_column": "p_can",
    "tf_adjustment_weight": 1.0,
    "tf_minimum_u_value": 0.001,
    "disable_tf_exact_match_detection": True,
}


def _core_comparisons(fixed_levels: bool = True) -> list[dict[str, Any]]:
    return [
        _name_comparison(
            "given_name",
            "g_key",
            "g_grp",
            "g_can",
            group_label="one name: diminutive or variant form",
            else_label="different names",
            tf=True,
            fixed_levels=fixed_levels,
            canonical_typo=True,
        ),
        # The surname "else" level is NOT forced: its weight is learned by EM, so the share of
        # matches whose surname changed (adoption, new documents) makes it only mildly negative
        # while given name, patronymic and birth date carry the decision.
        _name_comparison(
            "surname",
            "s_key",
            "s_grp",
            "s_can",
            group_label="one surname: variant form",
            else_label="different surname (changed, e.g. adoption, or another family)",
            tf=True,
            merge_variants=True,
            before_else=_CHANGED_SURNAME_LEVELS,
        ),
        {
            "output_column_name": "patronymic",
            "comparison_description": "patronymic",
            "comparison_levels": [
                _null_or_changed_surname(),
                # Fathers' names are as concentrated as given names (Олександрович): both agreeing levels
                # weigh a common patronymic less than a rare one, by its frequency across scripts (p_can)
                _level("p_key_l = p_key_r", "same patronymic", **_PATRONYMIC_TF),
                _level(_intersect("p_grp"), "one patronymic: other language or transliteration", **_PATRONYMIC_TF),
                # a typo in either script: the written keys, or the canonical forms (first group keys:
                # "Александрови" -> aleksandrovi against Олександрович -> aleksandrovich)
                _level(f"{_jw('p_key', 0.88)} OR jaro_winkler_similarity(p_grp_l[1], p_grp_r[1]) >= 0.88",
                       "patronymic differs by a typo"),
                _else("different patronymics"),
            ],
        },
        {
            "output_column_name": "birth_date",
            "comparison_description": "birth date",
            "comparison_levels": [
                _null("dob_y"),
                _level("dob_l = dob_r", "same date"),
                _level("dob_l = dob_sw_r", "day and month swapped"),
                _level("hamming(dob_l, dob_r) <= 1", "one digit differs"),
                _level("substr(dob_l, 1, 7) = substr(dob_r, 1, 7)", "same month and year"),
                _level("abs(dob_y_l - dob_y_r) <= 1", BIRTH_YEAR_NEAR),
                _else("different dates"),
            ],
        },
        {
            "output_column_name": "sex",
            "comparison_description": "sex",
            "comparison_levels": [
                _null("sex"),
                _level("sex_l = sex_r", "same"),
                _else("different"),
            ],
        },
        {
            "output_column_name": "birth_place",
            "comparison_description": "birth place",
            "comparison_levels": [
                _null("place"),
                _level(
                    "place_l = place_r",
                    "same place",
                    tf_adjustment_column="place",
                    tf_adjustment_weight=1.0,
                    tf_minimum_u_value=0.001,
                ),
                _level(_jw("place", 0.9), "place spelled slightly differently"),
                _else("different places"),
            ],
        },
    ]


def prediction_blocking_rules() -> list[Any]:
    """Candidate pairs: any rule admits a pair (Splink de-duplicates across rules)."""
    from splink import block_on
    from splink.blocking_rule_library import CustomRule

    return [
        block_on("dob"),
        CustomRule("l.dob_sw = r.dob"),
        CustomRule("l.g_can = r.s_can AND l.s_can = r.g_can"),  # names swapped between columns
        # given-name group x surname group; common combinations refined by birth year (blocking.py)
        block_on("gs_blk", arrays_to_explode=["gs_blk"]),
        # surname typo (phonetic key still agrees) with a wrong or missing birth date
        block_on("gph_blk", arrays_to_explode=["gph_blk"]),  # given-name group x s_ph, refined as above
        # given-name typo or unknown form with a wrong or missing birth date
        block_on("sp_blk", arrays_to_explode=["sp_blk"]),
        # changed surname together with a wrong birth date
        block_on("g_grp", "p_grp", "dob_y", arrays_to_explode=["g_grp", "p_grp"]),
        # a wrong birth year (a digit of it, e.g. 2013 / 2017) with a typo in the surname, or with common names whose
        # name-group block above is refined by the year: day and month still agree, with two of given name,
        # patronymic and birth place (small blocks: together ~6 pairs per left record at 20k x 700k)
        block_on("g_can", "p_can", DAY_AND_MONTH),
        block_on("g_can", "place", DAY_AND_MONTH),
        block_on("p_can", "place", DAY_AND_MONTH),
        # a birth date missing on one side with a typo in the surname: given name, patronymic and birth place
        CustomRule(
            "l.g_can = r.g_can AND l.p_can = r.p_can AND l.place = r.place AND (l.dob IS NULL OR r.dob IS NULL)"
        ),
    ]


DAY_AND_MONTH = "substr(dob, 6, 5)"
"""Day and month of the birth date (``MM-DD`` of the ``YYYY-MM-DD`` column), a blocking key without the year."""


def training_blocking_rules() -> list[list[Any]]:
    """EM passes: each rule trains the comparisons it does not block on.

    Each rule must keep the share of true pairs in its block high even when one list is much
    longer than the other (EM on a block of mostly non-matches drifts; a single key such as
    the birth date gives ~1 % matches at 20k x 700k). Together they train every comparison.

    Each pass lists alternatives, tried in order while a rule finds no pairs (e.g. lists
    without patronymics).
    """
    from splink import block_on

    return [
        # trains surname, patronymic, sex, birth place
        [block_on("dob", "g_can"), block_on("dob", "s_can"), block_on("dob")],
        # trains given name, sex, birth place (the birth date's own columns include dob_y)
        [block_on("s_can", "p_key", "dob_y"), block_on("s_can", "dob_y"), block_on("s_can")],
        # trains the birth date, sex, birth place
        [block_on("g_can", "s_can", "p_key"), block_on("g_can", "s_can")],
    ]


# Canonical key of each core comparison: what a refit block fixes for the others.
_REFIT_KEYS = {"given_name": "g_can", "surname": "s_can", "patronymic": "p_key", "birth_date": "dob"}


def refit_blocking_rules(comparison: str) -> list[Any]:
    """Higher-precision blocks to refit one comparison on after EM gave it implausible values:
    the canonical keys of the other core comparisons together (tried in order while a block finds
    no pairs). A block never fixes the comparison's own columns, so EM estimates it there. Used on
    a model without the fixed levels (whose twin guard reads the birth date)."""
    from splink import block_on

    others = [k for c, k in _REFIT_KEYS.items() if c != comparison]
    out = [block_on(*others)]
    if "p_key" in others:  # lists without patronymics
        out.append(block_on(*[k for k in others if k != "p_key"]))
    if comparison == "birth_date":  # two name keys alone: add the place for precision first
        out.insert(0, block_on(*others, "place"))
    return out


# Blocks on which candidate models are compared (mixture likelihood); each leaves out the
# comparisons it fixes. Neither is an EM training block as a whole.
EVALUATION_BLOCKS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("dob",), ("birth_date",)),
    (("g_can", "s_can"), ("given_name", "surname", "names_swapped")),
)


def settings(
    link_type: str,
    extra: Sequence[tuple[str, str]] = (),
    extra_blocking: Sequence[str | Sequence[str]] = (),
    *,
    fixed_levels: bool = True,
) -> dict[str, Any]:
    """Splink settings; ``extra`` = (title, feature column) of optional extra identifiers,
    ``extra_blocking`` = further blocking keys over feature columns (a column, or columns that must all agree)."""
    from splink import block_on

    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons(extra, fixed_levels=fixed_levels),
        "blocking_rules_to_generate_predictions": prediction_blocking_rules() + [
            block_on(*([c] if isinstance(c, str) else c)) for c in extra_blocking
        ],
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": True,
        "em_convergence": 0.001,
        "max_iterations": 25,
    }
