"""The list exchange API under /api/v1/lists/: import, forwarding, answers, report, diff; scoping."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from homeward.exchange import services
from homeward.exchange.models import EntryResponse, ListVersion
from tests.factories import UA_ROWS, ua_csv

SECRET_ROW = "Секретенко;Таємна;Іванівна;01.02.2012;ж;Херсон"


@pytest.fixture(autouse=True)
def _no_matching(settings: Any) -> None:
    settings.EXCHANGE_MATCH_ON_IMPORT = False


def upload(client: Any, headers: dict[str, str], data: bytes, **fields: Any) -> Any:
    return client.post("/api/v1/lists/import", {"file": SimpleUploadedFile("l.csv", data), "title": "Sought",
                                                **fields}, **headers)


def test_import_forward_answer_report_through_the_api(client, users, token_for):
    ua, med, ru = token_for("ua"), token_for("mediator"), token_for("ru")
    resp = upload(client, ua, ua_csv([*UA_ROWS, SECRET_ROW]))
    assert resp.status_code == 201, resp.content
    vid = resp.json()["id"]
    assert resp.json()["names"] == 4 and len(resp.json()["sha256"]) == 64
    entries = client.get(f"/api/v1/lists/versions/{vid}/entries", **med).json()["items"]
    assert client.get(f"/api/v1/lists/versions/{vid}", **ru).status_code == 404  # nothing forwarded yet
    resp = client.post(f"/api/v1/lists/versions/{vid}/forward", {"entries": [entries[0]["id"], entries[1]["id"]]},
                       content_type="application/json", **med)
    assert resp.json()["forwarded"] == 2
    seen = client.get(f"/api/v1/lists/versions/{vid}/entries", **ru).json()["items"]
    assert [e["surname"] for e in seen] == ["Коваленко", "Бондаренко"]
    meta = client.get(f"/api/v1/lists/versions/{vid}", **ru).json()
    assert meta["names"] == 2 and meta["rows"] is None and meta["rejected"] is None
    resp = client.post(f"/api/v1/lists/versions/{vid}/responses", {"answers": [
        {"entry": seen[0]["id"], "status": "located", "whereabouts": "Ростов"},
        {"entry": seen[1]["id"], "status": "deceased"}]}, content_type="application/json", **ru)
    assert resp.json()["recorded"] == 2
    report = client.get(f"/api/v1/lists/versions/{vid}/report", **ua).json()
    assert report["counts"]["located"] == 1 and report["counts"]["deceased"] == 1
    assert report["counts"]["not_forwarded"] == 2 and report["evidence"]["verified"] is True
    ua_view = client.get(f"/api/v1/lists/versions/{vid}/entries", **ua).json()["items"]
    assert ua_view[0]["status"] == "located" and ua_view[0]["whereabouts"] is None
    assert client.get(f"/api/v1/lists/versions/{vid}/export/pdf", **ua).content[:5] == b"%PDF-"
    lists = client.get("/api/v1/lists/", **ru).json()["items"]
    assert lists[0]["names"] == 2 and lists[0]["answered"] == 2


def test_rejected_import_is_422_with_the_row_report(client, users, token_for):
    resp = upload(client, token_for("ua"), ua_csv([*UA_ROWS, "Петренко;Олег;;31.02.2013;ч;"]))
    assert resp.status_code == 422
    body = resp.json()
    assert body["rows"] == [{"row": 5, "field": "birth_date", "column": "Дата народження",
                             "problem": "not a real date"}]
    assert "Петренко" not in resp.content.decode() and not ListVersion.objects.exists()
    rej = client.get(f"/api/v1/lists/rejections/{body['rejection']}", **token_for("ua"))
    assert rej.status_code == 200
    assert client.get(f"/api/v1/lists/rejections/{body['rejection']}", **token_for("ru")).status_code == 404
    resp = upload(client, token_for("ua"), ua_csv([*UA_ROWS, "Петренко;Олег;;31.02.2013;ч;"]), accept_valid="true")
    assert resp.status_code == 201 and resp.json()["rejected"] == 1


def test_ru_cannot_answer_or_see_unforwarded_names(client, users, parties, token_for):
    v = services.import_list(users["ua"], party=parties["UA"], title="T", filename="l.csv",
                             data=ua_csv([*UA_ROWS, SECRET_ROW])).version
    ids = list(v.entries.order_by("row").values_list("pk", flat=True))
    services.forward(users["mediator"], v, ids[:1])
    ru = token_for("ru")
    resp = client.post(f"/api/v1/lists/versions/{v.pk}/responses",
                       {"answers": [{"entry": ids[3], "status": "located"}]}, content_type="application/json", **ru)
    assert resp.status_code == 404 and not EntryResponse.objects.exists()
    body = client.get(f"/api/v1/lists/versions/{v.pk}/report", **ru).content.decode()
    assert "Секретенко" not in body and json.loads(body)["counts"]["not_forwarded"] == 0
    for fmt in ("csv", "xlsx", "pdf"):
        export = client.get(f"/api/v1/lists/versions/{v.pk}/export/{fmt}", **ru)
        assert export.status_code == 200
        if fmt == "csv":
            assert "Секретенко" not in export.content.decode("utf-8-sig")
    assert client.post(f"/api/v1/lists/versions/{v.pk}/forward", {}, content_type="application/json",
                       **ru).status_code == 404


@pytest.mark.parametrize("who", ["ru", "ngo", "auditor"])
def test_every_route_is_404_for_another_party(client, users, parties, token_for, who):
    v = services.import_list(users["ua"], party=parties["UA"], title="T", filename="l.csv", data=ua_csv()).version
    e = v.entries.first()
    h = token_for(who)
    for url in (f"/api/v1/lists/versions/{v.pk}", f"/api/v1/lists/versions/{v.pk}/entries",
                f"/api/v1/lists/versions/{v.pk}/report", f"/api/v1/lists/versions/{v.pk}/export/csv",
                f"/api/v1/lists/versions/{v.pk}/export/xlsx", f"/api/v1/lists/versions/{v.pk}/export/pdf",
                f"/api/v1/lists/diff?a={v.pk}&b={v.pk}"):
        resp = client.get(url, **h)
        assert resp.status_code == 404, url
        assert "Коваленко" not in resp.content.decode()
    for url, body in ((f"/api/v1/lists/versions/{v.pk}/forward", {}),
                      (f"/api/v1/lists/versions/{v.pk}/responses",
                       {"answers": [{"entry": e.pk, "status": "located"}]})):
        assert client.post(url, body, content_type="application/json", **h).status_code == 404, url
    listing = client.get("/api/v1/lists/", **h)
    # a party officer lists lists (none of its own here); NGO workers and auditors have no list pages at all
    assert listing.status_code == (200 if who == "ru" else 404)
    if who == "ru":
        assert listing.json() == {"items": [], "count": 0}


def test_api_diff(client, users, parties, token_for):
    v1 = services.import_list(users["ua"], party=parties["UA"], title="T", filename="l.csv", data=ua_csv()).version
    rows = [UA_ROWS[0], UA_ROWS[1].replace("Бондаренко", "Бондарчук"), UA_ROWS[2]]
    v2 = services.import_list(users["ua"], party=parties["UA"], title="T", filename="l.csv", data=ua_csv(rows)).version
    d = client.get(f"/api/v1/lists/diff?a={v1.pk}&b={v2.pk}", **token_for("ua")).json()
    assert d["added"] == [] and d["removed"] == [] and d["unchanged"] == 2
    assert d["changed"][0]["changes"] == [{"field": "surname", "old": "Бондаренко", "new": "Бондарчук"}]


@pytest.mark.parametrize("who", ["ua", "ru", "ngo", "auditor"])
def test_candidate_decision_is_404_for_non_mediators(client, users, parties, token_for, ua_child, who):
    from homeward.linkage.models import Candidate

    v = services.import_list(users["ua"], party=parties["UA"], title="T", filename="l.csv", data=ua_csv()).version
    c = Candidate.objects.create(left_type="list_entry", left_id=v.entries.first().pk, right_type="child",
                                 right_id=ua_child.pk, match_probability=0.9, match_weight=3.0)
    resp = client.post(f"/api/v1/lists/candidates/{c.pk}/decision", {"decision": "same"},
                       content_type="application/json", **token_for(who))
    assert resp.status_code == 404 and "Коваленко" not in resp.content.decode()
    c.refresh_from_db()
    assert c.decision == "pending"
    ok = client.post(f"/api/v1/lists/candidates/{c.pk}/decision", {"decision": "same"},
                     content_type="application/json", **token_for("mediator"))
    assert ok.json()["child"] == ua_child.pk


@pytest.mark.parametrize("who", ["ngo", "auditor"])
def test_import_is_404_for_roles_without_lists(client, users, token_for, who):
    resp = upload(client, token_for(who), ua_csv())
    assert resp.status_code == 404 and not ListVersion.objects.exists()
