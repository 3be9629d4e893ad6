"""Error pages that keep the navigation. 404 and 403 are Django's handlers with our templates (they render
with the request, so the nav and language stay); 500 tries the same and falls back to a page that needs
nothing (no database, no session) when rendering with the request fails too."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

log = logging.getLogger("homeward.errors")


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return render(request, "500.html", status=500)
    except Exception:  # the error may be in what the full page needs (the database, the session)
        log.warning("the 500 page could not render with its context; serving the plain one")
        return HttpResponseServerError(loader.get_template("500_plain.html").render())


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page left open too long (or without cookies): say so, offer the way back."""
    return render(request, "403.html", {"csrf": True}, status=403)
