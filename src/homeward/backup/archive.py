"""Backup and restore of a whole installation: the database, the keys and the evidence files.

A backup is a tar stream, encrypted as it is written (``homeward.backup.crypto``), holding in order:

``backup.json``       format version, database vendor, time, Homeward version
``database.sqlite3``  a consistent copy made with SQLite's online backup API (``sqlite3.Connection.backup``),
 or ``database.pgdump``  ``pg_dump --format=custom``: one repeatable-read snapshot of the PostgreSQL database
``home/…``            every file under ``$HOMEWARD_HOME`` but the database itself and the collected static files:
                      the ledger's log key and retired keys (``keys/``), the evidence files and their key
                      (``evidence/``, ``keys/evidence.key``), uploads (``files/``) and the secret key
``manifest.json``     the same header fields plus the size and SHA-256 of every member above

Both snapshots are taken while others keep writing: SQLite's backup copies the database in one step
under a read transaction (WAL lets writers go on), ``pg_dump`` reads inside one snapshot.  The database
is copied first and the files after it, so every evidence file a copied row names was already on disk
(evidence files are written before their row commits and never changed); files added later are copied
too and are harmless.

Restore goes the other way, into an *empty* ``$HOMEWARD_HOME`` and (on PostgreSQL) an empty database.
Everything is first decrypted into a staging folder inside ``$HOMEWARD_HOME``; only when the whole file
has authenticated and every member matches the manifest is anything moved into place (and, on
PostgreSQL, given to ``pg_restore --single-transaction``).  A wrong passphrase, a damaged or truncated
file or a non-empty target therefore writes nothing.  Then the ledger is verified with the code of
``homeward ledger verify``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from homeward.backup.crypto import BackupError, DamagedBackup, DecryptingReader, EncryptingWriter

FORMAT = 1
DB_SQLITE = "database.sqlite3"
DB_PGDUMP = "database.pgdump"
INFO = "backup.json"
MANIFEST = "manifest.json"
_STAGE_PREFIXES = (".backup-", ".restore-")
# What Django's start-up itself creates in a new $HOMEWARD_HOME: a restore target may hold these.
_STARTUP_FILES = {"secret_key"}
_STARTUP_DIRS = {"static"}
_COPY = 1 << 20


@dataclass
class BackupSummary:
    path: Path
    vendor: str
    members: int
    plaintext_bytes: int
    encrypted_bytes: int
    seconds: float


@dataclass
class RestoreSummary:
    vendor: str
    created_at: str
    files: int
    database_bytes: int
    seconds: float
    ledger: Any = None  # homeward.ledger.verify.Report when it verified
    ledger_error: str | None = None
    pending_migrations: list[str] = field(default_factory=list)


def _home() -> Path:
    from django.conf import settings

    return Path(settings.HOME)


def _db() -> dict[str, Any]:
    from django.db import connections

    return dict(connections["default"].settings_dict)


def vendor() -> str:
    from django.db import connections

    return str(connections["default"].vendor)


def _sqlite_path() -> Path:
    name = str(_db()["NAME"])
    if name.startswith("file:") or name == ":memory:":
        raise BackupError("the database is an in-memory SQLite database; there is nothing on disk to back up")
    return Path(name).resolve()


def _pg_env() -> dict[str, str]:
    """libpq's environment for pg_dump / pg_restore: keeps the password off their command lines."""
    db = _db()
    env = dict(os.environ)
    for var, key in (("PGDATABASE", "NAME"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD"),
                     ("PGHOST", "HOST"), ("PGPORT", "PORT")):
        value = db.get(key)
        if value:
            env[var] = str(value)
        else:
            env.pop(var, None)
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} was not found on PATH: install the PostgreSQL client (postgresql-client)")
    return path


