from django.urls import URLPattern, URLResolver, path

from homeward.ledger import views

app_name = "ledger"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.ledger_page, name="index"),
    path("checkpoint", views.checkpoint_json, name="checkpoint"),
    path("proof/inclusion", views.inclusion_json, name="inclusion"),
    path("proof/consistency", views.consistency_json, name="consistency"),
    path("entries", views.entries_json, name="entries"),
]
