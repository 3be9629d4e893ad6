from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from homeward import access
from homeward.access import AuthedRequest, page
from homeward.accounts import audit, throttle, tokens, twofactor
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
        user = form.get_user()
        auth_login(self.request, user)
        if twofactor.pending(self.request):
            # the password was right; the failures stay counted until the second step is passed too
            step = "two_factor_verify" if twofactor.session_enrolled(self.request) else "two_factor_enrol"
            return redirect(f"{reverse(step)}?{urlencode({'next': self.get_success_url()})}")
        throttle.clear(user.get_username())
        return HttpResponseRedirect(self.get_success_url())


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


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse(name)}?{urlencode({'next': _next_url(request)})}")


def _signed_in(request: HttpRequest) -> None:
    """The second step passed: a fresh session key, the lockout counter cleared."""
    request.session.cycle_key()
    request.session[twofactor.SESSION_ENROLLED] = True
    throttle.clear(request.user.get_username())


@login_required
def two_factor_verify(request: AuthedRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    user = request.user
    if not twofactor.enrolled(user):
        return _with_next("two_factor_enrol", request)
    if twofactor.is_verified(request):
        return redirect(_next_url(request))
    error = ""
    status = 200
    if request.method == "POST":
        address = request.META.get("REMOTE_ADDR")
        if throttle.is_locked(user.get_username(), address):
            error, status = _("Too many failed attempts. Try again in a few minutes."), 429
        else:
            device = twofactor.verify(user, request.POST.get("code", ""))
            if device is None:
                throttle.note_failure(user.get_username(), address)
                error = _("That code is not right (or was used already). Try the next code of your app.")
            else:
                otp_login(request, device)
                _signed_in(request)
                audit.record(user, "sign_in_2fa", object_type="user", object_id=user.pk)
                if isinstance(device, StaticDevice):
                    left = twofactor.recovery_codes_left(user)
                    messages.warning(request, ngettext(
                        "You used a recovery code; %(n)d is left. Make new ones on the two-factor page.",
                        "You used a recovery code; %(n)d are left. Make new ones on the two-factor page.",
                        left) % {"n": left})
                return redirect(_next_url(request))
    return render(request, "accounts/two_factor_verify.html", {"error": error, "next": _next_url(request)},
                  status=status)


@login_required
def two_factor_enrol(request: AuthedRequest) -> HttpResponse:
    """Set up the authenticator app (secret as text and otpauth:// URI, confirmed with a code), then show
    the recovery codes once. An enrolled user who has passed the second step may make new recovery codes."""
    user = request.user
    is_enrolled = twofactor.enrolled(user)
    if is_enrolled and not twofactor.is_verified(request):
        return _with_next("two_factor_verify", request)  # the password alone never changes the second factor
    if is_enrolled:
        if request.method == "POST" and request.POST.get("action") == "recovery_codes":
            fresh = twofactor.new_recovery_codes(user)
            audit.record(user, "recovery_codes", object_type="user", object_id=user.pk)
            return render(request, "accounts/recovery_codes.html", {"codes": fresh, "next": _next_url(request)})
        return render(request, "accounts/two_factor_status.html",
                      {"codes_left": twofactor.recovery_codes_left(user)})
    device = twofactor.pending_device(user)
    error = ""
    status = 200
    if request.method == "POST":
        address = request.META.get("REMOTE_ADDR")
        if throttle.is_locked(user.get_username(), address):
            error, status = _("Too many failed attempts. Try again in a few minutes."), 429
        else:
            codes = twofactor.confirm(user, request.POST.get("code", ""))
            if codes is None:
                throttle.note_failure(user.get_username(), address)
                error = _("That code is not right. Check the secret and the clock of your phone, and try the "
                          "next code.")
            else:
                device.refresh_from_db()
                otp_login(request, device)
                _signed_in(request)
                audit.record(user, "enrol_2fa", object_type="user", object_id=user.pk)
                return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
    return render(request, "accounts/two_factor_enrol.html", {
        "secret": twofactor.secret(device), "uri": twofactor.otpauth_uri(device), "error": error,
        "next": _next_url(request), "required": twofactor.role_requires(user),
    }, status=status)


@page()
def account(request: AuthedRequest) -> HttpResponse:
    """The user's own account: password, two-factor sign-in, API tokens."""
    user = request.user
    return render(request, "accounts/account.html", {
        "two_factor_required": twofactor.role_requires(user), "enrolled": twofactor.enrolled(user),
        "codes_left": twofactor.recovery_codes_left(user), "live_tokens": tokens.active(user).count(),
    })


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    MIN_LENGTH = 8  # as `homeward user add`

    def clean_new_password2(self) -> str:
        password = str(self.cleaned_data.get("new_password2") or "")
        if len(password) < self.MIN_LENGTH:
            raise ValidationError(_("Use at least %(n)d characters.") % {"n": self.MIN_LENGTH})
        return password


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password (the old one first). Every API token of the user is revoked (``User.save``);
    this session stays signed in, other sessions are signed out (Django's session hash)."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("account")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(self.request.user, "password_change", object_type="user", object_id=self.request.user.pk)
        messages.success(self.request, _("Your password is changed, and your API tokens are revoked."))
        return response
