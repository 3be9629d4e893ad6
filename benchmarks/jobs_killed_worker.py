"""A worker SIGKILLed in the middle of a matching run; a new worker starts: how long until the run is done?

A throwaway installation (SQLite, or PostgreSQL with ``--pg``) gets N children and tracing requests, and a
matching run is queued. A first ``homeward worker`` runs it and is killed with SIGKILL inside the transaction
that stores the candidates (the ``linkage.run.mid_store`` fault point of ``homeward.faults``; with
``--kill-after S`` it is instead killed from outside S seconds after it took the job). Then a second worker
starts, and the script prints the seconds from its start until the run is done (target: 60 s), and checks
that the run finished on its second attempt with no duplicate candidates and as many as it reports.

    .venv/bin/python benchmarks/jobs_killed_worker.py                    # SQLite, 200 children
    .venv/bin/python benchmarks/jobs_killed_worker.py --pg postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python benchmarks/jobs_killed_worker.py --children 1000 --kill-after 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent

SEED = """
import datetime as dt
import random
from django.conf import settings
settings.CONTINUOUS_MATCHING = False  # only the run under test writes candidates (no per-record re-matching jobs)
from homeward.accounts.models import Party, User
from homeward.linkage import services as linkage
from homeward.registry import services as registry
from homeward.registry.models import Child, Person, TracingRequest

def user(name, party, role):
    u = User(username=name, party=party, role=role)
    u.set_password("pw-" + name)
    u.save()
    return u

rng = random.Random(15)
ua = Party.objects.create(code="UA", name="Ukraine", kind="authority")
qa = Party.objects.create(code="QA", name="Qatar", kind="mediator")
ngo = Party.objects.create(code="NGO1", name="Tracing NGO", kind="ngo")
officer, mediator, worker = user("ua-officer", ua, "party_officer"), user("mediator", qa, "mediator_admin"), \\
    user("ngo-worker", ngo, "ngo_caseworker")
given = [("Марія", "Mariia"), ("Іван", "Ivan"), ("Софія", "Sofiia"), ("Дмитро", "Dmytro"), ("Анна", "Anna"),
         ("Тарас", "Taras"), ("Олег", "Oleh"), ("Ірина", "Iryna"), ("Максим", "Maksym"), ("Олена", "Olena")]
surnames = [("Шевченко", "Shevchenko"), ("Бондар", "Bondar"), ("Мельник", "Melnyk"), ("Ткаченко", "Tkachenko"),
            ("Кравець", "Kravets"), ("Бойко", "Boiko"), ("Коваленко", "Kovalenko"), ("Лисенко", "Lysenko"),
            ("Савченко", "Savchenko"), ("Руденко", "Rudenko"), ("Гончар", "Honchar"), ("Левченко", "Levchenko")]
for i in range(N):
    g, s = rng.choice(given), rng.choice(surnames)
    born = dt.date(2006 + rng.randrange(12), 1 + rng.randrange(12), 1 + rng.randrange(28))
    child = registry.save_new(officer, Child(given_name=g[0], surname=s[0], sex="M", birth_date=born,
                                             birth_place="Херсон"))
    registry.open_case(officer, child)
    if i % 4 == 0:  # a quarter of them sought by a relative, in Latin letters
        mother = registry.save_new(worker, Person(surname=s[1], given_name="Olena", relationship="mother"))
        registry.save_new(worker, TracingRequest(requester=mother, given_name=g[1], surname=s[1], sex="M",
                                                 birth_date=born, birth_place="Kherson"))
result = linkage.start(mediator).pk
"""

STATE = """
from django_tasks_db.models import DBTaskResult
from homeward.linkage.models import Candidate, MatchRun
run = MatchRun.objects.get(pk=RUN)
pairs = list(Candidate.objects.values_list("left_type", "left_id", "right_type", "right_id"))
result = {"status": run.status, "attempts": run.attempts, "candidates": len(pairs), "distinct": len(set(pairs)),
          "stored": run.stats.get("candidates"),
          "tasks": list(DBTaskResult.objects.filter(task_path="homeward.linkage.tasks.run_match")
                        .values_list("status", flat=True))}
