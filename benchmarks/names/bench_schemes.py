"""Recall and precision of cross-script matching under every romanisation scheme, names only.

People are drawn from the names_translator dictionaries (not from Homeward's tables): a given name, a
patronymic and a surname of one sex, Zipf-distributed so that common names repeat as in real registers.
The left list holds them in Ukrainian Cyrillic; the right list holds the same people written in Latin
under one scheme (Russian schemes write the Russian form of each name, Ukrainian schemes the Ukrainian
form), plus as many people on each side who are on the other side.  Birth dates and places are left out,
so the names (and sex) must carry the match.

For each scheme it prints
  key recall    share of true pairs whose name keys agree part by part (given name: same canonical group;
                surname and patronymic: a shared group) -- the names toolkit alone
  false/1k      name parts whose Latin reading shares a group with a left-side name that the true Cyrillic
                name does not share one with (an equivalence the reading invented), per 1,000 parts
  EM rec/prec/F1   one-to-one links of ``homeward.linkage.core.link`` with a model trained on the pair
                   of lists (as ``homeward link`` does)
  ref rec/prec/F1  the same with the shipped reference model (no training: the names' effect alone)
and the gap of each scheme's recall to ICAO Doc 9303's (target: within 0.03, at precision >= 0.99).

Usage:
  .venv/bin/python benchmarks/names/bench_schemes.py                 # all schemes, linkage included
  .venv/bin/python benchmarks/names/bench_schemes.py --keys-only     # key figures only (fast)
  .venv/bin/python benchmarks/names/bench_schemes.py --n 1500 --seed 3 --schemes icao,ala_lc,French
  .venv/bin/python benchmarks/names/bench_schemes.py --model reference      # no EM (faster)
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import schemes as scheme_registry  # noqa: E402

REFERENCE = "ru:icao_doc_9303"
FEMALE_ONLY_A = frozenset(
    "микола ілля фома кузьма сава лука хома микита данила гаврила никита илья савва иона".split()
)


@dataclass(frozen=True)
class Person:
    pid: int
    sex: str
    uk: tuple[str, str, str]  # surname, given, patronymic (Ukrainian)
    ru: tuple[str, str, str]  # the same in Russian


def _is_female_given(name: str) -> bool:
    return name.endswith(("а", "я")) and name not in FEMALE_ONLY_A


def _feminine_surname(name: str, language: str) -> str:
    adjective = ("ський", "цький", "зький", "ский", "цкий", "зкий")
    if name.endswith(adjective) or (name.endswith(("ий", "ый")) and len(name) > 4):
        return name[:-2] + ("а" if language == "uk" else "ая")
    if name.endswith(("ов", "ев", "єв", "ёв", "ін", "ин", "їн", "ын")):
        return name + "а"
    return name


def _zipf(items: list, k: int, rng: random.Random, exponent: float) -> list:
    weights = list(accumulate(1 / (rank + 1) ** exponent for rank in range(len(items))))
    return rng.choices(items, cum_weights=weights, k=k)


def draw_people(n: int, seed: int, exponent: float = 1.0) -> list[Person]:
    from names_translator.dicts import default_dicts

    rng = random.Random(seed)
    d = default_dicts()
    pools = {}
    for pool, size in (("first", 3_000), ("last", 30_000), ("patronymic", 3_000)):
        table = d.as_dict(pool)
        keys = sorted(k for k, v in table.items() if v and k.isalpha() or "-" in k and v)
        rng.shuffle(keys)
        pools[pool] = (table, keys[:size])
    first_table, first = pools["first"]
    last_table, last = pools["last"]
    patr_table, patr = pools["patronymic"]
    by_sex = {
        "f": [g for g in first if _is_female_given(g)],
        "m": [g for g in first if not _is_female_given(g)],
    }
    patr_by_sex = {"m": [p for p in patr if p.endswith("ич")], "f": [p for p in patr if p.endswith("на")]}
    people = []
    sexes = [rng.choice("mf") for _ in range(n)]
    picks = {
        sex: (
            iter(_zipf(by_sex[sex], n, rng, exponent)),
            iter(_zipf(patr_by_sex[sex], n, rng, exponent)),
        )
        for sex in "mf"
    }
    surnames = _zipf(last, n, rng, exponent)
    for pid, (sex, surname) in enumerate(zip(sexes, surnames, strict=True)):
        given = next(picks[sex][0])
        patronymic = next(picks[sex][1])
        ru_given = first_table[given][0].lower()
        ru_patr = patr_table[patronymic][0].lower()
        ru_surname = last_table[surname][0].lower()
        uk_s, ru_s = surname, ru_surname
        if sex == "f":
            uk_s, ru_s = _feminine_surname(uk_s, "uk"), _feminine_surname(ru_s, "ru")
        people.append(
            Person(pid, sex, tuple(w.title() for w in (uk_s, given, patronymic)),  # type: ignore[arg-type]
                   tuple(w.title() for w in (ru_s, ru_given, ru_patr)))  # type: ignore[arg-type]
        )
    return people


def make_lists(people: list[Person], scheme: scheme_registry.Scheme, n_true: int):
    """Left: people[: 2 * n_true] minus the right-only ones, in Ukrainian Cyrillic; right: the first n_true
    people plus others, in Latin."""
    both = people[:n_true]
    left_only = people[n_true : 2 * n_true]
    right_only = people[2 * n_true : 3 * n_true]

    def left_row(p: Person) -> dict:
        s, g, pa = p.uk
        return {"record_id": f"L{p.pid}", "surname": s, "given_name": g, "patronymic": pa, "sex": p.sex}

    def right_row(p: Person) -> dict:
        s, g, pa = p.ru if scheme.language == "ru" else p.uk
        return {"record_id": f"R{p.pid}", "surname": scheme.render(s), "given_name": scheme.render(g),
                "patronymic": scheme.render(pa), "sex": p.sex}

    left = [left_row(p) for p in both + left_only]
    right = [right_row(p) for p in both + right_only]
    truth = {(f"L{p.pid}", f"R{p.pid}") for p in both}
    return left, right, truth


def key_figures(left: list[dict], right: list[dict], truth: set[tuple[str, str]]) -> tuple[float, float]:
    """(key recall, false shares per 1,000 right-side name parts).

    A false share: a Latin name part whose groups meet the groups of a left-side name that the true
    Cyrillic name itself does not meet -- an equivalence the Latin reading invented.
    """
    from homeward.names import name_keys

    parts = (("given_name", "given"), ("surname", "surname"), ("patronymic", "patronymic"))

    def keys(row: dict) -> tuple[tuple[str, ...], ...]:
        return tuple(name_keys(row[col], part).groups for col, part in parts)  # type: ignore[arg-type]

    def agree(a, b) -> bool:
        (ga, sa, pa), (gb, sb, pb) = a, b
        return bool(ga and gb and ga[0] == gb[0] and set(sa) & set(sb) and set(pa) & set(pb))

    lk = {r["record_id"]: keys(r) for r in left}
    rk = {r["record_id"]: keys(r) for r in right}
    recall = sum(agree(lk[a], rk[b]) for a, b in truth) / len(truth)
    true_left = {b: a for a, b in truth}
    false = checked = 0
    for i, (col, part) in enumerate(parts):
        index: dict[str, set[str]] = defaultdict(set)
        for r in left:
            for g in lk[r["record_id"]][i]:
                index[g].add(r[col])
        for r in right:
            lid = true_left.get(r["record_id"])
            if lid is None:
                continue
            checked += 1
            own = set(lk[lid][i])
            met = {name for g in rk[r["record_id"]][i] for name in index.get(g, ())}
            if any(not own & set(name_keys(name, part).groups) for name in met):  # type: ignore[arg-type]
                false += 1
    return recall, 1000 * false / checked


def link_figures(
    left: list[dict], right: list[dict], truth: set[tuple[str, str]], model: str
) -> tuple[float, float, float]:
    from homeward.linkage.core import link, reference_model

    result = link(left, right, trained_model=reference_model() if model == "reference" else None)
    found = {(x.left_id, x.right_id) for x in result.links}
    tp = len(found & truth)
    recall = tp / len(truth)
    precision = tp / len(found) if found else 0.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return recall, precision, f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="true pairs per scheme (each list is 2n)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--zipf", type=float, default=1.0, help="Zipf exponent of name frequencies")
    parser.add_argument("--schemes", default="", help="comma-separated substrings of scheme ids")
    parser.add_argument("--keys-only", action="store_true", help="skip the linkage runs")
    parser.add_argument("--model", choices=("trained", "reference", "both"), default="both",
                        help="linkage with a model trained on each pair of lists (EM, as `homeward link` does), "
                             "with the shipped reference model (names effects only), or both")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    os.environ.setdefault("TQDM_DISABLE", "1")

    people = draw_people(3 * args.n, args.seed, args.zipf)
    chosen = [s for s in scheme_registry.all_schemes()
              if not args.schemes or any(part in s.id for part in args.schemes.split(","))]
    if not args.keys_only:  # the reference first, so every row can show its gap to it
        chosen = [s for s in scheme_registry.all_schemes() if s.id == REFERENCE] + [
            s for s in chosen if s.id != REFERENCE]
    print(f"{len(people):,} people drawn (seed {args.seed}, Zipf {args.zipf}); {args.n:,} true pairs per scheme, "
          f"lists of {2 * args.n:,}; no birth dates or places")
    models = [] if args.keys_only else (["trained", "reference"] if args.model == "both" else [args.model])
    header = f"{'scheme':<46} {'source':<13} {'key rec':>7} {'false/1k':>9}"
    for model in models:
        tag = "EM" if model == "trained" else "ref"
        header += f" | {tag + ' rec':>7} {'prec':>6} {'F1':>6} {'vs ICAO':>7}"
    print(header)
    rows: dict[str, list[tuple[str, float, float]]] = {m: [] for m in models}
    reference_recall: dict[str, float] = {}
    started_all = time.perf_counter()
    for scheme in chosen:
        left, right, truth = make_lists(people, scheme, args.n)
        k_rec, k_fp = key_figures(left, right, truth)
        line = f"{scheme.id:<46} {scheme.source:<13} {k_rec:>7.3f} {k_fp:>9.1f}"
        for model in models:
            rec, prec, f1 = link_figures(left, right, truth, model)
            if scheme.id == REFERENCE:
                reference_recall[model] = rec
            gap = rec - reference_recall.get(model, float("nan"))
            line += f" | {rec:>7.3f} {prec:>6.3f} {f1:>6.3f} {gap:>+7.3f}"
            rows[model].append((scheme.id, rec, prec))
        print(line, flush=True)
    for model, results in rows.items():
        if not results or model not in reference_recall:
            continue
        ref = reference_recall[model]
        worst = min(results, key=lambda r: r[1])
        worst_p = min(results, key=lambda r: r[2])
        within = sum(1 for _, rec, _ in results if rec >= ref - 0.03)
        precise = sum(1 for _, _, prec in results if prec >= 0.99)
        print(f"{model} model: ICAO recall {ref:.3f}; "
              f"lowest recall {worst[1]:.3f} ({worst[0]}, {worst[1] - ref:+.3f}); "
              f"within 0.03 of ICAO: {within}/{len(results)}; lowest precision {worst_p[2]:.3f} ({worst_p[0]}); "
              f"precision >= 0.99: {precise}/{len(results)}")
    print(f"total {time.perf_counter() - started_all:.0f} s")


if __name__ == "__main__":
    main()
