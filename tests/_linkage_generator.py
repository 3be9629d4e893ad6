"""The linkage benchmark's data generator (benchmarks/linkage/generate.py), imported for tests that need a
generated pair of lists; the calling test is skipped where the benchmarks are not present."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "linkage"


def generator() -> ModuleType:
    if not (BENCH / "generate.py").exists():
        pytest.skip("benchmarks/linkage not present")
    sys.path.insert(0, str(BENCH))
    try:
        import generate
    finally:
        sys.path.remove(str(BENCH))
    return generate
