"""Register a few delegates for the demo events, so the organizer's pages have people in them.

Run after `load_demo`. The registrations go through the real service, so their emails land in
the outbox and, with a worker running, in var/outbox/.
"""

import unicodedata

from django.core.management.base import BaseCommand

from events.audit import Actor
from events.models import Event
from registration import services
from registration.models import Registration

# Fictional delegates; each (honorific, first, last, position, organization, country, mode).
DELEGATES = [
    ("H.E. Ms.", "Amara", "Osei", "Deputy Permanent Representative", "Permanent Mission of Ghana", "GH", "in_person"),
    ("Mr.", "Kwame", "Mensah", "Counsellor", "Permanent Mission of Ghana", "GH", "in_person"),
    ("Ms.", "Ingrid", "Halvorsen", "First Secretary", "Permanent Mission of Norway", "NO", "in_person"),
    ("Mr.", "Lars", "Eriksen", "Military Adviser", "Permanent Mission of Norway", "NO", "virtual"),
    ("Dr.", "Aiko", "Tanaka", "Political Officer", "UN Department of Peace Operations", "JP", "in_person"),
    ("Ms.", "Sofía", "Herrera", "Second Secretary", "Permanent Mission of Uruguay", "UY", "in_person"),
    ("Mr.", "Tomasz", "Nowak", "Police Adviser", "Permanent Mission of Poland", "PL", "virtual"),
    ("H.E. Mr.", "Bakary", "Diallo", "Permanent Representative", "Permanent Mission of Senegal", "SN", "in_person"),
    ("Ms.", "Priya", "Raman", "Research Fellow", "International Peace Institute", "US", "virtual"),
    ("Mr.", "Jean-Luc", "Moreau", "Counsellor", "Permanent Mission of France", "FR", "in_person"),
]  # fmt: skip


class Command(BaseCommand):
    help = "Register demo delegates for the demo events (run after load_demo)."

    def handle(self, *args, **options):
        created = 0
        for slug in ("protection-of-civilians-briefing", "impact-driven-peacekeeping-partnerships"):
            event = Event.objects.filter(slug=slug).first()
            if event is None:
                continue
            for honorific, first, last, position, organization, country, mode in DELEGATES:
                local = (
                    unicodedata.normalize("NFKD", f"{first}.{last}")
                    .encode("ascii", "ignore")
                    .decode()
                )
                email = f"{local.lower()}@example.org"
                if Registration.objects.filter(event=event, email=email).exists():
                    continue
                try:
                    services.register(
                        actor=Actor.system("demo"), event=event, email=email, first_name=first,
                        last_name=last, honorific=honorific,
                        position=position, organization_name=organization, country=country, consent=True,
                        attendance_mode=mode if event.format == Event.Format.HYBRID else "",
                    )  # fmt: skip
                    created += 1
                except services.RegistrationRefused as refused:
                    self.stdout.write(f"  {first} {last}: {refused.reason}")
        self.stdout.write(self.style.SUCCESS(f"Registered {created} demo delegates."))
