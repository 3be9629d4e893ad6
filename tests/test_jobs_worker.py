"""A real worker process killed with SIGKILL in the middle of a matching run: the next worker runs it again,
nothing half-written is left, nothing is stored twice. On SQLite, and on PostgreSQL in the PostgreSQL leg."""

from __future__ import annotations

import signal
import time
from typing import Any

import pytest

from tests._live import Live, live_installation_fixture, live_template_fixture, wait_until  # noqa: F401

SEED = """
import datetime as dt
from homeward.accounts.models import Party, User
from homeward.registry import services as registry
from homeward.registry.models import Child, Person, TracingRequest

def user(name, party, role):
    u = User(username=name, party=party, role=role)
    u.set_password("pw-" + name)
    u.save()
    return u

ua = Party.objects.create(code="UA", name="Ukraine", kind="authority")
ru = Party.objects.create(code="RU", name="Russia", kind="authority")
qa = Party.objects.create(code="QA", name="Qatar", kind="mediator")
ngo = Party.objects.create(code="NGO1", name="Tracing NGO", kind="ngo")
officer, mediator, worker = user("ua-officer", ua, "party_officer"), user("mediator", qa, "mediator_admin"), \
    user("ngo-worker", ngo, "ngo_caseworker")
given = ["Марія", "Іван", "Софія", "Дмитро", "Анна", "Тарас", "Олег", "Ірина"]
surnames = ["Шевченко", "Бондар", "Мельник", "Ткаченко", "Кравець", "Бойко", "Коваленко", "Лисенко"]
for i in range(24):
    child = registry.save_new(officer, Child(given_name=given[i % 8], surname=surnames[(i * 3) % 8], patronymic="",
                                             sex="M", birth_date=dt.date(2008 + i % 9, 1 + i % 12, 1 + i % 27),
                                             birth_place="Херсон"))
    registry.open_case(officer, child)
for i in range(6):
    mother = registry.save_new(worker, Person(surname="Kovalenko", given_name="Olena", relationship="mother"))
    registry.save_new(worker, TracingRequest(requester=mother, given_name=["Mariia", "Ivan", "Sofiia", "Dmytro",
        "Anna", "Taras"][i], surname=["Shevchenko", "Tkachenko", "Kravets", "Boiko", "Bondar", "Melnyk"][i],
        sex="M", birth_date=dt.date(2008 + i, 1 + i, 1 + i), birth_place="Kherson"))
"""

STATE = """
from django_tasks_db.models import DBTaskResult
from homeward.linkage.models import Candidate, MatchRun
run = MatchRun.objects.get(pk=RUN)
# the run's own pairs (continuous matching of the seeded records adds pairs of no run to the queue too)
pairs = list(Candidate.objects.filter(run=run).values_list("left_type", "left_id", "right_type", "right_id"))
result = {"status": run.status, "attempts": run.attempts, "candidates": len(pairs), "distinct": len(set(pairs)),
          "stored": run.stats.get("candidates"),
          "tasks": list(DBTaskResult.objects.filter(task_path="homeward.linkage.tasks.run_match")
                        .values_list("status", flat=True))}
"""


def _state(live: Live, run_id: int) -> dict[str, Any]:
    return dict(live.py(STATE.replace("RUN", str(run_id))))


@pytest.mark.slow
def test_a_worker_killed_mid_run_leaves_nothing_half_written_and_the_next_worker_finishes_the_run(live: Live) -> None:
    live.py(SEED)
    run_id = live.py("from homeward.accounts.models import User\nfrom homeward.linkage import services\n"
                     "result = services.start(User.objects.get(username='mediator')).pk")

    first = live.spawn("worker", HOMEWARD_FAULT="linkage.run.mid_store")  # dies inside the storing transaction
    assert first.wait(timeout=180) == -signal.SIGKILL
    after_kill = _state(live, run_id)
    assert (after_kill["status"], after_kill["attempts"], after_kill["candidates"]) == ("running", 1, 0)
    assert after_kill["tasks"] == ["RUNNING"]

    started = time.monotonic()
    live.spawn("worker")
    done = wait_until(lambda: (s := _state(live, run_id))["status"] in ("done", "failed") and s, 120, "the retried run")
    elapsed = time.monotonic() - started
    assert (done["status"], done["attempts"], done["tasks"]) == ("done", 2, ["SUCCESSFUL"])
    assert done["candidates"] == done["distinct"] > 0  # nothing stored twice
    # the run counts the pairs it added; a pair continuous matching proposed first is taken over, not added
    assert done["stored"] <= done["candidates"]
    assert elapsed < 120  # the target (60 s on a quiet machine) is measured by benchmarks/jobs


@pytest.mark.slow
def test_a_job_delivered_again_after_its_run_committed_stores_nothing_more(live: Live) -> None:
    live.py(SEED)
    run_id = live.py("from homeward.accounts.models import User\nfrom homeward.linkage import services\n"
                     "result = services.start(User.objects.get(username='mediator')).pk")
    live.cli("worker", "--batch", timeout=240)
    once = _state(live, run_id)
    # The worker dies after the run's results committed but before the queue heard of it: the job runs again.
    live.py("from django_tasks_db.models import DBTaskResult\n"
            "DBTaskResult.objects.update(status='RUNNING', worker_ids=['gone-worker'])\n")
    live.cli("worker", "--batch", timeout=240)
    twice = _state(live, run_id)
    assert once["status"] == "done" and once["candidates"] > 0
    assert (twice["status"], twice["attempts"], twice["candidates"], twice["tasks"]) == (
        "done", 1, once["candidates"], ["SUCCESSFUL"])
