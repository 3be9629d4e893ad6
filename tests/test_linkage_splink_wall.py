"""Splink behind one wall: the private Splink API the matcher uses still exists, and only
``homeward/linkage/core/_splink.py`` touches it."""

from __future__ import annotations

import re
from pathlib import Path

import homeward
from homeward.linkage.core import _splink

SRC = Path(homeward.__file__).parent
PRIVATE = re.compile(
    r"splink\.internals|\._settings_obj|\._populate_|_comparison_levels_excluding_null|_trained_[mu]_prob"
)


def test_every_splink_internal_the_matcher_uses_still_exists() -> None:
    assert _splink.check() == []


def test_installed_splink_is_the_tested_minor_version() -> None:
    import splink

    assert tuple(int(x) for x in splink.__version__.split(".")[:2]) == _splink.SPLINK_MINOR


def test_no_module_outside_the_wall_uses_splink_internals() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "_splink.py" and PRIVATE.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_wall_test_would_notice_a_missing_internal(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(_splink, "LEVEL_INTERNALS", (*_splink.LEVEL_INTERNALS, "_no_such_internal"))
    assert "ComparisonLevel._no_such_internal" in _splink.check()
