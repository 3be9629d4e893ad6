"""CPU of a small matching run (a list upload's few names against the registry, with a saved model): Splink on
DuckDB against the pure-Python scorer (``linkage.core.small``), alternating, and whether they agree.

    .venv/bin/python benchmarks/linkage/small_run.py                 # 5 names x 400 records, 7 rounds
    .venv/bin/python benchmarks/linkage/small_run.py --left 20 --right 900 --rounds 9 --seed 3

Prints each path's process CPU time per run (minimum and median over the rounds, the two paths alternating so
that a busy machine slows both alike) and the Python calls of one run of each (deterministic), and exits 1 if
the two paths give different pairs, probabilities or explanations.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402 - the linkage benchmark's generator, beside this file

from homeward.linkage.core import engine  # noqa: E402


def _outcome(r: engine.LinkResult) -> Any:
    return ([(x.left_id, x.right_id, x.match_probability, x.match_weight, x.reasons) for x in r.links],
            [(a.group, a.left_id, a.right_id, a.match_probability, a.match_weight, a.reasons) for a in r.ambiguous],
            r.model_version)


def _calls(fn: Any) -> int:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    return int(sum(s[1] for s in pstats.Stats(prof).stats.values()))  # type: ignore[attr-defined]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--left", type=int, default=5, help="names in the uploaded list")
    ap.add_argument("--right", type=int, default=400, help="records of the registry side")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    left, right, _truth = generate.generate(max(args.left * 4, 40), args.right, args.seed)
    sample = random.Random(args.seed).sample(left, args.left)

    def run(scorer: str) -> engine.LinkResult:
        return engine.link(sample, right, one_to_one=False, scorer=scorer)

    expected, got = run("splink"), run("python")  # also warms both paths (imports, the model's template)
    same = _outcome(expected) == _outcome(got)
    cpu: dict[str, list[float]] = {"splink": [], "python": []}
    for _ in range(args.rounds):
        for scorer in cpu:
            t = time.process_time()
            run(scorer)
            cpu[scorer].append(time.process_time() - t)
    calls = {scorer: _calls(lambda s=scorer: run(s)) for scorer in cpu}  # type: ignore[misc]
    print(f"{args.left} names x {len(right)} records (seed {args.seed}), {len(expected.links)} candidate pairs, "
          f"{len(expected.ambiguous)} ambiguous; {args.rounds} rounds alternating")
    for scorer, times in cpu.items():
        print(f"  {scorer:7s} CPU min {min(times) * 1000:7.1f} ms  median {statistics.median(times) * 1000:7.1f} ms"
              f"  Python calls {calls[scorer]:,}")
    print(f"  same pairs, probabilities, explanations and model version: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