"""


class Install:
    def __init__(self, pg: str) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="homeward-jobs-"))
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("HOMEWARD_")}
        self.env.update(HOMEWARD_HOME=str(self.home), PYTHONUNBUFFERED="1")
        self.pg, self.db = pg, ""
        if pg:
            self.db = f"homeward_jobs_{uuid.uuid4().hex[:8]}"
            self._admin(f'CREATE DATABASE "{self.db}"')
            self.env["HOMEWARD_DATABASE_URL"] = urllib.parse.urlunsplit(
                urllib.parse.urlsplit(pg)._replace(path="/" + self.db))
        self.procs: list[subprocess.Popen[bytes]] = []

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.pg, autocommit=True) as conn:
            conn.execute(sql)

    def cli(self, *args: str) -> None:
        done = subprocess.run([str(BIN / "homeward"), *args], env=self.env, capture_output=True, text=True,
                              timeout=1800)
        if done.returncode:
            raise SystemExit(f"homeward {' '.join(args)} failed:\n{done.stderr[-3000:]}")

    def py(self, code: str) -> Any:
        script = ("import json, os, django\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'homeward.settings')\n"
                  "django.setup()\nresult = None\n" + code + "\nprint('@@' + json.dumps(result))\n")
        done = subprocess.run([sys.executable, "-c", script], env=self.env, capture_output=True, text=True,
                              timeout=1800)
        if done.returncode:
            raise SystemExit(f"script failed:\n{done.stderr[-3000:]}")
        return json.loads([ln for ln in done.stdout.splitlines() if ln.startswith("@@")][-1][2:])

    def worker(self, name: str, **env: str) -> subprocess.Popen[bytes]:
        log = open(self.home / f"{name}.log", "ab")  # noqa: SIM115
        proc = subprocess.Popen([str(BIN / "homeward"), "worker"], env={**self.env, **env}, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        if self.db:
            self._admin(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
        shutil.rmtree(self.home, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--children", type=int, default=200)
    ap.add_argument("--pg", default="", help="a PostgreSQL URL to create the throwaway database with")
    ap.add_argument("--kill-after", type=float, default=0.0,
                    help="kill the first worker from outside this many seconds after it took the job "
                         "(default: at the fault point inside the storing transaction)")
    ap.add_argument("--timeout", type=float, default=300.0)
    args = ap.parse_args(argv)

    inst = Install(args.pg)
    try:
        t = time.monotonic()
        inst.cli("init")
        run_id = inst.py(SEED.replace("N)", f"{args.children})"))
        print(f"{'PostgreSQL' if args.pg else 'SQLite'}: {args.children} children, "
              f"{(args.children + 3) // 4} tracing requests, run {run_id} queued ({time.monotonic() - t:.0f} s)")

        def state() -> dict[str, Any]:
            return dict(inst.py(STATE.replace("RUN", str(run_id))))

        t = time.monotonic()
        if args.kill_after:
            first = inst.worker("worker-1")
            while state()["status"] != "running":
                time.sleep(0.5)
            time.sleep(args.kill_after)
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=30)
        else:
            first = inst.worker("worker-1", HOMEWARD_FAULT="linkage.run.mid_store")
            first.wait(timeout=args.timeout)
        killed = state()
        print(f"worker 1 exited {first.returncode} after {time.monotonic() - t:.1f} s; run {killed['status']}, "
              f"attempt {killed['attempts']}, {killed['candidates']} candidates stored, task {killed['tasks']}")

        started = time.monotonic()
        inst.worker("worker-2")
        while True:
            s = state()
            if s["status"] in ("done", "failed") or time.monotonic() - started > args.timeout:
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - started
    finally:
        inst.close()
    ok = (first.returncode == -signal.SIGKILL and killed["candidates"] == 0 and s["status"] == "done"
          and s["attempts"] == 2 and s["candidates"] == s["distinct"] == s["stored"] and s["tasks"] == ["SUCCESSFUL"])
    print(f"worker 2: run {s['status']} {elapsed:.1f} s after it started (target <= 60 s); attempt {s['attempts']}; "
          f"{s['candidates']} candidates, {s['distinct']} distinct pairs, run reports {s['stored']}; task {s['tasks']}")
    print("RESULT:", "ok" if ok and elapsed <= 60 else ("checks passed, target missed" if ok else "A CHECK FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
