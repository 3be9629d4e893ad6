"""Search quality across scripts and schemes: recall@10 of the same child, and scoping.

    python benchmarks/search/recall.py [--size S] [--noise clean|full]

A registry is built from the linkage generator's Russian-side list (size S: 30,000 children, half UA's,
half RU's); each child that is also on the Ukrainian-side list is looked up by its name *as the Ukrainian
list writes it* — Ukrainian Cyrillic, or Latin under a Ukrainian scheme (KMU 2010, passport 2007, BGN,
national 1996) — while the registry holds the Russian form (Cyrillic, second-ranked Russian equivalents
such as Дарья/Дария, Latin under a Russian scheme: int. passport 1997, ICAO, GOST 2006, ISO 9). Only pairs
whose query is spelled differently from the registered name count as cross-script.

``--noise clean`` (the target's set) turns the generator's typos, diminutives and adoptive surnames off;
``--noise full`` keeps them (a harder set: an adoptive surname cannot be found by the old one).

Queries go through ``homeward.registry.search.search`` on the caller's scope (what the API calls), as the
mediator; every query is repeated as each party's officer, checking that no result is out of its scope.
"""

from __future__ import annotations

import argparse
import time

import common


def build(size: str, noise: str) -> tuple[list[dict[str, str]], dict[str, str]]:
    import generate

    if noise == "clean":
        for name in ("L_TYPO", "L_DIMINUTIVE", "R_TYPO", "R_DIMINUTIVE", "R_ADOPTED"):
            setattr(generate, name, 0.0)
    left, right, truth = generate.generate(*generate.SIZES[size], 3)
    from homeward.registry.models import Child

    if not Child.objects.exists():
        common.load_registry(iter(right))
    return left, dict(truth)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="S")
    ap.add_argument("--noise", default="clean", choices=["clean", "full"])
    ap.add_argument("--limit", type=int, default=0, help="at most this many pairs (0: all)")
    a = ap.parse_args()
    common.setup_django("sqlite", home_name=f"recall-{a.size}-{a.noise}")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    who = common.actors()
    from homeward import access
    from homeward.registry import search
    from homeward.registry.models import Child

    left, truth = build(a.size, a.noise)
    by_rid = dict(Child.objects.values_list("region", "pk"))
    party = dict(Child.objects.values_list("pk", "party__code"))
    registered = {pk: (s, g, p) for pk, s, g, p in Child.objects.values_list("pk", "surname", "given_name",
                                                                             "patronymic")}
    scopes = {role: access.children(who[role]) for role in ("mediator", "ua", "ru")}
    stats = {"2 words": [0, 0], "full name": [0, 0]}
    leaks, n, started = 0, 0, time.perf_counter()
    for rec in left:
        rid = truth.get(rec["record_id"])
        if rid is None or rid not in by_rid:
            continue
        pk = by_rid[rid]
        s, g, _p = registered[pk]
        if (rec["surname"], rec["given_name"]) == (s, g):
            continue  # written the same way on both lists: not a cross-script query
        n += 1
        if a.limit and n > a.limit:
            break
        for kind, q in (("2 words", f"{rec['given_name']} {rec['surname']}"),
                        ("full name", f"{rec['surname']} {rec['given_name']} {rec['patronymic']}")):
            found = search.search(scopes["mediator"], q)
            top = found.ids()[:10] if found is not None else []
            stats[kind][0] += int(pk in top)
            stats[kind][1] += 1
            if kind == "2 words":
                for role in ("ua", "ru"):
                    mine = search.search(scopes[role], q)
                    leaks += sum(1 for i in (mine.ids() if mine is not None else []) if party[i] != role.upper())
    took = time.perf_counter() - started
    print(f"registry {Child.objects.count():,} children (generator size {a.size}, noise {a.noise}); "
          f"{n:,} cross-script pairs; {took:.0f} s")
    for kind, (hit, total) in stats.items():
        print(f"  recall@10, {kind:9}: {hit / max(total, 1):.4f} ({hit}/{total})")
    print(f"  out-of-scope results in officers' searches: {leaks}")


if __name__ == "__main__":
    main()
