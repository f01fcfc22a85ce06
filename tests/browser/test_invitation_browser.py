import pytest

from events.models import Event
from invitations.models import Invitation
from registration.models import Registration
from tests.factories import EventFactory, InvitationFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mission_invitation(organization):
    event = EventFactory(
        organization=organization,
        title="Impact-Driven Peacekeeping Partnerships for Capacity Building and Training",
        format=Event.Format.HYBRID,
        visibility=Event.Visibility.INVITATION_ONLY,
        online_join_url="https://zoom.example.org/j/42",
        capacity_in_person=40,
    )
    lunch = SessionFactory(event=event, title="Working lunch", invitation_only=True)
    return InvitationFactory(
        event=event, mission=True, seats=2, email="focal@sweden-mission.example",
        organization_name="Permanent Mission of Sweden", country="SE", sessions=[lunch],
    )  # fmt: skip


def test_focal_point_registers_a_delegate_for_the_working_lunch_from_a_phone(
    live_server, phone, mission_invitation
):
    phone.goto(live_server.url + mission_invitation.get_absolute_url())

    assert phone.get_by_text("2 of 2 seats free").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_label("First name").fill("Kristina")
    phone.get_by_label("Last name").fill("Zetterlund")
    phone.get_by_label("Email", exact=True).fill("kristina@gov.example")
    phone.get_by_role("group", name="How will you attend?").get_by_label("In person").check()
    phone.get_by_label("Working lunch").check()
    phone.get_by_label("I agree that the organizers store these details").check()
    phone.get_by_role("button", name="Register").click()

    # Back on the invitation, to register the next delegate.
    assert phone.get_by_text("Kristina Zetterlund is registered.").is_visible()
    assert phone.get_by_role("heading", name="Register another delegate").is_visible()
    assert phone.get_by_text("1 of 2 seats free").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    registration = Registration.objects.get(email="kristina@gov.example")
    assert registration.organization_name == "Permanent Mission of Sweden"
    assert [session.title for session in registration.sessions.all()] == ["Working lunch"]

    phone.get_by_role("link", name="Decline the seat that is left").click()
    phone.get_by_role("button", name="Yes, decline").click()

    assert phone.get_by_text("The seats that were left on this invitation have been declined.")
    assert Registration.objects.get(email="kristina@gov.example").status == "confirmed"


def test_invitee_declines_from_a_phone(live_server, phone, organization):
    invitation = InvitationFactory(
        event=EventFactory(organization=organization, visibility=Event.Visibility.INVITATION_ONLY)
    )
    phone.goto(live_server.url + invitation.get_absolute_url())

    phone.get_by_role("link", name="Decline the invitation").click()
    phone.get_by_label("A word to the organizers").fill("I will be in Geneva that week.")
    phone.get_by_role("button", name="Yes, decline").click()

    assert phone.get_by_text("You have declined this invitation.").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert invitation.decline_reason == "I will be in Geneva that week."