def _run_pg(args: list[str]) -> None:
    proc = subprocess.run(args, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if proc.returncode != 0:
        # pg_dump / pg_restore errors name objects and SQL, never row data.
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise BackupError(f"{Path(args[0]).name} failed: {detail[-1] if detail else 'exit ' + str(proc.returncode)}")


def _excluded(home: Path, extra: set[Path]) -> set[Path]:
    paths = {home / d for d in _STARTUP_DIRS} | extra
    if vendor() == "sqlite":
        db = _sqlite_path()
        paths |= {db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")}
    return {p.resolve() for p in paths}


def home_files(home: Path, exclude: set[Path]) -> Iterator[tuple[Path, str]]:
    """Every regular file under ``home`` to back up, as (path, name relative to home), in a stable order."""
    for root, dirs, files in os.walk(home):
        base = Path(root)
        dirs[:] = sorted(d for d in dirs if (base / d).resolve() not in exclude and not d.startswith(_STAGE_PREFIXES))
        for name in sorted(files):
            path = base / name
            if path.is_symlink() or not path.is_file() or path.resolve() in exclude:
                continue
            yield path, path.relative_to(home).as_posix()


class _HashingReader:
    """Reads exactly ``size`` bytes of ``src`` and hashes them; a file that shrank is an error."""

    def __init__(self, src: IO[bytes], size: int, name: str) -> None:
        self.src, self.left, self.name = src, size, name
        self.sha = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        n = self.left if n is None or n < 0 else min(n, self.left)
        data = self.src.read(n)
        if len(data) < n:
            raise BackupError(f"{self.name} changed while it was being backed up; run the backup again")
        self.left -= len(data)
        self.sha.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str, manifest: dict[str, dict[str, Any]]) -> None:
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        info = tarfile.TarInfo(arcname)
        info.size, info.mode, info.mtime = size, 0o600, int(time.time())
        reader = _HashingReader(fh, size, arcname)
        tar.addfile(info, reader)
    manifest[arcname] = {"size": size, "sha256": reader.sha.hexdigest()}


def _add_bytes(tar: tarfile.TarFile, arcname: str, data: bytes) -> None:
    info = tarfile.TarInfo(arcname)
    info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
    tar.addfile(info, io.BytesIO(data))


def _snapshot_database(stage: Path) -> tuple[Path, str]:
    if vendor() == "sqlite":
        target = stage / DB_SQLITE
        src = sqlite3.connect(str(_sqlite_path()), timeout=30)
        try:
            dst = sqlite3.connect(str(target))
            try:
                src.backup(dst)  # one step (pages=-1): one read transaction, a consistent copy
            finally:
                dst.close()
        finally:
            src.close()
        return target, DB_SQLITE
    if vendor() == "postgresql":
        target = stage / DB_PGDUMP
        _run_pg([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)])
        return target, DB_PGDUMP
    raise BackupError(f"backups of {vendor()} databases are not supported (SQLite and PostgreSQL are)")


def _info(db_vendor: str) -> dict[str, Any]:
    from homeward import __version__

    return {"format": FORMAT, "vendor": db_vendor, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "homeward": __version__}


def backup(out: Path, passphrase: str, *, scrypt_n: int | None = None) -> BackupSummary:
    """Write an encrypted backup of the database and ``$HOMEWARD_HOME`` to ``out`` (a new file)."""
    started = time.monotonic()
    if not passphrase:
        raise BackupError("the passphrase is empty")
    out = out.resolve()
    if out.exists():
        raise BackupError(f"{out} already exists; give a new file name")
    if not out.parent.is_dir():
        raise BackupError(f"{out.parent} is not a directory")
    home = _home()
    db_vendor = vendor()
    partial = out.with_name(f".{out.name}.partial")
    stage = Path(tempfile.mkdtemp(prefix=_STAGE_PREFIXES[0], dir=home))  # owner-only, next to the data it copies
    members = 0
    try:
        db_file, db_name = _snapshot_database(stage)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw:
            writer = EncryptingWriter(raw, passphrase, **({"n": scrypt_n} if scrypt_n else {}))
            manifest: dict[str, dict[str, Any]] = {}
            info = _info(db_vendor)
            with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
                _add_bytes(tar, INFO, json.dumps(info, sort_keys=True).encode())
                _add_file(tar, db_file, db_name, manifest)
                db_file.unlink()
                for path, rel in home_files(home, _excluded(home, {stage, out, partial})):
                    _add_file(tar, path, f"home/{rel}", manifest)
                _add_bytes(tar, MANIFEST, json.dumps({**info, "members": manifest}, sort_keys=True, indent=1).encode())
                members = len(manifest)
            writer.finish()
            raw.flush()
            os.fsync(raw.fileno())
            plaintext = writer.plaintext_bytes
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return BackupSummary(out, db_vendor, members, plaintext, out.stat().st_size, time.monotonic() - started)


