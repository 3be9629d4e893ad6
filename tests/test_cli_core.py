"""The core commands: init, demo data, parties and users."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from homeward.cli import main

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_help_lists_every_command_with_an_example():
    result = run("--help")
    assert result.exit_code == 0
    for name, command in main.commands.items():
        assert name in result.output
        subcommands = getattr(command, "commands", None)
        paths = [[name, sub] for sub in subcommands] if subcommands else [[name]]
        for path in paths:
            helptext = run(*path, "--help").output
            assert "homeward " + " ".join(path) in helptext, f"'homeward {' '.join(path)} --help' shows no example"


def test_init_demo_creates_parties_users_and_cases_in_every_status():
    from homeward.accounts.models import Party, User
    from homeward.registry.models import Case
    from homeward.registry.workflow import CaseStatus

    result = run("init", "--demo")
    assert result.exit_code == 0, result.output
    assert {"UA", "RU", "QA"} <= set(Party.objects.values_list("code", flat=True))
    assert {"mediator", "ua-officer", "ru-officer", "ngo-worker", "auditor"} <= set(
        User.objects.values_list("username", flat=True))
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert Case.objects.filter(child__party__code="RU").exists()
    assert Case.objects.count() >= 250


def test_init_demo_refuses_a_database_with_real_records():
    from homeward.accounts.models import Party
    from homeward.registry.models import Child

    ua = Party.objects.create(code="UA", name="Ukraine", kind="authority")
    Child.objects.create(party=ua, surname="Справжній")
    result = CliRunner().invoke(main, ["init", "--demo"])
    assert result.exit_code == 1
    assert "non-demo" in result.output
    assert Child.objects.count() == 1


def test_party_and_user_add_and_list():
    assert run("party", "add", "UA", "--name", "Ukraine", "--kind", "authority").exit_code == 0
    result = run("user", "add", "olena", "--party", "UA", "--role", "party_officer", input="long passphrase\n")
    assert result.exit_code == 0, result.output
    assert "olena" in run("user", "list").output
    assert "UA" in run("party", "list").output


def test_user_with_role_unfit_for_party_is_refused():
    run("party", "add", "UA", "--name", "Ukraine", "--kind", "authority")
    result = CliRunner().invoke(main, ["user", "add", "x", "--party", "UA", "--role", "mediator_admin"],
                                input="long passphrase\n")
    assert result.exit_code == 1
    assert "role" in result.output
