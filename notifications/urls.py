from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("unsubscribe/<int:message_id>/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

# Only the configured ESP's delivery webhook (anymail's /anymail/<esp>/tracking/) answers.
webhook_urlpatterns = [
    path("<str:esp>/tracking/", views.tracking_webhook, name="tracking_webhook"),
]
