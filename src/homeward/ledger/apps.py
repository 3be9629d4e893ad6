from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def _record_event(sender: Any, **kwargs: Any) -> None:
    """Append the entry announced by another domain's ``recorded_event`` (inside its transaction)."""
    from homeward.ledger import service

    service.record(
        kwargs["kind"],
        actor=kwargs.get("actor"),
        party_code=kwargs.get("party_code") or "",
        object_type=kwargs["object_type"],
        object_id=kwargs["object_id"],
        content=kwargs.get("content") or {},
    )


class LedgerConfig(AppConfig):
    name = "homeward.ledger"
    label = "ledger"
    verbose_name = "Ledger"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        try:
            from homeward.registry.signals import recorded_event
        except ImportError:  # the registry is optional for the ledger
            return
        recorded_event.connect(_record_event, dispatch_uid="homeward.ledger.record_event")
