"""Search quality across scripts and schemes: recall@10 of the same child, and scoping.

    python benchmarks/search/recall.py [--size S] [--noise clean|full] [--seed 3] [--forms gs,sgp] [--limit N]

A registry is built from the linkage generator's Russian-side list (size S: 30,000 children, half UA's,
half RU's); each child that is also on the Ukrainian-side list is looked up by its name *as the Ukrainian
list writes it* — Ukrainian Cyrillic, or Latin under a Ukrainian scheme (KMU 2010, passport 2007, BGN,
national 1996) — while the registry holds the Russian form (Cyrillic, second-ranked Russian equivalents
such as Дарья/Дария, Latin under a Russian scheme: int. passport 1997, ICAO, GOST 2006, ISO 9). Only pairs
whose query is spelled differently from the registered name count as cross-script.

``--noise clean`` (the target's set) turns the generator's typos, diminutives and adoptive surnames off
(missing fields stay: 8 % of the registered children have no patronymic, 5 % of the queries none);
``--noise full`` keeps them (a harder set: an adoptive surname cannot be found by the old one).

``--forms``: the query forms, comma-separated, each a word order of the Ukrainian list's fields (``g`` given
name, ``s`` surname, ``p`` patronymic): ``gs`` (given name + surname, the target's), ``sgp`` (surname, given
name, patronymic: the official order), ``gps``, ``sg``, ``gp``… An empty field is left out of the query.
``--seed``: the generator's seed (each seed builds its own registry, cached).

Queries go through ``homeward.registry.search.search`` on the caller's scope (what the API calls), as the
mediator; every query is repeated as each party's officer, checking that no result is out of its scope.

Each miss is put in one category: a word that matches no word of the registered name (which field, the
registered field empty or in which script/language, and whether the word is found in the index at all), or
every word matching but the child ranked beyond 10 (behind better-ranked results, or among ties of its own
rank group). Up to ``--examples`` misses of each category are printed (generated names, no real person's).
"""

from __future__ import annotations

import argparse
import math
import os
import time
from collections import Counter, defaultdict

import common

FIELDS = {"g": "given_name", "s": "surname", "p": "patronymic"}
PARTS = {"g": "given", "s": "surname", "p": "patronymic"}