# --- restore ----------------------------------------------------------------------------------------------


def _pg_tables() -> int:
    from django.db import connections

    conn = connections["default"]
    with conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%%' AND n.nspname NOT LIKE 'pg_temp%%'"
        )
        row = cur.fetchone()
    conn.close()
    return int(row[0]) if row else 0


def check_empty_target() -> None:
    """Refuse a target that already holds data: a database with tables, or files in ``$HOMEWARD_HOME``."""
    home = _home()
    db_vendor = vendor()
    if db_vendor == "sqlite":
        db = _sqlite_path()
        if db.exists() and db.stat().st_size > 0:
            raise BackupError(f"the target is not empty: the database {db} exists; restore into a new $HOMEWARD_HOME")
    elif db_vendor == "postgresql":
        tables = _pg_tables()
        if tables:
            name = _db().get("NAME")
            raise BackupError(
                f"the target is not empty: the database {name!r} already holds {tables} tables or sequences; "
                "restore into a new, empty database (createdb NAME)"
            )
    else:
        raise BackupError(f"restoring into a {db_vendor} database is not supported (SQLite and PostgreSQL are)")
    exclude = _excluded(home, set())
    present = [
        rel for _, rel in home_files(home, exclude) if rel not in _STARTUP_FILES
    ]
    if present:
        raise BackupError(
            f"the target is not empty: $HOMEWARD_HOME ({home}) holds {len(present)} files, e.g. {present[0]}; "
            "restore into a new, empty $HOMEWARD_HOME"
        )


