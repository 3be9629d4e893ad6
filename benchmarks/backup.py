"""Backup and restore of the demo installation: seconds for `homeward backup` and `homeward restore` (target ≤ 30 s).

Builds the demo (`homeward init --demo`, not timed) in a throwaway $HOMEWARD_HOME, then times, as a user runs
them, `homeward backup FILE` and `homeward restore FILE` into a second, empty $HOMEWARD_HOME (restore includes
the full ledger verification). Each command is a new process, so the figures include Python and Django start-up.

On SQLite by default. With HOMEWARD_DATABASE_URL set (any database on the server; it is only used to reach
it), the demo goes into a new PostgreSQL database and is restored into another, both dropped afterwards.

    python benchmarks/backup.py
    HOMEWARD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python benchmarks/backup.py
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BIN = Path(sys.executable).parent / "homeward"
PASS = "benchmark passphrase\n"
TARGET_S = 30.0


def _env(home: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HOMEWARD_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["HOMEWARD_HOME"] = str(home)
    if url:
        env["HOMEWARD_DATABASE_URL"] = url
    return env


def _run(args: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([str(BIN), *args], env=env, input=stdin, text=True, capture_output=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"homeward {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout.strip()


def _admin(base: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(urlunsplit(urlsplit(base)._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.parse_args()
    base = os.environ.get("HOMEWARD_DATABASE_URL", "")
    tag = uuid.uuid4().hex[:6]
    names = [f"homeward_bench_backup_src_{tag}", f"homeward_bench_backup_dst_{tag}"] if base else ["", ""]
    urls = [urlunsplit(urlsplit(base)._replace(path="/" + n)) if base else "" for n in names]
    with tempfile.TemporaryDirectory(prefix="homeward-bench-backup-") as tmp:
        src, dst, file = Path(tmp) / "src", Path(tmp) / "dst", Path(tmp) / "demo.hwbk"
        src.mkdir()
        dst.mkdir()
        try:
            for name in names:
                if name:
                    _admin(base, f'CREATE DATABASE "{name}"')
            t0 = time.perf_counter()
            _run(["init", "--demo"], _env(src, urls[0]))
            print(f"demo built in {time.perf_counter() - t0:.1f} s ({'PostgreSQL' if base else 'SQLite'})")
            t_backup, out = _run(["backup", str(file)], _env(src, urls[0]), PASS)
            print(out)
            t_restore, out = _run(["restore", str(file)], _env(dst, urls[1]), PASS)
            print(out)
        finally:
            for name in names:
                if name:
                    _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        total = t_backup + t_restore
        print(f"backup  {t_backup:6.2f} s   ({file.stat().st_size / 1e6:.1f} MB encrypted)")
        print(f"restore {t_restore:6.2f} s   (with full ledger verification)")
        print(f"total   {total:6.2f} s   target <= {TARGET_S:.0f} s: {'met' if total <= TARGET_S else 'NOT met'}")
    if total > TARGET_S:
        sys.exit(1)


if __name__ == "__main__":
    main()
