"""The names toolkit keeps its built lexicons on disk, so a new process does not rebuild them."""

from __future__ import annotations

import pytest

from homeward.names import diskcache


@pytest.fixture
def cache_in(tmp_path, monkeypatch):
    monkeypatch.setenv("HOMEWARD_NAMES_CACHE", str(tmp_path))
    return tmp_path


def test_second_use_reads_the_disk_copy_without_building(cache_in):
    calls = []
    assert diskcache.cached("t", lambda: calls.append(1) or {"a": (1, 2)}) == {"a": (1, 2)}
    assert diskcache.cached("t", lambda: calls.append(1) or {"other": ()}) == {"a": (1, 2)}
    assert calls == [1]


def test_a_damaged_cache_file_is_rebuilt(cache_in):
    diskcache.cached("t", lambda: 1)
    (path,) = cache_in.glob("names-t-*.pickle")
    path.write_bytes(b"not a pickle")
    assert diskcache.cached("t", lambda: 2) == 2
    assert diskcache.cached("t", lambda: 3) == 2


def test_off_disables_the_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("HOMEWARD_NAMES_CACHE", "off")
    assert diskcache.cached("t", lambda: 1) == 1
    assert diskcache.cached("t", lambda: 2) == 2


def test_an_unwritable_cache_directory_is_not_an_error(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("HOMEWARD_NAMES_CACHE", str(blocker / "sub"))
    assert diskcache.cached("t", lambda: 5) == 5


def test_the_fingerprint_covers_this_package_and_the_dictionaries():
    assert len(diskcache.fingerprint()) == 16
