"""Registering through an invitation, declining it, and what its token opens."""

import pytest
from django.core.exceptions import ValidationError

from events.audit import SYSTEM, Actor
from events.services import TransitionNotAllowed
from invitations import selectors, services
from invitations.models import Invitation
from registration import services as registration_services
from registration.models import Registration
from tests.factories import EventFactory, InvitationFactory, SessionFactory


def test_token_opens_its_own_invitation(invitation):
    assert services.invitation_for_token(invitation.token) == invitation


@pytest.mark.parametrize(
    "token",
    ["", "garbage", ".", "12", "12.", ".secret", "x.secret", "²3.secret", "99999999999999999999.x"],
)
def test_garbled_token_opens_nothing(invitation, token):
    assert services.invitation_for_token(token) is None


def test_forged_secret_opens_nothing(invitation):
    forged = (
        f"{invitation.pk}.{invitation.secret[:-1]}{'A' if invitation.secret[-1] != 'A' else 'B'}"
    )

    assert services.invitation_for_token(forged) is None


def test_one_invitations_secret_does_not_open_another(invitation, mission_invitation):
    borrowed = f"{invitation.pk}.{mission_invitation.secret}"

    assert services.invitation_for_token(borrowed) is None


def test_revoked_invitation_is_found_only_to_say_it_was_withdrawn(invitation):
    services.revoke(actor=SYSTEM, invitation=invitation)

    found = services.invitation_for_token(invitation.token)

    assert found == invitation
    assert services.withdrawn_reason(found) == "This invitation has been withdrawn."


def test_token_carries_at_least_128_random_bits(invitation):
    # token_urlsafe: 6 bits a character.
    assert len(invitation.secret) * 6 >= 128
    assert invitation.secret != InvitationFactory(event=invitation.event).secret


def test_registering_with_the_token_confirms_and_marks_the_invitation_registered(
    invitation, delegate
):
    registration = services.register_by_invitation(
        actor=Actor.system("test"),
        token=invitation.token,
        event=invitation.event,
        **delegate(email="Kofi@Ghana-Mission.example"),
    )

    invitation.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.invitation_id == invitation.pk
    assert selectors.with_state(invitation).state == Invitation.State.REGISTERED
    assert invitation.responded_at is not None


def test_invitation_only_event_refuses_registration_without_an_invitation(private_event, register):
    with pytest.raises(registration_services.RegistrationRefused, match="by invitation only"):
        register(private_event)


def test_invitation_for_another_event_is_refused(invitation, delegate, organization):
    other_event = EventFactory(organization=organization)

    with pytest.raises(registration_services.RegistrationRefused, match="another event"):
        services.register_by_invitation(
            actor=Actor.system("test"),
            token=invitation.token,
            event=other_event,
            **delegate(email=invitation.email),
        )

    assert not Registration.objects.exists()


def test_wrong_token_is_refused_and_changes_nothing(invitation, delegate):
    with pytest.raises(registration_services.RegistrationRefused) as refusal:
        services.register_by_invitation(
            actor=Actor.system("test"),
            token=f"{invitation.pk}.not-the-secret",
            event=invitation.event,
            **delegate(),
        )

    assert refusal.value.field == "invitation_token"
    assert not Registration.objects.exists()


def test_personal_invitation_is_locked_to_its_email(invitation, delegate):
    with pytest.raises(ValidationError) as error:
        services.register_by_invitation(
            actor=Actor.system("test"),
            token=invitation.token,
            event=invitation.event,
            **delegate(email="friend@example.org"),
        )

    assert "email" in error.value.message_dict
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT
    assert not Registration.objects.exists()


def test_personal_invitation_registers_its_invitee_once(invitation, delegate):
    services.register_by_invitation(
        actor=Actor.system("test"),
        token=invitation.token,
        event=invitation.event,
        **delegate(email=invitation.email),
    )

    with pytest.raises(registration_services.RegistrationRefused):
        services.register_by_invitation(
            actor=Actor.system("test"),
            token=invitation.token,
            event=invitation.event,
            **delegate(email=invitation.email),
        )
    assert Registration.objects.count() == 1


def test_mission_invitation_registers_other_emails_up_to_its_seats(mission_invitation, delegate):
    for _seat in range(3):
        services.register_by_invitation(
            actor=Actor.system("test"),
            token=mission_invitation.token,
            event=mission_invitation.event,
            **delegate(),
        )

    with pytest.raises(registration_services.RegistrationRefused, match="seats"):
        services.register_by_invitation(
            actor=Actor.system("test"),
            token=mission_invitation.token,
            event=mission_invitation.event,
            **delegate(),
        )
    assert Registration.objects.filter(invitation_id=mission_invitation.pk).count() == 3
    assert selectors.seats_left(mission_invitation) == 0


