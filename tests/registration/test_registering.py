from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.audit import SYSTEM, Actor
from events.models import Event
from events.services import update_event
from notifications.models import Message
from registration import services
from registration.models import Question, Registration
from tests.factories import EventFactory, SessionFactory


def _kinds(registration):
    return list(
        Message.objects.filter(related_id=registration.pk)
        .order_by("id")
        .values_list("kind", flat=True)
    )


def test_registering_confirms_and_queues_the_confirmation(hybrid_event, register):
    registration = register(hybrid_event, email="Kristina.Zetterlund@Gov.SE")

    assert registration.status == Registration.Status.CONFIRMED
    assert registration.email == "kristina.zetterlund@gov.se"
    assert _kinds(registration) == ["registration_confirmed"]


def test_full_mode_waitlists_and_the_other_mode_still_confirms(hybrid_event, register):
    register(hybrid_event)
    register(hybrid_event)

    third = register(hybrid_event)
    online = register(hybrid_event, attendance_mode="virtual")

    assert third.status == Registration.Status.WAITLISTED
    assert _kinds(third) == ["registration_waitlisted"]
    assert online.status == Registration.Status.CONFIRMED


def test_full_event_without_waitlist_answers_full_and_writes_nothing(hybrid_event, register):
    hybrid_event.waitlist_enabled = False
    hybrid_event.save(update_fields=["waitlist_enabled"])
    register(hybrid_event)
    register(hybrid_event)

    with pytest.raises(services.RegistrationRefused, match="All in person places are taken"):
        register(hybrid_event, email="late@mission.example")

    assert not Registration.objects.filter(email="late@mission.example").exists()


def test_cancel_promotes_first_waitlisted_in_same_mode(hybrid_event, register):
    first = register(hybrid_event)
    register(hybrid_event)
    waiting_online_mode_irrelevant = register(hybrid_event, attendance_mode="virtual")
    next_in_line = register(hybrid_event)
    after_them = register(hybrid_event)

    services.cancel(actor=Actor.system("test"), registration=first)

    next_in_line.refresh_from_db()
    after_them.refresh_from_db()
    assert next_in_line.status == Registration.Status.CONFIRMED
    assert _kinds(next_in_line) == ["registration_waitlisted", "registration_promoted"]
    assert after_them.status == Registration.Status.WAITLISTED
    assert waiting_online_mode_irrelevant.status == Registration.Status.CONFIRMED


def test_larger_capacity_promotes_the_waitlist(hybrid_event, register):
    register(hybrid_event)
    register(hybrid_event)
    waiting = register(hybrid_event)

    update_event(actor=SYSTEM, event=hybrid_event, capacity_in_person=3)

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_switching_mode_needs_a_seat_in_the_new_mode_and_frees_the_old(hybrid_event, register):
    online = register(hybrid_event, attendance_mode="virtual")
    register(hybrid_event)
    register(hybrid_event)
    waiting = register(hybrid_event)

    with pytest.raises(services.RegistrationRefused, match="in person places are taken"):
        services.switch_mode(
            actor=Actor.system("test"), registration=online, attendance_mode="in_person"
        )
    in_person = Registration.objects.filter(attendance_mode="in_person", status="confirmed").first()
    services.switch_mode(
        actor=Actor.system("test"), registration=in_person, attendance_mode="virtual"
    )

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_delegation_cap_limits_confirmed_seats_per_organization(organization, register):
    event = EventFactory(organization=organization, seats_per_organization=2, capacity_in_person=50)
    register(event, organization_name="Permanent Mission of Ghana")
    register(event, organization_name="permanent mission of  ghana")

    with pytest.raises(services.RegistrationRefused, match="already holds its 2 seats"):
        register(event, organization_name="Permanent Mission of Ghana ")
    other = register(event, organization_name="Permanent Mission of Norway")

    assert other.status == Registration.Status.CONFIRMED


def test_approval_holds_registrations_as_pending_until_approved(organization, register):
    event = EventFactory(organization=organization, requires_approval=True, capacity_in_person=1)
    first = register(event)
    second = register(event)

    services.approve(actor=Actor.system("test"), registration=first)
    services.approve(actor=Actor.system("test"), registration=second)
    services.decline(
        actor=Actor.system("test"),
        registration=register(event),
        note="The room is for member states only.",
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Registration.Status.CONFIRMED
    assert second.status == Registration.Status.WAITLISTED
    assert _kinds(first) == ["registration_pending", "registration_confirmed"]


def test_only_pending_registrations_can_be_approved(hybrid_event, register):
    with pytest.raises(services.RegistrationRefused):
        services.approve(actor=Actor.system("test"), registration=register(hybrid_event))


def test_registering_twice_with_the_same_email_is_refused(hybrid_event, register):
    first = register(hybrid_event, email="delegate@mission.example")

    with pytest.raises(services.DuplicateRegistration) as duplicate:
        register(hybrid_event, email="DELEGATE@mission.example")

    assert duplicate.value.existing == first
    assert Registration.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_refused_duplicate_gives_back_its_seat_and_writes_nothing(hybrid_event, register):
    """Outside any caller's transaction, as the API registers: no savepoint to fall back on."""
    first = register(hybrid_event, email="delegate@mission.example")

    with pytest.raises(services.DuplicateRegistration) as duplicate:
        register(hybrid_event, email="delegate@mission.example")
    second = register(hybrid_event)

    assert duplicate.value.existing == first
    assert second.status == Registration.Status.CONFIRMED  # the refused one held no seat
    assert Registration.objects.count() == 2
    assert Message.objects.filter(kind="registration_confirmed").count() == 2


def test_link_reminder_goes_out_at_most_once_an_hour(hybrid_event, register):
    registration = register(hybrid_event)

    services.remind_link(registration)
    services.remind_link(registration)

    assert _kinds(registration).count("registration_link") == 1


def test_someone_who_cancelled_may_register_again(hybrid_event, register):
    first = register(hybrid_event, email="delegate@mission.example")
    services.cancel(actor=Actor.system("test"), registration=first)

    again = register(hybrid_event, email="delegate@mission.example")

    assert again.status == Registration.Status.CONFIRMED


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (dict(status=Event.Status.CANCELLED), "cancelled"),
        (dict(status=Event.Status.DRAFT), "not open"),
        (dict(registration_closes_at=timezone.now() - timedelta(hours=1)), "closed"),
        (dict(registration_opens_at=timezone.now() + timedelta(days=1)), "opens on"),
    ],
)
def test_closed_registration_is_refused_with_the_reason(hybrid_event, register, change, reason):
    Event.objects.filter(pk=hybrid_event.pk).update(**change)
    hybrid_event.refresh_from_db()

    with pytest.raises(services.RegistrationRefused, match=reason):
        register(hybrid_event)
    assert not Registration.objects.exists()


