"""Invited guests who never registered may be included in the follow-up, with their own wording
and the material for everyone only; registration asks through a signal, never importing us."""

import ast
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail

from events.models import Resource
from invitations.models import Invitation
from notifications import services as outbox
from notifications.models import Message, Suppression
from registration import followup
from registration.models import Registration
from tests.factories import EventFactory, InvitationFactory, ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended_event(organization, time_machine):
    event = EventFactory(organization=organization, title="Peacekeeping in Africa")
    time_machine.move_to(event.ends_at + timedelta(days=1))
    return event


@pytest.fixture
def invited(ended_event):
    """Invitations in every state, and who registered with which."""
    statuses = ["sent", "sent", "sent", "draft", "declined", "bounced", "revoked", "sent"]
    people = [
        InvitationFactory(
            event=ended_event,
            status="sent" if status == "bounced" else status,
            delivery=Invitation.Delivery.BOUNCED if status == "bounced" else "",
            email=f"guest{n}@mission.example",
        )
        for n, status in enumerate(statuses)
    ]
    # guest1 registered with their own address (and cancelled later: they did register);
    # guest2's mission seat was used by a delegate with another address.
    Registration.objects.create(
        event=ended_event, email="guest1@mission.example", first_name="G", last_name="One",
        attendance_mode="in_person", status="cancelled", consent_at=ended_event.created_at,
    )  # fmt: skip
    Registration.objects.create(
        event=ended_event, email="delegate@mission.example", first_name="D", last_name="Two",
        attendance_mode="in_person", status="confirmed", consent_at=ended_event.created_at,
        invitation_id=people[2].pk,
    )  # fmt: skip
    Suppression.objects.create(email="guest7@mission.example", reason="unsubscribed")
    return people


def test_only_invitees_who_never_registered_and_can_be_reached_are_included(
    ended_event, invited, run_fanout_jobs
):
    started = followup.start(event=ended_event, include_invitees=True)
    run_fanout_jobs()

    assert started.invited == 1
    rows = Message.objects.filter(kind="followup_invited")
    assert list(rows.values_list("to_email", flat=True)) == ["guest0@mission.example"]
    assert rows.get().dedupe_key == f"followup:invitation:{invited[0].pk}"


def test_without_the_option_no_invitee_hears_anything(ended_event, invited, run_fanout_jobs):
    followup.start(event=ended_event, include_invitees=False)
    run_fanout_jobs()

    assert not Message.objects.filter(kind="followup_invited").exists()


def test_invitees_get_their_own_wording_and_only_the_material_for_everyone(
    ended_event, invited, run_fanout_jobs, settings
):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    ResourceFactory(event=ended_event, kind=Resource.Kind.RECORDING)
    ResourceFactory(
        event=ended_event, kind=Resource.Kind.SLIDES, title="Speakers' slides",
        audience=Resource.Audience.REGISTRANTS,
    )  # fmt: skip
    followup.start(event=ended_event, include_invitees=True)
    run_fanout_jobs()
    followup.start(event=ended_event, include_invitees=True)  # asked twice: still one each
    run_fanout_jobs()

    with mock.patch.object(outbox, "queue_for_sending"):
        ids = list(Message.objects.filter(kind="followup_invited").values_list("pk", flat=True))
    outbox.send_messages(ids)

    [sent] = mail.outbox
    assert sent.subject == "In case you missed it: Peacekeeping in Africa"
    assert "You were invited to this event" in sent.body
    assert "Watch the full event video" in sent.body
    assert "Speakers' slides" not in sent.body
    assert sent.extra_headers["List-Unsubscribe"].startswith("<http")
    assert "were invited to this event" in sent.alternatives[0][0]


def test_the_organizer_sees_how_many_invitees_it_would_reach(ended_event, invited):
    assert followup.invitee_count(ended_event) == 1
    assert Invitation.objects.filter(event=ended_event).count() == 8


def test_registration_never_imports_invitations():
    """The layering: events <- notifications <- registration <- invitations."""
    root = Path(__file__).resolve().parents[2] / "registration"
    for module in root.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            names = (
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            )  # fmt: skip
            assert not any(name.split(".")[0] == "invitations" for name in names), module
