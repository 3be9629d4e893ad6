from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "homeward.exchange"
    label = "exchange"
    default_auto_field = "django.db.models.BigAutoField"
