"""Train the shipped reference model (``src/homeward/linkage/core/reference_model.json``).

The reference model gives the matcher parameters for inputs too small to train on (one tracing
request against a small registry). It is trained on a synthetic S-sized list pair with seed 7 —
a seed the benchmark never scores on — and replaced in practice by the first model trained on the
operator's own data. Re-run after changing the comparisons in ``linkage/core/model.py``::

    python benchmarks/linkage/make_reference_model.py
    python benchmarks/linkage/make_reference_model.py --rules-only   # only the prediction blocking rules

``--rules-only`` keeps the trained parameters and replaces the blocking rules with those of ``model.py``
(blocking decides which pairs are compared, not how they are weighed).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import SIZES, generate  # noqa: E402

from homeward.linkage.core import engine, link, sanity  # noqa: E402

SEED = 7


def current_blocking_rules() -> list[dict]:
    """The prediction blocking rules of ``model.py`` as Splink serialises them in a model file."""
    from splink import DuckDBAPI

    records = [{"record_id": "1", "given_name": "Anna", "surname": "Koval", "birth_date": "2015-02-01"}]
    tables = engine.blocking.add_block_keys([engine.features.to_feature_table(records)] * 2)
    api = DuckDBAPI(engine._connection(1))
    sides = zip(tables, (engine.LEFT, engine.RIGHT), strict=True)
    registered = [api.register(t, dataset_display_name=n) for t, n in sides]
    linker = engine._make_linker(api, registered, "link_only")
    rules: list[dict] = linker.misc.save_model_to_json()["blocking_rules_to_generate_predictions"]
    return rules


def rules_only() -> None:
    trained = json.loads(engine.REFERENCE_MODEL.read_text(encoding="utf-8"))
    trained["splink_model"]["blocking_rules_to_generate_predictions"] = current_blocking_rules()
    engine.REFERENCE_MODEL.write_text(json.dumps(trained, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                      encoding="utf-8")
    print(f"wrote {engine.REFERENCE_MODEL}: blocking rules of model.py, parameters unchanged")


def main() -> None:
    if "--rules-only" in sys.argv[1:]:
        rules_only()
        return
    left, right, _truth = generate(*SIZES["S"], SEED)
    # guard=False: the reference is what EM learns on a well-behaved pair; it must pass the checks itself
    result = link(left, right, guard=False, progress=lambda stage, f: print(f"{stage} {f:.0%}", file=sys.stderr))
    splink_model, filled = sanity.fill_untrained(result.model["splink_model"])
    issues = sanity.check(splink_model, prior_range=sanity.plausible_prior(len(left), len(right)))
    if issues:
        raise SystemExit("the reference model fails its own checks: " + "; ".join(map(str, issues)))
    trained = {**result.model, "splink_model": splink_model, "filled_levels": filled}
    trained.pop("trained_at", None)  # keep the file stable across re-runs with the same inputs
    trained["trained_on"] = f"synthetic S list pair, seed {SEED} (benchmarks/linkage/generate.py)"
    engine.REFERENCE_MODEL.write_text(json.dumps(trained, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                      encoding="utf-8")
    print(f"wrote {engine.REFERENCE_MODEL} (model {result.model_version}); warnings: {result.stats['warnings']}")


if __name__ == "__main__":
    main()
