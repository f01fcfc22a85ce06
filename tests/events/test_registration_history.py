"""A registration's history for organizers: its own log entries and those of the invitation it
came through, and nothing of anyone else's."""

import pytest
from django.urls import reverse
from django.utils import timezone

from events.audit import SYSTEM, Actor, log_action
from events.models import Membership
from registration.models import Registration
from tests.factories import EventFactory, InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def make_registration(event, invitation=None, email="ana.ruiz@mission.example"):
    return Registration.objects.create(
        event=event,
        invitation_id=getattr(invitation, "pk", None),
        email=email,
        first_name="Ana",
        last_name="Ruiz",
        status=Registration.Status.CONFIRMED,
        consent_at=timezone.now(),
    )


def history_url(registration):
    return reverse(
        "workspace:registration_history",
        kwargs={"slug": registration.event.slug, "registration_id": registration.pk},
    )


@pytest.fixture
def viewer_client(client, organization):
    client.force_login(
        MembershipFactory(organization=organization, role=Membership.Role.VIEWER).user
    )
    return client


def test_the_history_shows_the_registration_and_its_invitation_but_no_one_else(
    viewer_client, organization
):
    event = EventFactory(organization=organization)
    invitation = InvitationFactory(event=event)
    registration = make_registration(event, invitation)
    someone_else = make_registration(event, email="other@mission.example")
    log_action(actor=SYSTEM, action="invitation.sent", obj=invitation)
    log_action(
        actor=Actor.attendee("Ana Ruiz"),
        action="registration.created",
        obj=registration,
        data={"status": {"from": None, "to": "confirmed"}},
    )
    log_action(actor=SYSTEM, action="registration.cancelled", obj=someone_else)

    html = viewer_client.get(history_url(registration)).content.decode()

    assert "invitation.sent" in html
    assert "registration.created" in html
    assert "registration.cancelled" not in html
    assert html.index("registration.created") < html.index("invitation.sent")  # newest first


def test_a_registration_without_entries_says_so(viewer_client, organization):
    registration = make_registration(EventFactory(organization=organization))

    html = viewer_client.get(history_url(registration)).content.decode()

    assert "Nothing has been logged for this registration yet." in html


def test_the_registrations_list_links_each_name_to_its_history(client, manager, organization):
    registration = make_registration(EventFactory(organization=organization))
    client.force_login(manager)

    html = client.get(reverse("registrants:list", kwargs={"slug": registration.event.slug}))

    assert history_url(registration) in html.content.decode()


def test_check_in_staff_and_other_teams_may_not_read_a_history(client, organization, outsider):
    registration = make_registration(EventFactory(organization=organization))
    client.force_login(
        MembershipFactory(organization=organization, role=Membership.Role.CHECK_IN).user
    )
    assert client.get(history_url(registration)).status_code == 403
    client.force_login(outsider)
    assert client.get(history_url(registration)).status_code == 404


def test_a_registration_of_another_event_is_not_found(viewer_client, organization):
    registration = make_registration(EventFactory(organization=organization))
    other_event = EventFactory(organization=organization)
    url = reverse(
        "workspace:registration_history",
        kwargs={"slug": other_event.slug, "registration_id": registration.pk},
    )
    assert viewer_client.get(url).status_code == 404
