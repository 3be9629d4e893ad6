"""``homeward ledger`` and ``homeward keys`` commands, and offline bundle verification."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from homeward.cli.ledger import COMMANDS, keys, ledger
from homeward.ledger import bundle, service
from homeward.ledger.errors import LedgerError, NoteError, ProofError
from homeward.ledger.note import Signer

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def ledger_home(settings: Any, tmp_path: Path) -> Path:
    settings.HOME = tmp_path
    return tmp_path


def _run(group: Any, *args: str) -> Any:
    return CliRunner().invoke(group, list(args), catch_exceptions=False)


@pytest.fixture
def cosigned_ledger(tmp_path: Path, parties: dict[str, Any]) -> dict[str, Any]:
    ua_key, ru_key = tmp_path / "ua.key", tmp_path / "ru.key"
    ua_vkey = _run(keys, "generate", "--name", "ua.homeward", "--out", str(ua_key)).output.strip()
    ru_vkey = _run(keys, "generate", "--name", "ru.homeward", "--out", str(ru_key)).output.strip()
    assert _run(keys, "register", "--party", "UA", "--vkey", ua_vkey).exit_code == 0
    assert _run(keys, "register", "--party", "RU", "--key", str(ru_key)).exit_code == 0
    service.record_many(service.Record("list_submission", None, "UA", "exchange.list", i, {"i": i}) for i in range(6))
    assert _run(ledger, "checkpoint").exit_code == 0
    for party, key in (("UA", ua_key), ("RU", ru_key)):
        result = _run(ledger, "cosign", "--party", party, "--key", str(key))
        assert result.exit_code == 0, result.output
    return {"ua_key": ua_key, "ua_vkey": ua_vkey, "ru_vkey": ru_vkey, "log_vkey": service.log_verifier().vkey}


def test_every_command_has_help_with_an_example() -> None:
    for group in COMMANDS:
        assert isinstance(group, type(ledger))
        for name, command in group.commands.items():  # type: ignore[attr-defined]
            assert command.help and "Example" in command.help, f"{group.name} {name}"


def test_keys_generate_writes_an_owner_only_private_key_and_prints_the_vkey(tmp_path: Path) -> None:
    out = tmp_path / "k" / "ua.key"
    result = _run(keys, "generate", "--name", "ua.homeward", "--out", str(out))
    assert result.exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert Signer.from_skey(out.read_text()).verifier().vkey == result.output.strip()
    again = CliRunner().invoke(keys, ["generate", "--name", "ua.homeward", "--out", str(out)])
    assert again.exit_code != 0 and "refusing to overwrite" in again.output


def test_keys_list_shows_log_and_party_keys(cosigned_ledger: dict[str, Any]) -> None:
    out = _run(keys, "list").output
    assert cosigned_ledger["log_vkey"] in out and cosigned_ledger["ua_vkey"] in out and "current" in out


def test_ledger_checkpoint_prints_a_note_with_cosignatures(cosigned_ledger: dict[str, Any]) -> None:
    out = _run(ledger, "checkpoint").output
    assert out.startswith(service.origin() + "\n8\n")
    assert "— ua.homeward " in out and "— ru.homeward " in out


def test_verify_reports_ok_on_an_honest_ledger(cosigned_ledger: dict[str, Any]) -> None:
    result = _run(ledger, "verify")
    assert result.exit_code == 0
    assert "8 entries" in result.output and "2 cosignatures" in result.output


def test_verify_with_an_untrusted_log_key_fails(cosigned_ledger: dict[str, Any]) -> None:
    other = Signer.generate(service.origin()).verifier().vkey
    result = CliRunner().invoke(ledger, ["verify", "--log-key", other])
    assert result.exit_code == 1
    assert re.search(r"checkpoint #\d+ \(size 8\): log signature does not verify", result.output)


def test_prove_bundle_verifies_offline_with_trusted_keys(cosigned_ledger: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "entry3.json"
    assert _run(ledger, "prove", "3", "--out", str(path)).exit_code == 0
    data = json.loads(path.read_text())
    assert data["index"] == 3 and data["tree_size"] == 8
    result = _run(
        ledger,
        "verify-bundle",
        str(path),
        "--log-key",
        cosigned_ledger["log_vkey"],
        "--cosigner-key",
        cosigned_ledger["ua_vkey"],
        "--cosigner-key",
        cosigned_ledger["ru_vkey"],
        "--require-cosigners",
        "2",
    )
    assert result.exit_code == 0, result.output
    assert "OK: entry 3" in result.output and "ru.homeward, ua.homeward" in result.output
    assert "WARNING" not in result.output


def test_bundle_with_a_changed_entry_byte_fails_offline(cosigned_ledger: dict[str, Any]) -> None:
    data = service.proof_bundle(3)
    raw = bytearray(bundle.base64.b64decode(data["entry"]))
    at = raw.index(b'"commitment":"') + len(b'"commitment":"')
    raw[at] = ord("9") if raw[at] != ord("9") else ord("8")  # still canonical JSON, another commitment
    data["entry"] = bundle.base64.b64encode(bytes(raw)).decode()
    with pytest.raises(ProofError):
        bundle.verify_bundle(data, log_keys=[cosigned_ledger["log_vkey"]])


def test_bundle_needing_more_cosigners_than_it_has_fails(cosigned_ledger: dict[str, Any]) -> None:
    data = service.proof_bundle(0)
    with pytest.raises(NoteError, match=r"1 cosigner\(s\) found, 2 required"):
        bundle.verify_bundle(
            data,
            log_keys=[cosigned_ledger["log_vkey"]],
            cosigner_keys=[cosigned_ledger["ua_vkey"]],  # the verifier trusts UA only
            required_cosigners=2,
        )


def test_bundle_signed_by_another_log_key_fails(cosigned_ledger: dict[str, Any]) -> None:
    data = service.proof_bundle(0)
    with pytest.raises(LedgerError):
        bundle.verify_bundle(data, log_keys=[Signer.generate(service.origin()).verifier().vkey])


def test_verify_bundle_runs_without_django_or_a_database(cosigned_ledger: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "entry5.json"
    path.write_text(json.dumps(service.proof_bundle(5)))
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from homeward.cli.ledger import ledger\n"
        f"args = ['verify-bundle', {str(path)!r}, '--log-key', {cosigned_ledger['log_vkey']!r}]\n"
        "r = CliRunner().invoke(ledger, args)\n"
        "print(r.output)\n"
        "assert r.exit_code == 0, r.output\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "HOMEWARD_HOME")}
    env["HOMEWARD_HOME"] = str(tmp_path / "nowhere")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: entry 5" in done.stdout
    assert not (tmp_path / "nowhere").exists()


def test_prove_without_a_checkpoint_explains_what_to_do(db: Any) -> None:
    service.record("list_submission", actor=None, party_code="UA", object_type="l", object_id=1, content={})
    result = CliRunner().invoke(ledger, ["prove", "0"])
    assert result.exit_code == 1 and "sign one first" in result.output


def test_every_command_and_endpoint_is_documented() -> None:
    doc = (REPO / "docs" / "ledger.md").read_text()
    for group in COMMANDS:
        for name in group.commands:  # type: ignore[attr-defined]
            assert f"homeward {group.name} {name}" in doc, f"{group.name} {name}"
    for url in ("/ledger/checkpoint", "/ledger/proof/inclusion", "/ledger/proof/consistency", "/ledger/entries"):
        assert url in doc


def test_revealing_bundle_opens_the_commitment_offline_and_a_changed_content_fails(
    cosigned_ledger: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "opened.json"
    assert _run(ledger, "prove", "4", "--reveal", "--out", str(path)).exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    result = _run(ledger, "verify-bundle", str(path), "--log-key", cosigned_ledger["log_vkey"])
    assert result.exit_code == 0
    assert "open the commitment" in result.output
    data = json.loads(path.read_text())
    assert data["opening"]["content"] == {"i": 2}
    data["opening"]["content"] = {"i": 3}
    with pytest.raises(LedgerError, match="do not match the entry's commitment"):
        bundle.verify_bundle(data, log_keys=[cosigned_ledger["log_vkey"]])


def test_plain_bundle_carries_no_content(cosigned_ledger: dict[str, Any]) -> None:
    assert "opening" not in service.proof_bundle(4)
