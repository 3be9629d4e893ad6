"""Passphrase encryption of a backup, streamed in chunks. Pure: no Django.

File layout::

    MAGIC (16 bytes)  b"HOMEWARD-BACKUP\\n"
    header length     4 bytes, big-endian
    header            canonical JSON: format version, KDF and its parameters, random salt, cipher, chunk size,
                      random nonce prefix and a passphrase check value
    frames            AES-256-GCM ciphertext of each chunk of the plaintext, tag appended

The key is derived with scrypt (``cryptography``'s ``Scrypt``; N=2**17, r=8, p=1 by default, the
parameters stored in the header) from the passphrase and a random 16-byte salt: 64 bytes, of which the
first 32 are the AES key and the last 32 key an HMAC that gives the header's check value.  A wrong
passphrase is therefore told apart from a damaged file before anything is decrypted.

Each chunk of ``chunk`` plaintext bytes (1 MiB) is one frame, sealed with the nonce
``prefix(7) ‖ counter(4) ‖ last(1)`` and the whole header as associated data (the STREAM construction
of Hoang, Reyhanitabar, Rogaway and Vizár, as in age and Tink): frames cannot be reordered, dropped,
moved between files or cut off at the end without decryption failing, and neither side ever holds
more than one chunk in memory.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import struct
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from homeward.exceptions import HomewardError

MAGIC = b"HOMEWARD-BACKUP\n"
FORMAT = 1
CHUNK = 1 << 20
TAG = 16
SCRYPT_N = 1 << 17
SCRYPT_R = 8
SCRYPT_P = 1
_MAX_N = 1 << 20  # refuse headers that would make us spend gigabytes on the KDF
_MAX_HEADER = 4096
_CHECK_LABEL = b"homeward-backup/v1 passphrase check"


class BackupError(HomewardError):
    """A backup cannot be written or restored; the message says why (never any content)."""


class WrongPassphrase(BackupError):
    def __init__(self) -> None:
        super().__init__("wrong passphrase: it does not open this backup")


class DamagedBackup(BackupError):
    """The file is not a whole, unaltered backup."""


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> tuple[bytes, bytes]:
    if not passphrase:
        raise BackupError("the passphrase is empty")
    out = Scrypt(salt=salt, length=64, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return out[:32], out[32:]


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """A write-only file object: encrypts what is written to ``out``; ``finish()`` seals the last frame."""

    def __init__(self, out: IO[bytes], passphrase: str, *, n: int = SCRYPT_N, chunk: int = CHUNK) -> None:
        salt, prefix = os.urandom(16), os.urandom(7)
        key, check_key = _derive(passphrase, salt, n, SCRYPT_R, SCRYPT_P)
        header = {
            "v": FORMAT,
            "kdf": {"name": "scrypt", "n": n, "r": SCRYPT_R, "p": SCRYPT_P, "salt": salt.hex()},
            "cipher": "AES-256-GCM",
            "chunk": chunk,
            "nonce_prefix": prefix.hex(),
            "check": hmac.new(check_key, _CHECK_LABEL, hashlib.sha256).hexdigest(),
        }
        self._header = MAGIC + _encode_header(header)
        out.write(self._header)
        self._out, self._aead, self._prefix, self._chunk = out, AESGCM(key), prefix, chunk
        self._buf = bytearray()
        self._counter = 0
        self._done = False
        self.plaintext_bytes = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:
        if self._done:
            raise ValueError("write after finish()")
        self._buf += data
        self.plaintext_bytes += len(data)
        # Keep at least one byte back: the last frame is sealed as last only in finish().
        while len(self._buf) > self._chunk:
            self._seal(bytes(self._buf[: self._chunk]), last=False)
            del self._buf[: self._chunk]
        return len(data)

    def flush(self) -> None:
        self._out.flush()

    def _seal(self, plain: bytes, *, last: bool) -> None:
        self._out.write(self._aead.encrypt(_nonce(self._prefix, self._counter, last), plain, self._header))
        self._counter += 1

    def finish(self) -> None:
        if not self._done:
            self._seal(bytes(self._buf), last=True)
            self._buf.clear()
            self._done = True
            self._out.flush()


def _encode_header(header: dict[str, Any]) -> bytes:
    body = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    return struct.pack(">I", len(body)) + body


def _read_exact(src: IO[bytes], size: int) -> bytes:
    parts, got = [], 0
    while got < size:
        piece = src.read(size - got)
        if not piece:
            break
        parts.append(piece)
        got += len(piece)
    return b"".join(parts)


class DecryptingReader:
    """A read-only file object over an encrypted backup: each frame is checked before its bytes are given out.

    Opening checks the header and the passphrase (``WrongPassphrase``) without decrypting anything.
    ``DamagedBackup`` is raised by ``read`` on an altered frame or a file cut short; ``at_end()``
    tells whether the sealed last frame has been read and checked.
    """

    def __init__(self, src: IO[bytes], passphrase: str) -> None:
        magic = _read_exact(src, len(MAGIC))
        if magic != MAGIC:
            raise DamagedBackup("this is not a Homeward backup (its first bytes are not the backup signature)")
        raw_len = _read_exact(src, 4)
        if len(raw_len) < 4:
            raise DamagedBackup("the backup is truncated: it ends inside its header")
        (length,) = struct.unpack(">I", raw_len)
        if length > _MAX_HEADER:
            raise DamagedBackup("the backup's header is damaged (impossible length)")
        body = _read_exact(src, length)
        if len(body) < length:
            raise DamagedBackup("the backup is truncated: it ends inside its header")
        try:
            header = json.loads(body)
            kdf = header["kdf"]
            version, cipher, chunk = header["v"], header["cipher"], int(header["chunk"])
            n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
            salt, prefix = bytes.fromhex(kdf["salt"]), bytes.fromhex(header["nonce_prefix"])
            check = bytes.fromhex(header["check"])
        except (ValueError, KeyError, TypeError):
            raise DamagedBackup("the backup's header is damaged (not the expected fields)") from None
        if version != FORMAT:
            raise BackupError(f"backup format {version!r} is not supported by this version (it reads format {FORMAT})")
        if kdf.get("name") != "scrypt" or cipher != "AES-256-GCM":
            raise DamagedBackup("the backup's header names an unknown key derivation or cipher")
        if not (2 <= n <= _MAX_N and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16 and 1 <= chunk <= 1 << 26):
            raise DamagedBackup("the backup's header has out-of-range parameters")
        if len(prefix) != 7 or len(salt) < 16:
            raise DamagedBackup("the backup's header is damaged (salt or nonce)")
        key, check_key = _derive(passphrase, salt, n, r, p)
        if not hmac.compare_digest(hmac.new(check_key, _CHECK_LABEL, hashlib.sha256).digest(), check):
            raise WrongPassphrase()
        self._header = magic + raw_len + body
        self._src, self._aead, self._prefix, self._chunk = src, AESGCM(key), prefix, chunk
        self._counter = 0
        self._buf = b""
        self._pos = 0
        self._ended = False

    def readable(self) -> bool:
        return True

    def at_end(self) -> bool:
        return self._ended

    def _next_frame(self) -> None:
        frame = _read_exact(self._src, self._chunk + TAG)
        last = len(frame) < self._chunk + TAG or not _read_exact_peek(self._src)
        if len(frame) < TAG:
            raise DamagedBackup("the backup is truncated (it ends before its last part)")
        try:
            plain = self._aead.decrypt(_nonce(self._prefix, self._counter, last), frame, self._header)
        except InvalidTag:
            if last:
                raise DamagedBackup(
                    f"the backup is truncated or altered (part {self._counter + 1} does not authenticate)"
                ) from None
            raise DamagedBackup(
                f"the backup has been altered (part {self._counter + 1} does not authenticate)"
            ) from None
        self._counter += 1
        self._buf, self._pos = plain, 0
        self._ended = last

    def read(self, size: int = -1) -> bytes:
        out = []
        want = size if size is not None and size >= 0 else None
        while want is None or want > 0:
            if self._pos >= len(self._buf):
                if self._ended:
                    break
                self._next_frame()
                continue
            take = len(self._buf) - self._pos if want is None else min(want, len(self._buf) - self._pos)
            out.append(self._buf[self._pos : self._pos + take])
            self._pos += take
            if want is not None:
                want -= take
        return b"".join(out)

    def drain(self) -> int:
        """Read (and authenticate) everything left; returns the number of bytes that were left."""
        left = 0
        while True:
            piece = self.read(self._chunk)
            if not piece:
                return left
            left += len(piece)


def _read_exact_peek(src: IO[bytes]) -> bool:
    """Whether ``src`` has more bytes, without consuming them (a buffered reader's ``peek``)."""
    peek = getattr(src, "peek", None)
    if peek is None:
        raise TypeError("the backup must be read from a buffered file (open(path, 'rb'))")
    return bool(peek(1))
