from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeward import access
from homeward.access import AuthedRequest, page
from homeward.accounts import audit, throttle, tokens
from homeward.exceptions import InputError


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        address = request.META.get("REMOTE_ADDR")
        if throttle.is_locked(username, address):
            messages.error(request, _("Too many failed attempts. Try again in a few minutes."))
            return self.render_to_response(self.get_context_data(form=self.get_form()), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        throttle.note_failure(self.request.POST.get("username", ""), self.request.META.get("REMOTE_ADDR"))
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        throttle.clear(form.get_user().get_username())
        return super().form_valid(form)


@page(access.reads_audit)
def audit_log(request: AuthedRequest) -> HttpResponse:
    """The access and change trail; the mediator administrator's page only."""
    qs = access.audit_events(request.user)
    get = request.GET
    for field in ("action", "object_type", "party_code", "route"):
        if get.get(field):
            qs = qs.filter(**{field: get[field].strip()})
    if get.get("actor"):
        qs = qs.filter(user__username=get["actor"].strip())
    if get.get("object_id"):  # the record itself, or any list page, search or export that carried it
        oid = get["object_id"].strip()
        qs = qs.filter(Q(object_id=oid) | Q(ids__contains=f",{oid},"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit.html", {"page": page, "filters": request.GET})


@page()
def token_list(request: AuthedRequest) -> HttpResponse:
    """The user's own API tokens: list, create (the value is shown once) and revoke."""
    user = request.user
    new_token = None
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            days = int(request.POST.get("days") or settings.API_TOKEN_DAYS)
        except ValueError:
            days = 0
        try:
            token, raw = tokens.issue(user, name=request.POST.get("name", ""), days=days)
        except InputError as exc:
            errors = exc.errors
        else:
            audit.record(user, "token", token)
            new_token = {"token": token, "raw": raw}
    return render(request, "accounts/tokens.html", {
        "tokens": tokens.owned_by(user)[:100], "new_token": new_token, "errors": errors,
        "max_days": settings.API_TOKEN_DAYS, "form": request.POST if errors else {},
    }, status=422 if errors else 200)


@page()
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = tokens.revoke(request.user, pk)
    audit.record(request.user, "token_revoke", token)
    messages.success(request, _("The token %(prefix)s… is revoked.") % {"prefix": token.prefix})
    return redirect("tokens")
