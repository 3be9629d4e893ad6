"""The one wall around Splink's private API.

Every use of a Splink internal (``linker._settings_obj``, comparison-level internals,
``splink.internals.*``) goes through a function here, so that a Splink upgrade breaks in one
place, and ``tests/test_linkage_splink_wall.py`` says which internal went missing. Splink is
pinned in ``pyproject.toml`` to the minor version these are tested with (``SPLINK_MINOR``).
Public Splink API (``Linker``, ``DuckDBAPI``, ``SettingsCreator``, ``block_on``, ``linker.training``,
``linker.inference``...) is used directly elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

SPLINK_MINOR = (5, 0)

# (object kind, attribute) pairs this module relies on; checked by the wall test.
LINKER_INTERNALS = (
    "_settings_obj",
    "_populate_probability_two_random_records_match_from_trained_values",
    "_populate_m_u_from_trained_values",
)
SETTINGS_INTERNALS = (
    "_probability_two_random_records_match",
    "comparisons",
    "training_settings",
    "core_model_settings",
)
COMPARISON_INTERNALS = ("output_column_name", "comparison_levels", "_comparison_levels_excluding_null")
LEVEL_INTERNALS = (
    "comparison_vector_value",
    "label_for_charts",
    "is_null_level",
    "_fix_u_probability",
    "_trained_u_probabilities",
    "_trained_m_probabilities",
    "_add_trained_u_probability",
    "_add_trained_m_probability",
    "m_probability",
    "u_probability",
)


LEVEL_NOT_OBSERVED = "level not observed in training dataset"
"""What Splink records as the trained u of a level no pair fell into (``splink.internals.constants``)."""


def em_training_exception() -> type[Exception]:
    """The exception Splink raises when an EM blocking rule finds no pairs."""
    from splink.internals.exceptions import EMTrainingException

    return EMTrainingException


def settings(linker: Any) -> Any:
    return linker._settings_obj


def prior(linker: Any) -> float:
    return float(linker._settings_obj._probability_two_random_records_match)


def set_prior(linker: Any, p: float) -> None:
    linker._settings_obj._probability_two_random_records_match = p


def prior_from_trained_values(linker: Any) -> None:
    """Set the prior from the EM sessions' trained values (Splink's own averaging)."""
    linker._populate_probability_two_random_records_match_from_trained_values()


def populate_m_u(linker: Any) -> None:
    """Recompute every level's m and u from its trained values."""
    linker._populate_m_u_from_trained_values()


def training_settings(linker: Any) -> Any:
    return linker._settings_obj.training_settings


def set_training_settings(linker: Any, value: Any) -> None:
    linker._settings_obj.training_settings = value


def core_model_settings(linker: Any) -> Any:
    """A copy of the comparisons' state, to restore after a failed EM pass."""
    return linker._settings_obj.core_model_settings.copy()


def restore_core_model_settings(linker: Any, saved: Any) -> None:
    linker._settings_obj.core_model_settings = saved


def comparisons(linker: Any) -> list[Any]:
    return list(linker._settings_obj.comparisons)


def comparison_name(cc: Any) -> str:
    return str(cc.output_column_name)


def levels(cc: Any, *, with_null: bool = True) -> list[Any]:
    return list(cc.comparison_levels if with_null else cc._comparison_levels_excluding_null)


def level_key(cl: Any) -> tuple[int, str, bool]:
    """(comparison vector value, chart label, is the null level)."""
    return int(cl.comparison_vector_value), str(cl.label_for_charts), bool(cl.is_null_level)


def level_m_u(cl: Any) -> tuple[float | None, float | None]:
    """The level's current m and u (None if not estimated)."""
    m, u = cl.m_probability, cl.u_probability
    return (None if m is None else float(m), None if u is None else float(u))


def set_m(cl: Any, probability: float) -> None:
    """Set a level's m (a candidate model chosen after EM)."""
    cl.m_probability = probability


def m_is_fixed(cl: Any) -> bool:
    return bool(cl._fix_m_probability)


def u_is_fixed(cl: Any) -> bool:
    return bool(cl._fix_u_probability)


def m_is_trained(cl: Any) -> bool:
    """Whether any EM session produced an m for this level (an untrained level keeps its default)."""
    return any(isinstance(t.get("probability"), int | float) for t in cl._trained_m_probabilities)


def trained_u(cl: Any) -> Iterator[tuple[float, str]]:
    for t in cl._trained_u_probabilities:
        yield t["probability"], t["description"]


def add_trained_u(cl: Any, probability: float | str, description: str) -> None:
    cl._add_trained_u_probability(probability, description)


def add_trained_m(cl: Any, probability: float, description: str) -> None:
    cl._add_trained_m_probability(probability, description)


def check() -> list[str]:
    """Names of the internals above that this Splink no longer has (empty when all is well).

    Built on a throw-away two-record linker so that instance attributes are checked too."""
    import splink
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    from splink import comparison_library as cl

    missing: list[str] = []
    major_minor = tuple(int(x) for x in splink.__version__.split(".")[:2])
    if major_minor != SPLINK_MINOR:
        missing.append(f"splink {splink.__version__} is not the tested {SPLINK_MINOR[0]}.{SPLINK_MINOR[1]}")
    try:
        em_training_exception()
    except ImportError:
        missing.append("splink.internals.exceptions.EMTrainingException")
    from splink.internals import constants

    if getattr(constants, "LEVEL_NOT_OBSERVED_TEXT", None) != LEVEL_NOT_OBSERVED:
        missing.append("splink.internals.constants.LEVEL_NOT_OBSERVED_TEXT")
    import pandas as pd

    db_api = DuckDBAPI()
    table = db_api.register(pd.DataFrame({"unique_id": [1, 2], "a": ["x", "y"]}))
    creator = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[cl.ExactMatch("a")],
        blocking_rules_to_generate_predictions=[block_on("a")],
    )
    linker = Linker(table, creator, log_level=None)
    missing += [f"Linker.{a}" for a in LINKER_INTERNALS if a not in dir(linker)]
    s = getattr(linker, "_settings_obj", None)
    if s is None:
        return missing
    missing += [f"Settings.{a}" for a in SETTINGS_INTERNALS if a not in dir(s)]
    for cc in getattr(s, "comparisons", []):
        missing += [f"Comparison.{a}" for a in COMPARISON_INTERNALS if a not in dir(cc)]
        for lvl in getattr(cc, "comparison_levels", []):
            missing += [f"ComparisonLevel.{a}" for a in LEVEL_INTERNALS if a not in dir(lvl)]
    return sorted(set(missing))
