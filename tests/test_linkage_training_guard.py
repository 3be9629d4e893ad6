"""Training that cannot silently collapse: sanity checks after EM, repair or fallback, a model chosen
by a criterion from the data itself, and the run saying what happened."""

from __future__ import annotations

import copy
import math

import pytest

from homeward.linkage.core import link, reference_model, sanity
from tests._linkage_generator import generator


def _model(**levels: tuple[float | None, float]) -> dict:
    """A one-comparison Splink model: level label -> (m, u), first level agreeing, last disagreeing."""
    return {
        "probability_two_random_records_match": 1e-4,
        "comparisons": [
            {
                "output_column_name": "given_name",
                "comparison_levels": [{"label_for_charts": "missing", "is_null_level": True}]
                + [{"label_for_charts": k, "m_probability": m, "u_probability": u} for k, (m, u) in levels.items()],
            }
        ],
    }


def test_a_sane_comparison_passes_every_check():
    assert sanity.check(_model(same=(0.9, 0.02), typo=(0.08, 0.003), different=(0.02, 0.977))) == []


def test_same_given_name_with_m_below_u_is_a_collapse():
    issues = sanity.check(_model(same=(0.09, 0.2), different=(0.91, 0.8)))
    kinds = {i.kind for i in issues}
    assert sanity.AGREEMENT_BELOW_CHANCE in kinds and sanity.DISAGREEMENT_ABOVE_CHANCE in kinds
    assert all(i.comparison == "given_name" for i in issues)


def test_a_comparison_without_trained_m_is_reported_untrained():
    (issue,) = sanity.check(_model(same=(None, 0.02), different=(None, 0.98)))
    assert issue.kind == sanity.UNTRAINED and "every level" in issue.detail


def test_a_level_not_observed_in_training_counts_as_untrained():
    model = _model(same=(0.9, 0.02), different=(0.1, 0.98))
    model["comparisons"][0]["comparison_levels"][1]["m_probability"] = "level not observed in training dataset"
    assert [i.kind for i in sanity.check(model)] == [sanity.UNTRAINED]


def test_fixed_levels_are_not_checked():
    model = _model(same=(0.9, 0.02), different=(0.1, 0.98))
    model["comparisons"][0]["comparison_levels"].insert(
        2, {"label_for_charts": "twin", "m_probability": 1e-8, "u_probability": 0.1, "fix_m_probability": True})
    assert sanity.check(model) == []


def test_a_prior_above_one_pair_per_record_is_implausible():
    low, high = sanity.plausible_prior(3_000, 30_000)
    assert high == pytest.approx(1 / 30_000) and 0 < low < high
    model = _model(same=(0.9, 0.02), different=(0.1, 0.98))
    model["probability_two_random_records_match"] = 0.01
    assert [i.kind for i in sanity.check(model, prior_range=(low, high))] == [sanity.PRIOR]


def test_m_is_taken_from_the_reference_by_level_label_and_u_stays_the_datas():
    trained = _model(same=(0.09, 0.2), different=(0.91, 0.8))
    source = _model(same=(0.9, 0.01), different=(0.1, 0.99))
    fixed, changed = sanity.with_m_from(trained, source, ["given_name"])
    levels = fixed["comparisons"][0]["comparison_levels"][1:]
    assert changed == ["given_name"]
    assert [(lv["m_probability"], lv["u_probability"]) for lv in levels] == [(0.9, 0.2), (0.1, 0.8)]
    assert trained["comparisons"][0]["comparison_levels"][1]["m_probability"] == 0.09  # the original is untouched


def test_a_source_without_the_comparison_changes_nothing():
    trained = _model(same=(0.09, 0.2), different=(0.91, 0.8))
    other = copy.deepcopy(trained)
    other["comparisons"][0]["output_column_name"] = "doc_no"
    assert sanity.with_m_from(trained, other)[1] == []


def test_untrained_levels_next_to_trained_ones_get_a_small_share():
    filled, entries = sanity.fill_untrained(_model(same=(0.9, 0.02), swapped=(None, 1e-4), different=(0.1, 0.98)))
    assert entries == ["given_name: swapped"]
    ms = [lv["m_probability"] for lv in filled["comparisons"][0]["comparison_levels"][1:]]
    assert all(isinstance(m, float) and m > 0 for m in ms) and sum(ms) == pytest.approx(1.0)


