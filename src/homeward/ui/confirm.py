"""A confirmation step for actions that cannot be taken back: sending names to the other party, signing,
appending to the ledger. The first POST shows what will happen; the same POST sent again with
``confirmed=1`` (the page's "Confirm" button) does it. Works without JavaScript.

    if not confirm.confirmed(request):
        return confirm.page(request, title=..., consequences=[...], action=_("Forward 12 names"),
                            cancel=reverse(...))
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

FIELD = "confirmed"


def confirmed(request: HttpRequest) -> bool:
    return request.POST.get(FIELD) == "1"


def page(request: HttpRequest, *, title: str, consequences: list[str], action: str, cancel: str,
         ledger: bool = False, items: list[str] | None = None, danger: bool = False) -> HttpResponse:
    hidden: list[tuple[str, str]] = [(k, v) for k in request.POST if k not in ("csrfmiddlewaretoken", FIELD)
                                     for v in request.POST.getlist(k)]
    if ledger:
        consequences = [*consequences, _("It is recorded in the ledger, which cannot be changed afterwards.")]
    ctx: dict[str, Any] = {"title": title, "consequences": consequences, "action": action, "cancel": cancel,
                           "hidden": hidden, "post_to": request.get_full_path(), "items": items or [],
                           "danger": danger}
    return render(request, "ui/confirm.html", ctx)
