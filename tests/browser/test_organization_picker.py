import pytest

from registration.models import Registration
from tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_ghana_offers_its_permanent_mission(
    live_server, phone, organization, shipped_directory
):
    event = EventFactory(organization=organization, capacity_in_person=40)
    phone.goto(live_server.url + event.get_absolute_url() + "register/")

    phone.get_by_label("Organization").press_sequentially("Ghana", delay=30)
    phone.wait_for_function(
        "document.querySelectorAll('#organization-suggestions option').length > 0"
    )
    offered = phone.eval_on_selector_all(
        "#organization-suggestions option", "options => options.map(option => option.value)"
    )

    assert offered[0] == "Permanent Mission of Ghana"
    assert "Government of Ghana" in offered
    phone.get_by_label("Organization").fill(offered[0])
    phone.get_by_label("First name").fill("Kofi")
    phone.get_by_label("Last name").fill("Mensah")
    phone.get_by_label("Email", exact=True).fill("kofi@mission.example")
    phone.get_by_label("I agree that the organizers store these details").check()
    phone.get_by_role("button", name="Register").click()

    assert phone.get_by_role("heading", level=1).inner_text() == "You are registered"
    assert Registration.objects.get().organization.code == "mission:GH"
