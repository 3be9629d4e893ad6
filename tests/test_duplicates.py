"""Possible duplicates at registration: scored with the matcher's model, scoped to what the caller may see."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from tests.factories import make_child

pytestmark = pytest.mark.django_db

MARIIA_LATIN = {"given_name": "Mariia", "surname": "Kovalenko", "patronymic": "Ivanivna", "sex": "F",
                "birth_date": "2012-03-04", "birth_place": "Mariupol"}


def post_child(client, headers, body):
    return client.post("/api/v1/children", body, content_type="application/json", **headers)


def mariia(user, **fields):
    data = {"given_name": "Марія", "surname": "Коваленко", "patronymic": "Іванівна", "sex": "F",
            "birth_date": dt.date(2012, 3, 4), "birth_place": "Маріуполь"}
    data.update(fields)
    return make_child(user, **data)


# --- the scorer -------------------------------------------------------------------------------------


def test_scorer_knows_every_level_of_the_shipped_reference_model():
    from homeward.linkage import core
    from homeward.registry import scoring

    model = scoring.Model.from_dict(core.reference_model())
    names = [name for name, _levels in model.comparisons]
    assert {"given_name", "surname", "patronymic", "birth_date", "sex", "birth_place"} <= set(names)


def test_scorer_refuses_a_model_with_a_level_it_cannot_evaluate():
    from homeward.linkage import core
    from homeward.registry import scoring

    saved = copy.deepcopy(core.reference_model())
    saved["splink_model"]["comparisons"][0]["comparison_levels"][1]["label_for_charts"] = "soundex agrees"
    with pytest.raises(scoring.UnknownLevel, match="soundex agrees"):
        scoring.Model.from_dict(saved)


def test_same_child_in_another_script_scores_above_the_warning_threshold_and_says_why():
    from homeward.linkage import core
    from homeward.registry import duplicates, scoring

    model = scoring.model_from(core.reference_model())
    a = scoring.features_of(MARIIA_LATIN)
    b = scoring.features_of({"given_name": "Марія", "surname": "Коваленко", "patronymic": "Іванівна", "sex": "F",
                             "birth_date": "2012-03-04", "birth_place": "Маріуполь"})
    score = model.score(a, b, registry_size=700_000)
    assert score.match_probability >= duplicates.WARN_THRESHOLD
    assert "birth date: same date" in score.explanation
    assert "given name" in score.explanation


def test_twin_with_another_given_name_is_not_a_duplicate():
    from homeward.linkage import core
    from homeward.registry import duplicates, scoring

    model = scoring.model_from(core.reference_model())
    twin = {**MARIIA_LATIN, "given_name": "Sofiia"}
    score = model.score(scoring.features_of(MARIIA_LATIN), scoring.features_of(twin), registry_size=1000)
    assert score.match_probability < duplicates.WARN_THRESHOLD
    assert "twin or sibling" in score.explanation


def test_larger_registry_needs_more_evidence():
    from homeward.linkage import core
    from homeward.registry import scoring

    model = scoring.model_from(core.reference_model())
    a, b = scoring.features_of(MARIIA_LATIN), scoring.features_of({**MARIIA_LATIN, "birth_date": ""})
    assert model.score(a, b, 100).match_probability > model.score(a, b, 1_000_000).match_probability


# --- the API ----------------------------------------------------------------------------------------


def test_ua_officer_registering_a_child_ua_holds_in_cyrillic_gets_possible_duplicates(client, users, token_for):
    held = mariia(users["ua"])
    resp = post_child(client, token_for("ua"), MARIIA_LATIN)
    assert resp.status_code == 201, resp.content
    found = resp.json()["possible_duplicates"]
    assert [d["id"] for d in found] == [held.pk]
    assert found[0]["match_probability"] >= 0.5
    assert "birth date: same date" in found[0]["explanation"]


def test_ua_officer_is_not_warned_about_a_child_only_ru_holds(client, users, token_for):
    mariia(users["ru"], given_name="Мария", surname="Коваленко", patronymic="Ивановна")
    resp = post_child(client, token_for("ua"), MARIIA_LATIN)
    assert resp.status_code == 201
    assert resp.json()["possible_duplicates"] == []


def test_ru_officer_is_not_warned_about_a_ua_child(client, users, token_for):
    mariia(users["ua"])
    resp = post_child(client, token_for("ru"), {**MARIIA_LATIN, "given_name": "Мария", "surname": "Коваленко"})
    assert resp.json()["possible_duplicates"] == []


def test_ngo_worker_is_warned_only_about_its_own_records(client, users, token_for):
    mariia(users["ua"])
    own = mariia(users["ngo"], birth_place="")
    resp = post_child(client, token_for("ngo"), MARIIA_LATIN)
    assert [d["id"] for d in resp.json()["possible_duplicates"]] == [own.pk]


def test_mediator_is_warned_about_children_of_every_party(client, users, token_for):
    ua, ru = mariia(users["ua"]), mariia(users["ru"], given_name="Мария", patronymic="Ивановна")
    resp = post_child(client, token_for("mediator"), MARIIA_LATIN)
    assert {d["id"] for d in resp.json()["possible_duplicates"]} == {ua.pk, ru.pk}


def test_a_different_child_is_not_a_possible_duplicate(client, users, token_for):
    mariia(users["ua"], given_name="Олена", surname="Шевченко", patronymic="Петрівна", birth_date=dt.date(2010, 9, 1))
    resp = post_child(client, token_for("ua"), MARIIA_LATIN)
    assert resp.json()["possible_duplicates"] == []


def test_duplicate_is_found_under_a_childs_other_name_form(client, users, token_for):
    from homeward.registry.models import NameForm

    held = mariia(users["ua"], given_name="Анна", surname="Петренко", birth_date=dt.date(2012, 4, 3))
    NameForm.objects.create(child=held, given_name="Марія", surname="Коваленко", kind="former")
    resp = post_child(client, token_for("ua"), {**MARIIA_LATIN, "birth_date": "2012-03-04"})
    assert [d["id"] for d in resp.json()["possible_duplicates"]] == [held.pk]


def test_the_new_child_is_not_its_own_duplicate_and_is_saved(client, users, token_for):
    from homeward.registry.models import Child

    resp = post_child(client, token_for("ua"), MARIIA_LATIN)
    assert resp.json()["possible_duplicates"] == []
    assert Child.objects.filter(pk=resp.json()["id"]).exists()


# --- the registration page ----------------------------------------------------------------------------

FORM = {"surname": "Kovalenko", "given_name": "Mariia", "patronymic": "Ivanivna", "sex": "F",
        "birth_date": "04.03.2012", "birth_date_precision": "day", "birth_place": "Mariupol",
        "separation_category": "deported"}


def login(client, users, key):
    client.force_login(users[key])


def test_ua_officer_sees_the_warning_before_saving_a_child_ua_holds_in_cyrillic(client, users):
    from homeward.registry.models import Child

    held = mariia(users["ua"])
    login(client, users, "ua")
    resp = client.post("/children/new/", FORM)
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "data-duplicate-warning" in body
    assert f'href="/children/{held.pk}/"' in body
    assert "birth date: same date" in body
    assert Child.objects.count() == 1  # nothing saved yet


def test_ua_officer_sees_no_warning_for_a_child_only_ru_holds(client, users):
    from homeward.registry.models import Child

    ru = mariia(users["ru"], given_name="Мария", patronymic="Ивановна")
    login(client, users, "ua")
    resp = client.post("/children/new/", FORM)
    assert resp.status_code == 302
    assert Child.objects.filter(party__code="UA").count() == 1
    assert client.get(f"/children/{ru.pk}/").status_code == 404


def test_register_anyway_needs_a_reason_and_records_it(client, users):
    from homeward.accounts.models import AuditEvent
    from homeward.registry.models import Child, DuplicateOverride

    held = mariia(users["ua"])
    login(client, users, "ua")
    resp = client.post("/children/new/", {**FORM, "register_anyway": "1", "duplicate_reason": " "})
    assert resp.status_code == 200 and "Say why you register this child anyway." in resp.content.decode()
    assert Child.objects.count() == 1
    resp = client.post("/children/new/", {**FORM, "register_anyway": "1", "duplicate_reason": "Twin sister"})
    assert resp.status_code == 302
    new = Child.objects.exclude(pk=held.pk).get()
    override = DuplicateOverride.objects.get()
    assert override.child == new and override.reason == "Twin sister" and override.decided_by == users["ua"]
    assert [d["id"] for d in override.possible_duplicates] == [held.pk]
    assert AuditEvent.objects.filter(action="register_anyway", object_id=str(new.pk)).exists()


def test_a_child_without_possible_duplicates_is_saved_at_once_with_no_override(client, users):
    from homeward.registry.models import DuplicateOverride

    login(client, users, "ua")
    assert client.post("/children/new/", FORM).status_code == 302
    assert not DuplicateOverride.objects.exists()


@pytest.mark.django_db
def test_children_born_the_same_day_are_found_through_the_birth_date_index(users):
    """At 700,000 children the look-up by birth date walked the whole registry in name order (3.8 s per
    registration); it must go through the birth-date index."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from homeward import access
    from homeward.registry import duplicates

    if connection.vendor != "sqlite":
        pytest.skip("the plan is read with SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans tiny tables as scans")
    born = dt.date(2015, 3, 21)
    make_child(users["ua"], surname="Шевченко", given_name="Софія", sex="F", birth_date=born)
    with CaptureQueriesContext(connection) as queries:
        duplicates.candidate_ids(access.children(users["ua"]),
                                 [{"given_name": "Анна", "surname": "Іваненко", "birth_date": born.isoformat()}])
    lookups = [q["sql"] for q in queries.captured_queries if '"birth_date" IN' in q["sql"]]
    assert lookups
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + lookups[0])
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "INDEX registry_child_birth_date" in plan, plan
