"""A disk cache for the lexicons built from the name dictionaries.

Building the lexicons takes a few seconds of CPU on first use in every process; a command-line run
(``homeward link``) pays it each time. The built structures are kept as pickles in a private cache
directory, keyed by a fingerprint of this package's source and the versions of the dictionaries
and transliteration tables, so a change to any of them rebuilds.

``HOMEWARD_NAMES_CACHE``: the directory (default ``$XDG_CACHE_HOME/homeward`` or ``~/.cache/homeward``);
``off`` disables the cache. A cache that cannot be read or written is ignored, never an error.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle  # noqa: S403 - our own files, in a directory only the user can write
import tempfile
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


def cache_dir() -> Path | None:
    setting = os.environ.get("HOMEWARD_NAMES_CACHE", "")
    if setting.lower() == "off":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "homeward"


@cache
def fingerprint() -> str:
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    for dist in ("names-translator", "translitua"):
        try:
            digest.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(dist.encode())
    return digest.hexdigest()[:16]


def cached(name: str, build: Callable[[], T]) -> T:
    """``build()``'s result, from the disk cache when a current copy is there."""
    directory = cache_dir()
    if directory is None:
        return build()
    path = directory / f"names-{name}-{fingerprint()}.pickle"
    try:
        with path.open("rb") as fh:
            loaded: T = pickle.load(fh)  # noqa: S301 - see module docstring
            return loaded
    except FileNotFoundError:
        pass
    except Exception as exc:  # a damaged or foreign file: rebuild and replace it
        log.warning("names cache %s unreadable (%s); rebuilding", path.name, type(exc).__name__)
    value = build()
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".names-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:
        log.info("names cache not written (%s)", type(exc).__name__)
    return value
