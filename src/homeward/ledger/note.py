"""C2SP signed notes, checkpoints and cosignatures with Ed25519. Pure: no I/O, no Django.

Formats (https://c2sp.org/signed-note, /tlog-checkpoint, /tlog-cosignature)::

    signed note   = text (ends in "\\n") + "\\n" + one or more signature lines
    signature     = "— " name " " base64(key ID(4) ‖ signature) "\\n"
    key ID        = SHA-256(name ‖ "\\n" ‖ type ‖ public key)[:4]   type 0x01 = Ed25519 note signature
                                                                   type 0x04 = Ed25519 cosignature/v1
    verifier key  = name "+" hex(key ID) "+" base64(type ‖ public key)
    private key   = "PRIVATE+KEY+" name "+" hex(key ID) "+" base64(0x01 ‖ 32-byte seed)   (golang.org/x/mod)
    checkpoint    = origin "\\n" size "\\n" base64(root) "\\n" [extension lines]
    cosignature   = signature line whose bytes are key ID ‖ u64 big-endian time ‖ Ed25519 signature over
                    "cosignature/v1\\ntime <t>\\n" + checkpoint body

Verification rules kept from the spec: unknown signatures are ignored (they allow key rotation and
cosigning); if a signature by a *known* key does not verify, the whole note is rejected; at least
one known key must have signed.  One Ed25519 key may act both as a note signer (type 0x01) and a
cosigner (type 0x04): the key IDs differ and the cosigned message always begins with the fixed
``cosignature/v1`` line, which Homeward's own signed statements never do.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from homeward.ledger.errors import NoteError

__all__ = [
    "ALG_COSIGNATURE_V1",
    "ALG_ED25519",
    "Checkpoint",
    "Cosignature",
    "NoteSignature",
    "SignedNote",
    "Signer",
    "Verifier",
    "cosignature_message",
    "key_id",
    "open_note",
    "parse_checkpoint",
    "parse_note",
]

ALG_ED25519 = 0x01
ALG_COSIGNATURE_V1 = 0x04
DASH = "\u2014"
MAX_SIGNATURES = 100


def key_id(name: str, alg: int, public_key: bytes) -> bytes:
    """SHA-256(name ‖ 0x0A ‖ alg ‖ public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([alg]) + public_key).digest()[:4]


def _check_name(name: str) -> None:
    if not name or any(c.isspace() for c in name) or "+" in name:
        raise NoteError("a key name must be non-empty without spaces or '+'")


