"""``/healthz``: is this installation able to do its work? JSON for monitors, with no personal data.

Four checks, each ``{"ok": bool, ...}`` with ages in seconds and sizes in bytes, nothing else:

- ``database``: a ``SELECT 1`` on the default connection answers.
- ``worker``: some worker's heartbeat is fresher than ``jobs.worker.STALE_AFTER`` (with the task queue off,
  as in tests, jobs run inline and the check passes with ``"mode": "inline"``).
- ``checkpoint``: the age of the newest signed ledger checkpoint; it fails when a ledger entry has waited
  for a checkpoint longer than twice the signing interval plus a minute (a log that stands still for days
  needs no new checkpoint, so an old checkpoint alone is no failure).
- ``disk``: free space under ``$HOMEWARD_HOME`` is at least ``HOMEWARD_MIN_FREE_DISK_MB`` (default 500).

The answer is 200 when every check passes and 503 otherwise, so a load balancer or ``curl -f`` can use it.
It needs no login and says nothing a stranger could use about records: no counts, names or parties.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means the database is not usable
        return {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor}


def _worker(now: Any) -> dict[str, Any]:
    from homeward.jobs.models import WorkerHeartbeat
    from homeward.jobs.worker import STALE_AFTER

    if not getattr(settings, "BACKGROUND_JOBS", True):
        return {"ok": True, "mode": "inline"}
    beat = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if beat is None:
        return {"ok": False, "mode": "queue", "heartbeat_age_s": None, "workers": 0}
    age = (now - beat).total_seconds()
    alive = WorkerHeartbeat.objects.filter(beat_at__gte=now - dt.timedelta(seconds=STALE_AFTER)).count()
    return {"ok": age <= STALE_AFTER, "mode": "queue", "heartbeat_age_s": round(age, 1), "workers": alive}


def _checkpoint(now: Any) -> dict[str, Any]:
    from homeward.ledger.models import Checkpoint, LedgerEntry

    interval = int(getattr(settings, "LEDGER_CHECKPOINT_INTERVAL", 300))
    allowed = 2 * interval + 60
    latest = Checkpoint.objects.order_by("-id").values_list("created_at", "size").first()
    covered = latest[1] if latest else 0
    # The oldest entry no checkpoint covers yet: it must not wait longer than the allowed age.
    waiting = LedgerEntry.objects.filter(index__gte=covered).order_by("index").values_list(
        "recorded_at", flat=True).first()
    wait = (now - waiting).total_seconds() if waiting is not None else 0.0
    return {"ok": wait <= allowed, "age_s": round((now - latest[0]).total_seconds(), 1) if latest else None,
            "uncovered_wait_s": round(wait, 1), "max_wait_s": allowed}


def _disk() -> dict[str, Any]:
    minimum = int(os.environ.get("HOMEWARD_MIN_FREE_DISK_MB", "500")) * 1024 * 1024
    try:
        usage = shutil.disk_usage(settings.HOME)
    except OSError as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": usage.free >= minimum, "free_bytes": usage.free, "min_free_bytes": minimum}


def report() -> dict[str, Any]:
    """Every check; ``status`` is ``ok`` when all pass, else ``fail``."""
    now = timezone.now()
    checks: dict[str, dict[str, Any]] = {"database": _database()}
    if checks["database"]["ok"]:
        checks["worker"] = _worker(now)
        checks["checkpoint"] = _checkpoint(now)
    else:
        checks["worker"] = {"ok": False, "error": "database unavailable"}
        checks["checkpoint"] = {"ok": False, "error": "database unavailable"}
    checks["disk"] = _disk()
    return {"status": "ok" if all(c["ok"] for c in checks.values()) else "fail", "checks": checks}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    body = report()
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
