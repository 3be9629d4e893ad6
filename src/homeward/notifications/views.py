"""The user's notifications: the list (mark read, all read), opening one, and the settings page.

Every view reads only the signed-in user's own notifications: another user's is a 404, like any record
outside one's scope."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeward import access
from homeward.access import AuthedRequest, page
from homeward.notifications import services
from homeward.notifications.models import Kind

PAGE_SIZE = 25


@page()
def notification_list(request: AuthedRequest) -> HttpResponse:
    qs = services.inbox(request.user)
    show = request.GET.get("show", "")
    if show == "unread":
        qs = qs.filter(read_at__isnull=True)
    pager = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"n": n, "text": services.text(n)} for n in pager]
    return render(request, "notifications/list.html", {
        "rows": rows, "page": pager, "show": show, "query": f"show={show}" if show else "",
        "unread": services.unread_count(request.user),
    })


@page()
def notification_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to what it is about (the target page checks access again)."""
    n = access.get(services.inbox(request.user), pk)
    services.mark_read(request.user, [n.pk])
    safe = n.link.startswith("/") and url_has_allowed_host_and_scheme(n.link, allowed_hosts=None)
    return HttpResponseRedirect(n.link if safe else "/")


@page()
@require_POST
def notification_read(request: AuthedRequest, pk: int) -> HttpResponse:
    n = access.get(services.inbox(request.user), pk)
    services.mark_read(request.user, [n.pk])
    return redirect("notifications:list")


@page()
@require_POST
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    done = services.mark_read(request.user)
    if done:
        messages.success(request, _("Every notification is marked read."))
    return redirect("notifications:list")


@page()
def notification_settings(request: AuthedRequest) -> HttpResponse:
    user = request.user
    kinds = services.KINDS_BY_ROLE.get(user.role, ())
    languages = [code for code, _name in settings.LANGUAGES]
    if request.method == "POST":
        choices = {k: services.Channels(in_app=f"{k}-in_app" in request.POST, email=f"{k}-email" in request.POST)
                   for k in kinds}
        lang = request.POST.get("language", "")
        services.save_preferences(user, choices, lang if lang in languages else None)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    rows = []
    for k in kinds:
        current = services.channels([user], k)
        rows.append({"kind": k, "label": Kind(k).label, "channels": current[user.pk]})
    lang = services.email_language(user) if services.has_email_language(user) else (get_language() or "en")
    return render(request, "notifications/settings.html", {
        "rows": rows, "email_languages": settings.LANGUAGES, "language": lang, "has_email": bool(user.email),
    })
