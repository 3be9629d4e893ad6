"""Ledger benchmark: append throughput, and proof latency at a million entries.

Run::

    .venv/bin/python benchmarks/ledger/bench_ledger.py                 # 1,000,000 entries, SQLite in a temp dir
    .venv/bin/python benchmarks/ledger/bench_ledger.py --entries 100000 --verify

Targets (issue): batched append >= 5,000 entries/s on SQLite; inclusion and consistency proofs at
1,000,000 entries < 5 ms each.  Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _setup(home: Path) -> None:
    os.environ["HOMEWARD_HOME"] = str(home)
    os.environ["HOMEWARD_TESTING"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def _ms(samples: list[float]) -> str:
    samples = sorted(samples)
    p50 = statistics.median(samples) * 1000
    p99 = samples[int(len(samples) * 0.99) - 1] * 1000
    return f"median {p50:.2f} ms, p99 {p99:.2f} ms, max {samples[-1] * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--verify", action="store_true", help="Also time a full `ledger verify`.")
    parser.add_argument("--home", type=Path, help="Data directory (default: a fresh temporary one).")
    args = parser.parse_args()

    home = args.home or Path(tempfile.mkdtemp(prefix="homeward-bench-ledger-"))
    _setup(home)
    from django.db import connection

    from homeward.ledger import merkle, service, storage

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"ledger benchmark: {connection.vendor}, data in {home}, {os.cpu_count()} CPUs, load average {load:.1f}")
    print("(entries/s by wall clock, and by this process's CPU time: the latter is what a quiet machine gets)")

    def records(n: int, offset: int) -> list[service.Record]:
        return [
            service.Record(
                "case_transition", None, "UA", "registry.case", offset + i, {"case": offset + i, "to": "verified"}
            )
            for i in range(n)
        ]

    # 1. Single-entry appends (each in its own transaction), for reference.
    start = storage.current_size()
    t0, c0 = time.perf_counter(), time.process_time()
    n_single = 500
    for i in range(n_single):
        service.record(
            "case_transition", actor=None, party_code="UA", object_type="registry.case", object_id=i, content={"i": i}
        )
    single = n_single / (time.perf_counter() - t0)
    single_cpu = n_single / (time.process_time() - c0)
    print(f"append, one entry per transaction:   {single:,.0f} entries/s wall, {single_cpu:,.0f} CPU ({n_single})")

    # 2. Batched appends up to the target size.
    total = args.entries
    done = storage.current_size()
    t0, c0 = time.perf_counter(), time.process_time()
    first_batches: list[float] = []
    while done < total:
        n = min(args.batch, total - done)
        tb = time.perf_counter()
        service.record_many(records(n, done))
        if len(first_batches) < 5:
            first_batches.append(n / (time.perf_counter() - tb))
        done += n
        if done % 100_000 < args.batch:
            rate = (done - start - n_single) / (time.perf_counter() - t0)
            print(f"  {done:>9,} entries  {rate:,.0f} entries/s", flush=True)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    appended = done - start - n_single
    if appended:
        print(
            f"append, batched ({args.batch}/batch):      {appended / elapsed:,.0f} entries/s wall, "
            f"{appended / cpu:,.0f} CPU ({appended:,} entries in {elapsed:.1f} s; "
            f"first batches {min(first_batches):,.0f} entries/s wall)"
        )

    size = storage.current_size()
    t0 = time.perf_counter()
    cp = service.make_checkpoint()
    assert cp is not None
    print(f"checkpoint at {size:,} entries:        {(time.perf_counter() - t0) * 1000:.1f} ms")
    root = bytes(cp.root)

    # 3. Proof latency at full size (read from storage, as the endpoints do).
    rng = random.Random(7)
    incl: list[float] = []
    incl_cpu: list[float] = []
    for _ in range(args.samples):
        index = rng.randrange(size)
        t0, c0 = time.perf_counter(), time.process_time()
        proof = storage.inclusion_proof(index, size)
        incl.append(time.perf_counter() - t0)
        incl_cpu.append(time.process_time() - c0)
    leaf = merkle.leaf_hash(storage.entry_bytes(index, index + 1)[0])
    merkle.verify_inclusion(leaf, index, size, proof, root)
    print(f"inclusion proof at {size:,}:          {_ms(incl)} ({len(proof)} hashes, verified)")
    print(f"  CPU time per inclusion proof:       {_ms(incl_cpu)}")

    cons: list[float] = []
    cons_cpu: list[float] = []
    for _ in range(args.samples):
        old = rng.randrange(1, size)
        t0, c0 = time.perf_counter(), time.process_time()
        proof = storage.consistency_proof(old, size)
        cons.append(time.perf_counter() - t0)
        cons_cpu.append(time.process_time() - c0)
    merkle.verify_consistency(old, size, proof, storage.root(old), root)
    print(f"consistency proof at {size:,}:        {_ms(cons)} ({len(proof)} hashes, verified)")
    print(f"  CPU time per consistency proof:     {_ms(cons_cpu)}")

    db_file = home / "homeward.sqlite3"
    if db_file.exists():
        print(f"database file:                      {db_file.stat().st_size / 1e6:,.0f} MB")

    if args.verify:
        from homeward.ledger.verify import verify_ledger

        t0 = time.perf_counter()
        report = verify_ledger()
        print(f"full verify of {report.size:,} entries:   {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
