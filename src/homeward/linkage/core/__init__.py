"""Homeward's matcher core: pure Python (no Django), Splink 5 on DuckDB.

>>> from homeward.linkage.core import link
>>> result = link(ua_records, ru_records)          # doctest: +SKIP
>>> for pair in result.links:                      # doctest: +SKIP
...     print(pair.left_id, pair.right_id, pair.match_probability, pair.explanation)
"""

from .engine import (
    MIN_TRAINING_PAIRS,
    AmbiguousPair,
    DedupeResult,
    Link,
    LinkageError,
    LinkResult,
    Progress,
    Reason,
    dedupe,
    link,
    reference_model,
)
from .features import INPUT_COLUMNS, to_features
from .readers import InputError, read_records

__all__ = [
    "INPUT_COLUMNS",
    "MIN_TRAINING_PAIRS",
    "AmbiguousPair",
    "DedupeResult",
    "InputError",
    "Link",
    "LinkResult",
    "LinkageError",
    "Progress",
    "Reason",
    "dedupe",
    "link",
    "read_records",
    "reference_model",
    "to_features",
]
