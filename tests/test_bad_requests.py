"""Every bad request answered: bounded page sizes and parameters (422 or a clean page, never a 500), upload
limits enforced before and while a body is read, optimistic locking on follow-up visits and operation edits,
and fields only the mediator may set refused to others. Tests named after a row of issue 13 failed on the
code before it."""

from __future__ import annotations

import io
from typing import Any

import pytest

from tests.factories import make_child, planned_operation

pytestmark = pytest.mark.django_db

HUGE = str(10**21)
PAGED = ["/api/v1/children", "/api/v1/persons", "/api/v1/tracing-requests", "/api/v1/cases",
         "/api/v1/case-statuses", "/api/v1/linkage/candidates", "/api/v1/notifications",
         "/api/v1/returns/operations", "/api/v1/returns/follow-ups", "/api/v1/lists/"]


# --- page sizes and parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGED)
@pytest.mark.parametrize("query,field", [("limit=" + HUGE, "limit"), ("limit=1000000000", "limit"),
                                         ("limit=1001", "limit"), ("limit=0", "limit"),
                                         ("offset=" + HUGE, "offset"), ("offset=-1", "offset")])
def test_out_of_range_page_parameters_are_a_422_naming_the_parameter(client, token_for, ua_child, path, query, field):
    """The issue's row: ``?limit=10^21`` answered 500 and ``limit=10^9`` was accepted."""
    resp = client.get(f"{path}?{query}", **token_for("mediator"))
    assert resp.status_code == 422, resp.content
    assert [k for k in resp.json()["errors"] if k.endswith(field)], resp.json()


@pytest.mark.parametrize("path", PAGED)
def test_the_largest_page_is_a_thousand(client, token_for, ua_child, path):
    resp = client.get(f"{path}?limit=1000&offset=1000000000", **token_for("mediator"))
    assert resp.status_code == 200
    assert resp.json()["items"] == []


def test_every_paged_api_list_uses_the_bounded_pagination():
    """ninja's own LimitOffsetPagination leaves offset unbounded (the fuzzer's 500 on /api/v1/notifications)."""
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "src" / "homeward"
    unbounded = [str(p.relative_to(src)) for p in src.rglob("*.py") if p.name != "pagination.py"
                 and "LimitOffsetPagination" in p.read_text(encoding="utf-8")]
    assert not unbounded, f"use homeward.pagination.Pagination in: {unbounded}"


@pytest.fixture
def version(users, parties) -> Any:
    from tests.factories import UA_ROWS, import_list

    return import_list(users["ua"], parties["UA"], rows=UA_ROWS[:3]).version


def test_the_names_of_a_list_version_come_a_page_at_a_time_in_row_order(client, token_for, version):
    """The names of a version were one unbounded list; now they are paged like every other API list."""
    path = f"/api/v1/lists/versions/{version.pk}/entries"
    first = client.get(path, {"limit": 2}, **token_for("ua")).json()
    rest = client.get(path, {"limit": 2, "offset": 2}, **token_for("ua")).json()
    rows = list(version.entries.order_by("row").values_list("pk", flat=True))
    assert first["count"] == rest["count"] == 3
    assert [e["id"] for e in first["items"]] + [e["id"] for e in rest["items"]] == rows
    assert [e["row"] for e in first["items"]] == sorted(e["row"] for e in first["items"])


def test_lists_come_a_page_at_a_time_newest_first_and_a_party_counts_only_the_lists_it_may_see(client, token_for,
                                                                                               users, parties):
    from tests.factories import UA_ROWS, import_list

    ua_lists = [import_list(users["ua"], parties["UA"], title=f"UA list {n}", rows=UA_ROWS[:2]).version.party_list
                for n in range(3)]
    import_list(users["ru"], parties["RU"], title="RU list, nothing forwarded", rows=UA_ROWS[:2])
    first = client.get("/api/v1/lists/", {"limit": 2}, **token_for("ua")).json()
    rest = client.get("/api/v1/lists/", {"limit": 2, "offset": 2}, **token_for("ua")).json()
    assert first["count"] == rest["count"] == 3
    assert [p["id"] for p in first["items"] + rest["items"]] == [p.pk for p in reversed(ua_lists)]
    assert all(p["names"] == 2 for p in first["items"] + rest["items"])
    assert client.get("/api/v1/lists/", **token_for("mediator")).json()["count"] == 4


