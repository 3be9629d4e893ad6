"""Lazy Django set-up for the commands that need the database."""

from __future__ import annotations

import os

_ready = False


def setup() -> None:
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    import django

    from homeward import collector

    django.setup()
    collector.tune()  # the served process's thresholds: a list import spent ~30 % of its CPU in the collector
    _ready = True
