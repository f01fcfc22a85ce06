"""Every change to a registration writes one audit entry, with who made it."""

import json

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.audit import Actor
from events.models import LogEntry
from notifications.models import Message
from registration import attendance, checkin, services
from registration.models import AttendanceMode, Registration, SeatCounter
from tests.factories import EventFactory

from .test_followup import after_the_event, audience  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

ANA = Actor.attendee("Ana Delegate")


def _entries():
    return list(LogEntry.objects.order_by("id").values_list("action", "actor_kind", "actor_name"))


@pytest.fixture
def manager_actor(manager):
    return Actor.user(manager)


def test_registering_logs_one_created_entry_by_the_attendee(event, register):
    registration = register(event, actor=ANA)

    entry = LogEntry.objects.get()
    assert (entry.action, entry.actor_kind, entry.actor_name) == (
        "registration.created",
        "attendee",
        "Ana Delegate",
    )
    assert (entry.object_type, entry.object_id, entry.event) == (
        "registration",
        str(registration.pk),
        event,
    )
    assert entry.data == {"status": "confirmed", "attendance_mode": "in_person"}


def test_approving_logs_one_entry_by_the_organizer(organization, register, manager_actor):
    event = EventFactory(organization=organization, requires_approval=True)
    registration = register(event)
    LogEntry.objects.all().delete()

    services.approve(registration=registration, actor=manager_actor)

    assert _entries() == [("registration.approved", "user", manager_actor.name)]


@pytest.mark.parametrize(
    ("service", "action"),
    [(services.decline, "registration.declined"), (services.cancel, "registration.cancelled")],
)
def test_declining_and_cancelling_log_one_entry(event, register, manager_actor, service, action):
    registration = register(event)
    LogEntry.objects.all().delete()

    service(registration=registration, actor=manager_actor, note="Sorry")

    assert _entries() == [(action, "user", manager_actor.name)]
    assert LogEntry.objects.get().data == {"from": "confirmed", "note": "Sorry"}


def test_a_freed_seat_logs_the_promotion_as_the_systems(organization, register):
    event = EventFactory(organization=organization, capacity_in_person=1, waitlist_enabled=True)
    leaving = register(event)
    waiting = register(event)
    LogEntry.objects.all().delete()

    services.cancel(registration=leaving, actor=ANA)

    assert _entries() == [
        ("registration.cancelled", "attendee", "Ana Delegate"),
        ("registration.promoted", "system", "waitlist"),
    ]
    assert LogEntry.objects.order_by("id").last().object_id == str(waiting.pk)


def test_switching_mode_logs_one_entry(hybrid_event, register):
    registration = register(hybrid_event, attendance_mode=AttendanceMode.IN_PERSON)
    LogEntry.objects.all().delete()

    services.switch_mode(registration=registration, actor=ANA, attendance_mode="virtual")

    assert _entries() == [("registration.mode_switched", "attendee", "Ana Delegate")]
    assert LogEntry.objects.get().data == {
        "attendance_mode": {"from": "in_person", "to": "virtual"}
    }


def test_checking_in_logs_one_entry_and_a_second_scan_none(event, register, manager_actor):
    registration = register(event)
    LogEntry.objects.all().delete()

    checkin.check_in_registration(registration=registration, actor=manager_actor)
    checkin.check_in_registration(registration=registration, actor=manager_actor)

    assert _entries() == [("registration.checked_in", "user", manager_actor.name)]


def test_an_attendance_import_logs_one_entry_on_the_event(organization, register, manager_actor):
    event = EventFactory(organization=organization, virtual=True)
    register(event, email="a@mission.example")
    register(event, email="b@mission.example")
    LogEntry.objects.all().delete()

    attendance.mark_attended(
        event=event, emails=["a@mission.example", "b@mission.example"], actor=manager_actor
    )

    entry = LogEntry.objects.get()
    assert (entry.action, entry.object_type, entry.data) == (
        "registration.attendance_imported",
        "event",
        {"marked": 2},
    )


def test_correcting_details_logs_the_changed_fields(event, register, manager_actor):
    registration = register(event, first_name="Kristna")
    LogEntry.objects.all().delete()

    registration = services.update_details(
        registration=registration, actor=manager_actor, first_name="Kristina"
    )

    entry = LogEntry.objects.get()
    assert (entry.action, entry.actor_name) == ("registration.updated", manager_actor.name)
    assert "first_name" in entry.data
    assert registration.first_name == "Kristina"


