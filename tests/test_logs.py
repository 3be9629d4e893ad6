"""Structured logs: key=value lines with a request id, and never a name, date of birth or place."""

from __future__ import annotations

import io
import logging
import re

import pytest

from homeward import logs

pytestmark = pytest.mark.django_db

SECRETS = ["Zaporozhets-Secret", "Жаннасекрет", "Мелітопольсекрет", "2013-07-01", "01.07.2013"]


@pytest.fixture
def captured():
    """Every log line Homeward and Django write during the test, formatted as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.KeyValueFormatter())
    handler.addFilter(logs.ContextFilter())
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in ("homeward", "django"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old)
        logging.getLogger("homeward").setLevel(logging.INFO)
        logging.getLogger("django").setLevel(logging.NOTSET)


def post(client, path, body, headers):
    return client.post(path, body, content_type="application/json", **headers)


def test_request_lines_are_key_value_with_a_request_id(client, users, captured):
    client.force_login(users["ua"])
    resp = client.get("/children/", HTTP_X_REQUEST_ID="trace-abc-123")
    assert resp.headers["X-Request-ID"] == "trace-abc-123"
    lines = [ln for ln in captured.getvalue().splitlines() if "event=request" in ln]
    assert lines, captured.getvalue()
    line = lines[-1]
    assert re.match(r"^time=\S+ level=info logger=homeward.requests request_id=trace-abc-123 event=request ", line)
    assert "route=children/" in line and "status=200" in line and "party=UA" in line


def test_an_unusable_request_id_is_replaced(client, captured):
    resp = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert re.fullmatch(r"[0-9a-f]{32}", resp.headers["X-Request-ID"])
    assert "newline" not in captured.getvalue()


def test_logs_never_contain_personal_data(client, users, token_for, captured):
    ua, mediator = token_for("ua"), token_for("mediator")
    body = {"given_name": SECRETS[1], "surname": SECRETS[0], "sex": "F", "birth_date": SECRETS[3],
            "birth_place": SECRETS[2]}
    created = post(client, "/api/v1/children", body, ua)
    assert created.status_code == 201, created.content
    child_id = created.json()["id"]
    opened = post(client, "/api/v1/cases", {"child_id": child_id}, ua)
    assert opened.status_code == 201, opened.content
    case_id = opened.json()["id"]
    # Bad input echoing the name, searches with it in the query string, pages showing it, a transition.
    assert post(client, "/api/v1/children", {**body, "birth_date": "2013-02-31"}, ua).status_code == 422
    assert client.get(f"/api/v1/children?q={SECRETS[0]}", **ua).status_code == 200
    assert client.get(f"/api/v1/children/{child_id}", **token_for("ru")).status_code == 404
    client.force_login(users["mediator"])
    assert client.get(f"/children/?q={SECRETS[1]}").status_code == 200
    assert client.get(f"/children/{child_id}/").status_code == 200
    assert client.get(f"/nowhere/{SECRETS[0]}/").status_code == 404
    moved = post(client, f"/api/v1/cases/{case_id}/transitions", {"to": "located", "reason": SECRETS[2]}, mediator)
    assert moved.status_code == 200, moved.content
    text = captured.getvalue()
    assert text.count("event=request") >= 8  # the requests above were logged, so the check below means something
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} appeared in the logs"
    assert "q=" not in text


def test_django_request_warnings_keep_the_status_but_not_the_path(client, captured):
    assert client.get(f"/children/{SECRETS[0]}/").status_code == 404
    assert client.get(f"/nowhere/{SECRETS[1]}/").status_code == 404
    text = captured.getvalue()
    assert "event=django_request status=404" in text
    assert SECRETS[0] not in text and SECRETS[1] not in text


def test_job_lines_carry_the_job_context(captured):
    log = logging.getLogger("homeward.jobs")
    with logs.context(job="run_match", attempt=2):
        log.info("event=run_done run=%d candidates=%d", 7, 3)
    line = captured.getvalue().splitlines()[-1]
    assert "job=run_match attempt=2 event=run_done run=7 candidates=3" in line


def test_exception_lines_keep_the_type_and_frames_but_not_the_message(captured):
    try:
        raise ValueError(f"bad surname {SECRETS[0]}")
    except ValueError:
        logging.getLogger("homeward.test").exception("event=failed")
    text = captured.getvalue()
    assert "exc=ValueError" in text and "File " in text
    assert SECRETS[0] not in text
