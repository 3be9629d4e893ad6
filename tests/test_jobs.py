"""The task queue: jobs queued with their transaction, dead workers' jobs re-queued, retries bounded,
periodic jobs queued once, and the run page telling the user about a retry or a missing worker."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings: Any) -> Any:
    """Jobs go to the database queue, as in production (the suite otherwise runs them inline)."""
    settings.BACKGROUND_JOBS = True
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects


def _run_task(queued: Any) -> Any:
    return queued.get(task_path="homeward.linkage.tasks.run_match")


def test_starting_a_run_queues_one_job_for_it(users: Any, queued: Any) -> None:
    from homeward.linkage import services

    run = services.start(users["mediator"])
    task = _run_task(queued)
    assert (run.status, task.status, task.args_kwargs["args"], task.queue_name) == (
        "queued", "READY", [run.pk], "matching")


def test_a_run_whose_transaction_rolls_back_leaves_no_job(users: Any, queued: Any) -> None:
    from homeward.linkage import services
    from homeward.linkage.models import MatchRun

    with pytest.raises(RuntimeError), transaction.atomic():
        services.start(users["mediator"])
        raise RuntimeError("the request failed after starting the run")
    assert (MatchRun.objects.count(), queued.count()) == (0, 0)


def _claim(queued: Any, worker_id: str) -> Any:
    task = _run_task(queued)
    task.claim(worker_id)
    return task


def _beat(worker_id: str, *, age: float = 0.0, pid: int | None = None) -> None:
    from homeward.jobs.models import WorkerHeartbeat

    WorkerHeartbeat.objects.create(worker_id=worker_id, host="test-host", pid=pid or os.getpid(), queues="matching",
                                   beat_at=timezone.now() - dt.timedelta(seconds=age))


def test_a_job_left_running_by_a_worker_that_stopped_beating_is_queued_again(users: Any, queued: Any) -> None:
    from homeward.jobs.worker import STALE_AFTER, recover
    from homeward.linkage import services

    services.start(users["mediator"])
    _claim(queued, "w-dead")
    _beat("w-dead", age=STALE_AFTER + 5)
    assert recover() == 1
    task = _run_task(queued)
    assert (task.status, task.worker_ids) == ("READY", ["w-dead"])


def test_a_job_of_a_worker_that_exited_cleanly_is_queued_again_at_once(users: Any, queued: Any) -> None:
    from homeward.jobs.worker import recover
    from homeward.linkage import services

    services.start(users["mediator"])
    _claim(queued, "w-gone")  # no heartbeat row: a clean exit removes it
    assert recover() == 1


def test_a_job_of_a_live_worker_is_left_running(users: Any, queued: Any) -> None:
    from homeward.jobs.worker import recover
    from homeward.linkage import services

    services.start(users["mediator"])
    _claim(queued, "w-alive")
    _beat("w-alive", age=1)
    assert recover() == 0
    assert _run_task(queued).status == "RUNNING"


def test_a_job_of_a_dead_process_on_this_host_is_queued_again_before_its_heartbeat_is_stale(
        users: Any, queued: Any) -> None:
    import socket
    import subprocess
    import sys

    from homeward.jobs.models import WorkerHeartbeat
    from homeward.jobs.worker import recover
    from homeward.linkage import services

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    services.start(users["mediator"])
    _claim(queued, "w-killed")
    WorkerHeartbeat.objects.create(worker_id="w-killed", host=socket.gethostname(), pid=gone.pid, queues="matching")
    assert recover() == 1


def test_a_run_retried_after_a_lost_worker_stores_its_candidates_once(users: Any) -> None:
    from homeward.linkage import services
    from homeward.linkage.models import Candidate, MatchRun, RunStatus
    from homeward.registry import services as registry
    from homeward.registry.models import Person, TracingRequest
    from tests.factories import make_child

    make_child(users["ua"], given_name="Олександр", surname="Коваленко", birth_date=dt.date(2014, 3, 5))
    for i, (given, surname) in enumerate([("Марія", "Шевченко"), ("Іван", "Бондар"), ("Софія", "Мельник"),
                                          ("Дмитро", "Ткаченко"), ("Анна", "Кравець"), ("Тарас", "Бойко")]):
        make_child(users["ua"], given_name=given, surname=surname, patronymic="", birth_date=dt.date(2010 + i, 1, 9))
    mother = registry.save_new(users["ngo"], Person(surname="Kovalenko", given_name="Olena", relationship="mother"))
    registry.save_new(users["ngo"], TracingRequest(requester=mother, given_name="Aleksandr", surname="Kovalenko",
                                                   patronymic="Petrovich", sex="M", birth_date=dt.date(2014, 5, 3),
                                                   birth_place="Kherson"))
    run = MatchRun.objects.create(kind="tracing_vs_registry", created_by=users["mediator"],
                                  status=RunStatus.RUNNING, attempts=1, stage="training")  # attempt 1 was lost
    services.resume(run.pk)
    run.refresh_from_db()
    first = list(Candidate.objects.values_list("left_id", "right_id"))
    services.resume(run.pk)  # the job delivered once more after it finished: nothing happens
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("done", 2)
    assert first and list(Candidate.objects.values_list("left_id", "right_id")) == first


def test_a_superseded_attempt_stores_nothing(users: Any, ua_child: Any) -> None:
    from homeward.linkage import services
    from homeward.linkage.models import Candidate, MatchRun, RunStatus

    run = MatchRun.objects.create(kind="registry_dedupe", created_by=users["mediator"], status=RunStatus.RUNNING,
                                  attempts=1)
    left = [{"record_id": "child:1", "given_name": "A", "surname": "B", "patronymic": "", "sex": "M",
             "birth_date": "", "birth_place": ""}]

    real_dedupe = services.core.dedupe

    def dedupe_then_superseded(*args: Any, **kwargs: Any) -> Any:
        MatchRun.objects.filter(pk=run.pk).update(attempts=2)  # a second worker took the run over meanwhile
        return real_dedupe(*args, **kwargs)

    services.core.dedupe = dedupe_then_superseded  # type: ignore[assignment]
    try:
        services.execute(run, left, None)
    finally:
        services.core.dedupe = real_dedupe  # type: ignore[assignment]
    run.refresh_from_db()
    assert (run.status, Candidate.objects.count()) == ("running", 0)


def test_a_job_started_more_than_three_times_gives_up_and_fails_its_run(users: Any) -> None:
    from homeward.linkage import tasks
    from homeward.linkage.models import MatchRun

    run = MatchRun.objects.create(kind="tracing_vs_registry", created_by=users["mediator"], status="running",
                                  attempts=3)

    class FourthAttempt:
        attempt = 4

    tasks.run_match.func(FourthAttempt(), run.pk)
    run.refresh_from_db()
    assert (run.status, run.error, run.attempts) == ("failed", "worker_lost", 3)


def test_runs_left_without_a_job_are_failed_and_queued_ones_are_left_alone(users: Any, queued: Any) -> None:
    from homeward.linkage import services
    from homeward.linkage.models import MatchRun

    old = timezone.now() - dt.timedelta(minutes=10)
    orphan = MatchRun.objects.create(kind="tracing_vs_registry", status="running", created_at=old)
    waiting = services.start(users["mediator"])
    MatchRun.objects.filter(pk=waiting.pk).update(created_at=old)
    done = MatchRun.objects.create(kind="tracing_vs_registry", status="done", created_at=old)
    assert services.fail_orphaned_runs() == 1
    statuses = dict(MatchRun.objects.values_list("pk", "status"))
    assert (statuses[orphan.pk], statuses[waiting.pk], statuses[done.pk]) == ("failed", "queued", "done")


def test_a_periodic_job_is_queued_once_when_due_and_not_again_while_it_waits(queued: Any) -> None:
    from homeward.jobs import schedule

    now = timezone.now()
    first = schedule.enqueue_due(now)
    assert "ledger.checkpoint" in first
    assert schedule.enqueue_due(now) == []  # not due again yet
    assert "ledger.checkpoint" not in schedule.enqueue_due(now + dt.timedelta(minutes=5))  # still waiting to run
    assert queued.filter(task_path="homeward.ledger.tasks.sign_checkpoint").count() == 1


def test_the_checkpoint_job_signs_a_checkpoint_when_the_log_grew(users: Any, ua_child: Any) -> None:
    from homeward.ledger.models import Checkpoint
    from homeward.ledger.tasks import sign_checkpoint

    class First:
        attempt = 1

    size = sign_checkpoint.func(First())
    assert size > 0 and Checkpoint.objects.get().size == size


def test_the_run_page_shows_that_a_run_was_retried(client: Any, users: Any) -> None:
    from homeward.linkage.models import MatchRun

    run = MatchRun.objects.create(kind="tracing_vs_registry", status="running", attempts=2, progress=0.4)
    client.force_login(users["mediator"])
    page = client.get(f"/linkage/runs/{run.pk}/").content.decode()
    assert 'id="run-retried"' in page and "Attempt 2" in page


def test_the_run_page_says_when_no_worker_is_running(client: Any, users: Any, settings: Any) -> None:
    from homeward.jobs.worker import STALE_AFTER
    from homeward.linkage.models import MatchRun

    settings.BACKGROUND_JOBS = True
    run = MatchRun.objects.create(kind="tracing_vs_registry", status="queued")
    client.force_login(users["mediator"])
    assert 'id="run-no-worker"' in client.get(f"/linkage/runs/{run.pk}/").content.decode()
    _beat("w-1", age=STALE_AFTER / 2)
    assert 'id="run-no-worker"' not in client.get(f"/linkage/runs/{run.pk}/").content.decode()


@pytest.mark.parametrize("who", ["ua", "ru", "ngo", "auditor"])
def test_only_mediators_see_a_run_page(client: Any, users: Any, who: str) -> None:
    from homeward.linkage.models import MatchRun

    run = MatchRun.objects.create(kind="tracing_vs_registry", status="running", attempts=2)
    client.force_login(users[who])
    assert client.get(f"/linkage/runs/{run.pk}/").status_code == 404


def test_a_maintenance_round_with_nothing_due_costs_five_statements_and_still_beats(queued: Any) -> None:
    """Every 5 s each worker beats, looks for lost jobs and for periodic jobs due. A round with nothing to do
    is five statements (one heartbeat UPDATE per loop, the heartbeats and running tasks read, one read of the
    periodic jobs' next runs): each periodic job had a transaction of its own and each beat a locking
    update_or_create, 25 statements a round. The beat still moves and nothing is queued twice."""
    from types import SimpleNamespace

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from homeward.jobs import worker
    from homeward.jobs.models import WorkerHeartbeat

    proc = worker.WorkerProcess(name="maint")
    proc.loops = [SimpleNamespace(worker_id=proc.worker_id(g), queue_names=list(g), current="", done=0)
                  for g in worker.DEFAULT_GROUPS]
    proc.maintain()  # the first round: heartbeats created, the periodic jobs claimed and queued
    queued_before = queued.count()
    beats = dict(WorkerHeartbeat.objects.values_list("worker_id", "beat_at"))
    assert len(beats) == 2 and queued_before >= 1
    proc.loops[0].done = 3
    with CaptureQueriesContext(connection) as ctx:
        proc.maintain()
    assert len(ctx.captured_queries) == 5, [q["sql"][:80] for q in ctx.captured_queries]
    after = {hb.worker_id: hb for hb in WorkerHeartbeat.objects.all()}
    assert all(after[w].beat_at >= beats[w] for w in beats) and after[proc.loops[0].worker_id].tasks_done == 3
    assert queued.count() == queued_before
    proc.forget()
    proc.maintain()  # a beat after forget() makes the rows again
    assert WorkerHeartbeat.objects.count() == 2
