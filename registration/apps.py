from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = _("Registration")

    def ready(self):
        # Message kinds, fan-outs and signal receivers register themselves on import.
        from . import emails, fanout, followup, receivers, reminders  # noqa: F401
