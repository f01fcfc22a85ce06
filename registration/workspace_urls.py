from django.urls import path

from . import workspace_views as views

app_name = "registrants"

EVENT = "events/<slug:slug>"

urlpatterns = [
    path(f"{EVENT}/registrations/", views.registrant_list, name="list"),
    path(f"{EVENT}/registrations/bulk/", views.bulk_action, name="bulk"),
    path(
        f"{EVENT}/registrations/<int:registration_id>/<slug:action>/",
        views.registration_decision,
        name="decision",
    ),
    path(
        f"{EVENT}/registrations/export.csv",
        views.export_registrants,
        {"file_format": "csv"},
        name="export_csv",
    ),
    path(
        f"{EVENT}/registrations/export.xlsx",
        views.export_registrants,
        {"file_format": "xlsx"},
        name="export_xlsx",
    ),
    path(
        f"{EVENT}/registrations/badges.pdf",
        views.export_badges,
        {"file_format": "pdf"},
        name="badges_pdf",
    ),
    path(
        f"{EVENT}/registrations/badges.csv",
        views.export_badges,
        {"file_format": "csv"},
        name="badges_csv",
    ),
    path(f"{EVENT}/questions/", views.questions, name="questions"),
]
