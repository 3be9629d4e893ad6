"""Runtime configuration read from the environment.

``HOMEWARD_HOME``          data directory (SQLite database, keys, uploaded files); default ``./var``.
``HOMEWARD_DATABASE_URL``  PostgreSQL URL; when set it replaces the embedded SQLite database.
``HOMEWARD_SECRET_KEY``    Django secret key; generated into ``$HOMEWARD_HOME/secret_key`` when absent.
``HOMEWARD_DEBUG``         ``1`` turns on Django's debug mode (never in production).
``HOMEWARD_ALLOWED_HOSTS`` comma-separated host names; default ``127.0.0.1,localhost``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def home() -> Path:
    """The data directory, created on first use with owner-only permissions."""
    path = Path(os.environ.get("HOMEWARD_HOME", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def secret_key() -> str:
    """The Django secret key: from the environment, else generated once into the data directory."""
    given = os.environ.get("HOMEWARD_SECRET_KEY")
    if given:
        return given
    key_file = home() / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


def flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}
