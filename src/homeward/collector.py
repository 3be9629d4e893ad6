"""The cyclic garbage collector's thresholds for Homeward's processes: one setting, shared by the server
(``homeward.wsgi``) and every command line that sets Django up (``homeward.cli._django``: ``homeward lists
import``, ``homeward worker``, ``homeward init`` ...).

A request or a list import allocates tens of thousands of short-lived containers (querysets, rows, model
instances, template contexts), which Python's default first threshold (700) collects hundreds of times a second,
and every few seconds a full collection walks the whole heap. Almost all of it is freed by reference counting;
the collector only finds cycles, which wait a little longer with these thresholds. Measured
(docs/benchmarks.md): served routes 7–9 % of the CPU in the collector with the defaults, 4–5 % with these; an
import of 10,000 list rows from the command line ~30 % with the defaults.
"""

from __future__ import annotations

import gc

#: (first, second, third) generation thresholds; Python's defaults are (700, 10, 10).
THRESHOLDS = (20_000, 20, 20)


def tune() -> None:
    """Set :data:`THRESHOLDS` for this process (idempotent)."""
    gc.set_threshold(*THRESHOLDS)
