
from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Schema

from homeward.accounts import audit, throttle
from homeward.accounts.models import ApiToken

router = Router(tags=["auth"])


class Credentials(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class Problem(Schema):
    detail: str


class MeOut(Schema):
    username: str
    party: str
    role: str


def client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


@router.post("/token", auth=None, response={200: TokenOut, 401: Problem, 429: Problem})
def obtain_token(request: HttpRequest, credentials: Credentials) -> tuple[int, dict[str, str]]:
    """Exchange a username and password for a bearer token (shown once; store it safely)."""
    address = client_address(request)
    if throttle.is_locked(credentials.username, address):
        return 429, {"detail": "Too many failed attempts. Try again later."}
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if user is None:
        throttle.note_failure(credentials.username, address)
        return 401, {"detail": "Wrong username or password."}
    throttle.clear(credentials.username)
    audit.record(user, "token", object_type="user", object_id=user.pk, via="api")
    return 200, {"token": ApiToken.issue(user)}


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, str]:
    """Who the token or session belongs to."""
    user = request.user
    return {"username": user.get_username(), "party": user.party_code, "role": user.role}  # type: ignore[union-attr]
