"""Issue 12 acceptance: sentences from real reports come out with the right quantity, claimant and date.

The excerpts are quoted from the reports in ``benchmarks/figures/real/reports.jsonl`` (Sky News 2024-03-21,
Sputnik 2024-11-22, UNN 2025-06-02), where their addresses are recorded.
"""

from __future__ import annotations

from datetime import date

from homeward.figures.extract import extract

SKY = ("Russia has returned five Ukrainian children to Kyiv with thousands still believed to be held by Moscow.\n"
       "A report from Russian news agency TASS said that six children were reunited with their families after "
       "mediation at the Qatari embassy in Moscow.\n"
       "Five of the children were sent to Ukraine, and one was returned to relatives in Russia, the outlet reported.")
KURSK = ("MOSCOW (Sputnik) - A total of 46 residents of Russia's Kursk Region returned home as result of negotiation "
         "process with Ukraine, Russian Human Rights Commissioner Tatyana Moskalkova said on Friday.\n"
         "It was clarified that among those returned were a wheelchair user and 12 children.")
LIST = ("The Russian side has published a list of 339 Ukrainian children who were allegedly \"rescued\" from the "
        "combat zone.")


def claims(text: str, published: date, outlet: str) -> list[tuple[object, str, str | None, str | None]]:
    return [(c.value, c.quantity, c.claimant, c.as_of) for c in extract(text, published=published, outlet=outlet)]


def test_russia_has_returned_five_ukrainian_children() -> None:
    got = claims(SKY, date(2024, 3, 21), "Sky News")
    assert got[0] == (5, "returned", "Sky News", "2024-03-21")
    assert got[1] == (6, "reunited", "Russian news agency TASS", "2024-03-21")
    assert got[2] == (5, "returned", "Russian news agency TASS", "2024-03-21")  # "the outlet" is TASS


def test_46_residents_of_the_kursk_region_returned_including_12_children() -> None:
    got = claims(KURSK, date(2024, 11, 22), "Sputnik")
    assert got == [(46, "returned", "Russian Human Rights Commissioner Tatyana Moskalkova", "2024-11-22"),
                   (12, "returned", "Russian Human Rights Commissioner Tatyana Moskalkova", "2024-11-22")]


def test_a_list_of_339_ukrainian_children() -> None:
    assert claims(LIST, date(2025, 6, 2), "UNN") == [(339, "other", "The Russian side", "2025-06-02")]