def test_cancelled_registration_frees_the_invitations_seat(mission_invitation, delegate):
    registrations = [
        services.register_by_invitation(
            actor=Actor.system("test"),
            token=mission_invitation.token,
            event=mission_invitation.event,
            **delegate(),
        )
        for _seat in range(3)
    ]

    registration_services.cancel(actor=Actor.system("test"), registration=registrations[0])

    assert selectors.seats_left(mission_invitation) == 1
    services.register_by_invitation(
        actor=Actor.system("test"),
        token=mission_invitation.token,
        event=mission_invitation.event,
        **delegate(),
    )
    assert selectors.seats_left(mission_invitation) == 0


def test_a_delegate_the_organizer_declines_frees_the_missions_seat(mission_invitation, delegate):
    registrations = [
        services.register_by_invitation(
            actor=Actor.system("test"),
            token=mission_invitation.token,
            event=mission_invitation.event,
            **delegate(),
        )
        for _seat in range(3)
    ]

    registration_services.decline(
        actor=Actor.system("test"), registration=registrations[1], note="One seat per delegation."
    )

    assert selectors.seats_left(mission_invitation) == 1
    services.register_by_invitation(
        actor=Actor.system("test"),
        token=mission_invitation.token,
        event=mission_invitation.event,
        **delegate(),
    )
    assert selectors.seats_left(mission_invitation) == 0


def test_invitation_opens_its_invitation_only_session(private_event, delegate):
    lunch = SessionFactory(event=private_event, title="Working lunch", invitation_only=True)
    invitation = InvitationFactory(event=private_event, sessions=[lunch])

    registration = services.register_by_invitation(
        actor=Actor.system("test"),
        token=invitation.token,
        event=private_event,
        **delegate(email=invitation.email, sessions=[lunch.pk]),
    )

    assert list(registration.sessions.all()) == [lunch]


def test_invitation_does_not_open_sessions_it_does_not_name(invitation, delegate):
    lunch = SessionFactory(event=invitation.event, title="Working lunch", invitation_only=True)

    with pytest.raises(ValidationError) as error:
        services.register_by_invitation(
            actor=Actor.system("test"),
            token=invitation.token,
            event=invitation.event,
            **delegate(email=invitation.email, sessions=[lunch.pk]),
        )

    assert "sessions" in error.value.message_dict


def test_invitation_language_is_used_when_the_registrant_gives_none(private_event, delegate):
    invitation = InvitationFactory(event=private_event, language="fr")

    registration = services.register_by_invitation(
        actor=Actor.system("test"),
        token=invitation.token,
        event=private_event,
        **delegate(email=invitation.email),
    )

    assert registration.language == "fr"


def test_decline_records_the_reason(invitation):
    services.decline(
        actor=SYSTEM, invitation=invitation, reason="  Travelling to Geneva that week. "
    )

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert invitation.decline_reason == "Travelling to Geneva that week."
    assert invitation.responded_at is not None


def test_declined_invitation_registers_nobody(invitation, delegate):
    services.decline(actor=SYSTEM, invitation=invitation)

    with pytest.raises(registration_services.RegistrationRefused, match="declined"):
        services.register_by_invitation(
            actor=Actor.system("test"),
            token=invitation.token,
            event=invitation.event,
            **delegate(email=invitation.email),
        )
    assert not Registration.objects.exists()


def test_declining_twice_is_refused(invitation):
    services.decline(actor=SYSTEM, invitation=invitation)

    with pytest.raises(TransitionNotAllowed):
        services.decline(actor=SYSTEM, invitation=invitation)


def test_declining_after_registering_is_refused(invitation, delegate):
    services.register_by_invitation(
        actor=Actor.system("test"),
        token=invitation.token,
        event=invitation.event,
        **delegate(email=invitation.email),
    )

    with pytest.raises(TransitionNotAllowed, match="already registered"):
        services.decline(actor=SYSTEM, invitation=invitation)
    assert selectors.with_state(invitation).state == Invitation.State.REGISTERED


def test_revoked_invitation_registers_nobody(invitation, delegate):
    services.revoke(actor=SYSTEM, invitation=invitation)

    with pytest.raises(registration_services.RegistrationRefused):
        services.register_by_invitation(
            actor=Actor.system("test"),
            token=invitation.token,
            event=invitation.event,
            **delegate(email=invitation.email),
        )


def test_personal_invitation_cannot_hold_several_seats(private_event):
    invitation = InvitationFactory.build(event=private_event, seats=2, transferable=False)

    with pytest.raises(ValidationError) as error:
        invitation.full_clean()

    assert "seats" in error.value.message_dict


def test_invitation_addressed_to_a_mission_has_no_personal_name(private_event):
    invitation = InvitationFactory.build(
        event=private_event, honorific="H.E. Mr.", first_name="", last_name=""
    )

    assert invitation.full_name == ""
