"""The API under an OpenAPI fuzzer (schemathesis), against a live test server, as every role: no request it
generates may give a server error, and every documented response must match the schema.

Marked ``fuzz``: ``make unit`` (the SQLite leg) leaves it out, the PostgreSQL leg of ``.ci/run`` runs it (the
database where numbers out of range used to reach a query). ``HOMEWARD_FUZZ_EXAMPLES`` sets the examples per
operation and role (default 3: about 1,300 requests). Generation is derandomised: a failure repeats.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.factories import (
    cleared_case,
    import_list,
    make_child,
    make_pairs,
    make_parties,
    make_person,
    make_tracing_request,
    make_users,
    password_of,
    planned_operation,
)

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

ROLES = ("mediator", "caseworker", "ua", "ru", "ngo", "auditor")
EXAMPLES = int(os.environ.get("HOMEWARD_FUZZ_EXAMPLES", "3"))
# Starting a matching run matches the whole registry in the request here (jobs run inline in tests): it would
# take most of the time. Its routes are covered by tests/test_linkage_review.py and the access matrix.
SKIPPED = {("POST", "/api/v1/linkage/runs")}


def _seed(settings: Any) -> dict[str, Any]:
    settings.EXCHANGE_MATCH_ON_IMPORT = False
    parties = make_parties()
    users = make_users(parties)
    for key in ("ua", "ru"):
        child = make_child(users[key], surname=f"Фазз-{key}")
        make_tracing_request(users[key], requester=make_person(users[key], child=child))
    import_list(users["ua"], parties["UA"], concerning=parties["RU"])
    operation_cases = [cleared_case(users["ru"], users["mediator"], surname="Фазз-Повернення")]
    planned_operation(users, parties, operation_cases)
    make_pairs(users, n=1)
    return users


def test_the_api_gives_no_server_error_and_answers_as_its_schema_says_for_every_role(live_server, settings,
                                                                                     tmp_path):
    import requests
    import schemathesis
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import settings as hsettings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    from homeward.api import api

    settings.HOME = tmp_path
    users = _seed(settings)
    base = live_server.url + "/api/v1"
    tokens = {}
    for role in ROLES:
        user = users[role]
        resp = requests.post(base + "/auth/token", json={"username": user.username,
                                                         "password": password_of(user.username)}, timeout=30)
        assert resp.status_code == 200, resp.text
        tokens[role] = resp.json()["token"]

    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 60
    failures: list[str] = []
    session = requests.Session()

    def fuzz(operation: Any, role: str, headers: dict[str, str]) -> None:
        @hsettings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                   phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def exercise(case: Any) -> None:
            status: int | str = "no answer"
            try:
                response = case.call(base_url=live_server.url, session=session, headers=headers, timeout=120)
                status = response.status_code
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
            except Exception as exc:  # noqa: BLE001 - collected and reported together below
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                failures.append(f"{role} {operation.method.upper()} {operation.path}: {status} {first}")

        exercise()

    for role in ROLES:
        for operation in operations:
            if (operation.method.upper(), operation.path) in SKIPPED:
                continue
            # signing in takes no token (its throttle and lockout are tested in test_login_lockout)
            bearer = {} if operation.path == "/api/v1/auth/token" else {"Authorization": "Bearer " + tokens[role]}
            fuzz(operation, role, bearer)

    assert not failures, f"{len(failures)} failures:\n" + "\n".join(sorted(set(failures))[:80])
