"""Named fault points for the fault tests: ``HOMEWARD_FAULT=name[,name…]`` kills the process there (SIGKILL).

Unset (always, outside the fault tests) a point does nothing. Points sit inside the transactions whose
atomicity the fault tests check: a list import, a case transition, a matching run storing its results.
"""

from __future__ import annotations

import os
import signal


def point(name: str) -> None:
    wanted = os.environ.get("HOMEWARD_FAULT")
    if wanted and name in wanted.split(","):
        os.kill(os.getpid(), signal.SIGKILL)
