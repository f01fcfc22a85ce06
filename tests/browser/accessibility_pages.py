"""The pages the accessibility tests check: one builder per page, each making the data it shows.

A builder takes a `Site` (the team, its manager, a registering helper) and returns the path to
open; an organizer's page is opened signed in. Optional `then` steps, given the page and the
path, drive the page into a state worth checking too (errors shown, a check-in result, a flash
message). Builders make fresh data each time, so every page and language has its own.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from events.audit import Actor
from events.models import Event, Resource
from invitations.contacts import imports
from invitations.models import Contact, ContactList
from notifications.models import Message
from registration import services as registration_services
from registration.models import Question, Registration
from teams import services as team_services
from tests.factories import (
    EventFactory,
    EventHostFactory,
    InvitationFactory,
    OrganizationFactory,
    ResourceFactory,
    SessionFactory,
    SpeakerFactory,
)

DELEGATE = Actor.attendee("Kristina Zetterlund")


@dataclass
class Site:
    organization: object
    manager: object
    session_key: str = ""  # the manager's, signed in

    def register(self, event, number=1, **fields):
        defaults = dict(
            email=f"delegate{number}@mission.example",
            first_name="Kristina",
            last_name=f"Zetterlund {number}",
            organization_name="Permanent Mission of Sweden",
            country="SE",
            consent=True,
            attendance_mode="in_person" if event.format != Event.Format.VIRTUAL else "",
        )
        return registration_services.register(actor=DELEGATE, event=event, **(defaults | fields))

    def hybrid_event(self, **fields):
        """A coming hybrid event with everything a page can show: hosts, speakers, a session,
        questions of each kind."""
        event = EventFactory(
            organization=self.organization,
            title="Impact-Driven Peacekeeping Partnerships for Capacity Building and Training",
            description="A dialogue among member states on partnership peacekeeping.",
            format=Event.Format.HYBRID,
            online_join_url="https://zoom.example.org/j/42",
            capacity_in_person=40,
            **fields,
        )
        EventHostFactory(
            event=event, organization=OrganizationFactory(name="Permanent Mission of Ghana")
        )
        SpeakerFactory(event=event, name="Kristina Zetterlund", position="Ambassador")
        SessionFactory(event=event, title="Working lunch")
        for order, (label, kind, choices) in enumerate(
            [
                ("Dietary needs", Question.Kind.TEXT, []),
                ("Which panel interests you most?", Question.Kind.CHOICE, ["Funding", "Training"]),
                ("Topics to cover", Question.Kind.MULTI_CHOICE, ["Mandates", "Logistics"]),
                ("I need interpretation", Question.Kind.CHECKBOX, []),
            ]
        ):
            Question.objects.create(
                event=event, label=label, kind=kind, choices=choices, order=order,
            )  # fmt: skip
        return event

    def past_event(self):
        start = timezone.now() - timedelta(days=30)
        event = EventFactory(
            organization=self.organization,
            title="Peacekeeping in Africa: Fostering Partnership and Synergies",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
        )
        ResourceFactory(event=event, kind=Resource.Kind.RECORDING)
        ResourceFactory(event=event, kind=Resource.Kind.REPORT, title="Lessons learned")
        return event

    def busy_event(self):
        """A hybrid event with registrants in person and online, and invitations sent."""
        event = self.hybrid_event()
        self.register(event, 1)
        self.register(event, 2, attendance_mode="virtual", first_name="Kofi")
        InvitationFactory(
            event=event, mission=True, organization_name="Permanent Mission of Norway"
        )
        InvitationFactory(event=event, status="declined", decline_reason="In Geneva that week.")
        return event


@dataclass
class Page:
    name: str
    build: object  # Site -> path
    organizer: bool = False
    then: object = None  # (page, path) -> None: steps after opening the path
    status: int = 200  # what the page answers to the GET


def _manage_path(registration):
    return reverse("registration:manage", args=[registration.manage_token])


def _register_with_errors(page, path):
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def _register_through_the_form(page, path):
    # By name, not label: Django's own catalogues translate some labels ("Email") already.
    page.locator("input[name=first_name]").fill("Kristina")
    page.locator("input[name=last_name]").fill("Zetterlund")
    page.locator("input[name=email]").fill("kristina@gov.example")
    page.locator("select[name=country]").select_option("SE")
    page.locator("input[name=attendance_mode][value=in_person]").check()
    page.get_by_label("Funding").check()
    page.locator("input[name=consent]").check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/register/thanks/")


def _cancel_registration(page, path):
    page.locator("a[href$='/cancel/']").first.click()
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def _check_in_first_ticket(page, path):
    slug = path.split("/")[3]  # /workspace/events/<slug>/check-in/
    code = Registration.objects.filter(event__slug=slug, attendance_mode="in_person")[0].ticket_code
    page.locator("input[name=ticket_code]").fill(code)
    page.locator(".checkin-code__submit").click()
    page.locator("#checkin-result > *").first.wait_for()


def _team(site):
    return site.organization.pk


def _contacts(site):
    number = ContactList.objects.count() + 1
    contact_list = ContactList.objects.create(team=site.organization, name=f"Missions {number}")
    for number in range(3):
        contact = Contact.objects.create(
            team=site.organization, email=f"focal{contact_list.pk}.{number}@mission.example",
            first_name="Kofi", last_name=f"Mensah {number}", country="GH",
        )  # fmt: skip
        contact_list.contacts.add(contact)
    return contact_list


def _import(site):
    upload = SimpleUploadedFile(
        "contacts.csv",
        b"Email,First name,Last name,Country\nkofi@mission.example,Kofi,Mensah,GH\n",
        content_type="text/csv",
    )
    return imports.import_create(
        actor=Actor.user(site.manager), team=site.organization, user=site.manager, upload=upload
    )


def _token(site):
    number = site.manager.api_tokens.count() + 1
    team_services.create_api_token(
        actor=Actor.user(site.manager), user=site.manager, name=f"Reporting script {number}"
    )
    return reverse("teams:tokens")


def _invitation(**fields):
    return InvitationFactory(
        event=EventFactory(
            organization=fields.pop("organization"),
            visibility=Event.Visibility.INVITATION_ONLY,
            format=Event.Format.HYBRID,
            online_join_url="https://zoom.example.org/j/42",
        ),
        **fields,
    )


def _mission_invitation_with_a_delegate(site):
    invitation = _invitation(organization=site.organization, mission=True, seats=2)
    from invitations import services as invitation_services

    invitation_services.register_by_invitation(
        actor=DELEGATE, token=invitation.token, event=invitation.event, email="kristina@gov.example",
        first_name="Kristina", last_name="Zetterlund", consent=True, attendance_mode="in_person",
    )  # fmt: skip
    return invitation.get_absolute_url()


def _event_slug(build):
    """A workspace page of a busy event, by URL name."""

    def page_of(name):
        def _build(site):
            return reverse(name, kwargs={"slug": build(site).slug})

        return _build

    return page_of


busy = _event_slug(lambda site: site.busy_event())


def _first_message(site):
    event = site.busy_event()
    message = Message.objects.filter(event=event).first()
    return reverse("outbox:message", kwargs={"slug": event.slug, "message_id": message.pk})


def _guest_edit(site):
    event = site.busy_event()
    invitation = event.invitations.first()
    return reverse("guests:edit", kwargs={"slug": event.slug, "invitation_id": invitation.pk})


def _contact_edit(site):
    contact = _contacts(site).contacts.first()
    return reverse("contacts:edit", args=[_team(site), contact.pk])


PAGES = [
    # Public and attendee pages.
    Page("home", lambda s: (s.hybrid_event(), s.past_event(), "/")[-1]),
    Page("event-coming", lambda s: s.hybrid_event().get_absolute_url()),
    Page("event-past", lambda s: s.past_event().get_absolute_url()),
    Page(
        "register-hybrid-questions",
        lambda s: reverse("registration:register", args=[s.hybrid_event().slug]),
    ),
    Page(
        "registration-thanks",
        lambda s: reverse("registration:register", args=[s.hybrid_event().slug]),
        then=_register_through_the_form,
    ),
    Page(
        "register-errors",
        lambda s: reverse("registration:register", args=[s.hybrid_event().slug]),
        then=_register_with_errors,
    ),
    Page("manage-in-person", lambda s: _manage_path(s.register(s.hybrid_event()))),
    Page(
        "manage-online",
        lambda s: _manage_path(s.register(s.hybrid_event(), attendance_mode="virtual")),
    ),
    Page(
        "manage-after-cancelling",
        lambda s: _manage_path(s.register(s.hybrid_event())),
        then=_cancel_registration,
    ),
    Page(
        "cancel-registration",
        lambda s: reverse("registration:cancel", args=[s.register(s.hybrid_event()).manage_token]),
    ),
    Page(
        "switch-mode",
        lambda s: reverse(
            "registration:switch_mode", args=[s.register(s.hybrid_event()).manage_token]
        ),
    ),
    Page(
        "invitation-personal", lambda s: _invitation(organization=s.organization).get_absolute_url()
    ),
    Page("invitation-mission", _mission_invitation_with_a_delegate),
    Page(
        "invitation-decline",
        lambda s: reverse(
            "invitations:decline", args=[_invitation(organization=s.organization).token]
        ),
    ),
    Page(
        "invitation-declined",
        lambda s: _invitation(organization=s.organization, status="declined").get_absolute_url(),
    ),
    Page(
        "invitation-withdrawn",
        lambda s: _invitation(organization=s.organization, status="revoked").get_absolute_url(),
        status=410,
    ),
    Page(
        "invitation-expired",
        lambda s: _invitation(
            organization=s.organization, expires_at=timezone.now() - timedelta(days=1)
        ).get_absolute_url(),
        status=410,
    ),
    Page("sign-in", lambda s: reverse("login")),
    # The organizer's workspace.
    Page(
        "workspace-events",
        lambda s: (s.busy_event(), s.past_event(), reverse("workspace:event_list"))[-1],
        organizer=True,
    ),
    Page("event-create", lambda s: reverse("workspace:event_create"), organizer=True),
    Page("event-edit", busy("workspace:event_edit"), organizer=True),
    Page("event-overview", busy("workspace:event_detail"), organizer=True),
    Page("event-cancel", busy("workspace:event_cancel"), organizer=True),
    Page("registrants", busy("registrants:list"), organizer=True),
    Page("questions", busy("registrants:questions"), organizer=True),
    Page("guest-list", busy("guests:list"), organizer=True),
    Page("guest-invite", busy("guests:invite"), organizer=True),
    Page("guest-edit", _guest_edit, organizer=True),
    Page("outbox", busy("outbox:outbox"), organizer=True),
    Page("outbox-message", _first_message, organizer=True),
    Page("message-templates", busy("outbox:template_list"), organizer=True),
    Page(
        "message-template-edit",
        lambda s: reverse(
            "outbox:template_edit",
            kwargs={"slug": s.busy_event().slug, "kind": Message.Kind.INVITATION},
        ),
        organizer=True,
    ),
    Page("schedule-reminders", busy("schedule:reminders"), organizer=True),
    Page("schedule-followup", busy("schedule:followup"), organizer=True),
    Page("check-in-desk", busy("checkin:desk"), organizer=True),
    Page(
        "check-in-search",
        lambda s: busy("checkin:desk")(s) + "?q=Zetterlund",
        organizer=True,
    ),
    Page(
        "check-in-result",
        busy("checkin:desk"),
        organizer=True,
        then=_check_in_first_ticket,
    ),
    Page("attendance-import", busy("checkin:attendance"), organizer=True),
    Page(
        "contacts",
        lambda s: (_contacts(s), reverse("contacts:list", args=[_team(s)]))[-1],
        organizer=True,
    ),
    Page("contacts-home", lambda s: reverse("contacts:home"), organizer=True),
    Page("contact-edit", _contact_edit, organizer=True),
    Page("contact-new", lambda s: reverse("contacts:create", args=[_team(s)]), organizer=True),
    Page(
        "contact-lists",
        lambda s: (_contacts(s), reverse("contacts:lists", args=[_team(s)]))[-1],
        organizer=True,
    ),
    Page(
        "contact-list",
        lambda s: reverse("contacts:list_detail", args=[_team(s), _contacts(s).pk]),
        organizer=True,
    ),
    Page("contact-import", lambda s: reverse("contacts:upload", args=[_team(s)]), organizer=True),
    Page(
        "contact-import-columns",
        lambda s: reverse("contacts:import", args=[_team(s), _import(s).pk]),
        organizer=True,
    ),
    Page("teams", lambda s: reverse("teams:list"), organizer=True),
    Page("team", lambda s: reverse("teams:detail", args=[_team(s)]), organizer=True),
    Page("tokens", _token, organizer=True),
    Page("directory", lambda s: reverse("workspace:directory"), organizer=True),
]
