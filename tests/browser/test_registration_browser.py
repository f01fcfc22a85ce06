import pytest
from django.urls import reverse

from events.audit import Actor
from events.models import Event
from registration import services
from registration.models import Registration
from tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hybrid_event(organization):
    return EventFactory(
        organization=organization,
        title="Impact-Driven Peacekeeping Partnerships for Capacity Building and Training",
        format=Event.Format.HYBRID,
        online_join_url="https://zoom.example.org/j/42",
        capacity_in_person=40,
    )


def test_delegate_registers_online_from_a_phone(live_server, phone, hybrid_event):
    phone.goto(live_server.url + hybrid_event.get_absolute_url())
    phone.get_by_role("link", name="Register", exact=True).click()

    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_label("Honorific").fill("H.E. Ms.")
    phone.get_by_label("First name").fill("Kristina")
    phone.get_by_label("Last name").fill("Zetterlund")
    phone.get_by_label("Email", exact=True).fill("kristina@gov.example")
    phone.get_by_label("Organization").fill("Permanent Mission of Sweden")
    phone.get_by_label("Country").select_option("SE")
    phone.get_by_role("group", name="How will you attend?").get_by_label("Online").check()
    phone.get_by_label("I agree that the organizers store these details").check()
    phone.get_by_role("button", name="Register").click()

    assert phone.get_by_role("heading", level=1).inner_text() == "You are registered"
    assert phone.get_by_text("The link to join is in your confirmation email").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    registration = Registration.objects.get(email="kristina@gov.example")
    assert (registration.status, registration.attendance_mode) == ("confirmed", "virtual")


def test_delegate_cancels_through_the_confirmation_page(live_server, phone, hybrid_event):
    registration = services.register(
        actor=Actor.system("test"),
        event=hybrid_event,
        email="kofi@mission.example",
        first_name="Kofi",
        last_name="Mensah",
        consent=True,
        attendance_mode="in_person",
    )
    manage_path = reverse("registration:manage", args=[registration.manage_token])
    phone.goto(live_server.url + manage_path)

    phone.get_by_role("link", name="Cancel my registration").click()
    phone.get_by_role("button", name="Yes, cancel my registration").click()

    assert phone.get_by_text("Your registration is cancelled.").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