def test_operations_come_a_page_at_a_time_and_a_party_pages_and_counts_only_its_own(client, token_for, users,
                                                                                     parties):
    """The operations were one unbounded list; now they are paged, latest planned start first, and ``count``
    never counts an operation the caller's party takes no part in."""
    import datetime as dt

    from homeward.returns import services

    def operation(name: str, to_party: str, day: int) -> Any:
        return services.create_operation(users["mediator"], name=name, from_party=parties["RU"],
                                         to_party=parties[to_party], planned_start=dt.date(2026, 3, day),
                                         planned_end=dt.date(2026, 3, day + 1), capacity=5)

    ua_ops = [operation(f"RU to UA {n}", "UA", n) for n in (1, 5, 9)]
    others = [operation(f"RU to QA {n}", "QA", n) for n in (2, 3, 6, 10)]
    path = "/api/v1/returns/operations"
    first = client.get(path, {"limit": 2}, **token_for("ua")).json()
    rest = client.get(path, {"limit": 2, "offset": 2}, **token_for("ua")).json()
    assert first["count"] == rest["count"] == 3
    assert [o["id"] for o in first["items"] + rest["items"]] == [op.pk for op in reversed(ua_ops)]
    beyond = client.get(path, {"limit": 2, "offset": 3}, **token_for("ua")).json()
    assert beyond == {"items": [], "count": 3}
    everything = client.get(path, {"limit": 3, "offset": 3}, **token_for("mediator")).json()
    assert everything["count"] == len(ua_ops) + len(others)
    assert [o["planned_start"] for o in everything["items"]] == ["2026-03-05", "2026-03-03", "2026-03-02"]


@pytest.mark.parametrize("query,field", [("limit=" + HUGE, "limit"), ("limit=1001", "limit"), ("limit=0", "limit"),
                                         ("offset=" + HUGE, "offset"), ("offset=-1", "offset")])
def test_out_of_range_page_parameters_of_a_versions_names_are_a_422_naming_them(client, token_for, version, query,
                                                                                 field):
    resp = client.get(f"/api/v1/lists/versions/{version.pk}/entries?{query}", **token_for("ua"))
    assert resp.status_code == 422, resp.content
    assert [k for k in resp.json()["errors"] if k.endswith(field)], resp.json()


def test_the_operations_calendar_of_month_9999_12_is_a_clean_page(client, users):
    """The issue's row: ``/returns/?month=9999-12`` answered 500 (no month follows December 9999)."""
    client.force_login(users["mediator"])
    for month in ("9999-12", "0001-01", "2026-13", "x"):
        resp = client.get("/returns/", {"month": month})
        assert resp.status_code == 200, month


@pytest.mark.parametrize("query", [f"index={HUGE}", f"index=0&size={HUGE}", "index=-5"])
def test_ledger_inclusion_parameters_out_of_range_are_a_422(client, token_for, query):
    assert client.get(f"/api/v1/ledger/proof/inclusion?{query}", **token_for("auditor")).status_code == 422


@pytest.mark.parametrize("query", [f"start={HUGE}", f"start=0&end={HUGE}", "start=-1"])
def test_ledger_entries_parameters_out_of_range_are_a_422(client, token_for, query):
    assert client.get(f"/api/v1/ledger/entries?{query}", **token_for("auditor")).status_code == 422


@pytest.mark.parametrize("path", [f"/ledger/entries?start={HUGE}", f"/ledger/proof/inclusion?index={HUGE}",
                                  f"/ledger/proof/consistency?old={HUGE}"])
def test_ledger_json_pages_answer_a_400_to_numbers_out_of_range(client, users, path):
    client.force_login(users["auditor"])
    resp = client.get(path)
    assert resp.status_code == 400
    assert "between" in resp.json()["detail"]


# --- fields only the mediator sets --------------------------------------------------------------------------


def _uncased_child(user: Any) -> Any:
    from homeward.registry import services
    from homeward.registry.models import Child

    return services.save_new(user, Child(given_name="Тарас", surname="Відкритий"))


