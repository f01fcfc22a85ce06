"""Every invitations service that changes something writes one log entry per object changed,
with the actor its caller handed it: the organizer, the invitee through their link, the beat."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.audit import Actor
from events.models import LogEntry
from invitations import services, tasks
from invitations.models import Invitation, ReminderSchedule
from tests.factories import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    return UserFactory(first_name="Namie", last_name="Di Razza")


@pytest.fixture
def actor(organizer):
    return Actor.user(organizer)


def entries(**filters):
    return list(LogEntry.objects.filter(**filters).order_by("id"))


def test_inviting_logs_one_entry_per_invitation_created_and_none_for_one_already_there(
    conference, actor
):
    InvitationFactory(event=conference, email="taken@mission.example")
    people = ["a@mission.example", "b@mission.example", "taken@mission.example"]

    result = services.invite(
        actor=actor, event=conference, invitees=[services.Invitee(email=e) for e in people]
    )

    logged = entries(action="invitation.created")
    assert sorted(int(e.object_id) for e in logged) == sorted(i.pk for i in result.created)
    assert len(logged) == 2
    assert {(e.actor_kind, e.actor_name, e.event_id) for e in logged} == {
        ("user", "Namie Di Razza", conference.pk)
    }
    assert {e.data["email"] for e in logged} == {"a@mission.example", "b@mission.example"}


def test_correcting_an_invitation_logs_the_fields_that_changed_and_nothing_when_none_did(
    invitation, actor
):
    services.update_invitation(actor=actor, invitation=invitation, first_name=invitation.first_name)
    assert not entries()

    services.update_invitation(actor=actor, invitation=invitation, email="kofi@ghana.example")

    (entry,) = entries()
    assert entry.action == "invitation.updated"
    assert entry.data == {
        "email": {"from": "kofi@ghana-mission.example", "to": "kofi@ghana.example"}
    }


def test_revoking_logs_the_status_change(invitation, actor):
    services.revoke(actor=actor, invitation=invitation)

    (entry,) = entries()
    assert (entry.action, entry.object_type, entry.object_id) == (
        "invitation.revoked",
        "invitation",
        str(invitation.pk),
    )
    assert entry.data == {"status": {"from": "sent", "to": "revoked"}}


def test_sending_logs_one_entry_per_invitation_sent(conference, actor):
    drafts = [
        InvitationFactory(event=conference, status=Invitation.Status.DRAFT, times_sent=0)
        for _ in range(3)
    ]

    services.send_invitations(actor=actor, event=conference, all_drafts=True)

    logged = entries(action="invitation.sent")
    assert sorted(int(e.object_id) for e in logged) == sorted(i.pk for i in drafts)
    assert {(e.actor_kind, e.actor_name) for e in logged} == {("user", "Namie Di Razza")}
    assert {e.data["times_sent"] for e in logged} == {1}


def test_a_large_send_logs_in_the_name_of_the_organizer_who_asked(
    conference, actor, monkeypatch, django_capture_on_commit_callbacks
):
    from invitations.services import sending

    monkeypatch.setattr(sending, "INLINE_LIMIT", 1)
    handed = []
    monkeypatch.setattr(
        tasks.send_invitations, "apply_async", lambda kwargs, **options: handed.append(kwargs)
    )
    for _ in range(3):
        InvitationFactory(event=conference, status=Invitation.Status.DRAFT, times_sent=0)

    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(actor=actor, event=conference, all_drafts=True)
    assert not entries()
    tasks.send_invitations.run(**handed[0])

    logged = entries(action="invitation.sent")
    assert len(logged) == 3
    assert {(e.actor_kind, e.actor_name) for e in logged} == {("user", "Namie Di Razza")}


def test_resending_logs_once(invitation, actor):
    services.resend(actor=actor, invitation=invitation)

    (entry,) = entries()
    assert entry.action == "invitation.resent"
    assert entry.data == {"times_sent": invitation.times_sent + 1}


def test_reminding_logs_one_entry_per_invitation_reminded(conference, actor):
    invitations = [InvitationFactory(event=conference) for _ in range(2)]

    services.remind(actor=actor, event=conference)

    logged = entries(action="invitation.reminded")
    assert sorted(int(e.object_id) for e in logged) == sorted(i.pk for i in invitations)


def test_scheduling_a_reminder_logs_the_date_and_the_same_date_again_logs_nothing(
    conference, actor
):
    remind_at = timezone.now() + timedelta(days=2)

    services.schedule_reminder(actor=actor, event=conference, remind_at=remind_at)
    services.schedule_reminder(actor=actor, event=conference, remind_at=remind_at)

    (entry,) = entries()
    assert (entry.action, entry.object_type, entry.event_id) == (
        "reminder.scheduled",
        "reminderschedule",
        conference.pk,
    )
    assert entry.data["remind_at"]["from"] is None
    assert entry.data["remind_at"]["to"].startswith(str(remind_at.year))


def test_the_beats_scheduled_reminders_are_logged_as_the_system(conference):
    invitation = InvitationFactory(event=conference)
    ReminderSchedule.objects.create(
        event=conference, remind_at=timezone.now() - timedelta(minutes=1)
    )

    tasks.send_scheduled_reminders.run()

    (entry,) = entries()
    assert (entry.action, entry.object_id) == ("invitation.reminded", str(invitation.pk))
    assert (entry.actor_kind, entry.actor_name) == ("system", "scheduled reminders")


def test_an_invitee_declining_through_their_link_is_logged_as_the_attendee(client, invitation):
    client.post(reverse("invitations:decline", args=[invitation.token]), {"reason": "In Geneva."})

    (entry,) = entries()
    assert (entry.actor_kind, entry.actor_name, entry.actor_user) == (
        "attendee",
        "Kofi Mensah",
        None,
    )
    assert entry.action == "invitation.declined"
    assert entry.data == {
        "status": {"from": "sent", "to": "declined"},
        "decline_reason": {"from": "", "to": "In Geneva."},
    }


def test_an_invitee_declining_through_the_api_is_logged_as_the_attendee(client, invitation):
    from rest_framework.test import APIClient

    APIClient().post(f"/api/v1/invitations/{invitation.token}/decline/", {}, format="json")

    (entry,) = entries()
    assert (entry.actor_kind, entry.actor_name, entry.action) == (
        "attendee",
        "Kofi Mensah",
        "invitation.declined",
    )
