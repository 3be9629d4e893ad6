"""The REST API under ``/api/v1/`` (django-ninja). Each domain contributes a router.

Authentication: ``Authorization: Bearer <token>`` (``POST /api/v1/auth/token``) or the page session.
Errors are JSON: ``{"detail": ..., "errors": {field: [messages]}}``; validation errors are 422 and name
the fields at fault. Records outside the caller's scope are 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, django_auth

from homeward.accounts.models import ApiToken
from homeward.exceptions import ConflictError, InputError, NotFound, TransitionError


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Homeward API",
    version="1",
    description="Tracing children separated by war and bringing them home. Records outside your "
    "party's scope answer 404.",
    auth=[TokenAuth(), django_auth],
    docs_url="/docs",
    urls_namespace="api",
)


def _field_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path")]
        fields.setdefault(".".join(loc) or "body", []).append(str(err.get("msg", "invalid")))
    return fields


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Invalid input.", "errors": _field_errors(exc.errors)},
                               status=422)


@api.exception_handler(InputError)
def _input(request: HttpRequest, exc: InputError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "errors": exc.errors}, status=422)


@api.exception_handler(ConflictError)
def _conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(TransitionError)
def _transition(request: HttpRequest, exc: TransitionError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "unmet": exc.unmet}, status=409)


@api.exception_handler(NotFound)
@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Out of scope and absent answer alike (``homeward.access``)."""
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Authentication required."}, status=401)


def _mount() -> None:
    from homeward.accounts.api import router as accounts
    from homeward.exchange.api import router as exchange
    from homeward.figures.api import router as figures
    from homeward.ledger.api import router as ledger
    from homeward.linkage.api import router as linkage
    from homeward.notifications.api import router as notifications
    from homeward.registry.api import router as registry
    from homeward.returns.api import router as returns

    api.add_router("/auth", accounts)
    api.add_router("/", registry)
    api.add_router("/linkage", linkage)
    api.add_router("/ledger", ledger)
    api.add_router("/lists", exchange)
    api.add_router("/returns", returns)
    api.add_router("/figures", figures)
    api.add_router("/notifications", notifications)


_mount()
