from django.urls import include, path

from homeward.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("homeward.accounts.urls")),
    path("", include("homeward.registry.urls")),
    path("linkage/", include("homeward.linkage.urls")),
    path("ledger/", include("homeward.ledger.urls")),
    path("lists/", include("homeward.exchange.urls")),
    path("returns/", include("homeward.returns.urls")),
    path("", include("homeward.figures.urls")),
]
