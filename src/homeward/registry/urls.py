from django.urls import path

from homeward.registry import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("children/", views.children_list, name="children"),
    path("children/new/", views.child_create, name="child_create"),
    path("children/export.<str:fmt>", views.children_export, name="children_export"),
    path("children/assign/", views.children_bulk_assign, name="children_bulk_assign"),
    path("children/<int:pk>/", views.child_detail, name="child_detail"),
    path("children/<int:pk>/edit/", views.child_edit, name="child_edit"),
    path("children/<int:pk>/names/", views.child_add_name, name="child_add_name"),
    path("cases/<int:pk>/transition/", views.case_transition, name="case_transition"),
    path("cases/<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("children/<int:pk>/share/", views.child_share, name="child_share"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("tracing/", views.tracing_list, name="tracing_list"),
    path("tracing/new/", views.tracing_create, name="tracing_create"),
    path("tracing/<int:pk>/", views.tracing_detail, name="tracing_detail"),
    path("tracing/<int:pk>/edit/", views.tracing_edit, name="tracing_edit"),
    path("tracing/<int:pk>/withdraw/", views.tracing_withdraw, name="tracing_withdraw"),
    path("tracing/<int:pk>/notes/", views.tracing_note, name="tracing_note"),
    path("workflow/", views.workflow_help, name="workflow"),
]
