from datetime import timedelta

import pytest
from django.urls import reverse

from events.models import Event, EventHost, Membership, Organization, Resource, Session, Speaker
from tests.factories import (
    EventHostFactory,
    MembershipFactory,
    ResourceFactory,
    SessionFactory,
    SpeakerFactory,
    UserFactory,
)


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="staff", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def populated(event):
    """One row of every events model, so changelists render real rows."""
    MembershipFactory(organization=event.organization, role=Membership.Role.OWNER)
    EventHostFactory(event=event)
    SpeakerFactory(event=event, honorific="H.E. Mr.", name="Cho Hyun")
    SessionFactory(event=event)
    ResourceFactory(event=event)
    return event


@pytest.mark.parametrize(
    "model", [Organization, Membership, Event, EventHost, Speaker, Session, Resource]
)
def test_changelist_loads_for_every_events_model(admin_client, populated, model):
    url = reverse(f"admin:events_{model._meta.model_name}_changelist")

    response = admin_client.get(url, {"q": "a"})

    assert response.status_code == 200


def test_event_change_page_shows_inlines_and_read_only_status(admin_client, populated):
    response = admin_client.get(reverse("admin:events_event_change", args=[populated.pk]))

    assert response.status_code == 200
    assert "Cho Hyun" in response.text
    assert 'name="status"' not in response.text
    assert 'name="sequence"' not in response.text


def test_moving_an_event_in_the_admin_grows_the_calendar_sequence(admin_client, event):
    url = reverse("admin:events_event_change", args=[event.pk])
    data = admin_client.get(url).context["adminform"].form.initial
    later, later_end = event.starts_at + timedelta(hours=1), event.ends_at + timedelta(hours=1)
    post = {
        name: value
        for name, value in data.items()
        if name not in ("starts_at", "ends_at", "reminder_offsets") and value is not None
    }
    post |= {
        "starts_at_0": later.strftime("%Y-%m-%d"),
        "starts_at_1": later.strftime("%H:%M:%S"),
        "ends_at_0": later_end.strftime("%Y-%m-%d"),  # the next day when it passes midnight
        "ends_at_1": later_end.strftime("%H:%M:%S"),
        "reminder_offsets": '["P1D"]',
    }
    for prefix in ("hosts", "speakers", "sessions", "resources"):
        post |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}

    response = admin_client.post(url, post)

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.sequence == 1
