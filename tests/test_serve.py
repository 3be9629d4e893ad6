"""``homeward serve --workers N``: N server processes on one address (gunicorn), one embedded job worker however
many there are, the job worker outliving a server process that exits, and everything stopped with the server.
Real processes on loopback, on SQLite (and on PostgreSQL in the PostgreSQL leg)."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests._live import Live, free_port, live_installation_fixture, live_template_fixture, wait_until  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sys.platform.startswith("linux"),
                                                   reason="reads the process tree from /proc")]


def _group(pgid: int) -> dict[int, tuple[int, str]]:
    """The live processes of a process group: pid -> (parent pid, command line)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) ": state ppid pgrp …
        if fields[0] != "Z" and int(fields[2]) == pgid:
            found[int(entry.name)] = (int(fields[1]), cmdline)
    return found


def _roles(server_pid: int) -> tuple[list[int], list[int]]:
    """The job workers and the server processes the server started."""
    children = {pid: cmd for pid, (ppid, cmd) in _group(server_pid).items() if ppid == server_pid}
    job_workers = sorted(pid for pid, cmd in children.items() if "homeward worker" in cmd)
    return job_workers, sorted(set(children) - set(job_workers))


def _healthz(port: int) -> dict[str, object]:
    """/healthz's answer (503 while no worker has beaten yet: its body tells the same)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as resp:  # noqa: S310
            return dict(json.loads(resp.read()))
    except urllib.error.HTTPError as exc:
        return dict(json.loads(exc.read()))


def test_serve_with_two_workers_runs_two_server_processes_on_one_address_and_one_job_worker(live: Live) -> None:
    port = free_port()
    server = live.serve(port, "--workers", "2", "--threads", "2")
    try:
        job_workers, web = wait_until(lambda: (lambda r: r if len(r[1]) == 2 and r[0] else None)(_roles(server.pid)),
                                      60, "two server processes and a job worker")
        assert len(job_workers) == 1 and len(web) == 2
        assert f"--parent {server.pid}" in _group(server.pid)[job_workers[0]][1]
        # the jobs run at a lower CPU priority than the requests (nice 10 more, at most 19)
        nice = os.getpriority(os.PRIO_PROCESS, web[0])
        assert os.getpriority(os.PRIO_PROCESS, job_workers[0]) == min(nice + 10, 19)
        answered = [_healthz(port) for _ in range(20)]  # every answer comes from one of the two processes
        assert all(a["status"] in ("ok", "fail") and "database" in a["checks"] for a in answered)  # type: ignore[operator]
        wait_until(lambda: _healthz(port).get("status") == "ok", 60, "the job worker's heartbeat in /healthz")

        # A server process that exits (SIGTERM: it finishes its requests and runs its exit hooks) is replaced,
        # and the job worker, which it inherited a handle on, is left running: it is the master's.
        os.kill(web[0], signal.SIGTERM)
        wait_until(lambda: web[0] not in _roles(server.pid)[1] and len(_roles(server.pid)[1]) == 2, 60,
                   "the exited server process replaced")
        time.sleep(2)
        assert _roles(server.pid)[0] == job_workers
        assert _healthz(port)["status"] == "ok"

        server.send_signal(signal.SIGTERM)  # the server stops, and everything it started with it
        assert server.wait(timeout=40) == 0
        wait_until(lambda: not _group(server.pid), 30, "every process of the server gone")
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)


def test_serve_with_one_worker_stays_one_process_beside_its_job_worker(live: Live) -> None:
    port = free_port()
    server = live.serve(port)
    try:
        job_workers, others = wait_until(lambda: (lambda r: r if r[0] else None)(_roles(server.pid)), 60,
                                         "the job worker")
        assert len(job_workers) == 1 and others == []  # waitress: the requests are served by this process
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=40) == 0
        wait_until(lambda: not _group(server.pid), 30, "the job worker gone with the server")
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)


def test_serving_tunes_the_garbage_collector_for_short_lived_request_objects() -> None:
    import subprocess

    # a process of its own, as a server is: importing the WSGI module is what waitress and gunicorn do
    code = "import gc, homeward.wsgi; print(*gc.get_threshold())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "homeward.test_settings"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    first, *_ = (int(x) for x in out.stdout.split())
    assert first >= 10_000  # Python's default is 700
