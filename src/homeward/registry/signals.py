"""Events of the registry that other domains record.

``recorded_event`` is sent inside the transaction of the change it describes, so a receiver that
writes (the ledger appends an entry) commits or rolls back together with the change. Its keyword
arguments carry identifiers and codes only, never personal data:
``kind, actor, party_code, object_type, object_id, content``.
"""

from django.dispatch import Signal

recorded_event = Signal()
