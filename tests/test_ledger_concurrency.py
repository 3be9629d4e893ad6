"""Single writer: concurrent appends from several threads get consecutive, unique indices."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from homeward.ledger import service, storage
from homeward.ledger.verify import verify_ledger


@pytest.fixture(autouse=True)
def ledger_home(settings: Any, tmp_path: Path) -> Path:
    settings.HOME = tmp_path
    return tmp_path


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_get_consecutive_indices_and_a_valid_tree() -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads cannot share SQLite's in-memory test database with real locking")
    errors: list[BaseException] = []

    def writer(tag: str) -> None:
        try:
            for i in range(25):
                service.record(
                    "case_transition", actor=None, party_code="UA", object_type="c", object_id=f"{tag}{i}", content={}
                )
            service.record_many(service.Record("list_response", None, "RU", "l", f"{tag}b{i}", {}) for i in range(25))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(t,)) for t in "abcd"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    indices = list(storage.LedgerEntry.objects.order_by("index").values_list("index", flat=True))
    assert indices == list(range(200))
    service.make_checkpoint()
    assert verify_ledger().size == 200
