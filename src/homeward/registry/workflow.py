"""The case workflow: states, and which role may move a case from which state to which.

This table is the single source of truth; ``docs/architecture.md`` shows it and the pages and the
API offer exactly the transitions it allows. Later domains (returns) may add *gates* — extra
conditions checked before a transition — through :func:`register_gate`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.accounts.roles import Role


class CaseStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    LOCATED = "located", _("Located")
    VERIFYING = "verifying", _("Verifying")
    CLEARED_FOR_RETURN = "cleared_for_return", _("Cleared for return")
    IN_MEDIATOR_CARE = "in_mediator_care", _("In mediator's care")
    IN_TRANSIT = "in_transit", _("In transit")
    REUNITED = "reunited", _("Reunited")
    CLOSED = "closed", _("Closed")
    NOT_FOUND = "not_found", _("Not found")
    DECLINED = "declined", _("Declined")
    CONTESTED = "contested", _("Contested")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = CaseStatus
MEDIATORS = frozenset({Role.MEDIATOR_ADMIN, Role.MEDIATOR_CASEWORKER})
ADMIN = frozenset({Role.MEDIATOR_ADMIN})
SUBMITTER = "submitter"  # the party officer of the party that submitted the child

MAIN_PATH = [S.REPORTED, S.LOCATED, S.VERIFYING, S.CLEARED_FOR_RETURN, S.IN_MEDIATOR_CARE, S.IN_TRANSIT,
             S.REUNITED, S.CLOSED]
OPEN_BEFORE_CARE = [S.REPORTED, S.LOCATED, S.VERIFYING, S.CLEARED_FOR_RETURN]


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset[str]
    submitter_may: bool = False  # the submitting party's officer may also take it
    reason_required: bool = False


def _build() -> dict[tuple[str, str], Transition]:
    table: list[Transition] = []
    for a, b in zip(MAIN_PATH, MAIN_PATH[1:], strict=False):
        table.append(Transition(a, b, ADMIN if b == S.CLEARED_FOR_RETURN else MEDIATORS))
    for src in OPEN_BEFORE_CARE:
        table.append(Transition(src, S.NOT_FOUND, MEDIATORS, reason_required=True))
        table.append(Transition(src, S.DECLINED, MEDIATORS, reason_required=True))
        table.append(Transition(src, S.CONTESTED, MEDIATORS, submitter_may=True, reason_required=True))
        table.append(Transition(src, S.WITHDRAWN, ADMIN, submitter_may=True, reason_required=True))
    table += [
        Transition(S.CONTESTED, S.VERIFYING, MEDIATORS, reason_required=True),
        Transition(S.CONTESTED, S.WITHDRAWN, ADMIN, submitter_may=True, reason_required=True),
        Transition(S.NOT_FOUND, S.LOCATED, MEDIATORS, reason_required=True),
        Transition(S.NOT_FOUND, S.CLOSED, ADMIN, reason_required=True),
        Transition(S.DECLINED, S.CLOSED, ADMIN, reason_required=True),
        Transition(S.WITHDRAWN, S.CLOSED, ADMIN, reason_required=True),
        Transition(S.IN_MEDIATOR_CARE, S.CONTESTED, MEDIATORS, reason_required=True),
    ]
    return {(t.source, t.target): t for t in table}


TRANSITIONS: dict[tuple[str, str], Transition] = _build()

# Gates: (source, target) -> checks returning a list of unmet conditions (human-readable, no personal data).
Gate = Callable[[Any], list[str]]
_GATES: dict[tuple[str, str], list[Gate]] = {}


def register_gate(source: str, target: str, gate: Gate) -> None:
    _GATES.setdefault((source, target), []).append(gate)


def gates_for(source: str, target: str) -> list[Gate]:
    return list(_GATES.get((source, target), []))


def may_take(transition: Transition, role: str, is_submitter: bool) -> bool:
    return role in transition.roles or (transition.submitter_may and is_submitter and role == Role.PARTY_OFFICER)


def table_rows() -> list[dict[str, str]]:
    """The table as rows for docs and the help page."""
    rows = []
    for t in TRANSITIONS.values():
        who = sorted(str(r) for r in t.roles) + (["submitting party_officer"] if t.submitter_may else [])
        rows.append({"from": t.source, "to": t.target, "who": ", ".join(who),
                     "reason": "required" if t.reason_required else "optional"})
    return rows


def markdown_table() -> str:
    """The table as Markdown, as it stands in docs/architecture.md (a test keeps the two equal)."""
    lines = ["| from | to | who may | reason |", "| --- | --- | --- | --- |"]
    lines += [f"| `{r['from']}` | `{r['to']}` | {r['who']} | {r['reason']} |" for r in table_rows()]
    return "\n".join(lines)
