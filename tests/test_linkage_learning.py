"""Learning from reviewers: every decision is a label, the model refits from labels with a new version and
its lineage, the mediator sees parameters and a weight chart and can roll back; near-threshold pairs first."""

from __future__ import annotations

import json

import pytest

from tests.factories import make_pairs

SAME_REASONS = [{"comparison": "given name", "level": "one name: other language, transliteration or diminutive",
                 "weight": 7.0},
                {"comparison": "birth date", "level": "day and month swapped", "weight": 5.0},
                {"comparison": "surname", "level": "same name", "weight": 9.0}]


def _levels(model, column):
    comparison = next(c for c in model["splink_model"]["comparisons"] if c["output_column_name"] == column)
    return {lv["label_for_charts"]: lv for lv in comparison["comparison_levels"]}


# --- the pure refit ---------------------------------------------------------------------------------------

def test_refit_moves_m_towards_the_levels_labelled_pairs_fall_in():
    from homeward.linkage import learning
    from homeward.linkage.core import reference_model

    base = reference_model()
    refitted, report = learning.refit(base, [SAME_REASONS] * 30)
    before, after = _levels(base, "surname"), _levels(refitted, "surname")
    assert after["same name"]["m_probability"] > before["same name"]["m_probability"]
    assert after["similar spelling"]["m_probability"] < before["similar spelling"]["m_probability"]
    assert report["labelled_matches"] == 30 and report["per_comparison"]["surname"] == 30
    assert refitted["model_version"] != base["model_version"] and refitted["refit_from"] == base["model_version"]
    # u untouched, m of the levels still the same distribution's mass
    assert all(after[k].get("u_probability") == before[k].get("u_probability") for k in after)
    assert sum(lv["m_probability"] for lv in after.values() if not lv.get("is_null_level")) == pytest.approx(
        sum(lv["m_probability"] for lv in before.values() if not lv.get("is_null_level")))


def test_labels_train_levels_em_left_untrained():
    from homeward.linkage import learning
    from homeward.linkage.core import reference_model

    base = reference_model()
    base_levels = _levels(base, "birth_date")
    base_levels["same date"]["m_probability"] = None
    base_levels["day and month swapped"].pop("m_probability", None)
    refitted, _ = learning.refit(base, [SAME_REASONS] * 30)
    after = {k: lv["m_probability"] for k, lv in _levels(refitted, "birth_date").items()
             if not lv.get("is_null_level")}
    assert all(m is not None and m > 0 for m in after.values())
    assert max(after, key=lambda k: after[k]) == "day and month swapped"
    assert sum(after.values()) == pytest.approx(1.0, abs=0.01)


def test_refit_reads_both_wordings_of_same_name_as_one_level():
    from homeward.linkage import learning
    from homeward.linkage.core import reference_model

    base = reference_model()
    refitted, _report = learning.refit(base, [SAME_REASONS] * 30)
    assert (_levels(refitted, "given_name")["same name"]["m_probability"]
            > _levels(base, "given_name")["same name"]["m_probability"])


def test_refit_leaves_fixed_levels_alone():
    from homeward.linkage import learning
    from homeward.linkage.core import reference_model

    twin = [{"comparison": "given name", "level": "different names in one family (twin or sibling)", "weight": -23}]
    base = reference_model()
    refitted, _ = learning.refit(base, [twin] * 50)
    label = "different names in one family (twin or sibling)"
    assert _levels(refitted, "given_name")[label]["m_probability"] == _levels(base, "given_name")[label][
        "m_probability"]


def test_refit_rejects_a_non_positive_prior():
    from homeward.linkage import learning
    from homeward.linkage.core import reference_model

    with pytest.raises(ValueError, match="prior_pairs"):
        learning.refit(reference_model(), [], prior_pairs=0)


# --- versions, lineage, refit in the background ------------------------------------------------------------

@pytest.mark.django_db
def test_ten_decisions_refit_the_model_with_a_new_version_and_lineage(users):
    from homeward.linkage import services
    from homeward.linkage.models import Candidate, ModelVersion

    pairs = make_pairs(users, 11)
    Candidate.objects.filter(pk__in=[p.pk for p in pairs]).update(reasons=SAME_REASONS)
    for p in pairs[:9]:
        services.decide(users["mediator"], p, "same", "")
    assert not ModelVersion.objects.exists()
    services.decide(users["mediator"], pairs[9], "different", "twins")
    version = services.current_model()
    assert version is not None and version.source == "refit"
    assert set(version.labels.values_list("pk", flat=True)) == {p.pk for p in pairs[:10]}
    assert version.report["labels"] == {"same": 9, "different": 1, "unsure": 0}
    assert version.report["labelled_matches"] == 9 and version.report["base_source"] == "reference"
    model = json.loads(version.model_json)
    assert model["model_version"] == version.version and model["labelled_matches"] == 9