def test_the_public_api_logs_the_registrant_as_the_actor(event):
    body = {"email": "ana@mission.example", "first_name": "Ana", "last_name": "Delegate",
            "consent": True}  # fmt: skip

    response = APIClient().post(
        f"/api/v1/events/{event.slug}/registrations/", json.dumps(body),
        content_type="application/json",
    )  # fmt: skip

    assert response.status_code == 201
    assert _entries() == [("registration.created", "attendee", "Ana Delegate")]


def test_an_organizers_api_decision_logs_their_token(manager, event, register):
    registration = register(event)
    LogEntry.objects.all().delete()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=manager).key}")

    response = client.post(
        f"/api/v1/events/{event.slug}/registrations/{registration.pk}/cancel/", {}, format="json"
    )

    assert response.status_code == 200
    assert _entries() == [("registration.cancelled", "token", Actor.user(manager).name)]


def test_cancelling_through_the_manage_link_logs_the_attendee(client, event, register):
    registration = register(event, first_name="Ana", last_name="Delegate")
    LogEntry.objects.all().delete()

    client.post(reverse("registration:cancel", args=[registration.manage_token]))

    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert _entries() == [("registration.cancelled", "attendee", "Ana Delegate")]


def test_a_waitlisted_registration_is_logged_and_told_as_waitlisted(organization, register):
    """The seat is taken last; when the mode is full the rows written become a waitlisted one's."""
    event = EventFactory(organization=organization, capacity_in_person=1, waitlist_enabled=True)
    register(event)

    waiting = register(event, actor=ANA)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.confirmed_at) == ("waitlisted", None)
    entry = LogEntry.objects.order_by("id").last()
    assert (entry.object_id, entry.data["status"]) == (str(waiting.pk), "waitlisted")
    assert list(
        Message.objects.filter(related_id=waiting.pk).values_list("kind", "dedupe_key")
    ) == [("registration_waitlisted", f"registration_waitlisted:registration:{waiting.pk}")]
    assert SeatCounter.objects.get(event=event, key="mode:in_person").taken == 1


def test_the_beats_reminders_log_one_entry_per_reminder_sent_by_the_system(briefing, register, at):
    from registration import reminders

    from .reminder_helpers import DAY, MINUTE

    register(briefing)
    register(briefing)
    LogEntry.objects.all().delete()

    at(-7 * DAY + MINUTE)
    reminders.send_due()
    reminders.send_due()  # nothing more is due: nothing more is logged

    entry = LogEntry.objects.get()
    assert (entry.action, entry.actor_kind, entry.actor_name) == (
        "reminder.sent",
        "system",
        "scheduled reminders",
    )
    assert entry.event == briefing
    assert entry.data == {"reminder": "P7D", "messages": 2}


@pytest.mark.usefixtures("after_the_event")
def test_a_follow_up_asked_for_logs_its_job_by_the_person_who_asked(briefing, manager):
    from registration import followup

    LogEntry.objects.all().delete()

    followup.start(event=briefing, requested_by=manager)

    entry = LogEntry.objects.get()
    assert (entry.action, entry.actor_kind, entry.actor_user_id) == (
        "fanout_job.started",
        "user",
        manager.pk,
    )
    assert entry.object_type == "fanoutjob"
    assert entry.data["job"] == "followup"


@pytest.mark.usefixtures("after_the_event")
def test_an_automatic_follow_up_logs_its_job_as_the_system(briefing):
    from registration import followup

    LogEntry.objects.all().delete()

    followup.start(event=briefing, automatic=True)

    entry = LogEntry.objects.get()
    assert (entry.action, entry.actor_kind) == ("fanout_job.started", "system")
    assert entry.actor_name  # the job's own description, e.g. "Sending the follow-up"


def test_a_reminder_sent_now_logs_its_job_and_a_cancelled_events_notices_log_nothing_more(
    briefing, register, manager, at
):
    from events.services import cancel_event
    from registration import reminders

    from .reminder_helpers import DAY

    register(briefing)
    at(-2 * DAY)
    LogEntry.objects.all().delete()

    reminders.send_now(event=briefing, key="P1D", requested_by=manager)
    cancel_event(actor=Actor.user(manager), event=briefing)

    assert _entries() == [
        ("fanout_job.started", "user", Actor.user(manager).name),
        ("event.cancelled", "user", Actor.user(manager).name),
    ]
