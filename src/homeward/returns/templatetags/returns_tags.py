"""Template tags for other domains' pages (the child page includes ``returns/_custody_for_child.html``)."""

from __future__ import annotations

from typing import Any

from django import template

from homeward import access
from homeward.registry.models import Case
from homeward.returns import checklist, services
from homeward.returns.models import FollowUp

register = template.Library()


@register.simple_tag(takes_context=True)
def custody_for(context: dict[str, Any], case: Case | None) -> dict[str, Any]:
    """Custody chain, current holder, checklist gaps and follow-ups of ``case``, within the viewer's scope."""
    user = context.get("user")
    if case is None or user is None or not access.return_cases(user).filter(pk=case.pk).exists():
        return {}
    visible_ops = set(access.operations(user).values_list("pk", flat=True))
    return {
        "steps": services.custody_chain(case),
        "holder": services.custodian(case),
        "unmet": checklist.unmet(case),
        "flagged": checklist.is_flagged(case),
        "follow_ups": list(FollowUp.objects.filter(case=case).all()),
        "visible_ops": visible_ops,
    }
