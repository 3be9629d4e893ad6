"""``get_FOO_display()`` without translating every choice on every call (installed in ``AccountsConfig.ready``).

Django's own builds ``dict(make_hashable(field.flatchoices))`` on each call, and hashing a ``(value, label)`` pair
hashes the lazily translated label, that is translates it: a case's ``get_status_display`` translated all eleven
statuses to show one, and a list page calls it once per row (~11 % of the children page's CPU, profiled with
benchmarks/load/profile_routes.py). Here each field's ``{value: lazy label}`` is built once, hashing the values
only, and a call translates the one label it returns, in the language active at the call, as before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def _display(field: models.Field[Any, Any]) -> Callable[[models.Model], Any]:
    labels: dict[Any, Any] = {}

    def display(self: models.Model) -> Any:
        if not labels:
            labels.update((make_hashable(value), label) for value, label in field.flatchoices)
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)

    display.__name__ = f"get_{field.name}_display"
    return display


def install(app_prefix: str = "homeward.") -> int:
    """Replace Django's ``get_FOO_display`` of every choice field of the project's models (not one a model
    defines itself); returns how many."""
    n = 0
    for model in apps.get_models():
        if not model.__module__.startswith(app_prefix):
            continue
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            current = model.__dict__.get(name)
            if field.choices is None or not isinstance(current, functools.partialmethod):
                continue  # no choices, inherited, or the model's own method
            setattr(model, name, _display(field))
            n += 1
    return n
