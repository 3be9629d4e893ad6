"""Score ``homeward.figures.extract`` against the hand-written gold claims.

Usage::

    python benchmarks/figures/score.py                 # every split
    python benchmarks/figures/score.py --split heldout  # only the held-out part
    python benchmarks/figures/score.py --split dev -v   # list every miss and false alarm

A predicted claim matches a gold claim when the value and the quantity are equal (one-to-one within a
document). Predictions without a value (qualitative amounts such as "thousands") are not scored.
For matched pairs the claimant counts as right when one normalised name contains the other or
most of the gold name's words (compared on their first five letters, to allow for inflection) occur
in the prediction; the as-of date counts as right when it is one of the gold alternatives.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))

from homeward.figures.extract import extract  # noqa: E402

SPLITS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "heldout")


def _norm(s: str) -> str:
    s = s.lower().replace("’", "'").replace("'s ", " ")
    return re.sub(r"[^\w\s]", " ", s).strip()


def _stems(s: str) -> set[str]:
    return {w[:5] for w in _norm(s).split() if len(w) > 2}


def claimant_ok(pred: str | None, gold: list[str]) -> bool:
    if not pred:
        return False
    p = _norm(pred)
    for g in gold:
        n = _norm(g)
        if n and (n in p or p in n):
            return True
        gs, ps = _stems(g), _stems(pred)
        if gs and len(gs & ps) / len(gs) >= 0.5:
            return True
    return False


def score(split: str, verbose: bool = False) -> dict[str, float]:
    docs = json.loads((HERE / "gold" / f"{split}.json").read_text(encoding="utf-8"))
    tp = fp = fn = 0
    vtp = vfp = vfn = 0
    cl_ok = asof_ok = qual_ok = scope_ok = 0
    for doc in docs:
        preds = [c for c in extract(doc["text"], published=date.fromisoformat(doc["published"]),
                                    outlet=doc.get("outlet")) if c.value is not None]
        gold = list(doc["claims"])
        # value-only matching
        gv = [g["value"] for g in gold]
        for p in preds:
            if p.value in gv:
                gv.remove(p.value)
                vtp += 1
            else:
                vfp += 1
        vfn += len(gv)
        # value + quantity matching
        unmatched = list(gold)
        for p in preds:
            hit = next((g for g in unmatched if g["value"] == p.value and g["quantity"] == p.quantity), None)
            if hit is None:
                fp += 1
                if verbose:
                    print(f"  FP {doc['id']}: {p.value} {p.quantity} ({p.qualifier}) «{doc['text'][p.start:p.end]}»")
                continue
            unmatched.remove(hit)
            tp += 1
            c_ok = claimant_ok(p.claimant, hit["claimant"])
            a_ok = (p.as_of or "") in hit["as_of"]
            cl_ok += c_ok
            asof_ok += a_ok
            qual_ok += (p.qualifier or "") == hit["qualifier"]
            scope_ok += (not hit.get("scope")) or p.scope == hit["scope"]
            if verbose and not (c_ok and a_ok):
                print(f"  ATTR {doc['id']}: {p.value} {p.quantity}: claimant {p.claimant!r} vs {hit['claimant']}; "
                      f"as_of {p.as_of} vs {hit['as_of']}")
        fn += len(unmatched)
        if verbose:
            for g in unmatched:
                print(f"  FN {doc['id']}: {g['value']} {g['quantity']}")
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    vp = vtp / (vtp + vfp) if vtp + vfp else 0.0
    vr = vtp / (vtp + vfn) if vtp + vfn else 0.0
    return {
        "docs": len(docs), "gold": tp + fn, "predicted": tp + fp,
        "precision": prec, "recall": rec, "f1": f1,
        "value_f1": 2 * vp * vr / (vp + vr) if vp + vr else 0.0,
        "claimant_acc": cl_ok / tp if tp else 0.0,
        "as_of_acc": asof_ok / tp if tp else 0.0,
        "qualifier_acc": qual_ok / tp if tp else 0.0,
        "scope_acc": scope_ok / tp if tp else 0.0,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=[*SPLITS, "all"], default="all")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    for split in SPLITS if args.split == "all" else (args.split,):
        # the held-out errors are only listed when asked for by name: never tune on them
        verbose = args.verbose and (split != "heldout" or args.split == "heldout")
        if verbose:
            print(f"[{split}]")
        r = score(split, verbose)
        print(f"{split:8s} docs={r['docs']} gold={r['gold']} predicted={r['predicted']}  "
              f"value+quantity P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f}  "
              f"(value-only F1={r['value_f1']:.3f})  claimant={r['claimant_acc']:.3f} "
              f"as_of={r['as_of_acc']:.3f} qualifier={r['qualifier_acc']:.3f} scope={r['scope_acc']:.3f}")


if __name__ == "__main__":
    main()
