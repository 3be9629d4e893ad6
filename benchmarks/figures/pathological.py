"""How long the claims extractor takes on pathological inputs (long runs of numbers, dots, one huge word,
thousands of repeated phrases). Prints CPU seconds per input; the target is well under 10 s each on 2 cores.

    python benchmarks/figures/pathological.py
"""

from __future__ import annotations

import time

from homeward.figures.extract import extract

INPUTS = {
    "20,000 bare numbers": "1 " * 20000,
    "5,000 dotted numbers": "1.1.1.1." * 5000,
    "one 100,000-letter word": "a" * 100000,
    "3,000 x '12 children,'": "12 children, " * 3000,
    "2,000 Ukrainian sentences": "Понад 500 дітей депортовано до Росії. " * 2000,
}


def main() -> None:
    extract("warm up: 5 children returned.")
    print(f"{'input':<28} {'chars':>8} {'claims':>7} {'cpu s':>7}")
    for name, text in INPUTS.items():
        t = time.process_time()
        claims = extract(text)
        print(f"{name:<28} {len(text):>8} {len(claims):>7} {time.process_time() - t:>7.2f}")


if __name__ == "__main__":
    main()
