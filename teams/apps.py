from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    """Who acts in whose name: a team's members, the invitations that add them, and the
    personal API tokens that act for them. Above `notifications`: inviting sends email."""

    name = "teams"
    verbose_name = _("Teams")

    def ready(self):
        from . import emails  # noqa: F401 - registers the team invitation's message kind
