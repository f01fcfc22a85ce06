"""The organizer's guest list: inviting, correcting, revoking, and how each invitation stands."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.audit import SYSTEM, Actor
from events.services import TransitionNotAllowed
from invitations import selectors, services
from invitations.models import Contact, Invitation
from registration import services as registration_services
from tests.factories import EventFactory, InvitationFactory, SessionFactory

State = Invitation.State


def _state(invitation):
    return selectors.with_state(invitation).state


def _register(invitation, email=None, **fields):
    return services.register_by_invitation(actor=Actor.system("test"),
        token=invitation.token, event=invitation.event, email=email or invitation.email,
        first_name="Delegate", last_name=email or "One", consent=True, **fields,
    )  # fmt: skip


# --- Inviting ----------------------------------------------------------------------------------


def test_invite_creates_drafts_and_reports_addresses_invited_before(conference):
    earlier = InvitationFactory(event=conference, email="kofi@ghana.example")

    result = services.invite(
        actor=SYSTEM,
        event=conference,
        invitees=[
            services.Invitee(email="Kofi@Ghana.example"),
            services.Invitee(email="anna@gov.example", last_name="Lindqvist"),
        ],
    )

    assert [i.email for i in result.created] == ["anna@gov.example"]
    assert result.created[0].status == Invitation.Status.DRAFT
    assert result.existing == [earlier]
    assert Invitation.objects.filter(event=conference).count() == 2


def test_the_same_address_twice_in_one_request_is_invited_once(conference):
    result = services.invite(
        actor=SYSTEM,
        event=conference,
        invitees=[services.Invitee(email="a@x.example"), services.Invitee(email="A@x.example ")],
    )

    assert len(result.created) == 1
    assert Invitation.objects.count() == 1


def test_one_wrong_invitee_invites_nobody_and_says_which(conference):
    with pytest.raises(services.InviteesInvalid) as refusal:
        services.invite(
            actor=SYSTEM,
            event=conference,
            invitees=[
                services.Invitee(email="good@x.example"),
                services.Invitee(email="not an address"),
                services.Invitee(email="c@x.example", country="XX"),
            ],
        )

    assert set(refusal.value.errors) == {1, 2}
    assert "email" in refusal.value.errors[1]
    assert "country" in refusal.value.errors[2]
    assert not Invitation.objects.exists()


def test_an_invitation_with_more_seats_than_the_event_allows_per_organization_is_refused(
    conference,
):
    with pytest.raises(services.InviteesInvalid) as refusal:
        services.invite(
            actor=SYSTEM,
            event=conference,
            invitees=[services.Invitee(email="focal@sweden.example", seats=3, transferable=True)],
        )

    [message] = refusal.value.errors[0]["seats"]
    assert "at most 2 seats per organization" in message
    assert not Invitation.objects.exists()


def test_a_personal_invitation_cannot_hold_several_seats(conference):
    with pytest.raises(services.InviteesInvalid) as refusal:
        services.invite(
            actor=SYSTEM,
            event=conference,
            invitees=[services.Invitee(email="a@x.example", seats=2)],
        )

    assert "transferable" in refusal.value.errors[0]["seats"][0]


def test_invitations_open_the_sessions_given_and_only_the_events(conference, organization):
    lunch = conference.sessions.get()
    elsewhere = SessionFactory(event=EventFactory(organization=organization))

    with pytest.raises(services.InviteesInvalid):
        services.invite(
            actor=SYSTEM,
            event=conference,
            invitees=[services.Invitee(email="a@x.example", session_ids=(elsewhere.pk,))],
        )
    [invitation] = services.invite(
        actor=SYSTEM,
        event=conference,
        invitees=[services.Invitee(email="a@x.example", session_ids=(lunch.pk,))],
    ).created

    assert list(invitation.sessions.all()) == [lunch]


def test_an_expiry_in_the_past_is_refused(conference):
    with pytest.raises(services.InviteesInvalid):
        services.invite(
            actor=SYSTEM,
            event=conference,
            invitees=[
                services.Invitee(
                    email="a@x.example", expires_at=timezone.now() - timedelta(minutes=1)
                )
            ],
        )


def test_a_contact_is_invited_with_its_details_and_preferred_language(conference):
    contact = Contact.objects.create(
        team=conference.organization, email="jean@gouv.example", honorific="M.",
        first_name="Jean", last_name="Dupont", organization_name="Mission of France",
        country="FR", language="fr",
    )  # fmt: skip

    [invitation] = services.invite(
        actor=SYSTEM, event=conference, invitees=[services.Invitee.from_contact(contact)]
    ).created

    assert (invitation.contact, invitation.language, invitation.country.code) == (
        contact,
        "fr",
        "FR",
    )
    assert invitation.organization_name == "Mission of France"


# --- Correcting and revoking -------------------------------------------------------------------


def test_correcting_the_address_clears_the_bounce(conference):
    invitation = InvitationFactory(event=conference, delivery="bounced")

    services.update_invitation(actor=SYSTEM, invitation=invitation, email="new@mission.example")

    assert _state(invitation) == State.SENT


def test_an_address_already_on_the_list_cannot_be_taken_by_another_invitation(conference):
    InvitationFactory(event=conference, email="taken@mission.example")
    invitation = InvitationFactory(event=conference)

    with pytest.raises(ValidationError, match="already invited"):
        services.update_invitation(
            actor=SYSTEM, invitation=invitation, email="taken@mission.example"
        )


def test_seats_cannot_go_below_those_used(conference):
    invitation = InvitationFactory(event=conference, mission=True, seats=2)
    _register(invitation, "one@sweden.example")
    _register(invitation, "two@sweden.example")

    with pytest.raises(ValidationError, match="2 people are registered"):
        services.update_invitation(actor=SYSTEM, invitation=invitation, seats=1)


def test_a_revoked_invitation_is_revoked_once(conference):
    invitation = InvitationFactory(event=conference)
    services.revoke(actor=SYSTEM, invitation=invitation)

    with pytest.raises(TransitionNotAllowed):
        services.revoke(actor=SYSTEM, invitation=invitation)
    assert _state(invitation) == State.REVOKED


# --- How it stands -----------------------------------------------------------------------------


def test_registered_only_while_someone_stands_registered(conference):
    invitation = InvitationFactory(event=conference)
    registration = _register(invitation)
    assert _state(invitation) == State.REGISTERED

    registration_services.cancel(actor=Actor.system("test"), registration=registration)

    assert _state(invitation) == State.SENT
    assert selectors.with_state(invitation).seats_used == 0


def test_a_delivered_invitation_goes_back_to_delivered_when_its_registration_is_cancelled(
    conference,
):
    invitation = InvitationFactory(event=conference, delivery="delivered")
    registration_services.cancel(actor=Actor.system("test"), registration=_register(invitation))

    assert _state(invitation) == State.DELIVERED


def test_an_invitation_past_its_expiry_is_expired(conference):
    invitation = InvitationFactory(event=conference, expires_at=timezone.now() + timedelta(hours=1))
    assert _state(invitation) == State.SENT

    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert _state(invitation) == State.EXPIRED


def test_state_counts_cover_every_state(conference):
    InvitationFactory(event=conference, status="draft")
    InvitationFactory(event=conference, status="declined")
    _register(InvitationFactory(event=conference))

    counts = selectors.state_counts(conference)

    assert set(counts) == set(State.values)
    assert (counts["draft"], counts["declined"], counts["registered"], counts["sent"]) == (
        1,
        1,
        1,
        0,
    )


def test_the_funnel_counts_each_stage_and_by_organization(conference):
    ghana = {"organization_name": "Permanent Mission of Ghana", "country": "GH"}
    norway = {"organization_name": "Permanent Mission of Norway", "country": "NO"}
    _register(InvitationFactory(event=conference, **ghana))
    InvitationFactory(event=conference, status="declined", **ghana)
    InvitationFactory(event=conference, delivery="opened", **norway)
    InvitationFactory(event=conference, delivery="delivered", **norway)
    InvitationFactory(event=conference, delivery="bounced", **norway)
    InvitationFactory(event=conference, status="draft", **norway)
    InvitationFactory(event=conference, status="revoked", **norway)

    funnel = selectors.funnel(conference)

    assert {k: funnel[k] for k in ("total", "invited", "sent", "delivered", "opened")} == {
        "total": 7, "invited": 6, "sent": 5, "delivered": 4, "opened": 3,
    }  # fmt: skip
    assert (funnel["registered"], funnel["declined"], funnel["no_answer"]) == (1, 1, 3)
    assert (funnel["bounced"], funnel["draft"], funnel["revoked"]) == (1, 1, 1)
    by_organization = {
        row["organization"]: row for row in selectors.funnel_by(conference, "organization")
    }
    assert by_organization["Permanent Mission of Ghana"]["no_answer"] == 0
    assert by_organization["Permanent Mission of Norway"]["no_answer"] == 3
    # Missions still to answer come first.
    assert selectors.funnel_by(conference, "country")[0]["country"] == "NO"
