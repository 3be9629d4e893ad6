from django.apps import AppConfig


class LedgerConfig(AppConfig):
    """The ledger has no receivers: every domain calls ``homeward.ledger.service.record`` itself, inside the
    transaction of the change it records, so no import error or missing connection can switch entries off."""

    name = "homeward.ledger"
    label = "ledger"
    verbose_name = "Ledger"
    default_auto_field = "django.db.models.BigAutoField"
