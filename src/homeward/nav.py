"""The main navigation: one entry per page a role may open, and nothing else.

Each entry names its URL and a predicate on the user; the predicate is the same rule the page's own view
enforces (a page the nav offers never answers 404 to the user it was offered to — ``tests/test_nav_crawl.py``
opens every entry as every role). Apps add their pages here, not in ``base.html``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from homeward.accounts.roles import Role

Rule = Callable[[Any], bool]


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _mediator(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_mediator)


def _registry(user: Any) -> bool:
    """The register's pages: mediator roles, party officers and NGO case workers (not auditors)."""
    from homeward.registry import access

    return _signed_in(user) and access.may_create(user)


def _lists(user: Any) -> bool:
    from homeward.exchange import access

    return _signed_in(user) and access.may_use(user)


def _returns(user: Any) -> bool:
    from homeward.returns import access

    return _signed_in(user) and (user.is_mediator or access.is_officer(user))


def _audit(user: Any) -> bool:
    return _signed_in(user) and user.role == Role.MEDIATOR_ADMIN


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str | Promise
    rule: Rule
    # URL names (or namespaces, ending in ":") under which this entry is the current page.
    sections: tuple[str, ...] = ()


ENTRIES: list[Entry] = [
    Entry("dashboard", _("Dashboard"), _signed_in, ("dashboard",)),
    Entry("children", _("Children"), _registry, ("children", "child_create", "child_detail", "child_edit",
                                                 "person_create", "person_detail")),
    Entry("tracing_list", _("Tracing requests"), _registry, ("tracing_list", "tracing_create", "tracing_detail",
                                                             "tracing_edit", "tracing_withdraw")),
    Entry("linkage:review", _("Review queue"), _mediator, ("linkage:",)),
    Entry("exchange:lists", _("Lists"), _lists, ("exchange:",)),
    Entry("returns:operations", _("Returns"), _returns, ("returns:",)),
    Entry("ledger:index", _("Ledger"), _signed_in, ("ledger:",)),
    Entry("figures:stats", _("Figures"), lambda user: True, ("figures:",)),
    Entry("audit", _("Audit trail"), _audit, ("audit",)),
]


def _current(entry: Entry, view_name: str) -> bool:
    return any(view_name.startswith(s) if s.endswith(":") else view_name == s for s in entry.sections)


def items(user: Any, view_name: str = "") -> list[dict[str, Any]]:
    """The entries ``user`` may open, as ``{"url", "label", "current"}``, in menu order."""
    if not _signed_in(user):
        return []
    out = []
    for entry in ENTRIES:
        if not entry.rule(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:  # an app that is not installed
            continue
        out.append({"url": url, "label": entry.label, "current": _current(entry, view_name),
                    "name": entry.url_name})
    return out
