"""CPU, queries and Python calls of the job worker's continuous matching (``registry.continuous.match``), in-process
on an installation's data (e.g. one ``benchmarks/load/run.py --keep`` left), optionally A/B against another
version of the module (alternating, so that a busy machine slows both alike).

    HOMEWARD_HOME=... HOMEWARD_DATABASE_URL=postgres://... \\
      .venv/bin/python benchmarks/jobs_continuous.py --records 40 --rounds 3 [--against OLD_continuous.py]
    ... --profile 25          # cProfile of one pass: the 25 functions with the most own time

The records matched are the installation's newest children and open tracing requests (a load run's
registrations). Matching is idempotent, so each pass finds the pairs the first one stored (updates only).
Prints, per version: CPU per record (minimum and median of the passes' means), wall time per record (median of the
passes' means: the job's own CPU and its waits on the database), queries per record (median) and Python calls per
record (deterministic).
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    import django

    django.setup()


def _load(path: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location("continuous_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _records(n: int) -> list[tuple[str, int]]:
    from homeward.registry.models import Child, TracingRequest

    children = list(Child.objects.order_by("-pk").values_list("pk", flat=True)[: n - n // 3])
    requests = list(TracingRequest.objects.filter(status="open").order_by("-pk").values_list("pk", flat=True)[: n // 3])
    return [("child", pk) for pk in children] + [("tracing_request", pk) for pk in requests]


def _pass(module: Any, records: list[tuple[str, int]]) -> tuple[float, float, list[int]]:
    """One match of each record: CPU and wall seconds per record, and each match's queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queries = []
    t, w = time.process_time(), time.perf_counter()
    for kind, pk in records:
        with CaptureQueriesContext(connection) as ctx:
            module.match(kind, pk)
        queries.append(len(ctx.captured_queries))
    return (time.process_time() - t) / len(records), (time.perf_counter() - w) / len(records), queries


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--against", default="", help="another continuous.py to compare with (e.g. main's)")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="print the N costliest functions")
    args = ap.parse_args()
    _setup()
    from homeward.registry import continuous

    versions: dict[str, Any] = {"this": continuous}
    if args.against:
        versions["against"] = _load(args.against)
    records = _records(args.records)
    for module in versions.values():  # warm: caches, the model, the first pass's writes
        _pass(module, records)
    cpu: dict[str, list[float]] = {k: [] for k in versions}
    wall: dict[str, list[float]] = {k: [] for k in versions}
    queries: dict[str, list[int]] = {k: [] for k in versions}
    for _ in range(args.rounds):
        for name, module in versions.items():
            seconds, wall_seconds, q = _pass(module, records)
            cpu[name].append(seconds)
            wall[name].append(wall_seconds)
            queries[name] += q
    children = sum(k == "child" for k, _ in records)
    print(f"{len(records)} records ({children} children), {args.rounds} rounds alternating")
    for name, module in versions.items():
        prof = cProfile.Profile()
        prof.enable()
        _pass(module, records)
        prof.disable()
        stats = pstats.Stats(prof)
        calls = int(sum(s[1] for s in stats.stats.values()))  # type: ignore[attr-defined]
        print(f"  {name:8s} CPU per record min {min(cpu[name]) * 1000:6.1f} ms, median"
              f" {statistics.median(cpu[name]) * 1000:6.1f} ms; wall median"
              f" {statistics.median(wall[name]) * 1000:6.1f} ms; queries per record (median)"
              f" {statistics.median(queries[name]):.0f}; Python calls per record {calls // len(records):,}"
              f"  ({Path(module.__file__ or '').resolve()})")
        if args.profile:
            stats.sort_stats("tottime").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
