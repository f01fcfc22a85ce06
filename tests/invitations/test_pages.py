"""The invitee's pages: the invitation with its registration form, and declining."""

import pytest
from django.urls import reverse

from events.audit import Actor
from invitations import selectors, services
from invitations.models import Invitation
from registration.models import Registration
from tests.factories import EventFactory, InvitationFactory, SessionFactory


def _url(invitation, action="invitation", token=None):
    return reverse(f"invitations:{action}", args=[token or invitation.token])


def _form(**fields):
    data = {
        "first_name": "Kofi",
        "last_name": "Mensah",
        "email": "kofi@ghana-mission.example",
        "language": "en",
        "consent": "on",
    }
    return {name: value for name, value in (data | fields).items() if value is not None}


def test_invitation_page_greets_the_invitee_and_fills_in_the_form(client, invitation):
    response = client.get(_url(invitation))

    assert response.status_code == 200
    assert "Impact-Driven Peacekeeping Partnerships" in response.text
    assert "You are invited, H.E. Mr. Kofi Mensah" in response.text
    assert "A half-day conference followed by a working lunch." in response.text
    assert response.context["form"]["email"].value() == "kofi@ghana-mission.example"
    assert response.context["form"]["organization_name"].value() == "Permanent Mission of Ghana"
    assert 'name="email"' in response.text and "readonly" in response.text


def test_invitation_page_is_private(client, invitation):
    response = client.get(_url(invitation))

    assert response["Referrer-Policy"] == "strict-origin"
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in response.text


def test_mission_invitation_shows_seats_left_and_leaves_the_delegate_blank(
    client, mission_invitation, delegate
):
    services.register_by_invitation(
        actor=Actor.system("test"),
        token=mission_invitation.token,
        event=mission_invitation.event,
        **delegate(),
    )

    response = client.get(_url(mission_invitation))

    assert "2 of 3 seats free" in response.text
    assert "About the delegate" in response.text
    assert response.context["form"]["email"].value() is None
    assert response.context["form"]["organization_name"].value() == "Permanent Mission of Sweden"


@pytest.mark.parametrize("token", ["garbage", "1.", "999.abc", "²1.abc"])
def test_unknown_or_garbled_token_is_404(client, invitation, token):
    assert client.get(_url(invitation, token=token)).status_code == 404
    assert client.get(_url(invitation, "decline", token=token)).status_code == 404


def test_forged_secret_is_404(client, invitation):
    assert client.get(_url(invitation, token=f"{invitation.pk}.{'x' * 32}")).status_code == 404


def test_revoked_invitation_says_so_and_gives_the_organizers_address(client, invitation):
    invitation.event.contact_email = "events@ipinst.example"
    invitation.event.save()
    invitation.status = Invitation.Status.REVOKED
    invitation.save()

    response = client.get(_url(invitation))

    assert response.status_code == 410
    assert "This invitation has been withdrawn." in response.text
    assert 'href="mailto:events@ipinst.example"' in response.text
    assert "<form" not in response.text.split("<main")[1].split("</main>")[0]


def test_invitation_to_a_draft_event_is_404(client, organization):
    invitation = InvitationFactory(event=EventFactory(organization=organization, draft=True))

    assert client.get(_url(invitation)).status_code == 404


def test_registering_through_the_page_confirms_and_marks_the_invitation(client, invitation):
    response = client.post(_url(invitation), _form(), follow=True)

    registration = Registration.objects.get(email="kofi@ghana-mission.example")
    assert response.redirect_chain == [
        (reverse("registration:registered", args=[invitation.event.slug]), 302)
    ]
    assert "You are registered" in response.text
    assert registration.invitation_id == invitation.pk
    assert selectors.with_state(invitation).state == Invitation.State.REGISTERED


def test_personal_invitation_page_refuses_another_address(client, invitation):
    response = client.post(_url(invitation), _form(email="friend@example.org"))

    assert response.status_code == 200
    assert "register with the address it was sent to" in response.text
    assert not Registration.objects.exists()


def test_page_says_when_the_invitee_is_registered(client, invitation):
    client.post(_url(invitation), _form())

    response = client.get(_url(invitation))

    assert "You are registered with this invitation." in response.text
    assert "form" not in response.context
    assert "Decline the invitation" not in response.text


def test_full_mission_invitation_page_shows_no_form(client, mission_invitation):
    for number in range(3):
        client.post(_url(mission_invitation), _form(email=f"d{number}@sweden.example"))

    response = client.get(_url(mission_invitation))

    assert Registration.objects.filter(invitation_id=mission_invitation.pk).count() == 3
    assert "All 3 seats of this invitation are taken." in response.text
    assert "form" not in response.context


def test_page_opens_the_sessions_the_invitation_names(client, private_event):
    lunch = SessionFactory(event=private_event, title="Working lunch", invitation_only=True)
    dinner = SessionFactory(event=private_event, title="Closed dinner", invitation_only=True)
    invitation = InvitationFactory(event=private_event, sessions=[lunch])

    response = client.post(
        _url(invitation), _form(email=invitation.email, sessions=[str(lunch.pk)]), follow=True
    )

    assert response.status_code == 200
    registration = Registration.objects.get(email=invitation.email)
    assert list(registration.sessions.all()) == [lunch]
    widget = client.get(_url(InvitationFactory(event=private_event, sessions=[lunch])))
    assert widget.context["form"].fields["sessions"].widget.closed == {str(dinner.pk)}


def test_decline_page_get_changes_nothing(client, invitation):
    response = client.get(_url(invitation, "decline"))

    assert response.status_code == 200
    assert "Yes, decline" in response.text
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT


def test_decline_page_post_declines_with_the_reason(client, invitation):
    response = client.post(
        _url(invitation, "decline"), {"reason": "I will be in Geneva."}, follow=True
    )

    assert response.redirect_chain == [(_url(invitation), 302)]
    assert "you have declined" in response.text
    assert "You have declined this invitation." in response.text
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert invitation.decline_reason == "I will be in Geneva."


def test_decline_page_refuses_a_reason_too_long(client, invitation):
    response = client.post(_url(invitation, "decline"), {"reason": "x" * 2001})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT


def test_decline_page_after_registering_says_to_cancel_instead(client, invitation):
    client.post(_url(invitation), _form())

    response = client.post(_url(invitation, "decline"), follow=True)

    assert "Someone is already registered with this invitation." in response.text
    assert selectors.with_state(invitation).state == Invitation.State.REGISTERED