def test_the_likelihood_prefers_the_model_whose_m_generated_the_block():
    # One comparison, u: agree 0.01, disagree 0.99. A block of 10,000 pairs, 5 % matches, drawn with the
    # true m (agree 0.9); the collapsed model says agree 0.05 (m below u: evidence against a match).
    n, share = 10_000, 0.05
    agree = round(n * (share * 0.9 + (1 - share) * 0.01))
    counts = {"agree": agree, "disagree": n - agree}
    u = {"agree": 0.01, "disagree": 0.99}

    def histogram(m: dict[str, float]) -> list[tuple[float, int]]:
        return [(math.log2(m[k] / u[k]), c) for k, c in counts.items()]

    ll_true, fitted = sanity.mixture_log_likelihood(histogram({"agree": 0.9, "disagree": 0.1}))
    ll_collapsed, _ = sanity.mixture_log_likelihood(histogram({"agree": 0.05, "disagree": 0.95}))
    assert ll_true > ll_collapsed
    assert fitted == pytest.approx(share, abs=0.01)


def _namesake_block() -> tuple[list[int], list[int], list[int]]:
    # 100 left records, each with its own child (pattern 0: everything agrees) and two namesakes of other
    # records' children (pattern 1: names agree, the rest differs) on the right list of 300 records
    pattern, left, right = [], [], []
    for i in range(100):
        for k, pat in ((0, 0), (1, 1), (2, 1)):
            pattern.append(pat)
            left.append(i)
            right.append(3 * i + k)
    return pattern, left, right


def test_the_one_to_one_score_prefers_a_model_that_finds_one_pair_per_record_to_one_taking_namesakes():
    import numpy as np

    pattern, left, right = (np.array(x) for x in _namesake_block())
    counts = [(0, 100), (1, 200)]

    def score(bits: tuple[float, float]) -> float:
        histogram = [(bits[p], n) for p, n in counts]
        _, lam = sanity.mixture_log_likelihood(histogram)
        return sanity.one_to_one_score(histogram, lam, pattern, left, right)

    sound, namesakes_as_matches, cautious = score((12.0, -6.0)), score((12.0, 9.0)), score((1.0, -6.0))
    assert sound > cautious > namesakes_as_matches
    assert sound == pytest.approx(100, abs=2)


def test_an_empty_block_has_no_one_to_one_score():
    assert sanity.one_to_one_score([], 0.1, [], [], []) == 0.0


def test_an_empty_block_has_no_likelihood():
    assert sanity.mixture_log_likelihood([]) == (0.0, 0.0)


def test_a_field_that_true_pairs_mostly_disagree_on_is_a_collapse():
    # m above u for "same", below u for "different", but a true pair "differs" 78 % of the time
    (issue,) = sanity.check(_model(same=(0.075, 0.0002), different=(0.78, 0.84)))
    assert issue.kind == sanity.MOSTLY_DIFFERENT


def test_a_field_true_pairs_disagree_on_entirely_more_often_than_exactly_agree_on_is_a_collapse():
    # below one half and below u, but "different dates" (0.499) outweighs "same date" (0.36): EM took
    # namesakes with other birth dates for the matches (measured on a concentrated grid setting)
    (issue,) = sanity.check(_model(same=(0.36, 0.0002), year=(0.14, 0.16), different=(0.499, 0.84)))
    assert issue.kind == sanity.MOSTLY_DIFFERENT and "'same'" in issue.detail


def test_a_field_mostly_agreeing_with_some_disagreement_passes():
    assert sanity.check(_model(same=(0.55, 0.0002), year=(0.05, 0.16), different=(0.4, 0.84))) == []


# --- the run page says what happened ------------------------------------------------------------------

COLLAPSED_REPORT = {
    "checks": [{"comparison": "birth_date", "title": "birth date", "kind": sanity.MOSTLY_DIFFERENT,
                "detail": "'different dates': m 0.781 >= 0.5"}],
    "actions": [{"comparison": "birth_date", "title": "birth date", "action": "reference model's m", "detail": ""}],
    "criterion": "mixture likelihood",
    "candidates": {"repaired": {"log_likelihood": 4552.8, "issues": 0},
                   "reference": {"log_likelihood": 4537.2, "issues": 0}},
    "chosen": "repaired",
}


def _run(report: dict) -> object:
    from homeward.linkage.models import MatchRun

    return MatchRun.objects.create(kind="tracing_vs_registry", status="done", model_version="abc",
                                   stats={"candidates": 0, "training_report": report})


@pytest.mark.django_db
def test_run_page_says_the_trained_model_failed_its_checks_and_which_model_was_used(client, users):
    run = _run(COLLAPSED_REPORT)
    client.login(username="mediator", password="pw-mediator")
    body = client.get(f"/linkage/runs/{run.pk}/").content.decode()
    assert 'id="training-warning"' in body
    assert "true pairs said to disagree more often than agree" in body and "birth date" in body
    assert "taken from the reference model" in body
    assert "trained, with the failed comparisons repaired" in body and "4552.8" in body


