"""Small builders for tests; chain them through the fixtures in conftest.py."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from events.models import Event, EventHost, Membership, Organization, Resource, Session, Speaker


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"organizer{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class OrganizationFactory(factory.django.DjangoModelFactory):
    """A directory entry: nobody's team."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Institute {n}")
    kind = Organization.Kind.THINK_TANK


class TeamFactory(OrganizationFactory):
    """An organizer team; it owns events and has members."""

    name = factory.Sequence(lambda n: f"Team {n}")
    is_team = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(TeamFactory)
    role = Membership.Role.MANAGER


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    organization = factory.SubFactory(TeamFactory)
    title = factory.Sequence(lambda n: f"Peacekeeping Partnerships {n}")
    slug = factory.Sequence(lambda n: f"peacekeeping-partnerships-{n}")
    format = Event.Format.IN_PERSON
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=3))
    timezone = "America/New_York"
    venue_name = "ECOSOC Chamber"
    venue_address = "United Nations Headquarters, New York"
    status = Event.Status.PUBLISHED
    visibility = Event.Visibility.PUBLIC

    class Params:
        draft = factory.Trait(status=Event.Status.DRAFT)
        virtual = factory.Trait(
            format=Event.Format.VIRTUAL,
            venue_name="",
            venue_address="",
            online_join_url="https://zoom.example.org/j/123",
        )


class EventHostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventHost

    event = factory.SubFactory(EventFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = EventHost.Role.CO_HOST
    order = factory.Sequence(lambda n: n)


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Speaker {n}")
    honorific = "Ms."
    role = Speaker.Role.SPEAKER
    order = factory.Sequence(lambda n: n)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    title = "Working lunch"
    starts_at = factory.LazyAttribute(lambda session: session.event.ends_at)
    ends_at = factory.LazyAttribute(
        lambda session: session.starts_at + timedelta(hours=1, minutes=30)
    )


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    event = factory.SubFactory(EventFactory)
    kind = Resource.Kind.RECORDING
    title = "Watch the full event video"
    url = "https://webtv.un.org/en/asset/k1x/k1xyz"


class InvitationFactory(factory.django.DjangoModelFactory):
    """A personal invitation, already sent, to an invitation-only event."""

    class Meta:
        model = "invitations.Invitation"
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory, visibility=Event.Visibility.INVITATION_ONLY)
    email = factory.Sequence(lambda n: f"invitee{n}@mission.example")
    honorific = "H.E. Mr."
    first_name = "Kofi"
    last_name = factory.Sequence(lambda n: f"Mensah {n}")
    organization_name = "Permanent Mission of Ghana"
    country = "GH"
    status = "sent"
    # Emailed once unless still a draft (or withdrawn before it went out).
    times_sent = factory.LazyAttribute(lambda o: 0 if o.status in ("draft", "revoked") else 1)
    sent_at = factory.LazyAttribute(lambda o: timezone.now() if o.times_sent else None)

    class Params:
        # A mission's invitation: its seats go to delegates with their own addresses.
        mission = factory.Trait(
            transferable=True, seats=3, honorific="", first_name="", last_name=""
        )

    @factory.post_generation
    def sessions(self, create, extracted, **kwargs):
        if create and extracted:
            self.sessions.set(extracted)
