from django.urls import path

from . import views

app_name = "registration"

urlpatterns = [
    path("events/<slug:slug>/register/", views.register, name="register"),
    path("events/<slug:slug>/register/thanks/", views.registered, name="registered"),
    # The token is "<id>.<secret>", from the link in the registrant's emails.
    path("registrations/<str:token>/", views.manage, name="manage"),
    path("registrations/<str:token>/cancel/", views.cancel, name="cancel"),
    path("registrations/<str:token>/mode/", views.switch_mode, name="switch_mode"),
]
