"""Invite a delegate and a mission to the upcoming demo briefing, and print their links.

Run after `load_demo`. One personal invitation (locked to its address) and one for a permanent
mission with three seats its focal point can give to delegates with their own addresses.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand

from events.models import Event
from invitations.models import Invitation

DEMO_USERNAME = "demo"
# What the README sends the demo organizer to the admin for: the invitations and their links.
DEMO_ADMIN_PERMISSIONS = [
    ("invitations", "view_invitation"),
    ("invitations", "add_invitation"),
    ("invitations", "change_invitation"),
    ("events", "view_event"),  # the invitation form looks events up
]

BRIEFING = "protection-of-civilians-briefing"


class Command(BaseCommand):
    help = "Create demo invitations for the demo briefing and print their links."

    def handle(self, *args, **options):
        event = Event.objects.filter(slug=BRIEFING).first()
        if event is None:
            self.stderr.write(f"No event {BRIEFING!r}: run load_demo first.")
            return
        personal, _created = Invitation.objects.get_or_create(
            event=event,
            email="ambassador@mission-of-kenya.example",
            defaults={
                "honorific": "H.E. Ms.",
                "first_name": "Wanjiru",
                "last_name": "Kamau",
                "position": "Permanent Representative",
                "organization_name": "Permanent Mission of Kenya",
                "country": "KE",
                "status": Invitation.Status.SENT,
            },
        )
        mission, _created = Invitation.objects.get_or_create(
            event=event,
            email="focal.point@mission-of-sweden.example",
            defaults={
                "organization_name": "Permanent Mission of Sweden",
                "country": "SE",
                "seats": 3,
                "transferable": True,
                "status": Invitation.Status.SENT,
            },
        )
        _let_demo_organizer_into_the_invitations_admin()
        self.stdout.write(f"Invitation for {personal.full_name}: {personal.link}")
        self.stdout.write(f"Invitation for {mission.organization_name} (3 seats): {mission.link}")


def _let_demo_organizer_into_the_invitations_admin():
    """Staff status and the invitation permissions, so the demo organizer can open
    /admin/invitations/invitation/ as the README says; nothing else in the admin."""
    user = get_user_model().objects.filter(username=DEMO_USERNAME).first()
    if user is None:
        return
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    for app_label, codename in DEMO_ADMIN_PERMISSIONS:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
