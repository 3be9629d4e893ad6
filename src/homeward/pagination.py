"""Bounded pages for every API list: ``limit`` 1–1000 (default 100) and ``offset`` 0–1,000,000,000.

django-ninja's ``LimitOffsetPagination`` leaves ``offset`` unbounded and ``limit`` capped only by the setting
``NINJA_PAGINATION_MAX_LIMIT``; a value past the database's integer range (``?limit=10**21``) reached the
query and answered 500. Here both are checked before any query: out of range is a 422 naming the parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
MAX_OFFSET = 1_000_000_000
MAX_INT = 2**31 - 1  # the largest ledger index a query parameter may carry (a 32-bit column's range)


class Pagination(LimitOffsetPagination):
    """``LimitOffsetPagination`` with both parameters bounded (see the module)."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT} items.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class SerialisedPage:
    """A queryset (or ranked search results) that serialises only the slice the paginator takes.

    ``serialise`` turns one record into its payload; ``serialise_page`` instead takes the page's records at once
    (for payloads made with a few queries for the whole page). With ``request``, the page carries personal
    data: it is written as one audited read of its records.
    """

    def __init__(self, qs: Any, serialise: Callable[[Any], dict[str, Any]] | None = None,
                 request: HttpRequest | None = None, *,
                 serialise_page: Callable[[list[Any]], list[dict[str, Any]]] | None = None) -> None:
        if (serialise is None) == (serialise_page is None):
            raise TypeError("give serialise or serialise_page")
        self.qs, self.request = qs, request
        self.serialise_page = serialise_page or (lambda rows: [serialise(obj) for obj in rows])  # type: ignore[misc]

    def count(self) -> int:
        return int(self.qs.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        rows = list(self.qs[index])
        if self.request is not None:
            from homeward.accounts import audit

            model = getattr(self.qs, "model", None) or self.qs.scope.model  # a queryset, or ranked search results
            audit.read(self.request, model._meta.model_name or "", [r["id"] if isinstance(r, dict) else r
                                                                    for r in rows], via="api")
        return self.serialise_page(rows)
