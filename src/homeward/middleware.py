"""Middleware: the access policy's refusals as 404 pages, and the response headers every page gets
(a strict Content-Security-Policy and a few hardening headers)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse

from homeward.exceptions import NotFound


class NotFoundMiddleware:
    """A ``NotFound`` raised by a page view or a service becomes Django's 404 (the styled 404 page).

    The API maps it to a JSON 404 itself (``homeward.api``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            raise Http404("Not found.") from exception
        return None


class BearerApiMiddleware:
    """An API request that carries ``Authorization: Bearer …`` is the token's, never the page session's.

    Goes right after ``AuthenticationMiddleware``: the request's user becomes anonymous until the API's
    ``TokenAuth`` puts the token's user in its place, so neither django-otp nor the two-factor check nor
    anything else loads the session, its user and their authenticator for a request that will not use
    them (3 queries of a scripted client that also keeps a session cookie). Nothing is weakened: a revoked,
    expired or unknown token is refused even beside a signed-in session, instead of falling back to it,
    and a token's use is recorded and audited as before (``accounts.tokens.authenticate``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/") and bearer(request):
            request.user = AnonymousUser()
        return self.get_response(request)


def bearer(request: HttpRequest) -> bool:
    """The request names a bearer token (the scheme as django-ninja's ``HttpBearer`` reads it)."""
    scheme = request.headers.get("Authorization", "").split(" ", 1)[0]
    return scheme.lower() == "bearer"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if request.path.startswith("/api/v1/docs"):
            policy = settings.CONTENT_SECURITY_POLICY_API_DOCS
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Pages about children must not linger in shared caches or the browser's back-forward cache.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class RequestLogMiddleware:
    """Give each request an id (``X-Request-ID``, kept if the client sent a sane one) and log one line for it.

    The line names the route pattern, never the path's query string: ``event=request method=GET
    route=children/<int:pk>/ status=200 ms=12 user=4 party=UA``. ``/healthz`` is logged at debug level.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        import logging
        import re
        import time
        import uuid

        from homeward import logs

        given = request.headers.get("X-Request-ID", "")
        request_id = given if re.fullmatch(r"[A-Za-z0-9._-]{8,64}", given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.monotonic()
        with logs.context(request_id=request_id):
            response = self.get_response(request)
            user = getattr(request, "user", None)
            authenticated = bool(user is not None and user.is_authenticated)
            match = getattr(request, "resolver_match", None)
            route = match.route if match is not None else "unmatched"
            level = logging.DEBUG if request.path == "/healthz" else logging.INFO
            logging.getLogger("homeward.requests").log(
                level, "event=request method=%s route=%s status=%d ms=%d user=%s party=%s", request.method,
                logs.quote(route or "/"), response.status_code, (time.monotonic() - started) * 1000,
                user.pk if authenticated else "-", user.party_code or "-" if authenticated else "-")  # type: ignore[union-attr]
        response.headers["X-Request-ID"] = request_id
        return response
