"""Ledger page and JSON endpoints.  Every signed-in role may read the ledger: every entry is a sealed
commitment; what an entry is about (kind, party, object) is shown only to whoever may open it
(``access.may_open``: the mediator's team and auditors, or the entry's own party).  The JSON shapes
are built in ``payloads`` and shared with the ninja router in ``api``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from homeward import access
from homeward.ledger import payloads, service, storage
from homeward.ledger.errors import LedgerError
from homeward.ledger.models import Checkpoint, Cosignature, LedgerEntry
from homeward.pagination import MAX_INT
from homeward.ui.rows import ledger_rows

View = Callable[..., HttpResponse]


def _json_login_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse({"detail": "Authentication required."}, status=401)
        try:
            return view(request, *args, **kwargs)
        except payloads.NotFound as exc:
            return JsonResponse({"detail": str(exc)}, status=404)
        except (LedgerError, ValueError) as exc:
            return JsonResponse({"detail": str(exc)}, status=400)

    return wrapped


def _int(request: HttpRequest, name: str, default: int | None = None) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        if default is None:
            raise ValueError(f"query parameter {name!r} is required")
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"query parameter {name!r} must be an integer") from None
    if not -1 <= value <= MAX_INT:
        raise ValueError(f"query parameter {name!r} must be between -1 and {MAX_INT}")
    return value


@require_GET
@_json_login_required
def checkpoint_json(request: HttpRequest) -> HttpResponse:
    return JsonResponse(payloads.checkpoint())


@require_GET
@_json_login_required
def inclusion_json(request: HttpRequest) -> HttpResponse:
    return JsonResponse(payloads.inclusion(_int(request, "index"), _int(request, "size", -1), request.user))


@require_GET
@_json_login_required
def consistency_json(request: HttpRequest) -> HttpResponse:
    return JsonResponse(payloads.consistency(_int(request, "old"), _int(request, "new", -1), request.user))


@require_GET
@_json_login_required
def entries_json(request: HttpRequest) -> HttpResponse:
    start = _int(request, "start", 0)
    return JsonResponse(payloads.entries(start, _int(request, "end", start + payloads.MAX_ENTRIES), request.user))


@login_required
@require_http_methods(["GET", "POST"])
def ledger_page(request: HttpRequest) -> HttpResponse:
    result: dict[str, Any] | None = None
    if request.method == "POST":
        result = _verify()
    cp = service.latest_checkpoint()
    visible = service.visible_size(request.user)
    entries = LedgerEntry.objects.filter(index__lt=visible).order_by("-index").only(
        "index", "kind", "party_code", "object_type", "object_id", "recorded_at", "leaf_hash"
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    # Each row's values computed here once, not by per-row template work ({% url %}, truncatechars).
    inclusion = reverse("ledger:inclusion")
    whole = access.reads_whole_ledger(request.user)  # the viewer's role once, not once a row
    rows = []
    for e in page.object_list:  # not the page itself: a Sequence, iterated an index at a time
        e.short_hash = _short_hash(bytes(e.leaf_hash))  # type: ignore[attr-defined]
        e.inclusion_url = f"{inclusion}?index={e.index}"  # type: ignore[attr-defined]
        rows.append((e, whole or access.may_open(request.user, e.party_code)))
    return render(
        request,
        "ledger/ledger.html",
        {
            "size": visible,
            "checkpoint": cp,
            "checkpoint_text": service.checkpoint_note(cp) if cp else "",
            "cosignatures": list(cp.cosignatures.all()) if cp else [],
            "log_key": service.log_verifier().vkey,
            "party_keys": service.party_keys(),
            "page": page,
            "rows": rows,
            "entry_rows": ledger_rows(rows, cp.size if cp else None),
            "result": result,
        },
    )


def _short_hash(leaf: bytes) -> str:
    """A leaf hash as the entries table shows it: its first 16 hex digits and an ellipsis (as ``truncatechars:17``
    did)."""
    text = leaf.hex()
    return text if len(text) <= 17 else text[:16] + "\u2026"


FULL_VERIFY_LIMIT = 50_000


def _verify() -> dict[str, Any]:
    """Full recomputation for small ledgers, the quick check beyond; cached for a minute."""
    from homeward.ledger.verify import verify_ledger

    size = storage.current_size()
    full = size <= FULL_VERIFY_LIMIT
    key = f"ledger-verify:{size}:{Checkpoint.objects.count()}:{Cosignature.objects.count()}"
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    try:
        report = verify_ledger(full=full)
        result: dict[str, Any] = {"ok": True, "full": full, "size": report.size, "checkpoints": report.checkpoints}
    except LedgerError as exc:
        result = {"ok": False, "full": full, "problem": str(exc)}
    cache.set(key, result, 60)
    return result
