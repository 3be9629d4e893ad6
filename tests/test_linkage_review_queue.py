"""The review queue for a day's work: next pair after each decision, skip, explanation strongest first,
level labels in the reader's language, each side linked with its case status, one vocabulary."""

from __future__ import annotations

import pytest

from tests.factories import make_pairs

pytestmark = pytest.mark.django_db

@pytest.fixture
def mediator_client(client, users):
    client.login(username="mediator", password="pw-mediator")
    return client


def test_next_pair_follows_each_decision(mediator_client, users):
    first, second, third = make_pairs(users)
    resp = mediator_client.get("/linkage/review/next/")
    assert resp.status_code == 302 and resp["Location"] == f"/linkage/review/{first.pk}/"
    resp = mediator_client.post(f"/linkage/review/{first.pk}/decide/", {"decision": "unsure", "reason": ""})
    assert resp["Location"] == f"/linkage/review/{second.pk}/"
    resp = mediator_client.post(f"/linkage/review/{second.pk}/decide/", {"decision": "different", "reason": "twins"})
    assert resp["Location"] == f"/linkage/review/{third.pk}/"
    resp = mediator_client.post(f"/linkage/review/{third.pk}/decide/", {"decision": "different", "reason": "x"})
    assert resp["Location"] == "/linkage/review/"


def test_skipped_pair_is_not_offered_again_in_the_same_sitting(mediator_client, users):
    first, second, _third = make_pairs(users)
    resp = mediator_client.post(f"/linkage/review/{first.pk}/skip/")
    assert resp["Location"] == f"/linkage/review/{second.pk}/"
    resp = mediator_client.post(f"/linkage/review/{second.pk}/decide/", {"decision": "unsure"})
    assert resp["Location"] != f"/linkage/review/{first.pk}/"
    first.refresh_from_db()
    assert first.decision == "pending"


def test_queue_offers_skipped_pairs_again_when_the_rest_is_done(mediator_client, users):
    (only,) = make_pairs(users, 1)
    assert mediator_client.post(f"/linkage/review/{only.pk}/skip/")["Location"] == "/linkage/review/"
    assert mediator_client.get("/linkage/review/next/")["Location"] == f"/linkage/review/{only.pk}/"


def test_explanation_lists_strongest_evidence_first_with_the_largest_bar(mediator_client, users):
    (pair,) = make_pairs(users, 1)
    body = mediator_client.get(f"/linkage/review/{pair.pk}/").content.decode()
    table = body[body.index('class="evidence"'):]
    order = [table.index(level) for level in ("same name", "different dates", "spelling differs by a typo",
                                              ">same<")]
    assert order == sorted(order)
    assert 'width="100%"' in table and 'width="10%"' in table  # 9.8 is the largest; 1.0 a tenth of it


def test_level_labels_are_shown_in_the_readers_language(mediator_client, users):
    (pair,) = make_pairs(users, 1)
    mediator_client.post("/i18n/setlang/", {"language": "uk", "next": "/"})
    body = mediator_client.get(f"/linkage/review/{pair.pk}/").content.decode()
    assert "різні дати" in body and "те саме ім&#x27;я" in body
    assert "different dates" not in body


def test_every_level_the_matcher_can_explain_has_a_translated_label():
    from homeward.linkage.core import model
    from homeward.ui.labels import LABELS

    settings = model.comparisons([("doc no", "x_doc_no")])
    levels = {lv["label_for_charts"] for c in settings for lv in c["comparison_levels"]}
    levels |= {w for _key, *words in model.SAME_NAME_WORDING.values() for w in words}
    titles = {c["comparison_description"] for c in settings if c["comparison_description"] != "doc no"}
    assert not levels - set(LABELS["linkage_level"]), "add these levels to homeward/ui/labels.py"
    assert not titles - set(LABELS["linkage_comparison"]), "add these comparisons to homeward/ui/labels.py"


def test_each_side_links_to_its_record_with_its_case_status(mediator_client, users):
    (pair,) = make_pairs(users, 1)
    body = mediator_client.get(f"/linkage/review/{pair.pk}/").content.decode()
    assert f'href="/children/{pair.left_id}/"' in body and f'href="/children/{pair.right_id}/"' in body
    assert body.count("Reported") >= 2


def test_review_page_speaks_of_children_and_shows_keys_and_the_irreversible_zone(mediator_client, users):
    (pair,) = make_pairs(users, 1)
    body = mediator_client.get(f"/linkage/review/{pair.pk}/").content.decode()
    assert "Same child" in body and "Different children" in body
    assert "Same person" not in body and "Different people" not in body
    assert "<kbd>S</kbd>" in body and "<kbd>N</kbd>" in body
    assert 'data-for="same"' in body and "Cannot be undone." in body
    assert "linkage/review.js" in body


@pytest.mark.parametrize("key", ["ua", "ru", "ngo", "auditor"])
def test_only_mediators_can_step_through_the_queue(client, users, key):
    (pair,) = make_pairs(users, 1)
    user = users[key]
    client.login(username=user.username, password="pw-" + user.username)
    assert client.get("/linkage/review/next/").status_code == 404
    assert client.post(f"/linkage/review/{pair.pk}/skip/").status_code == 404
    assert client.get(f"/linkage/review/{pair.pk}/").status_code == 404
