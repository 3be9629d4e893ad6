"""Encrypted backups that restore: ``homeward backup FILE`` and ``homeward restore FILE``.

``crypto``   the passphrase encryption of the stream (scrypt + AES-256-GCM in chunks); pure, no Django
``archive``  what goes in (database snapshot, keys, evidence files, manifest) and how it comes back
"""

from homeward.backup.archive import BackupSummary, RestoreSummary, backup, restore
from homeward.backup.crypto import BackupError, DamagedBackup, WrongPassphrase

__all__ = ["BackupError", "BackupSummary", "DamagedBackup", "RestoreSummary", "WrongPassphrase", "backup", "restore"]
