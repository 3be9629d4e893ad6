"""Specification of "who says what" (the dispute view) and the claim page with "why this claim"."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import login

pytestmark = pytest.mark.django_db

UA = ("KYIV (Reuters) - Ukraine's ombudsman Dmytro Lubinets said on Monday that 19,456 children had been "
      "deported to Russia since February 2022, aged 2 to 17.")
YALE = "Researchers at Yale's Humanitarian Research Lab said about 35,000 children had been deported or displaced."
RU = "Russia has received more than 700,000 children from Ukraine, the commissioner Maria Lvova-Belova said."


def add(user, text, published, title):
    from homeward.figures import services

    doc = services.add_document(user, title=title, text=text, outlet="Wire", published_on=published)
    for claim in doc.claims.all():
        services.review_claim(user, claim, "confirm")
    return doc


def test_the_figures_pages_show_each_claimant_side_by_side_with_links_to_the_quotes(client, users) -> None:
    ua = add(users["mediator"], UA, dt.date(2025, 6, 2), "UA report")
    add(users["mediator"], YALE, dt.date(2025, 3, 19), "Yale report")
    page = client.get("/stats/").content.decode()
    assert "Who says what:" in page
    assert "Dmytro Lubinets" in page and "Humanitarian Research Lab" in page
    claim = ua.claims.get(value=19456)
    assert f'href="/figures/claims/{claim.pk}/"' in page
    assert page.index("Dmytro Lubinets") < page.index("Humanitarian Research Lab")  # the latest first
    login(client, users["auditor"])
    timeline = client.get("/figures/timeline/deported/").content.decode()
    assert "Who says what" in timeline and f'/figures/claims/{claim.pk}/' in timeline


def test_a_public_claim_page_shows_the_quote_and_why_this_claim(client, users) -> None:
    doc = add(users["mediator"], UA, dt.date(2025, 6, 2), "UA report")
    claim = doc.claims.get(value=19456)
    resp = client.get(f"/figures/claims/{claim.pk}/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "<mark>19,456</mark>" in body and "Why this claim" in body
    assert "counted noun «children»" in body and "Claimant" in body
    assert "«2022» — a date" in body and "«17» — an age, a sum, a time or a percentage" in body  # dropped, and why


def test_an_unreviewed_claim_page_exists_only_for_mediators(client, users) -> None:
    from homeward.figures import services

    doc = services.add_document(users["mediator"], title="Pending", text=RU, outlet="Wire",
                                published_on=dt.date(2023, 7, 31))
    claim = doc.claims.first()
    assert claim is not None and not claim.is_public
    assert client.get(f"/figures/claims/{claim.pk}/").status_code == 404
    for who in ("ua", "ru", "ngo"):
        login(client, users[who])
        assert client.get(f"/figures/claims/{claim.pk}/").status_code == 404
    login(client, users["mediator"])
    page = client.get(f"/figures/claims/{claim.pk}/")
    assert page.status_code == 200 and "Not public" in page.content.decode()
    assert client.get("/figures/claims/999999/").status_code == 404
