"""Opaque primary keys: a random integer in ``[2**32, 2**53)`` for every record a party can see.

Sequential ids let a party count the other party's records from the gaps between its own (issue 13, the
ledger row): a UA officer who registers children 1041 and 1047 learns that five records were made in between.
A random id says nothing about how many records exist or in which order they were made.

Why 53 bits: JavaScript numbers (and many JSON parsers) hold integers exactly only up to ``2**53``; an API
consumer must get the id it sent back. Why at least ``2**32``: a new id never falls among the small sequential
ids that rows made before this change keep, and never fits a 32-bit column by accident. With about 9·10^15
values a collision is rare (one in a million after ~130,000 records of a model); ``save()`` would then fail
on the primary key's uniqueness, which the caller's transaction reports as any integrity error.

Ordering: an id no longer says which record is newer. Lists that show "newest first" order by a time column
and use the id only as a tiebreak.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models

LOW = 2**32
HIGH = 2**53


def new_id() -> int:
    """A fresh random id, uniform in ``[2**32, 2**53)`` (``secrets``: not predictable from earlier ids)."""
    return LOW + secrets.randbelow(HIGH - LOW)


def OpaqueIdField(**kwargs: Any) -> models.BigIntegerField[Any, Any]:  # noqa: N802 - reads as a field class
    """The primary key of a party-visible model: ``id = OpaqueIdField()``."""
    return models.BigIntegerField(primary_key=True, default=new_id, editable=False, verbose_name="ID", **kwargs)
