"""Specification of the figures pages: sources, review by mediators only, timelines, public statistics."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from tests.factories import REPORT, add_report, login, make_child, reunite

pytestmark = pytest.mark.django_db

def publish_stats(user):
    from homeward.figures import services

    return services.publish_snapshot(user)


def test_adding_a_document_stores_its_metadata_and_the_extracted_claims_awaiting_review(users):
    doc = add_report(users["mediator"])
    claims = {c.value: c for c in doc.claims.all()}
    assert set(claims) == {214, 9000}
    assert claims[214].quantity == "returned" and claims[214].as_of == "2025-03-11"
    assert claims[214].as_of_date == dt.date(2025, 3, 11)
    assert claims[214].status == "extracted"
    assert doc.text[claims[214].start:claims[214].end] == "214"
    assert claims[9000].qualifier == "more than"
    assert claims[214].extracted["claimant"].endswith("Olena Prykladenko")
    assert doc.language == "en" and doc.retrieved_at is not None


def test_claimants_are_linked_to_organisations_and_persons_through_name_variants(users):
    from homeward.figures.models import NameVariant, Organisation, SourcePerson

    org = Organisation.objects.create(name="Ombudsman of Ukraine", kind="government", country="UA")
    person = SourcePerson.objects.create(name="Olena Prykladenko", organisation=org)
    NameVariant.objects.create(person=person, name="Олена Прикладенко")
    doc = add_report(users["mediator"], text="Про це повідомила Олена Прикладенко. Україна повернула 16 дітей. "
                     "Про це повідомила речниця Олена Прикладенко у вівторок.", published=dt.date(2024, 7, 12))
    claim = doc.claims.get()
    assert claim.person == person and claim.organisation == org


@pytest.mark.parametrize("who", ["ua", "ru", "ngo", "auditor"])
def test_non_mediators_cannot_reach_the_review_page(client, users, who):
    doc = add_report(users["mediator"])
    claim = doc.claims.first()
    login(client, users[who])
    assert client.get(f"/figures/documents/{doc.pk}/review/").status_code == 404
    assert client.get("/figures/documents/").status_code == 404
    assert client.post(f"/figures/claims/{claim.pk}/review/", {"action": "confirm"}).status_code == 404
    claim.refresh_from_db()
    assert claim.status == "extracted"


def test_anonymous_visitors_are_sent_to_login_from_the_review_page(client, users):
    doc = add_report(users["mediator"])
    resp = client.get(f"/figures/documents/{doc.pk}/review/")
    assert resp.status_code == 302 and "/login/" in resp["Location"]


@pytest.mark.parametrize("who", ["mediator", "caseworker"])
def test_mediators_see_the_document_with_each_claim_highlighted(client, users, who):
    doc = add_report(users["mediator"])
    login(client, users[who])
    body = client.get(f"/figures/documents/{doc.pk}/review/").content.decode()
    assert "<mark" in body and ">214<" in body and "9,000" in body
    assert "Confirm as extracted" in body


def test_a_mediator_confirms_corrects_and_rejects_claims(client, users):
    from homeward.accounts.models import AuditEvent

    doc = add_report(users["mediator"])
    c214 = doc.claims.get(value=214)
    c9000 = doc.claims.get(value=9000)
    login(client, users["caseworker"])
    assert client.post(f"/figures/claims/{c214.pk}/review/", {"action": "confirm"}).status_code == 302
    resp = client.post(f"/figures/claims/{c9000.pk}/review/", {
        "action": "correct", "value": "9 100", "qualifier": "at least", "quantity": "other", "direction": "",
        "claimant": "Ombudsman", "as_of": "2025-03", "scope": "cumulative", "note": "per the full statement"})
    assert resp.status_code == 302
    c214.refresh_from_db()
    c9000.refresh_from_db()
    assert c214.status == "confirmed" and c214.reviewed_by == users["caseworker"]
    assert (c9000.status, int(c9000.value), c9000.qualifier, c9000.as_of) == ("corrected", 9100, "at least", "2025-03")
    assert c9000.as_of_date == dt.date(2025, 3, 31)
    assert c9000.extracted["value"] == 9000  # the extractor's reading is kept
    assert AuditEvent.objects.filter(action="figures_claim_correct", object_id=str(c9000.pk)).exists()
    assert client.post(f"/figures/claims/{c214.pk}/review/", {"action": "reject"}).status_code == 302
    c214.refresh_from_db()
    assert c214.status == "rejected"


def test_an_invalid_correction_is_refused_with_field_errors(client, users):
    doc = add_report(users["mediator"])
    claim = doc.claims.get(value=214)
    login(client, users["mediator"])
    resp = client.post(f"/figures/claims/{claim.pk}/review/", {
        "action": "correct", "value": "many", "qualifier": "", "quantity": "returned", "as_of": "last spring",
        "scope": "event"})
    assert resp.status_code == 422
    body = resp.content.decode()
    assert "value" in body and "as_of" in body
    claim.refresh_from_db()
    assert claim.status == "extracted" and int(claim.value) == 214


def test_mediators_add_documents_from_the_sources_page(client, users):
    login(client, users["mediator"])
    resp = client.post("/figures/documents/", {"title": "Statement", "outlet": "Ministry", "text": REPORT,
                                               "published_on": "2025-03-14", "language": ""})
    assert resp.status_code == 302
    from homeward.figures.models import Document

    doc = Document.objects.get(title="Statement")
    assert resp["Location"].endswith(f"/figures/documents/{doc.pk}/review/")
    assert doc.claims.count() == 2


def test_the_timeline_shows_claimed_figures_by_claimant_beside_verified_counts_as_svg(client, users, ua_child):
    from homeward.figures import services

    doc = add_report(users["mediator"])
    services.review_claim(users["mediator"], doc.claims.get(value=214), "confirm")
    more = [make_child(users["ua"], surname=f"Reunited{i}") for i in range(5)]
    for child in more:
        reunite(child, users["mediator"], dt.datetime(2025, 2, 10, tzinfo=dt.UTC))
    publish_stats(users["mediator"])
    login(client, users["auditor"])
    resp = client.get("/figures/timeline/returned/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "<svg" in body and "<polyline" in body or "<circle" in body
    assert "Olena Prykladenko" in body  # the claimant's series
    assert "Homeward (verified, cumulative)" in body and "reunited" in body  # verified series, definition
    assert "Reunited0" not in body
    assert client.get("/figures/timeline/nonsense/").status_code == 404


def test_the_public_statistics_page_needs_no_login_and_shows_no_personal_data(client, users):
    from homeward.figures import services

    distinctive = make_child(users["ua"], given_name="Zoryslava", surname="Quixotenko-Unique",
                             birth_place="Velykyi Secret")
    others = [make_child(users["ua"], surname=f"Plain{i}") for i in range(5)]
    for child in [distinctive, *others]:
        reunite(child, users["mediator"], dt.datetime(2025, 1, 15, tzinfo=dt.UTC))
    doc = add_report(users["mediator"])
    services.review_claim(users["mediator"], doc.claims.get(value=214), "confirm")
    publish_stats(users["mediator"])
    for url in ("/stats/", "/stats/figures.csv", "/stats/figures.json", "/api/v1/figures/stats"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        body = resp.content.decode()
        for secret in ("Zoryslava", "Quixotenko", "Velykyi Secret", "Plain0", "asthma"):
            assert secret not in body, (url, secret)
        assert "6" in body  # the period's verified count is there, as an aggregate


def test_public_figures_carry_source_and_as_of_and_unreviewed_claims_stay_private(client, users):
    from homeward.figures import services

    doc = add_report(users["mediator"])
    services.review_claim(users["mediator"], doc.claims.get(value=214), "confirm")
    rows = json.loads(client.get("/stats/figures.json").content)["figures"]
    claimed = [r for r in rows if r["series"] == "claimed"]
    assert [(r["value"], r["as_of"], r["document"], r["url"]) for r in claimed] == [
        (214, "2025-03-11", "Wire report", "https://example.org/wire")]
    assert "Prykladenko" in claimed[0]["source"] and claimed[0]["definition"]
    table = list(csv.DictReader(io.StringIO(client.get("/stats/figures.csv").content.decode())))
    assert [r["value"] for r in table if r["series"] == "claimed"] == ["214"]  # 9,000 is not reviewed yet
    page = client.get("/stats/").content.decode()
    assert "214" in page and "2025-03-11" in page and "Wire report" in page and "9,000" not in page


def test_counts_under_five_are_suppressed_everywhere(client, users):
    children = [make_child(users["ua"], surname=f"Few{i}") for i in range(3)]
    for child in children:
        reunite(child, users["mediator"], dt.datetime(2024, 11, 5, tzinfo=dt.UTC))
    publish_stats(users["mediator"])
    data = json.loads(client.get("/stats/figures.json").content)
    assert [r for r in data["figures"] if r["series"].startswith("verified")] == []  # held until a period has 5
    assert all(t["count"] is None or t["count"] >= 5 for t in data["case_totals"])
    csv_rows = [r for r in csv.DictReader(io.StringIO(client.get("/stats/figures.csv").content.decode()))
                if r["series"].startswith("verified")]
    assert csv_rows == []
    page = client.get("/stats/").content.decode()
    assert "&lt;5" in page and ">3<" not in page


def test_the_demo_loader_seeds_illustrative_sources_once(users):
    from homeward.figures.demo import load_demo
    from homeward.figures.models import Claim, Document

    assert load_demo()["documents"] >= 3
    assert load_demo() == {"documents": 0}
    docs = Document.objects.all()
    assert docs and all(d.is_demo and d.title.startswith("[Illustrative]") for d in docs)
    assert Claim.objects.filter(status="confirmed").count() >= 6
    assert Claim.objects.filter(person__isnull=False).exists()


def test_the_api_extracts_claims_for_authenticated_callers_only(client, users, token_for):
    payload = {"text": REPORT, "published": "2025-03-14"}
    assert client.post("/api/v1/figures/extract", payload, content_type="application/json").status_code == 401
    resp = client.post("/api/v1/figures/extract", payload, content_type="application/json", **token_for("ngo"))
    assert resp.status_code == 200
    assert [c["value"] for c in resp.json()] == [214, 9000]


def test_the_verified_cumulative_series_never_reveals_a_step_under_five(users):
    from homeward.figures import services

    months = [(2024, 1, 3), (2024, 2, 1), (2024, 3, 2), (2024, 4, 7), (2024, 5, 4)]
    for year, month, n in months:
        for i in range(n):
            child = make_child(users["ua"], surname=f"C{year}{month}{i}")
            reunite(child, users["mediator"], dt.datetime(year, month, 10, tzinfo=dt.UTC))
    publish_stats(users["mediator"])
    points = services.verified_cumulative_points()
    assert points == [(dt.date(2024, 3, 31), 6), (dt.date(2024, 4, 30), 13)]
    steps = [b - a for (_d, a), (_e, b) in zip([(None, 0), *points], points, strict=False)]
    assert all(step >= 5 for step in steps)


def test_in_arabic_the_chart_legend_runs_leftwards_from_the_right_edge_so_no_label_is_cut() -> None:
    import re

    from homeward.figures.services import Series
    from homeward.figures.svg import line_chart

    series = [Series("مفوض حقوق الطفل (روسيا)", "", [(dt.date(2024, 1, 1), 10.0, "10")])]
    rtl = line_chart(series, "t", width=760, rtl=True)
    ltr = line_chart(series, "t", width=760)
    label = re.compile(r'<text x="([\d.]+)" y="[\d.]+"([^>]*)>مفوض')
    m_rtl, m_ltr = label.search(rtl), label.search(ltr)
    assert m_rtl and m_ltr
    assert float(m_rtl.group(1)) > 700 and 'direction="rtl"' in m_rtl.group(2)
    assert float(m_ltr.group(1)) < 100 and "direction" not in m_ltr.group(2)
    # the axes stay left-to-right whatever the page's direction
    assert 'direction="ltr"' in rtl.split(">", 1)[0]
