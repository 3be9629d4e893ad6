"""Ledger tables.

Append-only at the ORM level: ``save()`` on an existing row, ``delete()``, ``QuerySet.update()``
and ``QuerySet.delete()`` raise ``ImmutableError``.  That stops mistakes in application code; it
does not protect the database file.  Someone with write access to the file can change anything,
and that is caught by verification (``homeward ledger verify``, the parties' witnesses and
offline bundles), which recomputes every hash from the stored entry bytes.

Tables:

* ``LedgerEntry``     the entries: index, exact bytes (a sealed commitment), leaf hash, and the entry's
                      kind, party, object and time for lookups (restricted: the same as its metadata
                      opening, which ``verify`` checks; shown to a party only for its own entries);
* ``EntryOpening``    the openings of each entry's commitments (restricted): the metadata (canonical
                      fields and salt) and the content (canonical content and salt);
* ``TreeNode``        every complete-subtree hash, keyed by ``level << 48 | index``;
* ``LedgerHead``      one row holding the tree size; locked to allocate indices;
* ``Checkpoint``      every signed checkpoint, as the exact note text;
* ``Cosignature``     parties' cosignatures on checkpoints, as the exact signature lines;
* ``PartyKey``        parties' Ed25519 public keys, each bound to the entry that registered it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.ledger import entry as entry_codec
from homeward.ledger.errors import ImmutableError
from homeward.ledger.note import Verifier

NODE_LEVEL_SHIFT = 48


def node_key(level: int, index: int) -> int:
    return (level << NODE_LEVEL_SHIFT) | index


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableError(f"{self.model.__name__} rows cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableError(f"{self.model.__name__} rows cannot be deleted")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise ImmutableError(f"{self.model.__name__} rows cannot be updated")


class AppendOnlyModel(models.Model):
    objects: ClassVar[Any] = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError(f"{type(self).__name__} rows cannot be updated")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError(f"{type(self).__name__} rows cannot be deleted")


class LedgerEntry(AppendOnlyModel):
    index = models.BigIntegerField(primary_key=True)
    data = models.BinaryField(_("entry bytes"))
    leaf_hash = models.BinaryField(max_length=32)
    kind = models.CharField(max_length=48)
    party_code = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["index"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="ledger_entry_object")]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"#{self.index} {self.kind}"

    @property
    def bytes(self) -> bytes:
        return bytes(self.data)

    @property
    def fields(self) -> entry_codec.Entry:
        """The entry's fields: from its bytes (version 1) or its metadata opening (sealed; one query)."""
        leaf = entry_codec.decode_leaf(self.bytes)
        if leaf.entry is not None:
            return leaf.entry
        opening = EntryOpening.objects.get(entry_id=self.index)
        return entry_codec.open_entry(self.bytes, bytes(opening.meta), bytes(opening.meta_salt))

    @property
    def text(self) -> str:
        return self.bytes.decode("utf-8", errors="replace")


class EntryOpening(AppendOnlyModel):
    """What an entry's commitments commit to: its metadata (sealed entries) and its content."""

    entry = models.OneToOneField(
        LedgerEntry, primary_key=True, on_delete=models.PROTECT, db_column="entry_index", related_name="opening"
    )
    salt = models.BinaryField(max_length=32)
    content = models.BinaryField()
    meta_salt = models.BinaryField(max_length=32, default=b"")  # empty for version 1 entries
    meta = models.BinaryField(default=b"")


class TreeNode(AppendOnlyModel):
    key = models.BigIntegerField(primary_key=True)
    hash = models.BinaryField(max_length=32)

    @property
    def level(self) -> int:
        return self.key >> NODE_LEVEL_SHIFT

    @property
    def position(self) -> int:
        return self.key & ((1 << NODE_LEVEL_SHIFT) - 1)


class LedgerHead(models.Model):
    """The single row whose lock serialises appends (PostgreSQL ``SELECT … FOR UPDATE``)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)


class Checkpoint(AppendOnlyModel):
    size = models.BigIntegerField(db_index=True)
    root = models.BinaryField(max_length=32)
    note = models.TextField(_("signed checkpoint"))
    log_key = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        get_latest_by = "id"


class Cosignature(AppendOnlyModel):
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="cosignatures")
    party_code = models.CharField(max_length=64)
    key_name = models.CharField(max_length=200)
    key_id = models.CharField(max_length=8)
    timestamp = models.BigIntegerField()
    line = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "key_name", "key_id"], name="ledger_cosig_once"),
        ]


class PartyKey(models.Model):
    """A party's Ed25519 public key; never deleted, retired on rotation so old signatures verify."""

    party_code = models.CharField(max_length=64, db_index=True)
    name = models.CharField(max_length=200)
    public_key = models.BinaryField(max_length=32)
    registered_index = models.BigIntegerField()
    retired_index = models.BigIntegerField(null=True, blank=True)
    endorsed = models.BooleanField(
        default=True, help_text="First keys, and rotations signed by the previous key, are endorsed."
    )

    class Meta:
        ordering = ["party_code", "registered_index"]
        constraints = [models.UniqueConstraint(fields=["name", "public_key"], name="ledger_key_unique")]

    def __str__(self) -> str:
        return self.name

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError("party keys are retired, never deleted")

    @property
    def verifier(self) -> Verifier:
        return Verifier(self.name, bytes(self.public_key))

    @property
    def vkey(self) -> str:
        return self.verifier.vkey

    @property
    def cosigner_vkey(self) -> str:
        return self.verifier.as_cosigner().vkey

    def valid_at(self, index: int) -> bool:
        """Whether this key was the party's key when entry ``index`` was appended."""
        return self.registered_index <= index and (self.retired_index is None or index < self.retired_index)
