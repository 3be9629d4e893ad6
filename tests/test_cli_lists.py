"""`homeward lists …` and `homeward sign`."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from homeward.cli import main
from tests.factories import UA_ROWS, ua_csv

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_matching(settings: Any) -> None:
    settings.EXCHANGE_MATCH_ON_IMPORT = False


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def ua_file(tmp_path, parties):
    f = tmp_path / "ua.csv"
    f.write_bytes(ua_csv())
    return f


def test_import_prints_the_version_id_last_and_list_shows_it(ua_file):
    result = run("lists", "import", str(ua_file), "--party", "UA", "--title", "Sought in RU")
    assert result.exit_code == 0, result.output
    vid = result.output.strip().splitlines()[-1]
    assert vid.isdigit()
    listing = run("lists", "list").output
    assert f"\n{vid}\t" in listing and "Sought in RU" in listing and "\tUA\tRU\t1\t3\t" in listing


def test_impossible_date_rejects_and_list_shows_no_new_version(tmp_path, parties):
    f = tmp_path / "bad.csv"
    f.write_bytes(ua_csv([*UA_ROWS, "Петренко;Олег;Іванович;31.02.2013;ч;Херсон"]))
    before = run("lists", "list").output
    result = CliRunner().invoke(main, ["lists", "import", str(f), "--party", "UA", "--title", "T"])
    assert result.exit_code == 1
    assert "row 5, field 'birth_date': not a real date" in result.output
    assert "Петренко" not in result.output
    assert run("lists", "list").output == before
    result = run("lists", "import", str(f), "--party", "UA", "--title", "T", "--accept-valid")
    assert result.exit_code == 0 and "1 rows left out" in result.output


def test_diff_shows_exactly_the_changed_surname(tmp_path, parties):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(ua_csv())
    b.write_bytes(ua_csv([UA_ROWS[0], UA_ROWS[1].replace("Бондаренко", "Бондарчук"), UA_ROWS[2]]))
    va = run("lists", "import", str(a), "--party", "UA", "--title", "T").output.strip().splitlines()[-1]
    vb = run("lists", "import", str(b), "--party", "UA", "--title", "T").output.strip().splitlines()[-1]
    result = CliRunner(mix_stderr=False).invoke(main, ["lists", "diff", va, vb]) if _mix() else \
        CliRunner().invoke(main, ["lists", "diff", va, vb])
    lines = [line for line in result.stdout.splitlines() if line[:1] in "+-~"]
    assert lines == ["~ row 3->3: surname: Бондаренко -> Бондарчук"]


def _mix() -> bool:
    import inspect

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters


@pytest.mark.parametrize("fmt,magic", [("csv", b"\xef\xbb\xbf"), ("xlsx", b"PK"), ("pdf", b"%PDF-")])
def test_export(tmp_path, ua_file, fmt, magic):
    vid = run("lists", "import", str(ua_file), "--party", "UA", "--title", "T").output.strip().splitlines()[-1]
    out = tmp_path / f"r.{fmt}"
    result = run("lists", "export", vid, "--format", fmt, "--out", str(out))
    assert result.exit_code == 0 and out.read_bytes().startswith(magic)


def test_sign_then_import_with_signature_and_ledger_verifies_after_responses(tmp_path, ua_file):
    from homeward.accounts.models import Party

    key = tmp_path / "ua.key"
    assert run("keys", "generate", "--name", "ua.homeward", "--out", str(key)).exit_code == 0
    assert run("keys", "register", "--party", "UA", "--key", str(key)).exit_code == 0
    result = run("sign", str(ua_file), "--key", str(key))
    assert result.exit_code == 0
    sig = result.output.strip().splitlines()[-1]
    assert sig.endswith("ua.csv.sig")
    result = run("lists", "import", str(ua_file), "--party", "UA", "--title", "T", "--signature", sig)
    assert result.exit_code == 0, result.output
    assert "signed by ua.homeward" in result.output
    other = tmp_path / "other.csv"
    other.write_bytes(ua_csv(UA_ROWS[:1]))
    result = CliRunner().invoke(main, ["lists", "import", str(other), "--party", "UA", "--title", "T",
                                       "--signature", sig])
    assert result.exit_code == 1 and "another file" in result.output
    from homeward.accounts.models import User
    from homeward.exchange import services
    from homeward.exchange.models import ListEntry, ListVersion

    v = ListVersion.objects.get()
    services.forward(User.objects.create(username="m", party=Party.objects.get(code="QA"), role="mediator_admin"), v)
    ru = User.objects.create(username="r", party=Party.objects.get(code="RU"), role="party_officer")
    entries = list(ListEntry.objects.filter(version=v).select_related("forwarding"))
    services.respond(ru, [services.Answer(entries[0], "located", "x"), services.Answer(entries[1], "contested")])
    verify = run("ledger", "verify")
    assert verify.exit_code == 0 and verify.output.startswith("OK")


def test_demo_loader_is_idempotent(users, settings):
    from homeward.exchange import demo
    from homeward.exchange.models import EntryResponse, ListVersion
    from homeward.linkage.models import MatchRun

    settings.EXCHANGE_MATCH_ON_IMPORT = True
    assert demo.load_demo() == {"created": 1}  # the fixture users carry the demo usernames
    assert demo.load_demo() == {"created": 0}
    v = ListVersion.objects.get()
    assert v.entries.filter(forwarding__isnull=False).count() == 5
    assert EntryResponse.objects.count() == 3
    assert MatchRun.objects.get().status == "done"  # matched synchronously, not left to a thread