def _safe_rel(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(p in ("", ".", "..") for p in path.parts):
        raise DamagedBackup(f"the backup holds an unsafe path {name!r}")
    return path.as_posix()


def _extract(reader: DecryptingReader, stage: Path, target_vendor: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Unpack the stream into ``stage`` and check it against its manifest; returns (info, manifest)."""
    seen: dict[str, dict[str, Any]] = {}
    info: dict[str, Any] | None = None
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
            for member in tar:
                name = _safe_rel(member.name)
                if manifest is not None:
                    raise DamagedBackup(f"the backup holds {name!r} after its manifest")
                if not member.isfile():
                    raise DamagedBackup(f"the backup holds {name!r}, which is not a regular file")
                src = tar.extractfile(member)
                if src is None:
                    raise DamagedBackup(f"the backup's member {name!r} cannot be read")
                if name in (INFO, MANIFEST):
                    if member.size > 50 << 20:
                        raise DamagedBackup(f"the backup's {name} is impossibly large")
                    try:
                        doc = json.loads(src.read())
                    except ValueError:
                        raise DamagedBackup(f"the backup's {name} is not JSON") from None
                    if name == INFO:
                        if info is not None or seen:
                            raise DamagedBackup("the backup's backup.json is not its first member")
                        info = doc
                        _check_info(doc, target_vendor)
                    else:
                        manifest = doc
                    continue
                if info is None:
                    raise DamagedBackup("the backup does not begin with backup.json")
                if name not in (DB_SQLITE, DB_PGDUMP) and not name.startswith("home/"):
                    raise DamagedBackup(f"the backup holds an unexpected member {name!r}")
                if name in seen:
                    raise DamagedBackup(f"the backup holds {name!r} twice")
                dest = stage / "m" / name
                dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                sha = hashlib.sha256()
                fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as out:
                    while piece := src.read(_COPY):
                        sha.update(piece)
                        out.write(piece)
                seen[name] = {"size": member.size, "sha256": sha.hexdigest()}
    except tarfile.TarError as exc:
        raise DamagedBackup(f"the backup's contents are damaged ({exc})") from None
    reader.drain()  # authenticate the final frame, including the tar padding after the last member
    if not reader.at_end():
        raise DamagedBackup("the backup is truncated (it ends before its last part)")
    if info is None or manifest is None:
        raise DamagedBackup("the backup has no manifest (it was not finished when it was written)")
    listed = manifest.get("members")
    if not isinstance(listed, dict) or listed != seen:
        missing = sorted(set(listed or {}) ^ set(seen)) if isinstance(listed, dict) else []
        raise DamagedBackup(
            "the backup's members do not match its manifest" + (f" (e.g. {missing[0]!r})" if missing else "")
        )
    return info, manifest


def _check_info(info: Any, target_vendor: str) -> None:
    if not isinstance(info, dict) or "format" not in info:
        raise DamagedBackup("the backup's backup.json is damaged")
    if info["format"] != FORMAT:
        raise BackupError(f"backup contents format {info['format']!r} is not supported (this version reads {FORMAT})")
    if info.get("vendor") != target_vendor:
        raise BackupError(
            f"this is a backup of a {info.get('vendor')} database and the target is {target_vendor}: "
            "restore it with the same database (set or unset HOMEWARD_DATABASE_URL)"
        )


def _place(stage: Path, home: Path, db_vendor: str) -> tuple[int, int]:
    """Move the staged members into place: the database first, then the files. Returns (files, db bytes)."""
    from django.db import connections

    members = stage / "m"
    connections.close_all()
    if db_vendor == "sqlite":
        db_file = members / DB_SQLITE
        if not db_file.exists():
            raise DamagedBackup("the backup holds no SQLite database")
        db_bytes = db_file.stat().st_size
        target = _sqlite_path()
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.replace(db_file, target)
    else:
        dump = members / DB_PGDUMP
        if not dump.exists():
            raise DamagedBackup("the backup holds no PostgreSQL dump")
        db_bytes = dump.stat().st_size
        _run_pg([_pg_tool("pg_restore"), "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges",
                 "--dbname", str(_db()["NAME"]), str(dump)])
    files = 0
    home_stage = members / "home"
    if home_stage.is_dir():
        for path in sorted(p for p in home_stage.rglob("*") if p.is_file()):
            dest = home / path.relative_to(home_stage)
            dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.replace(path, dest)
            files += 1
    return files, db_bytes


def _pending_migrations() -> list[str]:
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections["default"])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _ in plan]


def restore(src: Path, passphrase: str, *, verify: bool = True) -> RestoreSummary:
    """Restore the backup ``src`` into the empty ``$HOMEWARD_HOME`` (and database), then verify the ledger."""
    started = time.monotonic()
    if not passphrase:
        raise BackupError("the passphrase is empty")
    if not src.is_file():
        raise BackupError(f"{src} is not a file")
    db_vendor = vendor()
    check_empty_target()
    home = _home()
    with src.open("rb") as fh:
        reader = DecryptingReader(fh, passphrase)  # wrong passphrase: refused here, before anything is written
        stage = Path(tempfile.mkdtemp(prefix=_STAGE_PREFIXES[1], dir=home))
        try:
            info, _ = _extract(reader, stage, db_vendor)
            check_empty_target()  # nobody started using the target meanwhile
            files, db_bytes = _place(stage, home, db_vendor)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    summary = RestoreSummary(db_vendor, str(info.get("created_at", "")), files, db_bytes, 0.0)
    summary.pending_migrations = _pending_migrations()
    if verify:
        from homeward.ledger.errors import LedgerError
        from homeward.ledger.verify import verify_ledger

        try:
            summary.ledger = verify_ledger()
        except LedgerError as exc:
            summary.ledger_error = str(exc)
    summary.seconds = time.monotonic() - started
    return summary
