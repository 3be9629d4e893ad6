"""Live installations for the tests that run real processes (workers, servers, backups) and kill them.

A live installation is a throwaway ``$HOMEWARD_HOME`` with its own database: a SQLite file, or, when the
suite runs on PostgreSQL (``HOMEWARD_DATABASE_URL``), a database of its own named after the suite's.
The database is migrated once per test session and copied for each test (file copy; ``CREATE DATABASE
… TEMPLATE``), so a test starts from a fresh, migrated database in a fraction of a second.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

PG_URL = os.environ.get("HOMEWARD_DATABASE_URL", "")
BIN = Path(sys.executable).parent


def _pg_admin(sql: str) -> None:
    import psycopg

    parts = urlsplit(PG_URL)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql)


def _pg_url(name: str) -> str:
    return urlunsplit(urlsplit(PG_URL)._replace(path="/" + name))


def pg_base_name() -> str:
    return urlsplit(PG_URL).path.lstrip("/")


@dataclass
class Live:
    """One live installation: its environment, and helpers to run commands and code against it."""

    home: Path
    database_url: str = ""
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("HOMEWARD_DATABASE_URL", "HOMEWARD_FAULT",
                                                                 "DJANGO_SETTINGS_MODULE")}
        env.update({"HOMEWARD_HOME": str(self.home), "HOMEWARD_TESTING": "1", "PYTHONUNBUFFERED": "1"})
        if self.database_url:
            env["HOMEWARD_DATABASE_URL"] = self.database_url
        return env

    def cli(self, *args: str, input: str | None = None, check: bool = True, timeout: float = 300,
            **env: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([str(BIN / "homeward"), *args], env={**self.env, **env}, input=input, text=True,
                              capture_output=True, timeout=timeout)
        if check and done.returncode != 0:
            raise AssertionError(f"homeward {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done

    def py(self, code: str, timeout: float = 300, **env: str) -> Any:
        """Run ``code`` with Django set up; it sets ``result``, which comes back as JSON."""
        script = ("import json, os, django\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'homeward.settings')\n"
                  "django.setup()\nresult = None\n" + code + "\nprint('@@' + json.dumps(result, default=str))\n")
        done = subprocess.run([sys.executable, "-c", script], env={**self.env, **env}, text=True,
                              capture_output=True, timeout=timeout)
        if done.returncode != 0:
            raise AssertionError(f"script exited {done.returncode}:\n{done.stderr[-4000:]}")
        line = [ln for ln in done.stdout.splitlines() if ln.startswith("@@")][-1]
        return json.loads(line[2:])

    def spawn(self, *args: str, log: Path | None = None, **env: str) -> subprocess.Popen[bytes]:
        out = open(log or (self.home / f"proc-{len(self.procs)}.log"), "ab")  # noqa: SIM115
        proc = subprocess.Popen([str(BIN / "homeward"), *args], env={**self.env, **env}, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)

    def serve(self, port: int, *args: str, **env: str) -> subprocess.Popen[bytes]:
        proc = self.spawn("serve", "--port", str(port), *args, **env)
        wait_for_http(f"http://127.0.0.1:{port}/healthz", proc)
        return proc


def wait_for_http(url: str, proc: subprocess.Popen[bytes] | None = None, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the server exited with {proc.returncode} before answering")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback only
        except urllib.error.HTTPError:
            pass  # it answers (503 while no worker has beaten yet is fine here)
        except OSError:
            time.sleep(0.3)
            continue
        if proc is not None and proc.poll() is not None:  # someone else's server answered on that port
            raise AssertionError(f"the server exited with {proc.returncode}; another process answers on {url}")
        return
    raise AssertionError(f"{url} did not answer within {timeout} s")


def wait_until(predicate: Any, timeout: float, what: str, every: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def free_port() -> int:
    """A loopback port no one listens on, chosen by the system. (A fixed range scanned from its start gave two
    pytest-xdist workers the same port: the second test's clients then reached the first test's server.)"""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Template:
    """A migrated database, made once per session and copied for each test."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "template-home"
        self.home.mkdir(parents=True, exist_ok=True)
        self.pg_name = f"{pg_base_name()}_live_{uuid.uuid4().hex[:6]}" if PG_URL else ""
        if self.pg_name:
            _pg_admin(f'CREATE DATABASE "{self.pg_name}"')
        Live(self.home, _pg_url(self.pg_name) if self.pg_name else "").cli("init")
        if self.pg_name:
            # A template database must have no open connections when it is copied.
            _pg_admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{self.pg_name}'")  # noqa: S608 - our own name

    def new(self, name: str) -> Live:
        home = self.root / f"{name}-{uuid.uuid4().hex[:6]}"
        home.mkdir(mode=0o700)
        for item in ("secret_key", "homeward.sqlite3"):
            if (self.home / item).exists():
                shutil.copy2(self.home / item, home / item)
        url = ""
        if self.pg_name:
            db = f"{self.pg_name}_{home.name[-6:]}"
            _pg_admin(f'CREATE DATABASE "{db}" TEMPLATE "{self.pg_name}"')
            url = _pg_url(db)
        return Live(home, url)

    def empty(self, name: str) -> Live:
        """An installation with nothing in it yet: no database tables, no files (a restore target)."""
        home = self.root / f"{name}-{uuid.uuid4().hex[:6]}"
        home.mkdir(mode=0o700)
        url = ""
        if self.pg_name:
            db = f"{self.pg_name}_{home.name[-6:]}"
            _pg_admin(f'CREATE DATABASE "{db}"')
            url = _pg_url(db)
        return Live(home, url)

    def drop(self, live: Live) -> None:
        live.stop_all()
        if live.database_url:
            db = urlsplit(live.database_url).path.lstrip("/")
            _pg_admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')

    def close(self) -> None:
        if self.pg_name:
            _pg_admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


def live_fixture(template: Template, name: str) -> Iterator[Live]:
    live = template.new(name)
    try:
        yield live
    finally:
        template.drop(live)


@pytest.fixture(scope="module", name="live_template")
def live_template_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Template]:
    """A migrated database for this module's live installations (import ``live_*_fixture`` into the module)."""
    template = Template(tmp_path_factory.mktemp("live"))
    try:
        yield template
    finally:
        template.close()


@pytest.fixture(name="live")
def live_installation_fixture(live_template: Template, request: pytest.FixtureRequest) -> Iterator[Live]:
    yield from live_fixture(live_template, request.node.name[:20].replace("[", "-").replace("]", ""))
