import datetime

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Field, Router, Status

from homeward.accounts import audit, throttle, tokens, twofactor
from homeward.accounts.models import ApiToken, User
from homeward.schema import Schema

router = Router(tags=["auth"])


class Credentials(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)
    name: str = Field("api", max_length=64, description="A label for the token; a new token of the same name "
                      "replaces the old one, so a script asking again does not pile up tokens.")
    days: int | None = Field(None, ge=1, le=3650, description="Lifetime in days (at most the server's maximum, "
                             "30 by default).")
    otp: str | None = Field(None, max_length=32, description="The current code of your authenticator app (or a "
                            "recovery code): required for the roles that sign in with two factors.")


class TokenOut(Schema):
    token: str
    id: int
    name: str
    expires_at: datetime.datetime


class TokenInfo(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    status: str


class Problem(Schema):
    detail: str


class MeOut(Schema):
    username: str
    party: str
    role: str


def client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


@router.post("/token", auth=None, response={200: TokenOut, 401: Problem, 422: Problem, 429: Problem})
def obtain_token(request: HttpRequest, credentials: Credentials) -> Status[dict[str, object]]:
    """Exchange a username and password (and, for two-factor users, the ``otp`` code) for a bearer token
    (shown once; store it safely).

    The token expires after ``days`` (default and maximum: the server's setting, 30 days). Asking again under
    the same ``name`` revokes the previous token of that name. List your tokens with ``GET /auth/tokens``
    and revoke one with ``DELETE /auth/tokens/{id}``.
    """
    address = client_address(request)
    if throttle.is_locked(credentials.username, address):
        return Status(429, {"detail": "Too many failed attempts. Try again later."})
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if user is None:
        throttle.note_failure(credentials.username, address)
        return Status(401, {"detail": "Wrong username or password."})
    assert isinstance(user, User)
    if twofactor.applies(user, twofactor.enrolled(user)):
        if not twofactor.enrolled(user):
            return Status(401, {"detail": "Two-factor sign-in is required: sign in on the web once and set up an "
                                          "authenticator app at /account/two-factor/ first."})
        if not credentials.otp:
            return Status(401, {"detail": "Give the current code of your authenticator app in the field 'otp'."})
        if twofactor.verify(user, credentials.otp) is None:
            throttle.note_failure(credentials.username, address)
            return Status(401, {"detail": "Wrong two-factor code (or one used already)."})
    token, raw = tokens.issue(user, name=credentials.name, days=credentials.days)
    throttle.clear(credentials.username)
    audit.record(user, "token", token, via="api")
    return Status(200, {"token": raw, "id": token.pk, "name": token.name, "expires_at": token.expires_at})


def _info(token: ApiToken) -> dict[str, object]:
    return {"id": token.pk, "name": token.name, "prefix": token.prefix, "created_at": token.created_at,
            "expires_at": token.expires_at, "last_used_at": token.last_used_at, "revoked_at": token.revoked_at,
            "status": token.status}


@router.get("/tokens", response=list[TokenInfo])
def list_tokens(request: HttpRequest) -> list[dict[str, object]]:
    """Your own API tokens (never their values), newest first, with their status: active, expired or revoked."""
    user = request.user
    assert isinstance(user, User)
    return [_info(t) for t in tokens.owned_by(user)[:200]]


@router.delete("/tokens/{token_id}", response={204: None, 404: Problem})
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    """Revoke one of your tokens at once (another user's token id answers 404). Revoking twice is harmless."""
    user = request.user
    assert isinstance(user, User)
    token = tokens.revoke(user, token_id)
    audit.record(user, "token_revoke", token, via="api")
    return Status(204, None)


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, str]:
    """Who the token or session belongs to."""
    user = request.user
    return {"username": user.get_username(), "party": user.party_code, "role": user.role}  # type: ignore[union-attr]
