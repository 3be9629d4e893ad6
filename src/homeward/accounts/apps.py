from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "homeward.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created

        from homeward import dbconn, displays
        from homeward.accounts import twofactor

        user_logged_in.connect(twofactor.remember_enrolment, dispatch_uid="homeward-2fa-enrolled")
        connection_created.connect(dbconn.on_connection_created, dispatch_uid="homeward-db-connection")
        displays.install()
