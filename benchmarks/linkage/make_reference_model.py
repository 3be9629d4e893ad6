"""Train the shipped reference model (``src/homeward/linkage/core/reference_model.json``).

The reference model gives the matcher parameters for inputs too small to train on (one tracing
request against a small registry). It is trained on a synthetic S-sized list pair with seed 7 —
a seed the benchmark never scores on — and replaced in practice by the first model trained on the
operator's own data. Re-run after changing the comparisons in ``linkage/core/model.py``::

    python benchmarks/linkage/make_reference_model.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import SIZES, generate  # noqa: E402

from homeward.linkage.core import engine, link  # noqa: E402

SEED = 7


def main() -> None:
    left, right, _truth = generate(*SIZES["S"], SEED)
    result = link(left, right, progress=lambda stage, f: print(f"{stage} {f:.0%}", file=sys.stderr))
    trained = dict(result.model)
    trained.pop("trained_at", None)  # keep the file stable across re-runs with the same inputs
    trained["trained_on"] = f"synthetic S list pair, seed {SEED} (benchmarks/linkage/generate.py)"
    engine.REFERENCE_MODEL.write_text(json.dumps(trained, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                      encoding="utf-8")
    print(f"wrote {engine.REFERENCE_MODEL} (model {result.model_version}); warnings: {result.stats['warnings']}")


if __name__ == "__main__":
    main()
