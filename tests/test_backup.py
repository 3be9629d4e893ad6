"""``homeward backup`` and ``homeward restore``: encrypted snapshots taken during writes, that restore whole.

Runs on the database the suite runs on: SQLite, or PostgreSQL when ``HOMEWARD_DATABASE_URL`` is set (then
the installations get databases of their own, dropped afterwards, and the test skips without pg_dump).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from homeward.backup.crypto import BackupError, DamagedBackup, DecryptingReader, EncryptingWriter, WrongPassphrase
from tests._live import PG_URL, Live, Template, live_installation_fixture, live_template_fixture, wait_until  # noqa: F401

PASS = "correct horse battery staple ☃"

if PG_URL and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
    pytestmark = pytest.mark.skip(reason="pg_dump/pg_restore not installed (apt-get install postgresql-client)")


# --- the encryption layer ----------------------------------------------------------------------------------


def _seal(plain: bytes, passphrase: str = PASS, chunk: int = 64) -> bytes:
    out = io.BytesIO()
    w = EncryptingWriter(out, passphrase, n=1 << 10, chunk=chunk)
    for i in range(0, len(plain), 50):  # writes that straddle the chunk boundaries
        w.write(plain[i : i + 50])
    w.finish()
    return out.getvalue()


def _open(blob: bytes, passphrase: str = PASS) -> bytes:
    reader = DecryptingReader(io.BufferedReader(io.BytesIO(blob)), passphrase)  # type: ignore[arg-type]
    data = reader.read()
    assert reader.at_end()
    return data


@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 128, 1000])
def test_encrypted_stream_round_trips_at_every_chunk_boundary(size: int) -> None:
    plain = os.urandom(size)
    blob = _seal(plain)
    if size >= 16:  # a shorter random string turns up in any ciphertext by chance
        assert plain not in blob
    assert _open(blob) == plain


def test_wrong_passphrase_is_named_before_anything_is_decrypted() -> None:
    blob = _seal(b"x" * 500)
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        DecryptingReader(io.BufferedReader(io.BytesIO(blob)), "correct horse battery staple")  # type: ignore[arg-type]


def test_empty_passphrase_is_refused() -> None:
    with pytest.raises(BackupError, match="empty"):
        EncryptingWriter(io.BytesIO(), "")


@pytest.mark.parametrize("cut", [1, 16, 80, 81, 200])
def test_a_truncated_stream_is_refused(cut: int) -> None:
    blob = _seal(os.urandom(300))  # header, then frames of 64+16 bytes
    with pytest.raises(DamagedBackup):
        _open(blob[:-cut])


def test_a_stream_cut_at_a_frame_boundary_is_refused() -> None:
    plain = os.urandom(64 * 4)
    blob = _seal(plain)
    header_len = len(blob) - 4 * 80 - 16  # four full frames and an empty last one
    for frames in range(1, 5):
        with pytest.raises(DamagedBackup, match="truncated"):
            _open(blob[: header_len + frames * 80])


def test_an_altered_byte_or_reordered_frames_are_refused() -> None:
    blob = bytearray(_seal(os.urandom(64 * 3 + 10)))
    header_len = len(blob) - 3 * 80 - 26
    flipped = bytearray(blob)
    flipped[header_len + 100] ^= 1
    with pytest.raises(DamagedBackup, match="altered"):
        _open(bytes(flipped))
    swapped = blob[:header_len] + blob[header_len + 80 : header_len + 160] + blob[header_len : header_len + 80]
    swapped += blob[header_len + 160 :]
    with pytest.raises(DamagedBackup):
        _open(bytes(swapped))


def test_an_altered_header_is_refused() -> None:
    blob = _seal(b"y" * 300)
    altered = blob.replace(b'"chunk":64', b'"chunk":32')
    assert altered != blob
    with pytest.raises(BackupError):
        _open(altered)
    with pytest.raises(DamagedBackup, match="not a Homeward backup"):
        _open(b"PK\x03\x04" + blob[4:])


# --- whole installations -----------------------------------------------------------------------------------

WRITER = r"""
import os, sys, time, datetime as dt
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
django.setup()
from django.db import transaction
from homeward.accounts.models import Party, User
from homeward.ledger import service as ledger
from homeward.registry import services
from homeward.registry.models import Child
from homeward.returns import files