def test_a_party_officer_may_not_set_the_requesting_party_of_a_case(client, token_for, users):
    """The issue's row: ``POST /api/v1/cases {"requesting_party": "RU"}`` as a UA officer was accepted, and the
    case then showed on RU's status list. Now it is refused with a 422 naming the field, and nothing is made."""
    from homeward.registry.models import Case

    child = _uncased_child(users["ua"])
    resp = client.post("/api/v1/cases", {"child_id": child.pk, "requesting_party": "RU"},
                       content_type="application/json", **token_for("ua"))
    assert resp.status_code == 422
    assert list(resp.json()["errors"]) == ["requesting_party"]
    assert not Case.objects.filter(child=child).exists()
    assert client.get("/api/v1/case-statuses", **token_for("ru")).json()["count"] == 0


def test_a_party_officer_opens_a_case_without_a_requesting_party(client, token_for, users):
    child = _uncased_child(users["ua"])
    resp = client.post("/api/v1/cases", {"child_id": child.pk}, content_type="application/json", **token_for("ua"))
    assert resp.status_code == 201
    assert resp.json()["requesting_party"] is None


def test_the_mediator_sets_the_requesting_party(client, token_for, users):
    child = _uncased_child(users["ua"])
    resp = client.post("/api/v1/cases", {"child_id": child.pk, "requesting_party": "RU"},
                       content_type="application/json", **token_for("mediator"))
    assert resp.status_code == 201
    assert resp.json()["requesting_party"] == "RU"
    assert client.get("/api/v1/case-statuses", **token_for("ru")).json()["count"] == 1


# --- records without a name ----------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [{}, {"surname": "  ", "given_name": "\t"}, {"patronymic": "Петрович"}],
                         ids=["empty", "blanks", "patronymic-only"])
def test_a_child_posted_without_a_name_is_a_422_naming_the_surname_and_nothing_is_made(client, token_for, body):
    """``POST /api/v1/children {}`` made a nameless child; now a child needs a surname or a given name."""
    from homeward.registry.models import Child

    resp = client.post("/api/v1/children", body, content_type="application/json", **token_for("ua"))
    assert resp.status_code == 422
    assert list(resp.json()["errors"]) == ["surname"]
    assert not Child.objects.exists()


def test_a_child_posted_with_a_given_name_only_is_registered(client, token_for):
    resp = client.post("/api/v1/children", {"given_name": "Тарас"}, content_type="application/json",
                       **token_for("ua"))
    assert resp.status_code == 201
    assert resp.json()["given_name"] == "Тарас"


def test_an_edit_that_blanks_a_childs_name_is_a_422_and_changes_nothing(client, token_for, ua_child):
    resp = client.put(f"/api/v1/children/{ua_child.pk}", {"version": ua_child.version, "surname": " "},
                      content_type="application/json", **token_for("ua"))
    assert resp.status_code == 422
    assert list(resp.json()["errors"]) == ["surname"]
    ua_child.refresh_from_db()
    assert ua_child.surname == "Ткаченко"


def test_a_person_posted_with_a_blank_surname_is_a_422_naming_it(client, token_for):
    from homeward.registry.models import Person

    resp = client.post("/api/v1/persons", {"surname": "   ", "relationship": "mother"},
                       content_type="application/json", **token_for("ua"))
    assert resp.status_code == 422
    assert list(resp.json()["errors"]) == ["surname"]
    assert not Person.objects.exists()


def test_a_tracing_request_posted_without_the_sought_childs_name_is_a_422_naming_the_surname(client, token_for,
                                                                                            users):
    from homeward.registry.models import TracingRequest
    from tests.factories import make_person

    mother = make_person(users["ua"])
    resp = client.post("/api/v1/tracing-requests", {"requester_id": mother.pk, "surname": " "},
                       content_type="application/json", **token_for("ua"))
    assert resp.status_code == 422
    assert list(resp.json()["errors"]) == ["surname"]
    assert not TracingRequest.objects.exists()


def test_an_operation_posted_with_a_blank_name_is_a_422_naming_it(client, token_for):
    from homeward.returns.models import ReturnOperation

    resp = client.post("/api/v1/returns/operations",
                       {"name": "  ", "from_party": "RU", "to_party": "UA", "planned_start": "2026-01-10",
                        "planned_end": "2026-01-12"}, content_type="application/json", **token_for("mediator"))
    assert resp.status_code == 422
    assert list(resp.json()["errors"]) == ["name"]
    assert not ReturnOperation.objects.exists()


# --- upload limits ------------------------------------------------------------------------------------------


