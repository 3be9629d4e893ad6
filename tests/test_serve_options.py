"""``homeward serve`` refuses, with a message saying what to do, options it cannot honour on this install."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest
from click.testing import CliRunner

from homeward.cli import core


def test_serve_with_workers_names_the_missing_server_library(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def without_gunicorn(name: str, *args: Any) -> Any:
        return None if name == "gunicorn" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", without_gunicorn)
    monkeypatch.setattr(core, "setup", lambda *a, **k: None)
    started: list[str] = []
    monkeypatch.setattr(core, "EmbeddedWorker", lambda: started.append("worker"), raising=False)
    result = CliRunner().invoke(core.serve, ["--workers", "2"])
    assert result.exit_code == 2
    assert "needs gunicorn" in result.output and "requirements.lock" in result.output
    assert not started
