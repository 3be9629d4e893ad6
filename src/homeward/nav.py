"""The main navigation: one entry per page a role may open, and nothing else.

Each entry names its URL and a predicate on the user; the predicate is the same rule the page's own view
enforces (a page the nav offers never answers 404 to the user it was offered to — ``tests/test_nav_crawl.py``
opens every entry as every role). Apps add their pages here, not in ``base.html``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from homeward import access
from homeward.access import Viewer

Rule = Callable[[Viewer], bool]


def _signed_in(user: Viewer | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _everyone(user: Viewer) -> bool:
    return True


ENTRY_RULES: dict[str, Rule] = {
    "dashboard": _signed_in,
    "children": access.may_register,
    "tracing_list": access.may_register,
    "linkage:review": access.is_mediator,
    "exchange:lists": access.uses_lists,
    "returns:operations": access.uses_returns,
    "ledger:index": _signed_in,
    "figures:stats": _everyone,
    "audit": access.reads_audit,
}


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str | Promise
    rule: Rule
    # URL names (or namespaces, ending in ":") under which this entry is the current page.
    sections: tuple[str, ...] = ()


ENTRIES: list[Entry] = [
    Entry("dashboard", _("Dashboard"), ENTRY_RULES["dashboard"], ("dashboard",)),
    Entry("children", _("Children"), ENTRY_RULES["children"], ("children", "child_create", "child_detail", "child_edit",
                                                 "person_create", "person_detail")),
    Entry("tracing_list", _("Tracing requests"), ENTRY_RULES["tracing_list"],
          ("tracing_list", "tracing_create", "tracing_detail", "tracing_edit", "tracing_withdraw", "tracing_note")),
    Entry("linkage:review", _("Review queue"), ENTRY_RULES["linkage:review"], ("linkage:",)),
    Entry("exchange:lists", _("Lists"), ENTRY_RULES["exchange:lists"], ("exchange:",)),
    Entry("returns:operations", _("Returns"), ENTRY_RULES["returns:operations"], ("returns:",)),
    Entry("ledger:index", _("Ledger"), ENTRY_RULES["ledger:index"], ("ledger:",)),
    Entry("figures:stats", _("Figures"), ENTRY_RULES["figures:stats"], ("figures:",)),
    Entry("audit", _("Audit trail"), ENTRY_RULES["audit"], ("audit",)),
]


def _current(entry: Entry, view_name: str) -> bool:
    return any(view_name.startswith(s) if s.endswith(":") else view_name == s for s in entry.sections)


@functools.lru_cache(maxsize=256)
def _url(url_name: str, script_prefix: str, urlconf: Any) -> str | None:
    """``reverse(url_name)``, or ``None`` for an app that is not installed: once per process, not on every page
    (the URL patterns do not change while it runs; the script prefix and URLconf are part of the key)."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def items(user: Viewer | None, view_name: str = "") -> list[dict[str, Any]]:
    """The entries ``user`` may open, as ``{"url", "label", "current"}``, in menu order."""
    if not _signed_in(user):
        return []
    out = []
    for entry in ENTRIES:
        if not (user is not None and entry.rule(user)):
            continue
        url = _url(entry.url_name, get_script_prefix(), get_urlconf())
        if url is None:  # an app that is not installed
            continue
        out.append({"url": url, "label": entry.label, "current": _current(entry, view_name),
                    "name": entry.url_name})
    return out
