"""Invite a delegate and a mission to the upcoming demo briefing, and print their links.

Run after `load_demo`. One personal invitation (locked to its address) and one for a permanent
mission with three seats its focal point can give to delegates with their own addresses.
"""

from django.core.management.base import BaseCommand

from events.models import Event
from invitations.models import Invitation

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
        self.stdout.write(f"Invitation for {personal.full_name}: {personal.link}")
        self.stdout.write(f"Invitation for {mission.organization_name} (3 seats): {mission.link}")
