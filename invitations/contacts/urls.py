from django.urls import path

from . import import_views, views

app_name = "contacts"

TEAM = "teams/<int:team_id>"

urlpatterns = [
    path("contacts/", views.home, name="home"),
    path(f"{TEAM}/contacts/", views.contact_list, name="list"),
    path(f"{TEAM}/contacts/new/", views.contact_create, name="create"),
    path(f"{TEAM}/contacts/add-to-list/", views.add_to_list, name="add_to_list"),
    path(f"{TEAM}/contacts/<int:contact_id>/edit/", views.contact_edit, name="edit"),
    path(f"{TEAM}/contacts/<int:contact_id>/delete/", views.contact_delete, name="delete"),
    path(f"{TEAM}/contact-lists/", views.lists, name="lists"),
    path(f"{TEAM}/contact-lists/<int:list_id>/", views.list_detail, name="list_detail"),
    path(f"{TEAM}/contact-lists/<int:list_id>/edit/", views.list_edit, name="list_edit"),
    path(f"{TEAM}/contact-lists/<int:list_id>/delete/", views.list_delete, name="list_delete"),
    path(f"{TEAM}/contact-lists/<int:list_id>/remove/", views.list_remove, name="list_remove"),
    path(f"{TEAM}/contacts/import/", import_views.upload, name="upload"),
    path(f"{TEAM}/contacts/imports/<int:import_id>/", import_views.detail, name="import"),
    path(
        f"{TEAM}/contacts/imports/<int:import_id>/start/", import_views.start, name="import_start"
    ),
    path(
        f"{TEAM}/contacts/imports/<int:import_id>/discard/",
        import_views.discard,
        name="import_discard",
    ),
    path(
        f"{TEAM}/contacts/imports/<int:import_id>/progress/",
        import_views.progress,
        name="import_progress",
    ),
]
