from django.urls import URLPattern, URLResolver, path

from homeward.returns import views

app_name = "returns"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.operations, name="operations"),
    path("new/", views.operation_create, name="operation_create"),
    path("<int:pk>/", views.operation_detail, name="operation"),
    path("<int:pk>/status/", views.operation_status, name="operation_status"),
    path("<int:pk>/members/", views.member_add, name="member_add"),
    path("<int:pk>/picker/", views.child_picker, name="child_picker"),
    path("<int:pk>/people/", views.person_add, name="person_add"),
    path("<int:pk>/members/<int:member_pk>/remove/", views.member_remove, name="member_remove"),
    path("<int:pk>/legs/", views.leg_add, name="leg_add"),
    path("<int:pk>/legs/<int:n>/start/", views.leg_start, name="leg_start"),
    path("<int:pk>/legs/<int:n>/arrive/", views.leg_arrive, name="leg_arrive"),
    path("<int:pk>/legs/<int:n>/manifest.pdf", views.leg_manifest, name="manifest"),
    path("<int:pk>/hosting/", views.hosting_add, name="hosting_add"),
    path("<int:pk>/handovers/", views.handover_add, name="handover_add"),
    path("handovers/<int:pk>/", views.handover, name="handover"),
    path("cases/<int:pk>/verification/", views.verification, name="verification"),
    path("cases/<int:pk>/verification/documents/", views.document_add, name="document_add"),
    path("cases/<int:pk>/verification/confirm/", views.item_confirm, name="item_confirm"),
    path("cases/<int:pk>/verification/exception/", views.exception_add, name="exception_add"),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
    path("documents/<int:pk>/", views.document_file, name="document"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("follow-ups/<int:pk>/", views.follow_up_record, name="follow_up"),
]
