"""Demo notifications: the other demo loaders make theirs through the real services (a forwarded list, its
answers, the matching run's pairs, hand-overs); this one gives the demo users e-mail addresses (reserved
``.invalid`` names; the demo's console backend prints what would be sent to a user who ticks e-mail) and
runs the follow-up reminder once, as the worker's periodic job would, so the bell shows the overdue visits
at once. Idempotent."""

from __future__ import annotations

from homeward.notifications import services

DEMO_USERS = ("mediator", "mediator-cw", "ua-officer", "ru-officer", "ngo-worker", "auditor")


def load_demo() -> dict[str, int]:
    from homeward.accounts.models import User

    for u in User.objects.filter(username__in=DEMO_USERS, email=""):
        User.objects.filter(pk=u.pk).update(email=f"{u.username}@demo.homeward.invalid")
    return {"follow_ups": services.remind_follow_ups()}