class Unread(io.BytesIO):
    """A request body that fails the test if anything reads it."""

    def read(self, *args: Any) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def test_an_upload_declared_over_the_limit_is_a_413_before_its_body_is_read(client, token_for):
    """The issue's row: a 400 MB evidence upload grew the server by 390 MB before the 20 MB limit refused it."""
    resp = client.generic("POST", "/api/v1/lists/import", b"", content_type="multipart/form-data; boundary=x",
                          CONTENT_LENGTH=str(400 * 2**20), **{"wsgi.input": Unread()}, **token_for("ua"))
    assert resp.status_code == 413
    assert "20 MB" in resp.json()["detail"]


def test_an_evidence_file_over_the_limit_is_refused_on_the_page_and_nothing_is_stored(client, users, two_cleared,
                                                                                   settings, tmp_path):
    from homeward.returns.models import EvidenceDocument

    settings.HOME = tmp_path
    settings.UPLOAD_MAX_BYTES = 1000
    case = two_cleared[1]
    client.force_login(users["ua"])
    before = EvidenceDocument.objects.count()
    big = io.BytesIO(b"x" * 300_000)
    big.name = "scan.pdf"
    resp = client.post(f"/returns/cases/{case.pk}/verification/documents/",
                       {"item": "identity", "kind": "passport", "file": big})
    assert resp.status_code == 413
    assert EvidenceDocument.objects.count() == before


def test_a_file_passing_the_limit_is_stopped_while_it_streams(client, token_for, users, two_cleared, settings,
                                                             tmp_path):
    """Declared within the margin for form fields, the file itself passes the limit: the handler stops reading it
    at the first chunk past the limit, and the request is refused (400) with nothing stored."""
    from homeward.returns.models import EvidenceDocument

    settings.HOME = tmp_path
    settings.UPLOAD_MAX_BYTES = 1000
    case = two_cleared[1]
    before = EvidenceDocument.objects.count()
    small_over = io.BytesIO(b"x" * 1500)
    small_over.name = "scan.pdf"
    resp = client.post(f"/api/v1/returns/cases/{case.pk}/verification/documents",
                       {"item": "identity", "kind": "passport", "file": small_over}, **token_for("ua"))
    assert resp.status_code == 400
    assert EvidenceDocument.objects.count() == before


def test_the_upload_handler_refuses_the_first_chunk_past_the_limit(settings):
    from homeward.uploads import LimitedUploadHandler, UploadTooLarge

    settings.UPLOAD_MAX_BYTES = 1000
    handler = LimitedUploadHandler()
    assert handler.receive_data_chunk(b"x" * 600, 0) == b"x" * 600
    assert handler.receive_data_chunk(b"x" * 400, 600) == b"x" * 400
    with pytest.raises(UploadTooLarge):
        handler.receive_data_chunk(b"x", 1000)


def test_a_file_within_the_limit_is_stored(client, token_for, two_cleared, settings, tmp_path):
    from homeward.returns.models import EvidenceDocument

    settings.HOME = tmp_path
    case = two_cleared[1]
    scan = io.BytesIO(b"%PDF scan")
    scan.name = "scan.pdf"
    resp = client.post(f"/api/v1/returns/cases/{case.pk}/verification/documents",
                       {"item": "identity", "kind": "passport", "file": scan}, **token_for("ua"))
    assert resp.status_code == 201, resp.content
    assert EvidenceDocument.objects.filter(verification__case=case).exclude(stored_name="").exists()


# --- optimistic locking -------------------------------------------------------------------------------------


@pytest.fixture
def op(users, parties, two_cleared):
    return planned_operation(users, parties, two_cleared[:1], confirm=False)


LEG = {"from_place": "Kyiv", "from_country": "Ukraine", "to_place": "Lviv", "to_country": "Ukraine", "mode": "rail"}


def test_an_operation_edit_from_a_stale_version_is_a_409_and_changes_nothing(client, token_for, op):
    """The issue's row: operation edits (members, legs, hand-overs) took no expected version."""
    headers = token_for("mediator")
    legs = op.legs.count()
    resp = client.post(f"/api/v1/returns/operations/{op.pk}/legs", {**LEG, "version": op.version - 1},
                       content_type="application/json", **headers)
    assert resp.status_code == 409
    assert op.legs.count() == legs
    resp = client.post(f"/api/v1/returns/operations/{op.pk}/legs", {**LEG, "version": op.version},
                       content_type="application/json", **headers)
    assert resp.status_code == 201
    assert resp.json()["version"] == op.version + 1
    assert op.legs.count() == legs + 1