def test_hybrid_event_asks_for_a_mode(hybrid_event, register):
    with pytest.raises(ValidationError) as error:
        register(hybrid_event, attendance_mode="")

    assert "attendance_mode" in error.value.message_dict


def test_a_mode_the_event_does_not_offer_is_refused(organization, register):
    event = EventFactory(organization=organization, virtual=True)

    with pytest.raises(ValidationError) as error:
        register(event, attendance_mode="in_person")

    assert "attendance_mode" in error.value.message_dict


def test_consent_is_required(hybrid_event, register):
    with pytest.raises(ValidationError) as error:
        register(hybrid_event, consent=False)

    assert "consent" in error.value.message_dict
    assert not Registration.objects.exists()


def test_required_answers_are_enforced_and_choices_checked(hybrid_event, register):
    diet = Question.objects.create(event=hybrid_event, label="Dietary needs", kind="choice",
                                   choices=["None", "Vegetarian", "Halal"], required=True)  # fmt: skip

    with pytest.raises(ValidationError) as unanswered:
        register(hybrid_event, answers={})
    with pytest.raises(ValidationError) as wrong_choice:
        register(hybrid_event, answers={str(diet.pk): "Steak"})
    registration = register(hybrid_event, answers={str(diet.pk): "Halal"})

    assert registration.answers == {str(diet.pk): "Halal"}
    # Each error names its question by id, not by a label to parse back out of the message.
    [error] = unanswered.value.error_dict["answers"]
    assert (error.params, error.message) == (
        {"key": str(diet.pk)},
        "This question needs an answer.",
    )
    [error] = wrong_choice.value.error_dict["answers"]
    assert error.params == {"key": str(diet.pk)}
    assert error.message.startswith("Choose one of")


def test_unknown_session_is_refused(hybrid_event, register):
    with pytest.raises(ValidationError) as error:
        register(hybrid_event, sessions=[999_999])

    assert "sessions" in error.value.message_dict


def test_invitation_only_session_needs_an_invitation_that_opens_it(hybrid_event, register):
    lunch = SessionFactory(event=hybrid_event, invitation_only=True, capacity=1)
    grant = services.InvitationGrant(invitation_id=1, event_id=hybrid_event.pk, seats_left=1,
                                     session_ids=frozenset({lunch.pk}))  # fmt: skip

    with pytest.raises(ValidationError, match="by invitation only"):
        register(hybrid_event, sessions=[lunch.pk])
    guest = register(hybrid_event, sessions=[lunch.pk], grant=grant)

    assert list(guest.sessions.all()) == [lunch]


def test_full_session_is_refused_with_its_name(hybrid_event, register):
    lunch = SessionFactory(event=hybrid_event, title="Working lunch", capacity=1)
    register(hybrid_event, sessions=[lunch.pk])

    with pytest.raises(services.RegistrationRefused, match="Working lunch"):
        register(hybrid_event, sessions=[lunch.pk], attendance_mode="virtual")


def test_invitation_only_event_needs_a_grant(organization, register):
    event = EventFactory(organization=organization, visibility=Event.Visibility.INVITATION_ONLY)

    with pytest.raises(services.RegistrationRefused, match="by invitation only"):
        register(event)
    grant = services.InvitationGrant(invitation_id=7, event_id=event.pk, seats_left=1,
                                     locked_email="ambassador@mission.example")  # fmt: skip
    with pytest.raises(ValidationError, match="personal"):
        register(event, grant=grant)
    registration = register(event, grant=grant, email="Ambassador@mission.example")

    assert registration.invitation_id == 7


def test_event_cancellation_tells_active_registrants(hybrid_event, register, run_fanout_jobs):
    confirmed = register(hybrid_event)
    from events.services import cancel_event

    cancel_event(actor=SYSTEM, event=hybrid_event)
    run_fanout_jobs()

    assert "event_cancelled" in _kinds(confirmed)


def test_moving_the_event_tells_confirmed_registrants(hybrid_event, register, run_fanout_jobs):
    confirmed = register(hybrid_event)

    update_event(actor=SYSTEM, event=hybrid_event, venue_name="Trusteeship Council Chamber")
    run_fanout_jobs()

    assert "event_updated" in _kinds(confirmed)


def test_an_insert_refused_for_another_reason_is_not_called_a_duplicate(event, register):
    from unittest import mock

    from django.db import IntegrityError

    with (
        mock.patch.object(Registration, "save", side_effect=IntegrityError("event vanished")),
        pytest.raises(services.RegistrationRefused, match="could not be saved") as refused,
    ):
        register(event)

    assert not isinstance(refused.value, services.DuplicateRegistration)
    assert not Registration.objects.exists()
