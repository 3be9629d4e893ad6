"""Run every benchmark and print its figures (``make bench``).

Quick by default (a few minutes on 2 cores); ``--full`` adds the large runs (linkage L, a ledger of
1,000,000 entries), which take several more minutes each. Record what you measure, with the machine,
in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable


def run(title: str, *args: str) -> int:
    print(f"\n=== {title}\n$ {' '.join(['python', *args])}", flush=True)
    return subprocess.call([PY, *args], cwd=HERE.parent)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true", help="also linkage L and a 1,000,000-entry ledger")
    args = ap.parse_args()
    steps = [
        ("names toolkit: names per second", "benchmarks/names/bench_names.py"),
        ("linkage S seed 1: Homeward vs vanilla Splink", "benchmarks/linkage/run.py", "--size", "S", "--seed", "1"),
        ("linkage S seed 2", "benchmarks/linkage/run.py", "--size", "S", "--seed", "2"),
        ("linkage FEBRL4", "benchmarks/linkage/run.py", "--febrl"),
        ("figures extraction: all splits", "benchmarks/figures/score.py"),
        ("figures extraction: pathological inputs", "benchmarks/figures/pathological.py"),
        ("ledger: append and proofs", "benchmarks/ledger/bench_ledger.py",
         "--entries", "1000000" if args.full else "200000"),
    ]
    if args.full:
        steps.append(("linkage L seed 1", "benchmarks/linkage/run.py", "--size", "L", "--seed", "1"))
    failures = [title for title, *cmd in steps if run(title, *cmd) != 0]
    if failures:
        sys.exit("failed: " + ", ".join(failures))


if __name__ == "__main__":
    main()
