from django.apps import AppConfig


class NamesConfig(AppConfig):
    name = "homeward.names"
    label = "names"
    default_auto_field = "django.db.models.BigAutoField"
