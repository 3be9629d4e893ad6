from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "homeward.exchange"
    label = "exchange"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from homeward.exchange.matching import apply_confirmed
        from homeward.linkage.services import candidate_confirmed

        candidate_confirmed.connect(apply_confirmed, dispatch_uid="homeward.exchange.apply_confirmed")
