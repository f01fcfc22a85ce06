"""The event's Log page on a phone and on a desktop: readable without sideways scrolling and
without a Content-Security-Policy violation. Screenshots go to $LOG_SCREENSHOTS when set."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from events.audit import Actor
from events.models import Event, Membership
from events.services import update_event
from invitations import services as invitations
from tests.browser.sessions import sign_in
from tests.factories import EventFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def logged_event(organization):
    manager = MembershipFactory(organization=organization, role=Membership.Role.MANAGER).user
    manager.first_name, manager.last_name = "Namie", "Di Razza"
    manager.save()
    event = EventFactory(
        organization=organization,
        title="Protection of Civilians: Briefing for Member States",
        visibility=Event.Visibility.INVITATION_ONLY,
        timezone="America/New_York",
    )
    actor = Actor.user(manager)
    update_event(
        actor=actor,
        event=event,
        venue_name="Conference Room 4, United Nations Headquarters",
        starts_at=event.starts_at + timedelta(hours=1),
        ends_at=event.ends_at + timedelta(hours=1),
    )
    result = invitations.invite(
        actor=actor,
        event=event,
        invitees=[
            invitations.Invitee(
                email="focal.point@mission-of-norway.example",
                first_name="Ingrid",
                last_name="Haugen",
                organization_name="Permanent Mission of Norway",
            ),
            invitations.Invitee(email="kofi@ghana-mission.example", first_name="Kofi"),
        ],
    )
    invitations.send_invitations(actor=actor, event=event, all_drafts=True)
    invitations.decline(
        actor=invitations.invitee_actor(result.created[0]),
        invitation=result.created[0],
        reason="Our delegation will be in Geneva that week.",
    )
    invitations.schedule_reminder(
        actor=actor, event=event, remind_at=timezone.now() + timedelta(days=2)
    )
    return event, manager


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_log_reads_on_a_phone_and_a_desktop(live_server, request, logged_event, device):
    event, manager = logged_event
    page = request.getfixturevalue(device)
    sign_in(page, live_server.url, manager)
    reported = []
    page.on("console", lambda message: reported.append(message.text))
    page.add_init_script(LISTEN)

    page.goto(f"{live_server.url}/workspace/events/{event.slug}/log/")

    assert page.get_by_role("heading", name="Log").is_visible()
    assert page.get_by_text("invitation.declined").is_visible()
    assert page.get_by_text("Ingrid Haugen").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    violations = page.evaluate("window.__cspViolations")
    assert violations + [t for t in reported if "Content Security Policy" in t] == []
    if folder := os.environ.get("LOG_SCREENSHOTS"):
        width = page.viewport_size["width"]
        page.screenshot(path=f"{folder}/log-{width}.png", full_page=True)
        page.goto(
            f"{live_server.url}/workspace/events/{event.slug}/log/?family=invitation&actor_kind=attendee"
        )
        page.screenshot(path=f"{folder}/log-filtered-{width}.png", full_page=True)

    page.get_by_label("Who", exact=True).select_option("attendee")
    page.get_by_role("button", name="Show").click()
    assert page.get_by_text("invitation.declined").is_visible()
    assert page.get_by_text("invitation.sent").count() == 0
