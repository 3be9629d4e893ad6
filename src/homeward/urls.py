from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView

from homeward.api import api
from homeward.jobs.health import healthz

handler500 = "homeward.ui.errors.server_error"

urlpatterns = [
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", RedirectView.as_view(url=static("homeward/favicon.svg"), permanent=True)),
    path("", include("homeward.accounts.urls")),
    path("", include("homeward.registry.urls")),
    path("linkage/", include("homeward.linkage.urls")),
    path("ledger/", include("homeward.ledger.urls")),
    path("lists/", include("homeward.exchange.urls")),
    path("returns/", include("homeward.returns.urls")),
    path("notifications/", include("homeward.notifications.urls")),
    path("", include("homeward.figures.urls")),
]