def _b64decode(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(f"{what} is not valid base64") from None


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class Verifier:
    """A public key that checks note signatures (type 0x01) or cosignatures (type 0x04)."""

    name: str
    public_key: bytes
    alg: int = ALG_ED25519

    def __post_init__(self) -> None:
        _check_name(self.name)
        if len(self.public_key) != 32:
            raise NoteError("an Ed25519 public key is 32 bytes")
        if self.alg not in (ALG_ED25519, ALG_COSIGNATURE_V1):
            raise NoteError(f"unsupported signature type {self.alg:#04x}")

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.alg, self.public_key)

    @property
    def vkey(self) -> str:
        """The verifier key string ``name+hex(keyID)+base64(type ‖ public key)``."""
        material = base64.b64encode(bytes([self.alg]) + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{material}"

    @classmethod
    def from_vkey(cls, vkey: str) -> Verifier:
        parts = vkey.strip().split("+", 2)
        if len(parts) != 3:
            raise NoteError("a verifier key has the form name+keyid+base64")
        name, hex_id, material = parts
        raw = _b64decode(material, "verifier key")
        if len(raw) != 33:
            raise NoteError("a verifier key holds a type byte and a 32-byte key")
        verifier = cls(name, raw[1:], raw[0])
        if verifier.key_id.hex() != hex_id.lower():
            raise NoteError(f"key ID in verifier key for {name} does not match its key")
        return verifier

    def as_cosigner(self) -> Verifier:
        """The same public key seen as a cosignature/v1 verifier (type 0x04)."""
        return Verifier(self.name, self.public_key, ALG_COSIGNATURE_V1)

    def as_note_verifier(self) -> Verifier:
        return Verifier(self.name, self.public_key, ALG_ED25519)

    def check(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer:
    """An Ed25519 private key with a name: signs notes and cosigns checkpoints."""

    name: str
    seed: bytes = field(repr=False)

    def __post_init__(self) -> None:
        _check_name(self.name)
        if len(self.seed) != 32:
            raise NoteError("an Ed25519 seed is 32 bytes")

    @classmethod
    def generate(cls, name: str) -> Signer:
        key = Ed25519PrivateKey.generate()
        return cls(name, key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))

    @classmethod
    def from_skey(cls, skey: str) -> Signer:
        """Parse ``PRIVATE+KEY+name+hex(keyID)+base64(0x01 ‖ seed)``."""
        parts = skey.strip().split("+", 4)
        if len(parts) != 5 or parts[0] != "PRIVATE" or parts[1] != "KEY":
            raise NoteError("a private key has the form PRIVATE+KEY+name+keyid+base64")
        name, hex_id, material = parts[2:]
        raw = _b64decode(material, "private key")
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise NoteError("a private key holds the type byte 0x01 and a 32-byte seed")
        signer = cls(name, raw[1:])
        if signer.verifier().key_id.hex() != hex_id.lower():
            raise NoteError(f"key ID in private key for {name} does not match its key")
        return signer

    @property
    def skey(self) -> str:
        material = base64.b64encode(bytes([ALG_ED25519]) + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier().key_id.hex()}+{material}"

    @property
    def _private(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    @property
    def public_key(self) -> bytes:
        return _raw_public(self._private.public_key())

    def verifier(self) -> Verifier:
        return Verifier(self.name, self.public_key, ALG_ED25519)

    def cosigner(self) -> Verifier:
        return Verifier(self.name, self.public_key, ALG_COSIGNATURE_V1)

    def sign_text(self, text: str) -> NoteSignature:
        """A note signature (type 0x01) over ``text``."""
        _check_text(text)
        sig = self._private.sign(text.encode())
        return NoteSignature(self.name, self.verifier().key_id, sig)

    def sign(self, text: str) -> str:
        """``text`` as a signed note carrying this key's signature."""
        return SignedNote(text, (self.sign_text(text),)).serialize()

    def cosign(self, body: str, timestamp: int) -> NoteSignature:
        """A cosignature/v1 (type 0x04) over the checkpoint ``body`` at ``timestamp``."""
        _check_text(body)
        if not 0 <= timestamp < 2**63:
            raise NoteError("a cosignature timestamp is between 0 and 2^63 - 1")
        sig = self._private.sign(cosignature_message(body, timestamp))
        return NoteSignature(self.name, self.cosigner().key_id, struct.pack(">Q", timestamp) + sig)


def cosignature_message(body: str, timestamp: int) -> bytes:
    """The bytes a cosigner signs: ``cosignature/v1\\ntime <t>\\n`` + the checkpoint body."""
    return f"cosignature/v1\ntime {timestamp}\n".encode() + body.encode()


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("note text must end in a newline")
    for ch in text:
        if ch != "\n" and (ord(ch) < 0x20 or ord(ch) == 0x7F):
            raise NoteError("note text must not contain control characters")


@dataclass(frozen=True)
class NoteSignature:
    """One signature line: key name, 4-byte key ID and the signature bytes after it."""

    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        return f"{DASH} {self.name} {base64.b64encode(self.key_id + self.signature).decode()}\n"


@dataclass(frozen=True)
class Cosignature:
    """A verified cosignature: who cosigned, with which key, and when (POSIX seconds)."""

    name: str
    key_id: bytes
    timestamp: int
    line: str


@dataclass(frozen=True)
class SignedNote:
    text: str
    signatures: tuple[NoteSignature, ...]

    def serialize(self) -> str:
        return self.text + "\n" + "".join(s.line() for s in self.signatures)

    def add(self, signature: NoteSignature) -> SignedNote:
        """This note with one more signature line (an existing identical line is not repeated)."""
        if signature in self.signatures:
            return self
        return SignedNote(self.text, (*self.signatures, signature))


def parse_note(data: str) -> SignedNote:
    """Split a signed note into its text and signature lines (no signature is checked here)."""
    if not data.endswith("\n"):
        raise NoteError("a signed note ends in a newline")
    split = data.rfind("\n\n")
    if split < 0:
        raise NoteError("a signed note has a blank line between its text and its signatures")
    text, block = data[: split + 1], data[split + 2 :]
    _check_text(text)
    signatures: list[NoteSignature] = []
    for line in block.splitlines():
        if not line.startswith(DASH + " "):
            raise NoteError("a signature line starts with an em dash and a space")
        name, sep, b64 = line[2:].rpartition(" ")
        if not sep:
            raise NoteError("a signature line has a key name and a base64 signature")
        _check_name(name)
        raw = _b64decode(b64, "signature")
        if len(raw) < 5:
            raise NoteError("a signature is a 4-byte key ID and at least one byte")
        signatures.append(NoteSignature(name, raw[:4], raw[4:]))
    if not signatures:
        raise NoteError("a signed note has at least one signature")
    if len(signatures) > MAX_SIGNATURES:
        raise NoteError(f"a signed note has at most {MAX_SIGNATURES} signatures")
    return SignedNote(text, tuple(signatures))


def open_note(data: str, verifiers: Iterable[Verifier]) -> tuple[SignedNote, list[NoteSignature]]:
    """Parse a note and check it against known note verifiers (type 0x01).

    Returns the note and the signatures made by known keys.  Raises ``NoteError`` if a known key's
    signature fails or if no known key signed.  Signatures by unknown keys are ignored.
    """
    note = parse_note(data)
    known = {(v.name, v.key_id): v for v in verifiers if v.alg == ALG_ED25519}
    good: list[NoteSignature] = []
    for sig in note.signatures:
        verifier = known.get((sig.name, sig.key_id))
        if verifier is None:
            continue
        if not verifier.check(note.text.encode(), sig.signature):
            raise NoteError(f"signature by {sig.name} does not verify")
        good.append(sig)
    if not good:
        raise NoteError("no known key signed this note")
    return note, good


def verify_cosignatures(note: SignedNote, cosigners: Iterable[Verifier]) -> list[Cosignature]:
    """The cosignature/v1 lines on ``note`` made by known cosigners (type 0x04).

    Raises ``NoteError`` if a known cosigner's line does not verify.
    """
    known = {(v.name, v.key_id): v for v in cosigners if v.alg == ALG_COSIGNATURE_V1}
    found: list[Cosignature] = []
    for sig in note.signatures:
        verifier = known.get((sig.name, sig.key_id))
        if verifier is None:
            continue
        if len(sig.signature) != 8 + 64:
            raise NoteError(f"cosignature by {sig.name} has the wrong length")
        (timestamp,) = struct.unpack(">Q", sig.signature[:8])
        if timestamp >= 2**63 or not verifier.check(cosignature_message(note.text, timestamp), sig.signature[8:]):
            raise NoteError(f"cosignature by {sig.name} does not verify")
        found.append(Cosignature(sig.name, sig.key_id, timestamp, sig.line()))
    return found


@dataclass(frozen=True)
class Checkpoint:
    """A tlog-checkpoint body: origin, tree size and root hash (plus optional extension lines)."""

    origin: str
    size: int
    root: bytes
    extensions: Sequence[str] = ()

    def body(self) -> str:
        if not self.origin or "\n" in self.origin:
            raise NoteError("a checkpoint origin is one non-empty line")
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode(), *self.extensions]
        return "\n".join(lines) + "\n"


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse a checkpoint body (the text of its signed note)."""
    if not text.endswith("\n"):
        raise NoteError("a checkpoint ends in a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3 or not lines[0]:
        raise NoteError("a checkpoint has an origin, a size and a root line")
    origin, size_text, root_text, *extensions = lines
    if not size_text.isdigit() or (len(size_text) > 1 and size_text[0] == "0"):
        raise NoteError("a checkpoint size is a decimal number without leading zeros")
    root = _b64decode(root_text, "checkpoint root")
    if len(root) != 32:
        raise NoteError("a checkpoint root is 32 bytes")
    if any(not line for line in extensions):
        raise NoteError("a checkpoint has no empty extension lines")
    return Checkpoint(origin, int(size_text), root, tuple(extensions))
