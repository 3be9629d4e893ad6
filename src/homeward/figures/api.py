"""``/api/v1/figures/``: the public aggregates, and claim extraction for authenticated callers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router

from homeward.figures import services
from homeward.figures.extract import extract
from homeward.schema import Schema

router = Router(tags=["figures"])


class ExtractIn(Schema):
    text: str
    published: dt.date | None = None
    outlet: str | None = None


class ClaimOut(Schema):
    value: float | None
    qualifier: str
    quantity: str
    direction: str
    claimant: str | None
    as_of: str | None
    scope: str
    start: int
    end: int
    text: str
    trace: dict[str, Any]


@router.get("/stats", auth=None, summary="Public figures with source and as-of date (small counts withheld)")
def stats(request: HttpRequest) -> dict[str, Any]:
    return services.stats_body()


@router.post("/extract", response=list[ClaimOut], summary="Numeric claims in a text (nothing is stored)")
def extract_claims(request: HttpRequest, payload: ExtractIn) -> list[dict[str, Any]]:
    return [c.to_dict() for c in extract(payload.text[:200_000], published=payload.published,
                                         outlet=payload.outlet) if c.value is not None]