def wilson(hit: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95 % by default)."""
    if not total:
        return 0.0, 1.0
    p = hit / total
    d = 1 + z * z / total
    mid = (p + z * z / (2 * total)) / d
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / d
    return max(0.0, mid - half), min(1.0, mid + half)


def build(size: str, noise: str, seed: int) -> tuple[list[dict[str, str]], dict[str, str]]:
    import generate

    if noise == "clean":
        for name in ("L_TYPO", "L_DIMINUTIVE", "R_TYPO", "R_DIMINUTIVE", "R_ADOPTED"):
            setattr(generate, name, 0.0)
    left, right, truth = generate.generate(*generate.SIZES[size], seed)
    from homeward.registry.models import Child

    if not Child.objects.exists():
        common.load_registry(iter(right))
    return left, dict(truth)


def script_of(word: str) -> str:
    """``latin``, ``cyr-uk``, ``cyr-ru`` or ``cyr`` (Cyrillic of no telling language)."""
    from homeward.names.reading import name_language
    from homeward.names.text import detect_script

    if detect_script(word) == "latin":
        return "latin"
    lang = name_language(word)
    return f"cyr-{lang}" if lang in ("uk", "ru") else "cyr"


def category(word_part: str, q_word: str, registered: str, in_index: bool) -> str:
    if not registered:
        return f"{word_part}: registered {word_part} empty"
    return (f"{word_part}: {script_of(q_word)} query vs {script_of(registered)} record"
            + ("" if in_index else ", word found nowhere in the index"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="S")
    ap.add_argument("--noise", default="clean", choices=["clean", "full"])
    ap.add_argument("--seed", type=int, default=3, help="the generator's seed (default 3)")
    ap.add_argument("--forms", default="gs,sgp", help="query forms, comma-separated (default gs,sgp)")
    ap.add_argument("--limit", type=int, default=0, help="at most this many pairs (0: all)")
    ap.add_argument("--examples", type=int, default=3, help="misses printed per category")
    a = ap.parse_args()
    forms = [f.strip() for f in a.forms.split(",") if f.strip()]
    if not forms or any(set(f) - set(FIELDS) for f in forms):
        ap.error("--forms: word orders of g, s and p, such as gs,sgp")
    common.setup_django("sqlite", home_name=f"recall-{a.size}-{a.noise}-seed{a.seed}")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    who = common.actors()
    from homeward import access
    from homeward.names.search import explain, query_keys
    from homeward.registry import search
    from homeward.registry.models import Child

    left, truth = build(a.size, a.noise, a.seed)
    by_rid = dict(Child.objects.values_list("region", "pk"))
    party = dict(Child.objects.values_list("pk", "party__code"))
    registered = {pk: (s, g, p) for pk, s, g, p in Child.objects.values_list("pk", "surname", "given_name",
                                                                             "patronymic")}
    scopes = {role: access.children(who[role]) for role in ("mediator", "ua", "ru")}
    stats = {f: [0, 0] for f in forms}
    misses: dict[str, Counter[str]] = {f: Counter() for f in forms}
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    leaks, n, started = 0, 0, time.perf_counter()
    for rec in left:
        rid = truth.get(rec["record_id"])
        if rid is None or rid not in by_rid:
            continue
        pk = by_rid[rid]
        s, g, p = registered[pk]
        if (rec["surname"], rec["given_name"]) == (s, g):
            continue  # written the same way on both lists: not a cross-script query
        n += 1
        if a.limit and n > a.limit:
            break
        reg = {"s": s, "g": g, "p": p}
        for form in forms:
            letters = [x for x in form if rec[FIELDS[x]]]
            q = " ".join(rec[FIELDS[x]] for x in letters)
            found = search.search(scopes["mediator"], q)
            ranked = found.ranked if found is not None else []
            ids = [rid_ for rid_, _t in ranked]
            hit = pk in ids[:10]
            stats[form][0] += int(hit)
            stats[form][1] += 1
            for role in ("ua", "ru"):
                mine = search.search(scopes[role], q)
                leaks += sum(1 for i in (mine.ids() if mine is not None else []) if party[i] != role.upper())
            if hit:
                continue
            words = query_keys(q)
            unmatched = [(x, w) for x, w in zip(letters, words, strict=False) if explain(w, s, g, p) is None]
            if unmatched:
                cat = "; ".join(category(PARTS[x], w.word, reg[x], bool(search._word_values(w)))
                                for x, w in unmatched)
            elif pk in ids:
                tiers = dict(ranked)[pk]
                rank = search._rank_of(tiers)
                better = sum(1 for _r, t in ranked if search._rank_of(t) < rank)
                tied = sum(1 for _r, t in ranked if search._rank_of(t) == rank)
                cat = ("every word matches: outranked by 10 or more" if better >= 10
                       else "every word matches: beyond 10 among ties of its rank")
                cat += f" (tiers {tiers})"
                what = f"{better} better, {tied} tied"
            else:
                cat, what = "every word matches (explain) but not found by the index", ""
            misses[form][cat] += 1
            if len(examples[form, cat]) < a.examples:
                examples[form, cat].append(f"{q!r} -> {s} {g} {p}" + (f" [{what}]" if not unmatched and what else ""))
    took = time.perf_counter() - started
    load = os.getloadavg()
    print(f"registry {Child.objects.count():,} children (generator size {a.size}, seed {a.seed}, noise {a.noise}); "
          f"{min(n, a.limit) if a.limit else n:,} cross-script pairs; {took:.0f} s; load {load[0]:.1f}")
    for form, (hit, total) in stats.items():
        lo, hi = wilson(hit, total)
        order = " + ".join(PARTS[x] for x in form)
        print(f"  recall@10, {order}: {hit / max(total, 1):.4f} ({hit}/{total}; 95 % Wilson {lo:.4f}-{hi:.4f})")
        for cat, k in misses[form].most_common():
            print(f"    {k:5d}  {cat}")
            for e in examples[form, cat]:
                print(f"             {e}")
    print(f"  out-of-scope results in officers' searches: {leaks}")


if __name__ == "__main__":
    main()
