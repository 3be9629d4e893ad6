"""Possible-duplicate warnings at registry scale: precision, recall and time per registration.

    python benchmarks/search/build.py --db sqlite     # once: 700,000 children
    python benchmarks/search/dupes.py --db sqlite [--n 1000]

Registrations are drawn from the linkage generator's Ukrainian-side list (the registry holds its
Russian-side list): 5 % are re-registrations — children the registry already holds, now written in
Ukrainian (Cyrillic or Latin) with the generator's noise (typos, diminutives, adoptive surnames, date
errors) — and 95 % are children it does not hold. Each is scored as its submitting officer would be (the
party holding the child, for a re-registration; either party otherwise) by
``homeward.registry.duplicates.possible_duplicates`` (what the page and ``POST /api/v1/children`` call).

A re-registration counts as found when the held child is among the warnings; precision is the share of
warned registrations whose warnings name a child that is truly the same.
"""

from __future__ import annotations

import argparse
import random
import time

import common


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="sqlite")
    ap.add_argument("--n", type=int, default=1000, help="registrations")
    ap.add_argument("--share", type=float, default=0.05, help="share of re-registrations")
    a = ap.parse_args()
    common.setup_django(a.db)
    from django.db import connection

    from homeward.registry import duplicates
    from homeward.registry.models import Child

    who = common.actors()
    data = common.generated("L")
    truth = dict((r["left_id"], r["right_id"]) for r in common.read_csv(data / "truth.csv"))
    left = list(common.read_csv(data / "ua.csv"))
    rng = random.Random(11)
    dups = [r for r in left if r["record_id"] in truth]
    fresh = [r for r in left if r["record_id"] not in truth]
    k = int(round(a.n * a.share))
    sample = [(r, True) for r in rng.sample(dups, k)] + [(r, False) for r in rng.sample(fresh, a.n - k)]
    rng.shuffle(sample)
    by_rid = dict(Child.objects.filter(region__in=[truth[r["record_id"]] for r, d in sample if d])
                  .values_list("region", "pk"))
    print(f"{connection.vendor}: {Child.objects.count():,} children; {a.n} registrations, {k} re-registrations")
    warned = correct_warned = found = 0
    times = []
    for _ in range(3):  # warm the model and the caches
        duplicates.possible_duplicates(who["ua"], {"given_name": "Марія", "surname": "Коваленко"})
    for rec, is_dup in sample:
        held = by_rid.get(truth.get(rec["record_id"], ""))
        actor = who["ua" if common.party_of(truth[rec["record_id"]]) == "UA" else "ru"] if is_dup else who[
            rng.choice(["ua", "ru"])]
        data_in = {"given_name": rec["given_name"], "surname": rec["surname"], "patronymic": rec["patronymic"],
                   "sex": common.sex(rec["sex"]), "birth_date": common.birth_date(rec["birth_date"]),
                   "birth_place": rec["birth_place"]}
        t0 = time.perf_counter()
        got = duplicates.possible_duplicates(actor, data_in)
        times.append((time.perf_counter() - t0) * 1000)
        ids = {d.child_id for d in got}
        if got:
            warned += 1
            correct_warned += int(is_dup and held in ids)
        if is_dup and held in ids:
            found += 1
    precision = correct_warned / warned if warned else float("nan")
    recall = found / k if k else float("nan")
    print(f"  precision {precision:.3f} ({correct_warned}/{warned} warned registrations)")
    print(f"  recall    {recall:.3f} ({found}/{k} re-registrations)")
    print(f"  time per registration: p50 {common.percentile(times, 50):.0f} ms, "
          f"p95 {common.percentile(times, 95):.0f} ms, max {max(times):.0f} ms")


if __name__ == "__main__":
    main()
