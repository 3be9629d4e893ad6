"""No code on any page: every role's pages, crawled in Ukrainian (every nav link, every dashboard card and the
first record each list links to), show no stored code as it is stored — no snake_case word (``tracing_request``,
``case_transition``) and no lower-case choice value of a model field (``open``, ``reunited``) in the text a
reader sees. The labels tests (tests/test_i18n.py) check that every code has a translated label; this checks
that the pages use them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.test_i18n import _visible_text
from tests.test_nav_crawl import ROLES, _card_links, _nav_links
from tests.ui_world import world  # noqa: F401

pytestmark = pytest.mark.django_db

#: Record pages a list links to (the crawl opens the first of each kind it meets).
DETAIL = re.compile(r'href="(/(?:children|cases|tracing|persons|lists|returns|linkage/review|figures)/\d+/[^"#?]*)"')
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def choice_codes() -> set[str]:
    """Lower-case choice values (of two or more letters) of every model field: the codes pages must label."""
    from django.apps import apps

    codes: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("homeward."):
            continue
        for f in model._meta.get_fields():
            for value, _label in getattr(f, "choices", None) or []:
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]+", value):
                    codes.add(value)
    return codes


def raw_codes(text: str, codes: set[str]) -> set[str]:
    words = set(re.findall(r"(?<![\w/.@-])[a-z][a-z_]*[a-z](?![\w/.@-])", text))
    return {w for w in words if SNAKE.fullmatch(w) or w in codes}


def test_the_checker_finds_a_snake_case_code_and_a_choice_value_but_not_names_or_addresses():
    codes = {"reunited", "open"}
    assert raw_codes("Статус: reunited · tracing_request #4", codes) == {"reunited", "tracing_request"}
    assert raw_codes("Коваленко (Kovalenko) · ngo@example.org · /children/4/ · API", codes) == set()


def _crawl(client: Any) -> dict[str, str]:
    """Visible text per page: the dashboard's nav links and cards (read in English, where the nav is labelled
    "Main"), then every page in Ukrainian, with the first record page of each kind it links to."""
    home = client.get("/").content.decode()
    client.cookies["django_language"] = "uk"
    shown: dict[str, str] = {}
    todo = ["/"] + [u.split("#")[0] for u in _nav_links(home) + _card_links(home)]
    seen_kinds: set[str] = set()
    while todo:
        url = todo.pop(0)
        if url in shown:
            continue
        resp = client.get(url)
        if resp.status_code != 200 or "text/html" not in resp.get("Content-Type", ""):
            continue
        body = resp.content.decode()
        shown[url] = _visible_text(body)
        for detail in DETAIL.findall(body):
            kind = detail.split("/")[1]
            if kind not in seen_kinds:
                seen_kinds.add(kind)
                todo.append(detail)
    return shown


@pytest.mark.parametrize("role", ROLES)
def test_no_page_a_role_opens_shows_a_stored_code_in_ukrainian(client, users, world, role):  # noqa: F811
    client.force_login(users[role])
    codes = choice_codes()
    logins = {u.username for u in users.values()}  # user names are data shown as written, not codes
    pages = _crawl(client)
    opened_a_record = any(re.search(r"/\d+/", url) for url in pages)
    reads_records = role != "auditor"  # auditors read the ledger and the figures, never a record page
    assert len(pages) >= 3 and opened_a_record == reads_records, f"{role}: crawl too short: {list(pages)}"
    found = {url: sorted(raw) for url, text in pages.items() if (raw := raw_codes(text, codes) - logins)}
    assert not found, f"{role}: codes shown untranslated in Ukrainian: {found}"
