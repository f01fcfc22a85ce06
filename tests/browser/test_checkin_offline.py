"""The check-in desk on a phone that loses the network: check-ins are queued, the desk says so,
and the queue is sent when the network returns."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events.audit import Actor
from events.models import Event, Membership
from registration import services
from registration.models import Registration
from tests.factories import EventFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def event(organization):
    return EventFactory(organization=organization, format=Event.Format.IN_PERSON)


@pytest.fixture
def staff(organization):
    membership = MembershipFactory(organization=organization, role=Membership.Role.CHECK_IN)
    return membership.user


def _sign_in(page, live_server, user, next_path):
    page.goto(f"{live_server.url}{reverse('login')}?next={next_path}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()


def _registrant(event, number):
    return services.register(
        actor=Actor.system("test"),
        event=event,
        email=f"delegate{number}@mission.example",
        first_name="Kofi",
        last_name=f"Mensah {number}",
        consent=True,
        attendance_mode="in_person",
    )


def test_offline_check_ins_are_queued_and_sent_when_the_network_returns(
    live_server, phone, event, staff
):
    first, second = _registrant(event, 1), _registrant(event, 2)
    desk = reverse("checkin:desk", kwargs={"slug": event.slug})
    _sign_in(phone, live_server, staff, desk)
    code = phone.get_by_label("Ticket code")
    # Offline only once the desk and its script have loaded: going offline while the sign-in's
    # redirect is still on its way leaves the browser on its own error page.
    phone.wait_for_url(f"**{desk}")
    phone.wait_for_load_state("load")
    expect(code).to_be_visible()

    phone.context.set_offline(True)
    code.fill(first.ticket_code_grouped.lower())
    code.press("Enter")
    code.fill(second.ticket_code)
    code.press("Enter")

    status = phone.locator("[data-offline-status]")
    # expect() waits for the desk to have handled both Enters (a loaded machine is slow).
    expect(status).to_have_text(
        "Offline — 2 check-ins queued. They are sent when the network returns."
    )
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 0

    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")

    phone.locator("[data-queue-results] li").nth(1).wait_for()
    expect(status).to_be_hidden()
    expect(phone.locator("#checkin-count")).to_have_text("Checked in 2 of 2")
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 2
    assert phone.evaluate("Object.keys(localStorage).map(k => localStorage[k]).join()") == "[]"
