"""The verification checklist of a case and the gates it feeds.

Rules (see ``docs/returns.md``):

* verifying → cleared_for_return: every checklist item confirmed (each needs at least one evidence
  document and the name of whoever confirmed it), unless a mediator recorded a justified exception
  for the missing items; an exception stays flagged on the case and in every operation it joins.
* reunited → closed: every follow-up visit done, or a closure reason recorded (missed visits are not
  done: they need a reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from homeward.registry.models import Case
from homeward.returns.models import (
    ClosureReason,
    EvidenceDocument,
    FollowUp,
    FollowUpStatus,
    Item,
    Verification,
    VerificationException,
)


@dataclass
class Row:
    item: str
    label: str
    verification: Verification | None
    documents: list[EvidenceDocument] = field(default_factory=list)
    waived: bool = False

    @property
    def confirmed(self) -> bool:
        return bool(self.verification and self.verification.confirmed)

    @property
    def satisfied(self) -> bool:
        return self.confirmed or self.waived


def waived_items(case: Case) -> set[str]:
    return {i for exc in VerificationException.objects.filter(case=case) for i in exc.items}


def rows(case: Case) -> list[Row]:
    found = {v.item: v for v in Verification.objects.filter(case=case).prefetch_related("documents")}
    waived = waived_items(case)
    out = []
    for item in Item:
        v = found.get(item.value)
        out.append(Row(item.value, str(item.label), v, list(v.documents.all()) if v else [], item.value in waived))
    return out


def unmet(case: Case) -> list[str]:
    """Labels of the items neither confirmed nor waived (no personal data)."""
    return [r.label for r in rows(case) if not r.satisfied]


def is_flagged(case: Case) -> bool:
    return VerificationException.objects.filter(case=case).exists()


def clearance_gate(case: Case) -> list[str]:
    return unmet(case)


def closure_gate(case: Case) -> list[str]:
    if ClosureReason.objects.filter(case=case).exists():
        return []
    visits = list(FollowUp.objects.filter(case=case).all())
    if not visits:
        return [_("follow-up visits (none scheduled) or a closure reason")]
    done = sum(1 for v in visits if v.status == FollowUpStatus.DONE)
    if done < len(visits):
        return [_("follow-up visits done (%(done)s of %(total)s) or a closure reason")
                % {"done": done, "total": len(visits)}]
    return []
