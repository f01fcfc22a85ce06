"""The organizer's guest list on a phone and on a desktop."""

import pytest

from events.models import Event, Membership
from invitations.models import Invitation
from tests.factories import EventFactory, InvitationFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in(live_server, organization):
    user = MembershipFactory(organization=organization, role=Membership.Role.MANAGER).user

    def sign_in(page):
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("correct horse battery staple")
        page.get_by_role("button", name="Sign in").click()
        return page

    return sign_in


@pytest.fixture
def guest_event(organization):
    event = EventFactory(
        organization=organization, title="Protection of Civilians: Briefing for Member States",
        visibility=Event.Visibility.INVITATION_ONLY, seats_per_organization=2,
    )  # fmt: skip
    InvitationFactory(
        event=event, mission=True, seats=2, organization_name="Permanent Mission of Norway",
        email="focal.point@mission-of-norway.example", country="NO",
    )  # fmt: skip
    InvitationFactory(event=event, status="declined", decline_reason="In Geneva that week.")
    InvitationFactory(event=event, delivery="bounced", email="typo@mission-of-japan.example")
    return event


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_organizer_invites_pasted_addresses_and_sends_them(
    live_server, request, signed_in, guest_event, device
):
    page = signed_in(request.getfixturevalue(device))
    page.goto(f"{live_server.url}/workspace/events/{guest_event.slug}/invitations/")

    assert page.get_by_text("“In Geneva that week.”").is_visible()
    assert page.get_by_role("link", name="Correct the address and send again").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.get_by_role("link", name="Invite", exact=True).first.click()
    page.get_by_role("textbox", name="Addresses").fill("H.E. Ms. Anna Lindqvist <anna@gov.example>")
    page.get_by_label("Send the new invitations now").check()
    page.get_by_role("button", name="Invite", exact=True).click()

    assert page.get_by_text("1 invitation created.").is_visible()
    assert page.get_by_text("1 invitation is on its way.").is_visible()
    assert Invitation.objects.get(email="anna@gov.example").status == "sent"
