from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.audit import SYSTEM
from events.models import Event
from events.services import (
    TransitionNotAllowed,
    cancel_event,
    create_directory_entry,
    create_event,
    publish_event,
    update_event,
)
from tests.factories import EventFactory, OrganizationFactory


def _fields(**overrides):
    starts_at = timezone.now() + timedelta(days=10)
    fields = dict(
        title="Peacekeeping in Africa",
        format=Event.Format.IN_PERSON,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        timezone="America/New_York",
        venue_name="ECOSOC Chamber",
    )
    return fields | overrides


def _errors(organization, **overrides):
    with pytest.raises(ValidationError) as caught:
        create_event(actor=SYSTEM, organization=organization, **_fields(**overrides))
    assert Event.objects.count() == 0
    return caught.value.message_dict


def test_create_event_makes_a_draft_with_a_slug_from_the_title(organization):
    event = create_event(actor=SYSTEM, organization=organization, **_fields())

    assert event.status == Event.Status.DRAFT
    assert event.slug == "peacekeeping-in-africa"


def test_slug_collision_gets_a_suffix(organization):
    create_event(actor=SYSTEM, organization=organization, **_fields())
    second = create_event(actor=SYSTEM, organization=organization, **_fields())
    third = create_event(actor=SYSTEM, organization=organization, **_fields())

    assert (second.slug, third.slug) == ("peacekeeping-in-africa-2", "peacekeeping-in-africa-3")


def test_event_must_end_after_it_starts(organization):
    starts_at = timezone.now() + timedelta(days=1)

    assert "ends_at" in _errors(organization, starts_at=starts_at, ends_at=starts_at)


def test_time_zone_must_be_a_real_iana_name(organization):
    assert "timezone" in _errors(organization, timezone="Mars/Olympus_Mons")


@pytest.mark.parametrize("event_format", [Event.Format.IN_PERSON, Event.Format.HYBRID])
def test_in_person_and_hybrid_events_need_a_venue(organization, event_format):
    assert "venue_name" in _errors(organization, format=event_format, venue_name="")


def test_join_link_only_for_virtual_and_hybrid_events(organization):
    assert "online_join_url" in _errors(
        organization, online_join_url="https://zoom.example.org/j/1"
    )


def test_virtual_event_needs_no_venue(organization):
    event = create_event(
        actor=SYSTEM,
        organization=organization,
        **_fields(
            format=Event.Format.VIRTUAL,
            venue_name="",
            online_join_url="https://zoom.example.org/j/1",
        ),
    )

    assert event.pk


def test_capacity_cannot_be_negative(organization):
    assert "capacity_in_person" in _errors(organization, capacity_in_person=-1)


def test_reminder_offsets_must_be_iso_durations(organization):
    assert "reminder_offsets" in _errors(organization, reminder_offsets=["a week"])


def test_update_refused_by_validation_changes_nothing(event):
    with pytest.raises(ValidationError):
        update_event(
            actor=SYSTEM, event=event, ends_at=event.starts_at - timedelta(hours=1), title="Changed"
        )

    event.refresh_from_db()
    assert event.title != "Changed"
    assert event.sequence == 0


def test_publish_moves_a_draft_to_published(organization):
    event = EventFactory(organization=organization, status=Event.Status.DRAFT)

    published = publish_event(actor=SYSTEM, event=event)

    assert published.status == Event.Status.PUBLISHED
    assert published.published_at is not None


def test_publishing_twice_is_refused(event):
    with pytest.raises(TransitionNotAllowed):
        publish_event(actor=SYSTEM, event=event)


def test_cancel_moves_a_published_event_to_cancelled(event):
    cancelled = cancel_event(actor=SYSTEM, event=event)

    assert cancelled.status == Event.Status.CANCELLED
    assert cancelled.cancelled_at is not None


def test_a_draft_cannot_be_cancelled(organization):
    event = EventFactory(organization=organization, status=Event.Status.DRAFT)

    with pytest.raises(TransitionNotAllowed):
        cancel_event(actor=SYSTEM, event=event)


def test_a_cancelled_event_cannot_be_published_again(event):
    cancel_event(actor=SYSTEM, event=event)

    with pytest.raises(TransitionNotAllowed):
        publish_event(actor=SYSTEM, event=event)


def test_a_directory_entry_is_nobodys_team(user):
    entry = create_directory_entry(actor=SYSTEM, name="Wilton Park", kind="other", country="GB")

    assert not entry.is_team
    assert not entry.memberships.exists()


def test_the_directory_refuses_a_second_entry_of_the_same_name(db):
    create_directory_entry(actor=SYSTEM, name="Wilton Park", kind="other")

    with pytest.raises(ValidationError) as refusal:
        create_directory_entry(actor=SYSTEM, name="wilton park", kind="think_tank")

    assert "already in the directory" in refusal.value.message_dict["name"][0]


def test_an_event_belongs_to_a_team_never_to_a_directory_entry(db):
    entry = OrganizationFactory()

    with pytest.raises(ValidationError) as refusal:
        create_event(actor=SYSTEM, organization=entry, **_fields())

    assert "organization" in refusal.value.message_dict
    assert not Event.objects.exists()