@pytest.mark.django_db
def test_refit_starts_from_the_runs_model_and_names_the_run(users):
    from homeward.linkage import services
    from homeward.linkage.core import reference_model
    from homeward.linkage.models import MatchRun, ModelVersion

    run = MatchRun.objects.create(kind="tracing_vs_registry", status="done")
    trained = reference_model() | {"trained": True}
    services._record_run_model(run, json.dumps(trained), trained["model_version"])
    first = services.current_model()
    assert first.source == "run" and first.run == run
    pairs = make_pairs(users, 10)
    for p in pairs:
        services.decide(users["mediator"], p, "unsure", "")
    refit = services.current_model()
    assert refit.source == "refit" and refit.parent == first and refit.run == run
    assert refit.report["base"] == trained["model_version"]
    assert ModelVersion.objects.count() == 2


@pytest.mark.django_db
def test_small_runs_use_the_current_model(users):
    from homeward.linkage import services

    pairs = make_pairs(users, 10)
    for p in pairs:
        services.decide(users["mediator"], p, "same", "")
    assert services._own_model()["model_version"] == services.current_model().version


@pytest.mark.django_db
def test_rollback_makes_an_earlier_model_current_and_keeps_the_history(users):
    from homeward.linkage import services
    from homeward.linkage.models import ModelVersion

    pairs = make_pairs(users, 20)
    for p in pairs[:10]:
        services.decide(users["mediator"], p, "same", "")
    first = services.current_model()
    for p in pairs[10:]:
        services.decide(users["mediator"], p, "same", "")  # twice the labels: m moves further
    second = services.current_model()
    assert second.pk != first.pk and second.version != first.version
    back = services.rollback(users["mediator"], first)
    assert services.current_model() == back and back.version == first.version and back.parent == first
    assert back.labels.count() == 10 and ModelVersion.objects.count() == 3
    assert services._own_model()["model_version"] == first.version


@pytest.mark.django_db
def test_queue_offers_pairs_nearest_the_threshold_first(users):
    from homeward.linkage import services
    from homeward.linkage.models import Candidate

    pairs = make_pairs(users, 3)
    Candidate.objects.filter(pk=pairs[0].pk).update(match_probability=0.99)
    order = list(services.review_order(Candidate.objects.all()).values_list("pk", flat=True))
    assert order == [pairs[1].pk, pairs[2].pk, pairs[0].pk]


# --- pages ---------------------------------------------------------------------------------------------

@pytest.fixture
def refitted(users):
    from homeward.linkage import services

    for p in make_pairs(users, 10):
        services.decide(users["mediator"], p, "same", "")
    return services.current_model()


@pytest.mark.django_db
def test_mediator_sees_lineage_learning_parameters_and_chart(client, users, refitted):
    client.login(username="mediator", password="pw-mediator")
    body = client.get("/linkage/models/").content.decode()
    assert refitted.version in body and "Refitted from reviewers" in body
    assert "rests on 10 reviewer decisions" in body and "10 same child" in body
    detail = client.get(f"/linkage/models/{refitted.pk}/").content.decode()
    assert 'id="weight-chart"' in detail and detail.count("<rect") >= 20
    assert "different dates" in detail and "day and month swapped" in detail


@pytest.mark.django_db
def test_mediator_rolls_back_from_the_page(client, users, refitted):
    from homeward.linkage import services
    from homeward.linkage.models import ModelVersion

    older = ModelVersion.objects.create(source="reference", version="abc", model_json=refitted.model_json)
    ModelVersion.objects.filter(pk=older.pk).update(created_at=refitted.created_at.replace(year=2000))
    client.login(username="mediator", password="pw-mediator")
    resp = client.post(f"/linkage/models/{older.pk}/rollback/")
    assert resp.status_code == 302
    assert services.current_model().parent_id == older.pk


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["ua", "ru", "ngo", "auditor"])
def test_only_mediators_can_see_or_roll_back_models(client, users, refitted, key):
    from homeward.linkage.models import ModelVersion

    user = users[key]
    client.login(username=user.username, password="pw-" + user.username)
    for path in ("/linkage/models/", f"/linkage/models/{refitted.pk}/"):
        assert client.get(path).status_code == 404
    assert client.post(f"/linkage/models/{refitted.pk}/rollback/").status_code == 404
    assert ModelVersion.objects.count() == 1
