"""A party's witness cosigning from its own machine over the API (a real HTTP server)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from homeward.cli.ledger import ledger as ledger_cli
from homeward.ledger import remote, service, witness
from homeward.ledger.errors import WitnessError
from homeward.ledger.models import Cosignature
from homeward.ledger.note import Signer


@pytest.fixture(autouse=True)
def ledger_home(settings: Any, tmp_path: Path) -> Path:
    settings.HOME = tmp_path
    return tmp_path


@pytest.fixture
def platform(transactional_db: Any, users: dict[str, Any], live_server: Any) -> dict[str, Any]:
    from homeward.accounts.models import ApiToken

    ua = Signer.generate("ua.homeward")
    service.register_key("UA", ua.verifier(), actor=None)
    service.record_many(service.Record("list_submission", None, "UA", "exchange.list", i, {}) for i in range(5))
    service.make_checkpoint()
    return {
        "url": live_server.url,
        "ua": ua,
        "ua_token": ApiToken.issue(users["ua"]),
        "ru_token": ApiToken.issue(users["ru"]),
        "log_key": service.log_verifier().vkey,
    }


def test_party_cosigns_over_the_api_and_the_platform_stores_it(platform: dict[str, Any], tmp_path: Path) -> None:
    store = witness.FileStateStore(tmp_path / "ua.witness.json")
    answer = remote.cosign(
        remote.Client(platform["url"], platform["ua_token"]),
        signer=platform["ua"],
        party_code="UA",
        log_key=platform["log_key"],
        store=store,
    )
    assert answer["size"] == 6 and answer["key_name"] == "ua.homeward"
    assert Cosignature.objects.filter(party_code="UA", checkpoint__size=6).count() == 1
    state = store.load()
    assert state is not None and state.size == 6


def test_remote_witness_refuses_a_platform_signed_by_another_log_key(platform: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(WitnessError, match="not signed by the log key"):
        remote.cosign(
            remote.Client(platform["url"], platform["ua_token"]),
            signer=platform["ua"],
            party_code="UA",
            log_key=Signer.generate(service.origin()).verifier().vkey,
            store=witness.MemoryStateStore(),
        )
    assert not Cosignature.objects.exists()


def test_another_party_cannot_submit_a_partys_cosignature_the_route_is_not_found(platform: dict[str, Any]) -> None:
    cp = service.latest_checkpoint()
    assert cp is not None
    line = platform["ua"].cosign(cp.note.split("\n\n")[0] + "\n", 1).line()
    with pytest.raises(remote.RemoteError, match="HTTP 404"):
        remote.Client(platform["url"], platform["ru_token"]).post(
            "/cosignatures", {"party": "UA", "size": cp.size, "line": line}
        )


def test_cosignature_by_an_unregistered_key_is_rejected(platform: dict[str, Any]) -> None:
    cp = service.latest_checkpoint()
    assert cp is not None
    line = Signer.generate("ua.homeward").cosign(cp.note.split("\n\n")[0] + "\n", 1).line()
    with pytest.raises(remote.RemoteError, match="HTTP 422"):
        remote.Client(platform["url"], platform["ua_token"]).post(
            "/cosignatures", {"party": "UA", "size": cp.size, "line": line}
        )


def test_cosign_command_with_url_needs_no_database_access(platform: dict[str, Any], tmp_path: Path) -> None:
    key = tmp_path / "ua.key"
    key.write_text(platform["ua"].skey + "\n")
    result = CliRunner().invoke(
        ledger_cli,
        ["cosign", "--party", "UA", "--key", str(key), "--url", platform["url"], "--log-key", platform["log_key"]],
        env={"HOMEWARD_TOKEN": platform["ua_token"]},
    )
    assert result.exit_code == 0, result.output
    assert "Cosigned checkpoint of size 6 as ua.homeward" in result.output
    assert (tmp_path / "ua.witness.json").exists()
