"""End to end in Chromium: an auditor opens the ledger, reads the cosigned checkpoint and verifies the log."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from homeward.ledger import service, witness
from homeward.ledger.note import Signer
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_auditor_sees_cosigned_checkpoint_and_verifies_the_ledger(
    browser_page: Any, users: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    settings.HOME = tmp_path
    ua = Signer.generate("ua.homeward")
    service.register_key("UA", ua.verifier(), actor=None)
    service.record_many(
        service.Record("list_submission", None, "UA", "exchange.list", i, {"child": "Бондаренко Дарина"})
        for i in range(60)
    )
    service.make_checkpoint()
    service.cosign_latest(ua, "UA", witness.MemoryStateStore())

    page = browser_page
    errors: list[str] = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    browser_login(page, "auditor", "pw-auditor")
    page.click("nav >> text=Ledger")
    assert page.locator("h1").inner_text() == "Ledger"
    assert "— ua.homeward " in page.locator("pre.note").inner_text()
    assert "Бондаренко" not in page.content()
    assert page.locator("pre.note").evaluate("e => getComputedStyle(e).whiteSpace") == "pre-wrap"
    page.click("text=Verify the ledger")
    assert "Verified: 61 entries and 1 checkpoints are consistent." in page.locator("[role=status]").inner_text()
    page.click("text=Older")
    assert page.locator(".ledger-entries tbody tr").count() == 11
    if os.environ.get("HOMEWARD_SCREENSHOTS"):
        page.screenshot(path=os.environ["HOMEWARD_SCREENSHOTS"] + "/ledger.png", full_page=True)
    assert not errors, errors
