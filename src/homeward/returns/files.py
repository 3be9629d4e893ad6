"""Evidence files, encrypted at rest.

Files live under ``$HOMEWARD_HOME/evidence/`` with random names, encrypted with Fernet
(AES-128-CBC + HMAC-SHA256). The key is kept outside the database, in
``$HOMEWARD_HOME/keys/evidence.key`` (mode 0600, created on first use). Anyone holding a database
dump without that file holds only ciphertext names and hashes.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings

MAX_BYTES = 20 * 1024 * 1024


def evidence_dir() -> Path:
    return Path(settings.HOME) / "evidence"


def key_path() -> Path:
    return Path(settings.HOME) / "keys" / "evidence.key"


def _fernet() -> Fernet:
    path = key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(Fernet.generate_key())
    return Fernet(path.read_bytes().strip())


def store(data: bytes) -> tuple[str, str]:
    """Encrypt and store ``data``; return (stored name, SHA-256 hex of the plaintext)."""
    name = secrets.token_hex(20) + ".bin"
    folder = evidence_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(_fernet().encrypt(data))
    return name, hashlib.sha256(data).hexdigest()


def load(name: str) -> bytes:
    """Decrypt a stored file (the caller has checked access)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise FileNotFoundError(name)
    return _fernet().decrypt((evidence_dir() / name).read_bytes())