@pytest.mark.django_db
def test_run_page_shows_each_candidates_one_to_one_score_when_that_chose_the_model(client, users):
    report = {**COLLAPSED_REPORT, "selection": "one_to_one",
              "candidates": {"repaired": {"log_likelihood": 4552.8, "one_to_one": 2854.3, "issues": 0},
                             "reference": {"log_likelihood": 4537.2, "one_to_one": 2901.6, "issues": 0}},
              "chosen": "reference"}
    client.login(username="mediator", password="pw-mediator")
    body = client.get(f"/linkage/runs/{_run(report).pk}/").content.decode()
    assert "fit a one-to-one exchange" in body and "2901.6" in body and "2854.3" in body


@pytest.mark.django_db
def test_run_page_of_a_sane_model_says_it_passed(client, users):
    run = _run({"checks": [], "actions": [], "candidates": {"trained": {"log_likelihood": 1.0, "issues": 0}},
                "chosen": "trained"})
    client.login(username="mediator", password="pw-mediator")
    body = client.get(f"/linkage/runs/{run.pk}/").content.decode()
    assert 'id="training-ok"' in body and 'id="training-warning"' not in body


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["ua", "ru"])
def test_a_party_user_gets_404_for_the_run_page_with_its_training_report(client, users, key):
    run = _run(COLLAPSED_REPORT)
    user = users[key]
    client.login(username=user.username, password="pw-" + user.username)
    resp = client.get(f"/linkage/runs/{run.pk}/")
    assert resp.status_code == 404 and "4552.8" not in resp.content.decode()


# --- a collapse reproduced on a small generated concentrated pair ---------------------------------------

def _concentrated_pair() -> tuple[list[dict], list[dict], set[tuple[str, str]]]:
    generate = generator()
    # a few given names and surnames cover half the children; fields missing three times as often
    setting = generate.Setting(given_zipf=2.0, given_tail=0.02, surname_zipf=1.3, surname_offset=1, missing=3.0)
    left, right, truth = generate.generate(300, 6_000, 5, setting)  # 1.8M pairs: small, still collapses
    return left, right, set(truth)


def _f1(links, truth) -> float:
    found = {(x.left_id, x.right_id) for x in links}
    tp = len(found & truth)
    return 2 * tp / (len(found) + len(truth)) if found else 0.0


@pytest.mark.slow
def test_em_collapse_on_concentrated_names_warns_and_the_chosen_model_is_no_worse_than_the_reference():
    left, right, truth = _concentrated_pair()
    unchecked = link(left, right, guard=False)
    issues = sanity.check(sanity.fill_untrained(unchecked.model["splink_model"])[0])
    assert issues, "the setting no longer makes EM collapse"
    chosen = link(left, right)
    report = chosen.model["training_report"]
    assert report["checks"] and report["chosen"] != "trained"
    assert any(w.startswith("training check failed") for w in chosen.stats["warnings"])
    reference = link(left, right, trained_model=reference_model())
    assert _f1(chosen.links, truth) >= _f1(reference.links, truth) - 0.01
    assert _f1(chosen.links, truth) > _f1(unchecked.links, truth)


def test_cli_prints_the_training_warnings_on_stderr_and_keeps_the_output_columns(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import homeward.linkage.core as core
    from homeward.cli.linkage import link_command

    def fake_link(left, right, **kwargs):
        pair = core.Link("a1", "b1", 0.97, 9.1, (core.Reason("given name", "same name", 7.0),))
        return core.LinkResult([pair], {"format": "homeward-linkage/1"}, "v1", {"warnings": [
            "training check failed: birth_date: true pairs mostly disagree ('different dates': m 0.781 >= 0.5)",
            "model chosen: reference (log-likelihood 2622.5; repaired 2547.9)"]})

    monkeypatch.setattr(core, "link", fake_link)
    for name in ("ua.csv", "ru.csv"):
        (tmp_path / name).write_text(
            "record_id,given_name,surname,patronymic,sex,birth_date,birth_place\nx,Ivan,,,,,\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"
    args = [str(tmp_path / "ua.csv"), str(tmp_path / "ru.csv"), "--out", str(out), "-q"]
    res = CliRunner().invoke(link_command, args)
    assert res.exit_code == 0, res.output
    assert "warning: training check failed: birth_date" in res.stderr
    assert "warning: model chosen: reference" in res.stderr
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header == "left_id,right_id,match_probability,match_weight,explanation"
