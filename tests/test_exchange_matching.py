"""Automatic matching on upload (linkage core) and the mediator's review creating Child and Case."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from homeward.exceptions import InputError, NotFound
from homeward.exchange import matching, services
from homeward.exchange.models import ListEntry
from homeward.linkage.models import Candidate
from homeward.registry.models import Case, Child
from tests.factories import make_child

UA = ("Прізвище;Ім'я;По батькові;Дата народження;Стать;Місце народження\n"
      "Ткаченко;Олександр;Петрович;05.03.2014;ч;Херсон\n"
      "Бондаренко;Максим;Сергійович;03.09.2011;ч;Маріуполь\n"
      "Шевченко;Софія;Андріївна;27.01.2015;ж;Мелітополь\n").encode("cp1251")
RU = ("Фамилия;Имя;Отчество;Дата рождения;Пол;Место рождения\n"
      "Бондаренко;Максим;Сергеевич;03.09.2011;м;Мариуполь\n"
      "Иванов;Иван;Иванович;01.01.2010;м;Курск\n").encode()


@pytest.fixture
def matched(users: dict[str, Any], parties: dict[str, Any], settings: Any) -> dict[str, Any]:
    settings.EXCHANGE_MATCH_ON_IMPORT = True
    child = make_child(users["ua"], surname="Ткаченко")
    ru_v = services.import_list(users["ru"], party=parties["RU"], title="RU seeks", filename="ru.csv", data=RU,
                                via="cli").version
    ua_v = services.import_list(users["ua"], party=parties["UA"], title="UA seeks", filename="ua.csv", data=UA,
                                via="cli").version
    return {"child": child, "ru": ru_v, "ua": ua_v}


def cand(version: Any, right_type: str) -> Candidate:
    return matching.candidates_for(version).get(right_type=right_type)


def test_upload_puts_candidates_in_the_review_queue(matched):
    ua_v = matched["ua"]
    found = {(ListEntry.objects.get(pk=c.left_id).surname, c.right_type) for c in matching.candidates_for(ua_v)}
    assert ("Ткаченко", "child") in found
    assert ("Бондаренко", "list_entry") in found
    c = cand(ua_v, "child")
    assert c.right_id == matched["child"].pk and c.reasons and c.decision == "pending"
    assert c.run.kind == "records_vs_registry"
    ua_v.refresh_from_db()
    assert ua_v.matched_at is not None


def test_confirming_a_match_with_the_other_sides_list_creates_child_and_case(matched, users):
    c = cand(matched["ua"], "list_entry")
    with pytest.raises(NotFound):
        matching.decide(users["ua"], c, "same")
    with pytest.raises(InputError):
        matching.decide(users["mediator"], c, "different")  # needs a reason
    before = Child.objects.count()
    child = matching.decide(users["mediator"], c, "same", "same person, RU transliteration")
    assert Child.objects.count() == before + 1
    assert child.party.code == "UA" and child.surname == "Бондаренко" and Case.objects.filter(child=child).exists()
    assert ListEntry.objects.get(pk=c.left_id).child == child
    assert ListEntry.objects.get(pk=c.right_id).child == child
    c.refresh_from_db()
    assert (c.decision, c.decided_by) == ("same", users["mediator"])


def test_confirming_a_registry_match_links_the_existing_child(matched, users):
    c = cand(matched["ua"], "child")
    before = Child.objects.count()
    child = matching.decide(users["mediator"], c, "same")
    assert child == matched["child"] and Child.objects.count() == before
    assert ListEntry.objects.get(pk=c.left_id).child == child


def test_decisions_from_the_linkage_review_page_apply_too(matched, users, client):
    c = cand(matched["ua"], "child")
    client.force_login(users["mediator"])
    detail = client.get(reverse("linkage:candidate", args=[c.pk]))
    assert detail.status_code == 200 and "Ткаченко" in detail.content.decode()
    client.post(reverse("linkage:decide", args=[c.pk]), {"decision": "same"})
    assert ListEntry.objects.get(pk=c.left_id).child == matched["child"]


def test_version_page_lists_candidates_for_the_mediator_only(matched, users, client):
    v = matched["ua"]
    client.force_login(users["mediator"])
    assert "Possible matches to review" in client.get(f"/lists/versions/{v.pk}/").content.decode()
    c = cand(v, "child")
    client.post(f"/lists/candidates/{c.pk}/decide/", {"decision": "unsure", "reason": "ask for documents",
                                                  "confirmed": "1"})
    c.refresh_from_db()
    assert c.decision == "unsure"
    client.force_login(users["ua"])
    assert "Possible matches" not in client.get(f"/lists/versions/{v.pk}/").content.decode()
    assert client.post(f"/lists/candidates/{c.pk}/decide/", {"decision": "same"}).status_code == 404
