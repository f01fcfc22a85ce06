"""A mission's focal point, tried as a new user would: the seats that can really be used, one
delegate after another, who is registered, and declining the seats that are left."""

import pytest
from django.urls import reverse

from events.audit import Actor
from invitations import selectors, services
from invitations.models import Invitation
from registration.models import Registration
from tests.factories import InvitationFactory

SWEDEN = "Permanent Mission of Sweden"


def _url(invitation, action="invitation"):
    return reverse(f"invitations:{action}", args=[invitation.token])


def _delegate(number, **fields):
    return {
        "first_name": "Delegate", "last_name": f"Number {number}",
        "email": f"delegate{number}@sweden-mission.example", "organization_name": SWEDEN,
        "language": "en", "consent": "on",
    } | fields  # fmt: skip


@pytest.fixture
def mission(conference):
    """A two-seat invitation for Sweden's focal point; the event allows 2 per organization."""
    return InvitationFactory(
        event=conference, mission=True, seats=2, email="focal@sweden-mission.example",
        organization_name=SWEDEN, country="SE",
    )  # fmt: skip


def test_usable_seats_are_the_smaller_of_the_invitations_and_the_delegations(client, conference):
    # Made before the event lowered its limit, or in the admin: the service refuses it now.
    legacy = InvitationFactory(
        event=conference, mission=True, seats=3, organization_name=SWEDEN, country="SE"
    )

    seats = selectors.seats(legacy)

    assert (seats.left_on_invitation, seats.delegation_left, seats.usable) == (3, 2, 2)
    response_text = client.get(_url(legacy)).text
    assert "2 of 3 seats free" in response_text
    assert "at most 2 seats per organization, so 2 more can be registered" in response_text


def test_a_seat_taken_by_the_same_mission_elsewhere_counts_against_the_delegation(
    client, conference, mission
):
    ambassador = InvitationFactory(event=conference, organization_name=SWEDEN)
    services.register_by_invitation(actor=Actor.system("test"),
        token=ambassador.token, event=conference, email=ambassador.email, first_name="Anna",
        last_name="Lindqvist", organization_name=SWEDEN, consent=True,
    )  # fmt: skip

    response = client.get(_url(mission))

    assert selectors.seats(mission).usable == 1
    assert "1 of 2 seats free" in response.text


def test_after_each_delegate_the_focal_point_comes_back_to_register_another(client, mission):
    response = client.post(_url(mission), _delegate(1), follow=True)

    assert response.redirect_chain[-1][0] == _url(mission)
    assert "Delegate Number 1 is registered." in response.text
    assert "Register another delegate" in response.text
    assert "Registered with this invitation" in response.text
    assert "1 of 2 seats free" in response.text


def test_when_the_delegation_is_full_the_page_says_so_instead_of_refusing_later(client, conference):
    legacy = InvitationFactory(
        event=conference, mission=True, seats=3, organization_name=SWEDEN, country="SE"
    )
    for number in (1, 2):
        client.post(_url(legacy), _delegate(number))

    response = client.get(_url(legacy))

    assert "Your delegation holds the 2 seats this event allows per organization" in response.text
    assert 'name="first_name"' not in response.text
    assert Registration.objects.filter(invitation_id=legacy.pk).count() == 2


def test_the_focal_point_may_decline_the_seats_left_and_keeps_the_delegate(client, mission):
    client.post(_url(mission), _delegate(1))
    page = client.get(_url(mission, "decline"))
    assert "Decline the seat that is left?" in page.text

    client.post(_url(mission, "decline"), {"reason": "Our second delegate cannot travel."})

    mission.refresh_from_db()
    assert mission.status == Invitation.Status.DECLINED
    assert mission.decline_reason == "Our second delegate cannot travel."
    assert Registration.objects.get(invitation_id=mission.pk).status == "confirmed"
    assert selectors.with_state(mission).state == Invitation.State.REGISTERED
    assert selectors.seats(mission).usable == 0
    response = client.get(_url(mission))
    assert "The seats that were left on this invitation have been declined." in response.text
    assert 'name="first_name"' not in response.text


def test_a_personal_invitation_with_a_registration_still_cannot_be_declined(client, invitation):
    services.register_by_invitation(actor=Actor.system("test"),
        token=invitation.token, event=invitation.event, email=invitation.email,
        first_name="Kofi", last_name="Mensah", consent=True,
    )  # fmt: skip

    client.post(_url(invitation, "decline"), {"reason": "x"})

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT


def test_the_api_shows_the_usable_seats(conference):
    from rest_framework.test import APIClient

    legacy = InvitationFactory(
        event=conference, mission=True, seats=3, organization_name=SWEDEN, country="SE"
    )

    body = APIClient().get(f"/api/v1/invitations/{legacy.token}/").json()

    assert (body["seats"], body["seats_left"], body["seats_used"]) == (3, 2, 0)
