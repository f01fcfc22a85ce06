from anymail.urls import urlpatterns as anymail_urlpatterns
from django.urls import URLPattern, path

from . import views

app_name = "notifications"

urlpatterns = [
    path("unsubscribe/<int:message_id>/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

# anymail's /anymail/<esp>/tracking/ webhooks, refused unless a basic-auth secret is configured.
webhook_urlpatterns = [
    URLPattern(
        pattern.pattern,
        views.require_webhook_secret(pattern.callback),
        pattern.default_args,
        pattern.name,
    )
    for pattern in anymail_urlpatterns
]
