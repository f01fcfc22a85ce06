import pytest

from events.models import Event
from tests.factories import EventFactory, InvitationFactory


@pytest.fixture
def private_event(organization):
    """An invitation-only conference in the ECOSOC Chamber."""
    return EventFactory(
        organization=organization,
        title="Impact-Driven Peacekeeping Partnerships",
        summary="A half-day conference followed by a working lunch.",
        visibility=Event.Visibility.INVITATION_ONLY,
        capacity_in_person=100,
    )


@pytest.fixture
def invitation(private_event):
    """A personal invitation: only its own address may register with it."""
    return InvitationFactory(
        event=private_event,
        email="kofi@ghana-mission.example",
        honorific="H.E. Mr.",
        first_name="Kofi",
        last_name="Mensah",
    )


@pytest.fixture
def mission_invitation(private_event):
    """A permanent mission's invitation with three seats for its delegates."""
    return InvitationFactory(
        event=private_event, mission=True, email="focal@sweden-mission.example",
        organization_name="Permanent Mission of Sweden", country="SE",
    )  # fmt: skip


@pytest.fixture
def delegate():
    """Registration fields for a delegate; keyword arguments override them."""
    counter = iter(range(1, 10_000))

    def fields(**overrides):
        number = next(counter)
        return {
            "email": f"delegate{number}@mission.example",
            "first_name": "Delegate",
            "last_name": str(number),
            "consent": True,
            "attendance_mode": "in_person",
        } | overrides

    return fields


@pytest.fixture
def mail_backend(db, settings):
    """anymail's test backend: what it 'sends' lands in Django's mail.outbox (after `db`, whose
    set-up replaces mail.outbox)."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    from django.core import mail

    return mail.outbox


MAILGUN_FIELD = "%recipient.{}%"


@pytest.fixture
def esp_batches(mail_backend, settings):
    """The test backend standing in for an ESP with a batch API and Mailgun's merge fields."""
    settings.OUTBOX_ESP_BATCH_SIZE = 100
    settings.OUTBOX_MERGE_FIELD_FORMAT = MAILGUN_FIELD
    return mail_backend


@pytest.fixture
def conference(organization):
    """The ECOSOC Chamber conference, co-hosted, with an invitation-only working lunch."""
    from tests.factories import EventHostFactory, OrganizationFactory, SessionFactory

    event = EventFactory(
        organization=organization,
        title="Peacekeeping in Africa: Fostering Partnership",
        summary="A half-day conference followed by a working lunch.",
        visibility=Event.Visibility.INVITATION_ONLY,
        contact_email="events@ipinst.example",
        seats_per_organization=2,
    )
    EventHostFactory(event=event, organization=organization, role="organizer", order=0)
    for order, name in enumerate(("Government of Ethiopia", "Government of Japan"), start=1):
        EventHostFactory(event=event, organization=OrganizationFactory(name=name), order=order)
    SessionFactory(event=event, title="Working lunch", invitation_only=True)
    return event
