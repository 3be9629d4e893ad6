"""Throughput of homeward.names.name_keys on a realistic mixed stream.

The stream: N name parts (default 1,000,000) drawn with a Zipf-like distribution (weight 1/rank**1.1)
from the names_translator dictionaries (given names, surnames, patronymics), each rendered in one of
several scripts/schemes: Ukrainian Cyrillic, its Russian equivalent, KMU 2010, Ukrainian passport 2007,
Russian ICAO 2013 and passport 1997, German-style, plus some upper-case and homoglyph-damaged spellings.

Prints the lexicon build time and names/s (by CPU time and by wall-clock time) for three passes:
  cold+build  first pass in a fresh process (includes building the dictionaries on first use)
  cold        caches of name_keys/ascii_key cleared, dictionaries already built
  warm        the same stream again with the caches hot

Usage: .venv/bin/python benchmarks/names/bench_names.py [N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import time
from itertools import accumulate

from homeward.names import name_keys, transliterate
from homeward.names.fold import ascii_key

RENDERINGS = (
    ("uk", 0.38), ("ru", 0.22), ("uk_kmu2010", 0.15), ("uk_passport2007", 0.04), ("ru_icao2013", 0.08),
    ("ru_passport1997", 0.04), ("uk_german", 0.02), ("upper", 0.05), ("homoglyph", 0.02),
)
PARTS = (("given", "first", 0.4, 4_000), ("surname", "last", 0.4, 40_000), ("patronymic", "patronymic", 0.2, 4_000))
_HOMOGLYPHS = str.maketrans("аеорсі", "aeopci")


def render(uk: str, ru: str, how: str) -> str:
    if how == "uk":
        return uk
    if how == "ru":
        return ru
    if how == "upper":
        return uk.upper()
    if how == "homoglyph":
        return uk[:1] + uk[1:].translate(_HOMOGLYPHS)
    source = ru if how.startswith("ru_") else uk
    return transliterate(source, how)


def make_stream(n: int, seed: int) -> list[tuple[str, str]]:
    from names_translator.dicts import default_dicts

    rng = random.Random(seed)
    dicts = default_dicts()
    how_names = [h for h, _ in RENDERINGS]
    how_weights = list(accumulate(w for _, w in RENDERINGS))
    stream: list[tuple[str, str]] = []
    counts = {part: int(n * share) for part, _, share, _ in PARTS}
    counts["given"] += n - sum(counts.values())
    for part, pool, _, size in PARTS:
        table = dicts.as_dict(pool)
        keys = sorted(table)
        rng.shuffle(keys)
        names = keys[:size]
        weights = list(accumulate(1 / (rank + 1) ** 1.1 for rank in range(len(names))))
        rendered: dict[tuple[str, str], str] = {}
        picks = rng.choices(range(len(names)), cum_weights=weights, k=counts[part])
        hows = rng.choices(how_names, cum_weights=how_weights, k=counts[part])
        for i, how in zip(picks, hows, strict=True):
            uk = names[i].title()
            cache_key = (uk, how)
            text = rendered.get(cache_key)
            if text is None:
                ru = (table[names[i]] or [uk])[0]
                text = rendered[cache_key] = render(uk, ru, how)
            stream.append((text, part))
    rng.shuffle(stream)
    return stream


def run(stream: list[tuple[str, str]]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) for one pass; CPU time is the fairer figure on a shared machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    for text, part in stream:
        name_keys(text, part)  # type: ignore[arg-type]
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args()

    t0 = time.perf_counter()
    stream = make_stream(args.n, args.seed)
    distinct = len(set(stream))
    print(f"stream: {len(stream):,} name parts, {distinct:,} distinct (generated in {time.perf_counter() - t0:.1f}s)")

    from homeward.names.lexicon import given_lexicon, surname_lexicon

    cold_build = run(stream)
    builds = {
        "first": given_lexicon("first").build_seconds,
        "patronymic": given_lexicon("patronymic").build_seconds,
        "last": surname_lexicon().build_seconds,
    }
    print("lexicon build (s, after names_translator dictionaries are loaded): "
          + ", ".join(f"{k} {v:.2f}" for k, v in builds.items()))
    name_keys.cache_clear()
    ascii_key.cache_clear()
    cold = run(stream)
    warm = run(stream)
    n = len(stream)
    for label, (wall, cpu) in (("cold+build", cold_build), ("cold", cold), ("warm", warm)):
        print(
            f"{label:>10}: {n / cpu:>10,.0f} names/s CPU ({cpu:.2f}s)"
            f"   {n / wall:>10,.0f} names/s wall ({wall:.2f}s)"
        )


if __name__ == "__main__":
    main()