def test_two_edits_made_from_the_same_version_the_second_is_a_409(client, token_for, op, parties):
    headers = token_for("mediator")
    seen = op.version
    person = {"kind": "escort", "full_name": "Escort One", "party": "QA", "version": seen}
    assert client.post(f"/api/v1/returns/operations/{op.pk}/people", person, content_type="application/json",
                       **headers).status_code == 201
    handover = {"before_leg": 2, "place": "Riga", "country": "Latvia", "from_party": "QA", "to_party": "UA",
                "version": seen}
    resp = client.post(f"/api/v1/returns/operations/{op.pk}/handovers", handover, content_type="application/json",
                       **headers)
    assert resp.status_code == 409
    assert not op.handovers.filter(place="Riga").exists()


def test_removing_a_member_from_a_stale_version_is_a_409(client, token_for, op):
    member = op.members.get()
    resp = client.delete(f"/api/v1/returns/operations/{op.pk}/members/{member.pk}?version={op.version - 1}",
                         **token_for("mediator"))
    assert resp.status_code == 409
    assert op.members.filter(pk=member.pk).exists()


def test_adding_a_child_from_a_stale_version_is_a_409(client, token_for, users, parties, op):
    from tests.factories import cleared_case

    other = cleared_case(users["ua"], users["mediator"], surname="Третій")
    resp = client.post(f"/api/v1/returns/operations/{op.pk}/members", {"case_id": other.pk, "version": 1},
                       content_type="application/json", **token_for("mediator"))
    assert op.version > 1
    assert resp.status_code == 409
    assert not op.members.filter(case=other).exists()


def test_a_leg_posted_from_a_stale_operation_page_is_refused_with_the_input_kept(client, users, op):
    client.force_login(users["mediator"])
    legs = op.legs.count()
    form = {"leg-from_place": "Kyiv", "leg-from_country_0": "UA", "leg-to_place": "Lviv", "leg-to_country_0": "UA",
            "leg-mode": "rail", "leg-carrier": "Rail-Stale", "version": op.version - 1}
    resp = client.post(f"/returns/{op.pk}/legs/", form)
    assert op.legs.count() == legs
    assert resp.status_code == 422
    assert "Rail-Stale" in resp.content.decode()
    assert "changed by someone else" in resp.content.decode()


def test_the_operation_page_carries_the_version_in_each_edit_form(client, users, op):
    client.force_login(users["mediator"])
    body = client.get(f"/returns/{op.pk}/").content.decode()
    assert body.count(f'name="version" value="{op.version}"') >= 6


def _follow_up(users: dict[str, Any]) -> Any:
    import datetime as dt

    from homeward.returns.models import FollowUp

    case = make_child(users["ua"], surname="Відвіданий").case
    return FollowUp.objects.create(case=case, months=1, due=dt.date(2026, 2, 1))


def test_a_follow_up_visit_recorded_from_a_stale_version_is_a_409(client, token_for, users):
    """The issue's row: follow-up visits took no expected version."""
    fu = _follow_up(users)
    headers = token_for("ua")
    first = client.post(f"/api/v1/returns/follow-ups/{fu.pk}", {"status": "done", "outcome": "well",
                                                                "version": fu.version},
                        content_type="application/json", **headers)
    assert first.status_code == 200, first.content
    assert first.json()["version"] == fu.version + 1
    second = client.post(f"/api/v1/returns/follow-ups/{fu.pk}", {"status": "missed", "version": fu.version},
                         content_type="application/json", **headers)
    assert second.status_code == 409
    fu.refresh_from_db()
    assert fu.status == "done"


def test_a_follow_up_visit_posted_from_a_stale_page_is_not_recorded(client, users):
    fu = _follow_up(users)
    client.force_login(users["ua"])
    resp = client.post(f"/returns/follow-ups/{fu.pk}/", {"status": "missed", "version": fu.version + 1},
                       follow=True)
    assert resp.status_code == 200
    assert "changed by someone else" in resp.content.decode()
    fu.refresh_from_db()
    assert fu.status == "scheduled"
