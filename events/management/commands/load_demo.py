"""Load the two seed events and a demo organizer, so a new user sees Plenary with real-looking data."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from events import directory
from events.models import Event, EventHost, Membership, Organization, Resource, Session, Speaker

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "plenary-demo"  # noqa: S105 - a published demo login, for a local demo only
NEW_YORK = ZoneInfo("America/New_York")

IMPACT_DESCRIPTION = """\
In the context of the Secretary-General's Action for Peacekeeping initiative (A4P), the next United
Nations Peacekeeping Ministerial Conference aims to strengthen UN peacekeeping, including by
improving the performance and impact of UN operations; closing capability gaps through concrete
pledges; facilitating new partnerships and strengthening existing ones; and promoting systemic
changes that will improve operations.

The UN's A4P Implementation Action Plan identifies four priority areas for training and capacity
building:

- improving the security of peacekeepers;
- advancing UN-AU capacity-building of AU peace support operations;
- expanding triangular partnership between TCC/PCCs and member states;
- supporting effective performance and accountability, including by operationalizing the light
  coordination mechanism to deconflict and share best practices of training programs.

This discussion, which draws on a white paper prepared by IPI, is intended to help member states
plan for and prepare to make concrete, meaningful and impactful capacity building and training
pledges at the Ministerial. Speakers will address the current state and recent trends in capacity
building and training, examine areas where further progress is required, and suggest priorities
and recommendations on how member states, together with the UN, can move towards more
impact-driven partnerships in these areas.
"""

AFRICA_DESCRIPTION = """\
The main purpose of the dialogue was to support the shared commitment to address the challenges
facing peacekeeping, focusing on the African Continent, and to build political momentum between
partners. The meeting provided an opportunity to present policy recommendations in support of
current peacekeeping challenges including: reinforcing UN-Africa peace and security partnerships,
ensuring the long-term impact of peacekeeping missions and increasing cooperation with African
regional and sub-regional security frameworks. The event brought together key stakeholders,
including member states, the African Union, African Regional Economic Communities (RECs), think
tanks, and other international partners. The meeting was open to the participation of all member
states.

The conference was followed by a working lunch on "Implementing the Women, Peace and Security
Agenda."

### Background and rationale

UN Peacekeeping remains one of the most essential tools for creating lasting peace and responding
to international crises. In March 2018 the Secretary-General launched the Action for Peacekeeping
(A4P) Initiative, renewing the political commitment: "First, to refocus peacekeeping with
realistic expectations; second, to make peacekeeping missions stronger and safer; and, third, to
mobilize greater support for political solutions and for well-structured, well-equipped,
well-trained forces."

