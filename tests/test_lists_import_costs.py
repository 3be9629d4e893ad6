"""What a list import costs beyond its rows: the command line runs with the served process's collector
thresholds (one setting, ``homeward.collector``), and the import hands its entries to the name index as they
are, with the same postings as (id, names) tuples would give."""

from __future__ import annotations

import gc
import os
import random
import subprocess
import sys
from types import SimpleNamespace
from typing import Any

import pytest

from homeward import collector
from homeward.registry import search
from tests.test_search_postings import GIVEN, PATRONYMICS, SURNAMES, stored_postings


def test_a_command_that_sets_django_up_runs_with_the_served_processs_collector_thresholds() -> None:
    # a process of its own, as `homeward lists import` is: the thresholds after the command's set-up, and the
    # server's (importing the WSGI module), are the one shared setting, not Python's defaults (700, 10, 10)
    code = ("import gc; from homeward.cli._django import setup; setup(); print(*gc.get_threshold()); "
            "import homeward.wsgi as w; print(*w.GC_THRESHOLDS)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "homeward.test_settings"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    cli, served = (tuple(int(x) for x in line.split()) for line in out.stdout.splitlines())
    assert cli == served == collector.THRESHOLDS
    assert collector.THRESHOLDS[0] >= 10_000


@pytest.mark.django_db
def test_the_lists_commands_tune_the_collector_when_they_set_django_up(monkeypatch: Any) -> None:
    from click.testing import CliRunner

    from homeward.cli import _django, main

    was = gc.get_threshold()
    monkeypatch.setattr(_django, "_ready", False)
    try:
        gc.set_threshold(700, 10, 10)
        result = CliRunner().invoke(main, ["lists", "list"])
        assert result.exit_code == 0, result.output
        assert gc.get_threshold() == collector.THRESHOLDS
    finally:
        gc.set_threshold(*was)


def _entries(n: int, seed: int) -> list[tuple[int, str, str, str]]:
    rng = random.Random(seed)
    ids = rng.sample(range(2**32, 2**53), n)
    return [(i, rng.choice(SURNAMES), rng.choice(GIVEN), rng.choice(PATRONYMICS)) for i in ids]


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_entries_given_as_objects_get_the_postings_and_count_of_the_same_entries_as_tuples(seed: int) -> None:
    rows = _entries(200, seed)
    objects = [SimpleNamespace(pk=i, surname=s, given_name=g, patronymic=p) for i, s, g, p in rows]
    assert search.index_list_version(21, objects) == search.index_list_version(22, rows)
    assert stored_postings(21) == stored_postings(22) != {}


@pytest.mark.django_db
def test_a_list_import_hands_the_index_the_entries_it_wrote_not_a_tuple_a_row(users: Any, parties: Any,
                                                                                monkeypatch: Any) -> None:
    from homeward.exchange import services
    from homeward.exchange.models import ListEntry

    given: list[Any] = []
    real = search.index_list_version

    def spy(version_id: int, entries: Any) -> int:
        given.append(entries)
        return real(version_id, entries)

    monkeypatch.setattr(search, "index_list_version", spy)
    data = ("Фамилия;Имя;Отчество;Дата рождения;Пол;Место рождения\n"
            "Коваленко;Мария;Ивановна;04.03.2012;ж;Мариуполь\n"
            "Шевченко;Олег;;01.02.2011;м;Донецк\n").encode()
    outcome = services.import_list(users["ru"], party=parties["RU"], title="RU holds", filename="ru.csv", data=data,
                                   via="cli")
    (entries,) = given
    assert all(isinstance(e, ListEntry) for e in entries) and len(entries) == 2
    assert search.search(ListEntry.objects.filter(version=outcome.version), "Мария Коваленко").ids(10) == [
        e.pk for e in entries if e.surname == "Коваленко"]
