"""Ambiguity made visible (pure Python): records for which two or more records of the other list are
about equally likely.

A one-to-one step that meets namesakes with the same birth date, or a record without a birth date
among common names, would otherwise pick one of the rivals at random (a tie broken by row order) or
drop them all below the threshold. Here such a record and all its rivals form an *ambiguous group*:
its rivals are the candidate pairs whose match weight is within :data:`RIVAL_BITS` of the record's
best pair (a Bayes factor within a factor of two), and the group counts when there are at least two
rivals and together they are likely enough (their probabilities, which exclude each other in a
one-to-one exchange, sum to at least the threshold). Ambiguous pairs are taken out of the links
and sent to review with all rivals side by side.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

RIVAL_BITS = 1.0
"""Pairs whose match weights are within this many bits of the best one are rivals."""
FLOOR = 0.02
"""Lowest match probability a rival can have (pairs below it are not candidates at all)."""

LEFT, RIGHT = "left", "right"


@dataclass(frozen=True)
class Candidate:
    left_id: str
    right_id: str
    match_probability: float
    match_weight: float


@dataclass(frozen=True)
class Group:
    """One record (``side``, ``record_id``) and its rivals on the other list, strongest first."""

    side: str
    record_id: str
    rivals: tuple[Candidate, ...]

    @property
    def group_id(self) -> str:
        return f"{self.side}:{self.record_id}"


def groups(pairs: Iterable[Candidate], threshold: float, *, bits: float = RIVAL_BITS) -> list[Group]:
    """The ambiguous groups among ``pairs`` (each side's records in turn; ordered by side, then id)."""
    by_side: dict[str, dict[str, list[Candidate]]] = {LEFT: {}, RIGHT: {}}
    for c in pairs:
        if c.match_probability < FLOOR:
            continue
        by_side[LEFT].setdefault(c.left_id, []).append(c)
        by_side[RIGHT].setdefault(c.right_id, []).append(c)
    best = {side: {k: max(c.match_weight for c in v) for k, v in by_side[side].items()} for side in by_side}
    out: list[Group] = []
    for side in (LEFT, RIGHT):
        other = RIGHT if side == LEFT else LEFT
        for record_id in sorted(by_side[side]):
            found = by_side[side][record_id]
            if len(found) < 2:
                continue
            found.sort(key=lambda c: (-c.match_weight, c.left_id, c.right_id))
            top = found[0].match_weight
            # a rival is close to this record's best pair, and not clearly explained by a better pair
            # of its own (a namesake whose own child is also on this list is no rival)
            rivals = tuple(
                c
                for c in found
                if c.match_weight >= top - bits
                and c.match_weight >= best[other][c.right_id if side == LEFT else c.left_id] - bits
            )
            if len(rivals) >= 2 and sum(c.match_probability for c in rivals) >= threshold:
                out.append(Group(side, record_id, rivals))
    return out


def ambiguous_pairs(found: Iterable[Group]) -> set[tuple[str, str]]:
    return {(c.left_id, c.right_id) for g in found for c in g.rivals}
