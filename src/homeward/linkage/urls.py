from django.urls import URLPattern, URLResolver, path

from homeward.linkage import views

app_name = "linkage"
urlpatterns: list[URLPattern | URLResolver] = [
    path("review/", views.queue, name="review"),
    path("review/next/", views.next_pair, name="next"),
    path("review/<int:pk>/", views.candidate_detail, name="candidate"),
    path("review/<int:pk>/skip/", views.skip, name="skip"),
    path("review/<int:pk>/decide/", views.decide, name="decide"),
    path("models/", views.models_list, name="models"),
    path("models/<int:pk>/", views.model_detail, name="model"),
    path("models/<int:pk>/rollback/", views.model_rollback, name="model_rollback"),
    path("runs/", views.start_run, name="start_run"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
]
