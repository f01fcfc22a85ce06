"""A guest list for the upcoming demo briefing, as IPI would keep one, and two invitation links.

Run after `load_demo`. IPI's team gets its address book of missions' focal points (a contact
list) and a few people it invites in person. The briefing's guest list then holds the focal
points (two seats each, as the event allows per organization) and the personal invitations, in
the states a real list reaches: most sent, two still drafts, one declined with a reason, one
bounced, an ambassador registered and one mission with a delegate registered. Running it again
changes nothing. Sending goes through the outbox, so `make demo` writes those emails to
var/outbox/ once the worker starts.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from events.audit import Actor
from events.models import Event
from invitations import services
from invitations.models import Contact, ContactList, Invitation

DEMO = Actor.system("demo data")

DEMO_USERNAME = "demo"
# What the README sends the demo organizer to the admin for: the invitations and their links.
DEMO_ADMIN_PERMISSIONS = [
    ("invitations", "view_invitation"),
    ("invitations", "add_invitation"),
    ("invitations", "change_invitation"),
    ("events", "view_event"),  # the invitation form looks events up
]

BRIEFING = "protection-of-civilians-briefing"
FOCAL_POINTS = "Permanent Missions: focal points"

# The missions whose focal points IPI invites, with their country and address.
MISSIONS = [
    ("Ethiopia", "ET"), ("Ghana", "GH"), ("Indonesia", "ID"), ("Japan", "JP"),
    ("Norway", "NO"), ("the Republic of Korea", "KR"), ("Sweden", "SE"),
    ("the United Kingdom", "GB"), ("Brazil", "BR"), ("Bangladesh", "BD"),
]  # fmt: skip
# People IPI invites in person: honorific, first, last, position, organization, country, email.
PEOPLE = [
    ("H.E. Ms.", "Wanjiru", "Kamau", "Permanent Representative", "Permanent Mission of Kenya",
     "KE", "ambassador@mission-of-kenya.example"),
    ("Ms.", "Kristina", "Zetterlund", "Counsellor, Civilian Adviser", "Permanent Mission of Sweden",
     "SE", "kristina.zetterlund@mission-of-sweden.example"),
    ("Mr.", "Mark", "Pedersen", "Director, Integrated Training Service",
     "UN Department of Peace Operations", "", "mark.pedersen@un-dpo.example"),
    ("Mr.", "Dawit", "Yirga", "Director, International Organizations",
     "Ministry of Foreign Affairs of Ethiopia", "ET", "dawit.yirga@mfa-ethiopia.example"),
]  # fmt: skip
STILL_DRAFTS = ("Brazil", "Bangladesh")


def _mission(name):
    return f"Permanent Mission of {name}"


def _focal_point_email(name):
    return f"focal.point@mission-of-{name.removeprefix('the ').lower().replace(' ', '-')}.example"


class Command(BaseCommand):
    help = "Create a demo guest list for the demo briefing and print two invitation links."

    def handle(self, *args, **options):
        event = Event.objects.filter(slug=BRIEFING).select_related("organization").first()
        if event is None:
            self.stderr.write(f"No event {BRIEFING!r}: run load_demo first.")
            return
        if not Invitation.objects.filter(event=event).exists():
            self._guest_list(event)
        personal = Invitation.objects.get(event=event, email=PEOPLE[1][6])
        mission = Invitation.objects.get(event=event, email=_focal_point_email("Sweden"))
        _let_demo_organizer_into_the_invitations_admin()
        self.stdout.write(f"Invitation for {personal.full_name}: {personal.link}")
        self.stdout.write(
            f"Invitation for {mission.organization_name} ({mission.seats} seats): {mission.link}"
        )

    @transaction.atomic
    def _guest_list(self, event):
        team = event.organization
        # Where invitees write with questions, as the invitation emails and pages say.
        Event.objects.filter(pk=event.pk, contact_email="").update(
            contact_email="events@ipinst.example"
        )
        event.refresh_from_db()
        focal_points, _created = ContactList.objects.get_or_create(
            team=team,
            name=FOCAL_POINTS,
            defaults={"description": "The focal point of each mission we invite."},
        )
        for name, country in MISSIONS:
            contact, _created = Contact.objects.get_or_create(
                team=team,
                email=_focal_point_email(name),
                defaults={"organization_name": _mission(name), "country": country,
                          "position": "Focal point"},
            )  # fmt: skip
            focal_points.contacts.add(contact)
        people = []
        for honorific, first, last, position, organization, country, email in PEOPLE:
            contact, _created = Contact.objects.get_or_create(
                team=team, email=email,
                defaults={"honorific": honorific, "first_name": first, "last_name": last,
                          "position": position, "organization_name": organization,
                          "country": country},
            )  # fmt: skip
            people.append(services.Invitee.from_contact(contact))
        missions = [
            services.Invitee.from_contact(contact, seats=2, transferable=True)
            for contact in focal_points.contacts.order_by("organization_name")
        ]
        services.invite(actor=DEMO, event=event, invitees=missions + people)

        drafts = [_focal_point_email(name) for name in STILL_DRAFTS]
        to_send = Invitation.objects.filter(event=event).exclude(email__in=drafts)
        services.send_invitations(
            actor=DEMO, event=event, ids=list(to_send.values_list("pk", flat=True))
        )

        # What came back: a decline, a bounce, an ambassador and a delegate registered.
        services.decline(
            actor=DEMO,
            invitation=Invitation.objects.get(email=_focal_point_email("Indonesia")),
            reason="Our delegation will be in Geneva that week; we would welcome the report.",
        )
        Invitation.objects.filter(email=_focal_point_email("Japan")).update(
            delivery=Invitation.Delivery.BOUNCED
        )
        ambassador = Invitation.objects.get(event=event, email=PEOPLE[0][6])
        services.register_by_invitation(
            actor=Actor.system("demo"), token=ambassador.token, event=event, email=ambassador.email,
            honorific="H.E. Ms.", first_name="Wanjiru", last_name="Kamau",
            position="Permanent Representative", organization_name="Permanent Mission of Kenya",
            country="KE", attendance_mode="in_person", consent=True,
        )  # fmt: skip
        ethiopia = Invitation.objects.get(event=event, email=_focal_point_email("Ethiopia"))
        services.register_by_invitation(
            actor=Actor.system("demo"), token=ethiopia.token, event=event,
            email="selam.bekele@mission-of-ethiopia.example",
            honorific="Ms.", first_name="Selam", last_name="Bekele", position="First Secretary",
            organization_name=_mission("Ethiopia"), country="ET", attendance_mode="virtual",
            consent=True,
        )  # fmt: skip


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
