"""Possible-duplicate warnings at registry scale: precision, recall and time per registration, and why.

    python benchmarks/search/build.py --db sqlite [--seed 1]     # once: 700,000 children
    python benchmarks/search/dupes.py --db sqlite [--n 4000] [--seed 11] [--gen-seed 1]

Registrations are drawn from the linkage generator's Ukrainian-side list (the registry holds its
Russian-side list, built by ``build.py`` from the same generator size and seed): ``--share`` (5 %) are
re-registrations — children the registry already holds, now written in Ukrainian (Cyrillic or Latin) with
the generator's noise (typos, diminutives, adoptive surnames, date errors) — and the rest are children it
does not hold (some have a twin or a sibling in it). ``--seed`` draws the sample, ``--gen-seed`` and
``--size`` say which generated registry is loaded (checked: the sampled children must be there under the
generated names). A registry built with ``--limit`` is sampled only among the re-registrations whose child
is loaded. Each registration is scored as its submitting officer would be (the party holding the child, for
a re-registration; either party otherwise) through ``homeward.registry.duplicates.scored`` (what
``possible_duplicates``, the page and ``POST /api/v1/children`` call; the warnings are its first
``MAX_SHOWN`` at ``WARN_THRESHOLD``), every candidate's probability kept for the threshold curve.

A re-registration counts as found when the held child is among the warnings; precision is the share of
warned registrations whose warnings name the child that is truly the same. Each figure is printed with its
95 % Wilson interval. Misses are counted by the generator's noise on either record (``generate.py``'s
annotation) and by stage (never a candidate, or scored below the threshold); false warnings by the warned
child's relation to the registered one (twin, sibling, unrelated) and by the levels of its evidence.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import common


@dataclass
class Outcome:
    rid: str  # the registration's generator id (Ukrainian side)
    is_dup: bool
    held: int | None  # the registry's child that truly is this one
    held_p: float | None  # its probability (None: never a candidate)
    held_rank: int | None
    top: list[tuple[float, int, str, Any]] = field(default_factory=list)  # (p, child id, region, score), best first
    candidates: int = 0


def _signature(score: Any) -> str:
    """The levels of a score's evidence, short: ``given=same name surname=different ...``."""
    short = {"same name": "same", "one name: other language, transliteration or diminutive": "form",
             "one surname: other language, transliteration or gender form": "form"}
    return " ".join(f"{c.split()[-1]}={short.get(lv, lv)}" for c, lv in score.evidence())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="sqlite")
    ap.add_argument("--n", type=int, default=1000, help="registrations")
    ap.add_argument("--share", type=float, default=0.05, help="share of re-registrations")
    ap.add_argument("--seed", type=int, default=11, help="seed of the sample of registrations")
    ap.add_argument("--gen-seed", type=int, default=1, help="generator seed of the registry (build.py --seed)")
    ap.add_argument("--size", default="L", help="generator size of the registry (build.py --size)")
    ap.add_argument("--curve", default="0.05,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,0.95,0.99",
                    help="thresholds of the precision/recall curve")
    ap.add_argument("--examples", type=int, default=0, help="print this many misses and false warnings "
                    "(generated names: synthetic)")
    ap.add_argument("--dump", default="", help="write every registration's scored candidates (ids, weights and "
                    "levels, no names) to this JSON-lines file, to compare scorings offline")
    a = ap.parse_args()
    common.setup_django(a.db)
    from django.db import connection

    from homeward.registry import duplicates
    from homeward.registry.models import Child

    who = common.actors()
    data = common.generated(a.size, a.gen_seed)
    notes = common.noise_notes(a.size, a.gen_seed)
    truth = dict((r["left_id"], r["right_id"]) for r in common.read_csv(data / "truth.csv"))
    left = list(common.read_csv(data / "ua.csv"))
    partners = sorted(set(truth.values()))
    loaded: dict[str, int] = {}
    for i in range(0, len(partners), 2000):
        loaded.update(Child.objects.filter(region__in=partners[i:i + 2000]).values_list("region", "pk"))
    rng = random.Random(a.seed)
    dups = [r for r in left if truth.get(r["record_id"]) in loaded]
    fresh = [r for r in left if truth.get(r["record_id"]) not in loaded]
    k = int(round(a.n * a.share))
    if k > len(dups) or a.n - k > len(fresh):
        raise SystemExit(f"--n {a.n} needs {k} re-registrations and {a.n - k} new children; the generated set "
                         f"has {len(dups)} and {len(fresh)}")
    sample = [(r, True) for r in rng.sample(dups, k)] + [(r, False) for r in rng.sample(fresh, a.n - k)]
    rng.shuffle(sample)
    held_rids = {truth[r["record_id"]] for r, d in sample if d}
    stored = dict(Child.objects.filter(pk__in=[loaded[x] for x in held_rids]).values_list("region", "given_name"))
    generated_names = {r["record_id"]: r["given_name"] for r in common.read_csv(data / "ru.csv")
                       if r["record_id"] in held_rids}
    wrong = sum(stored.get(x) != generated_names.get(x) for x in held_rids)
    if wrong:
        raise SystemExit(f"{wrong} of {len(held_rids)} held children differ from generator size {a.size} seed "
                         f"{a.gen_seed}: the registry was built from another set (build.py --size/--seed)")
    region = {pk: rid for rid, pk in loaded.items()}
    print(f"{connection.vendor}: {Child.objects.count():,} children (generator {a.size}, seed {a.gen_seed}); "
          f"{a.n} registrations (sample seed {a.seed}), {k} re-registrations; warning threshold "
          f"{duplicates.WARN_THRESHOLD}, at most {duplicates.MAX_SHOWN} shown")
    for _ in range(3):  # warm the model and the caches
        duplicates.possible_duplicates(who["ua"], {"given_name": "Марія", "surname": "Коваленко"})
    times: list[float] = []
    outcomes: list[Outcome] = []
    dump = open(a.dump, "w", encoding="utf-8") if a.dump else None  # noqa: SIM115 (closed after the loop)
    started = time.perf_counter()
    for rec, is_dup in sample:
        held = loaded[truth[rec["record_id"]]] if is_dup else None
        actor = who["ua" if common.party_of(truth[rec["record_id"]]) == "UA" else "ru"] if is_dup else who[
            rng.choice(["ua", "ru"])]
        data_in = {"given_name": rec["given_name"], "surname": rec["surname"], "patronymic": rec["patronymic"],
                   "sex": common.sex(rec["sex"]), "birth_date": common.birth_date(rec["birth_date"]),
                   "birth_place": rec["birth_place"]}
        t0 = time.perf_counter()
        found = duplicates.scored(actor, data_in, threshold=0.0)
        times.append((time.perf_counter() - t0) * 1000)
        out = Outcome(rec["record_id"], is_dup, held, None, None, candidates=len(found))
        for rank, d in enumerate(found):
            if d.child_id == held:
                out.held_p, out.held_rank = d.match_probability, rank
        out.top = [(d.match_probability, d.child_id, region.get(d.child_id, ""), d.score) for d in found[:3]]
        outcomes.append(out)
        if dump is not None:
            dump.write(json.dumps({"rid": rec["record_id"], "dup": is_dup, "held": held, "ms": times[-1],
                                   "held_rid": truth[rec["record_id"]] if is_dup else None, "party": actor.party.code,
                                   "c": [[d.child_id, round(d.score.match_weight, 3),
                                          [[r.comparison, r.level, r.weight] for r in d.score.reasons]]
                                         for d in found if d.score.match_weight > -40]}) + "\n")
    if dump is not None:
        dump.close()
    took = time.perf_counter() - started
    warned_ids = sorted({x[1] for o in outcomes for x in o.top} - set(region))
    for i in range(0, len(warned_ids), 2000):
        region.update(Child.objects.filter(pk__in=warned_ids[i:i + 2000]).values_list("pk", "region"))
    for o in outcomes:
        o.top = [(p, pk, region.get(pk, ""), score) for p, pk, _rid, score in o.top]

    def shown(o: Outcome, t: float) -> tuple[bool, bool]:
        """(warned, the held child among the warnings) at threshold ``t``."""
        warned = bool(o.top) and o.top[0][0] >= t
        hit = o.held_p is not None and o.held_p >= t and (o.held_rank or 0) < duplicates.MAX_SHOWN
        return warned, hit

    t0 = duplicates.WARN_THRESHOLD
    warned = sum(shown(o, t0)[0] for o in outcomes)
    correct = sum(shown(o, t0)[1] for o in outcomes)
    print(f"  precision {common.proportion(correct, warned)} warned registrations")
    print(f"  recall    {common.proportion(correct, k)} re-registrations")
    print(f"  time per registration: p50 {common.percentile(times, 50):.0f} ms, "
          f"p95 {common.percentile(times, 95):.0f} ms, max {max(times):.0f} ms; candidates scored: mean "
          f"{sum(o.candidates for o in outcomes) / len(outcomes):.0f}, max {max(o.candidates for o in outcomes)}; "
          f"{took:.0f} s in all")

    print("  threshold curve (precision / recall):")
    for t in (float(x) for x in a.curve.split(",")):
        w = sum(shown(o, t)[0] for o in outcomes)
        c = sum(shown(o, t)[1] for o in outcomes)
        print(f"    {t:4.2f}  precision {common.proportion(c, w)}  recall {common.proportion(c, k)}")

    misses = [o for o in outcomes if o.is_dup and not shown(o, t0)[1]]
    per_kind: Counter[str] = Counter()
    missed_kind: Counter[str] = Counter()
    for o in outcomes:
        if not o.is_dup:
            continue
        kinds = set(notes.get(o.rid, [])) | set(notes.get(truth[o.rid], [])) or {"no noise"}
        kinds = {x if not x.startswith(("twin of", "sibling of")) else x.split(" of ")[0] for x in kinds}
        per_kind.update(kinds)
        if o in misses:
            missed_kind.update(kinds)
    stages = Counter("never a candidate" if o.held_p is None else
                     f"scored below {t0}" if o.held_p < t0 else "not among the first shown" for o in misses)
    print(f"  misses ({len(misses)}) by stage: " + ", ".join(f"{s} {n}" for s, n in stages.most_common()))
    print("  misses by the generator's noise on either record (missed / re-registrations with it):")
    for kind, n in sorted(per_kind.items(), key=lambda x: (-missed_kind[x[0]], -x[1])):
        print(f"    {kind:32} {missed_kind[kind]:4} / {n:4}")
    sigs = Counter(_signature(o.top[[x[1] for x in o.top].index(o.held)][3]) if o.held in [x[1] for x in o.top]
                   else "held below the top 3" if o.held_p is not None else "never a candidate" for o in misses)
    print("  misses by the levels of the held child's score:")
    for s, n in sigs.most_common(12):
        print(f"    {n:4}  {s}")

    false = [o for o in outcomes if shown(o, t0)[0] and not shown(o, t0)[1]]
    relation: Counter[str] = Counter()
    false_sigs: Counter[str] = Counter()
    for o in false:
        p, _pk, rid, score = next(x for x in o.top if x[1] != o.held)
        kin = [x for x in notes.get(rid, []) if x.endswith(o.rid)]
        relation[(kin[0].split(" of ")[0] + " of the registered child") if kin else
                 "re-registration, another child warned" if o.is_dup else "unrelated child"] += 1
        false_sigs[_signature(score)] += 1
    print(f"  false warnings ({len(false)}) by relation: "
          + ", ".join(f"{r} {n}" for r, n in relation.most_common()))
    print("  false warnings by the levels of the evidence:")
    for s, n in false_sigs.most_common(12):
        print(f"    {n:4}  {s}")

    if a.examples:
        ua = {r["record_id"]: r for r in left}
        want = {truth[o.rid] for o in misses[:a.examples]} | {next(x[2] for x in o.top if x[1] != o.held)
                                                               for o in false[:a.examples]}
        ru = {r["record_id"]: r for r in common.read_csv(data / "ru.csv") if r["record_id"] in want}

        def line(r: dict[str, str]) -> str:
            return " | ".join(r[c] for c in ("given_name", "surname", "patronymic", "sex", "birth_date", "birth_place"))

        for o in misses[:a.examples]:
            print(f"  MISS p={o.held_p if o.held_p is None else round(o.held_p, 3)} "
                  f"{notes.get(o.rid, [])} / {notes.get(truth[o.rid], [])}\n"
                  f"     new:  {line(ua[o.rid])}\n     held: {line(ru[truth[o.rid]])}")
        for o in false[:a.examples]:
            p, _pk, rid, score = next(x for x in o.top if x[1] != o.held)
            print(f"  FALSE p={p:.3f} {notes.get(rid, [])}\n     new:    {line(ua[o.rid])}\n"
                  f"     warned: {line(ru[rid])}\n     {score.explanation}")


if __name__ == "__main__":
    main()
