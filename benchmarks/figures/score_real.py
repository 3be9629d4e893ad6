"""Score the claims extractor on the real reports in ``benchmarks/figures/real/reports.jsonl``.

Usage::

    python benchmarks/figures/score_real.py                  # dev split: figures and every error
    python benchmarks/figures/score_real.py --split test     # test split: figures only, and the run is logged

The test split never prints errors, and each test run is appended to ``real/test-runs.log`` (date, commit,
figures), so the number of looks at it is on record (see docs/benchmarks.md).

Matching is as in ``score.py``: a predicted claim matches a gold claim of the same report with the same value
and quantity (one-to-one). Claimant and as-of are judged on matched claims; as-of counts as right when it is
one of the gold alternatives.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))
sys.path.insert(0, str(HERE))

from score import claimant_ok  # noqa: E402

from homeward.figures.extract import extract  # noqa: E402

CORPUS = HERE / "real" / "reports.jsonl"
LOG = HERE / "real" / "test-runs.log"


def load(split: str) -> list[dict]:
    docs = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [d for d in docs if split == "all" or d["split"] == split]


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(docs: list[dict], verbose: bool) -> dict[str, object]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # lang -> tp, fp, fn
    matched = claimant_right = asof_have = asof_right = 0
    vtp = vfp = vfn = 0
    seconds = 0.0
    for doc in docs:
        t0 = time.perf_counter()
        preds = [c for c in extract(doc["text"], published=date.fromisoformat(doc["published"]),
                                    outlet=doc.get("outlet"), lang=doc.get("lang"))
                 if c.value is not None]
        seconds += time.perf_counter() - t0
        gold = list(doc["claims"])
        values = [g["value"] for g in gold]
        for p in preds:
            if p.value in values:
                values.remove(p.value)
                vtp += 1
            else:
                vfp += 1
        vfn += len(values)
        c = counts[doc["lang"]]
        left = list(gold)
        for p in preds:
            hit = next((g for g in left if g["value"] == p.value and g["quantity"] == p.quantity), None)
            if hit is None:
                c[1] += 1
                if verbose:
                    print(f"  FP {doc['id']}: {p.value} {p.quantity} «{doc['text'][p.start:p.end]}» "
                          f"in «{p.text[:140]}»")
                continue
            left.remove(hit)
            c[0] += 1
            matched += 1
            ok_c = claimant_ok(p.claimant, hit["claimant"])
            claimant_right += ok_c
            if hit["as_of"]:
                asof_have += 1
                ok_a = (p.as_of or "") in hit["as_of"]
                asof_right += ok_a
            else:
                ok_a = True
            if verbose and not (ok_c and ok_a):
                print(f"  ATTR {doc['id']}: {p.value} {p.quantity}: claimant {p.claimant!r} vs {hit['claimant']}; "
                      f"as_of {p.as_of} vs {hit['as_of']}")
        c[2] += len(left)
        if verbose:
            for g in left:
                print(f"  FN {doc['id']}: {g['value']} {g['quantity']} ({g['claimant'][0]})")
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    p, r, f = _f1(tp, fp, fn)
    return {
        "reports": len(docs), "gold": tp + fn, "predicted": tp + fp, "precision": p, "recall": r, "f1": f,
        "value_f1": _f1(vtp, vfp, vfn)[2],
        "claimant": claimant_right / matched if matched else 0.0,
        "as_of": asof_right / asof_have if asof_have else 0.0,
        "by_lang": {lang: _f1(*counts[lang])[2] for lang in sorted(counts)},
        "seconds": seconds,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["dev", "test"], default="dev")
    ap.add_argument("-q", "--quiet", action="store_true", help="dev: figures only, no error list")
    ap.add_argument("--added", metavar="TAG", help="dev: only the reports of one batch (e.g. session-4a)")
    args = ap.parse_args()
    if args.added and args.split != "dev":
        ap.error("--added selects dev batches only")
    verbose = args.split == "dev" and not args.quiet
    docs = [d for d in load(args.split) if not args.added or d.get("added") == args.added]
    r = score(docs, verbose)
    langs = " ".join(f"{k}={v:.3f}" for k, v in r["by_lang"].items())  # type: ignore[union-attr]
    line = (f"{args.split}: reports={r['reports']} gold={r['gold']} predicted={r['predicted']}  value+quantity "
            f"P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} (value-only F1={r['value_f1']:.3f})  "
            f"claimant={r['claimant']:.3f} as_of={r['as_of']:.3f}  F1 by language: {langs}  "
            f"time={r['seconds']:.2f}s")
    print(line)
    if args.split == "test":
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True,
                                cwd=HERE).stdout.strip()
        with LOG.open("a", encoding="utf-8") as f:
            f.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {commit} {line}\n")


if __name__ == "__main__":
    main()