party, _ = Party.objects.get_or_create(code="UA", defaults={"name": "Ukraine", "kind": "authority"})
user, _ = User.objects.get_or_create(username="writer", defaults={"party": party, "role": "party_officer"})
i = 0
while True:
    with transaction.atomic():
        child = services.save_new(user, Child(given_name="Олена", surname=f"Writer{i}", sex="F",
                                              birth_date=dt.date(2015, 1, 1 + i % 28)))
        services.open_case(user, child)
    evidence = ""
    if i % 5 == 0:
        evidence, _ = files.store(f"evidence {i}".encode() * 1000)
    if i % 7 == 3:
        ledger.make_checkpoint()
    print(f"child {child.pk} {evidence or '-'}", flush=True)
    i += 1
    time.sleep(0.02)
"""

INSPECT = """
from homeward.registry.models import Case, Child
from homeward.ledger import storage
from homeward.returns import files
result = {"children": sorted(Child.objects.values_list("pk", flat=True)),
          "cases": sorted(Case.objects.values_list("child_id", flat=True)),
          "ledger_size": storage.current_size(),
          "evidence": {name: files.load(name).decode()[:20] for name in os.environ["EVIDENCE"].split(",") if name}}
"""


class Writer:
    """A process writing children (each with its case and ledger entry) and evidence files until stopped."""

    def __init__(self, live: Live) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", WRITER], env=live.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.strip())

    def committed(self) -> list[str]:
        return list(self.lines)

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)
        self._thread.join(timeout=10)


def _ids(lines: list[str]) -> tuple[set[int], list[str]]:
    ids = {int(line.split()[1]) for line in lines if line.startswith("child ")}
    evidence = [line.split()[2] for line in lines if line.startswith("child ") and line.split()[2] != "-"]
    return ids, evidence


@pytest.fixture
def restore_target(live_template: Template) -> Iterator[Live]:
    live = live_template.empty("target")
    try:
        yield live
    finally:
        live_template.drop(live)


@pytest.fixture(scope="module")
def taken(live_template: Template) -> Iterator[dict[str, Any]]:
    """A backup taken while a writer process keeps committing; with what was committed before it began."""
    live = live_template.new("source")
    writer = Writer(live)
    try:
        wait_until(lambda: len(writer.committed()) >= 15, 120, "the writer's first commits")
        before = writer.committed()
        out = live.home.parent / "source.hwbk"
        started = len(writer.committed())
        done = live.cli("backup", str(out), input=PASS + "\n")
        during = len(writer.committed()) - started
        wait_until(lambda: len(writer.committed()) >= len(before) + during + 5, 60, "commits after the backup")
        after = writer.committed()
    finally:
        writer.stop()
        err = writer.proc.stderr.read() if writer.proc.stderr else ""
    assert writer.proc.returncode is not None
    assert "Traceback" not in err, err[-3000:]
    yield {"live": live, "file": out, "before": before, "during": during, "after": after, "output": done.stdout}
    live_template.drop(live)


def test_backup_taken_during_writes_restores_every_committed_record_and_a_verifying_ledger(
    taken: dict[str, Any], restore_target: Live
) -> None:
    assert taken["during"] > 0, "the writer committed nothing while the backup ran: the test proved nothing"
    assert "Backup written to" in taken["output"] and PASS not in taken["output"]
    done = restore_target.cli("restore", str(taken["file"]), input=PASS + "\n")
    assert "Ledger OK:" in done.stdout, done.stdout + done.stderr
    before_ids, evidence = _ids(taken["before"])
    assert evidence, "the writer stored no evidence files before the backup"
    state = restore_target.py(INSPECT, EVIDENCE=",".join(evidence))
    restored = set(state["children"])
    assert before_ids <= restored, f"committed before the snapshot but missing: {sorted(before_ids - restored)[:5]}"
    all_ids, _ = _ids(taken["after"])
    assert restored <= all_ids  # nothing invented
    assert restored != all_ids  # later commits are not in it: it really is a snapshot taken mid-stream
    assert set(state["cases"]) == restored  # each child came with its case: no half-written transaction
    assert state["ledger_size"] >= len(restored)
    assert all(text.startswith("evidence ") for text in state["evidence"].values())
    assert len(state["evidence"]) == len(evidence)
    # The restored installation runs: the same key signs and the full verification passes again.
    restore_target.cli("ledger", "checkpoint", "--force")
    assert restore_target.cli("ledger", "verify").stdout.startswith("OK:")


def _target_is_empty(live: Live) -> None:
    left = sorted(p.name for p in live.home.iterdir() if p.name not in ("secret_key", "static"))
    assert left == [], f"the refused restore wrote {left}"
    if live.database_url:
        tables = live.py("from django.db import connection\nresult = connection.introspection.table_names()")
        assert tables == []


def test_wrong_passphrase_restores_nothing(taken: dict[str, Any], restore_target: Live) -> None:
    done = restore_target.cli("restore", str(taken["file"]), input="not the passphrase\n", check=False)
    assert done.returncode == 1
    assert "wrong passphrase" in done.stderr
    assert "not the passphrase" not in done.stdout + done.stderr
    _target_is_empty(restore_target)


def test_truncated_backup_restores_nothing(taken: dict[str, Any], restore_target: Live, tmp_path: Path) -> None:
    data = taken["file"].read_bytes()
    cut = tmp_path / "cut.hwbk"
    cut.write_bytes(data[: len(data) - 5000])
    done = restore_target.cli("restore", str(cut), input=PASS + "\n", check=False)
    assert done.returncode == 1
    assert "truncated" in done.stderr, done.stderr
    _target_is_empty(restore_target)


def test_altered_backup_restores_nothing(taken: dict[str, Any], restore_target: Live, tmp_path: Path) -> None:
    data = bytearray(taken["file"].read_bytes())
    data[len(data) // 2] ^= 0x20
    bad = tmp_path / "bad.hwbk"
    bad.write_bytes(bytes(data))
    done = restore_target.cli("restore", str(bad), input=PASS + "\n", check=False)
    assert done.returncode == 1
    assert "altered" in done.stderr, done.stderr
    _target_is_empty(restore_target)


def test_restore_refuses_a_target_that_holds_data(taken: dict[str, Any]) -> None:
    done = taken["live"].cli("restore", str(taken["file"]), input=PASS + "\n", check=False)
    assert done.returncode == 1
    assert "the target is not empty" in done.stderr, done.stderr


def test_restore_refuses_a_home_with_files_even_if_the_database_is_empty(
    taken: dict[str, Any], restore_target: Live
) -> None:
    (restore_target.home / "keys").mkdir()
    (restore_target.home / "keys" / "ledger-log.key").write_text("someone else's key\n")
    done = restore_target.cli("restore", str(taken["file"]), input=PASS + "\n", check=False)
    assert done.returncode == 1
    assert "not empty" in done.stderr and "keys/ledger-log.key" in done.stderr
    assert (restore_target.home / "keys" / "ledger-log.key").read_text() == "someone else's key\n"


def test_empty_passphrase_is_refused_by_both_commands(taken: dict[str, Any], restore_target: Live) -> None:
    done = taken["live"].cli("backup", str(taken["file"].with_name("empty.hwbk")), input="\n", check=False)
    assert done.returncode == 2 and "passphrase is empty" in done.stderr
    assert not taken["file"].with_name("empty.hwbk").exists()
    done = restore_target.cli("restore", str(taken["file"]), input="", check=False)
    assert done.returncode == 2 and "passphrase is empty" in done.stderr


def test_passphrase_file_works_and_backup_never_overwrites(taken: dict[str, Any], tmp_path: Path) -> None:
    pass_file = tmp_path / "pass"
    pass_file.write_text(PASS + "\n")
    done = taken["live"].cli("backup", str(taken["file"]), "--passphrase-file", str(pass_file), check=False)
    assert done.returncode == 1 and "already exists" in done.stderr
    second = tmp_path / "second.hwbk"
    taken["live"].cli("backup", str(second), "--passphrase-file", str(pass_file))
    assert oct(second.stat().st_mode & 0o777) == "0o600"
    with second.open("rb") as fh:
        DecryptingReader(fh, PASS)  # the passphrase from the file (without its newline) opens it
    assert not [p for p in taken["live"].home.iterdir() if p.name.startswith((".backup-", ".restore-"))]


def test_backup_holds_no_plaintext_of_the_database(taken: dict[str, Any]) -> None:
    data = taken["file"].read_bytes()
    assert b"Writer1" not in data and "Олена".encode() not in data and b"SQLite format" not in data
    assert b"PGDMP" not in data and b"evidence" not in data
