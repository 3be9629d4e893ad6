from django.urls import URLPattern, URLResolver, path

from homeward.figures import views

app_name = "figures"
urlpatterns: list[URLPattern | URLResolver] = [
    path("stats/", views.stats, name="stats"),
    path("stats/figures.csv", views.stats_csv, name="stats_csv"),
    path("stats/figures.json", views.stats_json, name="stats_json"),
    path("figures/documents/", views.documents, name="documents"),
    path("figures/snapshots/", views.snapshots, name="snapshots"),
    path("figures/documents/<int:pk>/review/", views.review, name="review"),
    path("figures/claims/<int:pk>/", views.claim_page, name="claim"),
    path("figures/claims/<int:pk>/review/", views.review_claim, name="review_claim"),
    path("figures/timeline/<str:quantity>/", views.timeline, name="timeline"),
]
