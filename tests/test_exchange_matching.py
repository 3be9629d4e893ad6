"""Automatic matching on upload (linkage core) and the mediator's review creating Child and Case."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from homeward.exceptions import InputError
from homeward.exchange import matching, services
from homeward.exchange.models import ListEntry, MatchCandidate
from homeward.registry.models import Case, Child
from tests.conftest import make_child

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
    ru_v = services.import_list(users["ru"], party=parties["RU"], title="RU seeks", filename="ru.csv", data=RU).version
    ua_v = services.import_list(users["ua"], party=parties["UA"], title="UA seeks", filename="ua.csv", data=UA).version
    return {"child": child, "ru": ru_v, "ua": ua_v}


def test_upload_finds_candidates_in_registry_and_other_side(matched):
    ua_v = matched["ua"]
    cands = {(c.entry.surname, c.target_kind) for c in MatchCandidate.objects.filter(entry__version=ua_v)}
    assert ("Ткаченко", "child") in cands
    assert ("Бондаренко", "entry") in cands
    c = MatchCandidate.objects.get(entry__version=ua_v, target_kind="child")
    assert c.target_id == matched["child"].pk and c.explanation and c.decision == "pending"
    assert ua_v.__class__.objects.get(pk=ua_v.pk).matched_at is not None


def test_confirming_a_match_with_the_other_sides_list_creates_child_and_case(matched, users):
    c = MatchCandidate.objects.get(entry__version=matched["ua"], target_kind="entry")
    with pytest.raises(Http404):
        matching.decide(users["ua"], c, "same")
    with pytest.raises(InputError):
        matching.decide(users["mediator"], c, "different")  # needs a reason
    before = Child.objects.count()
    child = matching.decide(users["mediator"], c, "same", "same person, RU transliteration")
    assert Child.objects.count() == before + 1
    assert child.party.code == "UA" and child.surname == "Бондаренко" and Case.objects.filter(child=child).exists()
    assert ListEntry.objects.get(pk=c.entry_id).child == child
    assert ListEntry.objects.get(pk=c.target_id).child == child
    c.refresh_from_db()
    assert (c.decision, c.reviewer) == ("same", users["mediator"])


def test_confirming_a_registry_match_links_the_existing_child(matched, users):
    c = MatchCandidate.objects.get(entry__version=matched["ua"], target_kind="child")
    before = Child.objects.count()
    child = matching.decide(users["mediator"], c, "same")
    assert child == matched["child"] and Child.objects.count() == before
    assert ListEntry.objects.get(pk=c.entry_id).child == child