Discussion focused on the commitments under A4P, such as advancing lasting political solutions,
strengthening the impact of peacekeeping on sustaining peace, improving peacekeeping partnerships,
strengthening performance and accountability and implementing the women, peace and security
agenda. These conversations drew upon KAIPTC's expertise in supporting longer term approaches to
security and stability.
"""

# The demo organizer owns two teams; every other host is a directory entry.
TEAMS = {
    "ipi": dict(
        name="International Peace Institute", short_name="IPI", kind="think_tank", country="US"
    ),
    "kaiptc": dict(
        name="Kofi Annan International Peacekeeping Training Centre",
        short_name="KAIPTC",
        kind="academic",
        country="GH",
    ),
}
SHIPPED = {
    "ethiopia": "government:ET",
    "indonesia": "government:ID",
    "japan": "government:JP",
    "korea": "government:KR",
    "ghana": "mission:GH",
    "uk": "mission:GB",
    "norway": "mission:NO",
}
# Entries organizers add: KAIPTC's team names IPI through IPI's directory entry, not its team.
ADDED = {
    "ipi_entry": dict(name="International Peace Institute", short_name="IPI", kind="think_tank", country="US"),
    "wilton": dict(name="Wilton Park", kind="other", country="GB"),
}  # fmt: skip

IMPACT_SPEAKERS = [
    ("opening_remarks", "H.E. Mr.", "Cho Hyun", "Permanent Representative of the Republic of Korea to the UN", ""),
    ("opening_remarks", "H.E. Mr.", "Dian Triansyah Djani", "Permanent Representative of Indonesia to the UN", ""),
    ("speaker", "Mr.", "Arthur Boutellis", "IPI Senior Non-Resident Adviser", ""),
    ("speaker", "Mr.", "Mark Pedersen", "Director, Integrated Training Service", "UN Department of Peace Operations"),
    ("speaker", "Ms.", "Kristina Zetterlund", "Counsellor, Civilian Adviser", "Permanent Mission of Sweden to the UN"),
    (
        "speaker", "Mr.", "Michael L. Smith",
        "Director, Office of Global Programs and Initiatives, Bureau of Political-Military Affairs",
        "U.S. Department of State",
    ),
    (
        "speaker", "Mr.", "Fumio Yamazaki", "Director, International Peace and Security Cooperation Division",
        "Ministry of Foreign Affairs of Japan",
    ),
    ("speaker", "Mr.", "Dawit Yirga", "Director, International Organizations", "Ministry of Foreign Affairs of Ethiopia"),
    ("moderator", "Dr.", "Namie Di Razza", "IPI Senior Fellow and Head of Protection of Civilians", ""),
]  # fmt: skip


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=NEW_YORK)


class Command(BaseCommand):
    help = "Load the seed events (IPI's virtual discussion, the ECOSOC Chamber conference) and a demo organizer."

    @transaction.atomic
    def handle(self, *args, **options):
        directory.load(Organization)
        organizations = {
            key: Organization.objects.update_or_create(
                name=fields["name"], is_team=True, defaults=fields
            )[0]
            for key, fields in TEAMS.items()
        }
        organizations |= {key: Organization.objects.get(code=code) for key, code in SHIPPED.items()}
        organizations |= {
            key: Organization.objects.update_or_create(
                name=fields["name"], is_team=False, code=None, defaults=fields
            )[0]
            for key, fields in ADDED.items()
        }
        user = self._demo_user([organizations["ipi"], organizations["kaiptc"]])
        impact = self._impact_event(organizations)
        africa = self._africa_event(organizations)
        briefing = self._briefing_event(organizations)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded demo events: {impact.title}; {africa.title}; {briefing.title}"
            )
        )
        self.stdout.write(f"Demo organizer: {user.username} / {DEMO_PASSWORD}")

    def _demo_user(self, teams):
        user, _created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"email": "demo@plenary.localhost", "first_name": "Demo"},
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        for team in teams:
            Membership.objects.update_or_create(
                user=user, organization=team, defaults={"role": Membership.Role.OWNER}
            )
        return user

    def _replace_event(self, slug, organization, hosts, **fields):
        """The event as the seed has it, whatever a previous run or the user left behind."""
        event, _created = Event.objects.update_or_create(
            slug=slug, defaults={"organization": organization, **fields}
        )
        for related in (event.hosts, event.speakers, event.sessions, event.resources):
            related.all().delete()
        for order, (organization, role) in enumerate(hosts):
            EventHost.objects.create(event=event, organization=organization, role=role, order=order)
        return event

    def _impact_event(self, organizations):
        # Shown as an upcoming event, three weeks from today, so registration can be tried.
        day = (timezone.now() + timedelta(days=21)).astimezone(NEW_YORK).date()
        event = self._replace_event(
            "impact-driven-peacekeeping-partnerships",
            organizations["ipi"],
            hosts=[(organizations["ipi"], "organizer")]
            + [
                (organizations[key], "co_host")
                for key in ("ethiopia", "indonesia", "japan", "korea")
            ],
            title="Impact-Driven Peacekeeping Partnerships for Capacity Building and Training",
            summary=(
                "A virtual discussion on capacity building and training pledges ahead of the "
                "UN Peacekeeping Ministerial Conference."
            ),
            description=IMPACT_DESCRIPTION,
            format=Event.Format.VIRTUAL,
            starts_at=_at(day, 10),
            ends_at=_at(day, 11, 30),
            timezone="America/New_York",
            venue_name="",
            venue_address="",
            online_join_url="https://zoom.example.org/j/2020072201",
            visibility=Event.Visibility.PUBLIC,
            status=Event.Status.PUBLISHED,
            capacity_virtual=300,
            language="en",
        )
        for order, (role, honorific, name, position, organization_name) in enumerate(
            IMPACT_SPEAKERS
        ):
            Speaker.objects.create(
                event=event, role=role, honorific=honorific, name=name, position=position,
                organization_name=organization_name, order=order,
            )  # fmt: skip
        Resource.objects.create(
            event=event,
            kind=Resource.Kind.RELATED,
            title="Read more on IPI's website",
            url="https://www.ipinst.org/2020/07/impact-driven-peacekeeping-partnerships-for-capacity-building-and-training",
        )
        return event

    def _briefing_event(self, organizations):
        # Not a seed: an upcoming hybrid briefing, so registering in person and check-in can be tried.
        day = (timezone.now() + timedelta(days=35)).astimezone(NEW_YORK).date()
        event = self._replace_event(
            "protection-of-civilians-briefing",
            organizations["ipi"],
            hosts=[(organizations["ipi"], "organizer"), (organizations["norway"], "co_host")],
            title="Protection of Civilians in UN Peace Operations: Briefing for Member States",
            summary="A closed-door briefing on the Secretary-General's report, in person and online.",
            description=(
                "IPI and the Permanent Mission of Norway invite member states to a briefing on "
                "the protection of civilians in UN peace operations, followed by questions."
            ),
            format=Event.Format.HYBRID,
            starts_at=_at(day, 13, 15),
            ends_at=_at(day, 14, 30),
            timezone="America/New_York",
            venue_name="Conference Room 4",
            venue_address="United Nations Headquarters, New York",
            online_join_url="https://zoom.example.org/j/2026120901",
            webcast_url="",
            visibility=Event.Visibility.PUBLIC,
            status=Event.Status.PUBLISHED,
            capacity_in_person=12,
            capacity_virtual=200,
            seats_per_organization=2,
            language="en",
        )
        Speaker.objects.create(
            event=event, role="moderator", honorific="Dr.", name="Namie Di Razza",
            position="IPI Senior Fellow and Head of Protection of Civilians",
        )  # fmt: skip
        return event

    def _africa_event(self, organizations):
        day = datetime(2019, 11, 12).date()
        event = self._replace_event(
            "peacekeeping-in-africa-fostering-partnership",
            organizations["kaiptc"],
            hosts=[(organizations["kaiptc"], "organizer")]
            + [
                (organizations[key], "co_host")
                for key in ("ghana", "uk", "norway", "ipi_entry", "wilton")
            ],
            title="Peacekeeping in Africa: Fostering Partnership and Synergies",
            summary="A half-day conference in the ECOSOC Chamber, followed by a working lunch.",
            description=AFRICA_DESCRIPTION,
            format=Event.Format.IN_PERSON,
            starts_at=_at(day, 10),
            ends_at=_at(day, 13),
            timezone="America/New_York",
            venue_name="ECOSOC Chamber",
            venue_address="United Nations Headquarters, New York",
            online_join_url="",
            webcast_url="https://webtv.un.org/",
            visibility=Event.Visibility.PUBLIC,
            status=Event.Status.PUBLISHED,
            capacity_in_person=250,
            language="en",
        )
        Session.objects.create(
            event=event,
            title="Working lunch: Implementing the Women, Peace and Security Agenda",
            starts_at=_at(day, 13, 15),
            ends_at=_at(day, 14, 30),
            location="United Nations Headquarters, New York",
            invitation_only=True,
            capacity=40,
        )
        for order, (kind, title, url) in enumerate(
            [
                (
                    Resource.Kind.RECORDING,
                    "Watch the full event video on UN Web TV",
                    "https://webtv.un.org/",
                ),
                (
                    Resource.Kind.REPORT,
                    "Lessons for “Partnership Peacekeeping” from the African Union Mission in Somalia",
                    "https://www.ipinst.org/2019/10/lessons-for-partnership-peacekeeping-from-amisom",
                ),
                (
                    Resource.Kind.REPORT,
                    "Toward a More Effective UN-AU Partnership on Conflict Prevention and Crisis Management",
                    "https://www.ipinst.org/2018/10/toward-more-effective-un-au-partnership",
                ),
            ]
        ):
            Resource.objects.create(event=event, kind=kind, title=title, url=url, order=order)
        return event
