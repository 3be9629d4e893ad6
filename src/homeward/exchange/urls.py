from django.urls import URLPattern, URLResolver, path

from homeward.exchange import views

app_name = "exchange"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.lists, name="lists"),
    path("search/", views.entries_search, name="search"),
    path("upload/", views.upload, name="upload"),
    path("upload/<uuid:token>/", views.preview, name="preview"),
    path("upload/<uuid:token>/report.csv", views.preview_report, name="preview_report"),
    path("rejections/<int:pk>/", views.rejection, name="rejection"),
    path("rejections/<int:pk>/report.csv", views.rejection_report, name="rejection_report"),
    path("<int:pk>/", views.list_detail, name="list"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/file", views.version_file, name="version_file"),
    path("versions/<int:pk>/rows.csv", views.version_rejected, name="version_rejected"),
    path("versions/<int:pk>/sign/", views.version_sign, name="version_sign"),
    path("versions/<int:pk>/forward/", views.version_forward, name="version_forward"),
    path("versions/<int:pk>/respond/", views.version_respond, name="version_respond"),
    path("versions/<int:pk>/responses/", views.version_responses_upload, name="version_responses"),
    path("versions/<int:pk>/report/", views.version_report, name="report"),
    path("versions/<int:pk>/report.<str:fmt>", views.version_export, name="export"),
    path("candidates/<int:pk>/decide/", views.candidate_decide, name="decide"),
    path("diff/", views.version_diff, name="diff"),
]
