from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from notifications.urls import webhook_urlpatterns

urlpatterns = [
    path("", include("events.urls")),
    path("workspace/", include("events.workspace_urls")),
    path("workspace/", include("notifications.workspace_urls")),
    path("workspace/", include("registration.workspace_urls")),
    path("workspace/", include("registration.checkin_urls")),
    path("workspace/", include("invitations.contacts.urls")),
    path("workspace/", include("invitations.workspace_urls")),
    path("workspace/", include("registration.schedule_urls")),
    path("", include("registration.urls")),
    path("", include("invitations.urls")),
    path("", include("teams.urls")),
    path("api/v1/", include("api.urls")),
    path("email/", include("notifications.urls")),
    path("anymail/", include(webhook_urlpatterns)),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
