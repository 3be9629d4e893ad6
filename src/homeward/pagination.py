"""Bounded pages for every API list: ``limit`` 1–1000 (default 100) and ``offset`` 0–1,000,000,000.

django-ninja's ``LimitOffsetPagination`` leaves ``offset`` unbounded and ``limit`` capped only by the setting
``NINJA_PAGINATION_MAX_LIMIT``; a value past the database's integer range (``?limit=10**21``) reached the
query and answered 500. Here both are checked before any query: out of range is a 422 naming the parameter.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
MAX_OFFSET = 1_000_000_000
MAX_INT = 2**31 - 1  # the largest id or index a query parameter may carry (a 32-bit column's range)


class Pagination(LimitOffsetPagination):
    """``LimitOffsetPagination`` with both parameters bounded (see the module)."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT} items.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
