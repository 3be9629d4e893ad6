"""The ledger under ``/api/v1/ledger/``: the same answers as ``/ledger/…``, with schemas.

Every authenticated user may read it: every entry's sealed bytes, every proof and checkpoint. An
entry's ``opening`` (what it is about) is given only to whoever may open it (``access.may_open``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import P, QueryEx, Router, Status
from ninja.errors import HttpError

from homeward.ledger import payloads
from homeward.ledger.errors import LedgerError
from homeward.pagination import MAX_INT
from homeward.schema import Schema

router = Router(tags=["ledger"])


class Problem(Schema):
    detail: str


class CosignatureOut(Schema):
    party: str
    key_name: str
    key_id: str
    timestamp: int


class CheckpointOut(Schema):
    origin: str
    size: int
    root: str
    checkpoint: str
    log_key: str
    created_at: str
    cosignatures: list[CosignatureOut]


class OpeningOut(Schema):
    meta: str
    salt: str


class InclusionOut(Schema):
    index: int
    tree_size: int
    entry: str
    leaf_hash: str
    proof: list[str]
    opening: OpeningOut | None = None


class ConsistencyOut(Schema):
    old_size: int
    new_size: int
    proof: list[str]


class EntryOut(Schema):
    index: int
    entry: str
    leaf_hash: str
    opening: OpeningOut | None = None


class EntriesOut(Schema):
    start: int
    end: int
    entries: list[EntryOut]


def _answer(build: Any, *args: Any) -> Any:
    try:
        return build(*args)
    except payloads.NotFound as exc:
        raise HttpError(404, str(exc)) from None
    except LedgerError as exc:
        raise HttpError(400, str(exc)) from None


@router.get("/checkpoint", response=CheckpointOut, summary="Latest signed checkpoint with cosignatures")
def checkpoint(request: HttpRequest) -> Any:
    return _answer(payloads.checkpoint)


@router.get("/proof/inclusion", response=InclusionOut, summary="Inclusion proof of one entry")
def inclusion(request: HttpRequest, index: QueryEx[int, P(ge=0, le=MAX_INT)],
              size: QueryEx[int, P(ge=-1, le=MAX_INT)] = -1) -> Any:
    """``size`` defaults to the latest checkpoint's size. Hashes and entry bytes are base64.

    An ``opening`` (the metadata as text, its salt in base64) comes with it for an entry you may open."""
    return _answer(payloads.inclusion, index, size, request.user)


@router.get("/proof/consistency", response=ConsistencyOut, summary="Consistency proof between two sizes")
def consistency(request: HttpRequest, old: QueryEx[int, P(ge=0, le=MAX_INT)],
                new: QueryEx[int, P(ge=-1, le=MAX_INT)] = -1) -> Any:
    """``new`` defaults to the latest checkpoint's size."""
    return _answer(payloads.consistency, old, new, request.user)


@router.get("/entries", response=EntriesOut, summary="Entries as stored (at most 1000)")
def entries(request: HttpRequest, start: QueryEx[int, P(ge=0, le=MAX_INT)] = 0,
            end: QueryEx[int | None, P(ge=0, le=MAX_INT)] = None) -> Any:
    """Sealed bytes of every entry; your own party's entries also carry their ``opening``."""
    return _answer(payloads.entries, start, end if end is not None else start + payloads.MAX_ENTRIES, request.user)


class CosignatureIn(Schema):
    party: str
    size: int
    line: str


class CosignatureStored(Schema):
    party: str
    size: int
    key_name: str
    key_id: str
    timestamp: int


@router.post(
    "/cosignatures",
    response={201: CosignatureStored, 404: Problem, 422: Problem},
    summary="Submit your party's cosignature of a checkpoint",
)
def submit_cosignature(request: HttpRequest, payload: CosignatureIn) -> Any:
    """Posted by a party's witness (``homeward ledger cosign --url …``) after it checked the checkpoint.

    Only an officer of that party may submit it (anyone else: 404, ``access.cosigns_for``), and the line must
    verify with the party's current key.
    """
    from homeward import access
    from homeward.ledger import service
    from homeward.ledger.models import Checkpoint

    access.require(access.cosigns_for(request.user, payload.party))
    cp = Checkpoint.objects.filter(size=payload.size).order_by("-id").first()
    if cp is None:
        return Status(404, {"detail": f"No checkpoint of size {payload.size}."})
    try:
        cos = service.add_cosignature(cp, payload.party, payload.line.rstrip("\n") + "\n")
    except LedgerError as exc:
        return Status(422, {"detail": str(exc)})
    return Status(
        201,
        {
            "party": cos.party_code,
            "size": cp.size,
            "key_name": cos.key_name,
            "key_id": cos.key_id,
            "timestamp": cos.timestamp,
        },
    )
