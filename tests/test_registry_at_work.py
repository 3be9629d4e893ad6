"""The registry at work (issue 14, item 5): sortable columns, an export of the current filter (CSV/XLSX, audited,
formula-safe, no restricted fields) and a bulk case-worker assignment for the mediator."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from homeward.accounts.models import AuditEvent
from homeward.registry.models import Case
from tests.factories import make_child


@pytest.fixture
def registry(users: dict[str, Any]) -> dict[str, Any]:
    return {
        "ua_a": make_child(users["ua"], surname="Антоненко", given_name="Марія", region="Херсон",
                           medical_needs="asthma-secret"),
        "ua_b": make_child(users["ua"], surname="Бондар", given_name="Іван", region="Запоріжжя"),
        "ua_formula": make_child(users["ua"], surname="=HYPERLINK(\"http://x\")", given_name="Олег"),
        "ru": make_child(users["ru"], surname="Иванова-Секретная", given_name="Мария", sex="F"),
    }


def _names(response: Any) -> list[str]:
    body = response.content.decode()
    return [n for n in ("Антоненко", "Бондар", "HYPERLINK", "Иванова") if n in body]


def test_the_children_list_sorts_by_name_both_ways(client: Any, users: dict[str, Any], registry: Any) -> None:
    client.force_login(users["ua"])
    body = client.get("/children/?sort=name").content.decode()
    assert body.index("Антоненко") < body.index("Бондар")
    body = client.get("/children/?sort=-name").content.decode()
    assert body.index("Бондар") < body.index("Антоненко")
    assert 'aria-sort="descending"' in body


def test_an_unknown_sort_falls_back_to_newest_first(client: Any, users: dict[str, Any], registry: Any) -> None:
    client.force_login(users["ua"])
    body = client.get("/children/?sort=medical_needs").content.decode()
    assert body.index("HYPERLINK") < body.index("Бондар") < body.index("Антоненко")


def test_ua_officer_export_holds_only_ua_children_of_the_filter(client: Any, users: dict[str, Any],
                                                                registry: Any) -> None:
    client.force_login(users["ua"])
    response = client.get("/children/export.csv?region=Херсон")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "party", "surname"]
    assert [r[2] for r in rows[1:]] == ["Антоненко"]
    everything = client.get("/children/export.csv").content.decode("utf-8-sig")
    assert "Иванова" not in everything and "asthma-secret" not in everything


def test_the_export_neutralises_formulas(client: Any, users: dict[str, Any], registry: Any) -> None:
    client.force_login(users["ua"])
    body = client.get("/children/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_the_xlsx_export_opens_and_keeps_the_order(client: Any, users: dict[str, Any], registry: Any) -> None:
    from openpyxl import load_workbook

    client.force_login(users["mediator"])
    response = client.get("/children/export.xlsx?sort=name")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    surnames = [row[2] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert surnames.index("Антоненко") < surnames.index("Бондар") < surnames.index("Иванова-Секретная")


def test_an_export_writes_one_audit_row_with_a_count_and_no_names(client: Any, users: dict[str, Any],
                                                                  registry: Any) -> None:
    client.force_login(users["ua"])
    before = AuditEvent.objects.filter(action="export").count()
    client.get("/children/export.csv")
    rows = AuditEvent.objects.filter(action="export").order_by("-id")
    assert rows.count() == before + 1
    row = rows.first()
    assert row is not None and row.object_id == "3 records" and row.user == users["ua"]
    assert "Антоненко" not in row.object_id + row.object_type


def test_auditors_and_anonymous_visitors_get_no_export(client: Any, users: dict[str, Any], registry: Any) -> None:
    assert client.get("/children/export.csv").status_code == 302
    client.force_login(users["auditor"])
    assert client.get("/children/export.csv").status_code == 404


def test_an_unknown_export_format_is_not_found(client: Any, users: dict[str, Any], registry: Any) -> None:
    client.force_login(users["ua"])
    assert client.get("/children/export.pdf").status_code == 404


def test_the_mediator_assigns_a_case_worker_to_several_children_at_once(client: Any, users: dict[str, Any],
                                                                        registry: Any) -> None:
    client.force_login(users["mediator"])
    ids = [registry["ua_a"].pk, registry["ru"].pk]
    response = client.post("/children/assign/", {"ids": ids, "caseworker": users["caseworker"].pk})
    assert response.status_code == 302
    assert set(Case.objects.filter(caseworker=users["caseworker"]).values_list("child_id", flat=True)) == set(ids)


def test_a_party_officer_cannot_assign_case_workers_in_bulk(client: Any, users: dict[str, Any],
                                                            registry: Any) -> None:
    client.force_login(users["ua"])
    response = client.post("/children/assign/", {"ids": [registry["ua_a"].pk], "caseworker": users["caseworker"].pk})
    assert response.status_code == 404
    assert not Case.objects.filter(caseworker__isnull=False).exists()


def test_bulk_assignment_refuses_a_non_mediator_as_case_worker(client: Any, users: dict[str, Any],
                                                               registry: Any) -> None:
    client.force_login(users["mediator"])
    client.post("/children/assign/", {"ids": [registry["ua_a"].pk], "caseworker": users["ua"].pk})
    assert not Case.objects.filter(caseworker__isnull=False).exists()


def test_only_the_mediator_sees_the_bulk_controls(client: Any, users: dict[str, Any], registry: Any) -> None:
    client.force_login(users["ua"])
    assert 'name="ids"' not in client.get("/children/").content.decode()
    client.force_login(users["mediator"])
    assert 'name="ids"' in client.get("/children/").content.decode()
