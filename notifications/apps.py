from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from anymail.signals import tracking

        from . import checks  # noqa: F401 - registers the system checks
        from .tracking import record

        tracking.connect(
            lambda sender, event, esp_name, **kwargs: record(esp_name=esp_name, event=event),
            weak=False,
            dispatch_uid="notifications.record_tracking",
        )
