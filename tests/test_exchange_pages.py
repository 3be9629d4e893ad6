"""List exchange pages and exports: the upload flow, forwarding, answers, reports, and scoping (404s)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client

from homeward.exchange import services
from homeward.exchange.models import EntryResponse, ListEntry, ListVersion, PendingUpload
from tests.factories import UA_ROWS, ua_csv

SECRET_ROW = "Секретенко;Таємна;Іванівна;01.02.2012;ж;Херсон"  # never forwarded


@pytest.fixture(autouse=True)
def _no_matching(settings: Any) -> None:
    settings.EXCHANGE_MATCH_ON_IMPORT = False


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def exchanged(users, parties) -> dict[str, Any]:
    """A UA list of four names; the mediator forwarded the first two; RU answered the first."""
    v = services.import_list(users["ua"], party=parties["UA"], title="Sought in RU", filename="l.csv",
                             data=ua_csv([*UA_ROWS, SECRET_ROW])).version
    entries = list(v.entries.order_by("row"))
    services.forward(users["mediator"], v, [entries[0].pk, entries[1].pk])
    entries = list(ListEntry.objects.filter(version=v).order_by("row").select_related("forwarding"))
    services.respond(users["ru"], [services.Answer(entries[0], "located", "Табір Сонечко, Крим", "seen")])
    return {"version": v, "entries": entries}


def urls_for(v: ListVersion, rejection_id: int | None = None) -> list[str]:
    out = [f"/lists/{v.party_list_id}/", f"/lists/versions/{v.pk}/", f"/lists/versions/{v.pk}/report/",
           f"/lists/versions/{v.pk}/report.csv", f"/lists/versions/{v.pk}/report.xlsx",
           f"/lists/versions/{v.pk}/report.pdf", f"/lists/versions/{v.pk}/file", f"/lists/versions/{v.pk}/rows.csv",
           f"/lists/diff/?a={v.pk}&b={v.pk}"]
    if rejection_id:
        out += [f"/lists/rejections/{rejection_id}/", f"/lists/rejections/{rejection_id}/report.csv"]
    return out


def test_upload_preview_confirm_flow(client, users, parties):
    login(client, users["ua"])
    assert client.get("/lists/").status_code == 200
    resp = client.post("/lists/upload/", {"title": "Sought in RU", "concerning": parties["RU"].pk,
                                          "file": io.BytesIO(ua_csv())}, format="multipart")
    assert resp.status_code == 302
    pending = PendingUpload.objects.get()
    assert resp["Location"] == f"/lists/upload/{pending.token}/"
    page = client.get(resp["Location"]).content.decode()
    assert "cp1251" in page and "Коваленко" in page
    assert re.search(r'<option value="0" selected>Прізвище</option>', page)
    assert re.search(r'<option value="3" selected>Дата народження</option>', page)
    assert not ListVersion.objects.exists()  # nothing stored before confirmation
    mapping = {f"map_{f}": str(i) for f, i in [("surname", 0), ("given_name", 1), ("patronymic", 2),
                                               ("birth_date", 3), ("sex", 4), ("birth_place", 5)]}
    resp = client.post(resp["Location"], {"action": "confirm", **mapping})
    v = ListVersion.objects.get()
    assert resp["Location"] == f"/lists/versions/{v.pk}/"
    assert v.accepted_count == 3 and not PendingUpload.objects.exists()
    assert "Коваленко" in client.get(resp["Location"]).content.decode()


def test_mediator_uploads_on_behalf_of_a_party(client, users, parties):
    login(client, users["mediator"])
    resp = client.post("/lists/upload/", {"title": "Handed over on paper", "party": parties["UA"].pk,
                                          "concerning": parties["RU"].pk, "file": io.BytesIO(ua_csv())},
                       format="multipart")
    client.post(resp["Location"], {"action": "confirm", "map_surname": "0", "map_given_name": "1"})
    v = ListVersion.objects.get()
    assert v.party_list.party == parties["UA"] and v.uploaded_by == users["mediator"]


def test_adjusted_mapping_is_used(client, users, parties):
    login(client, users["ua"])
    data = "Col A;Col B;Born\nКоваленко;Дарина;12.04.2013\n".encode()
    resp = client.post("/lists/upload/", {"title": "T", "file": io.BytesIO(data)}, format="multipart")
    url = resp["Location"]
    assert "Choose the column with the surname" in client.get(url).content.decode()
    client.post(url, {"action": "remap", "map_surname": "0", "map_given_name": "1", "map_birth_date": "2"})
    page = client.get(url).content.decode()
    assert "Choose the column with the surname" not in page
    client.post(url, {"action": "confirm", "map_surname": "0", "map_given_name": "1", "map_birth_date": "2"})
    e = ListEntry.objects.get()
    assert (e.surname, e.given_name, str(e.birth_date)) == ("Коваленко", "Дарина", "2013-04-12")


def test_rejected_upload_page_and_downloadable_report(client, users, parties):
    login(client, users["ua"])
    resp = client.post("/lists/upload/", {"title": "T", "file": io.BytesIO(ua_csv(
        [*UA_ROWS, "Петренко;Олег;;31.02.2013;ч;"]))}, format="multipart")
    report = client.get(resp["Location"] + "report.csv").content.decode()
    assert report.splitlines()[1] == "5,birth_date,Дата народження,not a real date"
    resp = client.post(resp["Location"], {"action": "confirm", "map_surname": "0", "map_given_name": "1",
                                          "map_birth_date": "3", "map_sex": "4"})
    assert "/lists/rejections/" in resp["Location"]
    assert not ListVersion.objects.exists()
    page = client.get(resp["Location"]).content.decode()
    assert "birth_date" in page and "Петренко" not in page
    report = client.get(resp["Location"] + "report.csv")
    assert report["Content-Disposition"].startswith("attachment")
    assert report.content.decode().splitlines()[1].startswith("5,birth_date,")


def test_oversized_upload_is_refused(client, users, settings):
    settings.EXCHANGE_MAX_BYTES = 50
    login(client, users["ua"])
    resp = client.post("/lists/upload/", {"title": "T", "file": io.BytesIO(ua_csv())}, format="multipart")
    assert resp.status_code == 422 and "larger than" in resp.content.decode()
    assert not PendingUpload.objects.exists()


def test_pending_upload_is_the_uploaders_only(client, users, parties):
    login(client, users["ua"])
    url = client.post("/lists/upload/", {"title": "T", "file": io.BytesIO(ua_csv())}, format="multipart")["Location"]
    for who in ("mediator", "ru", "ngo"):
        other = Client()
        login(other, users[who])
        assert other.get(url).status_code == 404
        assert other.get(url + "report.csv").status_code == 404
        assert other.post(url, {"action": "confirm"}).status_code == 404
    assert not ListVersion.objects.exists()


@pytest.mark.parametrize("who", ["ngo", "auditor"])
def test_upload_and_index_are_404_for_roles_without_lists(client, users, who):
    login(client, users[who])
    for url in ("/lists/", "/lists/upload/"):
        assert client.get(url).status_code == 404


def test_mediator_forwards_and_ru_answers_through_the_pages(client, users, parties):
    v = services.import_list(users["ua"], party=parties["UA"], title="T", filename="l.csv", data=ua_csv()).version
    ids = list(v.entries.order_by("row").values_list("pk", flat=True))
    login(client, users["mediator"])
    client.post(f"/lists/versions/{v.pk}/forward/", {"scope": "selected", "entry": [ids[0], ids[1]], "confirmed": "1"})
    assert ListEntry.objects.filter(forwarding__isnull=False).count() == 2
    ru = Client()
    login(ru, users["ru"])
    page = ru.get(f"/lists/versions/{v.pk}/").content.decode()
    assert "Коваленко" in page and "Шевченко" not in page
    ru.post(f"/lists/versions/{v.pk}/respond/", {"entry": ids[0], "status": "located", "whereabouts": "Краснодар",
                                              "confirmed": "1"})
    ru.post(f"/lists/versions/{v.pk}/respond/", {"entry": [ids[1]], "status": "not_found", "confirmed": "1"})
    resp = ru.post(f"/lists/versions/{v.pk}/respond/", {"entry": ids[2], "status": "located", "confirmed": "1"})
    assert resp.status_code == 404
    assert dict(EntryResponse.objects.values_list("entry_id", "status")) == {ids[0]: "located", ids[1]: "not_found"}
    ua = Client()
    login(ua, users["ua"])
    page = ua.get(f"/lists/versions/{v.pk}/").content.decode()
    assert "Located" in page and "Not found" in page
    assert "Краснодар" not in page and "restricted" in page  # whereabouts are restricted
    client.post(f"/lists/versions/{v.pk}/forward/", {"scope": "all", "confirmed": "1"})
    assert ListEntry.objects.filter(forwarding__isnull=True).count() == 0


def test_response_file_upload_is_all_or_nothing(client, users, parties, exchanged):
    v, entries = exchanged["version"], exchanged["entries"]
    login(client, users["ru"])
    bad = f"entry,status\n{entries[1].pk},not_found\n{entries[3].pk},deceased\n".encode()
    client.post(f"/lists/versions/{v.pk}/responses/", {"file": io.BytesIO(bad)}, format="multipart")
    assert EntryResponse.objects.count() == 1
    good = f"entry,status,note\n{entries[1].pk},Not found,checked\n".encode()
    client.post(f"/lists/versions/{v.pk}/responses/", {"file": io.BytesIO(good)}, format="multipart")
    assert EntryResponse.objects.filter(entry=entries[1], status="not_found").exists()


def test_reconciliation_report_page_and_exports(client, users, exchanged):
    v = exchanged["version"]
    login(client, users["ua"])
    page = client.get(f"/lists/versions/{v.pk}/report/").content.decode()
    assert v.sha256 in page and "Inclusion verified" in page and "Awaiting an answer" in page
    assert ">yes<" in page
    csv_text = client.get(f"/lists/versions/{v.pk}/report.csv").content.decode("utf-8-sig")
    assert "Секретенко" in csv_text and "Табір" not in csv_text
    xlsx = client.get(f"/lists/versions/{v.pk}/report.xlsx")
    assert xlsx.content[:2] == b"PK"
    pdf = client.get(f"/lists/versions/{v.pk}/report.pdf")
    assert pdf.content[:5] == b"%PDF-"
    login(client, users["mediator"])
    assert "Табір" in client.get(f"/lists/versions/{v.pk}/report.csv").content.decode("utf-8-sig")


def test_exports_neutralise_formulas(client, users, parties):
    from openpyxl import load_workbook

    v = services.import_list(users["ua"], party=parties["UA"], title="T", filename="l.csv",
                             data=ua_csv(["=HYPERLINK(1);Дарина;;12.04.2013;ж;@SUM(A1)"])).version
    login(client, users["ua"])
    text = client.get(f"/lists/versions/{v.pk}/report.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "'@SUM(A1)" in text
    wb = load_workbook(io.BytesIO(client.get(f"/lists/versions/{v.pk}/report.xlsx").content))
    values = [c.value for row in wb.worksheets[0].iter_rows() for c in row]
    assert "'=HYPERLINK(1)" in values and "=HYPERLINK(1)" not in values


def test_receiving_party_sees_only_the_forwarded_part(client, users, exchanged):
    v = exchanged["version"]
    login(client, users["ru"])
    for url in (f"/lists/versions/{v.pk}/", f"/lists/versions/{v.pk}/report/", f"/lists/versions/{v.pk}/report.csv",
                "/lists/", f"/lists/{v.party_list_id}/"):
        body = client.get(url).content.decode("utf-8-sig")
        assert "Секретенко" not in body and "Шевченко" not in body, url
    page = client.get(f"/lists/versions/{v.pk}/report/").content.decode()
    assert "2 names" in page
    assert client.get(f"/lists/versions/{v.pk}/file").status_code == 404
    assert client.get(f"/lists/versions/{v.pk}/rows.csv").status_code == 404
    # the receiver sees its own whereabouts
    assert "Табір Сонечко" in client.get(f"/lists/versions/{v.pk}/").content.decode()


@pytest.mark.parametrize("who", ["ru", "ngo", "auditor"])
def test_other_party_gets_404_and_no_personal_data(client, users, parties, who):
    v = services.import_list(users["ua"], party=parties["UA"], title="Sought", filename="l.csv",
                             data=ua_csv()).version  # nothing forwarded
    rej = services.import_list(users["ua"], party=parties["UA"], title="Sought", filename="l.csv",
                               data=ua_csv([*UA_ROWS, "Петренко;Олег;;31.02.2013;ч;"])).rejection
    login(client, users[who])
    for url in urls_for(v, rej.pk):
        resp = client.get(url)
        assert resp.status_code == 404, url
        assert "Коваленко" not in resp.content.decode("utf-8", "replace")
    body = client.get("/lists/").content.decode() if who == "ru" else ""
    assert "Коваленко" not in body and "Sought" not in body
    for url in (f"/lists/versions/{v.pk}/forward/", f"/lists/versions/{v.pk}/respond/",
                f"/lists/versions/{v.pk}/sign/", f"/lists/versions/{v.pk}/responses/"):
        assert client.post(url, {"scope": "all", "entry": [1], "status": "located"}).status_code == 404, url
    assert not ListEntry.objects.filter(forwarding__isnull=False).exists()


def test_ua_gets_404_for_a_ru_list(client, users, parties):
    data = "Фамилия;Имя;Дата рождения\nИванов;Иван;01.01.2012\n".encode()
    v = services.import_list(users["ru"], party=parties["RU"], title="RU list", filename="r.csv", data=data).version
    login(client, users["ua"])
    for url in urls_for(v):
        assert client.get(url).status_code == 404, url


def test_match_candidates_are_404_for_parties(client, users, parties, ua_child):
    from homeward.linkage.models import Candidate

    v = services.import_list(users["ua"], party=parties["UA"], title="T", filename="l.csv", data=ua_csv()).version
    c = Candidate.objects.create(left_type="list_entry", left_id=v.entries.first().pk, right_type="child",
                                 right_id=ua_child.pk, match_probability=0.9, match_weight=3.0)
    for who in ("ua", "ru", "ngo"):
        login(client, users[who])
        assert client.post(f"/lists/candidates/{c.pk}/decide/", {"decision": "same"}).status_code == 404


def test_signature_attached_on_the_version_page(client, users, parties, tmp_path):
    from click.testing import CliRunner

    from homeward.cli.lists import sign
    from homeward.ledger import service
    from homeward.ledger.note import Signer

    signer = Signer.generate("ua.homeward")
    service.register_key("UA", signer.verifier(), actor=None)
    key = tmp_path / "ua.key"
    key.write_text(signer.skey + "\n")
    data = ua_csv()
    f = tmp_path / "list.csv"
    f.write_bytes(data)
    assert CliRunner().invoke(sign, [str(f), "--key", str(key)]).exit_code == 0
    v = services.import_list(users["ua"], party=parties["UA"], title="T", filename="l.csv", data=data).version
    login(client, users["ua"])
    client.post(f"/lists/versions/{v.pk}/sign/", {"signature": io.BytesIO(b"garbage")}, format="multipart")
    v.refresh_from_db()
    assert not v.signature_key
    sig = (tmp_path / "list.csv.sig").read_bytes()
    client.post(f"/lists/versions/{v.pk}/sign/", {"signature": io.BytesIO(sig)}, format="multipart")
    v.refresh_from_db()
    assert v.signature_key == "ua.homeward" and v.signature_ledger_index is not None


def test_dashboard_progress_include(rf, users, exchanged):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = users["mediator"]
    html = render_to_string("exchange/_dashboard_progress.html", {"request": request, "user": users["mediator"]})
    assert "Sought in RU" in html and "<progress" in html
    request.user = users["ngo"]
    assert "Sought" not in render_to_string("exchange/_dashboard_progress.html", {"request": request})


def test_diff_page_shows_the_change(client, users, parties):
    v1 = services.import_list(users["ua"], party=parties["UA"], title="T", filename="l.csv", data=ua_csv()).version
    rows = [UA_ROWS[0], UA_ROWS[1].replace("Бондаренко", "Бондарчук"), UA_ROWS[2]]
    v2 = services.import_list(users["ua"], party=parties["UA"], title="T", filename="l.csv", data=ua_csv(rows)).version
    login(client, users["ua"])
    page = client.get(f"/lists/diff/?a={v1.pk}&b={v2.pk}").content.decode()
    assert "0 added, 0 removed, 1 changed, 2 unchanged" in page
    assert page.count('class="change"') == 1 and "Бондарчук" in page


def _lists(users: dict[str, Any], parties: dict[str, Any], n: int) -> list[str]:
    titles = [f"Sought list {i:02d}" for i in range(n)]
    for title in titles:
        services.import_list(users["ua"], party=parties["UA"], title=title, filename="l.csv", data=ua_csv())
    return titles


def test_the_list_index_shows_a_page_of_lists_at_a_time(client, users, parties, monkeypatch):
    from homeward.exchange import views

    monkeypatch.setattr(views, "LISTS_PAGE_SIZE", 2)
    titles = _lists(users, parties, 3)
    login(client, users["ua"])
    first = client.get("/lists/").content.decode()
    second = client.get("/lists/?page=2").content.decode()
    assert [t for t in titles if t in first] == titles[1:]  # newest first
    assert [t for t in titles if t in second] == titles[:1]
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert "Page 1 of 2" in first


def test_the_list_index_filtered_to_work_shows_every_such_list(client, users, parties, monkeypatch):
    from homeward.exchange import views

    monkeypatch.setattr(views, "LISTS_PAGE_SIZE", 1)
    titles = _lists(users, parties, 2)
    login(client, users["mediator"])
    body = client.get("/lists/?todo=forward").content.decode()
    assert all(t in body for t in titles) and 'rel="next"' not in body


def test_the_dashboard_panel_shows_the_newest_lists_and_links_to_all(client, users, parties, monkeypatch):
    from homeward.exchange import progress

    monkeypatch.setattr(progress, "DASHBOARD_ROWS", 2)
    titles = _lists(users, parties, 3)
    login(client, users["mediator"])
    body = client.get("/").content.decode()
    panel = body[body.index('id="lists-progress"'):]
    assert [t for t in titles if t in panel] == titles[1:]
    assert 'href="/lists/"' in panel
