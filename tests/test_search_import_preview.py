"""The list import's preview marks rows that likely repeat a child: of the caller's own registry (never the
other party's), or another row of the same file under another spelling."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from homeward.exchange.models import PendingUpload
from tests.conftest import make_child

pytestmark = pytest.mark.django_db

HEADER = "Прізвище;Ім'я;По батькові;Дата народження;Стать;Місце народження\n"


def upload(client: Any, user: Any, parties: dict[str, Any], body: str) -> str:
    client.force_login(user)
    resp = client.post("/lists/upload/", {"title": "Sought", "concerning": parties["RU"].pk,
                                          "file": io.BytesIO((HEADER + body).encode())}, format="multipart")
    assert resp.status_code == 302, resp.content.decode()[:1000]
    return client.get(resp["Location"]).content.decode()


def test_a_row_repeating_a_child_of_the_uploaders_registry_is_marked(client, users, parties):
    held = make_child(users["ua"], surname="Коваленко", given_name="Марія", patronymic="Іванівна", sex="F",
                      birth_date=dt.date(2012, 3, 4), birth_place="Маріуполь")
    page = upload(client, users["ua"], parties, "Kovalenko;Mariia;Ivanivna;04.03.2012;ж;Mariupol\n"
                                                "Шевчук;Богдан;Петрович;01.07.2010;ч;Львів\n")
    assert "1 row may repeat a child" in page
    assert f"/children/{held.pk}/" in page and 'id="repeat-2"' in page and 'id="repeat-3"' not in page
    assert "birth date: same date" in page  # the explanation
    assert not PendingUpload.objects.get().content == b""  # nothing imported yet: still pending


def test_a_child_only_the_other_party_holds_is_never_mentioned_in_the_preview(client, users, parties):
    theirs = make_child(users["ru"], surname="Коваленко", given_name="Мария", patronymic="Ивановна", sex="F",
                        birth_date=dt.date(2012, 3, 4), birth_place="Мариуполь")
    page = upload(client, users["ua"], parties, "Коваленко;Марія;Іванівна;04.03.2012;ж;Маріуполь\n")
    assert "may repeat a child" not in page and f"/children/{theirs.pk}/" not in page


def test_two_rows_of_one_file_spelling_one_child_two_ways_are_marked(client, users, parties):
    page = upload(client, users["ua"], parties, "Коваленко;Марія;Іванівна;04.03.2012;ж;Маріуполь\n"
                                                "Шевчук;Богдан;Петрович;01.07.2010;ч;Львів\n"
                                                "Kovalenko;Mariia;Ivanivna;04.03.2012;ж;Mariupol\n")
    assert "2 rows may repeat a child" in page
    assert "likely the same child as row 4" in page and "likely the same child as row 2" in page
    assert 'id="repeat-3"' not in page


def test_twins_in_one_file_are_not_marked(client, users, parties):
    page = upload(client, users["ua"], parties, "Коваленко;Марія;Іванівна;04.03.2012;ж;Маріуполь\n"
                                                "Коваленко;Софія;Іванівна;04.03.2012;ж;Маріуполь\n")
    assert "may repeat a child" not in page


def test_the_mediator_uploading_for_a_party_is_checked_against_that_partys_registry_only(client, users, parties):
    ua = make_child(users["ua"], surname="Коваленко", given_name="Марія", patronymic="Іванівна", sex="F",
                    birth_date=dt.date(2012, 3, 4))
    ru = make_child(users["ru"], surname="Коваленко", given_name="Мария", patronymic="Ивановна", sex="F",
                    birth_date=dt.date(2012, 3, 4))
    client.force_login(users["mediator"])
    resp = client.post("/lists/upload/", {"title": "On paper", "party": parties["UA"].pk,
                                          "concerning": parties["RU"].pk,
                                          "file": io.BytesIO((HEADER + "Kovalenko;Mariia;Ivanivna;04.03.2012;ж;\n")
                                                             .encode())}, format="multipart")
    page = client.get(resp["Location"]).content.decode()
    assert f"/children/{ua.pk}/" in page and f"/children/{ru.pk}/" not in page


def test_check_rows_compares_every_row_within_the_file_but_bounds_the_registry_lookups(users, parties, monkeypatch):
    from homeward.registry import duplicates

    monkeypatch.setattr(duplicates, "PREVIEW_REGISTRY_ROWS", 2)
    rows = [(n, {"surname": s, "given_name": g, "patronymic": "", "sex": "F", "birth_date": dt.date(2012, 3, 4),
                 "birth_place": ""}) for n, (s, g) in enumerate(
        [("Шевчук", "Олена"), ("Бондар", "Ірина"), ("Коваленко", "Марія"), ("Kovalenko", "Mariia")], start=2)]
    found = duplicates.check_rows(users["ua"], parties["UA"], rows)
    assert (found.checked_against_registry, found.rows) == (2, 4)
    assert found.flags[5].file_rows and found.flags[5].file_rows[0][0] == 4
