"""Demo notifications: the other demo loaders make theirs through the real services (a forwarded list, its
answers, the matching run's pairs, hand-overs); this one runs the follow-up reminder once, as the worker's
periodic job would, so the bell shows the demo's overdue visits at once. Idempotent."""

from __future__ import annotations

from homeward.notifications import services


def load_demo() -> dict[str, int]:
    return {"follow_ups": services.remind_follow_ups()}
